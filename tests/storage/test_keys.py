"""Key parts are checked before they go near a path or a bucket: path tricks in any part -> InvalidKey."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import InvalidKey, ObjectKey, key_prefix, open_storage
from storage.keys import PART_PATTERN
from storage.local import LocalStorage
from tests.storage.harness import TEST_SECRET
from tests.storage.test_contract import AUTHOR

GOOD = {
    "org": "acme-wdb",
    "participant": "P-000123",
    "kind": "plan",
    "doc_id": "PLAN-2026-0042",
    "version": 3,
    "filename": "plan.pdf",
}
TEXT_PARTS = ["org", "participant", "kind", "doc_id", "filename"]
BAD_TEXT = [
    "",
    ".",
    "..",
    "../etc",
    "a/../b",
    "..\\..\\windows",
    "a..b",
    "/etc/passwd",
    "/",
    "a/b",
    "a\\b",
    "a\x00b",
    "plan.pdf\x00.txt",
    "x" * 65,
    ".hidden",
    "-rf",
    "_x",
    "a b",
    "a\nb",
    "a∕b",  # U+2215 DIVISION SLASH
    "a⁄b",  # U+2044 FRACTION SLASH
    "a／b",  # U+FF0F FULLWIDTH SOLIDUS
    "a＼b",  # U+FF3C FULLWIDTH REVERSE SOLIDUS
    "．．",  # U+FF0E FULLWIDTH FULL STOP
    "José",
    "ａｃｍｅ",
    "C:\\Windows",
    "~root",
    "%2e%2e",
    "a%2fb",
]
BAD_VERSIONS: list[object] = [0, -1, 1_000_000, True, "1", 1.0, None]


@pytest.mark.parametrize("part", TEXT_PARTS)
@pytest.mark.parametrize("value", BAD_TEXT, ids=lambda v: repr(v)[:24])
def test_path_tricks_in_every_part_are_refused(part: str, value: str) -> None:
    with pytest.raises(InvalidKey) as caught:
        ObjectKey(**{**GOOD, part: value})  # type: ignore[arg-type]
    assert caught.value.status == 400
    # The message never echoes the value (it may be anything a caller sent): it reads the same as for
    # any other refused value of that length.
    with pytest.raises(InvalidKey) as same_length:
        ObjectKey(**{**GOOD, part: "?" * len(value)})  # type: ignore[arg-type]
    assert str(caught.value) == str(same_length.value)


@pytest.mark.parametrize("value", BAD_VERSIONS, ids=repr)
def test_bad_versions_are_refused(value: object) -> None:
    with pytest.raises(InvalidKey):
        ObjectKey(**{**GOOD, "version": value})  # type: ignore[arg-type]


@pytest.mark.parametrize("part", TEXT_PARTS)
def test_non_strings_are_refused(part: str) -> None:
    with pytest.raises(InvalidKey):
        ObjectKey(**{**GOOD, part: b"plan"})  # type: ignore[arg-type]


def test_a_key_reads_as_a_path_and_parses_back() -> None:
    key = ObjectKey(**GOOD)  # type: ignore[arg-type]
    assert key.path == "acme-wdb/P-000123/plan/PLAN-2026-0042/v3/plan.pdf"
    assert str(key) == key.path
    assert ObjectKey.parse(key.path) == key
    longest = ObjectKey("A" * 64, "B" * 64, "C" * 64, "D" * 64, 999_999, "f" * 64)
    assert ObjectKey.parse(longest.path) == longest
    with pytest.raises(FrozenInstanceError):
        key.org = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "acme/P1/plan/D1/v1",
        "acme/P1/plan/D1/v1/a.pdf/extra",
        "acme/P1/plan/D1/1/a.pdf",
        "acme/P1/plan/D1/v01/a.pdf",
        "acme/P1/plan/D1/v0/a.pdf",
        "/acme/P1/plan/D1/v1/a.pdf",
        "acme/P1/plan/D1/v1/../a.pdf",
        "acme/../plan/D1/v1/a.pdf",
        "acme/P1/plan/D1/v1/a.pdf\x00",
        "acme/P1/plan/D1/v1∕a.pdf/x",
    ],
)
def test_bad_key_paths_do_not_parse(path: str) -> None:
    with pytest.raises(InvalidKey):
        ObjectKey.parse(path)


def test_key_prefixes() -> None:
    assert key_prefix("acme") == "acme/"
    assert key_prefix("acme", "P1", "plan", "D1", 2) == "acme/P1/plan/D1/v2/"
    with pytest.raises(InvalidKey):
        key_prefix("acme", None, "plan")
    with pytest.raises(InvalidKey):
        key_prefix("acme", "P1", version=1)
    with pytest.raises(InvalidKey):
        key_prefix("../acme")


@pytest.fixture(scope="module")
def fenced(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalStorage, Path]:
    base = tmp_path_factory.mktemp("fence")
    storage = open_storage((base / "root").as_uri(), secret_key=TEST_SECRET)
    assert isinstance(storage, LocalStorage)
    (base / "outside-marker").write_text("x")
    return storage, base


@settings(max_examples=300, deadline=None)
@given(
    part=st.sampled_from(TEXT_PARTS),
    value=st.one_of(
        st.text(max_size=80),
        st.from_regex(PART_PATTERN, fullmatch=True),
        st.from_regex(r"[a-z./\\]{1,8}", fullmatch=True),
    ),
)
def test_any_text_is_either_a_safe_part_or_refused(
    fenced: tuple[LocalStorage, Path], part: str, value: str
) -> None:
    storage, base = fenced
    try:
        key = ObjectKey(**{**GOOD, part: value})  # type: ignore[arg-type]
    except InvalidKey:
        assert PART_PATTERN.fullmatch(value) is None or ".." in value
        return
    assert PART_PATTERN.fullmatch(value) is not None
    assert ".." not in value
    storage.put(key, b"x", content_type="text/plain", created_by=AUTHOR)
    storage.delete(key)
    # Whatever was accepted, nothing was ever written beside the root.
    assert sorted(p.name for p in base.iterdir()) == ["outside-marker", "root"]
    assert (base / "root" / key.path).resolve().is_relative_to(base / "root")
