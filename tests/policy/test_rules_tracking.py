"""T rules (rules.md section 5): for each rule, the last day that passes and the first day that fails,
under both data-entry deadlines.

Most scenarios put the event that starts the clock on Thursday 2025-07-03. Then D(event) is 2025-07-13 with
ENTRY_DEADLINE = 10_calendar_days, and 2025-07-09 with 3_business_days when Friday 2025-07-04 is a
business holiday (Fri holiday and Sat/Sun skipped: Mon 7, Tue 8, Wed 9). Rules whose deadline is not D()
get the same boundary under both settings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from docgen.policy import RULES, Settings, evaluate
from docgen.policy.findings import Finding
from tests.fixtures import load_fixture, strip_meta

Doc = dict[str, Any]

T_RULES = frozenset(
    {
        "contact.30",
        "plan.review90",
        "plan.update_note",
        "plan.dev_note",
        "plan.copy_note",
        "plan.exists",
        "casenote.per_service",
        "svc.open_notes",
        "casenote.training_need_exists",
        "casenote.training_begin_exists",
        "casenote.training_end_exists",
        "svc.closure_deadline",
        "exit.case_note",
        "exit.soft",
        "exit.no_contact",
        "followup.12m",
    }
)

EVENT = dt.date(2025, 7, 3)  # a Thursday
HOLIDAY = dt.date(2025, 7, 4)
CALENDAR = Settings()
BUSINESS = Settings(ENTRY_DEADLINE="3_business_days", BUSINESS_HOLIDAYS=(HOLIDAY,))
# (settings, D(EVENT)) — worked out by hand, independent of docgen.policy.dates.
DEADLINES = [
    pytest.param(CALENDAR, dt.date(2025, 7, 13), id="10_calendar_days"),
    pytest.param(BUSINESS, dt.date(2025, 7, 9), id="3_business_days"),
]
BOTH = [pytest.param(CALENDAR, id="10_calendar_days"), pytest.param(BUSINESS, id="3_business_days")]
DAY = dt.timedelta(days=1)
STAFF = {"name": "Sam Placeholder", "title": "Career Development Specialist"}


def t_findings(doc: Doc, as_of: dt.date, settings: Settings) -> list[Finding]:
    found = evaluate(doc, settings=settings, as_of=as_of)
    # A schema-invalid record stops before the T rules, which would make "silent" mean nothing.
    assert not [f for f in found if f.rule in ("doc.schema", "pii.no_ssn")], found
    return [f for f in found if f.rule in T_RULES]


def fires(doc: Doc, rule: str, as_of: dt.date, settings: Settings) -> bool:
    return any(f.rule == rule for f in t_findings(doc, as_of, settings))


def assert_boundary(doc: Doc, rule: str, deadline: dt.date, settings: Settings) -> None:
    """Silent the day before and on the deadline, fires the day after."""
    assert not fires(doc, rule, deadline - DAY, settings)
    assert not fires(doc, rule, deadline, settings)
    assert fires(doc, rule, deadline + DAY, settings)


def tracking() -> Doc:
    """Dislocated worker certified 2025-02-10, IEP PL-4001 opened 2025-02-17, everything on time."""
    return strip_meta(load_fixture("valid-record-tracking.json"))


def iso(d: dt.date) -> str:
    return d.isoformat()


def case_note(note_id: str, note_type: str, occurred_on: dt.date, **fields: Any) -> Doc:
    return {
        "doc_type": "case_note",
        "id": note_id,
        "participant_id": "P-4001",
        "type": note_type,
        "occurred_on": iso(occurred_on),
        "recorded_at": f"{iso(occurred_on)}T16:00:00-06:00",
        "author": STAFF,
        "narrative": "Test note.",
        **fields,
    }


def contact_note(
    note_id: str, occurred_on: dt.date, two_way: bool = True, mode: str = "phone", **f: Any
) -> Doc:
    return case_note(note_id, "contact", occurred_on, contact={"mode": mode, "two_way": two_way}, **f)


def new_service(service_id: str, start_on: dt.date, **fields: Any) -> Doc:
    service: Doc = {
        "id": service_id,
        "type": "career_counseling",
        "category": "individualized_career",
        "name": "Career counseling",
        "provider": {"name": "Example Workforce Connection Center", "kind": "program"},
        "start_on": iso(start_on),
    }
    service.update(fields)
    return service


def training_service(service_id: str, start_on: dt.date, **fields: Any) -> Doc:
    return new_service(
        service_id,
        start_on,
        type="occupational_training",
        category="training",
        name="Warehouse automation certificate",
        provider={"name": "Example Community College", "kind": "training_provider"},
        planned_end_on="2025-12-19",
        approximate_cost=3200.0,
        **fields,
    )


def note(doc: Doc, note_id: str) -> Doc:
    return next(n for n in doc["case_notes"] if n["id"] == note_id)


def drop_note(doc: Doc, note_id: str) -> None:
    doc["case_notes"].remove(note(doc, note_id))


def move_note(doc: Doc, note_id: str, occurred_on: dt.date) -> None:
    n = note(doc, note_id)
    n["occurred_on"] = iso(occurred_on)
    n["recorded_at"] = f"{iso(occurred_on)}T16:00:00-06:00"


def exit_participant(doc: Doc, exit_on: dt.date) -> None:
    doc["participant"]["exit"] = {
        "exit_on": iso(exit_on),
        "exit_kind": "exit",
        "reason": "goals_attained",
        "last_service_on": iso(exit_on),
    }


def test_rules_registered_as_t_on_the_record() -> None:
    for rule_id in T_RULES:
        rule = RULES[rule_id]
        assert (rule.scope, rule.applies_to) == ("T", ("record",))
        assert rule.check is not None


@pytest.mark.parametrize("settings", BOTH)
def test_valid_tracking_record_has_no_tracking_finding(settings: Settings) -> None:
    assert t_findings(tracking(), dt.date(2025, 6, 30), settings) == []


def test_tracking_rules_need_as_of() -> None:
    doc = tracking()
    drop_note(doc, "CN-4010")  # plan.review90 would fire on 2025-06-30
    assert fires(doc, "plan.review90", dt.date(2025, 6, 30), CALENDAR)
    del doc["as_of"]
    assert [f for f in evaluate(doc) if f.rule in T_RULES] == []
    doc["as_of"] = "2025-06-30"  # a bundle's own as_of is used when none is passed
    assert any(f.rule == "plan.review90" for f in evaluate(doc))


# --- contact.30 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_contact_30_next_contact_due(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    move_note(doc, "CN-4011", EVENT - dt.timedelta(days=30))  # last contact 2025-06-03; +30 = EVENT
    assert_boundary(doc, "contact.30", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "contact.30"]
    assert [(f.severity, f.path) for f in found] == [("error", "/participant")]
    assert "Quinn" not in found[0].message


@pytest.mark.parametrize("settings", BOTH)
def test_contact_30_gap_between_contacts(settings: Settings) -> None:
    doc = tracking()  # contacts 04-11, 05-09, 06-06
    as_of = dt.date(2025, 6, 30)
    move_note(doc, "CN-4009", dt.date(2025, 5, 11))  # 30 days after 04-11
    assert not fires(doc, "contact.30", as_of, settings)
    move_note(doc, "CN-4009", dt.date(2025, 5, 12))  # 31 days
    found = [f for f in t_findings(doc, as_of, settings) if f.rule == "contact.30"]
    assert [f.path for f in found] == ["/case_notes/8/occurred_on"]


def test_contact_30_first_gap_counts_from_certification() -> None:
    doc = tracking()  # certified 2025-02-10; the introduction note is a contact that day
    note(doc, "CN-4001")["contact"]["two_way"] = False
    note(doc, "CN-4004")["contact"]["two_way"] = False
    as_of = dt.date(2025, 6, 30)
    move_note(doc, "CN-4007", dt.date(2025, 3, 12))  # 30 days after certification
    assert not fires(doc, "contact.30", as_of, CALENDAR)
    move_note(doc, "CN-4007", dt.date(2025, 3, 13))
    assert fires(doc, "contact.30", as_of, CALENDAR)


def test_contact_30_mode_and_interval_settings() -> None:
    doc = tracking()
    as_of = dt.date(2025, 6, 30)
    note(doc, "CN-4008")["contact"]["mode"] = "email"  # 03-14 -> (04-11 by email) -> 05-09
    assert not fires(doc, "contact.30", as_of, CALENDAR)
    assert fires(doc, "contact.30", as_of, Settings(CONTACT_MODE="direct_conversation"))
    note(doc, "CN-4008")["contact"]["mode"] = "video"
    assert not fires(doc, "contact.30", as_of, Settings(CONTACT_MODE="direct_conversation"))
    assert fires(doc, "contact.30", as_of, Settings(CONTACT_INTERVAL_DAYS=27))  # 03-14 -> 04-11 is 28


def test_contact_30_one_way_attempts_do_not_count() -> None:
    doc = tracking()
    note(doc, "CN-4008")["contact"]["two_way"] = False
    assert fires(doc, "contact.30", dt.date(2025, 6, 30), CALENDAR)


@pytest.mark.parametrize("settings", BOTH)
def test_contact_30_stops_at_exit(settings: Settings) -> None:
    doc = tracking()
    exit_participant(doc, dt.date(2025, 6, 10))
    # Long after exit no next contact is due; the contact history up to exit is still checked.
    assert not fires(doc, "contact.30", dt.date(2025, 12, 31), settings)
    drop_note(doc, "CN-4008")
    assert fires(doc, "contact.30", dt.date(2025, 12, 31), settings)


# --- plan.review90 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_plan_review90_next_review_due(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    move_note(doc, "CN-4010", EVENT - dt.timedelta(days=90))  # review 2025-04-04; +90 days = EVENT
    assert_boundary(doc, "plan.review90", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "plan.review90"]
    assert [f.path for f in found] == ["/plans/0"]


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_plan_review90_quarterly(settings: Settings, deadline: dt.date) -> None:
    quarterly = Settings(
        ENTRY_DEADLINE=settings.ENTRY_DEADLINE,
        BUSINESS_HOLIDAYS=settings.BUSINESS_HOLIDAYS,
        REVIEW_INTERVAL="quarterly",
    )
    doc = tracking()
    move_note(doc, "CN-4010", dt.date(2025, 4, 3))  # + 3 calendar months = EVENT (91 days)
    assert fires(doc, "plan.review90", deadline + DAY, settings)  # 90 days is stricter
    assert_boundary(doc, "plan.review90", deadline, quarterly)


@pytest.mark.parametrize("settings", BOTH)
def test_plan_review90_gap_between_reviews(settings: Settings) -> None:
    doc = tracking()  # opened 2025-02-17
    as_of = dt.date(2025, 6, 30)
    move_note(doc, "CN-4010", dt.date(2025, 5, 18))  # 90 days after opening
    assert not fires(doc, "plan.review90", as_of, settings)
    move_note(doc, "CN-4010", dt.date(2025, 5, 19))  # 91 days
    found = [f for f in t_findings(doc, as_of, settings) if f.rule == "plan.review90"]
    assert [f.path for f in found] == ["/case_notes/9/occurred_on"]


def test_plan_review90_revision_counts_and_closed_plans_are_skipped() -> None:
    doc = tracking()
    drop_note(doc, "CN-4010")
    as_of = dt.date(2025, 6, 30)
    assert fires(doc, "plan.review90", as_of, CALENDAR)
    v2 = strip_meta(load_fixture("valid-record-tracking.json"))["plans"][0]
    v2.update(
        version=2, revision={"revised_on": "2025-05-09", "summary": "New target.", "participant_agreed": True}
    )
    doc["plans"].append(v2)
    doc["case_notes"].append(
        case_note(
            "CN-4012",
            "iep_iss_review_update",
            dt.date(2025, 5, 9),
            plan_id="PL-4001",
            details={
                "plan_version": 2,
                "changes_made": True,
                "agreed_with_participant": True,
                "change_summary": "New target.",
            },
        )
    )
    assert not fires(doc, "plan.review90", as_of, CALENDAR)
    doc["case_notes"].pop()
    assert not fires(doc, "plan.review90", as_of, CALENDAR)  # the revision itself is a review date
    v2.update(revision={"revised_on": "2025-02-17", "summary": "Fix.", "participant_agreed": True})
    assert fires(doc, "plan.review90", as_of, CALENDAR)
    v2.update(status="closed", closed_on="2025-06-01", close_reason="goals_completed")
    assert not fires(doc, "plan.review90", as_of, CALENDAR)


# --- plan.update_note, plan.dev_note, plan.copy_note --------------------------------------------


def with_version_2(doc: Doc, revised_on: dt.date) -> Doc:
    v2 = strip_meta(load_fixture("valid-record-tracking.json"))["plans"][0]
    v2.update(
        version=2,
        revision={"revised_on": iso(revised_on), "summary": "Target changed.", "participant_agreed": True},
    )
    doc["plans"].append(v2)
    return v2


def update_note(version: int) -> Doc:
    return case_note(
        "CN-4020",
        "iep_iss_review_update",
        EVENT,
        plan_id="PL-4001",
        details={
            "plan_version": version,
            "changes_made": True,
            "agreed_with_participant": True,
            "change_summary": "Target changed.",
        },
    )


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_plan_update_note(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    with_version_2(doc, EVENT)
    assert_boundary(doc, "plan.update_note", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "plan.update_note"]
    assert [f.path for f in found] == ["/plans/1/revision"]
    doc["case_notes"].append(update_note(version=1))  # a note for another version does not count
    assert fires(doc, "plan.update_note", deadline + DAY, settings)
    doc["case_notes"][-1] = update_note(version=2)
    assert not fires(doc, "plan.update_note", deadline + DAY, settings)


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_plan_dev_note(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    doc["plans"][0]["opened_on"] = iso(EVENT)
    note(doc, "CN-4004")["details"]["plan_version"] = 2  # names the wrong version
    assert_boundary(doc, "plan.dev_note", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "plan.dev_note"]
    assert [f.path for f in found] == ["/plans/0"]
    note(doc, "CN-4004")["details"]["plan_version"] = 1
    assert not fires(doc, "plan.dev_note", deadline + DAY, settings)


def sign(plan: Doc, signed_at: str) -> None:
    for signatory in plan["signatories"]:
        signatory["signature"]["signed_at"] = signed_at


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_plan_copy_note(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    drop_note(doc, "CN-4005")
    # Late evening in its own offset: already 2025-07-04 in UTC, but signed on 2025-07-03.
    sign(doc["plans"][0], f"{iso(EVENT)}T23:30:00-07:00")
    assert_boundary(doc, "plan.copy_note", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "plan.copy_note"]
    assert [f.path for f in found] == ["/plans/0/signatories"]
    doc["case_notes"].append(
        case_note(
            "CN-4020",
            "participant_copy_provided",
            EVENT,
            plan_id="PL-4001",
            details={"plan_version": 1, "provided_on": iso(EVENT), "method": "email"},
        )
    )
    assert not fires(doc, "plan.copy_note", deadline + DAY, settings)


def test_plan_copy_note_only_for_a_fully_signed_version() -> None:
    doc = tracking()
    drop_note(doc, "CN-4005")
    as_of = dt.date(2025, 6, 30)
    assert fires(doc, "plan.copy_note", as_of, CALENDAR)
    del doc["plans"][0]["signatories"][1]["signature"]
    assert not fires(doc, "plan.copy_note", as_of, CALENDAR)


def test_plan_copy_note_not_for_carried_forward_signatures() -> None:
    doc = tracking()
    v2 = with_version_2(doc, dt.date(2025, 5, 9))  # v1's 2025-02-17 signatures carried forward
    doc["case_notes"].append(update_note(version=2))
    as_of = dt.date(2025, 6, 30)
    assert not fires(doc, "plan.copy_note", as_of, CALENDAR)
    sign(v2, "2025-05-09T10:00:00-06:00")  # freshly signed on the revision date
    found = [f for f in t_findings(doc, as_of, CALENDAR) if f.rule == "plan.copy_note"]
    assert [f.path for f in found] == ["/plans/1/signatories"]


# --- plan.exists --------------------------------------------------------------------------------


def without_plans(program: str) -> Doc:
    doc = tracking()
    doc["plans"] = []
    doc["case_notes"] = []
    doc["participant"].update(certified_on=iso(EVENT), eligibility_determined_on=iso(EVENT))
    if program == "youth":
        doc["participant"].update(program="youth", youth_status="out_of_school")
    return doc


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
@pytest.mark.parametrize(("program", "severity"), [("youth", "error"), ("dislocated_worker", "warning")])
def test_plan_exists(settings: Settings, deadline: dt.date, program: str, severity: str) -> None:
    doc = without_plans(program)
    assert_boundary(doc, "plan.exists", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "plan.exists"]
    assert [(f.severity, f.path) for f in found] == [(severity, "/participant")]


# --- casenote.per_service -----------------------------------------------------------------------


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_casenote_per_service(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    doc["plans"][0]["services"].append(new_service("S5", EVENT, type="prevocational", name="Prevocational"))
    assert_boundary(doc, "casenote.per_service", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "casenote.per_service"]
    assert [f.path for f in found] == ["/plans/0/services/4"]
    doc["case_notes"].append(case_note("CN-4020", "service", EVENT, service_ids=["S5"]))
    assert not fires(doc, "casenote.per_service", deadline + DAY, settings)


def test_casenote_per_service_takes_services_from_every_version() -> None:
    doc = tracking()
    v2 = with_version_2(doc, dt.date(2025, 5, 9))
    doc["case_notes"].append(update_note(version=2))
    doc["plans"][0]["services"].append(new_service("S5", dt.date(2025, 3, 3)))  # only in version 1
    found = [f for f in t_findings(doc, dt.date(2025, 6, 30), CALENDAR) if f.rule == "casenote.per_service"]
    assert [f.path for f in found] == ["/plans/0/services/4"]
    v2["services"].append(new_service("S5", dt.date(2025, 3, 3)))  # the latest version's copy wins
    found = [f for f in t_findings(doc, dt.date(2025, 6, 30), CALENDAR) if f.rule == "casenote.per_service"]
    assert [f.path for f in found] == ["/plans/1/services/4"]


# --- svc.open_notes -----------------------------------------------------------------------------


def without_open_services() -> Doc:
    """The tracking record with career planning (S3, its only open individualized service) ended."""
    doc = tracking()
    doc["plans"][0]["services"][2].update(end_on="2025-06-06", completion_status="successful")
    return doc


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_svc_open_notes_from_start(settings: Settings, deadline: dt.date) -> None:
    doc = without_open_services()
    start = EVENT - dt.timedelta(days=30)
    doc["plans"][0]["services"].append(new_service("S5", start))
    doc["case_notes"].append(case_note("CN-4020", "service", start, service_ids=["S5"]))  # not two-way
    assert_boundary(doc, "svc.open_notes", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "svc.open_notes"]
    assert [(f.severity, f.path) for f in found] == [("warning", "/plans/0/services/4")]


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_svc_open_notes_from_latest_two_way_note(settings: Settings, deadline: dt.date) -> None:
    doc = without_open_services()
    doc["plans"][0]["services"].append(new_service("S5", dt.date(2025, 5, 1)))
    doc["case_notes"].append(contact_note("CN-4020", EVENT - dt.timedelta(days=30), service_ids=["S5"]))
    assert_boundary(doc, "svc.open_notes", deadline, settings)


def test_svc_open_notes_only_open_individualized_training_supportive() -> None:
    doc = without_open_services()
    services = doc["plans"][0]["services"]
    as_of = dt.date(2025, 6, 30)
    services.append(new_service("S5", dt.date(2025, 3, 3)))
    doc["case_notes"].append(case_note("CN-4020", "service", dt.date(2025, 3, 3), service_ids=["S5"]))
    assert fires(doc, "svc.open_notes", as_of, CALENDAR)
    services[-1].update(end_on="2025-03-03", completion_status="successful")
    assert not fires(doc, "svc.open_notes", as_of, CALENDAR)
    services[-1] = new_service("S5", dt.date(2025, 3, 3), type="labor_market_info", category="basic_career")
    assert not fires(doc, "svc.open_notes", as_of, CALENDAR)
    services[-1] = new_service(
        "S5",
        dt.date(2025, 3, 3),
        type="supportive_service",
        category="supportive",
        supportive_kind="transportation",
    )
    assert fires(doc, "svc.open_notes", as_of, CALENDAR)


# --- training case notes ------------------------------------------------------------------------


def training_need(occurred_on: dt.date) -> Doc:
    return case_note(
        "CN-4021",
        "training_need",
        occurred_on,
        service_ids=["S5"],
        details={
            "training_program": "Warehouse automation certificate",
            "suitability": "Fits interests and local demand.",
            "topics_discussed": [
                "local_labor_market_conditions",
                "local_employer_skill_demands",
                "hiring_prerequisites",
                "in_demand_occupations",
            ],
        },
    )


def training_begin(occurred_on: dt.date, service_id: str = "S5") -> Doc:
    return case_note(
        "CN-4022",
        "training_begin",
        occurred_on,
        service_ids=[service_id],
        details={
            "training_begin_on": iso(occurred_on),
            "training_program": "Warehouse automation certificate",
            "training_provider": "Example Community College",
            "approximate_cost": 3200.0,
            "planned_end_on": "2025-12-19",
        },
    )


def training_end(occurred_on: dt.date, service_id: str = "S5") -> Doc:
    return case_note(
        "CN-4023",
        "training_end",
        occurred_on,
        service_ids=[service_id],
        details={
            "training_end_on": iso(occurred_on),
            "training_program": "Warehouse automation certificate",
            "completed": True,
            "credential_status": "attained",
        },
    )


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_casenote_training_need_exists(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    doc["plans"][0]["services"].append(training_service("S5", EVENT))
    doc["case_notes"].append(training_begin(EVENT))
    assert_boundary(doc, "casenote.training_need_exists", deadline, settings)
    found = [
        f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "casenote.training_need_exists"
    ]
    assert [f.path for f in found] == ["/plans/0/services/4"]
    doc["case_notes"].append(training_need(EVENT + DAY))  # after the training started: too late
    assert fires(doc, "casenote.training_need_exists", deadline + DAY, settings)
    doc["case_notes"][-1] = training_need(EVENT)
    assert not fires(doc, "casenote.training_need_exists", deadline + DAY, settings)


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_casenote_training_begin_exists(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    doc["plans"][0]["services"].append(training_service("S5", EVENT))
    doc["case_notes"].append(training_need(dt.date(2025, 6, 20)))
    assert_boundary(doc, "casenote.training_begin_exists", deadline, settings)
    doc["case_notes"].append(training_begin(EVENT, service_id="S3"))  # about another service
    assert fires(doc, "casenote.training_begin_exists", deadline + DAY, settings)
    doc["case_notes"][-1] = training_begin(EVENT)
    assert not fires(doc, "casenote.training_begin_exists", deadline + DAY, settings)


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_casenote_training_end_exists(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    start = dt.date(2025, 5, 5)
    doc["plans"][0]["services"].append(
        training_service("S5", start, end_on=iso(EVENT), completion_status="successful")
    )
    doc["case_notes"] += [training_need(dt.date(2025, 4, 30)), training_begin(start)]
    assert_boundary(doc, "casenote.training_end_exists", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "casenote.training_end_exists"]
    assert [f.path for f in found] == ["/plans/0/services/4/end_on"]
    doc["case_notes"].append(training_end(EVENT))
    assert not fires(doc, "casenote.training_end_exists", deadline + DAY, settings)


def test_casenote_training_end_exists_not_while_open() -> None:
    doc = tracking()
    start = dt.date(2025, 5, 5)
    doc["plans"][0]["services"].append(training_service("S5", start))
    doc["case_notes"] += [training_need(dt.date(2025, 4, 30)), training_begin(start)]
    assert not fires(doc, "casenote.training_end_exists", dt.date(2025, 6, 30), CALENDAR)


# --- svc.closure_deadline -----------------------------------------------------------------------


@pytest.mark.parametrize("settings", BOTH)
def test_svc_closure_deadline(settings: Settings) -> None:
    doc = tracking()
    doc["plans"][0]["services"].append(
        new_service(
            "S5", dt.date(2025, 5, 1), type="planned_gap", category="planned_gap", planned_end_on=iso(EVENT)
        )
    )
    doc["plans"][0]["services"][-1]["description"] = "Waiting for the next training cohort."
    # planned end + CLOSURE_OUTCOME_DEADLINE_DAYS (10 calendar days) whatever ENTRY_DEADLINE says
    assert_boundary(doc, "svc.closure_deadline", dt.date(2025, 7, 13), settings)
    found = [f for f in t_findings(doc, dt.date(2025, 7, 14), settings) if f.rule == "svc.closure_deadline"]
    assert [(f.severity, f.path) for f in found] == [("warning", "/plans/0/services/4/end_on")]
    five = Settings(
        ENTRY_DEADLINE=settings.ENTRY_DEADLINE,
        BUSINESS_HOLIDAYS=settings.BUSINESS_HOLIDAYS,
        CLOSURE_OUTCOME_DEADLINE_DAYS=5,
    )
    assert_boundary(doc, "svc.closure_deadline", dt.date(2025, 7, 8), five)
    doc["plans"][0]["services"][-1].update(end_on=iso(EVENT), completion_status="successful")
    assert not fires(doc, "svc.closure_deadline", dt.date(2025, 7, 14), settings)


# --- exit.case_note, exit.soft, exit.no_contact, followup.12m -----------------------------------


@pytest.mark.parametrize(("settings", "deadline"), DEADLINES)
def test_exit_case_note(settings: Settings, deadline: dt.date) -> None:
    doc = tracking()
    exit_participant(doc, EVENT)
    assert_boundary(doc, "exit.case_note", deadline, settings)
    found = [f for f in t_findings(doc, deadline + DAY, settings) if f.rule == "exit.case_note"]
    assert [f.path for f in found] == ["/participant/exit"]
    doc["case_notes"].append(
        case_note(
            "CN-4020",
            "exit",
            EVENT,
            details={"exit_on": iso(EVENT), "employment_status": "not_employed"},
        )
    )
    assert not fires(doc, "exit.case_note", deadline + DAY, settings)


def idle_since(last_service: dt.date) -> Doc:
    """The exit-preventing services (S1-S3, individualized career) all ended by `last_service`."""
    doc = tracking()
    s3 = doc["plans"][0]["services"][2]
    s3.update(end_on=iso(last_service), completion_status="successful")
    return doc


@pytest.mark.parametrize("settings", BOTH)
def test_exit_soft(settings: Settings) -> None:
    doc = idle_since(EVENT - dt.timedelta(days=90))  # S4 (basic career) stays open: it does not count
    assert_boundary(doc, "exit.soft", EVENT, settings)
    found = [f for f in t_findings(doc, EVENT + DAY, settings) if f.rule == "exit.soft"]
    assert [(f.severity, f.path) for f in found] == [("warning", "/participant")]
    assert "2025-04-04" in found[0].message  # the effective exit date to use


def test_exit_soft_setting_and_exited_participants() -> None:
    doc = idle_since(EVENT - dt.timedelta(days=90))
    assert fires(doc, "exit.soft", EVENT, Settings(SOFT_EXIT_DAYS=89))
    exit_participant(doc, dt.date(2025, 6, 1))
    assert not fires(doc, "exit.soft", EVENT + DAY, CALENDAR)


def test_exit_soft_open_service_past_its_planned_end() -> None:
    doc = tracking()
    s3 = doc["plans"][0]["services"][2]
    assert not fires(doc, "exit.soft", dt.date(2025, 12, 31), CALENDAR)  # open, no planned end: ongoing
    s3["planned_end_on"] = "2025-04-04"
    assert_boundary(doc, "exit.soft", EVENT, CALENDAR)


def test_exit_soft_planned_gap_holds_it_off() -> None:
    doc = idle_since(dt.date(2025, 4, 4))
    doc["plans"][0]["services"].append(
        new_service(
            "S5",
            dt.date(2025, 4, 4),
            type="planned_gap",
            category="planned_gap",
            planned_end_on="2025-06-30",
            description="Waiting for the next training cohort.",
        )
    )
    assert not fires(doc, "exit.soft", dt.date(2025, 9, 28), CALENDAR)  # 90 days after the gap's end
    assert fires(doc, "exit.soft", dt.date(2025, 9, 29), CALENDAR)


def test_exit_soft_training_not_yet_started_does_not_hold_it_off() -> None:
    doc = idle_since(dt.date(2025, 4, 4))
    doc["plans"][0]["services"].append(training_service("S5", dt.date(2025, 8, 4)))
    assert fires(doc, "exit.soft", EVENT + DAY, CALENDAR)


def no_contact_since(last_contact: dt.date, attempts: int) -> Doc:
    doc = tracking()
    move_note(doc, "CN-4007", last_contact)
    # The three later contacts become unsuccessful attempts.
    later = ["CN-4008", "CN-4009", "CN-4011"]
    for note_id in later:
        note(doc, note_id)["contact"]["two_way"] = False
    for note_id in later[attempts:]:
        drop_note(doc, note_id)
    return doc


@pytest.mark.parametrize("settings", BOTH)
def test_exit_no_contact(settings: Settings) -> None:
    doc = no_contact_since(EVENT - dt.timedelta(days=90), attempts=2)  # last contact 2025-04-04
    assert_boundary(doc, "exit.no_contact", EVENT, settings)
    found = [f for f in t_findings(doc, EVENT + DAY, settings) if f.rule == "exit.no_contact"]
    assert [(f.severity, f.path) for f in found] == [("warning", "/participant")]


def test_exit_no_contact_needs_two_attempts_and_uses_the_setting() -> None:
    assert not fires(
        no_contact_since(dt.date(2025, 4, 4), attempts=1), "exit.no_contact", EVENT + DAY, CALENDAR
    )
    doc = no_contact_since(dt.date(2025, 4, 4), attempts=3)
    assert fires(doc, "exit.no_contact", EVENT, Settings(NO_CONTACT_CLOSE_DAYS=89))
    exit_participant(doc, dt.date(2025, 6, 1))
    assert not fires(doc, "exit.no_contact", EVENT + DAY, CALENDAR)


@pytest.mark.parametrize("settings", BOTH)
def test_followup_12m(settings: Settings) -> None:
    doc = tracking()
    exit_participant(doc, dt.date(2025, 6, 6))
    end = dt.date(2026, 6, 6)  # exit + 12 months
    assert_boundary(doc, "followup.12m", end, settings)
    found = [f for f in t_findings(doc, end + DAY, settings) if f.rule == "followup.12m"]
    assert [(f.severity, f.path) for f in found] == [("warning", "/participant/exit")]
    follow_up = case_note(
        "CN-4020", "follow_up", end, details={"services_provided": "Checked in on job retention."}
    )
    doc["case_notes"].append(follow_up)
    assert not fires(doc, "followup.12m", end + DAY, settings)
    move_note(doc, "CN-4020", dt.date(2025, 6, 6))  # on the exit date: not after exit
    assert fires(doc, "followup.12m", end + DAY, settings)


def test_followup_months_setting_clamps_to_month_end() -> None:
    doc = tracking()
    exit_participant(doc, dt.date(2025, 8, 31))
    six = Settings(FOLLOW_UP_MONTHS=6)
    assert_boundary(doc, "followup.12m", dt.date(2026, 2, 28), six)
