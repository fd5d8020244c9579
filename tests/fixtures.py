"""The shared domain fixtures (../shared/domain/fixtures beside the project's root)."""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DOCGEN_SHARED_DIR", ROOT.parent / "shared"))
FIXTURES = SHARED / "domain" / "fixtures"


def fixture_names() -> list[str]:
    return sorted(p.name for p in FIXTURES.glob("*.json"))


@cache
def _load(name: str) -> dict[str, Any]:
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def load_fixture(name: str) -> dict[str, Any]:
    """A fresh deep copy of a fixture (with its `_expect`/`_warn` keys), safe to mutate."""
    return copy.deepcopy(_load(name))


def strip_meta(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}
