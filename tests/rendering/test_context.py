"""Contract document -> template context: formatting, labels, Decimal money, SSN, blocks that must exist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from docgen.rendering.context import (
    CHECKED,
    NONE,
    UNCHECKED,
    ContextError,
    build_context,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_timestamp,
    template_kind,
    to_decimal,
)
from tests.fixtures import load_fixture
from tests.rendering.conftest import adult_record, documents, youth_record
from tests.rendering.helpers import LOCAL_AREA, ORGANISATION


def _context(document: dict[str, Any], participant: dict[str, Any] | None, **kw: Any) -> dict[str, Any]:
    return build_context(
        document, participant=participant, organisation=ORGANISATION, local_area=LOCAL_AREA, **kw
    )


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, str)


@pytest.mark.parametrize("name", sorted(documents()))
def test_context_is_plain_strings(name: str) -> None:
    document, participant = documents()[name]
    assert _plain(_context(document, participant))


def test_formats() -> None:
    assert fmt_date("2025-01-27") == "January 27, 2025"
    assert fmt_date(None) == NONE
    assert fmt_money(4800.0) == "$4,800.00"
    assert fmt_money(1234567.5) == "$1,234,567.50"
    assert fmt_money(2.675) == "$2.68"  # Decimal from the JSON text, not the binary float 2.67499...
    assert fmt_money(None) == NONE
    assert to_decimal(0.1) + to_decimal(0.2) == Decimal("0.3")
    assert fmt_timestamp("2025-03-04T09:30:00-06:00") == "March 4, 2025, 9:30 AM (UTC−06:00)"
    assert (
        fmt_timestamp("2025-03-04T15:30:00Z", "America/Chicago")
        == "March 4, 2025, 9:30 AM CST (America/Chicago)"
    )


def test_money_total_is_exact_decimal() -> None:
    record = adult_record()
    plan = record["plans"][0]
    for service, cost in zip(plan["services"], [0.1, 0.2, None, 4800.0, 450.0], strict=True):
        service.pop("approximate_cost", None)
        if cost is not None:
            service["approximate_cost"] = cost
    context = _context(plan, record["participant"])
    assert context["services_total_cost"] == "$5,250.30"
    assert [s["approximate_cost"] for s in context["services"]] == [
        "$0.10",
        "$0.20",
        NONE,
        "$4,800.00",
        "$450.00",
    ]


def test_codes_become_labels() -> None:
    record = adult_record()
    context = _context(record["plans"][0], record["participant"])
    assert context["plan"]["kind"] == "Individual Employment Plan (IEP)"
    assert context["goals"][0]["term"] == "Short-term"
    assert context["barriers"][0]["by_whom"] == "Jordan Example (Career planner)"
    assert context["performance_links"][0]["label"] == "Employment rate, 2nd quarter after exit"
    assert context["participant"]["preferred_language"] == "English (en)"
    assert (
        context["signatures"]["participant"]["signature"] == "Signed electronically (record esign-env-1001)"
    )
    assert context["signatures"]["participant"]["date"] == "January 27, 2025"


def test_ssn_is_last_four_only() -> None:
    record = adult_record()
    assert _context(record["plans"][0], record["participant"])["participant"]["ssn_last4"] == "0000"
    for bad in ("123-45-6789", "123456789", "12345", "abcd"):
        record["participant"]["ssn_last4"] = bad
        with pytest.raises(ContextError):
            _context(record["plans"][0], record["participant"])
    del record["participant"]["ssn_last4"]
    assert _context(record["plans"][0], record["participant"])["participant"]["ssn_last4"] == NONE


def test_youth_elements_all_fourteen_ticked_as_documented() -> None:
    record = youth_record()
    context = _context(record["plans"][0], record["participant"])
    elements = context["youth_elements"]
    assert [e["number"] for e in elements] == [str(n) for n in range(1, 15)]
    ticked = {e["name"] for e in elements if e["mark"] == CHECKED}
    assert len(ticked) == len(record["plans"][0]["youth_elements"]) == 4
    assert sum(e["mark"] == UNCHECKED for e in elements) == 10
    assert [g["id"] for g in context["education_goals"]] == ["G1"]
    assert context["education_goals"][0]["linked_goal"].startswith("G2 Obtain full-time employment")


def test_missing_signatory_keeps_a_blank_block() -> None:
    record = adult_record()
    plan = record["plans"][0]
    plan["signatories"] = [s for s in plan["signatories"] if s["role"] != "career_planner"]
    block = _context(plan, record["participant"])["signatures"]["career_planner"]
    assert block == {"role": "Career planner", "name": "", "title": "", "signature": "", "date": ""}


def test_mou_signature_block_for_every_party() -> None:
    mou = load_fixture("valid-mou.json")
    mou["signatories"] = [s for s in mou["signatories"] if s["party_id"] != "ORG"]
    context = _context(mou, None)
    assert [s["party"] for s in context["signatures"]] == [
        "Example Skills Alliance", "Example Workforce Board", "Example Community College",
    ]  # fmt: skip
    assert context["signatures"][2]["name"] == ""
    assert [s["name"] for s in context["certifier_signatures"]] == ["Riley Placeholder"]
    required = [r["role"] for r in context["roles"]][:5]
    assert required == [
        "Recruitment", "Eligibility determination", "Enrollment", "Performance requirements", "Strategies",
    ]  # fmt: skip


def test_mou_missing_required_role_is_shown_as_not_stated() -> None:
    mou = load_fixture("valid-mou.json")
    mou["roles"] = [r for r in mou["roles"] if r["role"] != "enrollment"]
    roles = {r["role"]: r for r in _context(mou, None)["roles"]}
    assert roles["Enrollment"]["description"] == "Not stated"


def test_case_note_details_by_type() -> None:
    participant = adult_record()["participant"]
    context = _context(load_fixture("valid-case_note-training_begin.json"), participant)
    assert {"label": "Approximate cost", "value": "$4,800.00"} in context["details"]
    assert context["note"]["recorded_at"] == "March 4, 2025, 9:30 AM (UTC−06:00)"
    exit_note = _context(load_fixture("valid-case_note-exit.json"), participant)
    assert {"label": "Wage", "value": "$24.50"} in exit_note["details"]
    assert {"label": "Hours per week", "value": "40"} in exit_note["details"]
    general = _context(load_fixture("valid-case_note-general.json"), participant)
    assert general["details"] == [{"label": "Details", "value": "None for this type of note"}]


def test_wrong_inputs_are_refused() -> None:
    record = adult_record()
    with pytest.raises(ContextError):
        _context(record["plans"][0], youth_record()["participant"])  # not the plan's participant
    with pytest.raises(ContextError):
        _context(record["plans"][0], None)
    with pytest.raises(ContextError):
        template_kind(record["assessments"][0])
    assert template_kind(youth_record()["plans"][0]) == "iss"


# Values at the edges of what Decimal and datetime can hold: a ContextError (the API's 422), never a crash.
OUT_OF_RANGE_NUMBERS = {
    "1e308": 1e308,
    "1e999999": "1e999999",
    "5000-digit int": 10**5000,
    "nan": float("nan"),
    "infinity": float("inf"),
    "-Infinity": "-Infinity",
    "0E-999999999": Decimal("0E-999999999"),  # 'f' formatting would print a billion zeros
    "5e-324": 5e-324,
}


@pytest.mark.parametrize("value", OUT_OF_RANGE_NUMBERS.values(), ids=OUT_OF_RANGE_NUMBERS.keys())
def test_out_of_range_numbers_are_context_errors(value: Any) -> None:
    with pytest.raises(ContextError):
        fmt_money(value)
    with pytest.raises(ContextError):
        fmt_number(value)


def test_large_numbers_in_range_still_print() -> None:
    assert fmt_money("999999999999999999.99") == "$999,999,999,999,999,999.99"
    assert fmt_money(0.1 + 0.2) == "$0.30"
    assert fmt_number(40.0) == "40"


@pytest.mark.parametrize(
    ("value", "tz"),
    [("0001-01-01T00:00:00+14:00", "America/Chicago"), ("9999-12-31T23:59:59-12:00", "Pacific/Kiritimati")],
)
def test_timestamps_with_no_local_time_are_context_errors(value: str, tz: str) -> None:
    with pytest.raises(ContextError, match="out of range"):
        fmt_timestamp(value, tz)
    assert fmt_timestamp(value).endswith(")")  # in its own offset it exists and prints


def test_unknown_time_zone_is_a_context_error() -> None:
    for tz in ("Not/AZone", "../etc/passwd"):
        with pytest.raises(ContextError, match="time zone"):
            fmt_timestamp("2025-03-04T15:30:00Z", tz)


def test_documents_with_out_of_range_values_are_context_errors() -> None:
    participant = adult_record()["participant"]
    note = load_fixture("valid-case_note-contact.json")
    note["recorded_at"] = "0001-01-01T00:00:00+14:00"
    with pytest.raises(ContextError):
        _context(note, participant, tz="America/Chicago")
    record = adult_record()
    plan = record["plans"][0]
    plan["services"][0]["approximate_cost"] = 1e308
    with pytest.raises(ContextError):
        _context(plan, record["participant"])
    record = adult_record()
    plan = record["plans"][0]
    plan["signatories"][0]["signature"]["signed_at"] = "9999-12-31T23:59:59-12:00"
    with pytest.raises(ContextError):
        _context(plan, record["participant"], tz="Pacific/Kiritimati")
