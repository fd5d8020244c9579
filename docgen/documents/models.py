from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docgen.db import Base, UTCDateTime
from docgen.orgs.models import utcnow


class Document(Base):
    """One stored contract document (one row per plan version).

    The body is the document exactly as accepted (minus `_` keys); the other columns are copies of its fields
    that queries filter on. Every query is scoped by `org_id`.
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("org_id", "doc_type", "doc_id", "version"),
        Index("ix_documents_participant", "org_id", "participant_id", "doc_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    doc_type: Mapped[str] = mapped_column(String(16))
    doc_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    participant_id: Mapped[str | None] = mapped_column(String(64))
    # plan kind / case-note type; plan status: for list filters.
    kind: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(String(16))
    # json, not jsonb, on PostgreSQL (migration 0004): written once, read whole, never queried inside.
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    # No error-severity finding at the time it was stored (S and R rules).
    valid: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
