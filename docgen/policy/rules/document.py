"""Rules on any document: pii.no_ssn (runs first) and doc.schema (checked by docgen.contract)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import AppliesTo, Rule, add_rule, cite, register

ALL_DOCS: tuple[AppliesTo, ...] = ("participant", "assessment", "plan", "case_note", "mou", "record")

_SSN_KEY = re.compile(r"ssn|social_security", re.IGNORECASE)
_SSN_FORMATTED = re.compile(r"(?<!\d)\d{3}[- ]\d{2}[- ]\d{4}(?!\d)")
_SSN_LABELLED = re.compile(r"(?i)(ssn|ss#|social security)\D{0,20}(?<!\d)\d{9}(?!\d)")


@lru_cache(maxsize=4096)
def _names_ssn(key: str) -> bool:
    # The same few field names recur in every document: check each once per process.
    return key != "ssn_last4" and _SSN_KEY.search(key) is not None


@register(
    "pii.no_ssn",
    severity="error",
    scope="S",
    applies_to=ALL_DOCS,
    entity="all",
    description=(
        "No full Social Security number anywhere: no key other than `ssn_last4` may name an SSN, and no text "
        "may hold an SSN-shaped number. The value is never echoed."
    ),
    citations=(
        *cite("001_b3f9e53fd79f6b88.txt", "Must securely collect the required documentation"),
        *cite("003_35d1b20472689039.txt", "proper methods of handling customer information and data"),
    ),
)
def pii_no_ssn(doc: dict[str, Any], ctx: Context) -> Iterator[Violation]:
    # Iterative walk: hostile documents may nest deeply, and recursion would overflow. Paths are kept as
    # tuples and turned into pointers only for the rare violation.
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and _names_ssn(key):
                    yield Violation(
                        pointer(*parts, key),
                        "Field names may not hold a Social Security number; only `ssn_last4` (the last four "
                        "digits) is accepted.",
                    )
                elif isinstance(child, dict | list | str):
                    stack.append((child, (*parts, key)))
        elif isinstance(value, list):
            stack.extend(
                (child, (*parts, i)) for i, child in enumerate(value) if isinstance(child, dict | list | str)
            )
        elif isinstance(value, str) and (_SSN_FORMATTED.search(value) or _SSN_LABELLED.search(value)):
            yield Violation(
                pointer(*parts),
                "This text appears to contain a full Social Security number. Remove it: at most the last "
                "four digits may be kept, in the participant's `ssn_last4`.",
            )


# Checked by docgen.contract (marshmallow schemas); registered here for the catalogue and citations.
add_rule(
    Rule(
        "doc.schema",
        "error",
        "S",
        ALL_DOCS,
        "all",
        "Matches contract.md: doc_type, types, enums, formats, required fields, no unknown fields, no null; "
        "structural conditionals (partner_program when source = partner_program; tool name when tool = other; "
        "service category allowed for its type; supportive_kind iff category supportive, optional for partner).",
        cite("structural", "Matches contract.md."),
        None,
    )
)
