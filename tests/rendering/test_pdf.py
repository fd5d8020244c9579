"""PDF through the real LibreOffice pool: every field in the text layer, PDF/A-2b, draft mark on every page."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from docgen.rendering import DRAFT_TEXT, OfficePool, render_docx, render_pdf
from tests.rendering.conftest import adult_record, documents
from tests.rendering.helpers import LOCAL_AREA, ORGANISATION, missing_from, normalize, pdf_pages
from tests.rendering.test_docx import HOSTILE, _hostile_plan, expected


def pdf_of(pool: OfficePool, name: str, **kw: Any) -> bytes:
    document, participant = documents()[name]
    return render_pdf(
        pool, document, participant=participant, organisation=ORGANISATION, local_area=LOCAL_AREA, **kw
    )


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_field_of_the_fixture_is_in_the_pdf_text(office_pool: OfficePool, name: str) -> None:
    pages = pdf_pages(pdf_of(office_pool, name))
    assert missing_from("\n".join(pages), expected(name)) == []
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert ORGANISATION in text


@pytest.mark.parametrize(("name", "pages"), [("iep", 3), ("iss", 3), ("mou", 2), ("case_note-exit", 1)])
def test_forms_have_the_expected_size(office_pool: OfficePool, name: str, pages: int) -> None:
    assert len(pdf_pages(pdf_of(office_pool, name))) == pages


def _body_text(pages: list[str]) -> str:
    """The pages' text without the header and footer lines every page repeats."""
    split = [page.splitlines() for page in pages]
    repeated = set(split[0]).intersection(*split[1:])
    return "\n".join(
        line
        for lines in split
        for line in lines
        if line not in repeated and not re.search(r"Page \d+ of \d+", line)
    )


def test_pdf_is_pdf_a_2b(office_pool: OfficePool) -> None:
    reader = PdfReader(io.BytesIO(pdf_of(office_pool, "iep")))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert str(xmp.pdfaid_part) == "2"
    assert str(xmp.pdfaid_conformance).upper() == "B"
    assert "/OutputIntents" in reader.root_object


@pytest.mark.parametrize("name", ["iep", "iss", "mou"])
def test_draft_is_marked_on_every_page(office_pool: OfficePool, name: str) -> None:
    draft = pdf_pages(pdf_of(office_pool, name, draft=True))
    assert len(draft) >= 2
    assert all(DRAFT_TEXT in normalize(text) for text in draft)
    assert all(DRAFT_TEXT not in text for text in pdf_pages(pdf_of(office_pool, name)))


def test_hostile_text_survives_libreoffice(office_pool: OfficePool) -> None:
    plan, participant = _hostile_plan()
    docx = render_docx(plan, participant=participant, organisation=HOSTILE[0], local_area=HOSTILE[1])
    pages = pdf_pages(office_pool.convert(docx))
    text = normalize("\n".join(pages))
    for value in HOSTILE[:4]:
        assert normalize(value) in text
    for emoji in ("😀", "🎉", "✅"):
        assert emoji in text
    long_comment = ("Línea de 10 000 caracteres. " * 400)[:10_000]
    body = _body_text(pages)
    assert re.sub(r"\s", "", long_comment) in re.sub(r"\s", "", body)  # wraps over pages, nothing cut
    assert len(pages) > 4


def test_no_ssn_digits_beyond_last_four(office_pool: OfficePool) -> None:
    record = adult_record()
    record["participant"]["ssn_last4"] = "4321"
    pdf = render_pdf(office_pool, record["plans"][0], participant=record["participant"], organisation="O",
                     local_area="A")  # fmt: skip
    text = "\n".join(pdf_pages(pdf))
    assert "4321" in text
    assert not re.search(r"\d{3}[- ]\d{2}[- ]\d{4}", text)
