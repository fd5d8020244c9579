"""What every backend shares: the Storage protocol, StoredObject, and the checks on what goes in."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

from storage.errors import IntegrityError, ObjectLocked
from storage.keys import ObjectKey

LockMode = Literal["COMPLIANCE", "GOVERNANCE"]
LOCK_MODES: tuple[LockMode, ...] = ("COMPLIANCE", "GOVERNANCE")
DEFAULT_DOWNLOAD_SECONDS = 300
MAX_DOWNLOAD_SECONDS = 3600
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
CONTENT_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}")
MAX_CREATED_BY = 200

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One stored object as its backend describes it (the database row mirrors these fields)."""

    key: ObjectKey
    sha256: str
    size: int
    content_type: str
    created_at: datetime
    created_by: str
    locked_until: datetime | None = None
    lock_mode: LockMode | None = None
    legal_hold: bool = False
    version_id: str | None = None

    def is_locked(self, now: datetime) -> bool:
        """Whether delete (or retention shortening) must be refused at `now`."""
        return self.legal_hold or (self.locked_until is not None and self.locked_until > now)


class Storage(Protocol):
    """The one storage interface; `open_storage` returns the backend that DOCGEN_STORAGE_URL names.

    Objects are written once (a put to an existing key raises ObjectExists) and every read re-hashes the
    bytes against the SHA-256 the caller expects (from the database), raising IntegrityError on a mismatch.
    An object put with `signed_at` is a signed original: locked until signed_at + the retention period,
    refused for delete while locked or on legal hold.
    """

    def put(
        self,
        key: ObjectKey,
        data: bytes,
        *,
        content_type: str,
        created_by: str,
        sha256: str | None = None,
        signed_at: datetime | None = None,
    ) -> StoredObject:
        """Store `data` at `key`; `sha256` (hex), if given, must match `data` or nothing is written."""
        ...

    def get(self, key: ObjectKey, *, expected_sha256: str) -> bytes:
        """The bytes at `key`, only if they hash to `expected_sha256` (and to the stored metadata)."""
        ...

    def stat(self, key: ObjectKey) -> StoredObject:
        """The stored metadata, without reading the bytes."""
        ...

    def exists(self, key: ObjectKey) -> bool: ...

    def delete(self, key: ObjectKey) -> None:
        """Remove a draft; ObjectLocked for an object under retention or legal hold."""
        ...

    def list(self, prefix: str = "") -> Iterator[ObjectKey]:
        """Every key under `prefix` (whole leading key parts ending in '/', or '' for everything)."""
        ...

    def download_url(
        self,
        key: ObjectKey,
        *,
        expected_sha256: str,
        expires_in: int = DEFAULT_DOWNLOAD_SECONDS,
        filename: str | None = None,
    ) -> str:
        """A short-lived URL for the bytes at `key`, issued only if the stored hash is `expected_sha256`."""
        ...

    def extend_retention(self, key: ObjectKey, until: datetime) -> StoredObject:
        """Move the retain-until date later (never earlier: ObjectLocked)."""
        ...

    def set_legal_hold(self, key: ObjectKey, on: bool) -> StoredObject: ...

    def verify(self, key: ObjectKey, *, expected_sha256: str | None = None) -> StoredObject:
        """Re-read and re-hash the object (against `expected_sha256`, or its own metadata)."""
        ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_sha256_hex(value: object, what: str = "sha256") -> str:
    if not isinstance(value, str) or SHA256_HEX.fullmatch(value) is None:
        raise ValueError(f"{what} must be 64 lowercase hexadecimal characters")
    return value


def check_content_type(value: object) -> str:
    if not isinstance(value, str) or CONTENT_TYPE.fullmatch(value) is None:
        raise ValueError("content_type must be a bare MIME type such as application/pdf")
    return value


def check_created_by(value: object) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_CREATED_BY
        or not value.isprintable()
        or value != value.strip()
    ):
        raise ValueError(f"created_by must be 1 to {MAX_CREATED_BY} printable characters")
    return value


def check_aware(value: object, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def check_expires_in(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DOWNLOAD_SECONDS:
        raise ValueError(f"expires_in must be whole seconds from 1 to {MAX_DOWNLOAD_SECONDS}")
    return value


def check_lock_mode(value: object) -> LockMode:
    for mode in LOCK_MODES:
        if value == mode:
            return mode
    raise ValueError(f"object_lock_mode must be one of {', '.join(LOCK_MODES)}")


def retain_until(signed_at: datetime, years: int) -> datetime:
    """signed_at + `years` calendar years, in UTC; 29 February moves on to 1 March (keep, never cut short)."""
    start = check_aware(signed_at, "signed_at")
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, month=3, day=1)


def check_retention_years(value: int) -> int:
    if value < 1:
        raise ValueError("retention_years must be at least 1")
    return value


def lock_until(signed_at: datetime | None, years: int, now: datetime) -> datetime | None:
    """The retain-until date of an object put at `now` (signed at `signed_at`), or None if it is not locked:
    not a signed original, or its retention period is already over."""
    if signed_at is None:
        return None
    until = retain_until(signed_at, years)
    return until if until > now else None


def check_retention_target(until: object, now: datetime) -> datetime:
    """`until` in UTC, if it lies after `now` (a new retain-until date)."""
    target = check_aware(until, "until")
    if target <= now:
        raise ValueError("a retain-until date must lie in the future")
    return target


def check_extension(meta: StoredObject, target: datetime) -> None:
    """ObjectLocked if moving `meta`'s retain-until date to `target` would shorten it."""
    if meta.locked_until is not None and target < meta.locked_until:
        raise ObjectLocked("retention can be extended, never shortened", key=meta.key.path)


def check_payload(key: ObjectKey, data: bytes, sha256: str | None) -> str:
    """The hex SHA-256 of `data`; IntegrityError if the caller's `sha256` disagrees (nothing is stored)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("data must be bytes")
    actual = sha256_hex(bytes(data))
    if sha256 is not None and check_sha256_hex(sha256) != actual:
        raise IntegrityError("the bytes do not match the SHA-256 given; nothing stored", key=key.path)
    return actual


def check_read(key: ObjectKey, data: bytes, meta: StoredObject, expected_sha256: str) -> None:
    """IntegrityError unless `data` hashes to both the caller's expectation and the stored metadata."""
    check_sha256_hex(expected_sha256, "expected_sha256")
    actual = sha256_hex(data)
    if meta.sha256 != expected_sha256:
        raise IntegrityError("the stored metadata records another SHA-256 than expected", key=key.path)
    if len(data) != meta.size or actual != expected_sha256:
        raise IntegrityError("the stored bytes do not match their SHA-256", key=key.path)
