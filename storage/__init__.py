"""Object storage for rendered document versions and signed originals.

    storage = open_storage("file:///var/lib/docgen/objects", secret_key=app_secret)
    storage = open_storage("s3://docgen-prod/objects", endpoint_url=None, sse="aws:kms", kms_key_id="alias/x")

Objects are found through the database (which keeps each one's SHA-256), written once, re-hashed on every
read, and signed originals (put with `signed_at`) cannot be deleted while under retention or legal hold.
Backend errors arrive as storage.errors exceptions; nothing outside this package imports boto3.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from storage.base import (
    DEFAULT_DOWNLOAD_SECONDS,
    Clock,
    LockMode,
    Storage,
    StoredObject,
    check_lock_mode,
    retain_until,
    sha256_hex,
    utc_now,
)
from storage.errors import (
    BackendUnavailable,
    DownloadTokenExpired,
    IntegrityError,
    InvalidDownloadToken,
    InvalidKey,
    ObjectExists,
    ObjectLocked,
    ObjectNotFound,
    StorageError,
)
from storage.keys import ObjectKey, key_prefix
from storage.tokens import DownloadGrant, sign_download_token, verify_download_token

__all__ = [
    "DEFAULT_DOWNLOAD_SECONDS",
    "BackendUnavailable",
    "DownloadGrant",
    "DownloadTokenExpired",
    "IntegrityError",
    "InvalidDownloadToken",
    "InvalidKey",
    "LockMode",
    "ObjectExists",
    "ObjectKey",
    "ObjectLocked",
    "ObjectNotFound",
    "Storage",
    "StorageError",
    "StoredObject",
    "key_prefix",
    "open_storage",
    "retain_until",
    "sha256_hex",
    "sign_download_token",
    "storage_from_env",
    "verify_download_token",
]


def open_storage(
    url: str,
    *,
    endpoint_url: str | None = None,
    secret_key: str | bytes | None = None,
    object_lock_mode: LockMode = "COMPLIANCE",
    retention_years: int = 3,
    sse: str | None = None,
    kms_key_id: str | None = None,
    download_base: str = "/v1/downloads",
    clock: Clock = utc_now,
) -> Storage:
    """The backend `url` names: `file:///absolute/path` or `s3://bucket/optional/prefix`.

    `secret_key` signs the local backend's download tokens (required there); `endpoint_url` points the S3
    backend at an S3-compatible server; `sse`/`kms_key_id` choose server-side encryption (SSE-S3:
    "AES256", SSE-KMS: "aws:kms" with an optional key id). Credentials come from boto3's usual chain.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise ValueError("a file storage URL is file:///absolute/path")
        if secret_key is None:
            raise ValueError("the local storage backend needs secret_key to sign download tokens")
        if sse is not None or kms_key_id is not None or endpoint_url is not None:
            raise ValueError("sse, kms_key_id and endpoint_url apply to the S3 backend only")
        from storage.local import LocalStorage

        return LocalStorage(
            unquote(parts.path),
            secret_key=secret_key,
            object_lock_mode=object_lock_mode,
            retention_years=retention_years,
            download_base=download_base,
            clock=clock,
        )
    if parts.scheme == "s3":
        if not parts.netloc or parts.query or parts.fragment:
            raise ValueError("an S3 storage URL is s3://bucket/optional/prefix")
        # Imported here so that a deployment on the local backend never loads boto3.
        from storage.s3 import S3Storage

        return S3Storage(
            parts.netloc,
            parts.path,
            endpoint_url=endpoint_url,
            object_lock_mode=object_lock_mode,
            retention_years=retention_years,
            sse=sse,
            kms_key_id=kms_key_id,
            clock=clock,
        )
    raise ValueError("DOCGEN_STORAGE_URL must start with file:// or s3://")


def storage_from_env(environ: Mapping[str, str], *, default_url: str, secret_key: str | bytes) -> Storage:
    """open_storage configured from DOCGEN_STORAGE_URL (else `default_url`) and its companion variables:
    DOCGEN_S3_ENDPOINT_URL, DOCGEN_S3_SSE, DOCGEN_S3_KMS_KEY_ID, DOCGEN_STORAGE_LOCK_MODE,
    DOCGEN_STORAGE_RETENTION_YEARS."""
    return open_storage(
        environ.get("DOCGEN_STORAGE_URL") or default_url,
        endpoint_url=environ.get("DOCGEN_S3_ENDPOINT_URL") or None,
        secret_key=secret_key,
        object_lock_mode=check_lock_mode(environ.get("DOCGEN_STORAGE_LOCK_MODE") or "COMPLIANCE"),
        retention_years=int(environ.get("DOCGEN_STORAGE_RETENTION_YEARS") or 3),
        sse=environ.get("DOCGEN_S3_SSE") or None,
        kms_key_id=environ.get("DOCGEN_S3_KMS_KEY_ID") or None,
    )
