"""Placeholder until the marshmallow contract schemas land (being written now)."""

from __future__ import annotations

from typing import Any

from docgen.policy.findings import Violation

DOC_TYPES = ("participant", "assessment", "plan", "case_note", "mou", "record")


def schema_violations(doc: dict[str, Any]) -> list[Violation]:
    return []
