"""Storing and reading files through storage/, with the database as the index.

Write order (crash safety): the object is stored durably first, then its row is committed. A crash in
between leaves an orphan object (reported by `sweep`), never a row pointing at nothing. Deletes go the other
way: the row is marked deleted and committed first, then the object is removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError as DbIntegrityError
from sqlalchemy.orm import Session

import storage as objects
from docgen.documents.services import Caller
from docgen.errors import Conflict, NotFound, ValidationFailed
from docgen.orgs.models import Event, utcnow
from storage.base import check_lock_mode

from .models import StoredFile

log = logging.getLogger("docgen.files")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Called with the name of each step of a write; tests kill the process at a chosen step.
Checkpoint = Callable[[str], None]


def _no_checkpoint(step: str) -> None:
    return None


def init_app(app: Flask) -> None:
    cfg = app.config
    app.extensions["docgen.storage"] = objects.open_storage(
        cfg["STORAGE_URL"],
        endpoint_url=cfg.get("S3_ENDPOINT_URL") or None,
        secret_key=cfg["SECRET_KEY"],
        object_lock_mode=check_lock_mode(cfg["STORAGE_LOCK_MODE"]),
        retention_years=int(cfg["STORAGE_RETENTION_YEARS"]),
        sse=cfg.get("S3_SSE") or None,
        kms_key_id=cfg.get("S3_KMS_KEY_ID") or None,
    )


def get_storage(app: Flask | None = None) -> objects.Storage:
    store: objects.Storage = (app or current_app).extensions["docgen.storage"]
    return store


def org_part(org_id: int) -> str:
    return f"org-{org_id}"


def _key_part(value: str) -> str:
    """A contract id as a key part: ids are safe there, except that storage refuses `..` anywhere."""
    if ".." not in value:
        return value
    return f"{value.replace('.', '_')[:55]}-{hashlib.sha256(value.encode()).hexdigest()[:8]}"


def download_filename(row: StoredFile) -> str:
    suffix = "-draft" if row.draft else ""
    return f"{row.doc_id}-v{row.doc_version}{suffix}.{row.format}"


def object_key(
    org_id: int,
    participant_id: str | None,
    doc_type: str,
    doc_id: str,
    rendition: int,
    doc_version: int,
    fmt: str,
    draft: bool,
) -> objects.ObjectKey:
    """organisation / participant / document kind / document id / version / file name — readable by a person."""
    suffix = "-draft" if draft else ""
    # The file name leaves the id out: the id is the key part before, and a 64-character id plus a suffix would
    # not fit a key part.
    filename = f"{doc_type}-v{doc_version}{suffix}.{fmt}"
    return objects.ObjectKey(
        org_part(org_id),
        _key_part(participant_id or "no-participant"),
        doc_type,
        _key_part(doc_id),
        rendition,
        filename,
    )


@dataclass(frozen=True)
class FileRequest:
    """Plain data describing one file to store."""

    participant_id: str | None
    doc_type: str
    doc_id: str
    doc_version: int
    format: str
    draft: bool
    input_sha256: str | None = None
    signed_at: dt.datetime | None = None


def find_reusable(s: Session, org_id: int, req: FileRequest) -> StoredFile | None:
    """A stored file made from exactly the same inputs, if there is one (served instead of re-rendering)."""
    if req.input_sha256 is None:
        return None
    return s.scalar(
        select(StoredFile)
        .where(
            StoredFile.org_id == org_id,
            StoredFile.doc_type == req.doc_type,
            StoredFile.doc_id == req.doc_id,
            StoredFile.doc_version == req.doc_version,
            StoredFile.format == req.format,
            StoredFile.input_sha256 == req.input_sha256,
            StoredFile.deleted_at.is_(None),
        )
        .order_by(StoredFile.rendition.desc())
        .limit(1)
    )


def store_file(
    s: Session,
    store: objects.Storage,
    caller: Caller,
    req: FileRequest,
    data: bytes,
    *,
    checkpoint: Checkpoint = _no_checkpoint,
) -> StoredFile:
    """Store `data` as the next rendition of the document: object first, then the row."""
    latest = s.scalar(
        select(func.max(StoredFile.rendition)).where(
            StoredFile.org_id == caller.org_id,
            StoredFile.doc_type == req.doc_type,
            StoredFile.doc_id == req.doc_id,
        )
    )
    rendition = latest or 0
    for _attempt in range(20):
        # The next free number: a key already taken (by a concurrent request, or an orphan a crash left
        # behind) is skipped, never overwritten.
        rendition += 1
        key = object_key(
            caller.org_id,
            req.participant_id,
            req.doc_type,
            req.doc_id,
            rendition,
            req.doc_version,
            req.format,
            req.draft,
        )
        checkpoint("before_upload")
        try:
            meta = store.put(
                key,
                data,
                content_type=CONTENT_TYPES[req.format],
                created_by=f"user-{caller.user_id}" if caller.user_id else "docgen",
                signed_at=req.signed_at,
            )
        except objects.ObjectExists:
            continue
        checkpoint("after_upload")
        row = StoredFile(
            public_id=uuid.uuid4().hex,
            org_id=caller.org_id,
            participant_id=req.participant_id,
            doc_type=req.doc_type,
            doc_id=req.doc_id,
            doc_version=req.doc_version,
            rendition=rendition,
            format=req.format,
            draft=req.draft,
            original=req.signed_at is not None,
            input_sha256=req.input_sha256,
            key=key.path,
            sha256=meta.sha256,
            size=meta.size,
            content_type=meta.content_type,
            created_at=meta.created_at,
            created_by=caller.user_id,
            locked_until=meta.locked_until,
            legal_hold=meta.legal_hold,
            version_id=meta.version_id,
        )
        s.add(row)
        s.add(_event(caller, "file.stored", row))
        try:
            s.flush()
            checkpoint("before_commit")
            s.commit()
        except DbIntegrityError:
            s.rollback()
            continue
        checkpoint("after_commit")
        return row
    raise Conflict("The document is being stored by another request; try again.")


def _event(caller: Caller, kind: str, row: StoredFile) -> Event:
    return Event(
        org_id=caller.org_id,
        kind=kind,
        subject_type=row.doc_type,
        subject_id=row.doc_id,
        subject_version=row.doc_version,
        actor_id=caller.user_id,
        data={"file": row.public_id, "rendition": row.rendition, "format": row.format, "sha256": row.sha256},
    )


def get_file(s: Session, org_id: int, public_id: str) -> StoredFile:
    row = s.scalar(
        select(StoredFile).where(
            StoredFile.org_id == org_id, StoredFile.public_id == public_id, StoredFile.deleted_at.is_(None)
        )
    )
    if row is None:
        raise NotFound("No stored file with this id.")
    return row


def list_files(
    s: Session,
    org_id: int,
    *,
    doc_type: str | None,
    doc_id: str | None,
    participant_id: str | None,
    originals_only: bool,
    page: int,
    page_size: int,
) -> tuple[list[StoredFile], int]:
    conditions = [StoredFile.org_id == org_id, StoredFile.deleted_at.is_(None)]
    if doc_type:
        conditions.append(StoredFile.doc_type == doc_type)
    if doc_id:
        conditions.append(StoredFile.doc_id == doc_id)
    if participant_id:
        conditions.append(StoredFile.participant_id == participant_id)
    if originals_only:
        conditions.append(StoredFile.original.is_(True))
    total = s.scalar(select(func.count()).select_from(StoredFile).where(*conditions)) or 0
    rows = s.scalars(
        select(StoredFile)
        .where(*conditions)
        .order_by(StoredFile.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


def discard_corrupt(s: Session, caller: Caller, row: StoredFile) -> None:
    """A rendering that failed its integrity check is taken out of use (it is made again); originals never are."""
    if row.original:
        return
    row.deleted_at = utcnow()
    s.add(_event(caller, "file.integrity_failed", row))
    s.commit()


def read_file(store: objects.Storage, row: StoredFile) -> bytes:
    """The file's bytes, only if they still hash to the recorded SHA-256 (else storage's IntegrityError)."""
    try:
        return store.get(objects.ObjectKey.parse(row.key), expected_sha256=row.sha256)
    except objects.IntegrityError:
        # For the administrator: which object, never its content.
        log.error("integrity check failed for stored file %s", row.public_id)
        raise


def download_url(store: objects.Storage, row: StoredFile, expires_in: int) -> str:
    return store.download_url(
        objects.ObjectKey.parse(row.key),
        expected_sha256=row.sha256,
        expires_in=expires_in,
        filename=row.key.rsplit("/", 1)[-1],
    )


def delete_draft(s: Session, store: objects.Storage, caller: Caller, row: StoredFile) -> None:
    """Delete a draft rendering; a signed original is never deleted through the API or the CLI."""
    if row.original:
        raise objects.ObjectLocked("Signed originals are kept and cannot be deleted.", key=row.key)
    # Check the lock before touching the row: the row must never say "deleted" while the object is kept.
    if row.legal_hold or store.stat(objects.ObjectKey.parse(row.key)).is_locked(utcnow()):
        raise objects.ObjectLocked(
            "This file is under a legal hold or retention and cannot be deleted.", key=row.key
        )
    row.deleted_at = utcnow()
    s.add(_event(caller, "file.deleted", row))
    s.commit()
    # Already gone is fine: the row is marked deleted either way.
    with contextlib.suppress(objects.ObjectNotFound):
        store.delete(objects.ObjectKey.parse(row.key))


def set_legal_hold(
    s: Session, store: objects.Storage, caller: Caller, row: StoredFile, on: bool
) -> StoredFile:
    meta = store.set_legal_hold(objects.ObjectKey.parse(row.key), on)
    row.legal_hold = meta.legal_hold
    s.add(_event(caller, "file.legal_hold_on" if on else "file.legal_hold_off", row))
    s.commit()
    return row


def extend_retention(
    s: Session, store: objects.Storage, caller: Caller, row: StoredFile, until: dt.datetime
) -> StoredFile:
    """Keep a signed original longer (never shorter: ObjectLocked)."""
    if not row.original:
        raise Conflict("Only signed originals have a retention period.")
    if until <= utcnow():
        raise ValidationFailed(
            "The retain-until date must be in the future.",
            errors=[{"pointer": "/retain_until", "detail": "Must be later than now."}],
        )
    try:
        meta = store.extend_retention(objects.ObjectKey.parse(row.key), until)
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors=[{"pointer": "/retain_until", "detail": str(exc)}]) from None
    row.locked_until = meta.locked_until
    s.add(_event(caller, "file.retention_extended", row))
    s.commit()
    return row


# --- maintenance: sweep and verify -----------------------------------------------------------------


@dataclass(frozen=True)
class Orphan:
    key: str
    created_at: dt.datetime | None
    deleted: bool


def sweep(
    s: Session, store: objects.Storage, *, delete: bool, now: dt.datetime | None = None
) -> Iterator[Orphan]:
    """Objects no live row points at. With `delete`, removes those that are unlocked drafts older than a day."""
    now = now or utcnow()
    live = set(s.scalars(select(StoredFile.key).where(StoredFile.deleted_at.is_(None))))
    originals = set(s.scalars(select(StoredFile.key).where(StoredFile.original.is_(True))))
    for key in store.list():
        if key.path in live:
            continue
        created_at: dt.datetime | None = None
        removed = False
        try:
            meta = store.stat(key)
            created_at = meta.created_at
            old_enough = now - meta.created_at > dt.timedelta(days=1)
            if delete and old_enough and not meta.is_locked(now) and key.path not in originals:
                store.delete(key)
                removed = True
        except objects.StorageError as exc:
            # An object without readable metadata (e.g. a crash mid-write) is reported, never deleted blindly.
            log.warning("sweep: cannot inspect an orphan object: %s", type(exc).__name__)
        yield Orphan(key.path, created_at, removed)


@dataclass(frozen=True)
class VerifyProblem:
    public_id: str
    key: str
    problem: str


def verify(s: Session, store: objects.Storage) -> Iterator[VerifyProblem]:
    """Re-read every live object and report any whose hash no longer matches its row (or is missing)."""
    for row in s.scalars(select(StoredFile).where(StoredFile.deleted_at.is_(None)).order_by(StoredFile.id)):
        try:
            store.verify(objects.ObjectKey.parse(row.key), expected_sha256=row.sha256)
        except objects.StorageError as exc:
            yield VerifyProblem(row.public_id, row.key, type(exc).__name__)
