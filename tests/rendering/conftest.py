"""A real LibreOffice pool for the rendering tests (started once per session) and the fixture documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from docgen.rendering import OfficePool, PoolSettings
from tests.fixtures import fixture_names, load_fixture

CASE_NOTES = [name for name in fixture_names() if name.startswith("valid-case_note-")]


@pytest.fixture(scope="session")
def office_pool() -> Iterator[OfficePool]:
    pool = OfficePool(PoolSettings.from_env(size=2))
    pool.start()
    try:
        yield pool
    finally:
        pool.stop()


def adult_record() -> dict[str, Any]:
    return load_fixture("valid-adult-iep.json")


def youth_record() -> dict[str, Any]:
    return load_fixture("valid-youth-iss.json")


def adult_participant() -> dict[str, Any]:
    return adult_record()["participant"]


def documents() -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    """name -> (document, participant) for the four forms rendered from the fixtures."""
    adult, youth = adult_record(), youth_record()
    docs: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {
        "iep": (adult["plans"][0], adult["participant"]),
        "iss": (youth["plans"][0], youth["participant"]),
        "mou": (load_fixture("valid-mou.json"), None),
    }
    for name in CASE_NOTES:
        docs[name.removeprefix("valid-").removesuffix(".json")] = (load_fixture(name), adult["participant"])
    return docs
