"""Test parts: one app per database (SQLite file, and a PostgreSQL database the tests create), migrated
with Alembic; each test runs inside a transaction that is rolled back (savepoints for the app's commits)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Connection

from docgen import create_app
from docgen.auth import create_token
from docgen.cli import alembic_config
from docgen.db import get_db

POSTGRES_ADMIN_URL = os.environ.get("DOCGEN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[str]:
    name = f"docgen_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own, outside the per-test transaction (child processes, migrations)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    name = f"docgen_own_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            + f"/{name}"
        )
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_app(fresh_database: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database of its own (fresh_database), migrated, outside the per-test transaction."""
    application = _make_app(fresh_database, tmp_path)
    yield application
    get_db(application).engine.dispose()


def _make_app(url: str, instance: Path) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "STORAGE_URL": f"file://{instance / 'storage'}",
            "SECRET_KEY": "test-secret-key-of-enough-length",
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        command.upgrade(alembic_config(), "head")
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp(f"instance-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{instance / 'test.sqlite3'}"
    else:
        url = request.getfixturevalue("_postgres_database")
    application = _make_app(url, instance)
    yield application
    pool = application.extensions.get("docgen.office_pool")
    if pool is not None:
        pool.stop()
    get_db(application).engine.dispose()


@pytest.fixture
def db_connection(app: Flask) -> Iterator[Connection]:
    """The test's transaction: the app's sessions join it through savepoints; rolled back at the end."""
    database = get_db(app)
    connection = database.engine.connect()
    outer = connection.begin()
    database.sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield connection
    finally:
        database.sessions.configure(bind=database.engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        connection.close()


@pytest.fixture
def fresh_storage(app: Flask, tmp_path: Path) -> Iterator[None]:
    """Objects of this test only (the database rolls back after each test; a folder is not transactional)."""
    from docgen.files.services import get_storage
    from storage import open_storage

    shared = get_storage(app)
    app.extensions["docgen.storage"] = open_storage(
        f"file://{tmp_path / 'objects'}", secret_key=app.config["SECRET_KEY"]
    )
    try:
        yield
    finally:
        app.extensions["docgen.storage"] = shared


@pytest.fixture
def client(app: Flask, db_connection: Connection, fresh_storage: None) -> FlaskClient:
    return app.test_client()


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(app: Flask, db_connection: Connection) -> TokenFactory:
    def make(org: str = "Example Board", role: str = "planner") -> str:
        with get_db(app).session() as s:
            token, _ = create_token(s, org, role)
            s.commit()
        return token

    return make


@pytest.fixture
def planner(make_token: TokenFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('Example Board', 'planner')}"}


@pytest.fixture
def admin(make_token: TokenFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('Example Board', 'admin')}"}


def problem_of(resp: Any) -> dict[str, Any]:
    assert resp.mimetype == "application/problem+json", (resp.status_code, resp.get_data(as_text=True)[:300])
    body: dict[str, Any] = resp.get_json(force=True)
    assert body["status"] == resp.status_code
    return body
