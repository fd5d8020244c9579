"""Case-note rules (rules.md 2.7): narrative, dates and deadlines, and the details each note type requires."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy.s_rule_helpers import Doc, case_note, error_ids, iep, paths, settings, warning_ids

NOTE_TYPES = [
    "introduction",
    "assessment",
    "plan_development",
    "service",
    "contact",
    "training_need",
    "training_begin",
    "training_end",
    "barrier",
    "coordination",
    "iep_iss_review",
    "iep_iss_review_update",
    "participant_copy_provided",
    "exit",
    "follow_up",
    "general",
]
DELETE = object()


def changed(doc: Doc, path: str, value: Any) -> Doc:
    """`doc` with the value at `path` ("details/wage") replaced, or removed when `value` is DELETE."""
    *parents, last = path.split("/")
    target = doc
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize("note_type", NOTE_TYPES)
def test_valid_case_notes_raise_nothing(note_type: str) -> None:
    note = case_note(note_type)
    assert error_ids(note) == set()
    assert warning_ids(note) == set()


@pytest.mark.parametrize("value", ["", "   ", DELETE])
def test_narrative_required(value: Any) -> None:
    note = changed(case_note("general"), "narrative", value)
    assert error_ids(note) == {"casenote.narrative"}
    assert paths(note, "casenote.narrative") == ["/narrative"]


# --- dates --------------------------------------------------------------------------------------


def contact_note(occurred_on: str, recorded_at: str) -> Doc:
    return changed(changed(case_note("contact"), "occurred_on", occurred_on), "recorded_at", recorded_at)


def test_note_about_a_later_day_is_refused() -> None:
    assert error_ids(contact_note("2025-02-24", "2025-02-24T08:00:00-06:00")) == set()
    note = contact_note("2025-02-25", "2025-02-24T08:00:00-06:00")
    assert error_ids(note) == {"casenote.not_future"}
    assert paths(note, "casenote.not_future") == ["/occurred_on"]


def test_not_future_uses_the_date_in_the_timestamps_own_offset() -> None:
    # 23:30 in Chicago on the 24th is already the 25th in UTC; the note's local date is the 24th.
    assert error_ids(contact_note("2025-02-25", "2025-02-24T23:30:00-06:00")) == {"casenote.not_future"}
    assert error_ids(contact_note("2025-02-25", "2025-02-25T00:30:00+01:00")) == set()


def test_entry_deadline_ten_calendar_days() -> None:
    # Contact on Monday 2025-02-24: D = 2025-03-06.
    assert warning_ids(contact_note("2025-02-24", "2025-03-06T23:59:00-06:00")) == set()
    late = contact_note("2025-02-24", "2025-03-07T08:00:00-06:00")
    assert error_ids(late) == set()
    assert warning_ids(late) == {"entry.deadline"}
    assert paths(late, "entry.deadline") == ["/recorded_at"]


def test_entry_deadline_three_business_days() -> None:
    three_days = settings(ENTRY_DEADLINE="3_business_days")
    # Monday 2025-02-24: D = Thursday 2025-02-27.
    assert warning_ids(contact_note("2025-02-24", "2025-02-27T17:00:00-06:00"), three_days) == set()
    assert warning_ids(contact_note("2025-02-24", "2025-02-28T09:00:00-06:00"), three_days) == {
        "entry.deadline"
    }
    # Friday 2025-02-28: the weekend is not counted, D = Wednesday 2025-03-05.
    assert warning_ids(contact_note("2025-02-28", "2025-03-05T17:00:00-06:00"), three_days) == set()
    assert warning_ids(contact_note("2025-02-28", "2025-03-06T09:00:00-06:00"), three_days) == {
        "entry.deadline"
    }


def test_entry_deadline_skips_business_holidays() -> None:
    with_holiday = settings(ENTRY_DEADLINE="3_business_days", BUSINESS_HOLIDAYS=["2025-02-25"])
    assert warning_ids(contact_note("2025-02-24", "2025-02-28T09:00:00-06:00"), with_holiday) == set()
    assert warning_ids(contact_note("2025-02-24", "2025-03-03T09:00:00-06:00"), with_holiday) == {
        "entry.deadline"
    }


def service_recorded(recorded_at: str, index: int = 0) -> Doc:
    plan = iep()  # S1 starts 2025-01-20: D = 2025-01-30
    plan["services"][index]["recorded_at"] = recorded_at
    return plan


def test_entry_deadline_of_a_plan_service() -> None:
    assert warning_ids(service_recorded("2025-01-30T17:00:00-06:00")) == set()
    late = service_recorded("2025-01-31T08:00:00-06:00")
    assert error_ids(late) == set()
    assert warning_ids(late) == {"entry.deadline"}
    assert paths(late, "entry.deadline") == ["/services/0/recorded_at"]


def test_entry_deadline_of_a_service_follows_the_setting() -> None:
    # Monday 2025-01-20 + 3 business days = Thursday 2025-01-23.
    three_days = settings(ENTRY_DEADLINE="3_business_days")
    assert warning_ids(service_recorded("2025-01-23T17:00:00-06:00"), three_days) == set()
    assert warning_ids(service_recorded("2025-01-24T08:00:00-06:00"), three_days) == {"entry.deadline"}


def test_service_without_recorded_at_is_not_checked() -> None:
    plan = iep()
    assert all("recorded_at" not in s for s in plan["services"][1:])
    assert warning_ids(plan) == set()


def training_end(recorded_at: str) -> Doc:
    # Credential learned 2025-09-03; the note is about 2025-09-10 so that entry.deadline stays quiet.
    note = changed(case_note("training_end"), "occurred_on", "2025-09-10")
    return changed(note, "recorded_at", recorded_at)


def test_credential_entered_within_ten_days() -> None:
    assert warning_ids(training_end("2025-09-13T17:00:00-05:00")) == set()
    late = training_end("2025-09-14T08:00:00-05:00")
    assert error_ids(late) == set()
    assert warning_ids(late) == {"outcome.deadline"}
    assert paths(late, "outcome.deadline") == ["/recorded_at"]


def test_credential_deadline_setting() -> None:
    assert (
        warning_ids(training_end("2025-09-14T08:00:00-05:00"), settings(CLOSURE_OUTCOME_DEADLINE_DAYS=11))
        == set()
    )
    assert warning_ids(
        training_end("2025-09-12T08:00:00-05:00"), settings(CLOSURE_OUTCOME_DEADLINE_DAYS=8)
    ) == {"outcome.deadline"}


def test_no_credential_date_no_outcome_deadline() -> None:
    note = changed(training_end("2025-09-20T08:00:00-05:00"), "details/credential_learned_on", DELETE)
    assert warning_ids(note) == set()


# --- details by type ----------------------------------------------------------------------------

MISSING = [
    ("introduction", "details/status_at_participation", DELETE, "casenote.introduction"),
    ("introduction", "details/need_for_services", " ", "casenote.introduction"),
    ("assessment", "details/assessment_id", DELETE, "casenote.assessment"),
    ("plan_development", "plan_id", DELETE, "casenote.plan_development"),
    ("plan_development", "details/plan_version", DELETE, "casenote.plan_development"),
    ("plan_development", "details/developed_jointly", False, "casenote.plan_development"),
    ("plan_development", "details/developed_jointly", DELETE, "casenote.plan_development"),
    ("service", "service_ids", [], "casenote.service"),
    ("service", "service_ids", DELETE, "casenote.service"),
    ("contact", "contact/mode", DELETE, "casenote.contact"),
    ("contact", "contact/two_way", DELETE, "casenote.contact"),
    ("training_need", "details/training_program", "", "casenote.training_need"),
    ("training_need", "details/suitability", DELETE, "casenote.training_need"),
    (
        "training_need",
        "details/topics_discussed",
        ["local_labor_market_conditions"],
        "casenote.training_need",
    ),
    ("training_begin", "details/training_begin_on", DELETE, "casenote.training_begin"),
    ("training_begin", "details/training_program", DELETE, "casenote.training_begin"),
    ("training_begin", "details/training_provider", " ", "casenote.training_begin"),
    ("training_begin", "details/approximate_cost", DELETE, "casenote.training_begin"),
    ("training_begin", "details/planned_end_on", DELETE, "casenote.training_begin"),
    ("training_end", "details/training_end_on", DELETE, "casenote.training_end"),
    ("training_end", "details/training_program", DELETE, "casenote.training_end"),
    ("training_end", "details/completed", DELETE, "casenote.training_end"),
    ("training_end", "details/credential_status", DELETE, "casenote.training_end"),
    ("barrier", "details/barrier_category", DELETE, "casenote.barrier"),
    ("barrier", "details/how_addressed", "", "casenote.barrier"),
    ("barrier", "details/by_whom", DELETE, "casenote.barrier"),
    ("barrier", "details/by_whom/name", " ", "casenote.barrier"),
    ("coordination", "details/partner_program", " ", "casenote.coordination"),
    ("iep_iss_review", "plan_id", DELETE, "casenote.review"),
    ("iep_iss_review", "details/plan_version", DELETE, "casenote.review"),
    ("iep_iss_review", "details/on_track", False, "casenote.review"),
    ("iep_iss_review", "details/changes_made", True, "casenote.review"),
    ("iep_iss_review_update", "plan_id", DELETE, "casenote.review_update"),
    ("iep_iss_review_update", "details/plan_version", DELETE, "casenote.review_update"),
    ("iep_iss_review_update", "details/changes_made", False, "casenote.review_update"),
    ("iep_iss_review_update", "details/agreed_with_participant", False, "casenote.review_update"),
    ("iep_iss_review_update", "details/change_summary", "", "casenote.review_update"),
    ("participant_copy_provided", "plan_id", DELETE, "casenote.copy_provided"),
    ("participant_copy_provided", "details/plan_version", DELETE, "casenote.copy_provided"),
    ("participant_copy_provided", "details/provided_on", DELETE, "casenote.copy_provided"),
    ("participant_copy_provided", "details/method", DELETE, "casenote.copy_provided"),
    ("exit", "details/exit_on", DELETE, "casenote.exit"),
    ("exit", "details/employment_status", DELETE, "casenote.exit"),
    ("exit", "details/employer_name", " ", "casenote.exit"),
    ("exit", "details/hire_date", DELETE, "casenote.exit"),
    ("exit", "details/hours_per_week", DELETE, "casenote.exit"),
    ("exit", "details/wage", DELETE, "casenote.exit"),
    ("exit", "details/wage_unit", DELETE, "casenote.exit"),
]


@pytest.mark.parametrize(("note_type", "path", "value", "rule"), MISSING)
def test_required_detail_missing(note_type: str, path: str, value: Any, rule: str) -> None:
    note = changed(case_note(note_type), path, value)
    assert error_ids(note) == {rule}
    assert paths(note, rule) == ["/" + path]


def test_contact_note_without_contact() -> None:
    note = changed(case_note("contact"), "contact", DELETE)
    assert error_ids(note) == {"casenote.contact"}
    assert paths(note, "casenote.contact") == ["/contact/mode", "/contact/two_way"]


def test_unsuccessful_contact_attempt_is_a_valid_contact_note() -> None:
    note = changed(case_note("contact"), "contact/two_way", False)
    assert error_ids(note) == set()


def test_training_begin_without_details() -> None:
    note = changed(case_note("training_begin"), "details", DELETE)
    assert error_ids(note) == {"casenote.training_begin"}
    assert len(paths(note, "casenote.training_begin")) == 5


def test_exit_not_employed_needs_no_employer() -> None:
    note = case_note("exit")
    note["details"] = {"exit_on": "2025-09-26", "employment_status": "not_employed"}
    assert error_ids(note) == set()


@pytest.mark.parametrize("keep", ["services_provided", "information_provided"])
def test_follow_up_needs_services_or_information(keep: str) -> None:
    note = case_note("follow_up")
    drop = {"services_provided", "information_provided"} - {keep}
    for field in drop:
        del note["details"][field]
    assert error_ids(note) == set()
    del note["details"][keep]
    assert error_ids(note) == {"casenote.follow_up"}
    assert paths(note, "casenote.follow_up") == ["/details/services_provided"]


def test_general_note_needs_only_a_narrative() -> None:
    note = case_note("general")
    assert set(note) == {
        "doc_type",
        "id",
        "participant_id",
        "type",
        "occurred_on",
        "recorded_at",
        "author",
        "narrative",
    }
    assert error_ids(note) == set()
