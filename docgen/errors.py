"""The one exception tree and the one handler: every error leaves as RFC 9457 application/problem+json."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, g, json, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from storage.errors import StorageError

log = logging.getLogger("docgen.errors")

PROBLEM_JSON = "application/problem+json"


class DocgenError(Exception):
    """Base of every error the service answers with on purpose."""

    status = 500
    slug = "internal"
    title = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors  # [{"pointer": "/field", "detail": "..."}]
        self.headers = headers or {}
        self.extra = extra


class BadRequest(DocgenError):
    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(DocgenError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="docgen"'})
        super().__init__(detail, **kw)


class Forbidden(DocgenError):
    status, slug, title = 403, "forbidden", "Not allowed for your role"


class NotFound(DocgenError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DocgenError):
    status, slug, title = 409, "conflict", "Conflict with stored data"


class UnsupportedMediaType(DocgenError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(DocgenError):
    status, slug, title = 422, "validation-failed", "The document does not match the contract"


class ServiceUnavailable(DocgenError):
    status, slug, title = 503, "unavailable", "Service temporarily unavailable"


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"urn:docgen:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path if request else None,
    }
    request_id = g.get("request_id") if g else None
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    resp = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _handle_docgen(exc: DocgenError) -> Response:
    return problem(
        exc.status, exc.slug, exc.title, exc.detail, errors=exc.errors, headers=exc.headers, extra=exc.extra
    )


def _handle_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    slug = (exc.name or "error").lower().replace(" ", "-")
    headers = {}
    if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    detail = exc.description or exc.name
    if status == 413:
        detail = "The request body is larger than the 2 MB limit."
    # flask-smorest/webargs put per-field messages in exc.data: {"query": {"page": ["Not a valid integer."]}}
    messages = (getattr(exc, "data", None) or {}).get("messages")
    errors = _field_errors(messages) if isinstance(messages, dict) else None
    if errors:
        detail = "Some request fields are not valid: see errors."
    return problem(status, slug, exc.name or "Error", detail, errors=errors, headers=headers)


def _field_errors(messages: dict[str, Any]) -> list[dict[str, str]]:
    """webargs messages as RFC 9457 field errors: `parameter` for query, `pointer` for the JSON body."""
    out: list[dict[str, str]] = []
    for location, fields in messages.items():
        stack: list[tuple[str, Any]] = [("", fields)]
        while stack:
            path, value = stack.pop()
            if isinstance(value, dict):
                stack.extend((f"{path}/{key}", child) for key, child in value.items())
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                where = "parameter" if location == "query" else "pointer"
                name = path.lstrip("/") if location == "query" else path
                out.append({where: name, "detail": " ".join(value)})
    return sorted(out, key=lambda e: e.get("pointer", e.get("parameter", "")))


def _handle_database(exc: OperationalError) -> Response:
    # SQLite (the embedded default) answers "database is locked" when writers queue past the busy timeout.
    if "database is locked" in str(exc.orig):
        return problem(
            503, "busy", "Busy", "The database is busy; try again shortly.", headers={"Retry-After": "1"}
        )
    # The server dropped the connection (a restart, a failover): the pool has let it go, so a retry gets a new one.
    if exc.connection_invalidated:
        log.error("database connection lost")
        return problem(
            503,
            "database-unavailable",
            "Database unavailable",
            "The connection to the database was lost; try again shortly.",
            headers={"Retry-After": "1"},
        )
    return _handle_unexpected(exc)


def _handle_storage(exc: StorageError) -> Response:
    # Integrity and backend faults are the administrator's to see; the client gets the type, not internals.
    status = int(getattr(exc, "status", 500))
    title = str(getattr(exc, "title", "Storage error"))
    slug = re.sub(r"(?<!^)(?=[A-Z])", "-", type(exc).__name__).lower()
    if status >= 500:
        log.error("storage error: %s (%s)", title, type(exc).__name__)
    return problem(status, f"storage-{slug}", title, str(exc) or title)


def _handle_unexpected(exc: Exception) -> Response:
    log.exception("unhandled error")
    return problem(500, "internal", "Internal error", "Something went wrong on our side; it has been logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(DocgenError, _handle_docgen)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(StorageError, _handle_storage)
    app.register_error_handler(OperationalError, _handle_database)
    app.register_error_handler(Exception, _handle_unexpected)
