"""Rules common to IEP and ISS (rules.md 2.4): the plan, its goals, objectives and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.policy.s_rule_helpers import Doc, error_ids, iep, iss, paths, warning_ids


def close_objective(objective: Doc, completed_on: str, outcome: str = "successful") -> None:
    objective.update(status="closed", completed_on=completed_on, outcome=outcome)


def episode(service_id: str, start_on: str, service_type: str = "development_of_iep") -> Doc:
    return {
        "id": service_id,
        "type": service_type,
        "category": "individualized_career",
        "name": "Development of IEP",
        "provider": {"name": "Example Workforce Center", "kind": "program"},
        "start_on": start_on,
        "end_on": start_on,
        "completion_status": "successful",
    }


def revised(plan: Doc, revised_on: str, **revision: Any) -> Doc:
    """Version 2 of the plan, revised on `revised_on` and recorded as a Development of IEP episode."""
    plan["version"] = 2
    plan["revision"] = {
        "revised_on": revised_on,
        "summary": "Added a supervisory long-term goal.",
        "participant_agreed": True,
        **revision,
    }
    plan["services"].append(episode("S6", revised_on))
    return plan


def planned_gap(**fields: Any) -> Doc:
    return {
        "id": "S6",
        "type": "planned_gap",
        "category": "planned_gap",
        "name": "Planned gap between training terms",
        "provider": {"name": "Example Workforce Center", "kind": "program"},
        "start_on": "2025-09-01",
        **fields,
    }


@pytest.mark.parametrize("plan", [iep(), iss()], ids=["iep", "iss"])
def test_valid_plans_raise_nothing(plan: Doc) -> None:
    assert error_ids(plan) == set()
    assert warning_ids(plan) == set()


# --- plan ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["false", "absent"])
def test_plan_not_developed_jointly(change: str) -> None:
    plan = iep()
    if change == "false":
        plan["developed_jointly"] = False
    else:
        del plan["developed_jointly"]
    assert error_ids(plan) == {"plan.jointly"}
    assert paths(plan, "plan.jointly") == ["/developed_jointly"]


@pytest.mark.parametrize("make", [iep, iss], ids=["iep", "iss"])
def test_no_goals_reports_only_plan_goals(make: Callable[[], Doc]) -> None:
    plan = make()
    plan["goals"] = []
    # Not plan.open_goal, iep.goals / iss.goals, iep.goal_terms or iep.training_objective (no cascade).
    assert error_ids(plan) == {"plan.goals"}
    assert warning_ids(plan) == set()


def test_goals_without_objectives() -> None:
    plan = iep()
    for goal in plan["goals"]:
        goal["objectives"] = []
    assert error_ids(plan) == {"plan.goals"}
    assert warning_ids(plan) == set()


def test_open_plan_without_open_objective() -> None:
    plan = iep()
    for goal in plan["goals"]:
        for objective in goal["objectives"]:
            close_objective(objective, objective["target_on"])
    assert error_ids(plan) == {"plan.open_goal"}
    assert paths(plan, "plan.open_goal") == ["/goals"]


def test_open_objective_under_a_closed_goal_does_not_count() -> None:
    plan = iep()
    close_objective(plan["goals"][1]["objectives"][0], "2026-11-02")
    plan["goals"][0].update(status="closed", closed_on="2025-09-30", outcome="attained")
    assert error_ids(plan) == {"plan.open_goal"}


def test_one_open_objective_of_an_open_goal_suffices() -> None:
    plan = iep()
    close_objective(plan["goals"][0]["objectives"][0], "2025-08-29")
    close_objective(plan["goals"][0]["objectives"][1], "2025-07-31")
    assert error_ids(plan) == set()


def test_closed_plan_needs_no_open_goal() -> None:
    plan = iep()
    for goal in plan["goals"]:
        for objective in goal["objectives"]:
            close_objective(objective, objective["target_on"])
    plan.update(status="closed", closed_on="2026-11-02", close_reason="goals_completed")
    assert error_ids(plan) == set()


def test_objective_before_its_goal() -> None:
    plan = iep()  # goals opened 2025-01-27
    plan["goals"][0]["objectives"][1]["start_on"] = "2025-01-26"
    assert error_ids(plan) == {"plan.goal_before_objective"}
    assert paths(plan, "plan.goal_before_objective") == ["/goals/0/objectives/1/start_on"]
    plan["goals"][0]["objectives"][1]["start_on"] = "2025-01-27"
    assert error_ids(plan) == set()


def test_no_services_reports_only_plan_services() -> None:
    plan = iep()
    plan["services"] = []
    plan["barriers"] = []
    for goal in plan["goals"]:
        for objective in goal["objectives"]:
            del objective["service_ids"]
    # Not plan.dev_service, and not the iep.prior_participation warning (no cascade).
    assert error_ids(plan) == {"plan.services"}
    assert warning_ids(plan) == set()


def test_no_development_of_iep_episode() -> None:
    plan = iep()
    plan["services"][1]["type"] = "career_planning"
    assert error_ids(plan) == {"plan.dev_service"}
    assert paths(plan, "plan.dev_service") == ["/services"]


def test_development_episode_on_another_day() -> None:
    plan = iep()  # opened 2025-01-27
    plan["services"][1].update(start_on="2025-01-28", end_on="2025-01-28")
    assert error_ids(plan) == {"plan.dev_service"}


def test_development_of_iss_for_an_iss() -> None:
    plan = iss()
    plan["services"][0]["type"] = "career_planning"
    assert error_ids(plan) == {"plan.dev_service"}
    plan["services"][0]["type"] = "development_of_iep"
    assert error_ids(plan) == {"plan.dev_service"}


def test_revision_needs_its_own_development_episode() -> None:
    plan = revised(iep(), "2025-04-21")
    assert error_ids(plan) == set()
    plan["services"].pop()
    assert error_ids(plan) == {"plan.dev_service"}


def test_barrier_without_by_whom() -> None:
    plan = iep()
    del plan["barriers"][0]["by_whom"]
    assert error_ids(plan) == {"plan.barriers"}
    assert paths(plan, "plan.barriers") == ["/barriers/0/by_whom"]


def test_barrier_with_blank_fields() -> None:
    plan = iep()
    plan["barriers"][1].update(description="", strategy="  ")
    plan["barriers"][1]["by_whom"]["name"] = " "
    assert error_ids(plan) == {"plan.barriers"}
    assert paths(plan, "plan.barriers") == [
        "/barriers/1/description",
        "/barriers/1/strategy",
        "/barriers/1/by_whom/name",
    ]


@pytest.mark.parametrize("change", ["absent", "empty"])
def test_barrier_without_services_is_a_warning(change: str) -> None:
    plan = iep()
    if change == "absent":
        del plan["barriers"][0]["service_ids"]
    else:
        plan["barriers"][0]["service_ids"] = []
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"plan.barrier_services"}
    assert paths(plan, "plan.barrier_services") == ["/barriers/0/service_ids"]


@pytest.mark.parametrize(
    ("links", "fires"),
    [
        ([], True),
        (None, True),
        ([{"indicator": "ESE"}], True),
        ([{"indicator": "ESE"}, {"indicator": "MSG"}], False),
    ],
)
def test_performance_link(links: list[Doc] | None, fires: bool) -> None:
    plan = iep()
    if links is None:
        del plan["performance_links"]
    else:
        plan["performance_links"] = links
    assert error_ids(plan) == ({"plan.performance_link"} if fires else set())


def test_tracking_method_blank() -> None:
    plan = iep()
    plan["progress_tracking"]["method"] = ""
    assert error_ids(plan) == {"plan.tracking"}
    assert paths(plan, "plan.tracking") == ["/progress_tracking/method"]


def test_tracking_absent() -> None:
    plan = iep()
    del plan["progress_tracking"]
    assert error_ids(plan) == {"plan.tracking"}
    assert paths(plan, "plan.tracking") == ["/progress_tracking/method", "/progress_tracking/next_steps"]


@pytest.mark.parametrize("role", ["participant", "career_planner"])
def test_signatory_missing(role: str) -> None:
    plan = iep()
    plan["signatories"] = [s for s in plan["signatories"] if s["role"] != role]
    assert error_ids(plan) == {"plan.signatories"}


def test_updated_plan_without_revision() -> None:
    plan = iep()
    plan["version"] = 2
    # The missing revision date is plan.revision's finding, not plan.dev_service's.
    assert error_ids(plan) == {"plan.revision"}
    assert paths(plan, "plan.revision") == ["/revision"]


def test_revision_not_agreed_by_participant() -> None:
    plan = revised(iep(), "2025-04-21", participant_agreed=False)
    assert error_ids(plan) == {"plan.revision"}
    assert paths(plan, "plan.revision") == ["/revision/participant_agreed"]


def test_revision_dated_before_the_plan() -> None:
    # Opened 2025-01-27: a revision that day passes, the day before fails.
    assert error_ids(revised(iep(), "2025-01-27")) == set()
    plan = revised(iep(), "2025-01-26")
    assert error_ids(plan) == {"plan.revision"}
    assert paths(plan, "plan.revision") == ["/revision/revised_on"]


def closed_iep(**fields: Any) -> Doc:
    plan = iep()
    plan.update(status="closed", closed_on="2025-10-31", close_reason="goals_completed")
    plan.update(fields)
    return plan


def test_closed_plan_passes() -> None:
    assert error_ids(closed_iep()) == set()
    assert error_ids(closed_iep(closed_on="2025-01-27")) == set()


def test_closed_plan_without_date_or_reason() -> None:
    plan = closed_iep()
    del plan["closed_on"]
    del plan["close_reason"]
    assert error_ids(plan) == {"plan.close"}
    assert paths(plan, "plan.close") == ["/closed_on", "/close_reason"]


def test_plan_closed_before_it_opened() -> None:
    plan = closed_iep(closed_on="2025-01-26")
    assert error_ids(plan) == {"plan.close"}


@pytest.mark.parametrize("change", ["false", "absent"])
def test_responsibilities_not_acknowledged(change: str) -> None:
    plan = iep()
    if change == "false":
        plan["participant_responsibilities_acknowledged"] = False
    else:
        del plan["participant_responsibilities_acknowledged"]
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"plan.responsibilities"}


# --- goals --------------------------------------------------------------------------------------


def test_goal_projected_end_before_opening() -> None:
    plan = iep()  # G1 opened 2025-01-27
    plan["goals"][0]["projected_end_on"] = "2025-01-27"
    assert error_ids(plan) == set()
    plan["goals"][0]["projected_end_on"] = "2025-01-26"
    assert error_ids(plan) == {"goal.dates"}
    assert paths(plan, "goal.dates") == ["/goals/0/projected_end_on"]


def test_closed_goal_without_closing_date() -> None:
    plan = iep()
    plan["goals"][0].update(status="closed", outcome="attained")
    assert error_ids(plan) == {"goal.dates"}
    assert paths(plan, "goal.dates") == ["/goals/0/closed_on"]


def test_open_goal_with_closing_date() -> None:
    plan = iep()
    plan["goals"][0]["closed_on"] = "2025-09-30"
    assert error_ids(plan) == {"goal.dates"}


def test_goal_closed_before_it_opened() -> None:
    plan = iep()
    plan["goals"][0].update(status="closed", closed_on="2025-01-27", outcome="attained")
    assert error_ids(plan) == set()
    plan["goals"][0]["closed_on"] = "2025-01-26"
    assert error_ids(plan) == {"goal.dates"}


def test_closed_goal_without_outcome_is_a_warning() -> None:
    plan = iep()
    plan["goals"][0].update(status="closed", closed_on="2025-09-30")
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"goal.outcome"}
    assert paths(plan, "goal.outcome") == ["/goals/0/outcome"]


def test_open_goal_with_outcome_is_a_warning() -> None:
    plan = iep()
    plan["goals"][1]["outcome"] = "attained"
    assert warning_ids(plan) == {"goal.outcome"}


def test_education_goal_in_an_iep_is_a_warning() -> None:
    plan = iep()
    plan["goals"][1].update(kind="education", linked_employment_goal_id="G1")
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"goal.education_youth"}
    assert paths(plan, "goal.education_youth") == ["/goals/1/kind"]


def test_education_goal_without_link_is_a_warning() -> None:
    plan = iss()
    del plan["goals"][0]["linked_employment_goal_id"]
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"goal.education_link"}
    assert paths(plan, "goal.education_link") == ["/goals/0/linked_employment_goal_id"]


def test_education_goal_linked_to_a_non_employment_goal() -> None:
    plan = iss()
    plan["goals"][0]["linked_employment_goal_id"] = "G1"  # itself, an education goal
    assert warning_ids(plan) == {"goal.education_link"}


def test_education_goal_linked_to_an_unknown_goal_is_left_to_doc_refs() -> None:
    plan = iss()
    plan["goals"][0]["linked_employment_goal_id"] = "G9"
    assert "goal.education_link" not in warning_ids(plan)


# --- objectives ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["start_on", "target_on"])
def test_objective_date_missing(field: str) -> None:
    plan = iep()
    del plan["goals"][0]["objectives"][0][field]
    # Without a start date, plan.goal_before_objective has nothing to compare (no cascade).
    assert error_ids(plan) == {"objective.dates"}
    assert paths(plan, "objective.dates") == [f"/goals/0/objectives/0/{field}"]


def test_objective_target_before_start() -> None:
    plan = iep()  # O1 starts 2025-03-03
    plan["goals"][0]["objectives"][0]["target_on"] = "2025-03-03"
    assert error_ids(plan) == set()
    plan["goals"][0]["objectives"][0]["target_on"] = "2025-03-02"
    assert error_ids(plan) == {"objective.dates"}
    assert paths(plan, "objective.dates") == ["/goals/0/objectives/0/target_on"]


def test_objective_completed_before_start() -> None:
    plan = iep()
    close_objective(plan["goals"][0]["objectives"][0], "2025-03-03")
    assert error_ids(plan) == set()
    close_objective(plan["goals"][0]["objectives"][0], "2025-03-02")
    assert error_ids(plan) == {"objective.dates"}
    assert paths(plan, "objective.dates") == ["/goals/0/objectives/0/completed_on"]


@pytest.mark.parametrize("change", ["blank", "absent"])
def test_objective_without_comments(change: str) -> None:
    plan = iss()
    if change == "blank":
        plan["goals"][1]["objectives"][1]["comments"] = "\t"
    else:
        del plan["goals"][1]["objectives"][1]["comments"]
    assert error_ids(plan) == {"objective.comments"}
    assert paths(plan, "objective.comments") == ["/goals/1/objectives/1/comments"]


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"status": "closed", "completed_on": "2025-04-30"}, "outcome"),
        ({"status": "closed", "outcome": "unsuccessful"}, "completed_on"),
        ({"outcome": "successful"}, "outcome"),
        ({"completed_on": "2025-04-30"}, "completed_on"),
    ],
)
def test_objective_status_completion_and_outcome_disagree(fields: Doc, path: str) -> None:
    plan = iep()
    plan["goals"][0]["objectives"][1].update(fields)
    assert error_ids(plan) == {"objective.close"}
    assert paths(plan, "objective.close") == [f"/goals/0/objectives/1/{path}"]


# --- services -----------------------------------------------------------------------------------


def test_ended_service_without_completion_status() -> None:
    plan = iep()
    plan["services"][2]["end_on"] = "2025-06-30"
    assert error_ids(plan) == {"svc.close"}
    assert paths(plan, "svc.close") == ["/services/2/completion_status"]


def test_completion_status_without_end() -> None:
    plan = iep()
    plan["services"][2]["completion_status"] = "successful"
    assert error_ids(plan) == {"svc.close"}
    assert paths(plan, "svc.close") == ["/services/2/end_on"]


def test_service_ended_before_it_started() -> None:
    plan = iep()  # S3 starts 2025-01-27
    plan["services"][2].update(end_on="2025-01-27", completion_status="successful")
    assert error_ids(plan) == set()
    plan["services"][2]["end_on"] = "2025-01-26"
    assert error_ids(plan) == {"svc.close"}


def test_training_without_cost() -> None:
    plan = iep()
    del plan["services"][3]["approximate_cost"]
    assert error_ids(plan) == {"svc.training"}
    assert paths(plan, "svc.training") == ["/services/3/approximate_cost"]


def test_training_without_planned_end() -> None:
    plan = iep()
    del plan["services"][3]["planned_end_on"]
    assert error_ids(plan) == {"svc.training"}
    assert paths(plan, "svc.training") == ["/services/3/planned_end_on"]


def test_training_planned_to_end_before_it_starts() -> None:
    plan = iep()  # S4 starts 2025-03-03
    plan["services"][3]["planned_end_on"] = "2025-03-03"
    assert error_ids(plan) == set()
    plan["services"][3]["planned_end_on"] = "2025-03-02"
    assert error_ids(plan) == {"svc.training"}


def test_supportive_service_is_not_training() -> None:
    plan = iep()
    del plan["services"][4]["approximate_cost"]
    assert error_ids(plan) == set()


def test_planned_gap() -> None:
    plan = iep()
    plan["services"].append(planned_gap(planned_end_on="2025-09-30", description="Between fall terms."))
    assert error_ids(plan) == set()


@pytest.mark.parametrize("missing", ["planned_end_on", "description"])
def test_planned_gap_incomplete(missing: str) -> None:
    plan = iep()
    fields = {"planned_end_on": "2025-09-30", "description": "Between fall terms."}
    del fields[missing]
    plan["services"].append(planned_gap(**fields))
    assert error_ids(plan) == {"svc.planned_gap"}
    assert paths(plan, "svc.planned_gap") == [f"/services/5/{missing}"]
