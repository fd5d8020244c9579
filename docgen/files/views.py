"""HTTP for stored files: find, stream (hash-checked), short-lived download links, delete drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

import storage as objects
from docgen import callers
from docgen.contract import ID_PATTERN
from docgen.db import session
from docgen.errors import NotFound

from . import services
from .models import StoredFile

blp = Blueprint("files", __name__, url_prefix="/v1", description="Stored renderings and signed originals.")


class StoredFileSchema(Schema):
    id = fields.String(attribute="public_id", required=True)
    doc_type = fields.String(required=True)
    doc_id = fields.String(required=True)
    doc_version = fields.Integer(required=True)
    participant_id = fields.String(allow_none=True)
    rendition = fields.Integer(required=True, metadata={"description": "Stored version of this rendering."})
    format = fields.String(required=True)
    draft = fields.Boolean(required=True)
    original = fields.Boolean(required=True, metadata={"description": "A signed original (immutable)."})
    key = fields.String(
        required=True, metadata={"description": "Object key: org/participant/kind/id/version."}
    )
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    locked_until = fields.DateTime(allow_none=True)
    legal_hold = fields.Boolean(required=True)


class FilePageSchema(Schema):
    items = fields.List(fields.Nested(StoredFileSchema), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


class FileQuerySchema(Schema):
    doc_type = fields.String(validate=validate.OneOf(["plan", "case_note", "mou"]))
    doc_id = fields.String(validate=validate.Regexp(ID_PATTERN))
    participant_id = fields.String(validate=validate.Regexp(ID_PATTERN))
    originals = fields.Boolean(load_default=False, metadata={"description": "Only signed originals."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DownloadLinkSchema(Schema):
    url = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


def file_response(row: StoredFile, data: bytes, *, disposition: str = "attachment") -> Response:
    filename = services.download_filename(row)
    resp = Response(data, mimetype=row.content_type)
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    resp.headers["ETag"] = f'"{row.sha256}"'
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _row(public_id: str) -> StoredFile:
    if not (len(public_id) == 32 and all(c in "0123456789abcdef" for c in public_id)):
        raise NotFound("No stored file with this id.")
    return services.get_file(session(), callers.reader().org_id, public_id)


@blp.route("/files")
class Files(MethodView):
    @blp.arguments(FileQuerySchema, location="query")
    @blp.response(200, FilePageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Find stored files (clerks retrieving signed originals for monitors)."""
        caller = callers.reader()
        rows, total = services.list_files(
            session(),
            caller.org_id,
            doc_type=args.get("doc_type"),
            doc_id=args.get("doc_id"),
            participant_id=args.get("participant_id"),
            originals_only=args["originals"],
            page=args["page"],
            page_size=args["page_size"],
        )
        return {"items": rows, "page": args["page"], "page_size": args["page_size"], "total": total}


@blp.route("/files/<public_id>")
class FileItem(MethodView):
    @blp.response(200, StoredFileSchema)
    def get(self, public_id: str) -> StoredFile:
        return _row(public_id)

    @blp.response(204)
    def delete(self, public_id: str) -> None:
        """Delete a draft rendering. Signed originals cannot be deleted."""
        caller = callers.writer()  # 403 before 404
        services.delete_draft(session(), services.get_storage(), caller, _row(public_id))


@blp.route("/files/<public_id>/content")
class FileContent(MethodView):
    @blp.response(200, content_type="application/octet-stream")
    def get(self, public_id: str) -> Response:
        """The bytes, checked against the recorded SHA-256 (a mismatch is never served)."""
        row = _row(public_id)
        return file_response(row, services.read_file(services.get_storage(), row))


@blp.route("/files/<public_id>/download-link")
class FileDownloadLink(MethodView):
    @blp.response(200, DownloadLinkSchema)
    def post(self, public_id: str) -> dict[str, Any]:
        """A short-lived link (S3 presigned GET, or a signed local link), default 5 minutes."""
        row = _row(public_id)
        seconds = int(current_app.config["DOWNLOAD_SECONDS"])
        url = services.download_url(services.get_storage(), row, seconds)
        return {"url": url, "expires_at": dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)}


class LegalHoldSchema(Schema):
    on = fields.Boolean(required=True)


class RetentionSchema(Schema):
    retain_until = fields.AwareDateTime(
        required=True, metadata={"description": "Later than the current date."}
    )


@blp.route("/files/<public_id>/legal-hold")
class FileLegalHold(MethodView):
    @blp.arguments(LegalHoldSchema)
    @blp.response(200, StoredFileSchema)
    def put(self, args: dict[str, Any], public_id: str) -> StoredFile:
        """Place or lift a legal hold (admin only): a held file cannot be deleted, whatever its retention."""
        caller = callers.admin()
        row = _row(public_id)
        return services.set_legal_hold(session(), services.get_storage(), caller, row, args["on"])


@blp.route("/files/<public_id>/retention")
class FileRetention(MethodView):
    @blp.arguments(RetentionSchema)
    @blp.response(200, StoredFileSchema)
    def put(self, args: dict[str, Any], public_id: str) -> StoredFile:
        """Extend a signed original's retain-until date (admin only); it can never be shortened."""
        caller = callers.admin()
        row = _row(public_id)
        return services.extend_retention(session(), services.get_storage(), caller, row, args["retain_until"])


downloads = Blueprint("downloads", __name__, url_prefix="/v1", description="Signed download links.")


@downloads.route("/downloads/<token>")
class Download(MethodView):
    @downloads.response(200, content_type="application/octet-stream")
    def get(self, token: str) -> Response:
        """The bytes behind a signed, expiring link (local storage); the link itself is the authorisation."""
        grant = objects.verify_download_token(token, secret_key=current_app.config["SECRET_KEY"])
        row = session().scalar(
            select(StoredFile).where(StoredFile.key == grant.key.path, StoredFile.deleted_at.is_(None))
        )
        if row is None or row.sha256 != grant.sha256:
            raise NotFound("This file is no longer available.")
        return file_response(row, services.read_file(services.get_storage(), row))
