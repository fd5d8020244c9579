"""The forms' label tables and case-note detail fields stay in step with the contract's code lists."""

from __future__ import annotations

from docgen.contract import codes
from docgen.rendering import labels
from docgen.rendering.context import _DETAIL_FIELDS


def test_label_tables_and_detail_fields_follow_the_contract() -> None:
    shared = {
        name: table
        for name, table in vars(labels).items()
        if name.isupper() and isinstance(table, dict) and hasattr(codes, name)
    }
    assert len(shared) >= 35  # the filter above still finds the tables
    for name, table in shared.items():
        assert tuple(table) == tuple(getattr(codes, name)), name
    assert {
        note_type: tuple(field for field, _, _ in rows) for note_type, rows in _DETAIL_FIELDS.items()
    } == (codes.CASE_NOTE_DETAILS)
    assert list(_DETAIL_FIELDS) == list(codes.CASE_NOTE_DETAILS)
