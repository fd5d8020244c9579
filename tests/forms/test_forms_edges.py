"""Forms and files edge cases found in review."""

from __future__ import annotations

import copy
import io

import pypdf
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TokenFactory, problem_of
from tests.fixtures import load_fixture, strip_meta


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_case_note_with_errors_renders_as_draft(client: FlaskClient, planner: dict[str, str]) -> None:
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    assert client.post("/v1/records", json=record, headers=planner).status_code == 201
    note = copy.deepcopy(record["case_notes"][0])
    note["id"] = "CN-EMPTY"
    note["narrative"] = " "  # casenote.narrative
    assert client.post("/v1/case-notes", json=note, headers=planner).status_code == 201
    resp = client.get("/v1/case-notes/CN-EMPTY/document", headers=planner)
    assert resp.headers["X-Docgen-Draft"] == "true"
    assert "DRAFT" in _pdf_text(resp.data)


def test_long_and_dotted_ids_render(client: FlaskClient, planner: dict[str, str]) -> None:
    mou = strip_meta(load_fixture("valid-mou.json"))
    for doc_id in ("M" * 64, "MOU..2026"):
        assert client.post("/v1/mous", json=dict(mou, id=doc_id), headers=planner).status_code == 201
        resp = client.get(f"/v1/mous/{doc_id}/document?format=docx", headers=planner)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
        assert resp.headers["Content-Disposition"] == f'attachment; filename="{doc_id}-v1.docx"'


def test_signed_valid_plan_pdf_is_a_locked_original(
    app: Flask, client: FlaskClient, make_token: TokenFactory
) -> None:
    admin = {"Authorization": f"Bearer {make_token('Example Board', 'admin')}"}
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    assert client.post("/v1/records", json=record, headers=admin).status_code == 201
    resp = client.get("/v1/plans/PL-1001/document", headers=admin)
    assert resp.headers["X-Docgen-Draft"] == "false"
    meta = client.get(f"/v1/files/{resp.headers['X-Docgen-File']}", headers=admin).json
    assert meta["original"] is True
    assert meta["locked_until"].startswith("2028-")  # last signature 2025-01-27 + 3 years
    deleted = client.delete(f"/v1/files/{meta['id']}", headers=admin)
    assert deleted.status_code == 423
    problem_of(deleted)
    past = client.put(
        f"/v1/files/{meta['id']}/retention", json={"retain_until": "2020-01-01T00:00:00Z"}, headers=admin
    )
    assert past.status_code == 422
    assert problem_of(past)["errors"][0]["pointer"] == "/retain_until"
    # A DOCX is an editable rendering, never the original.
    docx = client.get("/v1/plans/PL-1001/document?format=docx", headers=admin)
    assert client.get(f"/v1/files/{docx.headers['X-Docgen-File']}", headers=admin).json["original"] is False


def test_legal_hold_blocks_deleting_a_draft(client: FlaskClient, make_token: TokenFactory) -> None:
    admin = {"Authorization": f"Bearer {make_token('Example Board', 'admin')}"}
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    assert client.post("/v1/records", json=record, headers=admin).status_code == 201
    docx = client.get("/v1/plans/PL-1001/document?format=docx", headers=admin)
    file_id = docx.headers["X-Docgen-File"]
    assert client.put(f"/v1/files/{file_id}/legal-hold", json={"on": True}, headers=admin).status_code == 200
    assert client.delete(f"/v1/files/{file_id}", headers=admin).status_code == 423
    assert client.get(f"/v1/files/{file_id}", headers=admin).status_code == 200
    assert client.put(f"/v1/files/{file_id}/legal-hold", json={"on": False}, headers=admin).status_code == 200
    assert client.delete(f"/v1/files/{file_id}", headers=admin).status_code == 204
