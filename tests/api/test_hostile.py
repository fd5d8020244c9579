"""Hostile and malformed input: the right 4xx as problem+json, and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import TokenFactory, problem_of
from tests.fixtures import load_fixture, strip_meta, with_id_suffix


def _participant() -> dict[str, Any]:
    return strip_meta(load_fixture("valid-adult-iep.json")["participant"])


def _count(client: FlaskClient, headers: dict[str, str], collection: str = "participants") -> int:
    total: int = client.get(f"/v1/{collection}", headers=headers).json["total"]
    return total


def test_malformed_json(client: FlaskClient, planner: dict[str, str]) -> None:
    resp = client.post(
        "/v1/participants",
        data='{"doc_type": "participant",',
        headers=planner,
        content_type="application/json",
    )
    assert resp.status_code == 400
    assert "not valid JSON" in problem_of(resp)["detail"]
    assert _count(client, planner) == 0


@pytest.mark.parametrize("depth", [33, 10_000])
def test_deeply_nested_json(client: FlaskClient, planner: dict[str, str], depth: int) -> None:
    body = '{"doc_type": "participant", "x": ' + "[" * depth + "]" * depth + "}"
    resp = client.post("/v1/participants", data=body, headers=planner, content_type="application/json")
    assert resp.status_code == 400
    assert "nested" in problem_of(resp)["detail"]


def test_nan_is_not_json(client: FlaskClient, planner: dict[str, str]) -> None:
    resp = client.post(
        "/v1/validate", data='{"doc_type": "mou", "x": NaN}', headers=planner, content_type="application/json"
    )
    assert resp.status_code == 400
    problem_of(resp)


def test_body_over_2mb(client: FlaskClient, planner: dict[str, str]) -> None:
    doc = _participant()
    doc["middle_name"] = "x" * (3 * 1024 * 1024)
    resp = client.post(
        "/v1/participants", data=json.dumps(doc), headers=planner, content_type="application/json"
    )
    assert resp.status_code == 413
    problem_of(resp)
    assert _count(client, planner) == 0


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_wrong_content_type(client: FlaskClient, planner: dict[str, str], content_type: str) -> None:
    resp = client.post(
        "/v1/participants", data=json.dumps(_participant()), headers=planner, content_type=content_type
    )
    assert resp.status_code == 415
    problem_of(resp)
    assert _count(client, planner) == 0


def test_body_must_be_an_object(client: FlaskClient, planner: dict[str, str]) -> None:
    resp = client.post("/v1/validate", json=[1, 2], headers=planner)
    assert resp.status_code == 400
    problem_of(resp)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applied_on", "2025-02-30"),
        ("applied_on", 20250106),
        ("program", "astronaut"),
        ("first_name", 42),
        ("english_language_learner", "yes"),
        ("ssn_last4", "12345"),
        ("favourite_colour", "blue"),
        ("middle_name", None),
        ("id", "../../etc/passwd"),
        ("id", "P-1'; DROP TABLE documents;--"),
        ("id", "x" * 65),
    ],
)
def test_schema_problems_are_422_with_pointer(
    client: FlaskClient, planner: dict[str, str], field: str, value: Any
) -> None:
    doc = _participant()
    doc[field] = value
    resp = client.post("/v1/participants", json=doc, headers=planner)
    assert resp.status_code == 422, resp.json
    body = problem_of(resp)
    assert any(f["rule"] == "doc.schema" and f["path"] == f"/{field}" for f in body["findings"]), body
    assert any(e["pointer"] == f"/{field}" for e in body["errors"])
    assert _count(client, planner) == 0


@pytest.mark.parametrize(
    "text",
    ["SSN 123-45-6789 on file", "ss# 123456789", "social security: 123 45 6789", "123-45-6789"],
)
def test_full_ssn_in_free_text_is_refused_and_not_echoed(
    client: FlaskClient, planner: dict[str, str], text: str
) -> None:
    client.post("/v1/participants", json=_participant(), headers=planner)
    note = strip_meta(load_fixture("valid-case_note-general.json"))
    note["participant_id"] = _participant()["id"]
    note["narrative"] = text
    resp = client.post("/v1/case-notes", json=note, headers=planner)
    assert resp.status_code == 422
    body = problem_of(resp)
    assert [f["rule"] for f in body["findings"]] == ["pii.no_ssn"]
    assert body["findings"][0]["path"] == "/narrative"
    digits = "".join(ch for ch in text if ch.isdigit())
    assert digits not in resp.get_data(as_text=True).replace("-", "").replace(" ", "")
    assert _count(client, planner, "case-notes") == 0
    validated = client.post("/v1/validate", json=note, headers=planner)
    assert validated.status_code == 200
    assert [f["rule"] for f in validated.json["findings"]] == ["pii.no_ssn"]


def test_ssn_named_key_is_refused(client: FlaskClient, planner: dict[str, str]) -> None:
    doc = _participant()
    doc["SSN"] = "0000"
    resp = client.post("/v1/participants", json=doc, headers=planner)
    assert resp.status_code == 422
    assert problem_of(resp)["findings"][0]["rule"] == "pii.no_ssn"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/participants/..%2F..%2Fetc%2Fpasswd",
        "/v1/participants/P-1'%20OR%20'1'='1",
        "/v1/participants/%00",
        "/v1/plans/" + "x" * 300,
        "/v1/participants/P-1001/record?as_of=2025-02-30",
    ],
)
def test_id_tricks_are_4xx(client: FlaskClient, planner: dict[str, str], path: str) -> None:
    resp = client.get(path, headers=planner)
    assert resp.status_code in (404, 422)
    problem_of(resp)


def test_another_organisations_ids_are_404(client: FlaskClient, make_token: TokenFactory) -> None:
    ours = {"Authorization": f"Bearer {make_token('Board A', 'planner')}"}
    theirs = {"Authorization": f"Bearer {make_token('Board B', 'planner')}"}
    record = load_fixture("valid-adult-iep.json")
    assert client.post("/v1/records", json=record, headers=ours).status_code == 201
    pid = record["participant"]["id"]
    for path in (
        f"/v1/participants/{pid}",
        f"/v1/plans/{record['plans'][0]['id']}",
        f"/v1/participants/{pid}/record",
    ):
        assert client.get(path, headers=theirs).status_code == 404
        assert client.get(path, headers=ours).status_code == 200
    assert _count(client, theirs) == 0
    # Board B may store the same ids: ids are scoped by organisation.
    assert client.post("/v1/records", json=record, headers=theirs).status_code == 201
    # A plan for Board A's participant, sent by Board B with a new plan id: B has its own P-1001 now,
    # so check with a participant only A has.
    plan = strip_meta(record["plans"][0])
    plan["participant_id"] = "P-ONLY-A"
    assert client.post("/v1/plans", json=plan, headers=theirs).status_code == 422


def test_missing_and_revoked_tokens(app: Any, client: FlaskClient, make_token: TokenFactory) -> None:
    from docgen.auth import revoke_token
    from docgen.db import get_db

    assert client.get("/v1/rules").status_code == 401
    resp = client.get("/v1/rules", headers={"Authorization": "Bearer nope"})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    problem_of(resp)
    assert client.get("/v1/rules", headers={"Authorization": "Basic abc"}).status_code == 401
    token = make_token("Example Board", "planner")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/rules", headers=headers).status_code == 200
    with get_db(app).session() as s:
        assert revoke_token(s, token) == 1
        s.commit()
    assert client.get("/v1/rules", headers=headers).status_code == 401


@pytest.mark.parametrize("role", ["clerk", "monitor"])
def test_read_only_roles(client: FlaskClient, make_token: TokenFactory, role: str) -> None:
    headers = {"Authorization": f"Bearer {make_token('Example Board', role)}"}
    resp = client.post("/v1/participants", json=_participant(), headers=headers)
    assert resp.status_code == 403
    problem_of(resp)
    assert client.get("/v1/participants", headers=headers).status_code == 200
    assert client.put("/v1/settings", json={"CONTACT_INTERVAL_DAYS": 20}, headers=headers).status_code == 403


def test_method_not_allowed_and_unknown_route(client: FlaskClient, planner: dict[str, str]) -> None:
    resp = client.delete("/v1/rules", headers=planner)
    assert resp.status_code == 405
    assert "GET" in resp.headers["Allow"]
    problem_of(resp)
    problem_of(client.get("/v1/nothing-here", headers=planner))


def test_duplicate_ids_are_409(client: FlaskClient, planner: dict[str, str]) -> None:
    assert client.post("/v1/participants", json=_participant(), headers=planner).status_code == 201
    resp = client.post("/v1/participants", json=_participant(), headers=planner)
    assert resp.status_code == 409
    problem_of(resp)
    assert _count(client, planner) == 1
    record = load_fixture("valid-adult-iep.json")
    resp = client.post("/v1/records", json=record, headers=planner)
    assert resp.status_code == 409
    assert _count(client, planner, "plans") == 0


def test_a_case_note_id_already_stored_is_409_alone_and_in_a_new_record(
    client: FlaskClient, planner: dict[str, str]
) -> None:
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    assert client.post("/v1/records", json=record, headers=planner).status_code == 201
    note = record["case_notes"][0]
    resp = client.post("/v1/case-notes", json=note, headers=planner)
    assert resp.status_code == 409
    assert problem_of(resp)["detail"] == "A case_note with this id is already stored."
    # A new participant's record that reuses that note id: nothing of it is stored.
    other = with_id_suffix(record, "OTHER")
    other["case_notes"][-1]["id"] = note["id"]  # inserted last, after the rest of the record
    resp = client.post("/v1/records", json=other, headers=planner)
    assert resp.status_code == 409, resp.json
    problem_of(resp)
    assert client.get(f"/v1/participants/{other['participant']['id']}", headers=planner).status_code == 404
    assert _count(client, planner, "case-notes") == len(record["case_notes"])


@pytest.mark.parametrize("text", ["nul \u0000 inside", "lone \ud800 surrogate"])
def test_text_that_cannot_be_stored_is_422(client: FlaskClient, planner: dict[str, str], text: str) -> None:
    doc = _participant()
    doc["middle_name"] = text
    body = json.dumps(doc)  # ensure_ascii: the NUL and the surrogate travel as \\u escapes
    resp = client.post("/v1/participants", data=body, headers=planner, content_type="application/json")
    assert resp.status_code == 422
    assert problem_of(resp)["findings"][0]["path"] == "/middle_name"
    assert _count(client, planner) == 0
