"""The forms CLI: `templates check` on every shipped template, `demo OUTDIR`."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
from flask import Flask


def test_templates_check_passes_on_every_template(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["templates", "check"])
    assert result.exit_code == 0, result.output
    for name in ("iep", "iss", "case_note", "mou"):
        assert f"{name}.docx ({name}): ok" in result.output


def test_demo_writes_every_form(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["demo", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("iep", "iss", "case-note", "mou"):
        assert docx.Document(str(tmp_path / f"{name}.docx")).paragraphs
        assert pypdf.PdfReader(str(tmp_path / f"{name}.pdf")).pages
