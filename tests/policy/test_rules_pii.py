"""pii.no_ssn on texts at the edges of its quick pass (over the JSON text: escapes, non-ASCII digits, what is not
JSON) and on keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.policy.context import Context
from docgen.policy.rules.document import _may_hold_ssn, _text_holds_ssn, pii_no_ssn
from docgen.policy.settings import Settings


def violations(doc: dict[str, Any]) -> list[str]:
    return [v.path for v in pii_no_ssn(doc, Context(Settings()))]


@pytest.mark.parametrize(
    "text",
    [
        "123-45-6789",  # the shortest formatted SSN: 11 characters
        "123 45 6789",
        "ssn123456789",  # the shortest labelled one: 12 characters
        "Her SS# is 123456789.",
        "Social Security: 123456789",
        "SSN \u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",  # Arabic-Indic digits match \d too
        "\u0661\u0662\u0663-\u0664\u0665-\u0666\u0667\u0668\u0669",
        "résumé lists 123-45-6789",
        "x" * 5000 + " 123-45-6789",
    ],
)
def test_text_holding_an_ssn_is_found_at_its_path(text: str) -> None:
    doc = {"doc_type": "case_note", "notes": [{"text": "fine"}, {"text": text}]}
    assert violations(doc) == ["/notes/1/text"]


@pytest.mark.parametrize(
    "text",
    [
        "123-45-678",  # 8 digits
        "1234-56-7890",  # a digit too many before the first dash
        "call 555-123-4567",  # a phone number
        "review by 2025-04-21 and 2025-05-30",  # 16 digits, but no SSN shape
        "ssn 12345678",
        "123456789",  # 9 digits with no label
        "",
    ],
)
def test_text_without_an_ssn_passes(text: str) -> None:
    assert violations({"doc_type": "case_note", "text": text}) == []


def test_keys_naming_an_ssn_are_found_but_not_ssn_last4() -> None:
    doc = {
        "doc_type": "participant",
        "ssn_last4": "6789",
        "extra": {"SSN_LAST4": "6789", "social_security": 1},
    }
    assert sorted(violations(doc)) == ["/extra/SSN_LAST4", "/extra/social_security"]


def test_keys_that_are_not_text_are_ignored() -> None:
    assert violations({"doc_type": "record", "n": {1: "a", (2, 3): "b"}}) == []


# The quick pass reads the document's JSON text: what that text changes must not hide an SSN from it.
@pytest.mark.parametrize(
    "doc",
    [
        {"doc_type": "case_note", "text": "SSN:\n123456789"},  # an escaped control character in the gap
        {"doc_type": "case_note", "text": 'SSN "quoted"\\ 123456789'},  # escaped quotes and backslash
        {"doc_type": "case_note", "text": "\x01123-45-6789\x02"},  # escapes (\u0001) either side add digits
        {"doc_type": "record", "big": 2**70, "text": "123-45-6789"},  # not JSON data: the walk decides
        {"doc_type": "record", "amount": Decimal("1.5"), "text": "123-45-6789"},
        {"doc_type": "record", 7: "x", "text": "123-45-6789"},  # a key that is not text
    ],
)
def test_the_quick_pass_lets_every_ssn_through(doc: dict[str, Any]) -> None:
    assert violations(doc) == ["/text"]


def test_keys_in_any_case_are_found() -> None:
    doc = {"doc_type": "participant", "SSN": "x", "Social_Security_Number": "x", "ssn_last4": "6789"}
    assert sorted(violations(doc)) == ["/SSN", "/Social_Security_Number"]


_PIECES = [
    "ss#",
    "SSN",
    "Social Security",
    ": ",
    "123",
    "45",
    "6789",
    "0",
    "-",
    " ",
    "\n",
    "\x01",
    '"',
    "\\",
    "é",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "\u0661\u0662\u0663"]), max_size=12).map("".join))
def test_the_quick_pass_never_says_no_to_a_text_the_patterns_match(text: str) -> None:
    if _text_holds_ssn(text):
        assert _may_hold_ssn({"doc_type": "case_note", "notes": [{"text": text}]})


def test_ssn_last4_alone_skips_the_walk_but_other_spellings_do_not() -> None:
    assert not _may_hold_ssn({"doc_type": "participant", "ssn_last4": "6789", "born_on": "1990-01-02"})
    assert _may_hold_ssn({"doc_type": "participant", "SSN_LAST4": "6789"})
    # A key that only ends in `"ssn_last4` (its quote escaped in JSON text) is not the allowed key.
    assert violations({"doc_type": "participant", 'a"ssn_last4': "6789"}) == ['/a"ssn_last4']
    assert _may_hold_ssn({"doc_type": "participant", "note": "SSN on file"})
