"""What a rendered form must print for a fixture, and the text of rendered DOCX / PDF files."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.rendering import labels
from docgen.rendering.context import fmt_date, fmt_money, fmt_number, fmt_timestamp

ORGANISATION = "Example Workforce Center"
LOCAL_AREA = "LWIA 7 — Example County"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY_KEYS = {"approximate_cost", "wage"}
_LABEL_TABLES = [
    value for name, value in vars(labels).items()
    if name.isupper() and isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
]  # fmt: skip

# Fields a form does not print, with the reason (everything else in the document must appear).
NOT_PRINTED = {
    "/doc_type": "the discriminator",
    "/services/*/recorded_at": "system-of-record entry time, used only by entry.deadline",
    "/signatories/*/email": "where the e-signature request is sent",
    "/signatories/*/phone": "where the e-signature request is sent",
    "/consents": "participant consents are not part of these forms",
    "/career_planner": "the participant's assigned planner (the plan prints the plan's planner)",
    "/exit": "program exit is recorded in case notes, not on these forms",
}
PARTICIPANT_PRINTED = {
    "id", "first_name", "middle_name", "last_name", "program", "youth_status", "preferred_language",
    "email", "phone", "ssn_last4", "applied_on", "eligibility_determined_on", "certified_on",
}  # fmt: skip


def _skipped(pointer: str) -> bool:
    for pattern in NOT_PRINTED:
        regex = "^" + re.escape(pattern).replace(r"\*", r"[^/]+") + "($|/)"
        if re.match(regex, pointer):
            return True
    return False


def _walk(value: Any, pointer: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(value, Mapping):
        for key, child in value.items():
            if not str(key).startswith("_"):
                yield from _walk(child, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, f"{pointer}/{index}")
    else:
        yield pointer, pointer.rsplit("/", 1)[-1], value


def printed_forms(document: Mapping[str, Any]) -> list[tuple[str, set[str]]]:
    """(JSON pointer, the ways its value may be printed) for every field the form must show."""
    expected: list[tuple[str, set[str]]] = []
    for pointer, key, value in _walk(document):
        if _skipped(pointer) or isinstance(value, bool) or value is None:
            continue
        forms: set[str]
        if key == "signed_at":
            forms = {fmt_date(datetime.fromisoformat(value).date())}
        elif key == "method" and "/signature/" in pointer:
            forms = {"Signed electronically" if value == "electronic" else "Signed in ink"}
        elif key == "recorded_at":
            forms = {fmt_timestamp(value)}
        elif key in _MONEY_KEYS:
            forms = {fmt_money(value)}
        elif isinstance(value, int | float):
            forms = {fmt_number(value)}
        elif isinstance(value, str) and _DATE.match(value):
            forms = {fmt_date(value)}
        else:
            raw = str(value)
            forms = {raw} | {table[raw] for table in _LABEL_TABLES if raw in table}
        expected.append((pointer, forms))
    return expected


def participant_forms(participant: Mapping[str, Any]) -> list[tuple[str, set[str]]]:
    shown = {k: v for k, v in participant.items() if k in PARTICIPANT_PRINTED}
    return [(f"/participant{pointer}", forms) for pointer, forms in printed_forms(shown)]


def normalize(text: str) -> str:
    """Whitespace collapsed; a line broken after a hyphen (LibreOffice wraps "self-sufficient") joined."""
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "-", text)).strip()


def missing_from(text: str, expected: list[tuple[str, set[str]]]) -> list[str]:
    flat = normalize(text)
    return [pointer for pointer, forms in expected if not any(normalize(f) in flat for f in forms)]


def docx_text(data: bytes) -> str:
    """All text of a .docx (body with tables, headers, footers), one line per paragraph."""
    document = Document(io.BytesIO(data))
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.even_page_header):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    lines: list[str] = []
    for root in roots:
        for paragraph in root.iter(qn("w:p")):
            pieces: list[str] = []
            for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
                if node.tag == qn("w:t"):
                    pieces.append(node.text or "")
                elif node.tag == qn("w:br"):
                    pieces.append("\n")
                else:
                    pieces.append("\t")
            lines.append("".join(pieces))
    return "\n".join(lines)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
