"""R rules (rules.md section 3): each starts from a valid record fixture, changes one thing, and asserts
exactly which R rules report it (S rules, written elsewhere, are filtered out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from docgen.policy import RULES, Record, Settings, evaluate
from docgen.policy.findings import Finding
from tests.fixtures import load_fixture, strip_meta

Doc = dict[str, Any]

R_RULES = frozenset(
    {
        "plan.kind",
        "assess.objective",
        "plan.after_assessment",
        "assess.recent",
        "assess.youth_before_cert",
        "assess.basic_skills_test",
        "assess.siw",
        "plan.after_cert",
        "plan.single_open",
        "plan.performance_program",
        "svc.after_cert",
        "svc.precert_note",
        "exit.services_closed",
    }
)


def r_findings(doc: Doc, settings: Settings | None = None) -> list[Finding]:
    found = evaluate(doc, settings=settings or Settings())
    # A schema-invalid document stops before the R rules, which would make "silent" mean nothing.
    assert not [f for f in found if f.rule in ("doc.schema", "pii.no_ssn")], found
    return [f for f in found if f.rule in R_RULES]


def r_errors(doc: Doc, settings: Settings | None = None) -> set[str]:
    return {f.rule for f in r_findings(doc, settings) if f.severity == "error"}


def r_warnings(doc: Doc, settings: Settings | None = None) -> set[str]:
    return {f.rule for f in r_findings(doc, settings) if f.severity == "warning"}


def checked(doc: Doc, stored: Record) -> list[Finding]:
    """Findings for `doc` submitted alone against the stored record."""
    found = evaluate(doc, record=stored)
    assert not [f for f in found if f.rule in ("doc.schema", "pii.no_ssn")], found
    return found


def adult() -> Doc:
    return strip_meta(load_fixture("valid-adult-iep.json"))


def youth() -> Doc:
    return strip_meta(load_fixture("valid-youth-iss.json"))


def service(doc: Doc, service_id: str, plan: int = 0) -> Doc:
    return next(s for s in doc["plans"][plan]["services"] if s["id"] == service_id)


def note(doc: Doc, note_id: str) -> Doc:
    return next(n for n in doc["case_notes"] if n["id"] == note_id)


def test_rules_registered_as_r() -> None:
    for rule_id in R_RULES:
        assert RULES[rule_id].scope == "R"
        assert RULES[rule_id].check is not None


@pytest.mark.parametrize("make", [adult, youth])
def test_valid_records_pass(make: Any) -> None:
    assert r_findings(make()) == []


# --- plan.kind ----------------------------------------------------------------------------------


def test_plan_kind_youth_with_iep_fails_unless_setting_allows() -> None:
    doc = adult()
    doc["participant"]["program"] = "youth"
    doc["participant"]["youth_status"] = "out_of_school"
    assert "plan.kind" in r_errors(doc)
    found = [f for f in r_findings(doc) if f.rule == "plan.kind"]
    assert [f.path for f in found] == ["/plans/0/kind"]
    assert "Avery" not in found[0].message
    assert "plan.kind" not in r_errors(doc, Settings(YOUTH_PLAN_KIND="iss_or_iep"))


def test_plan_kind_adult_with_iss_fails_whatever_the_youth_setting() -> None:
    doc = youth()
    doc["participant"]["program"] = "adult"
    del doc["participant"]["youth_status"]
    assert r_errors(doc) == {"plan.kind"}
    assert r_errors(doc, Settings(YOUTH_PLAN_KIND="iss_or_iep")) == {"plan.kind"}


def test_plan_kind_dislocated_worker_with_iep_passes() -> None:
    doc = adult()
    doc["participant"]["program"] = "dislocated_worker"
    assert r_errors(doc) == set()


# --- assess.objective, plan.after_assessment ----------------------------------------------------


def test_assess_objective_fires_alone_without_objective_assessment() -> None:
    doc = adult()
    doc["assessments"][0]["kind"] = "subjective"
    # No cascade: plan.after_assessment has no objective assessment to compare with.
    assert r_errors(doc) == {"assess.objective"}
    assert [f.path for f in r_findings(doc)] == ["/plans/0/assessment_ids"]


def test_assess_objective_silent_when_an_id_does_not_resolve() -> None:
    doc = adult()
    doc["assessments"][0]["kind"] = "subjective"
    doc["plans"][0]["assessment_ids"].append("A-9999")  # doc.refs reports the dangling id
    assert r_errors(doc) == set()


@pytest.mark.parametrize(("conducted_on", "fires"), [("2025-01-27", False), ("2025-01-28", True)])
def test_plan_after_assessment_boundary(conducted_on: str, fires: bool) -> None:
    doc = adult()  # plan opened 2025-01-27
    doc["assessments"][0]["conducted_on"] = conducted_on
    assert r_errors(doc) == ({"plan.after_assessment"} if fires else set())


def test_plan_after_assessment_any_objective_assessment_suffices() -> None:
    doc = adult()
    later = {**doc["assessments"][0], "id": "A-1002", "conducted_on": "2025-03-01"}
    doc["assessments"].append(later)
    doc["plans"][0]["assessment_ids"].append("A-1002")
    assert r_errors(doc) == set()
    doc["assessments"][0]["conducted_on"] = "2025-01-28"
    assert r_errors(doc) == {"plan.after_assessment"}


# --- assess.recent ------------------------------------------------------------------------------


def with_external_assessment(conducted_on: str, source: str = "partner_program") -> Doc:
    doc = adult()  # plan opened 2025-01-27
    extra = {**doc["assessments"][0], "id": "A-1002", "source": source, "conducted_on": conducted_on}
    if source == "partner_program":
        extra["partner_program"] = "Adult Education and Literacy"
    doc["assessments"].append(extra)
    doc["plans"][0]["assessment_ids"].append("A-1002")
    return doc


@pytest.mark.parametrize(
    ("conducted_on", "source", "fires"),
    [
        ("2024-07-27", "partner_program", False),  # exactly 6 months before the plan
        ("2024-07-26", "partner_program", True),
        ("2024-07-26", "participant_provided", True),
        ("2023-01-01", "program_staff", False),  # the program's own assessment is not "reused"
    ],
)
def test_assess_recent_boundary(conducted_on: str, source: str, fires: bool) -> None:
    doc = with_external_assessment(conducted_on, source)
    assert r_errors(doc) == ({"assess.recent"} if fires else set())
    if fires:
        assert [f.path for f in r_findings(doc)] == ["/plans/0/assessment_ids/1"]


def test_assess_recent_uses_the_setting() -> None:
    twelve = Settings(ASSESSMENT_MAX_AGE_MONTHS=12)
    assert r_errors(with_external_assessment("2024-01-27"), twelve) == set()
    assert r_errors(with_external_assessment("2024-01-26"), twelve) == {"assess.recent"}


def test_assess_recent_clamps_to_month_end() -> None:
    doc = with_external_assessment("2025-02-28")
    doc["plans"][0]["opened_on"] = "2025-08-31"  # 6 months earlier is 2025-02-28
    assert "assess.recent" not in r_errors(doc)
    doc["assessments"][1]["conducted_on"] = "2025-02-27"
    assert "assess.recent" in r_errors(doc)


# --- assess.youth_before_cert -------------------------------------------------------------------


@pytest.mark.parametrize(("certified_on", "fires"), [("2025-02-12", False), ("2025-02-11", True)])
def test_assess_youth_before_cert_boundary(certified_on: str, fires: bool) -> None:
    doc = youth()  # objective assessment on 2025-02-12
    doc["participant"]["certified_on"] = certified_on
    assert r_errors(doc) == ({"assess.youth_before_cert"} if fires else set())
    if fires:
        assert [f.path for f in r_findings(doc)] == ["/participant/certified_on"]


def test_assess_youth_before_cert_needs_an_objective_assessment() -> None:
    doc = youth()
    doc["assessments"][0]["kind"] = "subjective"
    assert "assess.youth_before_cert" in r_errors(doc)


def test_assess_youth_before_cert_not_for_adults() -> None:
    doc = adult()
    doc["participant"]["certified_on"] = "2025-01-14"  # before the 2025-01-15 assessment
    doc["participant"]["eligibility_determined_on"] = "2025-01-14"
    assert "assess.youth_before_cert" not in r_errors(doc)


# --- assess.basic_skills_test, assess.siw -------------------------------------------------------


def set_test_tool(doc: Doc, tool: str) -> None:
    tabe = next(t for t in doc["assessments"][0]["tools"] if t["tool"] == "tabe_11_12")
    tabe["tool"] = tool


@pytest.mark.parametrize(
    ("tool", "ell", "fires"),
    [
        ("tabe_11_12", False, False),
        ("casas_goals", False, False),
        ("tabe_other", False, True),  # a TABE form the ICCB list does not name
        ("best_plus_2_0", False, True),
        ("best_plus_2_0", True, False),
        ("casas_life_work_reading", True, False),
        ("aptitude_test", True, True),
    ],
)
def test_assess_basic_skills_test(tool: str, ell: bool, fires: bool) -> None:
    doc = adult()  # the plan has a training service
    doc["participant"]["english_language_learner"] = ell
    set_test_tool(doc, tool)
    assert r_warnings(doc) == ({"assess.basic_skills_test"} if fires else set())
    assert r_errors(doc) == set()


def test_assess_basic_skills_test_exception_and_setting() -> None:
    doc = adult()
    set_test_tool(doc, "aptitude_test")
    assert r_warnings(doc) == {"assess.basic_skills_test"}
    assert r_warnings(doc, Settings(REQUIRE_BASIC_SKILLS_TEST_FOR_TRAINING=False)) == set()
    doc["assessments"][0]["basic_skills_test_exception"] = "Holds an associate degree (policy exception)."
    assert r_warnings(doc) == set()


def test_assess_basic_skills_test_only_with_training() -> None:
    doc = strip_meta(load_fixture("valid-record-tracking.json"))  # no training service, no ICCB test
    assert not any(t["tool"] in ("tabe_11_12", "casas_goals") for t in doc["assessments"][0]["tools"])
    assert r_warnings(doc) == set()


def test_assess_siw_follows_its_setting() -> None:
    doc = adult()
    chicago = Settings(SIW_REQUIRED_FOR_TRAINING=True)
    assert r_warnings(doc) == set()
    assert r_warnings(doc, chicago) == {"assess.siw"}
    doc["assessments"][0]["tools"].append({"tool": "skills_inventory_worksheet", "formal": False})
    assert r_warnings(doc, chicago) == set()


def test_assess_siw_only_with_training() -> None:
    doc = strip_meta(load_fixture("valid-record-tracking.json"))
    assert r_warnings(doc, Settings(SIW_REQUIRED_FOR_TRAINING=True)) == set()


# --- plan.after_cert, svc.after_cert ------------------------------------------------------------


@pytest.mark.parametrize(("opened_on", "fires"), [("2025-01-20", False), ("2025-01-19", True)])
def test_plan_after_cert_boundary(opened_on: str, fires: bool) -> None:
    doc = adult()  # certified 2025-01-20
    doc["plans"][0]["opened_on"] = opened_on
    assert r_errors(doc) == ({"plan.after_cert"} if fires else set())


@pytest.mark.parametrize(("start_on", "fires"), [("2025-01-20", False), ("2025-01-19", True)])
def test_svc_after_cert_boundary(start_on: str, fires: bool) -> None:
    doc = adult()
    service(doc, "S3")["start_on"] = start_on
    assert r_errors(doc) == ({"svc.after_cert"} if fires else set())
    if fires:
        assert [f.path for f in r_findings(doc)] == ["/plans/0/services/2/start_on"]


# --- svc.precert_note ---------------------------------------------------------------------------


def test_svc_precert_note_needs_a_service_note() -> None:
    doc = adult()
    doc["case_notes"].remove(note(doc, "CN-1002"))  # CN-1003 (assessment note) also names S1: not enough
    assert r_errors(doc) == {"svc.precert_note"}
    assert [f.path for f in r_findings(doc)] == ["/plans/0/services/0/actual_start_on"]


def test_svc_precert_note_needs_the_actual_date() -> None:
    doc = adult()
    note(doc, "CN-1002")["details"]["actual_service_on"] = "2025-01-15"
    assert r_errors(doc) == {"svc.precert_note"}


def test_svc_precert_note_needs_start_on_the_certification_date() -> None:
    doc = adult()
    service(doc, "S1")["start_on"] = "2025-01-21"
    assert r_errors(doc) == {"svc.precert_note"}
    assert [f.path for f in r_findings(doc)] == ["/plans/0/services/0/start_on"]


def test_svc_precert_note_start_before_cert_is_svc_after_cert_only() -> None:
    doc = adult()
    service(doc, "S1")["start_on"] = "2025-01-14"
    assert r_errors(doc) == {"svc.after_cert"}


@pytest.mark.parametrize(("actual", "fires"), [("2025-01-20", False), ("2025-01-19", True)])
def test_svc_precert_note_boundary(actual: str, fires: bool) -> None:
    doc = adult()
    doc["case_notes"].remove(note(doc, "CN-1002"))
    service(doc, "S1")["actual_start_on"] = actual
    assert r_errors(doc) == ({"svc.precert_note"} if fires else set())


# --- plan.single_open ---------------------------------------------------------------------------


def second_plan(doc: Doc, **changes: Any) -> Doc:
    other = strip_meta(load_fixture("valid-adult-iep.json"))["plans"][0]
    other.update(id="PL-1002", opened_on="2025-02-10")
    for s in other["services"]:
        s["id"] = s["id"] + "b"  # service ids are unique across the record
        s.pop("actual_start_on", None)  # the pre-certification episode belongs to the first plan
    for goal in other["goals"]:
        for objective in goal["objectives"]:
            objective["service_ids"] = [i + "b" for i in objective["service_ids"]]
    for barrier in other["barriers"]:
        barrier["service_ids"] = [i + "b" for i in barrier["service_ids"]]
    other.update(changes)
    return other


def test_plan_single_open_reports_each_open_plan() -> None:
    doc = adult()
    doc["plans"].append(second_plan(doc))
    assert r_errors(doc) == {"plan.single_open"}
    assert sorted(f.path for f in r_findings(doc)) == ["/plans/0/status", "/plans/1/status"]


def test_plan_single_open_closed_other_plan_passes() -> None:
    doc = adult()
    doc["plans"].append(
        second_plan(doc, status="closed", closed_on="2025-02-10", close_reason="no_longer_needs_services")
    )
    assert r_errors(doc) == set()


def test_plan_single_open_counts_current_versions_only() -> None:
    doc = adult()
    v2 = strip_meta(load_fixture("valid-adult-iep.json"))["plans"][0]
    v2.update(
        version=2,
        revision={"revised_on": "2025-03-03", "summary": "Added a goal.", "participant_agreed": True},
    )
    doc["plans"].append(v2)  # v1 and v2 of the same plan are both "open": one plan
    assert r_errors(doc) == set()


def test_plan_single_open_on_a_plan_submitted_alone() -> None:
    stored = Record.from_bundle(adult())
    submitted = second_plan(adult())
    found = [f for f in checked(submitted, stored) if f.rule in R_RULES]
    assert [(f.rule, f.path) for f in found] == [("plan.single_open", "/status")]
    closed = second_plan(adult(), status="closed", closed_on="2025-02-10", close_reason="dropped")
    assert [f for f in checked(closed, stored) if f.rule in R_RULES] == []


# --- plan.performance_program -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "indicator", "fires"),
    [
        (adult, "EDEMP_Q2", True),
        (adult, "EDEMP_Q4", True),
        (adult, "EMP_Q4", False),
        (adult, "ESE", True),
        (youth, "EMP_Q2", True),
        (youth, "EMP_Q4", True),
        (youth, "EDEMP_Q4", False),
        (youth, "ESE", True),
    ],
)
def test_plan_performance_program(make: Any, indicator: str, fires: bool) -> None:
    doc = make()
    doc["plans"][0]["performance_links"].append({"indicator": indicator})
    found = [f for f in r_findings(doc) if f.rule == "plan.performance_program"]
    assert [(f.severity, f.path) for f in found] == (
        [("warning", "/plans/0/performance_links/3/indicator")] if fires else []
    )


# --- exit.services_closed -----------------------------------------------------------------------


def exited(exit_on: str = "2025-09-30") -> Doc:
    doc = adult()
    doc["participant"]["exit"] = {
        "exit_on": exit_on,
        "exit_kind": "exit",
        "reason": "goals_attained",
        "last_service_on": exit_on,
    }
    return doc


def close_everything(doc: Doc, end_on: str) -> None:
    plan = doc["plans"][0]
    plan.update(status="closed", closed_on=end_on, close_reason="program_exit")
    for s in plan["services"]:
        s.setdefault("end_on", end_on)
        s.setdefault("completion_status", "successful")


def test_exit_services_closed_open_plan_and_services() -> None:
    doc = exited()
    assert r_errors(doc) == {"exit.services_closed"}
    paths = sorted(f.path for f in r_findings(doc))
    assert paths == [
        "/plans/0/services/2/end_on",
        "/plans/0/services/3/end_on",
        "/plans/0/services/4/end_on",
        "/plans/0/status",
    ]


@pytest.mark.parametrize(("end_on", "fires"), [("2025-09-30", False), ("2025-10-01", True)])
def test_exit_services_closed_boundary(end_on: str, fires: bool) -> None:
    doc = exited("2025-09-30")
    close_everything(doc, "2025-09-30")
    service(doc, "S4")["end_on"] = end_on
    assert r_errors(doc) == ({"exit.services_closed"} if fires else set())


def test_exit_services_closed_ignores_follow_up_services() -> None:
    doc = exited("2025-09-30")
    close_everything(doc, "2025-09-30")
    doc["plans"][0]["services"].append(
        {
            "id": "S6",
            "type": "follow_up",
            "category": "follow_up",
            "name": "Follow-up",
            "provider": {"name": "Example Workforce Center", "kind": "program"},
            "start_on": "2025-10-15",
        }
    )
    assert r_errors(doc) == set()


def test_exit_services_closed_only_current_versions() -> None:
    doc = exited("2025-09-30")
    v2 = strip_meta(load_fixture("valid-adult-iep.json"))["plans"][0]
    v2.update(
        version=2,
        revision={"revised_on": "2025-09-30", "summary": "Closed at exit.", "participant_agreed": True},
    )
    doc["plans"].append(v2)
    close_everything({"plans": [v2]}, "2025-09-30")
    assert r_errors(doc) == set()  # v1 is still "open" but is no longer the current version


def test_exit_services_closed_without_exit() -> None:
    assert r_errors(adult()) == set()


# --- documents submitted alone against a stored record ------------------------------------------


def test_plan_alone_gets_plan_rules_with_relative_paths() -> None:
    stored = Record.from_bundle(adult())
    plan = adult()["plans"][0]
    plan["opened_on"] = "2025-01-19"
    plan["performance_links"].append({"indicator": "ESE"})
    found = {(f.rule, f.severity, f.path) for f in checked(plan, stored) if f.rule in R_RULES}
    assert found == {
        ("plan.after_cert", "error", "/opened_on"),
        ("plan.performance_program", "warning", "/performance_links/3/indicator"),
    }


def test_participant_alone_gets_participant_rules() -> None:
    stored = Record.from_bundle(youth())
    participant = youth()["participant"]
    assert [f for f in checked(participant, stored) if f.rule in R_RULES] == []
    participant["certified_on"] = "2025-02-11"
    found = [(f.rule, f.path) for f in checked(participant, stored) if f.rule in R_RULES]
    assert found == [("assess.youth_before_cert", "/certified_on")]


def test_r_rules_skip_without_a_record() -> None:
    plan = adult()["plans"][0]
    plan["opened_on"] = "2025-01-19"
    found = evaluate(plan)
    assert not [f for f in found if f.rule == "doc.schema"]
    assert [f for f in found if f.rule in R_RULES] == []


def test_dates_used_are_real_dates() -> None:
    # Guards the fixture assumptions the boundaries above rely on.
    doc = adult()
    assert doc["participant"]["certified_on"] == "2025-01-20"
    assert doc["plans"][0]["opened_on"] == "2025-01-27"
    assert dt.date.fromisoformat(youth()["assessments"][0]["conducted_on"]) == dt.date(2025, 2, 12)
