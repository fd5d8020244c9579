"""Forms over HTTP: DOCX and PDF of stored documents, stored through docgen.files, drafts watermarked,
organisation templates checked on upload."""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from typing import Any

import docx
import pypdf
from flask.testing import FlaskClient

from docgen.rendering import template_path
from tests.conftest import problem_of
from tests.fixtures import load_fixture, strip_meta

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _store(client: FlaskClient, headers: dict[str, str]) -> dict[str, Any]:
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    assert client.post("/v1/records", json=record, headers=headers).status_code == 201
    return record


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_plan_docx_and_pdf(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store(client, planner)
    plan = record["plans"][0]
    resp = client.get(f"/v1/plans/{plan['id']}/document?format=docx", headers=planner)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == DOCX_TYPE
    assert resp.headers["Content-Disposition"] == f'attachment; filename="{plan["id"]}-v1.docx"'
    assert resp.headers["ETag"] == f'"{hashlib.sha256(resp.data).hexdigest()}"'
    assert resp.headers["X-Docgen-Draft"] == "false"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(resp.data)).paragraphs)
    tables = " ".join(
        c.text for t in docx.Document(io.BytesIO(resp.data)).tables for r in t.rows for c in r.cells
    )
    assert plan["goals"][0]["description"] in text + tables
    assert record["participant"]["last_name"] in text + tables
    # The same inputs are served from storage, byte for byte; If-None-Match answers 304.
    again = client.get(f"/v1/plans/{plan['id']}/document?format=docx", headers=planner)
    assert again.data == resp.data
    assert again.headers["X-Docgen-File"] == resp.headers["X-Docgen-File"]
    assert (
        client.get(
            f"/v1/plans/{plan['id']}/document?format=docx",
            headers={**planner, "If-None-Match": resp.headers["ETag"]},
        ).status_code
        == 304
    )

    pdf = client.get(f"/v1/plans/{plan['id']}/document", headers=planner)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    body = _pdf_text(pdf.data)
    assert plan["id"] in body
    assert "DRAFT" not in body
    files = client.get(f"/v1/files?doc_id={plan['id']}", headers=planner).json["items"]
    assert {f["format"] for f in files} == {"docx", "pdf"}
    assert {f'"{f["sha256"]}"' for f in files} == {resp.headers["ETag"], pdf.headers["ETag"]}


def test_plan_with_errors_renders_only_as_draft(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store(client, planner)
    v2 = copy.deepcopy(record["plans"][0])
    v2["version"] = 2
    v2["revision"] = {"revised_on": "2025-04-01", "summary": "New target date.", "participant_agreed": True}
    assert client.post("/v1/plans", json=v2, headers=planner).status_code == 201  # lacks plan.dev_service
    resp = client.get(f"/v1/plans/{v2['id']}/document?version=2", headers=planner)
    assert resp.status_code == 200
    assert resp.headers["X-Docgen-Draft"] == "true"
    assert "DRAFT" in _pdf_text(resp.data)
    assert resp.headers["Content-Disposition"].endswith('-v2-draft.pdf"')
    version1 = client.get(f"/v1/plans/{v2['id']}/document?version=1", headers=planner)
    assert version1.headers["X-Docgen-Draft"] == "false"


def test_case_note_and_mou_forms(client: FlaskClient, planner: dict[str, str]) -> None:
    record = _store(client, planner)
    note = record["case_notes"][0]
    resp = client.get(f"/v1/case-notes/{note['id']}/document?format=docx", headers=planner)
    assert resp.status_code == 200
    mou = load_fixture("valid-mou.json")
    assert client.post("/v1/mous", json=mou, headers=planner).status_code == 201
    pdf = client.get(f"/v1/mous/{mou['id']}/document", headers=planner)
    assert pdf.status_code == 200
    assert mou["title"] in _pdf_text(pdf.data)


def test_document_errors_are_problems(client: FlaskClient, planner: dict[str, str]) -> None:
    problem_of(client.get("/v1/plans/NOPE/document", headers=planner))
    assert client.get("/v1/plans/NOPE/document", headers=planner).status_code == 404
    _store(client, planner)
    resp = client.get("/v1/plans/PL-1001/document?format=rtf", headers=planner)
    assert resp.status_code == 422
    problem_of(resp)
    assert client.get("/v1/plans/PL-1001/document").status_code == 401


def test_organisation_templates(client: FlaskClient, planner: dict[str, str], admin: dict[str, str]) -> None:
    shipped = template_path("iep").read_bytes()
    listed = client.get("/v1/templates", headers=planner).json["templates"]
    assert {t["name"]: t["source"] for t in listed} == dict.fromkeys(
        ("iep", "iss", "case_note", "mou"), "shipped"
    )
    assert (
        client.put("/v1/templates/iep", data=shipped, headers=planner, content_type=DOCX_TYPE).status_code
        == 403
    )
    assert (
        client.put("/v1/templates/iep", data=shipped, headers=admin, content_type="text/plain").status_code
        == 415
    )
    # A case-note form uploaded as the IEP lacks the IEP's required elements: refused, the old one stays.
    wrong = template_path("case_note").read_bytes()
    resp = client.put("/v1/templates/iep", data=wrong, headers=admin, content_type=DOCX_TYPE)
    assert resp.status_code == 422
    body = problem_of(resp)
    assert body["missing_elements"]
    assert client.get("/v1/templates/iep", headers=planner).data == shipped
    # Not a Word file at all.
    resp = client.put(
        "/v1/templates/iep", data=b"PK\x03\x04 not a docx", headers=admin, content_type=DOCX_TYPE
    )
    assert resp.status_code == 422
    # A valid one (the shipped form with a changed heading) is accepted and used.
    changed = _with_heading(shipped, "Our Board's IEP")
    resp = client.put("/v1/templates/iep", data=changed, headers=admin, content_type=DOCX_TYPE)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert {t["name"]: t["source"] for t in resp.json["templates"]}["iep"] == "organisation"
    _store(client, planner)
    rendered = client.get("/v1/plans/PL-1001/document?format=docx", headers=planner)
    assert b"Our Board" in zipfile.ZipFile(io.BytesIO(rendered.data)).read("word/document.xml")
    assert (
        client.put("/v1/templates/nope", data=shipped, headers=admin, content_type=DOCX_TYPE).status_code
        == 404
    )


def _with_heading(data: bytes, heading: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(b"Individual Employment Plan (IEP)", heading.encode(), 1)
            target.writestr(item, content)
    return out.getvalue()
