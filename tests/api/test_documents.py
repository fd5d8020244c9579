"""Storing, reading back, versions, lists, and the participant's record report."""

from __future__ import annotations

import copy
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import problem_of
from tests.fixtures import load_fixture, strip_meta


def _store_record(
    client: FlaskClient, headers: dict[str, str], name: str = "valid-adult-iep.json"
) -> dict[str, Any]:
    record = load_fixture(name)
    resp = client.post("/v1/records", json=record, headers=headers)
    assert resp.status_code == 201, resp.json
    return strip_meta(record)


def test_every_document_reads_back_exactly(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store_record(client, planner)
    assert (
        client.get(f"/v1/participants/{record['participant']['id']}", headers=planner).json["document"]
        == record["participant"]
    )
    for key, collection in (("assessments", "assessments"), ("case_notes", "case-notes")):
        for doc in record[key]:
            got = client.get(f"/v1/{collection}/{doc['id']}", headers=planner)
            assert got.status_code == 200
            assert got.json["document"] == doc
    mou = load_fixture("valid-mou.json")
    resp = client.post("/v1/mous", json=mou, headers=planner)
    assert resp.status_code == 201
    assert resp.json["document"] == strip_meta(mou)
    assert "_expect" not in resp.json["document"]
    assert client.get(f"/v1/mous/{mou['id']}", headers=planner).json["document"] == strip_meta(mou)


def test_single_documents_in_order(client: FlaskClient, planner: dict[str, str]) -> None:
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    plan = record["plans"][0]
    # A plan for a participant that is not stored: 422 doc.refs, nothing stored.
    resp = client.post("/v1/plans", json=plan, headers=planner)
    assert resp.status_code == 422
    assert problem_of(resp)["findings"][0]["rule"] == "doc.refs"
    assert client.post("/v1/participants", json=record["participant"], headers=planner).status_code == 201
    for assessment in record["assessments"]:
        assert client.post("/v1/assessments", json=assessment, headers=planner).status_code == 201
    resp = client.post("/v1/plans", json=plan, headers=planner)
    assert resp.status_code == 201
    assert resp.json["version"] == 1
    for note in record["case_notes"]:
        assert client.post("/v1/case-notes", json=note, headers=planner).status_code == 201, note["type"]


def test_plan_versions(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store_record(client, planner)
    plan = record["plans"][0]
    v2 = copy.deepcopy(plan)
    v2["version"] = 2
    v2["revision"] = {
        "revised_on": "2025-04-01",
        "summary": "Added a mock interview objective.",
        "participant_agreed": True,
    }
    # Skipping a version is refused.
    v3 = dict(v2, version=3)
    assert client.post("/v1/plans", json=v3, headers=planner).status_code == 409
    resp = client.post("/v1/plans", json=v2, headers=planner)
    assert resp.status_code == 201, resp.json
    assert resp.json["version"] == 2
    # Policy errors do not block saving a draft (v2 lacks the revision's development service episode).
    assert any(f["rule"] == "plan.dev_service" for f in resp.json["findings"])
    assert client.post("/v1/plans", json=v2, headers=planner).status_code == 409
    latest = client.get(f"/v1/plans/{plan['id']}", headers=planner).json
    assert latest["version"] == 2
    assert latest["document"] == v2
    first = client.get(f"/v1/plans/{plan['id']}?version=1", headers=planner).json
    assert first["document"] == plan
    assert client.get(f"/v1/plans/{plan['id']}?version=9", headers=planner).status_code == 404
    assert client.get(f"/v1/plans/{plan['id']}?version=abc", headers=planner).status_code == 422
    listed = client.get(f"/v1/plans?participant_id={plan['participant_id']}", headers=planner).json
    assert [(i["id"], i["version"]) for i in listed["items"]] == [(plan["id"], 1), (plan["id"], 2)]


def test_lists_are_filtered_and_paginated(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store_record(client, planner)
    notes = client.get("/v1/case-notes?page_size=2", headers=planner).json
    assert notes["total"] == len(record["case_notes"])
    assert len(notes["items"]) == min(2, len(record["case_notes"]))
    page2 = client.get("/v1/case-notes?page_size=2&page=2", headers=planner).json
    assert {i["id"] for i in page2["items"]}.isdisjoint({i["id"] for i in notes["items"]})
    kind = record["case_notes"][0]["type"]
    filtered = client.get(f"/v1/case-notes?kind={kind}", headers=planner).json
    assert filtered["items"]
    assert all(i["document"]["type"] == kind for i in filtered["items"])
    assert client.get("/v1/case-notes?page_size=1000", headers=planner).status_code == 422
    assert client.get("/v1/plans?status=sideways", headers=planner).status_code == 422
    assert client.get("/v1/plans?participant_id=../x", headers=planner).status_code == 422


def test_record_report_runs_tracking_rules(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store_record(client, planner, "valid-record-tracking.json")
    pid = record["participant"]["id"]
    as_of = load_fixture("valid-record-tracking.json")["as_of"]
    report = client.get(f"/v1/participants/{pid}/record?as_of={as_of}", headers=planner).json
    assert report["as_of"] == as_of
    assert report["record"]["participant"] == record["participant"]
    assert not [f for f in report["findings"] if f["severity"] == "error"], report["findings"]
    # A year later with nothing new recorded, tracking rules find the record out of date.
    later = client.get(f"/v1/participants/{pid}/record?as_of=2027-01-01", headers=planner).json
    assert later["valid"] is False
    assert "contact.30" in {f["rule"] for f in later["findings"]}


def test_rules_catalogue(client: FlaskClient, planner: dict[str, str]) -> None:
    rules = client.get("/v1/rules", headers=planner).json["rules"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["plan.goals"]["moment"] == "submit"
    assert by_id["contact.30"]["moment"] == "tracking"
    assert by_id["pii.no_ssn"]["citations"][0]["source"] == "001_b3f9e53fd79f6b88.txt"
    assert all(r["citations"] and r["description"] for r in rules)


def test_settings_change_outcomes(
    client: FlaskClient, planner: dict[str, str], admin: dict[str, str]
) -> None:
    current = client.get("/v1/settings", headers=planner).json
    assert current["settings"]["ENTRY_DEADLINE"] == "10_calendar_days"
    assert current["defaults"] == current["settings"]
    doc = load_fixture("invalid-elig.30days.json")
    assert "elig.30days" in {
        f["rule"] for f in client.post("/v1/validate", json=doc, headers=planner).json["findings"]
    }
    resp = client.put("/v1/settings", json={"ELIGIBILITY_MAX_DAYS": 365}, headers=admin)
    assert resp.status_code == 200
    assert resp.json["settings"]["ELIGIBILITY_MAX_DAYS"] == 365
    assert resp.json["settings"]["CONTACT_MODE"] == "two_way_any"
    findings = client.post("/v1/validate", json=doc, headers=planner).json["findings"]
    assert "elig.30days" not in {f["rule"] for f in findings}


def test_bad_settings_are_422(client: FlaskClient, admin: dict[str, str]) -> None:
    for body, pointer in (
        ({"NOT_A_SETTING": 1}, "/NOT_A_SETTING"),
        ({"ENTRY_DEADLINE": "whenever"}, "/ENTRY_DEADLINE"),
        ({"CONTACT_INTERVAL_DAYS": "30"}, "/CONTACT_INTERVAL_DAYS"),
        ({"CONTACT_INTERVAL_DAYS": True}, "/CONTACT_INTERVAL_DAYS"),
        ({"BUSINESS_HOLIDAYS": ["2025-02-30"]}, "/BUSINESS_HOLIDAYS"),
        ({"SIGNATURE_METHODS": []}, "/SIGNATURE_METHODS"),
    ):
        resp = client.put("/v1/settings", json=body, headers=admin)
        assert resp.status_code == 422, body
        assert problem_of(resp)["errors"][0]["pointer"] == pointer
    assert client.get("/v1/settings", headers=admin).json["settings"]["ENTRY_DEADLINE"] == "10_calendar_days"


def test_openapi_and_docs_are_served_locally(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").json
    assert "/v1/plans" in spec["paths"]
    assert "/v1/validate" in spec["paths"]
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    with client.get("/docs/assets/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200
        assert asset.mimetype in ("text/javascript", "application/javascript")


def test_request_id_is_echoed(client: FlaskClient) -> None:
    resp = client.get("/healthz", headers={"X-Request-Id": "abc12345-trace"})
    assert resp.headers["X-Request-Id"] == "abc12345-trace"
    assert len(client.get("/healthz").headers["X-Request-Id"]) == 32


def test_plan_id_of_another_participant_is_409(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store_record(client, planner)
    other = copy.deepcopy(record["participant"])
    other["id"] = "P-OTHER"
    assert client.post("/v1/participants", json=other, headers=planner).status_code == 201
    for assessment in record["assessments"]:
        moved = dict(assessment, id=assessment["id"] + "-O", participant_id="P-OTHER")
        assert client.post("/v1/assessments", json=moved, headers=planner).status_code == 201
    plan = copy.deepcopy(record["plans"][0])
    plan["participant_id"] = "P-OTHER"
    plan["assessment_ids"] = [a["id"] + "-O" for a in record["assessments"]]
    for version in (1, 2):
        plan["version"] = version
        resp = client.post("/v1/plans", json=plan, headers=planner)
        assert resp.status_code == 409, resp.json
        problem_of(resp)
    assert client.get("/v1/plans?participant_id=P-OTHER", headers=planner).json["total"] == 0


def test_timestamps_carry_their_offset(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store_record(client, planner)
    got = client.get(f"/v1/participants/{record['participant']['id']}", headers=planner).json
    assert got["created_at"].endswith("+00:00")
