"""The embedded backend: objects as files under one root directory (DOCGEN_STORAGE_URL=file:///path).

Layout: `<root>/<org>/<participant>/<kind>/<doc_id>/v<n>/<filename>`, and beside each file its metadata in
`.<filename>.meta.json` (names starting with '.' can never be key parts, so they never collide with an
object). Writes cannot half-happen: the bytes go to a temporary file that is fsynced, then hard-linked to
the final name (link, unlike rename, refuses to replace an existing file, so a version is never
overwritten, even by a concurrent put), and the directory is fsynced; the metadata is written the same way.
Data files and metadata are 0o444. Every path is resolved and checked to lie inside the root.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

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
from storage.keys import ObjectKey, validate_part, validate_prefix
from storage.tokens import secret_bytes, sign_download_token

META_FORMAT = 1
READ_ONLY = 0o444
DIR_MODE = 0o750
OPEN_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class LocalStorage:
    """Storage on the local file system; see the module docstring for the layout and guarantees."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        secret_key: str | bytes,
        object_lock_mode: LockMode = "COMPLIANCE",
        retention_years: int = 3,
        download_base: str = "/v1/downloads",
        clock: Clock = utc_now,
    ) -> None:
        path = Path(root)
        if not path.is_absolute():
            raise ValueError("the local storage root must be an absolute path")
        check_retention_years(retention_years)
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        self.root = path.resolve(strict=True)
        self._secret = secret_bytes(secret_key)
        self.object_lock_mode = check_lock_mode(object_lock_mode)
        self.retention_years = retention_years
        self.download_base = download_base.rstrip("/")
        self._clock = clock

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    # -- paths ---------------------------------------------------------------------------------------

    def _inside(self, path: Path) -> Path:
        """`path` if it resolves (following any symlinks already there) to a place inside the root."""
        resolved = path.resolve(strict=False)
        if resolved != self.root and not resolved.is_relative_to(self.root):
            raise InvalidKey("the key resolves outside the storage root")
        return path

    def _paths(self, key: ObjectKey) -> tuple[Path, Path]:
        if not isinstance(key, ObjectKey):
            raise InvalidKey("a storage key must be an ObjectKey")
        directory = self._inside(
            self.root / key.org / key.participant / key.kind / key.doc_id / f"v{key.version}"
        )
        return self._inside(directory / key.filename), self._inside(directory / f".{key.filename}.meta.json")

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
        data_path, meta_path = self._paths(key)
        digest = check_payload(key, data, sha256)
        now = self._clock()
        locked_until = lock_until(signed_at, self.retention_years, now)
        meta = StoredObject(
            key=key,
            sha256=digest,
            size=len(data),
            content_type=check_content_type(content_type),
            created_at=now,
            created_by=check_created_by(created_by),
            locked_until=locked_until,
            lock_mode=self.object_lock_mode if locked_until is not None else None,
        )
        with _io_errors(key):
            self._make_dirs(data_path.parent)
            tmp = self._write_temp(data_path.parent, bytes(data))
            try:
                os.link(tmp, data_path, follow_symlinks=False)
            except FileExistsError:
                raise ObjectExists("an object is already stored at this key", key=key.path) from None
            finally:
                tmp.unlink()
            try:
                self._write_meta(meta_path, meta)
            except BaseException:
                # Without its metadata the object could never be read; take the bytes back out.
                data_path.unlink(missing_ok=True)
                _fsync_dir(data_path.parent)
                raise
        return meta

    def get(self, key: ObjectKey, *, expected_sha256: str) -> bytes:
        check_sha256_hex(expected_sha256, "expected_sha256")
        data_path, meta_path = self._paths(key)
        meta = self._stat_at(key, data_path, meta_path, data_read_follows=True)
        data = self._read_data(key, data_path)
        check_read(key, data, meta, expected_sha256)
        return data

    def stat(self, key: ObjectKey) -> StoredObject:
        return self._stat_at(key, *self._paths(key))

    def exists(self, key: ObjectKey) -> bool:
        # The bytes occupy the key: an object whose metadata is missing still blocks a put to its key.
        data_path, _ = self._paths(key)
        return data_path.exists()

    def delete(self, key: ObjectKey) -> None:
        data_path, meta_path = self._paths(key)
        meta = self._stat_at(key, data_path, meta_path)
        if meta.is_locked(self._clock()):
            raise ObjectLocked("under retention or legal hold: the object cannot be deleted", key=key.path)
        with _io_errors(key):
            # Bytes first: a crash in between leaves a stray metadata file, which no listing reports as an
            # object, rather than bytes without the metadata that says how long they must be kept.
            data_path.unlink()
            meta_path.unlink(missing_ok=True)
            _fsync_dir(data_path.parent)

    def list(self, prefix: str = "") -> Iterator[ObjectKey]:
        validate_prefix(prefix)
        base = self._inside(self.root / prefix) if prefix else self.root
        if not base.is_dir():
            return
        for directory, subdirs, files in os.walk(base, followlinks=False):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                relative = (Path(directory) / name).relative_to(self.root).as_posix()
                try:
                    yield ObjectKey.parse(relative)
                except InvalidKey:
                    continue

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
        if filename is not None:
            # Checked as on S3, but unused: a local link carries only the token, and the download route
            # takes the file name for Content-Disposition from the key.
            validate_part("filename", filename)
        # Documents are small: re-hash now, so a link is never issued for bytes that would be refused.
        self.verify(key, expected_sha256=expected_sha256)
        token = sign_download_token(
            key, expected_sha256, secret_key=self._secret, expires_in=expires_in, now=self._clock()
        )
        return f"{self.download_base}/{token}"

    def extend_retention(self, key: ObjectKey, until: datetime) -> StoredObject:
        target = check_retention_target(until, self._clock())

        def change(meta: StoredObject) -> StoredObject:
            check_extension(meta, target)
            return replace(meta, locked_until=target, lock_mode=meta.lock_mode or self.object_lock_mode)

        return self._update_meta(key, change)

    def set_legal_hold(self, key: ObjectKey, on: bool) -> StoredObject:
        return self._update_meta(key, lambda meta: replace(meta, legal_hold=bool(on)))

    def verify(self, key: ObjectKey, *, expected_sha256: str | None = None) -> StoredObject:
        data_path, meta_path = self._paths(key)
        meta = self._stat_at(key, data_path, meta_path, data_read_follows=True)
        data = self._read_data(key, data_path)
        check_read(key, data, meta, expected_sha256 if expected_sha256 is not None else meta.sha256)
        return meta

    # -- file work -----------------------------------------------------------------------------------

    def _stat_at(
        self, key: ObjectKey, data_path: Path, meta_path: Path, *, data_read_follows: bool = False
    ) -> StoredObject:
        """The metadata at `meta_path` (paths from `_paths`). With `data_read_follows`, the caller reads
        `data_path` next, whose FileNotFoundError already means ObjectNotFound, so it is not probed here."""
        with _io_errors(key):
            try:
                raw = _read_file(meta_path)
            except FileNotFoundError:
                if data_path.exists():
                    raise IntegrityError("the object has no metadata (half-written?)", key=key.path) from None
                raise ObjectNotFound("no object is stored at this key", key=key.path) from None
            if not data_read_follows and not data_path.exists():
                raise ObjectNotFound("no object is stored at this key", key=key.path)
            try:
                return _meta_from_json(key, raw)
            except IntegrityError:
                # Missing bytes outrank unreadable metadata, as when the bytes are probed first.
                if data_read_follows and not data_path.exists():
                    raise ObjectNotFound("no object is stored at this key", key=key.path) from None
                raise

    def _read_data(self, key: ObjectKey, data_path: Path) -> bytes:
        with _io_errors(key):
            try:
                return _read_file(data_path)
            except FileNotFoundError:
                raise ObjectNotFound("no object is stored at this key", key=key.path) from None

    def _update_meta(self, key: ObjectKey, change: Callable[[StoredObject], StoredObject]) -> StoredObject:
        data_path, meta_path = self._paths(key)
        with _io_errors(key):
            fd = os.open(data_path, OPEN_READ) if data_path.exists() else None
            if fd is None:
                raise ObjectNotFound("no object is stored at this key", key=key.path)
            try:
                # Two updates of one object's metadata (legal hold, retention) run one after the other.
                fcntl.flock(fd, fcntl.LOCK_EX)
                updated = change(self._stat_at(key, data_path, meta_path))
                self._write_meta(meta_path, updated)
                return updated
            finally:
                os.close(fd)

    def _make_dirs(self, directory: Path) -> None:
        missing: list[Path] = []
        current = directory
        while not current.exists():
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            self._inside(path)
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=DIR_MODE)
                _fsync_dir(path.parent)
        if not directory.is_dir() or directory.is_symlink():
            raise InvalidKey("a key's directory is not a plain directory inside the storage root")

    def _write_temp(self, directory: Path, data: bytes) -> Path:
        tmp = directory / f".tmp-{secrets.token_hex(8)}"
        fd = os.open(tmp, OPEN_NEW, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fchmod(fd, READ_ONLY)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(fd)
        return tmp

    def _write_meta(self, meta_path: Path, meta: StoredObject) -> None:
        tmp = self._write_temp(meta_path.parent, _meta_to_json(meta))
        try:
            os.replace(tmp, meta_path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(meta_path.parent)


# -- helpers -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _io_errors(key: ObjectKey) -> Iterator[None]:
    """OS errors other than the expected ones become BackendUnavailable (named by errno, no paths)."""
    try:
        yield
    except StorageError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InvalidKey("a symbolic link stands where a stored object should be", key=key.path) from exc
        name = errno.errorcode.get(exc.errno or 0, "EIO")
        raise BackendUnavailable(f"local storage I/O error ({name})", key=key.path) from exc


def _read_file(path: Path) -> bytes:
    fd = os.open(path, OPEN_READ)
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _meta_to_json(meta: StoredObject) -> bytes:
    document = {
        "format": META_FORMAT,
        "key": meta.key.path,
        "sha256": meta.sha256,
        "size": meta.size,
        "content_type": meta.content_type,
        "created_at": meta.created_at.isoformat(),
        "created_by": meta.created_by,
        "locked_until": meta.locked_until.isoformat() if meta.locked_until else None,
        "lock_mode": meta.lock_mode,
        "legal_hold": meta.legal_hold,
    }
    return json.dumps(document, sort_keys=True, indent=1).encode("utf-8")


def _meta_from_json(key: ObjectKey, raw: bytes) -> StoredObject:
    try:
        document = json.loads(raw)
        if document["format"] != META_FORMAT or document["key"] != key.path:
            raise ValueError("metadata of another key or format")
        locked_until = document["locked_until"]
        return StoredObject(
            key=key,
            sha256=check_sha256_hex(document["sha256"]),
            size=int(document["size"]),
            content_type=str(document["content_type"]),
            created_at=check_aware(datetime.fromisoformat(document["created_at"]), "created_at"),
            created_by=str(document["created_by"]),
            locked_until=check_aware(datetime.fromisoformat(locked_until), "locked_until")
            if locked_until
            else None,
            lock_mode=check_lock_mode(document["lock_mode"]) if document["lock_mode"] else None,
            legal_hold=document["legal_hold"] is True,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise IntegrityError("the object's metadata is unreadable", key=key.path) from exc
