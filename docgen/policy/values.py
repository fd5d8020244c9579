"""Reading contract values the way policy rules need them.

Policy rules run on schema-valid documents, but `policy` fields may be absent, and rules.md counts a text that is
empty or only whitespace as absent. These helpers also keep a rule from failing on an unexpected type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from docgen.policy.dates import parse_date

Doc = dict[str, Any]


def has_text(value: object) -> bool:
    """A `text` value that counts as present: a string with something besides whitespace."""
    return isinstance(value, str) and value.strip() != ""


def obj(value: object) -> Doc:
    """A nested object, or an empty one when absent."""
    return value if isinstance(value, dict) else {}


def items(value: object) -> Iterator[tuple[int, Doc]]:
    """(index, object) for each object of an array field; nothing when absent."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def strings(value: object) -> list[str]:
    """The strings of an array field (ids, codes); empty when absent."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def date_of(doc: Doc, key: str) -> dt.date | None:
    """The date in `doc[key]`, or None when absent."""
    return parse_date(doc.get(key))


def present(doc: Doc, key: str) -> bool:
    """A field is given: a non-blank text, or any other non-null value (date, number, boolean, code)."""
    value = doc.get(key)
    if isinstance(value, str):
        return has_text(value)
    return value is not None
