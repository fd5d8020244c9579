"""Participant rules (rules.md 2.2): youth status, application dates, 30-day eligibility, exit data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.policy.s_rule_helpers import (
    Doc,
    adult_participant,
    error_ids,
    paths,
    settings,
    warning_ids,
    youth_participant,
)


def with_exit(participant: Doc, exit_on: str, last_service_on: str) -> Doc:
    participant["exit"] = {
        "exit_on": exit_on,
        "exit_kind": "exit",
        "reason": "goals_attained",
        "last_service_on": last_service_on,
    }
    return participant


@pytest.mark.parametrize("participant", [adult_participant(), youth_participant()])
def test_valid_participants_raise_nothing(participant: Doc) -> None:
    assert error_ids(participant) == set()
    assert warning_ids(participant) == set()


def test_youth_status_required_for_youth() -> None:
    youth = youth_participant()
    del youth["youth_status"]
    assert error_ids(youth) == {"part.youth_status"}
    assert paths(youth, "part.youth_status") == ["/youth_status"]


def test_youth_status_forbidden_for_adult() -> None:
    adult = adult_participant()
    adult["youth_status"] = "in_school"
    assert error_ids(adult) == {"part.youth_status"}


def test_eligibility_before_application() -> None:
    adult = adult_participant()
    adult["applied_on"] = "2025-01-21"  # one day after determination and certification (2025-01-20)
    assert error_ids(adult) == {"part.dates"}
    assert paths(adult, "part.dates") == ["/eligibility_determined_on", "/certified_on"]


def test_application_on_the_certification_day_passes() -> None:
    adult = adult_participant()
    adult["applied_on"] = "2025-01-20"
    assert error_ids(adult) == set()


def test_certified_before_application_alone() -> None:
    adult = adult_participant()
    adult["certified_on"] = "2025-01-05"  # applied 2025-01-06
    assert error_ids(adult) == {"part.dates"}
    assert paths(adult, "part.dates") == ["/certified_on"]


def eligibility_after(days: int) -> Doc:
    adult = adult_participant()
    adult["applied_on"] = "2025-01-01"
    adult["eligibility_determined_on"] = (dt.date(2025, 1, 1) + dt.timedelta(days=days)).isoformat()
    adult["certified_on"] = adult["eligibility_determined_on"]
    return adult


def test_eligibility_on_day_30_passes() -> None:
    assert error_ids(eligibility_after(30)) == set()


def test_eligibility_on_day_31_fails() -> None:
    doc = eligibility_after(31)
    assert error_ids(doc) == {"elig.30days"}
    assert paths(doc, "elig.30days") == ["/eligibility_determined_on"]


def test_eligibility_max_days_setting() -> None:
    assert error_ids(eligibility_after(21), settings(ELIGIBILITY_MAX_DAYS=20)) == {"elig.30days"}
    assert error_ids(eligibility_after(20), settings(ELIGIBILITY_MAX_DAYS=20)) == set()
    assert error_ids(eligibility_after(30), settings(ELIGIBILITY_MAX_DAYS=45)) == set()


def test_exit_on_last_service_date_passes() -> None:
    doc = with_exit(adult_participant(), "2025-09-26", "2025-09-26")
    assert error_ids(doc) == set()
    assert warning_ids(doc) == set()


def test_exit_before_last_service() -> None:
    doc = with_exit(adult_participant(), "2025-09-25", "2025-09-26")
    assert error_ids(doc) == {"exit.data"}
    assert paths(doc, "exit.data") == ["/exit/last_service_on"]


def test_exit_before_certification() -> None:
    # Certified 2025-01-20; the exit on the certification date is the last that passes.
    assert error_ids(with_exit(adult_participant(), "2025-01-20", "2025-01-20")) == set()
    doc = with_exit(adult_participant(), "2025-01-19", "2025-01-19")
    assert error_ids(doc) == {"exit.data"}
    assert paths(doc, "exit.data") == ["/exit/exit_on"]


def test_exit_later_than_last_service_is_a_warning() -> None:
    doc = with_exit(adult_participant(), "2025-12-29", "2025-09-26")
    assert error_ids(doc) == set()
    assert warning_ids(doc) == {"exit.effective_date"}
    assert paths(doc, "exit.effective_date") == ["/exit/exit_on"]
