"""Configuration: defaults here, overridden by `DOCGEN_*` environment variables (Flask's prefixed-env loading).

`DOCGEN_DATABASE_URL=postgresql+psycopg://...` sets `DATABASE_URL`; values are parsed as JSON when they can be
(`DOCGEN_PDF_POOL_SIZE=2` is the integer 2).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

MAX_BODY_BYTES = 2 * 1024 * 1024


def defaults(instance_path: str) -> dict[str, Any]:
    instance = Path(instance_path)
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'docgen.sqlite3'}",
        "DATABASE_ECHO": False,
        "STORAGE_URL": f"file://{instance / 'storage'}",
        "S3_ENDPOINT_URL": None,
        "S3_SSE": None,
        "S3_KMS_KEY_ID": None,
        "STORAGE_LOCK_MODE": "COMPLIANCE",
        "STORAGE_RETENTION_YEARS": 3,
        # Lifetime of download links (presigned S3 URLs, signed local links).
        "DOWNLOAD_SECONDS": 300,
        # 413 above this; also the ceiling Werkzeug enforces while reading the body.
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "MAX_JSON_DEPTH": 32,
        "LOG_LEVEL": "INFO",
        "TIMEZONE": "America/Chicago",
        # Start the LibreOffice pool when the app starts (script/server) rather than on the first PDF request.
        "PDF_POOL_EAGER": False,
        # The shared requirements folder beside the project (fixtures for `flask demo`).
        "SHARED_DIR": str(Path(__file__).resolve().parents[2] / "shared"),
        # flask-smorest: the OpenAPI document and a docs page whose assets we serve ourselves.
        "API_TITLE": "docgen",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
        "JSON_SORT_KEYS": False,
    }


def load(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_prefixed_env("DOCGEN")
    if overrides:
        app.config.from_mapping(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    # DOCGEN_SECRET_KEY=123456... is parsed as JSON into an int; the key is its text.
    app.config["SECRET_KEY"] = str(app.config["SECRET_KEY"])
    if len(app.config["SECRET_KEY"]) < 16:
        raise ValueError("DOCGEN_SECRET_KEY must be at least 16 characters")


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept in the instance folder, made on first start (0600)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
