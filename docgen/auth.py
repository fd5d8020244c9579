"""Bearer tokens: random, stored only as a SHA-256 hash, revocable; one role per token's user."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from flask import g, request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from docgen.db import Prepared, session
from docgen.errors import Forbidden, Unauthorized
from docgen.orgs.models import ROLES, WRITE_ROLES, ApiToken, Organisation, User, utcnow

TOKEN_PREFIX = "dg_"  # noqa: S105  (a marker that makes leaked tokens easy to find, not a secret)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the organisation every query is scoped by, the user, and the role."""

    org_id: int
    user_id: int
    role: str
    # The organisation's changed settings (name -> JSON value), read with the token in one query.
    settings: dict[str, Any]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(s: Session, org_name: str, role: str, user_name: str | None = None) -> tuple[str, ApiToken]:
    """Create the organisation if new, a user with `role`, and a token for it. Returns the token once."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    org = s.scalar(select(Organisation).where(Organisation.name == org_name))
    if org is None:
        org = Organisation(name=org_name, settings={})
        s.add(org)
        s.flush()
    user = User(org_id=org.id, name=user_name or role, role=role)
    s.add(user)
    s.flush()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(org_id=org.id, user_id=user.id, token_hash=hash_token(token), prefix=token[:10])
    s.add(row)
    s.flush()
    return token, row


def revoke_token(s: Session, token_or_prefix: str) -> int:
    """Revoke by the full token or by its prefix (as `token list` shows it). Returns how many were revoked."""
    if token_or_prefix.startswith(TOKEN_PREFIX) and len(token_or_prefix) > 16:
        rows = s.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(token_or_prefix))).all()
    else:
        rows = s.scalars(select(ApiToken).where(ApiToken.prefix == token_or_prefix)).all()
    count = 0
    for row in rows:
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            count += 1
    return count


# One query, plain columns (no ORM entities), built once and prepared: this runs on every request.
_TOKEN_QUERY = Prepared(
    select(ApiToken.org_id, ApiToken.user_id, ApiToken.revoked_at, User.role, Organisation.settings)
    .join(User, User.id == ApiToken.user_id)
    .join(Organisation, Organisation.id == ApiToken.org_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def authenticate() -> Principal:
    """The caller of this request, from `Authorization: Bearer <token>`; 401 otherwise."""
    if "principal" in g:
        p: Principal = g.principal
        return p
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Send an API token as `Authorization: Bearer <token>`.")
    if len(token) > 200:
        raise Unauthorized("The API token is not valid.")
    rows = _TOKEN_QUERY.run(session(), {"token_hash": hash_token(token)})
    row = rows[0] if rows else None
    if row is None or row.revoked_at is not None:
        raise Unauthorized("The API token is not valid or has been revoked.")
    principal = Principal(row.org_id, row.user_id, row.role, row.settings or {})
    g.principal = principal
    return principal


def require_write() -> Principal:
    """Admins and planners change data; clerks and monitors read only."""
    p = authenticate()
    if p.role not in WRITE_ROLES:
        raise Forbidden(f"The {p.role} role can read but not change documents.")
    return p


def require_admin() -> Principal:
    p = authenticate()
    if p.role != "admin":
        raise Forbidden("Only an admin can do this.")
    return p
