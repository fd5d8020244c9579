"""What only the local backend does: files on disk, read-only modes, the root fence, download tokens."""

from __future__ import annotations

import os
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import (
    DownloadTokenExpired,
    IntegrityError,
    InvalidDownloadToken,
    InvalidKey,
    ObjectExists,
    ObjectLocked,
    ObjectNotFound,
    open_storage,
    sha256_hex,
    sign_download_token,
    verify_download_token,
)
from storage.local import LocalStorage
from tests.storage.conftest import make_local_harness
from tests.storage.harness import TEST_SECRET, Harness
from tests.storage.test_contract import AUTHOR, PDF, make_key, pdf_like, put


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def local(tmp_path: Path) -> Harness:
    return make_local_harness(tmp_path / "objects")


def tree(path: Path) -> list[str]:
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_layout_is_readable_and_files_are_read_only(local: Harness) -> None:
    draft, original = make_key(), make_key("signed.pdf")
    put(local, draft, pdf_like())
    put(local, original, pdf_like(seed=2), signed_at=datetime.now(UTC))
    assert local.root is not None
    version_dir = "acme-wdb/P-000123/plan/PLAN-2026-0042/v1"
    assert [p for p in tree(local.root) if p.startswith(version_dir + "/")] == [
        f"{version_dir}/.plan.pdf.meta.json",
        f"{version_dir}/.signed.pdf.meta.json",
        f"{version_dir}/plan.pdf",
        f"{version_dir}/signed.pdf",
    ]
    for name in ("plan.pdf", "signed.pdf", ".plan.pdf.meta.json", ".signed.pdf.meta.json"):
        assert mode_of(local.root / version_dir / name) == 0o444


def test_lock_changes_rewrite_metadata_atomically_and_leave_no_temporary_files(local: Harness) -> None:
    key = make_key("signed.pdf")
    meta = put(local, key, pdf_like(), signed_at=datetime.now(UTC))
    local.storage.set_legal_hold(key, True)
    local.storage.extend_retention(key, (meta.locked_until or datetime.min) + timedelta(days=1))
    with pytest.raises(ObjectExists):
        put(local, key, b"again")
    assert local.root is not None
    assert not [p for p in tree(local.root) if ".tmp-" in p]
    sidecar = local.root / key.path.replace("signed.pdf", ".signed.pdf.meta.json")
    assert mode_of(sidecar) == 0o444
    assert local.storage.stat(key).legal_hold


def test_retention_lapses_and_then_an_original_may_go(tmp_path: Path) -> None:
    clock = Clock()
    storage = LocalStorage(tmp_path, secret_key=TEST_SECRET, clock=clock)
    key = make_key("signed.pdf")
    meta = storage.put(key, b"%PDF", content_type=PDF, created_by=AUTHOR, signed_at=clock.now)
    assert meta.locked_until == datetime(2029, 3, 2, 15, 30, tzinfo=UTC)
    clock.now = datetime(2029, 3, 2, 15, 29, 59, tzinfo=UTC)
    with pytest.raises(ObjectLocked):
        storage.delete(key)
    clock.now = datetime(2029, 3, 2, 15, 30, 1, tzinfo=UTC)
    storage.delete(key)
    assert not storage.exists(key)


