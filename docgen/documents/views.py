"""HTTP for contract documents: thin MethodViews over docgen.documents.services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from docgen import callers
from docgen.contract.openapi import request_body
from docgen.db import session
from docgen.http import json_body, path_id
from docgen.policy.findings import Finding, has_errors

from . import services
from .models import Document
from .schemas import (
    AsOfQuerySchema,
    DocumentPageSchema,
    ListQuerySchema,
    RecordReportSchema,
    StoredDocumentSchema,
    StoredRecordSchema,
    ValidationResultSchema,
    VersionQuerySchema,
)

blp = Blueprint("documents", __name__, url_prefix="/v1", description="Contract documents and their findings.")


def envelope(row: Document | services.Written, findings: list[Finding] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "doc_type": row.doc_type,
        "id": row.doc_id,
        "version": row.version,
        "created_at": row.created_at,
        "valid": row.valid,
        "document": row.body,
    }
    if findings is not None:
        out["findings"] = [f.as_dict() for f in findings]
        out["valid"] = not has_errors(findings)
    return out


@blp.route("/validate")
class Validate(MethodView):
    @blp.doc(requestBody=request_body("any"), summary="Validate any contract document (dry run).")
    @blp.response(200, ValidationResultSchema)
    def post(self) -> dict[str, Any]:
        """Every finding for the document, by its `doc_type`; nothing is stored."""
        caller = callers.reader()
        findings = services.validate(session(), caller, json_body())
        return {"valid": not has_errors(findings), "findings": [f.as_dict() for f in findings]}


def _collection_views(doc_type: str, collection: str) -> None:
    title = doc_type.replace("_", " ")

    class Collection(MethodView):
        @blp.arguments(ListQuerySchema, location="query")
        @blp.response(200, DocumentPageSchema)
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            caller = callers.reader()
            page = services.list_documents(session(), caller.org_id, doc_type, **args)
            return {
                "items": [envelope(r, None) for r in page.items],
                "page": page.page,
                "page_size": page.page_size,
                "total": page.total,
            }

        @blp.doc(requestBody=request_body(doc_type), summary=f"Store a {title}.")
        @blp.response(201, StoredDocumentSchema)
        def post(self) -> dict[str, Any]:
            # submit() writes one statement on PostgreSQL, so no transaction is needed around it (db.session).
            s = session(autocommit=True)
            caller = callers.writer()
            stored = services.submit(s, caller, json_body(), doc_type)
            return envelope(stored.row, stored.findings)

    class Item(MethodView):
        @blp.arguments(VersionQuerySchema, location="query")
        @blp.response(200, StoredDocumentSchema)
        def get(self, args: dict[str, Any], doc_id: str) -> dict[str, Any]:
            caller = callers.reader()
            s = session()
            row = services.get_document(s, caller.org_id, doc_type, path_id(doc_id), args.get("version"))
            return envelope(row, services.current_findings(s, caller, row))

    Collection.__name__ = f"{doc_type.title().replace('_', '')}Collection"
    Item.__name__ = f"{doc_type.title().replace('_', '')}Item"
    blp.route(f"/{collection}", endpoint=f"{doc_type}_collection")(Collection)
    blp.route(f"/{collection}/<doc_id>", endpoint=f"{doc_type}_item")(Item)


for _doc_type, _collection in services.COLLECTIONS.items():
    _collection_views(_doc_type, _collection)


@blp.route("/records")
class Records(MethodView):
    @blp.doc(requestBody=request_body("record"), summary="Store a whole record bundle atomically.")
    @blp.response(201, StoredRecordSchema)
    def post(self) -> dict[str, Any]:
        caller = callers.writer()
        rows, findings = services.submit_record(session(), caller, json_body())
        return {
            "participant_id": rows[0].doc_id,
            "stored": [{"doc_type": r.doc_type, "id": r.doc_id, "version": r.version} for r in rows],
            "valid": not has_errors(findings),
            "findings": [f.as_dict() for f in findings],
        }


@blp.route("/participants/<doc_id>/record")
class ParticipantRecord(MethodView):
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, RecordReportSchema)
    def get(self, args: dict[str, Any], doc_id: str) -> dict[str, Any]:
        """The whole record with the findings of every rule; tracking rules as of today or `as_of`."""
        caller = callers.reader()
        as_of = args.get("as_of") or dt.datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()
        bundle, findings = services.record_report(session(), caller, path_id(doc_id), as_of)
        return {
            "as_of": as_of,
            "valid": not has_errors(findings),
            "record": bundle,
            "findings": [f.as_dict() for f in findings],
        }
