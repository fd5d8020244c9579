"""The S3 backend (DOCGEN_STORAGE_URL=s3://bucket/prefix): the only module in docgen that imports boto3.

- Writes are one PutObject carrying `x-amz-checksum-sha256` (S3 recomputes it and answers BadDigest on a
  mismatch, so a body damaged on the way is never stored) and `If-None-Match: *` (S3 refuses a second
  object at the key, so a version is never overwritten, even by a concurrent put).
- Signed originals are written with Object Lock (mode and retention from the configuration): the server
  then refuses to delete that object version, whatever this code does, until the retain-until date, or
  while a legal hold is on. The bucket must have been created with Object Lock enabled.
- Reads ask for the stored checksum (botocore re-checks it on the stream) and re-hash the bytes against
  the caller's SHA-256; a presigned URL is issued only after its version was read and re-hashed, and is
  pinned to that version id.
- Every botocore error becomes one of storage.errors.
"""

from __future__ import annotations

import base64
import functools
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, NoReturn
from urllib.parse import quote, unquote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, FlexibleChecksumError

from storage.base import (
    DEFAULT_DOWNLOAD_SECONDS,
    Clock,
    LockMode,
    StoredObject,
    check_aware,
    check_content_type,
    check_created_by,
    check_expires_in,
    check_extension,
    check_lock_mode,
    check_payload,
    check_read,
    check_retention_target,
    check_retention_years,
    check_sha256_hex,
    lock_until,
    utc_now,
)
from storage.errors import (
    BackendUnavailable,
    IntegrityError,
    InvalidKey,
    ObjectExists,
    ObjectLocked,
    ObjectNotFound,
    StorageError,
)
from storage.keys import PART_PATTERN, ObjectKey, validate_part, validate_prefix

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

Operation = Literal["put", "read", "delete", "lock", "list", "presign"]
SseMode = Literal["AES256", "aws:kms"]
SSE_NAMES: dict[str, SseMode] = {
    "AES256": "AES256",
    "SSE-S3": "AES256",
    "aws:kms": "aws:kms",
    "SSE-KMS": "aws:kms",
}
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
META_SHA256 = "sha256"
META_CREATED_AT = "created-at"
META_CREATED_BY = "created-by"

NOT_FOUND_CODES = frozenset({"NoSuchKey", "NoSuchVersion", "NotFound", "404"})
EXISTS_CODES = frozenset({"PreconditionFailed", "ConditionalRequestConflict", "412"})
DIGEST_CODES = frozenset({"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"})
LOCK_REFUSAL_CODES = frozenset({"AccessDenied"})


_SESSION_LOCK = threading.Lock()


@functools.cache
def _session() -> boto3.session.Session:
    """One boto3 session per process (loading the S3 model costs ~0.5 s); clients are made under a lock
    because sessions, unlike clients, are not thread-safe."""
    return boto3.session.Session()


