"""Reading request bodies: content type, size, JSON syntax and depth, before anything else sees them."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import current_app, request
from flask.json.provider import DefaultJSONProvider

from docgen.contract import is_contract_id
from docgen.errors import BadRequest, NotFound, UnsupportedMediaType

_COMPACT = {"separators": (",", ":")}  # what Flask's response() asks for outside debug mode: orjson's output


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON with orjson doing the encoding: the same output (sorted keys; dates, decimals and dataclasses
    through Flask's own `default`), several times faster on large documents."""

    _OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs and kwargs != _COMPACT:  # other json.dumps options (indent, ...): the standard library
            return super().dumps(obj, **kwargs)
        try:
            return orjson.dumps(obj, default=self.default, option=self._OPTIONS).decode()
        except TypeError:  # what orjson will not encode (e.g. integers past 64 bits, non-str keys)
            return super().dumps(obj, **kwargs)


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
        # orjson is strict RFC 8259 (no NaN, UTF-8 only) and several times faster; whatever it refuses goes
        # through the standard library below, which gives the reason in the answer.
        data = orjson.loads(raw)
        depth_exceeded = False
    except orjson.JSONDecodeError:
        data, depth_exceeded = _parse_strictly(raw)
    max_depth = int(current_app.config["MAX_JSON_DEPTH"])
    if depth_exceeded or _depth_exceeds(data, max_depth):
        raise BadRequest(f"The JSON is nested more than {max_depth} levels deep.")
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def _parse_strictly(raw: bytes) -> tuple[Any, bool]:
    """The standard library's parse (data, depth exceeded), or 400 with its reason."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    try:
        return json.loads(text, parse_constant=_reject_constant), False
    except RecursionError:
        return None, True
    except ValueError as exc:
        raise BadRequest(f"The body is not valid JSON: {_reason(exc)}") from None


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); Python accepts them by default.
    raise ValueError(f"{name} is not allowed in JSON")


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}."
    return str(exc)


def _depth_exceeds(data: Any, limit: int) -> bool:
    """True when containers nest deeper than `limit`: level by level, containers only (the parsed value may be
    deep, so no recursion)."""
    level = [data] if isinstance(data, _CONTAINERS) else []
    for _ in range(limit):
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, _CONTAINERS)
        ]
        if not level:
            return False
    return True


_CONTAINERS = (dict, list)
