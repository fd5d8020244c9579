"""Response and query schemas of the document endpoints (the request bodies are docgen.contract's)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from docgen.contract import ID_PATTERN


class CitationSchema(Schema):
    source = fields.String(required=True, metadata={"description": "Seed policy file, or `structural`."})
    quote = fields.String(required=True)


class FindingSchema(Schema):
    rule = fields.String(required=True, metadata={"description": "Rule id from rules.md, e.g. `plan.goals`."})
    severity = fields.String(required=True, validate=validate.OneOf(["error", "warning"]))
    path = fields.String(required=True, metadata={"description": "JSON Pointer into the document."})
    message = fields.String(required=True)
    citation = fields.Nested(CitationSchema, required=True)


class ValidationResultSchema(Schema):
    valid = fields.Boolean(required=True, metadata={"description": "No error-severity finding."})
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class StoredDocumentSummarySchema(Schema):
    doc_type = fields.String(required=True)
    id = fields.String(required=True)
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    valid = fields.Boolean(required=True, metadata={"description": "No error finding when it was stored."})
    document = fields.Dict(required=True, metadata={"description": "The document exactly as stored."})


class StoredDocumentSchema(StoredDocumentSummarySchema):
    valid = fields.Boolean(required=True, metadata={"description": "No error finding now."})
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class StoredRecordSchema(Schema):
    participant_id = fields.String(required=True)
    stored = fields.List(
        fields.Dict(), required=True, metadata={"description": "doc_type, id, version of each."}
    )
    valid = fields.Boolean(required=True)
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class DocumentPageSchema(Schema):
    items = fields.List(fields.Nested(StoredDocumentSummarySchema), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


class RecordReportSchema(Schema):
    as_of = fields.Date(required=True)
    valid = fields.Boolean(required=True)
    record = fields.Dict(required=True, metadata={"description": "The stored record as a `record` bundle."})
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class ListQuerySchema(Schema):
    participant_id = fields.String(validate=validate.Regexp(ID_PATTERN))
    kind = fields.String(
        validate=validate.Regexp(r"^[a-z_]{1,32}$"),
        metadata={"description": "Plan kind (iep, iss) or case-note type."},
    )
    status = fields.String(validate=validate.OneOf(["open", "closed"]), metadata={"description": "Plans."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class VersionQuerySchema(Schema):
    version = fields.Integer(validate=validate.Range(min=1, max=1_000_000))


class AsOfQuerySchema(Schema):
    as_of = fields.Date(metadata={"description": "Evaluation date of tracking rules; default today."})
