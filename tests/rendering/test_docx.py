"""DOCX rendering: every fixture field printed, hostile text literal, strict placeholders, draft mark."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from docgen.rendering import DRAFT_TEXT, TemplateRenderError, render_docx, render_template, template_path
from docgen.rendering.context import build_context
from tests.rendering.conftest import adult_record, documents
from tests.rendering.helpers import (
    LOCAL_AREA,
    ORGANISATION,
    docx_text,
    missing_from,
    participant_forms,
    printed_forms,
)

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = [
    "<b>bold?</b> & &amp; < > \"double\" 'single'",
    "{{ 7*7 }} {% if true %}yes{% endif %} {# comment #} {_{ x }_} {_% y %_}",
    "]]> <![CDATA[ x ]]> <?xml version='1.0'?>",
    "Español: año, niño, corazón, ¿qué?, ¡sí! — Tiếng Việt: Nguyễn, được, người, Đà Nẵng",
    "Emoji: 😀 🎉 👩🏽‍💻 ✅",
]


def render(name: str, **kw: Any) -> bytes:
    document, participant = documents()[name]
    return render_docx(
        document, participant=participant, organisation=ORGANISATION, local_area=LOCAL_AREA, **kw
    )


def expected(name: str) -> list[tuple[str, set[str]]]:
    document, participant = documents()[name]
    fields = printed_forms(document)
    if participant is not None:
        fields += participant_forms(participant)
    return [*fields, ("organisation", {ORGANISATION}), ("local_area", {LOCAL_AREA})]


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_field_of_the_fixture_is_printed(name: str) -> None:
    text = docx_text(render(name))
    assert missing_from(text, expected(name)) == []
    assert "{{" not in text
    assert "{%" not in text


def test_form_layout_elements() -> None:
    data = render("iep")
    document = Document(io.BytesIO(data))
    footer = document.sections[0].footer._element.xml
    assert 'w:instr=" PAGE "' in footer
    assert 'w:instr=" NUMPAGES "' in footer
    assert "Document PL-1001 · Version 1" in docx_text(data)
    text = docx_text(data)
    for caption in (
        "Participant signature",
        "Career planner signature",
        "Printed name",
        "Role / title",
        "Date",
    ):
        assert caption in text
    assert len(document.tables) >= 10


def test_no_full_ssn_anywhere() -> None:
    record = adult_record()
    record["participant"]["ssn_last4"] = "4321"
    data = render_docx(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )
    text = docx_text(data)
    assert "4321" in text
    assert "XXX-XX" not in text


def _hostile_plan() -> tuple[dict[str, Any], dict[str, Any]]:
    record = adult_record()
    plan, participant = record["plans"][0], record["participant"]
    participant["first_name"] = HOSTILE[3][:30]
    plan["justification"]["text"] = " | ".join(HOSTILE)
    plan["goals"][0]["description"] = HOSTILE[0]
    plan["goals"][0]["objectives"][0]["comments"] = HOSTILE[1]
    plan["goals"][1]["objectives"][0]["comments"] = ("Línea de 10 000 caracteres. " * 400)[:10_000]
    plan["barriers"][0]["strategy"] = HOSTILE[2]
    plan["barriers"][1]["strategy"] = HOSTILE[4]
    plan["progress_tracking"]["next_steps"] = (
        "line one\nline two\ttabbed\r\nline three\x0bvertical tab\x07bell"
    )
    return plan, participant


def test_hostile_text_comes_out_literally() -> None:
    plan, participant = _hostile_plan()
    data = render_docx(plan, participant=participant, organisation=HOSTILE[0], local_area=HOSTILE[1])
    text = docx_text(data)
    for value in HOSTILE:
        assert value in text
    assert ("Línea de 10 000 caracteres. " * 400)[:10_000] in text
    assert "line one\nline two\ttabbed\nline three\nvertical tab\ufffdbell" in text
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]  # nothing was evaluated
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None


def test_missing_value_is_an_error_not_a_blank() -> None:
    record = adult_record()
    context = build_context(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )
    del context["participant"]["name"]
    with pytest.raises(TemplateRenderError, match="name"):
        render_template(template_path("iep"), context)
    context = build_context(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )
    del context["goals"][0]["objectives"][1]["comments"]  # inside two loops
    with pytest.raises(TemplateRenderError, match="comments"):
        render_template(template_path("iep"), context)


def _replace_in_document(data: bytes, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                text = blob.decode()
                assert old in text
                blob = text.replace(old, new, 1).encode()
            dst.writestr(info, blob)
    return out.getvalue()


def test_template_runs_in_the_sandbox() -> None:
    record = adult_record()
    context = build_context(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )
    evil = _replace_in_document(
        template_path("iep").read_bytes(), "{{ participant.name }}", "{{ participant.__class__.__mro__ }}"
    )
    with pytest.raises(TemplateRenderError):
        render_template(evil, context)


def _header_xml(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    xml = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                xml.append(header._element.xml)
    return xml


@pytest.mark.parametrize("name", ["iep", "iss", "mou", "case_note-contact"])
def test_draft_marks_every_header(name: str) -> None:
    draft = _header_xml(render(name, draft=True))
    assert draft
    assert all(DRAFT_TEXT in xml and "PowerPlusWaterMarkObject" in xml for xml in draft)
    assert all(DRAFT_TEXT not in xml for xml in _header_xml(render(name)))


def test_draft_covers_templates_without_headers_and_with_first_page_headers(tmp_path: Path) -> None:
    """An organisation's template may have no header, a different first page, several sections."""
    from docx.enum.section import WD_SECTION

    doc = Document()
    doc.add_paragraph("Plan {{ plan.id }} for {{ participant.name }}")
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = True
    doc.add_paragraph("Second section")
    path = tmp_path / "org.docx"
    doc.save(str(path))
    record = adult_record()
    context = build_context(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )
    data = render_template(path, context, draft=True)
    rendered = Document(io.BytesIO(data))
    for section in rendered.sections:
        shown = [section.header]
        if section.different_first_page_header_footer:
            shown.append(section.first_page_header)
        for header in shown:
            defined = header
            # a linked header shows the previous section's definition, which must carry the mark
            assert DRAFT_TEXT in "".join(t.text or "" for t in defined._element.iter(qn("w:t")))
    assert "Plan PL-1001 for Avery Sample" in docx_text(data)


def test_templates_rebuild_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "script" / "build_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for kind in ("iep", "iss", "case_note", "mou"):
        assert (tmp_path / f"{kind}.docx").read_bytes() == template_path(kind).read_bytes(), kind