class S3Storage:
    """Storage in one S3 (or S3-compatible) bucket under a key prefix; see the module docstring."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        object_lock_mode: LockMode = "COMPLIANCE",
        retention_years: int = 3,
        sse: str | None = None,
        kms_key_id: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        if BUCKET_NAME.fullmatch(bucket) is None or ".." in bucket:
            raise ValueError("not a valid S3 bucket name")
        parts = [part for part in prefix.split("/") if part]
        for part in parts:
            if PART_PATTERN.fullmatch(part) is None or ".." in part:
                raise ValueError("the S3 key prefix must be slash-separated parts of [A-Za-z0-9_.-]")
        check_retention_years(retention_years)
        if sse is not None and sse not in SSE_NAMES:
            raise ValueError(f"sse must be one of {', '.join(SSE_NAMES)} (or None)")
        self.sse: SseMode | None = SSE_NAMES[sse] if sse is not None else None
        if kms_key_id is not None and self.sse != "aws:kms":
            raise ValueError("kms_key_id is only meaningful with sse='aws:kms'")
        self.bucket = bucket
        self.prefix = "".join(f"{part}/" for part in parts)
        self.kms_key_id = kms_key_id
        self.object_lock_mode = check_lock_mode(object_lock_mode)
        self.retention_years = retention_years
        self._clock = clock
        config = Config(
            signature_version="s3v4",
            # S3-compatible servers (MinIO, moto, Ceph) are usually reached by path, AWS itself by host name.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=5,
            read_timeout=60,
        )
        with _SESSION_LOCK:
            self.client: S3Client = _session().client("s3", endpoint_url=endpoint_url, config=config)

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def _name(self, key: ObjectKey) -> str:
        if not isinstance(key, ObjectKey):
            raise InvalidKey("a storage key must be an ObjectKey")
        return self.prefix + key.path

    # -- the Storage protocol ------------------------------------------------------------------------

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
        name = self._name(key)
        digest = check_payload(key, data, sha256)
        body = bytes(data) if not isinstance(data, bytes) else data
        now = check_aware(self._clock(), "clock")
        meta = StoredObject(
            key=key,
            sha256=digest,
            size=len(body),
            content_type=check_content_type(content_type),
            created_at=now,
            created_by=check_created_by(created_by),
        )
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": name,
            "Body": body,
            "ContentType": meta.content_type,
            "ChecksumAlgorithm": "SHA256",
            "ChecksumSHA256": _b64_of_hex(digest),
            "IfNoneMatch": "*",
            "Metadata": {
                META_SHA256: meta.sha256,
                META_CREATED_AT: now.isoformat(),
                # S3 metadata is ASCII only; the name is percent-encoded and decoded again on read.
                META_CREATED_BY: quote(meta.created_by, safe=""),
            },
        }
        if self.sse is not None:
            params["ServerSideEncryption"] = self.sse
            if self.kms_key_id is not None:
                params["SSEKMSKeyId"] = self.kms_key_id
        locked_until = lock_until(signed_at, self.retention_years, now)
        if locked_until is not None:
            params["ObjectLockMode"] = self.object_lock_mode
            params["ObjectLockRetainUntilDate"] = locked_until
        try:
            response = self.client.put_object(**params)
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "put")
        return replace(
            meta,
            locked_until=locked_until,
            lock_mode=self.object_lock_mode if locked_until is not None else None,
            version_id=response.get("VersionId"),
        )

    def get(self, key: ObjectKey, *, expected_sha256: str) -> bytes:
        check_sha256_hex(expected_sha256, "expected_sha256")
        meta, data = self._read(key)
        check_read(key, data, meta, expected_sha256)
        return data

    def stat(self, key: ObjectKey) -> StoredObject:
        name = self._name(key)
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=name, ChecksumMode="ENABLED")
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "read")
        return _meta_from_response(key, response)

    def exists(self, key: ObjectKey) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        except IntegrityError:
            # Something occupies the key even if it is not a well-formed docgen object.
            return True
        return True

    def delete(self, key: ObjectKey) -> None:
        name = self._name(key)
        meta = self.stat(key)
        if meta.is_locked(self._clock()):
            raise ObjectLocked("under retention or legal hold: the object cannot be deleted", key=key.path)
        try:
            versions = self._versions(name)
            # Newest first; every version goes, so a deleted draft leaves nothing behind to be restored.
            for version_id in versions:
                self.client.delete_object(Bucket=self.bucket, Key=name, VersionId=version_id)
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "delete")

    def list(self, prefix: str = "") -> Iterator[ObjectKey]:
        validate_prefix(prefix)
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                for item in page.get("Contents", []):
                    try:
                        yield ObjectKey.parse(item["Key"][len(self.prefix) :])
                    except InvalidKey:
                        continue
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, None, "list")

    def download_url(
        self,
        key: ObjectKey,
        *,
        expected_sha256: str,
        expires_in: int = DEFAULT_DOWNLOAD_SECONDS,
        filename: str | None = None,
    ) -> str:
        check_sha256_hex(expected_sha256, "expected_sha256")
        check_expires_in(expires_in)
        download_name = validate_part("filename", filename) if filename is not None else key.filename
        # The URL bypasses this layer, so the bytes are read and re-hashed first (one GET: documents are
        # small), and the URL is pinned to exactly the version that passed. S3 versions never change, so
        # what the URL serves is what was checked, even on a server that does not verify checksums.
        meta, data = self._read(key)
        check_read(key, data, meta, expected_sha256)
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self._name(key),
            "ResponseContentDisposition": f'attachment; filename="{download_name}"',
            "ResponseContentType": meta.content_type,
        }
        if meta.version_id is not None:
            # Pinned to the version whose hashes were just checked: a later write at the key is not served.
            params["VersionId"] = meta.version_id
        try:
            return self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires_in, HttpMethod="GET"
            )
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "presign")

    def extend_retention(self, key: ObjectKey, until: datetime) -> StoredObject:
        target = check_retention_target(until, self._clock())
        meta = self.stat(key)
        check_extension(meta, target)
        mode = meta.lock_mode or self.object_lock_mode
        params = self._version_params(key, meta)
        try:
            self.client.put_object_retention(**params, Retention={"Mode": mode, "RetainUntilDate": target})
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "lock")
        return self.stat(key)

    def set_legal_hold(self, key: ObjectKey, on: bool) -> StoredObject:
        meta = self.stat(key)
        params = self._version_params(key, meta)
        try:
            self.client.put_object_legal_hold(**params, LegalHold={"Status": "ON" if on else "OFF"})
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "lock")
        return self.stat(key)

    def verify(self, key: ObjectKey, *, expected_sha256: str | None = None) -> StoredObject:
        meta, data = self._read(key)
        check_read(key, data, meta, expected_sha256 if expected_sha256 is not None else meta.sha256)
        return meta

    # -- S3 work -------------------------------------------------------------------------------------

    def _read(self, key: ObjectKey) -> tuple[StoredObject, bytes]:
        name = self._name(key)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=name, ChecksumMode="ENABLED")
            with response["Body"] as body:
                data = body.read()
        except (ClientError, BotoCoreError) as exc:
            _translate(exc, key, "read")
        return _meta_from_response(key, response), data

    def _versions(self, name: str) -> tuple[str, ...]:
        """Every version id (and delete marker) at exactly `name`, newest first."""
        found: dict[str, datetime] = {}
        paginator = self.client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=name):
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                if entry.get("Key") == name and "VersionId" in entry:
                    found[entry["VersionId"]] = entry["LastModified"]
        return tuple(sorted(found, key=found.__getitem__, reverse=True))

    def _version_params(self, key: ObjectKey, meta: StoredObject) -> dict[str, Any]:
        """Bucket, key and the version id just seen: a lock change lands on the version that was checked."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self._name(key)}
        if meta.version_id is not None:
            params["VersionId"] = meta.version_id
        return params


