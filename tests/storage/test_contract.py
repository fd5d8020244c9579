"""The storage contract, run against both backends (local files, and S3 on a moto server over HTTP)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from storage import (
    IntegrityError,
    InvalidKey,
    ObjectExists,
    ObjectKey,
    ObjectLocked,
    ObjectNotFound,
    StorageError,
    StoredObject,
    key_prefix,
    retain_until,
    sha256_hex,
)
from tests.storage.harness import Harness

PDF = "application/pdf"
AUTHOR = "planner@acme-wdb.example"


def pdf_like(size: int = 100_000, seed: int = 1) -> bytes:
    head, tail = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n"
    return head + random.Random(seed).randbytes(size - len(head) - len(tail)) + tail


def make_key(
    filename: str = "plan.pdf",
    version: int = 1,
    doc_id: str = "PLAN-2026-0042",
    participant: str = "P-000123",
    org: str = "acme-wdb",
    kind: str = "plan",
) -> ObjectKey:
    return ObjectKey(org, participant, kind, doc_id, version, filename)


def put(harness: Harness, key: ObjectKey, data: bytes, **kwargs: object) -> StoredObject:
    return harness.storage.put(key, data, content_type=PDF, created_by=AUTHOR, **kwargs)  # type: ignore[arg-type]


def close_to(a: datetime | None, b: datetime, seconds: float = 1.0) -> bool:
    return a is not None and abs((a - b).total_seconds()) <= seconds


def test_put_then_get_round_trip(harness: Harness) -> None:
    key, data = make_key(), pdf_like()
    before = datetime.now(UTC)
    meta = put(harness, key, data)
    after = datetime.now(UTC)

    assert (meta.key, meta.sha256, meta.size, meta.content_type) == (key, sha256_hex(data), len(data), PDF)
    assert meta.created_by == AUTHOR
    assert meta.created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= meta.created_at <= after + timedelta(seconds=1)
    assert (meta.locked_until, meta.lock_mode, meta.legal_hold) == (None, None, False)

    assert harness.storage.get(key, expected_sha256=meta.sha256) == data
    stat = harness.storage.stat(key)
    assert (stat.sha256, stat.size, stat.content_type, stat.created_by) == (
        meta.sha256,
        len(data),
        PDF,
        AUTHOR,
    )
    assert close_to(stat.created_at, meta.created_at, 0.001)
    assert harness.storage.exists(key)
    assert not harness.storage.exists(make_key(version=2))
    assert harness.storage.verify(key, expected_sha256=meta.sha256).sha256 == meta.sha256


def test_created_by_survives_non_ascii(harness: Harness) -> None:
    key = make_key()
    harness.storage.put(key, b"x", content_type="text/plain", created_by="Zoë Ångström-Núñez")
    assert harness.storage.stat(key).created_by == "Zoë Ångström-Núñez"


def test_missing_object_is_not_found(harness: Harness) -> None:
    key = make_key()
    with pytest.raises(ObjectNotFound) as caught:
        harness.storage.get(key, expected_sha256=sha256_hex(b""))
    assert caught.value.status == 404
    with pytest.raises(ObjectNotFound):
        harness.storage.stat(key)
    with pytest.raises(ObjectNotFound):
        harness.storage.delete(key)
    assert not harness.storage.exists(key)


def test_read_with_another_expected_hash_is_refused(harness: Harness) -> None:
    key, data = make_key(), pdf_like()
    put(harness, key, data)
    with pytest.raises(IntegrityError) as caught:
        harness.storage.get(key, expected_sha256=sha256_hex(data + b"!"))
    assert isinstance(caught.value, StorageError)
    assert caught.value.status == 500


def test_put_with_a_wrong_checksum_is_refused_and_stores_nothing(harness: Harness) -> None:
    key, data = make_key(), pdf_like()
    with pytest.raises(IntegrityError):
        put(harness, key, data, sha256=sha256_hex(data[:-1]))
    assert not harness.storage.exists(key)
    meta = put(harness, key, data, sha256=sha256_hex(data))
    assert harness.storage.get(key, expected_sha256=meta.sha256) == data


@pytest.mark.parametrize("signed", [False, True], ids=["draft", "original"])
def test_no_version_is_ever_overwritten(harness: Harness, signed: bool) -> None:
    key, first = make_key(), pdf_like(seed=1)
    signed_at = datetime.now(UTC) if signed else None
    meta = put(harness, key, first, signed_at=signed_at)
    for attempt in (pdf_like(seed=2), first):
        with pytest.raises(ObjectExists) as caught:
            put(harness, key, attempt, signed_at=signed_at)
        assert caught.value.status == 409
    assert harness.storage.get(key, expected_sha256=meta.sha256) == first
    assert close_to(harness.storage.stat(key).created_at, meta.created_at, 0.001)


def test_concurrent_puts_to_one_key_have_exactly_one_winner(harness: Harness) -> None:
    key = make_key()
    payloads = [pdf_like(20_000, seed=n) for n in range(6)]

    def attempt(data: bytes) -> StoredObject | None:
        try:
            return put(harness, key, data)
        except ObjectExists:
            return None

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        results = list(pool.map(attempt, payloads))
    winners = [result for result in results if result is not None]
    assert len(winners) == 1
    winner = payloads[results.index(winners[0])]
    assert harness.storage.get(key, expected_sha256=sha256_hex(winner)) == winner


def test_a_draft_can_be_deleted(harness: Harness) -> None:
    key, data = make_key(), pdf_like()
    meta = put(harness, key, data)
    harness.storage.delete(key)
    assert not harness.storage.exists(key)
    with pytest.raises(ObjectNotFound):
        harness.storage.get(key, expected_sha256=meta.sha256)
    assert list(harness.storage.list("")) == []


def test_a_signed_original_is_locked_for_three_years_from_signing(harness: Harness) -> None:
    key, data = make_key("signed.pdf"), pdf_like()
    signed_at = datetime.now(UTC) - timedelta(days=2)
    meta = put(harness, key, data, signed_at=signed_at)
    expected_until = retain_until(signed_at, 3)
    assert expected_until == signed_at.replace(year=signed_at.year + 3)
    assert close_to(meta.locked_until, expected_until)
    stat = harness.storage.stat(key)
    assert close_to(stat.locked_until, expected_until)
    assert stat.lock_mode == "COMPLIANCE"

    with pytest.raises(ObjectLocked) as caught:
        harness.storage.delete(key)
    assert caught.value.status == 423
    assert harness.storage.get(key, expected_sha256=meta.sha256) == data


def test_legal_hold_blocks_deleting_a_draft_until_released(harness: Harness) -> None:
    key, data = make_key(), pdf_like()
    put(harness, key, data)
    assert harness.storage.set_legal_hold(key, True).legal_hold
    assert harness.storage.stat(key).legal_hold
    with pytest.raises(ObjectLocked):
        harness.storage.delete(key)
    assert harness.storage.exists(key)
    assert not harness.storage.set_legal_hold(key, False).legal_hold
    harness.storage.delete(key)
    assert not harness.storage.exists(key)


def test_legal_hold_on_an_original_comes_and_goes_while_retention_stays(harness: Harness) -> None:
    key = make_key("signed.pdf")
    meta = put(harness, key, pdf_like(), signed_at=datetime.now(UTC))
    held = harness.storage.set_legal_hold(key, True)
    assert held.legal_hold
    released = harness.storage.set_legal_hold(key, False)
    assert not released.legal_hold
    assert close_to(released.locked_until, meta.locked_until or datetime.min)
    with pytest.raises(ObjectLocked):
        harness.storage.delete(key)


def test_retention_can_be_extended_never_shortened(harness: Harness) -> None:
    key = make_key("signed.pdf")
    meta = put(harness, key, pdf_like(), signed_at=datetime.now(UTC))
    assert meta.locked_until is not None
    later = meta.locked_until + timedelta(days=365)
    assert close_to(harness.storage.extend_retention(key, later).locked_until, later)
    assert close_to(harness.storage.stat(key).locked_until, later)

    with pytest.raises(ObjectLocked):
        harness.storage.extend_retention(key, meta.locked_until)
    assert close_to(harness.storage.stat(key).locked_until, later)
    with pytest.raises(ValueError, match="future"):
        harness.storage.extend_retention(key, datetime.now(UTC) - timedelta(days=1))
    with pytest.raises(ValueError, match="timezone"):
        harness.storage.extend_retention(key, later.replace(tzinfo=None))


def test_retention_can_lock_a_draft(harness: Harness) -> None:
    key = make_key()
    put(harness, key, pdf_like())
    harness.storage.extend_retention(key, datetime.now(UTC) + timedelta(days=30))
    with pytest.raises(ObjectLocked):
        harness.storage.delete(key)


@pytest.mark.parametrize("signed", [False, True], ids=["draft", "original"])
def test_a_byte_flipped_behind_the_layer_is_never_served(harness: Harness, signed: bool) -> None:
    key, data = make_key(), pdf_like()
    meta = put(harness, key, data, signed_at=datetime.now(UTC) if signed else None)
    harness.corrupt(key)
    with pytest.raises(IntegrityError):
        harness.storage.get(key, expected_sha256=meta.sha256)
    with pytest.raises(IntegrityError):
        harness.storage.verify(key)
    with pytest.raises(IntegrityError):
        harness.storage.download_url(key, expected_sha256=meta.sha256)


def test_download_link_is_refused_for_another_hash(harness: Harness) -> None:
    key, data = make_key(), pdf_like()
    put(harness, key, data)
    with pytest.raises(IntegrityError):
        harness.storage.download_url(key, expected_sha256=sha256_hex(b"other"))
    with pytest.raises(ObjectNotFound):
        harness.storage.download_url(make_key(version=9), expected_sha256=sha256_hex(data))
    for expires_in in (0, 3601):
        with pytest.raises(ValueError, match="expires_in"):
            harness.storage.download_url(key, expected_sha256=sha256_hex(data), expires_in=expires_in)


def test_list_by_prefix(harness: Harness) -> None:
    keys = [
        make_key(version=1),
        make_key(version=2),
        make_key("note.pdf", kind="case_note", doc_id="NOTE-1"),
        make_key(participant="P-000999", doc_id="PLAN-2026-0077"),
        make_key(org="other-board", participant="P-1", doc_id="PLAN-1"),
    ]
    for number, key in enumerate(keys):
        harness.storage.put(key, str(number).encode(), content_type="text/plain", created_by=AUTHOR)

    assert set(harness.storage.list("")) == set(keys)
    assert set(harness.storage.list(key_prefix("acme-wdb"))) == set(keys[:4])
    assert set(harness.storage.list(key_prefix("acme-wdb", "P-000123"))) == set(keys[:3])
    assert set(harness.storage.list(key_prefix("acme-wdb", "P-000123", "plan", "PLAN-2026-0042"))) == set(
        keys[:2]
    )
    assert set(harness.storage.list(key_prefix("acme-wdb", "P-000123", "plan", "PLAN-2026-0042", 2))) == {
        keys[1]
    }
    assert list(harness.storage.list(key_prefix("nobody"))) == []
    for prefix in ("acme-wdb", "../", "acme-wdb/../", "/etc/", "acme-wdb//", "a/b/c/d/v0/"):
        with pytest.raises(InvalidKey):
            list(harness.storage.list(prefix))


def test_verify_walks_everything(harness: Harness) -> None:
    stored = {make_key(version=v): pdf_like(5_000, seed=v) for v in (1, 2, 3)}
    for key, data in stored.items():
        put(harness, key, data)
    harness.corrupt(make_key(version=2))
    outcome = {}
    for key in harness.storage.list(""):
        try:
            harness.storage.verify(key)
            outcome[key.version] = "ok"
        except IntegrityError:
            outcome[key.version] = "corrupt"
    assert outcome == {1: "ok", 2: "corrupt", 3: "ok"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content_type", "application/pdf\r\nX-Injected: 1"),
        ("content_type", ""),
        ("created_by", ""),
        ("created_by", "line\nbreak"),
        ("created_by", "x" * 201),
    ],
)
def test_bad_metadata_is_refused_before_anything_is_stored(harness: Harness, field: str, value: str) -> None:
    key = make_key()
    arguments = {"content_type": PDF, "created_by": AUTHOR, field: value}
    with pytest.raises(ValueError, match=field):
        harness.storage.put(key, b"data", **arguments)  # type: ignore[arg-type]
    assert not harness.storage.exists(key)


def test_a_plain_string_is_not_a_key(harness: Harness) -> None:
    with pytest.raises(InvalidKey):
        harness.storage.stat("acme/../../etc/passwd")  # type: ignore[arg-type]
