"""GET/PUT /v1/settings: the organisation's settings of rules.md section 7, with their defaults."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from docgen import callers
from docgen.db import session
from docgen.errors import ValidationFailed
from docgen.http import json_body
from docgen.orgs.models import Event, Organisation
from docgen.policy import Settings
from docgen.policy.settings import SettingsError

blp = Blueprint("settings", __name__, url_prefix="/v1", description="Organisation policy settings.")


class SettingsSchema(Schema):
    class Meta:
        # Setting name -> value, as rules.md section 7 names them.
        unknown = "include"

    ENTRY_DEADLINE = fields.String()
    BUSINESS_HOLIDAYS = fields.List(fields.String())
    CLOSURE_OUTCOME_DEADLINE_DAYS = fields.Integer()
    CONTACT_INTERVAL_DAYS = fields.Integer()
    CONTACT_MODE = fields.String()
    REVIEW_INTERVAL = fields.String()
    RESIGN_TRIGGER = fields.String()
    SIGNATURE_METHODS = fields.List(fields.String())
    YOUTH_PLAN_KIND = fields.String()
    ISS_GOAL_KINDS = fields.String()
    ISS_MUST_BE_FIRST_SERVICE = fields.Boolean()
    ELIGIBILITY_MAX_DAYS = fields.Integer()
    ASSESSMENT_MAX_AGE_MONTHS = fields.Integer()
    REQUIRE_BASIC_SKILLS_TEST_FOR_TRAINING = fields.Boolean()
    SIW_REQUIRED_FOR_TRAINING = fields.Boolean()
    SOFT_EXIT_DAYS = fields.Integer()
    NO_CONTACT_CLOSE_DAYS = fields.Integer()
    FOLLOW_UP_MONTHS = fields.Integer()
    RECORD_RETENTION = fields.Raw(metadata={"description": '"keep_all" or a number of years.'})


class SettingsViewSchema(Schema):
    settings = fields.Nested(SettingsSchema, required=True)
    defaults = fields.Nested(SettingsSchema, required=True)


def _view(settings: Settings) -> dict[str, Any]:
    return {"settings": settings.to_json(), "defaults": Settings().to_json()}


@blp.route("/settings")
class OrgSettings(MethodView):
    @blp.response(200, SettingsViewSchema)
    def get(self) -> dict[str, Any]:
        return _view(callers.reader().settings)

    @blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": SettingsSchema}}})
    @blp.response(200, SettingsViewSchema)
    def put(self) -> dict[str, Any]:
        """Change the settings named in the body (admin only); the others keep their values."""
        caller = callers.admin()
        changes = json_body()
        s = session()
        org = s.scalars(select(Organisation).where(Organisation.id == caller.org_id)).one()
        try:
            merged = Settings.from_json(org.settings or {}).updated(changes)
        except SettingsError as exc:
            raise ValidationFailed(
                "The settings were not changed.",
                errors=[{"pointer": p, "detail": m} for p, m in exc.errors.items()],
            ) from None
        defaults = Settings().to_json()
        org.settings = {k: v for k, v in merged.to_json().items() if v != defaults[k]}
        s.add(
            Event(
                org_id=caller.org_id,
                kind="settings.changed",
                subject_type="organisation",
                subject_id=str(caller.org_id),
                actor_id=caller.user_id,
                data={"names": sorted(changes)},
            )
        )
        s.commit()
        return _view(merged)
