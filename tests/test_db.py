"""db.Prepared gives what SQLAlchemy gives for the same statement: rows, typed columns, errors (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from docgen.auth import _TOKEN_QUERY, create_token, hash_token, revoke_token
from docgen.db import Prepared, get_db
from docgen.documents.services import _INSERT_DOCUMENT, _RECORD_QUERY
from docgen.orgs.models import utcnow


def test_prepared_statements_answer_as_sqlalchemy_does(app: Flask, db_connection: Connection) -> None:
    with app.app_context(), get_db().session() as s:
        token, row = create_token(s, "Board", "planner")
        revoke_token(s, token)
        s.flush()
        params = {"token_hash": hash_token(token)}
        prepared = _TOKEN_QUERY.run(s, params)
        core = s.connection().execute(_TOKEN_QUERY.statement, params).all()
        assert [tuple(r) for r in prepared] == [tuple(r) for r in core]
        (found,) = prepared
        assert (found.org_id, found.user_id, found.role) == (row.org_id, row.user_id, "planner")
        # UTCDateTime's result processing: an aware timestamp in UTC, as from any other query.
        assert found.revoked_at.tzinfo == dt.UTC
        assert abs(found.revoked_at - utcnow()) < dt.timedelta(minutes=1)
        assert _TOKEN_QUERY.run(s, {"token_hash": hash_token("dg_unknown")}) == []

        record = {"org_id": row.org_id, "participant_id": "P-1"}
        assert _RECORD_QUERY.run(s, record) == []


def test_prepared_statement_errors_are_sqlalchemy_errors(app: Flask, db_connection: Connection) -> None:
    """A duplicate through the prepared insert is SQLAlchemy's IntegrityError (the services answer it with 409)."""
    with app.app_context(), get_db().session() as s:
        _, row = create_token(s, "Board", "planner")
        s.flush()
        values = {
            "org_id": row.org_id,
            "doc_type": "participant",
            "doc_id": "P-1",
            "version": 1,
            "participant_id": "P-1",
            "kind": None,
            "status": None,
            "body": {"doc_type": "participant", "id": "P-1", "note": "é"},
            "valid": True,
            "created_at": utcnow(),
            "created_by": row.user_id,
        }
        s.connection().execute(_INSERT_DOCUMENT, values)
        rows = _RECORD_QUERY.run(s, {"org_id": row.org_id, "participant_id": "P-1"})
        assert [(r.doc_type, r.body) for r in rows] == [("participant", values["body"])]
        with pytest.raises(IntegrityError):
            Prepared(_INSERT_DOCUMENT).run(s, values)
        s.rollback()
