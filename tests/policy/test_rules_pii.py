"""pii.no_ssn on texts at the edges of its quick pass (length, digit count, non-ASCII digits) and on keys."""

from __future__ import annotations

from typing import Any

import pytest

from docgen.policy.context import Context
from docgen.policy.rules.document import pii_no_ssn
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
