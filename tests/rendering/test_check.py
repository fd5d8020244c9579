"""Template check: shipped forms pass; an organisation's template missing an element or using an unknown
placeholder is refused with the list."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.rendering import check_shipped_templates, check_template, template_path
from docgen.rendering.check import PAGE_X_OF_Y, REQUIRED


def _edit(kind: str, edit: dict[str, str]) -> bytes:
    """The shipped template with text replaced in its parts (as someone editing it in Word would)."""
    out = io.BytesIO()
    with zipfile.ZipFile(template_path(kind)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                text = blob.decode()
                for old, new in edit.items():
                    text = text.replace(old, new)
                blob = text.encode()
            dst.writestr(info, blob)
    return out.getvalue()


def test_every_shipped_template_passes() -> None:
    reports = check_shipped_templates()
    assert [r.kind for r in reports] == ["iep", "iss", "case_note", "mou"]
    for report in reports:
        assert report.ok, report


def test_missing_required_element_is_listed() -> None:
    report = check_template(
        _edit("iep", {"{{ objective.comments }}": "", "{{ barrier.by_whom }}": ""}), "iep"
    )
    assert not report.ok
    assert report.unknown_placeholders == ()
    assert report.missing_elements == (
        "objective comments (objective.comments) [goals[].objectives[].comments]",
        "by whom a barrier is addressed (plan.barriers) [barriers[].by_whom]",
    )


def test_unknown_placeholder_is_listed() -> None:
    report = check_template(
        _edit(
            "iss", {"{{ participant.name }}": "{{ participant.ssn }}", "{{ goal.term }}": "{{ goal.terme }}"}
        ),
        "iss",
    )
    assert not report.ok
    # reported as paths in the context: `goal` is the loop variable of both goal tables of the ISS
    assert report.unknown_placeholders == ("education_goals[].terme", "goals[].terme", "participant.ssn")
    assert "participant name [participant.name]" in report.missing_elements


def test_placeholders_inside_loops_and_conditions_are_checked() -> None:
    report = check_template(
        _edit("mou", {"{{ party.name }}": "{% if party.id %}{{ party.nmae }}{% endif %}{{ party.name }}"}),
        "mou",
    )
    assert report.unknown_placeholders == ("parties[].nmae",)


def test_page_x_of_y_is_required() -> None:
    data = _edit("case_note", {'w:instr=" NUMPAGES "': 'w:instr=" DATE "'})
    assert check_template(data, "case_note").missing_elements == (PAGE_X_OF_Y,)


def test_broken_templates_are_refused() -> None:
    syntax = check_template(_edit("iep", {"{{ plan.id }}": "{% for x in %}"}), "iep")
    assert syntax.errors
    assert not syntax.ok
    garbage = check_template(b"not a docx at all", "iep")
    assert garbage.errors
    assert not garbage.ok
    assert check_template(template_path("iep"), "mou").missing_elements  # the wrong form for the kind
    with pytest.raises(ValueError, match="unknown template kind"):
        check_template(template_path("iep"), "assessment")


def test_an_organisations_own_layout_can_pass(tmp_path: Path) -> None:
    """Any layout is fine as long as it shows what the rules require and uses known names."""
    doc = Document()
    for path, _ in REQUIRED["case_note"]:
        if "[]" in path:
            continue
        doc.add_paragraph(f"{{{{ {path} }}}}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for row in details %}"
    table.cell(1, 0).text = "{{ row.label }}"
    table.cell(1, 1).text = "{{ row.value }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    footer = doc.sections[0].footer.paragraphs[0]
    for instr in (" PAGE ", " NUMPAGES "):
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instr)
        footer._p.append(field)
    target = tmp_path / "org-case-note.docx"
    doc.save(str(target))
    report = check_template(target, "case_note")
    assert report.ok, report
    assert re.fullmatch(r"org-case-note\.docx", report.name)