def test_an_original_signed_on_29_february_is_kept_until_1_march() -> None:
    from storage import retain_until

    assert retain_until(datetime(2028, 2, 29, 12, tzinfo=UTC), 3) == datetime(2031, 3, 1, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone"):
        retain_until(datetime(2028, 2, 29, 12), 3)


def test_an_object_without_its_metadata_is_never_served_nor_replaced(local: Harness) -> None:
    key, data = make_key(), pdf_like()
    put(local, key, data)
    assert local.root is not None
    sidecar = local.root / key.path.replace("plan.pdf", ".plan.pdf.meta.json")
    sidecar.unlink()
    with pytest.raises(IntegrityError):
        local.storage.get(key, expected_sha256=sha256_hex(data))
    with pytest.raises(IntegrityError):
        local.storage.delete(key)
    assert local.storage.exists(key)
    with pytest.raises(ObjectExists):
        put(local, key, data)
    assert key in set(local.storage.list(""))


def test_metadata_moved_from_another_object_is_refused(local: Harness) -> None:
    first, second = make_key(version=1), make_key(version=2)
    put(local, first, b"one")
    put(local, second, b"two")
    assert local.root is not None
    source = local.root / first.path.replace("plan.pdf", ".plan.pdf.meta.json")
    target = local.root / second.path.replace("plan.pdf", ".plan.pdf.meta.json")
    os.replace(source, target)
    with pytest.raises(IntegrityError):
        local.storage.stat(second)


def test_a_symlink_out_of_the_root_is_never_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "objects", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for docgen")
    harness = make_local_harness(root)
    (root / "acme-wdb").symlink_to(outside, target_is_directory=True)

    with pytest.raises(InvalidKey):
        put(harness, make_key(), b"data")
    with pytest.raises(InvalidKey):
        harness.storage.stat(make_key())
    with pytest.raises(InvalidKey):
        list(harness.storage.list("acme-wdb/"))
    assert tree(outside) == ["secret.txt"]


def test_a_symlink_planted_as_an_object_is_not_read(local: Harness, tmp_path: Path) -> None:
    key = make_key()
    put(local, key, b"data")
    assert local.root is not None
    target = local.root / key.path
    os.chmod(target, 0o644)
    target.unlink()
    inside = local.root / "elsewhere.bin"
    inside.write_bytes(b"data")
    target.symlink_to(inside)
    with pytest.raises(InvalidKey):
        local.storage.get(key, expected_sha256=sha256_hex(b"data"))


def test_download_token_round_trip(local: Harness) -> None:
    key, data = make_key(), pdf_like()
    meta = put(local, key, data)
    url = local.storage.download_url(key, expected_sha256=meta.sha256)
    assert url.startswith("/v1/downloads/")
    grant = verify_download_token(url.rsplit("/", 1)[1], secret_key=TEST_SECRET)
    assert (grant.key, grant.sha256) == (key, meta.sha256)
    now = datetime.now(UTC)
    assert now + timedelta(seconds=298) <= grant.expires_at <= now + timedelta(seconds=302)
    assert local.storage.get(grant.key, expected_sha256=grant.sha256) == data


def test_download_token_expires(local: Harness) -> None:
    key = make_key()
    meta = put(local, key, b"data")
    token = local.storage.download_url(key, expected_sha256=meta.sha256, expires_in=1).rsplit("/", 1)[1]
    assert verify_download_token(token, secret_key=TEST_SECRET).key == key
    time.sleep(2.1)
    with pytest.raises(DownloadTokenExpired) as caught:
        verify_download_token(token, secret_key=TEST_SECRET)
    assert caught.value.status == 410
    assert isinstance(caught.value, InvalidDownloadToken)


def test_tampered_or_foreign_tokens_are_refused() -> None:
    key, sha = make_key(), sha256_hex(b"data")
    token = sign_download_token(key, sha, secret_key=TEST_SECRET, expires_in=300)
    payload, mac = token.split(".")
    other = sign_download_token(make_key(version=2), sha, secret_key=TEST_SECRET, expires_in=300)
    candidates = [
        f"{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{mac}",
        f"{payload}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",
        f"{other.split('.')[0]}.{mac}",
        sign_download_token(key, sha, secret_key=b"another-secret-key-of-enough-length", expires_in=300),
        payload,
        f"{token}.x",
        "",
        "." * 3,
        "x" * 5000,
    ]
    for candidate in candidates:
        with pytest.raises(InvalidDownloadToken) as caught:
            verify_download_token(candidate, secret_key=TEST_SECRET)
        assert type(caught.value) is InvalidDownloadToken
        assert caught.value.status == 403


def test_open_storage_checks_its_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="secret_key"):
        open_storage(tmp_path.as_uri())
    with pytest.raises(ValueError, match="at least"):
        open_storage(tmp_path.as_uri(), secret_key=b"short")
    for url in ("file://host/tmp/x", "file:relative/path", "ftp://x/y", "/tmp/x", "s3://"):
        with pytest.raises(ValueError, match=r"URL|absolute"):
            open_storage(url, secret_key=TEST_SECRET)
    assert isinstance(open_storage(tmp_path.as_uri(), secret_key=TEST_SECRET), LocalStorage)


def test_missing_object_on_disk_is_not_found(local: Harness) -> None:
    key = make_key()
    put(local, key, b"data")
    assert local.root is not None
    (local.root / key.path).unlink()
    with pytest.raises(ObjectNotFound):
        local.storage.get(key, expected_sha256=sha256_hex(b"data"))


def test_storage_from_env_picks_the_backend(tmp_path: Path, aws_env: None) -> None:
    from storage import storage_from_env
    from storage.s3 import S3Storage

    default = (tmp_path / "default").as_uri()
    local = storage_from_env({}, default_url=default, secret_key=TEST_SECRET)
    assert isinstance(local, LocalStorage)
    assert local.root == tmp_path / "default"

    environ = {
        "DOCGEN_STORAGE_URL": "s3://docgen-objects/prod/v1",
        "DOCGEN_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "DOCGEN_S3_SSE": "aws:kms",
        "DOCGEN_S3_KMS_KEY_ID": "alias/docgen",
        "DOCGEN_STORAGE_LOCK_MODE": "GOVERNANCE",
        "DOCGEN_STORAGE_RETENTION_YEARS": "7",
    }
    remote = storage_from_env(environ, default_url=default, secret_key=TEST_SECRET)
    assert isinstance(remote, S3Storage)
    assert (remote.bucket, remote.prefix, remote.client.meta.endpoint_url) == (
        "docgen-objects",
        "prod/v1/",
        "http://127.0.0.1:9",
    )
    assert (remote.sse, remote.kms_key_id, remote.object_lock_mode, remote.retention_years) == (
        "aws:kms",
        "alias/docgen",
        "GOVERNANCE",
        7,
    )
    with pytest.raises(ValueError, match="object_lock_mode"):
        storage_from_env({"DOCGEN_STORAGE_LOCK_MODE": "LAX"}, default_url=default, secret_key=TEST_SECRET)
