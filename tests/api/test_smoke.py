import flask
import pytest
from flask import Flask
from flask.sessions import NullSession
from flask.testing import FlaskClient

from tests.fixtures import load_fixture


def test_health(client: FlaskClient) -> None:
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200


def test_store_and_read_back(client: FlaskClient, planner: dict[str, str]) -> None:
    record = load_fixture("valid-adult-iep.json")
    resp = client.post("/v1/records", json=record, headers=planner)
    assert resp.status_code == 201, resp.json
    plan = record["plans"][0]
    got = client.get(f"/v1/plans/{plan['id']}", headers=planner)
    assert got.status_code == 200
    assert got.json["document"] == plan


def test_no_cookie_sessions(app: Flask) -> None:
    """No request gets a cookie session: writing to flask.session fails instead of setting a cookie."""
    with app.test_request_context("/healthz"):
        assert isinstance(flask.session, NullSession)
        with pytest.raises(RuntimeError):
            flask.session["who"] = "anyone"
