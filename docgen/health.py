"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from sqlalchemy import text

from docgen.db import session
from docgen.errors import ServiceUnavailable

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@blp.get("/readyz")
def readyz() -> dict[str, Any]:
    try:
        session().execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready"; the detail is the operator's, in the log
        raise ServiceUnavailable("The database is not reachable.", headers={"Retry-After": "5"}) from exc
    return {"status": "ready", "database": "ok"}
