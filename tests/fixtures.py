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


def with_id_suffix(doc: dict[str, Any], suffix: str, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """`doc` with every document id of `record` (by default `doc` itself, a record bundle) followed by
    `-<suffix>` wherever it appears, references included: one more participant with a record of the same shape."""
    record = record if record is not None else doc
    ids = [record["participant"]["id"]]
    for key in ("assessments", "plans", "case_notes"):
        ids += [d["id"] for d in record[key]]
    text = json.dumps(doc)
    for doc_id in dict.fromkeys(ids):
        text = text.replace(f'"{doc_id}"', f'"{doc_id}-{suffix}"')
    renamed: dict[str, Any] = json.loads(text)
    return renamed
