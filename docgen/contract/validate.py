"""`doc.schema`: every way a document departs from contract.md, as Violations with JSON Pointers.

The valid path is the compiled checker (docgen.contract.compiled); an invalid document goes through marshmallow,
whose error tree becomes one Violation per message, pointing at the offending field.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from marshmallow import Schema

from docgen.contract.compiled import Check, compile_schema
from docgen.contract.schemas import SCHEMAS_BY_DOC_TYPE, UNKNOWN_FIELD

if TYPE_CHECKING:
    from docgen.policy.findings import Violation

_log = logging.getLogger(__name__)

DOC_TYPES = ("participant", "assessment", "plan", "case_note", "mou", "record")

# Enough to fix a document by; a hostile one could otherwise yield a finding per array item.
MAX_VIOLATIONS = 200

_SCHEMAS: dict[str, Schema] = {doc_type: SCHEMAS_BY_DOC_TYPE[doc_type]() for doc_type in DOC_TYPES}
_CHECKS: dict[str, Check] = {doc_type: compile_schema(schema) for doc_type, schema in _SCHEMAS.items()}
_DOC_TYPE_MESSAGE = "doc_type must be one of: " + ", ".join(DOC_TYPES) + "."


def strip_private(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without its top-level `_` keys (test metadata such as `_expect`; the API strips them)."""
    if any(isinstance(k, str) and k.startswith("_") for k in doc):
        return {k: v for k, v in doc.items() if not (isinstance(k, str) and k.startswith("_"))}
    return doc


def schema_violations(doc: Any) -> list[Violation]:
    """Every schema problem of `doc` (any JSON value); [] when it matches the contract. Never raises."""
    from docgen.policy.findings import Violation  # here: docgen.policy imports this module (engine order)

    if not isinstance(doc, dict):
        return [Violation("", "A document must be a JSON object.")]
    doc = strip_private(doc)
    doc_type = doc.get("doc_type")
    if not isinstance(doc_type, str) or doc_type not in _CHECKS:
        return [Violation("/doc_type", _DOC_TYPE_MESSAGE)]
    if _CHECKS[doc_type](doc) is None:
        return []
    return marshmallow_violations(doc_type, doc)


def is_schema_valid(doc: dict[str, Any]) -> bool:
    """The compiled verdict alone (the fast path of schema_violations)."""
    doc_type = doc.get("doc_type")
    return isinstance(doc_type, str) and doc_type in _CHECKS and _CHECKS[doc_type](strip_private(doc)) is None


def marshmallow_violations(doc_type: str, doc: dict[str, Any]) -> list[Violation]:
    """The violations marshmallow finds in `doc` (a document of `doc_type`, `_` keys stripped)."""
    from docgen.policy.findings import Violation

    try:
        errors = _SCHEMAS[doc_type].validate(doc)
    except Exception:  # a bug must not turn a bad document into a server error
        _log.exception("schema validation failed on a %s document", doc_type)
        return [Violation("", "The document could not be checked against the contract.")]
    found = sorted(set(_flatten(errors)), key=_order)
    if len(found) > MAX_VIOLATIONS:
        more = len(found) - MAX_VIOLATIONS
        found = found[:MAX_VIOLATIONS]
        found.append(("", f"{more} more schema problems are not listed; fix the ones above first."))
    return [Violation(path, message) for path, message in found]


def _flatten(errors: Any) -> Iterator[tuple[str, str]]:
    """(JSON Pointer, message) for every message in a marshmallow error tree.

    Keys are field names or list indexes; `_schema` holds the object's own messages, except that an unknown
    field literally named `_schema` is reported at its own pointer. The tree follows the schema, so it is shallow.
    """
    from docgen.policy.findings import pointer

    stack: list[tuple[Any, tuple[str | int, ...]]] = [(errors, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if key == "_schema":
                    for message in _messages(child):
                        here = (*parts, "_schema") if message == UNKNOWN_FIELD else parts
                        yield pointer(*here), message
                else:
                    stack.append((child, (*parts, key)))
        else:
            for message in _messages(node):
                yield pointer(*parts), message
            if isinstance(node, list):
                stack.extend((item, parts) for item in node if isinstance(item, dict))


def _messages(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        yield from (item for item in node if isinstance(item, str))


def _order(item: tuple[str, str]) -> tuple[list[tuple[int, int, str]], str]:
    """Document order: array indexes numerically (by length, then digits: no int() of hostile keys)."""
    path, message = item
    parts = [
        (0, len(part), part) if part.isascii() and part.isdigit() else (1, 0, part)
        for part in path.split("/")[1:]
    ]
    return parts, message
