"""IEP-only rules (rules.md 2.5): employment goal, goal terms, justification, informed choice for training."""

from __future__ import annotations

import pytest

from tests.policy.s_rule_helpers import Doc, error_ids, iep, iss, paths, warning_ids

TRAINING = 3  # index of S4, the ITA-funded CNC training, in the IEP's services


def without_training(plan: Doc) -> Doc:
    """The IEP with its training turned into an individualized career service (ids and links unchanged)."""
    plan["services"][TRAINING].update(type="other", category="individualized_career")
    return plan


def test_iep_without_employment_goal() -> None:
    plan = iep()
    plan["goals"][0].update(kind="education", linked_employment_goal_id="G2")
    plan["goals"][1].update(kind="education", linked_employment_goal_id="G1")
    assert error_ids(plan) == {"iep.goals"}
    assert paths(plan, "iep.goals") == ["/goals"]


def test_one_employment_goal_suffices() -> None:
    plan = iep()
    plan["goals"][1].update(kind="education", linked_employment_goal_id="G1")
    assert error_ids(plan) == set()


@pytest.mark.parametrize(("goal", "term"), [(0, "intermediate"), (1, "short"), (1, "intermediate")])
def test_missing_short_or_long_term_goal_is_a_warning(goal: int, term: str) -> None:
    plan = iep()  # G1 short, G2 long
    plan["goals"][goal]["term"] = term
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"iep.goal_terms"}


def test_iep_without_justification() -> None:
    plan = iep()
    del plan["justification"]
    # Not the iep.justification_work warning: the missing basis is reported once.
    assert error_ids(plan) == {"iep.justification"}
    assert warning_ids(plan) == set()
    assert paths(plan, "iep.justification") == ["/justification"]


def test_blank_justification_text() -> None:
    plan = iep()
    plan["justification"]["text"] = " "
    assert error_ids(plan) == {"iep.justification"}
    assert paths(plan, "iep.justification") == ["/justification/text"]


@pytest.mark.parametrize("basis", ["assessment", "interview"])
def test_justification_not_based_on_assessment_and_interview(basis: str) -> None:
    plan = iep()
    plan["justification"]["based_on"].remove(basis)
    assert error_ids(plan) == {"iep.justification"}
    assert paths(plan, "iep.justification") == ["/justification/based_on"]


def test_justification_without_previous_employment_is_a_warning() -> None:
    plan = iep()
    plan["justification"]["based_on"] = ["assessment", "interview"]
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"iep.justification_work"}


def test_training_without_informed_choice() -> None:
    plan = iep()
    del plan["informed_choice"]
    assert error_ids(plan) == {"iep.informed_choice"}
    assert warning_ids(plan) == set()
    assert paths(plan, "iep.informed_choice") == ["/informed_choice"]


@pytest.mark.parametrize(
    "field",
    [
        "training_program",
        "training_provider",
        "local_labor_market_conditions",
        "local_employer_skill_demands",
        "hiring_prerequisites",
        "in_demand_occupations",
        "training_suitable",
        "leads_to_sustainable_employment",
    ],
)
def test_informed_choice_incomplete(field: str) -> None:
    plan = iep()
    del plan["informed_choice"][field]
    assert error_ids(plan) == {"iep.informed_choice"}
    assert warning_ids(plan) == set()
    assert paths(plan, "iep.informed_choice") == [f"/informed_choice/{field}"]


def test_blank_informed_choice_text() -> None:
    plan = iep()
    plan["informed_choice"]["hiring_prerequisites"] = ""
    assert error_ids(plan) == {"iep.informed_choice"}


def test_no_training_needs_no_informed_choice() -> None:
    plan = without_training(iep())
    del plan["informed_choice"]
    assert error_ids(plan) == set()
    assert warning_ids(plan) == set()


def test_iss_training_is_not_checked_for_iep_rules() -> None:
    plan = iss()
    plan["services"][2]["category"] = "training"  # paid work experience, with planned end and cost
    assert error_ids(plan) == set()
    assert warning_ids(plan) == set()


@pytest.mark.parametrize("field", ["training_suitable", "leads_to_sustainable_employment"])
def test_unsuitable_training_is_a_warning(field: str) -> None:
    plan = iep()
    plan["informed_choice"][field] = False
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"iep.training_suitable"}
    assert paths(plan, "iep.training_suitable") == [f"/informed_choice/{field}"]


def test_training_not_under_an_employment_goal_objective_is_a_warning() -> None:
    plan = iep()
    plan["goals"][0]["objectives"][0]["service_ids"] = ["S3"]
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"iep.training_objective"}
    assert paths(plan, "iep.training_objective") == [f"/services/{TRAINING}"]


def test_training_under_another_employment_goal_passes() -> None:
    plan = iep()
    plan["goals"][0]["objectives"][0]["service_ids"] = ["S3"]
    plan["goals"][1]["objectives"][0]["service_ids"] = ["S3", "S4"]
    assert warning_ids(plan) == set()


def test_training_under_an_education_goal_is_a_warning() -> None:
    plan = iep()
    plan["goals"][0]["objectives"][0]["service_ids"] = ["S3"]
    plan["goals"][1].update(kind="education", linked_employment_goal_id="G1")
    plan["goals"][1]["objectives"][0]["service_ids"] = ["S4"]
    assert "iep.training_objective" in warning_ids(plan)


def test_no_service_before_the_iep_is_a_warning() -> None:
    plan = iep()  # opened 2025-01-27
    plan["services"][0].update(start_on="2025-01-28", end_on="2025-01-28")
    del plan["services"][0]["actual_start_on"]
    assert warning_ids(plan) == set()  # career planning S3 still starts on the opening day
    plan["services"][2]["start_on"] = "2025-01-28"
    assert error_ids(plan) == set()
    assert warning_ids(plan) == {"iep.prior_participation"}
    assert paths(plan, "iep.prior_participation") == ["/services"]
