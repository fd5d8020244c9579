"""The storage layer's own exceptions: nothing above storage/ ever sees a backend's (boto3's, the OS's).

Each carries a short `title` and an HTTP-ish `status` that the application's problem+json handler can use
as they are; `detail` is the message. Messages name the object key (organisation, participant, kind and
document ids, never a person's data) and never the bytes.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage failure."""

    title = "Storage error"
    status = 500

    def __init__(self, detail: str, *, key: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.key = key


class ObjectNotFound(StorageError):
    title = "Stored object not found"
    status = 404


class ObjectExists(StorageError):
    """A put to a key that already holds an object: versions are never overwritten."""

    title = "Stored object already exists"
    status = 409


class ObjectLocked(StorageError):
    """Delete, overwrite or retention shortening of an object under retention or legal hold."""

    title = "Stored object is locked"
    status = 423


class IntegrityError(StorageError):
    """The bytes do not match their recorded SHA-256 (or size, or metadata): they are never served."""

    title = "Stored object failed its integrity check"
    status = 500


class InvalidKey(StorageError):
    title = "Invalid storage key"
    status = 400


class BackendUnavailable(StorageError):
    """The backend could not be reached or refused to serve (network, 5xx, permissions, missing bucket)."""

    title = "Storage backend unavailable"
    status = 502


class InvalidDownloadToken(StorageError):
    """A download token that is malformed, tampered with, signed with another key, or expired."""

    title = "Invalid or expired download link"
    status = 403


class DownloadTokenExpired(InvalidDownloadToken):
    title = "Download link expired"
    status = 410
