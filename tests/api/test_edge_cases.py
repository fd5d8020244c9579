"""Edge cases found in review: each was a 500 or a wrong answer before its fix."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import problem_of
from tests.fixtures import load_fixture, strip_meta


@pytest.mark.parametrize("participant_id", ["a\u0000b", "\ud800", "../x", "x" * 65])
def test_bad_participant_id_is_a_finding_not_a_crash(
    client: FlaskClient, planner: dict[str, str], participant_id: str
) -> None:
    plan = strip_meta(load_fixture("valid-adult-iep.json"))["plans"][0]
    plan["participant_id"] = participant_id
    body = json.dumps(plan)
    resp = client.post("/v1/validate", data=body, headers=planner, content_type="application/json")
    assert resp.status_code == 200
    assert any(f["rule"] == "doc.schema" and f["path"] == "/participant_id" for f in resp.json["findings"])
    stored = client.post("/v1/plans", data=body, headers=planner, content_type="application/json")
    assert stored.status_code == 422
    participant = strip_meta(load_fixture("valid-adult-iep.json"))["participant"]
    participant["id"] = participant_id
    resp = client.post(
        "/v1/participants", data=json.dumps(participant), headers=planner, content_type="application/json"
    )
    assert resp.status_code == 422


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recorded_at", "9999-12-31T23:59:59-14:00"),
        ("recorded_at", "0001-01-01T00:00:00+14:00"),
        ("occurred_on", "1899-12-31"),
        ("occurred_on", "2200-01-01"),
    ],
)
def test_dates_outside_the_calendar_we_keep(
    client: FlaskClient, planner: dict[str, str], field: str, value: str
) -> None:
    note = strip_meta(load_fixture("valid-case_note-general.json"))
    note[field] = value
    resp = client.post("/v1/validate", json=note, headers=planner)
    assert resp.status_code == 200
    assert [f["path"] for f in resp.json["findings"] if f["rule"] == "doc.schema"] == [f"/{field}"]


@pytest.mark.parametrize("amount", [1e308, 1_000_000_001, -1])
def test_money_bounds(client: FlaskClient, planner: dict[str, str], amount: float) -> None:
    note = strip_meta(load_fixture("valid-case_note-training_begin.json"))
    note["details"]["approximate_cost"] = amount
    findings = client.post("/v1/validate", json=note, headers=planner).json["findings"]
    assert [f["path"] for f in findings if f["rule"] == "doc.schema"] == ["/details/approximate_cost"]


def test_bundle_plan_versions_must_run_from_one(client: FlaskClient, planner: dict[str, str]) -> None:
    record = load_fixture("valid-adult-iep.json")
    record["plans"][0]["version"] = 7
    record["plans"][0]["revision"] = {"revised_on": "2025-03-01", "summary": "x", "participant_agreed": True}
    resp = client.post("/v1/records", json=record, headers=planner)
    assert resp.status_code == 409
    problem_of(resp)
    assert client.get("/v1/participants", headers=planner).json["total"] == 0


def test_query_errors_carry_parameters(client: FlaskClient, planner: dict[str, str]) -> None:
    body = problem_of(client.get("/v1/plans?page=0&page_size=abc", headers=planner))
    assert {e["parameter"] for e in body["errors"]} == {"page", "page_size"}


def test_numeric_secret_key_is_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from docgen import create_app

    monkeypatch.setenv("DOCGEN_SECRET_KEY", "12345678901234567890")
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "STORAGE_URL": f"file://{tmp_path}"}
    )
    assert app.config["SECRET_KEY"] == "12345678901234567890"
    monkeypatch.setenv("DOCGEN_SECRET_KEY", "1234")
    with pytest.raises(ValueError, match="at least 16"):
        create_app(
            {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "STORAGE_URL": f"file://{tmp_path}"}
        )


def test_stored_validity_of_each_bundle_document(client: FlaskClient, planner: dict[str, str]) -> None:
    record = copy.deepcopy(load_fixture("valid-adult-iep.json"))
    record["plans"][0]["developed_jointly"] = False  # plan.jointly: an error on /plans/0 only
    assert client.post("/v1/records", json=record, headers=planner).status_code == 201
    plan = client.get(f"/v1/plans?participant_id={record['participant']['id']}", headers=planner).json
    assert [item["valid"] for item in plan["items"]] == [False]
    notes = client.get(f"/v1/case-notes?participant_id={record['participant']['id']}", headers=planner).json
    assert all(item["valid"] for item in notes["items"])