def _meta_from_response(key: ObjectKey, response: Mapping[str, Any]) -> StoredObject:
    """StoredObject from a HeadObject/GetObject response; IntegrityError if docgen's metadata is absent."""
    metadata = response.get("Metadata") or {}
    try:
        sha256 = check_sha256_hex(metadata[META_SHA256])
        created_at = check_aware(datetime.fromisoformat(metadata[META_CREATED_AT]), "created-at")
        created_by = unquote(metadata[META_CREATED_BY], errors="strict")
    except (KeyError, ValueError, UnicodeError) as exc:
        raise IntegrityError("the stored object lacks docgen's metadata", key=key.path) from exc
    server_checksum = response.get("ChecksumSHA256")
    if server_checksum is not None and server_checksum != _b64_of_hex(sha256):
        raise IntegrityError("the server's checksum disagrees with the recorded SHA-256", key=key.path)
    locked_until = response.get("ObjectLockRetainUntilDate")
    mode = response.get("ObjectLockMode")
    return StoredObject(
        key=key,
        sha256=sha256,
        size=int(response["ContentLength"]),
        content_type=str(response.get("ContentType", "application/octet-stream")),
        created_at=created_at,
        created_by=created_by,
        locked_until=locked_until.astimezone(UTC) if isinstance(locked_until, datetime) else None,
        lock_mode=check_lock_mode(mode) if mode else None,
        legal_hold=response.get("ObjectLockLegalHoldStatus") == "ON",
        version_id=response.get("VersionId"),
    )


def _b64_of_hex(sha256: str) -> str:
    return base64.b64encode(bytes.fromhex(sha256)).decode("ascii")


def _translate(exc: ClientError | BotoCoreError, key: ObjectKey | None, operation: Operation) -> NoReturn:
    """Raise the storage exception for a botocore error (the botocore one is kept as __cause__)."""
    path = key.path if key is not None else None
    if isinstance(exc, FlexibleChecksumError):
        raise IntegrityError("the bytes read do not match the server's checksum", key=path) from exc
    if isinstance(exc, BotoCoreError):
        raise BackendUnavailable(f"storage backend unreachable ({type(exc).__name__})", key=path) from exc
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    error_class: type[StorageError]
    if code in NOT_FOUND_CODES:
        error_class, detail = ObjectNotFound, "no object is stored at this key"
    elif operation == "put" and (code in EXISTS_CODES or status == 412):
        error_class, detail = ObjectExists, "an object is already stored at this key"
    elif code in DIGEST_CODES:
        error_class, detail = IntegrityError, f"the server refused the bytes: checksum mismatch ({code})"
    elif operation in ("delete", "lock") and code in LOCK_REFUSAL_CODES:
        error_class, detail = ObjectLocked, f"the storage server refused: the object is locked ({code})"
    elif code == "NoSuchBucket":
        error_class, detail = BackendUnavailable, "the storage bucket does not exist"
    else:
        error_class, detail = BackendUnavailable, f"the storage backend refused ({code or status})"
    raise error_class(detail, key=path) from exc
