"""The service-layer view of the authenticated caller (organisation, user, effective settings)."""

from __future__ import annotations

import json
from functools import lru_cache

from docgen.auth import Principal, authenticate, require_admin, require_write
from docgen.documents.services import Caller
from docgen.policy import Settings


@lru_cache(maxsize=256)
def _settings(serialised: str) -> Settings:
    return Settings.from_json(json.loads(serialised))


def _caller(p: Principal) -> Caller:
    return Caller(p.org_id, p.user_id, _settings(json.dumps(p.settings, sort_keys=True)))


def reader() -> Caller:
    return _caller(authenticate())


def writer() -> Caller:
    return _caller(require_write())


def admin() -> Caller:
    return _caller(require_admin())
