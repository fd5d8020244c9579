"""What the S3 server itself enforces (shown by going around the layer with raw boto3), and what only the
S3 backend does: checksums on the wire, presigned URLs, encryption, error translation.

moto 5 (the server here) does not recompute x-amz-checksum-sha256, does not expire presigned URLs and lets
COMPLIANCE retention be shortened; AWS does all three. The tests below show what moto does enforce, and
check the layer's side of the rest (the header it sends, the lifetime it signs, the refusal it makes).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from botocore.exceptions import ClientError

from storage import BackendUnavailable, IntegrityError, ObjectExists, ObjectKey, open_storage, sha256_hex
from storage.s3 import S3Storage, _translate
from tests.storage.conftest import _free_port, make_s3_harness
from tests.storage.harness import Harness, flip_middle_byte
from tests.storage.test_contract import AUTHOR, PDF, make_key, pdf_like, put

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def s3(moto_url: str, raw_s3: S3Client, s3_bucket: str) -> Harness:
    return make_s3_harness(moto_url, raw_s3, s3_bucket)


def layer_client(harness: Harness) -> Any:
    assert isinstance(harness.storage, S3Storage)
    return harness.storage.client


def raw_head(harness: Harness, key: ObjectKey, **extra: Any) -> Any:
    assert harness.raw is not None
    return harness.raw.head_object(Bucket=harness.bucket, Key=harness.object_name(key), **extra)


def _text(value: str | bytes) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value


def b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def test_put_sends_its_sha256_for_the_server_to_check(s3: Harness) -> None:
    sent: list[dict[str, str]] = []

    def capture(request: Any, **_: Any) -> None:
        sent.append({name.lower(): _text(value) for name, value in request.headers.items()})

    layer_client(s3).meta.events.register("before-send.s3.PutObject", capture)
    key, data = make_key(), pdf_like()
    put(s3, key, data)

    assert len(sent) == 1
    assert sent[0]["x-amz-checksum-sha256"] == b64_sha256(data)
    assert sent[0]["x-amz-sdk-checksum-algorithm"] == "SHA256"
    assert sent[0]["if-none-match"] == "*"
    stored = raw_head(s3, key, ChecksumMode="ENABLED")
    assert stored["ChecksumSHA256"] == b64_sha256(data)
    assert stored["Metadata"]["sha256"] == sha256_hex(data)


def test_bytes_damaged_on_the_wire_are_never_served(s3: Harness) -> None:
    """The body is changed after the checksum header is made. AWS answers BadDigest (-> IntegrityError
    from put); moto stores the damage, and then reads and download links refuse it. Either way nothing
    wrong is ever served."""

    def damage(request: Any, **_: Any) -> None:
        request.body = io.BytesIO(flip_middle_byte(request.body.getvalue()))

    layer_client(s3).meta.events.register("before-send.s3.PutObject", damage)
    key, data = make_key(), pdf_like()
    try:
        put(s3, key, data)
    except IntegrityError:
        return
    layer_client(s3).meta.events.unregister("before-send.s3.PutObject", damage)
    with pytest.raises(IntegrityError):
        s3.storage.get(key, expected_sha256=sha256_hex(data))
    with pytest.raises(IntegrityError):
        s3.storage.download_url(key, expected_sha256=sha256_hex(data))


@pytest.mark.parametrize("code", ["BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"])
def test_a_server_checksum_refusal_becomes_integrity_error(code: str) -> None:
    response: Any = {"Error": {"Code": code, "Message": "..."}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    error = ClientError(response, "PutObject")
    with pytest.raises(IntegrityError) as caught:
        _translate(error, make_key(), "put")
    assert caught.value.__cause__ is error


def test_the_server_refuses_a_second_object_at_a_key(s3: Harness) -> None:
    key = make_key()
    put(s3, key, pdf_like())
    assert s3.raw is not None
    with pytest.raises(ClientError) as caught:
        s3.raw.put_object(Bucket=s3.bucket, Key=s3.object_name(key), Body=b"other", IfNoneMatch="*")
    assert caught.value.response["Error"]["Code"] == "PreconditionFailed"


def test_the_server_refuses_to_delete_a_locked_original(s3: Harness) -> None:
    key, data = make_key("signed.pdf"), pdf_like()
    meta = put(s3, key, data, signed_at=datetime.now(UTC))
    assert meta.version_id is not None
    head = raw_head(s3, key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert abs((head["ObjectLockRetainUntilDate"] - (meta.locked_until or datetime.min)).total_seconds()) < 1
    assert s3.raw is not None
    for bypass in (False, True):
        with pytest.raises(ClientError) as caught:
            s3.raw.delete_object(
                Bucket=s3.bucket,
                Key=s3.object_name(key),
                VersionId=meta.version_id,
                BypassGovernanceRetention=bypass,
            )
        assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert s3.storage.get(key, expected_sha256=meta.sha256) == data


def test_writing_over_a_locked_original_keeps_it_intact_and_is_never_served(s3: Harness) -> None:
    """S3 locks versions, not names: a raw write at the key makes a new version, the locked one stays
    byte-for-byte and undeletable, and the layer refuses to serve the newcomer."""
    key, data = make_key("signed.pdf"), pdf_like()
    meta = put(s3, key, data, signed_at=datetime.now(UTC))
    url = s3.storage.download_url(key, expected_sha256=meta.sha256, expires_in=60)
    assert s3.raw is not None
    assert meta.version_id is not None
    name = s3.object_name(key)
    impostor = s3.raw.put_object(
        Bucket=s3.bucket, Key=name, Body=b"%PDF-1.7 forged", Metadata={"sha256": meta.sha256}
    )
    assert impostor["VersionId"] != meta.version_id

    assert s3.raw.get_object(Bucket=s3.bucket, Key=name, VersionId=meta.version_id)["Body"].read() == data
    with pytest.raises(ClientError):
        s3.raw.delete_object(Bucket=s3.bucket, Key=name, VersionId=meta.version_id)
    with pytest.raises(IntegrityError):
        s3.storage.get(key, expected_sha256=meta.sha256)
    with pytest.raises(ObjectExists):
        put(s3, key, data)
    # The link issued before the write is pinned to the original version.
    with requests.get(url, timeout=10) as response:
        assert response.status_code == 200
        assert response.content == data


def test_legal_hold_is_enforced_by_the_server(s3: Harness) -> None:
    key = make_key()
    meta = put(s3, key, pdf_like())
    s3.storage.set_legal_hold(key, True)
    assert raw_head(s3, key)["ObjectLockLegalHoldStatus"] == "ON"
    assert s3.raw is not None
    assert meta.version_id is not None
    with pytest.raises(ClientError) as caught:
        s3.raw.delete_object(Bucket=s3.bucket, Key=s3.object_name(key), VersionId=meta.version_id)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    s3.storage.set_legal_hold(key, False)
    assert raw_head(s3, key)["ObjectLockLegalHoldStatus"] == "OFF"
    s3.storage.delete(key)
    assert not s3.storage.exists(key)


def test_retention_extension_reaches_the_server(s3: Harness) -> None:
    key = make_key("signed.pdf")
    meta = put(s3, key, pdf_like(), signed_at=datetime.now(UTC))
    later = (meta.locked_until or datetime.min) + timedelta(days=400)
    s3.storage.extend_retention(key, later)
    head = raw_head(s3, key)
    assert abs((head["ObjectLockRetainUntilDate"] - later).total_seconds()) < 1
    assert head["ObjectLockMode"] == "COMPLIANCE"


def test_lock_mode_is_configurable(moto_url: str, raw_s3: S3Client, s3_bucket: str) -> None:
    governed = make_s3_harness(moto_url, raw_s3, s3_bucket, object_lock_mode="GOVERNANCE")
    key = make_key("signed.pdf")
    meta = put(governed, key, pdf_like(), signed_at=datetime.now(UTC))
    assert meta.lock_mode == "GOVERNANCE"
    assert raw_head(governed, key)["ObjectLockMode"] == "GOVERNANCE"
    with pytest.raises(ClientError):
        raw_s3.delete_object(Bucket=s3_bucket, Key=governed.object_name(key), VersionId=meta.version_id or "")


def test_presigned_url_serves_the_checked_version_for_the_lifetime_asked(s3: Harness) -> None:
    key, data = make_key(), pdf_like()
    meta = put(s3, key, data)
    before = datetime.now(UTC).replace(microsecond=0)
    url = s3.storage.download_url(key, expected_sha256=meta.sha256, expires_in=2)

    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["2"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= signed_at <= before + timedelta(seconds=2)
    assert query["versionId"] == [meta.version_id]
    assert "X-Amz-Signature" in query
    with requests.get(url, timeout=10) as response:
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert response.headers["Content-Type"] == PDF
    # Default lifetime: five minutes.
    default = parse_qs(urlsplit(s3.storage.download_url(key, expected_sha256=meta.sha256)).query)
    assert default["X-Amz-Expires"] == ["300"]


def test_server_side_encryption_is_requested(moto_url: str, raw_s3: S3Client, s3_bucket: str) -> None:
    sse_s3 = make_s3_harness(moto_url, raw_s3, s3_bucket, sse="AES256")
    put(sse_s3, make_key(), b"%PDF")
    assert raw_head(sse_s3, make_key())["ServerSideEncryption"] == "AES256"

    sse_kms = make_s3_harness(moto_url, raw_s3, s3_bucket, sse="SSE-KMS", kms_key_id="alias/docgen-documents")
    put(sse_kms, make_key(), b"%PDF")
    head = raw_head(sse_kms, make_key())
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith("docgen-documents")
    with pytest.raises(ValueError, match="kms_key_id"):
        open_storage("s3://bucket-name/x", sse="AES256", kms_key_id="alias/k")
    with pytest.raises(ValueError, match="sse"):
        open_storage("s3://bucket-name/x", sse="rot13")


def test_an_unreachable_server_is_backend_unavailable(aws_env: None) -> None:
    storage = open_storage("s3://bucket-name/x", endpoint_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(BackendUnavailable) as caught:
        storage.put(make_key(), b"x", content_type=PDF, created_by=AUTHOR)
    assert caught.value.status == 502
    with pytest.raises(BackendUnavailable):
        list(storage.list(""))


def test_a_missing_bucket_is_backend_unavailable(moto_url: str) -> None:
    storage = open_storage("s3://no-such-bucket-here/x", endpoint_url=moto_url)
    with pytest.raises(BackendUnavailable, match="bucket"):
        storage.put(make_key(), b"x", content_type=PDF, created_by=AUTHOR)


def test_only_storage_s3_imports_boto3() -> None:
    """Nothing above storage/ talks to boto3 or botocore (tests and benchmarks aside)."""
    pattern = re.compile(r"^\s*(import|from)\s+(boto3|botocore)\b", re.MULTILINE)
    offenders = [
        path.relative_to(ROOT).as_posix()
        for folder in ("docgen", "storage", "webhooks")
        for path in (ROOT / folder).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["storage/s3.py"]


def test_importing_storage_does_not_load_boto3() -> None:
    code = "import sys, storage; storage.open_storage; print('boto3' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
