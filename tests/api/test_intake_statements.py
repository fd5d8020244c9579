"""The statements of an intake on PostgreSQL: POST of one document runs without a transaction
(db.session(autocommit=True)), so each statement commits on its own, which is safe only while the request writes one
statement; and its hot statements go to psycopg directly (db.Prepared), which must still hand a dropped connection
back to the pool. These tests run on a database of their own, outside the per-test transaction (which would keep
autocommit off), and watch the wire."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from psycopg import pq
from sqlalchemy import event, func, select

from docgen.auth import create_token
from docgen.db import get_db
from docgen.documents.models import Document
from docgen.orgs.models import Event
from tests.fixtures import load_fixture, strip_meta, with_id_suffix


class Wire:
    """What went over the wire to PostgreSQL (libpq's protocol trace of every pooled connection while checked out):
    the messages since the last `mark()`. The trace holds parameter values: it stays in the test's tmp_path."""

    def __init__(self, app: Flask, path: Path) -> None:
        self.app = app
        self.path = path
        self._file = path.open("w")
        self._offset = 0
        engine = get_db(app).engine
        self.postgres = engine.dialect.name == "postgresql"
        if self.postgres:
            event.listen(engine, "checkout", self._trace)
            event.listen(engine, "checkin", self._untrace)

    def _trace(self, dbapi: Any, *_args: Any) -> None:
        dbapi.pgconn.trace(self._file.fileno())
        dbapi.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)

    def _untrace(self, dbapi: Any, *_args: Any) -> None:
        dbapi.pgconn.untrace()

    def close(self) -> None:
        engine = get_db(self.app).engine
        if self.postgres:
            event.remove(engine, "checkout", self._trace)
            event.remove(engine, "checkin", self._untrace)
        engine.dispose()  # no pooled connection keeps tracing into the closed file
        self._file.close()

    def mark(self) -> None:
        self._file.flush()
        self._offset = self.path.stat().st_size

    def messages(self) -> list[list[str]]:
        """Each message: direction (F front end, B back end), length, type, then its fields."""
        self._file.flush()
        with self.path.open() as fh:
            fh.seek(self._offset)
            return [line.rstrip("\n").split("\t") for line in fh if line.strip()]

    def completed(self) -> list[str]:
        """The command tags the server answered ("SELECT 1", "INSERT 0 1", "BEGIN", ...)."""
        return [
            m[3].strip().strip('"') for m in self.messages() if m[:1] == ["B"] and m[2] == "CommandComplete"
        ]

    def transaction_states(self) -> set[str]:
        """ReadyForQuery's state after each exchange: I idle (no transaction open), T in a transaction."""
        return {m[3].strip() for m in self.messages() if m[:1] == ["B"] and m[2] == "ReadyForQuery"}


@pytest.fixture
def wire(fresh_app: Flask, tmp_path: Path) -> Iterator[Wire]:
    traced = Wire(fresh_app, tmp_path / "libpq-trace.txt")
    yield traced
    traced.close()


def _counts(app: Flask) -> tuple[int, int]:
    with get_db(app).session() as s:
        return (
            s.scalar(select(func.count()).select_from(Document)) or 0,
            s.scalar(select(func.count()).select_from(Event)) or 0,
        )


def test_one_document_is_written_by_one_self_committing_statement(fresh_app: Flask, wire: Wire) -> None:
    with get_db(fresh_app).session() as s:
        token, _ = create_token(s, "Board", "planner")
        s.commit()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    client = fresh_app.test_client()
    record = strip_meta(load_fixture("valid-adult-iep.json"))

    wire.mark()
    assert client.post("/v1/records", data=json.dumps(record), headers=headers).status_code == 201
    if wire.postgres:
        # A bundle is many statements: it keeps its transaction.
        tags = wire.completed()
        assert (tags[0], tags[-1], tags.count("INSERT 0 1")) == ("BEGIN", "COMMIT", 9), tags

    plan = dict(record["plans"][0], version=2)
    wire.mark()
    resp = client.post("/v1/plans", data=json.dumps(plan), headers=headers)
    assert resp.status_code == 201, resp.get_json()
    if wire.postgres:
        # The token, the participant's record, then one write (the document and its event: WITH ... INSERT), each
        # committed on its own: no BEGIN or COMMIT, and no transaction left open between them.
        assert wire.completed() == ["SELECT 1", "SELECT 9", "INSERT 0 1"]
        assert wire.transaction_states() == {"I"}
    before = _counts(fresh_app)

    # The same version again: the one statement fails whole (409), leaving neither a document nor an event.
    resp = client.post("/v1/plans", data=json.dumps(plan), headers=headers)
    assert resp.status_code == 409
    assert _counts(fresh_app) == before

    # The pooled connection went back with transactions on: a bundle that fails on its second document (the
    # participant is new, its assessment is not) stores nothing.
    assessment_id = record["assessments"][0]["id"]
    clash = json.loads(
        json.dumps(with_id_suffix(record, "2")).replace(f'"{assessment_id}-2"', f'"{assessment_id}"')
    )
    wire.mark()
    resp = client.post("/v1/records", data=json.dumps(clash), headers=headers)
    assert resp.status_code == 409
    if wire.postgres:
        tags = wire.completed()
        assert tags[0] == "BEGIN", tags
        assert "ROLLBACK" in tags, tags
        assert "COMMIT" not in tags, tags
    assert _counts(fresh_app) == before
    assert client.get("/v1/participants/" + clash["participant"]["id"], headers=headers).status_code == 404


@pytest.mark.parametrize("fresh_database", ["postgresql"], indirect=True)  # SQLite has no server to drop it
def test_a_connection_the_server_dropped_is_replaced(fresh_app: Flask) -> None:
    """The intake statements bypass SQLAlchemy's execution layer (db.Prepared), so they tell its pool themselves
    when the server has gone away: the request that meets the dead connection fails, the next one works."""
    with get_db(fresh_app).session() as s:
        token, _ = create_token(s, "Board", "planner")
        s.commit()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    client = fresh_app.test_client()
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    assert client.post("/v1/records", data=json.dumps(record), headers=headers).status_code == 201

    # The server ends the pooled connections (as a restart or a failover would), behind the pool's back.
    url = get_db(fresh_app).engine.url
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert ended is not None
    assert ended[0] >= 1
    resp = client.post("/v1/plans", data=json.dumps(dict(record["plans"][0], version=2)), headers=headers)
    assert resp.status_code == 503, resp.get_data(as_text=True)
    resp = client.post("/v1/plans", data=json.dumps(dict(record["plans"][0], version=2)), headers=headers)
    assert resp.status_code == 201, resp.get_data(as_text=True)
