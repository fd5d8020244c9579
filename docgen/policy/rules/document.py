"""Rules on any document: pii.no_ssn (runs first) and doc.schema (checked by docgen.contract)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import orjson

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import AppliesTo, Rule, add_rule, cite, register

ALL_DOCS: tuple[AppliesTo, ...] = ("participant", "assessment", "plan", "case_note", "mou", "record")

_SSN_KEY = re.compile(r"ssn|social_security", re.IGNORECASE)
_SSN_FORMATTED = re.compile(r"(?<!\d)\d{3}[- ]\d{2}[- ]\d{4}(?!\d)")
_SSN_LABELLED = re.compile(r"(?i)(ssn|ss#|social security)\D{0,20}(?<!\d)\d{9}(?!\d)")


_CONTAINERS_AND_TEXT = (dict, list, str)


def _text_holds_ssn(text: str) -> bool:
    return (_SSN_FORMATTED.search(text) or _SSN_LABELLED.search(text)) is not None


@lru_cache(maxsize=4096)
def _names_ssn(key: object) -> bool:
    # The same few field names recur in every document: check each once per process.
    return isinstance(key, str) and key != "ssn_last4" and _SSN_KEY.search(key) is not None


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
# With every ASCII digit read as 0, what a match of either text pattern must contain: nine digits in a row
# (labelled), or 3-2-4 digits with dashes or spaces (formatted).
_SSN_SHAPES = (b"000000000", b"000-00-0000", b"000 00 0000", b"000-00 0000", b"000 00-0000")


def _may_hold_ssn(doc: Any) -> bool:
    """False only when nothing in `doc` can break the rule, told from a few passes in C over its JSON text; the
    walk with paths runs only when this says True (walking every text of every document was about 5% of an intake).

    JSON text holds every key and string as written, bar escapes (of quotes, backslashes and control characters),
    which never touch digits, dashes or spaces: a match stays in one piece. Text that is not ASCII goes to the
    walk, since \\d matches every Unicode digit and IGNORECASE folds some other letters to s; so does anything
    that is not JSON data (a caller's Python objects, integers past 64 bits)."""
    try:
        text = orjson.dumps(doc)
    except TypeError:
        return True
    if not text.isascii():
        return True
    # Key names: the one allowed key, exactly as written, is taken out. In orjson's compact text a key starts right
    # after { or , and a quote inside a string is always escaped, so only a whole key `ssn_last4` matches here.
    lowered = text.replace(b'{"ssn_last4":', b'{"":').replace(b',"ssn_last4":', b',"":').lower()
    if b"ssn" in lowered or b"social_security" in lowered:
        return True
    digits = text.translate(_DIGITS_AS_ZERO)
    return any(shape in digits for shape in _SSN_SHAPES)


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
    # A quick pass first; the walk that keeps paths (as tuples, turned into pointers) runs only for documents that
    # might break the rule. Iterative: hostile documents may nest deeply, and recursion would overflow.
    if not _may_hold_ssn(doc):
        return
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if _names_ssn(key):
                    yield Violation(
                        pointer(*parts, key),
                        "Field names may not hold a Social Security number; only `ssn_last4` (the last four "
                        "digits) is accepted.",
                    )
                elif isinstance(child, _CONTAINERS_AND_TEXT):
                    stack.append((child, (*parts, key)))
        elif isinstance(value, list):
            stack.extend(
                (child, (*parts, i))
                for i, child in enumerate(value)
                if isinstance(child, _CONTAINERS_AND_TEXT)
            )
        elif isinstance(value, str) and _text_holds_ssn(value):
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
