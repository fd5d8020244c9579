"""Reading request bodies: content type, size, JSON syntax and depth, before anything else sees them."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, request

from docgen.contract import is_contract_id
from docgen.errors import BadRequest, NotFound, UnsupportedMediaType


def path_id(value: str, what: str = "document") -> str:
    """An id from the URL; one outside the contract's pattern cannot be stored, so it is simply not found."""
    if not is_contract_id(value):
        raise NotFound(f"No {what} with this id.")
    return value


def json_body() -> dict[str, Any]:
    """The request body as a JSON object; 415, 413 (Werkzeug), or 400 with a plain reason."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the document as `Content-Type: application/json`.")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        data = None
        depth_exceeded = True
    except ValueError as exc:
        raise BadRequest(f"The body is not valid JSON: {_reason(exc)}") from None
    else:
        depth_exceeded = False
    max_depth = int(current_app.config["MAX_JSON_DEPTH"])
    if depth_exceeded or _depth_exceeds(data, max_depth):
        raise BadRequest(f"The JSON is nested more than {max_depth} levels deep.")
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); Python accepts them by default.
    raise ValueError(f"{name} is not allowed in JSON")


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}."
    return str(exc)


def _depth_exceeds(data: Any, limit: int) -> bool:
    """True when containers nest deeper than `limit` (iterative: the parsed value may be deep)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
