"""Rendering: a contract document -> DOCX (docxtpl, Word templates) -> PDF/A-2b (warm LibreOffice pool).

Pure inputs, bytes out: nothing here touches the database, storage or Flask.

    pool = OfficePool()                       # owned by the app; pool.start() at app start, pool.stop() at exit
    docx = render_docx(plan, participant=p, organisation="...", local_area="...", draft=has_errors)
    pdf = pool.convert(docx)                  # or render_pdf(pool, plan, ...)

A plan or MOU with error-severity findings must be rendered with draft=True (every page is marked
"DRAFT — not valid for signature", in the DOCX and therefore in the PDF).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docgen.rendering.check import TemplateReport, check_shipped_templates, check_template
from docgen.rendering.context import ContextError, build_context, template_kind
from docgen.rendering.docx import RenderError, TemplateRenderError, render_template, template_path
from docgen.rendering.pdf import (
    ConversionFailed,
    ConversionTimeout,
    OfficePool,
    OfficeUnavailable,
    PdfError,
    PoolBusy,
    PoolClosed,
    PoolSettings,
)
from docgen.rendering.watermark import DRAFT_TEXT


def render_docx(
    document: Mapping[str, Any],
    *,
    participant: Mapping[str, Any] | None = None,
    organisation: str,
    local_area: str,
    draft: bool = False,
    version: int | None = None,
    tz: str | None = None,
    template: str | Path | bytes | None = None,
) -> bytes:
    """A plan, case note or MOU as a filled-in Word form (the organisation's `template`, or the shipped one)."""
    kind = template_kind(document)
    context = build_context(
        document,
        participant=participant,
        organisation=organisation,
        local_area=local_area,
        version=version,
        tz=tz,
    )
    return render_template(template if template is not None else template_path(kind), context, draft=draft)


def render_pdf(
    pool: OfficePool,
    document: Mapping[str, Any],
    *,
    participant: Mapping[str, Any] | None = None,
    organisation: str,
    local_area: str,
    draft: bool = False,
    version: int | None = None,
    tz: str | None = None,
    template: str | Path | bytes | None = None,
) -> bytes:
    """The same form as PDF/A-2b; raises PoolBusy (-> 503 + Retry-After) when the pool is saturated."""
    docx = render_docx(
        document,
        participant=participant,
        organisation=organisation,
        local_area=local_area,
        draft=draft,
        version=version,
        tz=tz,
        template=template,
    )
    return pool.convert(docx)


__all__ = [
    "DRAFT_TEXT",
    "ContextError",
    "ConversionFailed",
    "ConversionTimeout",
    "OfficePool",
    "OfficeUnavailable",
    "PdfError",
    "PoolBusy",
    "PoolClosed",
    "PoolSettings",
    "RenderError",
    "TemplateRenderError",
    "TemplateReport",
    "build_context",
    "check_shipped_templates",
    "check_template",
    "render_docx",
    "render_pdf",
    "render_template",
    "template_kind",
    "template_path",
]
