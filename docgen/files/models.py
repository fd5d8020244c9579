from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docgen.db import Base, UTCDateTime
from docgen.orgs.models import utcnow


class StoredFile(Base):
    """One object in storage. The row is committed only after the object is durably stored, so a row never
    points at nothing; an object without a row is an orphan (`flask storage sweep`)."""

    __tablename__ = "stored_files"
    __table_args__ = (
        UniqueConstraint("org_id", "doc_type", "doc_id", "rendition"),
        UniqueConstraint("key"),
        Index("ix_stored_files_document", "org_id", "doc_type", "doc_id", "doc_version", "format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id in URLs (database keys stay internal).
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    participant_id: Mapped[str | None] = mapped_column(String(64))
    doc_type: Mapped[str] = mapped_column(String(16))
    doc_id: Mapped[str] = mapped_column(String(64))
    doc_version: Mapped[int] = mapped_column(Integer)
    # The object-key version: one per stored rendering of this document, never overwritten.
    rendition: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(8))
    draft: Mapped[bool] = mapped_column(Boolean)
    original: Mapped[bool] = mapped_column(Boolean, default=False)
    # SHA-256 of everything the rendering was made from, so an unchanged document is served, not re-rendered.
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    version_id: Mapped[str | None] = mapped_column(String(200))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
