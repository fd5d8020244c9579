"""GET /v1/rules: the rule catalogue, generated from the registry (never typed twice)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from docgen import callers
from docgen.documents.schemas import CitationSchema
from docgen.policy import RULES

blp = Blueprint("rules", __name__, url_prefix="/v1", description="The policy rule catalogue.")


class RuleSchema(Schema):
    id = fields.String(required=True)
    applies_to = fields.List(fields.String(), required=True)
    entity = fields.String(required=True)
    severity = fields.String(required=True)
    scope = fields.String(
        required=True, metadata={"description": "S, R, S+R, L, T or Y (rules.md section 1)."}
    )
    moment = fields.String(
        required=True, metadata={"description": "When it is checked: submit, tracking, lifecycle or system."}
    )
    description = fields.String(required=True)
    citations = fields.List(fields.Nested(CitationSchema), required=True)


class RuleListSchema(Schema):
    rules = fields.List(fields.Nested(RuleSchema), required=True)


@blp.route("/rules")
class Rules(MethodView):
    @blp.response(200, RuleListSchema)
    def get(self) -> dict[str, Any]:
        callers.reader()
        return {"rules": [rule.as_dict() for rule in sorted(RULES.values(), key=lambda r: r.id)]}
