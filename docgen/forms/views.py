"""HTTP for forms: GET /v1/{plans,case-notes,mous}/{id}/document and the organisation's templates."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from docgen import callers
from docgen.db import session
from docgen.errors import NotFound, UnsupportedMediaType
from docgen.files.services import CONTENT_TYPES, download_filename
from docgen.http import path_id
from docgen.rendering.docx import TEMPLATE_KINDS

from . import services

blp = Blueprint("forms", __name__, url_prefix="/v1", description="Word and PDF forms.")


class DocumentQuerySchema(Schema):
    format = fields.String(load_default="pdf", validate=validate.OneOf(services.FORMATS))
    version = fields.Integer(
        validate=validate.Range(min=1, max=1_000_000), metadata={"description": "Plans."}
    )


class TemplateInfoSchema(Schema):
    name = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "`organisation` (uploaded) or `shipped`."})
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)


class TemplateListSchema(Schema):
    templates = fields.List(fields.Nested(TemplateInfoSchema), required=True)


def _document_views(doc_type: str, collection: str) -> None:
    class DocumentForm(MethodView):
        @blp.arguments(DocumentQuerySchema, location="query")
        @blp.response(200, content_type="application/pdf")
        def get(self, args: dict[str, Any], doc_id: str) -> Response:
            """The form as PDF/A-2b (default) or DOCX; a draft (watermarked) while it has error findings."""
            caller = callers.reader()
            rendered = services.render_document(
                session(), caller, doc_type, path_id(doc_id), args.get("version"), args["format"]
            )
            row = rendered.file
            etag = row.sha256
            if request.if_none_match.contains(etag):
                resp = Response(status=304)
            else:
                resp = Response(rendered.data, mimetype=row.content_type)
                resp.headers["Content-Disposition"] = f'attachment; filename="{download_filename(row)}"'
            resp.set_etag(etag)
            resp.headers["Cache-Control"] = "private, no-cache"
            resp.headers["X-Docgen-Draft"] = "true" if row.draft else "false"
            resp.headers["X-Docgen-File"] = row.public_id
            return resp

    DocumentForm.__name__ = f"{doc_type.title().replace('_', '')}Form"
    blp.route(f"/{collection}/<doc_id>/document", endpoint=f"{doc_type}_document")(DocumentForm)


for _doc_type, _collection in (("plan", "plans"), ("case_note", "case-notes"), ("mou", "mous")):
    _document_views(_doc_type, _collection)


@blp.route("/templates")
class Templates(MethodView):
    @blp.response(200, TemplateListSchema)
    def get(self) -> dict[str, Any]:
        caller = callers.reader()
        return {"templates": services.template_info(session(), caller.org_id)}


@blp.route("/templates/<name>")
class TemplateItem(MethodView):
    @blp.response(200, content_type=CONTENT_TYPES["docx"])
    def get(self, name: str) -> Response:
        """The template in use (the organisation's own, or the shipped one), to edit in Word."""
        caller = callers.reader()
        if name not in TEMPLATE_KINDS:
            raise NotFound(f"No template named {name!r}.")
        data = services.template_for(session(), caller.org_id, name)
        resp = Response(data, mimetype=CONTENT_TYPES["docx"])
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        return resp

    @blp.doc(
        requestBody={
            "required": True,
            "content": {CONTENT_TYPES["docx"]: {"schema": {"type": "string", "format": "binary"}}},
        }
    )
    @blp.response(200, TemplateListSchema)
    def put(self, name: str) -> dict[str, Any]:
        """Upload the organisation's version of a template (admin only); refused with 422 if it fails the check."""
        caller = callers.admin()
        if request.mimetype != CONTENT_TYPES["docx"]:
            raise UnsupportedMediaType(f"Send the template as `Content-Type: {CONTENT_TYPES['docx']}`.")
        services.put_template(session(), caller, name, request.get_data())
        return {"templates": services.template_info(session(), caller.org_id)}
