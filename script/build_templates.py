"""(Re)builds the Word forms in templates/docx/ with python-docx, byte for byte reproducibly.

    .venv/bin/python script/build_templates.py        (or script/build-templates)

The forms are meant to be edited afterwards in Word by people who do not program: they hold only docxtpl
placeholders ({{ participant.name }}), row loops ({%tr for goal in goals %}) and paragraph loops
({%p for ... %}) and no other logic. The names they may use are the keys of docgen/rendering/context.py.

The package is kept lean on purpose (only the styles it uses, no thumbnail, no stylesWithEffects): every
PDF conversion parses it, so each kilobyte of unused style definitions costs time on every document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "docx"

FONT = "Calibri"  # Word's default; LibreOffice uses the metric-compatible Carlito
SYMBOL_FONT = "Segoe UI Symbol"  # ☒/☐ in Word; LibreOffice falls back to DejaVu Sans
INK = RGBColor(0x1F, 0x1F, 0x1F)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x59, 0x59, 0x59)
LABEL_FILL = "F2F2F2"
HEAD_FILL = "DCE3EC"
GOAL_FILL = "E8EDF3"
BORDER = "8C8C8C"
PAGE_WIDTH = 7.3  # inches between the margins of a US Letter page with 0.6" margins
FIXED_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


# ---------------------------------------------------------------------------------------------------------
# Low-level helpers


def _set(parent: Any, tag: str, **attrs: str) -> Any:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for key, value in attrs.items():
        el.set(qn(key), value)
    return el


def _borders(parent: Any, tag: str, sides: Iterable[str], size: int = 4, color: str = BORDER) -> None:
    box = _set(parent, tag)
    for side in sides:
        _set(box, f"w:{side}", **{"w:val": "single", "w:sz": str(size), "w:space": "0", "w:color": color})


def _no_borders(parent: Any, tag: str) -> None:
    box = _set(parent, tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(box, f"w:{side}", **{"w:val": "nil"})


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    _set(tc_pr, "w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})


def cell_bottom_line(cell: _Cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = _set(tc_pr, "w:tcBorders")
    _set(borders, "w:bottom", **{"w:val": "single", "w:sz": "6", "w:space": "0", "w:color": "000000"})


def repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    _set(tr_pr, "w:tblHeader")


def keep_row_together(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    _set(tr_pr, "w:cantSplit")


def row_height(row: Any, inches: float) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    _set(tr_pr, "w:trHeight", **{"w:val": str(int(inches * 1440)), "w:hRule": "atLeast"})


def add_field(paragraph: Paragraph, instr: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice both update when laying out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


# ---------------------------------------------------------------------------------------------------------
# The form builder


class Form:
    def __init__(self, title: str, subtitle: str, header_right: str | None) -> None:
        self.doc = Document()
        self._setup_page()
        self._setup_styles()
        self._setup_header_footer(header_right)
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        self.para(title, style="Title")
        self.para(subtitle, style="Subtitle")

    # page, styles, header and footer ----------------------------------------------------------------------
    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Inches(8.5)
        section.page_height = Inches(11)
        section.left_margin = section.right_margin = Inches(0.6)
        section.top_margin = Inches(0.85)
        section.bottom_margin = Inches(0.75)
        section.header_distance = Inches(0.3)
        section.footer_distance = Inches(0.3)

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(9.5)
        normal.font.color.rgb = INK
        r_pr = normal.element.get_or_add_rPr()
        fonts = _set(r_pr, "w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(2)
        normal.paragraph_format.line_spacing = 1.0

        title = styles["Title"]
        title.base_style = normal
        title.font.size = Pt(16)
        title.font.bold = True
        title.font.color.rgb = ACCENT
        title.paragraph_format.space_after = Pt(0)
        self._plain_style(title)

        subtitle = styles["Subtitle"]
        subtitle.base_style = normal
        subtitle.font.size = Pt(10)
        subtitle.font.italic = False
        subtitle.font.color.rgb = MUTED
        subtitle.paragraph_format.space_after = Pt(6)
        self._plain_style(subtitle)

        heading = styles["Heading 1"]
        heading.base_style = normal
        heading.font.size = Pt(11)
        heading.font.bold = True
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.space_before = Pt(9)
        heading.paragraph_format.space_after = Pt(3)
        heading.paragraph_format.keep_with_next = True
        self._plain_style(heading)
        _borders(heading.element.get_or_add_pPr(), "w:pBdr", ["bottom"], size=6, color="1F3A5F")

        for name, size, bold, color in (
            ("Form Label", 8.5, True, MUTED),
            ("Form Text", 9.5, False, INK),
            ("Form Small", 8, False, MUTED),
            ("Table Heading", 8.5, True, INK),
            ("Signature Caption", 8, False, MUTED),
            ("Header Text", 9, False, MUTED),
        ):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.color.rgb = color
            style.paragraph_format.space_after = Pt(0)
        styles["Signature Caption"].paragraph_format.space_after = Pt(4)
        spacer = styles.add_style("Spacer", WD_STYLE_TYPE.PARAGRAPH)
        spacer.base_style = normal
        spacer.font.size = Pt(4)
        spacer.paragraph_format.space_after = Pt(0)

    @staticmethod
    def _plain_style(style: Any) -> None:
        """Drop the theme fonts and borders python-docx's default Title/Heading styles carry."""
        r_pr = style.element.get_or_add_rPr()
        for child in list(r_pr):
            if child.tag in (qn("w:rFonts"), qn("w:kern"), qn("w:spacing"), qn("w:i"), qn("w:iCs")):
                r_pr.remove(child)
        p_pr = style.element.get_or_add_pPr()
        for child in list(p_pr):
            if child.tag in (qn("w:pBdr"), qn("w:contextualSpacing"), qn("w:numPr")):
                p_pr.remove(child)

    def _setup_header_footer(self, header_right: str | None) -> None:
        section = self.doc.sections[0]
        width = Inches(PAGE_WIDTH)

        header = section.header
        first = header.paragraphs[0]
        first.style = self.doc.styles["Header Text"]
        first.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        org = first.add_run("{{ organisation }}")
        org.bold = True
        org.font.size = Pt(10.5)
        org.font.color.rgb = ACCENT
        first.add_run("\tLocal area: {{ local_area }}")
        second = header.add_paragraph(style=self.doc.styles["Header Text"])
        second.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        second.add_run("{{ document.title }}")
        if header_right:
            second.add_run(f"\t{header_right}")
        _borders(second._p.get_or_add_pPr(), "w:pBdr", ["bottom"], size=6, color=BORDER)

        footer = section.footer
        line = footer.paragraphs[0]
        line.style = self.doc.styles["Header Text"]
        line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        _borders(line._p.get_or_add_pPr(), "w:pBdr", ["top"], size=4, color=BORDER)
        line.add_run("Document {{ document.id }} · Version {{ document.version }}\tPage ")
        add_field(line, "PAGE", "1")
        line.add_run(" of ")
        add_field(line, "NUMPAGES", "1")

    # content ----------------------------------------------------------------------------------------------
    def para(self, text: str = "", style: str = "Normal", bold: bool = False) -> Paragraph:
        p = self.doc.add_paragraph(style=self.doc.styles[style])
        if text:
            run = p.add_run(text)
            run.bold = bold or None
        return p

    def heading(self, text: str) -> None:
        self.para(text, style="Heading 1")

    def tag(self, text: str) -> None:
        """A paragraph holding only a {%p ... %} loop tag (docxtpl removes the paragraph itself)."""
        self.para(text, style="Spacer")

    def table(self, widths: Sequence[float], rows: int = 0) -> Table:
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        _set(tbl_pr, "w:tblLayout", **{"w:type": "fixed"})
        _set(tbl_pr, "w:tblW", **{"w:w": str(int(sum(widths) * 1440)), "w:type": "dxa"})
        _borders(tbl_pr, "w:tblBorders", ["top", "left", "bottom", "right", "insideH", "insideV"])
        margins = _set(tbl_pr, "w:tblCellMar")
        for side, value in (("left", 70), ("right", 70), ("top", 20), ("bottom", 20)):
            _set(margins, f"w:{side}", **{"w:w": str(value), "w:type": "dxa"})
        grid = table._tbl.tblGrid
        for col, width in zip(grid.iterchildren(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(int(width * 1440)))
        self._widths = list(widths)
        return table

    def row(
        self,
        table: Table,
        cells: Sequence[str | Callable[[_Cell], None]],
        style: str = "Form Text",
        fill: str | None = None,
        spans: Sequence[int] | None = None,
    ) -> Any:
        row = table.add_row()
        widths = self._widths
        spans = list(spans or [1] * len(cells))
        col = 0
        for content, span in zip(cells, spans, strict=True):
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
            cell.width = Inches(sum(widths[col : col + span]))
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles[style]
            if callable(content):
                content(cell)
            elif content:
                paragraph.add_run(content)
            if fill:
                shade(cell, fill)
            col += span
        return row

    def tag_row(self, table: Table, tag: str) -> None:
        """A row holding only a {%tr ... %} loop tag (docxtpl removes the row itself)."""
        self.row(table, [tag] + [""] * (len(self._widths) - 1), style="Form Small")

    def header_row(self, table: Table, captions: Sequence[str], spans: Sequence[int] | None = None) -> None:
        row = self.row(table, captions, style="Table Heading", fill=HEAD_FILL, spans=spans)
        repeat_header(row)
        keep_row_together(row)

    def fields(self, pairs: Sequence[tuple[str, str]], columns: int = 2) -> Table:
        """A label/value grid: `columns` label-value pairs per row."""
        label_w, value_w = (1.35, PAGE_WIDTH / columns - 1.35) if columns > 1 else (1.9, PAGE_WIDTH - 1.9)
        table = self.table([label_w, value_w] * columns)
        for start in range(0, len(pairs), columns):
            chunk = list(pairs[start : start + columns])
            chunk += [("", "")] * (columns - len(chunk))
            cells: list[str] = []
            for caption, value in chunk:
                cells += [caption, value]
            row = self.row(table, cells)
            keep_row_together(row)
            for i in range(0, len(cells), 2):
                cell = row.cells[i]
                cell.paragraphs[0].style = self.doc.styles["Form Label"]
                shade(cell, LABEL_FILL)
        return table

    def text_box(self, caption: str, value: str) -> None:
        """A labelled free-text block (a one-cell table so long text wraps inside a frame)."""
        table = self.table([1.9, PAGE_WIDTH - 1.9])
        row = self.row(table, [caption, value])
        row.cells[0].paragraphs[0].style = self.doc.styles["Form Label"]
        shade(row.cells[0], LABEL_FILL)

    def signature_blocks(self, items: Sequence[tuple[str | None, str, str]]) -> None:
        """Signature lines: (loop tag or None, object path, caption of the signature line)."""
        widths = [2.75, 2.05, 1.4, 1.1]
        table = self.table(widths)
        _no_borders(table._tbl.tblPr, "w:tblBorders")
        for loop, obj, caption in items:
            if loop:
                self.tag_row(table, f"{{%tr for {loop} %}}")
            line = self.row(
                table,
                [
                    f"{{{{ {obj}.signature }}}}",
                    f"{{{{ {obj}.name }}}}",
                    f"{{{{ {obj}.title }}}}",
                    f"{{{{ {obj}.date }}}}",
                ],
            )
            row_height(line, 0.42)
            keep_row_together(line)
            for cell in line.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM  # the value sits on the line
                cell_bottom_line(cell)
            line.cells[0].paragraphs[0].runs[0].italic = True
            captions = self.row(
                table, [caption, "Printed name", "Role / title", "Date"], style="Signature Caption"
            )
            keep_row_together(captions)
            if loop:
                self.tag_row(table, "{%tr endfor %}")
        self._drop_loop_borders(table)

    @staticmethod
    def _drop_loop_borders(table: Table) -> None:
        for row in table.rows:
            if "{%tr" in "".join(c.text for c in row.cells):
                for cell in row.cells:
                    tc_pr = cell._tc.get_or_add_tcPr()
                    borders = tc_pr.find(qn("w:tcBorders"))
                    if borders is not None:
                        tc_pr.remove(borders)

    # output -----------------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        props = self.doc.core_properties
        props.author = "docgen"
        props.last_modified_by = "docgen"
        props.created = FIXED_TIME.replace(tzinfo=None)
        props.modified = FIXED_TIME.replace(tzinfo=None)
        props.revision = 1
        props.title = ""
        props.comments = ""
        props.keywords = ""
        props.subject = ""
        props.category = ""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        path.write_bytes(lean_package(buffer.getvalue()))


def two_line(first: str, second: str, *, second_style: str = "Form Small") -> Callable[[_Cell], None]:
    """A cell with a main line and a muted second line."""

    def fill(cell: _Cell) -> None:
        cell.paragraphs[0].add_run(first)
        extra = cell.add_paragraph(style=second_style)
        extra.add_run(second)

    return fill


def bold_text(value: str) -> Callable[[_Cell], None]:
    def fill(cell: _Cell) -> None:
        cell.paragraphs[0].add_run(value).bold = True

    return fill


def symbol(value: str) -> Callable[[_Cell], None]:
    def fill(cell: _Cell) -> None:
        run = cell.paragraphs[0].add_run(value)
        run.font.name = SYMBOL_FONT
        run.font.size = Pt(11)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    return fill


# ---------------------------------------------------------------------------------------------------------
# Package post-processing: lean and reproducible

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def _used_styles(parts: dict[str, bytes]) -> set[str]:
    used: set[str] = set()
    for name, blob in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            root = etree.fromstring(blob)
            for tag in ("pStyle", "rStyle", "tblStyle"):
                for el in root.iter(f"{{{W_NS}}}{tag}"):
                    used.add(el.get(f"{{{W_NS}}}val", ""))
    return used


def _prune_styles(blob: bytes, used: set[str]) -> bytes:
    root = etree.fromstring(blob)
    w = f"{{{W_NS}}}"
    styles = {el.get(f"{w}styleId"): el for el in root.iter(f"{w}style")}
    keep = set(used)
    keep |= {sid for sid, el in styles.items() if el.get(f"{w}default") == "1"}
    changed = True
    while changed:  # follow basedOn / next / link chains
        changed = False
        for sid in list(keep):
            el = styles.get(sid)
            if el is None:
                continue
            for ref in ("basedOn", "next", "link"):
                target = el.find(f"{w}{ref}")
                if target is not None and target.get(f"{w}val") not in keep:
                    keep.add(target.get(f"{w}val", ""))
                    changed = True
    for sid, el in styles.items():
        if sid not in keep:
            root.remove(el)
    latent = root.find(f"{w}latentStyles")
    if latent is not None:
        root.remove(latent)
    # Keep "link" and "next" from pointing at removed styles.
    for el in root.iter(f"{w}style"):
        for ref in ("next", "link"):
            target = el.find(f"{w}{ref}")
            if target is not None and target.get(f"{w}val") not in keep:
                el.remove(target)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _drop_relationships(blob: bytes, targets: Sequence[str]) -> bytes:
    root = etree.fromstring(blob)
    for rel in list(root):
        target = rel.get("Target", "")
        if any(t in target for t in targets):
            root.remove(rel)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _drop_overrides(blob: bytes, parts: Sequence[str]) -> bytes:
    root = etree.fromstring(blob)
    for el in list(root):
        name = el.get("PartName", "")
        if any(name.lstrip("/").startswith(p) for p in parts):
            root.remove(el)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def lean_package(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = [n for n in src.namelist() if not any(n.startswith(p) for p in DROP_PARTS)]
        parts = {n: src.read(n) for n in names}
    parts["word/styles.xml"] = _prune_styles(parts["word/styles.xml"], _used_styles(parts))
    parts["word/_rels/document.xml.rels"] = _drop_relationships(
        parts["word/_rels/document.xml.rels"], ["stylesWithEffects", "customXml"]
    )
    parts["_rels/.rels"] = _drop_relationships(parts["_rels/.rels"], ["thumbnail"])
    parts["[Content_Types].xml"] = _drop_overrides(parts["[Content_Types].xml"], DROP_PARTS)
    out = io.BytesIO()
    first = ("[Content_Types].xml", "_rels/.rels")
    order = [*first, *sorted(n for n in parts if n not in first)]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, parts[name])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------
# The forms


def participant_block(form: Form, youth: bool, extra: Sequence[tuple[str, str]] = ()) -> None:
    form.heading("Participant")
    pairs = [
        ("Name", "{{ participant.name }}"),
        ("Participant ID", "{{ participant.id }}"),
        ("Program", "{{ participant.program }}"),
        ("SSN (last 4 digits)", "{{ participant.ssn_last4 }}"),
    ]
    if youth:
        pairs += [
            ("Youth status", "{{ participant.youth_status }}"),
            ("Basic skills deficient", "{{ participant.basic_skills_deficient }}"),
        ]
    pairs += [
        ("Email", "{{ participant.email }}"),
        ("Phone", "{{ participant.phone }}"),
        ("Preferred language", "{{ participant.preferred_language }}"),
        ("Application date", "{{ participant.applied_on }}"),
        ("Eligibility determined", "{{ participant.eligibility_determined_on }}"),
        ("Certified (enrolled)", "{{ participant.certified_on }}"),
        *extra,
    ]
    form.fields(pairs)


def plan_block(form: Form) -> None:
    form.heading("Plan")
    form.fields(
        [
            ("Plan ID", "{{ plan.id }}"),
            ("Version", "{{ plan.version }}"),
            ("Status", "{{ plan.status }}"),
            ("Date developed", "{{ plan.opened_on }}"),
            ("Closed on", "{{ plan.closed_on }}"),
            ("Reason closed", "{{ plan.close_reason }}"),
            ("Developed jointly", "{{ plan.developed_jointly }}"),
            ("Based on assessment(s)", "{{ plan.assessments }}"),
            ("Career planner", "{{ planner.name }}"),
            ("Title", "{{ planner.title }}"),
            ("Planner email", "{{ planner.email }}"),
            ("Planner phone", "{{ planner.phone }}"),
            ("Planner organization", "{{ planner.organization }}"),
        ]
    )


def goals_block(form: Form) -> None:
    form.heading("Goals and objectives")
    form.para(
        "Each goal is limited to a defined period; each objective has a start date, a target (review) date "
        "and a comment explaining why it is necessary.",
        style="Form Small",
    )
    form.tag("{%p for goal in goals %}")
    widths = [2.35, 0.85, 0.85, 0.85, 0.8, 1.6]
    table = form.table(widths)
    first = form.row(
        table,
        [
            two_line(
                "Goal {{ goal.id }}: {{ goal.description }}",
                "{{ goal.kind }} goal, {{ goal.term }} · Opened {{ goal.opened_on }} · Projected end "
                "{{ goal.projected_end_on }} · Status: {{ goal.status }} · Closed {{ goal.closed_on }}",
            )
        ],
        style="Table Heading",
        fill=GOAL_FILL,
        spans=[6],
    )
    keep_row_together(first)
    form.header_row(table, ["Objective", "Start", "Target", "Completed", "Status", "Comments"])
    form.tag_row(table, "{%tr for objective in goal.objectives %}")
    row = form.row(
        table,
        [
            two_line("{{ objective.id }} {{ objective.description }}", "{{ objective.reference }}"),
            "{{ objective.start_on }}",
            "{{ objective.target_on }}",
            "{{ objective.completed_on }}",
            "{{ objective.status }}",
            "{{ objective.comments }}",
        ],
    )
    keep_row_together(row)
    form.tag_row(table, "{%tr endfor %}")
    form.para("", style="Spacer")
    form.tag("{%p endfor %}")


def barriers_block(form: Form) -> None:
    form.heading("Barriers and needs: how and by whom they are addressed")
    table = form.table([1.9, 2.45, 1.45, 1.5])
    form.header_row(table, ["Barrier or need", "Strategy / action steps", "By whom", "Services"])
    form.tag_row(table, "{%tr for barrier in barriers %}")
    row = form.row(
        table,
        [
            two_line(
                "{{ barrier.id }} {{ barrier.category }}: {{ barrier.description }}",
                "Status: {{ barrier.status }}",
            ),
            "{{ barrier.strategy }}",
            "{{ barrier.by_whom }}",
            "{{ barrier.services }}",
        ],
    )
    keep_row_together(row)
    form.tag_row(table, "{%tr endfor %}")


def services_block(form: Form) -> None:
    form.heading("Services: sequence and mix")
    table = form.table([2.05, 1.6, 0.85, 0.85, 1.05, 0.9])
    form.header_row(table, ["Service", "Provider", "Start", "Planned end", "Ended / status", "Approx. cost"])
    form.tag_row(table, "{%tr for service in services %}")
    row = form.row(
        table,
        [
            two_line("{{ service.id }} {{ service.name }}", "{{ service.details }}"),
            "{{ service.provider }}",
            "{{ service.start_on }}",
            "{{ service.planned_end_on }}",
            two_line("{{ service.end_on }}", "{{ service.status }}"),
            "{{ service.approximate_cost }}",
        ],
    )
    keep_row_together(row)
    form.tag_row(table, "{%tr endfor %}")
    total = form.row(
        table, [bold_text("Total approximate cost"), bold_text("{{ services_total_cost }}")], spans=[5, 1]
    )
    keep_row_together(total)


def performance_block(form: Form) -> None:
    form.heading("Link to performance indicators")
    table = form.table([2.9, 4.4])
    form.header_row(table, ["Indicator", "How this plan links to it"])
    form.tag_row(table, "{%tr for link in performance_links %}")
    form.row(table, [two_line("{{ link.label }}", "{{ link.indicator }}"), "{{ link.rationale }}"])
    form.tag_row(table, "{%tr endfor %}")


def tracking_block(form: Form) -> None:
    form.heading("Tracking progress and next steps")
    form.fields(
        [
            ("Method for tracking progress", "{{ tracking.method }}"),
            ("Next steps", "{{ tracking.next_steps }}"),
            ("Participant informed of responsibilities", "{{ plan.responsibilities_acknowledged }}"),
        ],
        columns=1,
    )


def revision_block(form: Form) -> None:
    form.heading("Revision")
    form.fields(
        [
            ("Revised on", "{{ revision.revised_on }}"),
            ("Participant agreed", "{{ revision.participant_agreed }}"),
            ("Summary of changes", "{{ revision.summary }}"),
            ("Significant changes", "{{ revision.significant_changes }}"),
        ]
    )


def plan_signatures(form: Form, plan_name: str) -> None:
    form.heading("Signatures")
    form.para(
        f"This {plan_name} was developed jointly by the participant and the career planner. By signing, both "
        "agree to it; the participant receives a copy of the signed plan.",
        style="Form Text",
    )
    form.signature_blocks(
        [
            (None, "signatures.participant", "Participant signature"),
            (None, "signatures.career_planner", "Career planner signature"),
        ]
    )


def build_iep() -> Form:
    form = Form(
        "Individual Employment Plan (IEP)",
        "WIOA Title I: Adult and Dislocated Worker programs",
        "Participant: {{ participant.name }} ({{ participant.id }})",
    )
    participant_block(form, youth=False)
    plan_block(form)
    form.heading("Justification: why these goals are appropriate")
    form.fields(
        [
            ("Justification", "{{ justification.text }}"),
            ("Based on", "{{ justification.based_on }}"),
            ("Skill gap", "{{ justification.skill_gap }}"),
        ],
        columns=1,
    )
    goals_block(form)
    barriers_block(form)
    services_block(form)
    form.heading("Informed choice: training")
    form.fields(
        [
            ("Training program", "{{ informed_choice.training_program }}"),
            ("Training provider", "{{ informed_choice.training_provider }}"),
            ("Target occupation", "{{ informed_choice.target_occupation }}"),
            ("Discussed on", "{{ informed_choice.discussed_on }}"),
            ("Local labor market conditions", "{{ informed_choice.local_labor_market_conditions }}"),
            ("Local employer skill demands", "{{ informed_choice.local_employer_skill_demands }}"),
            ("Hiring prerequisites", "{{ informed_choice.hiring_prerequisites }}"),
            ("In-demand occupations", "{{ informed_choice.in_demand_occupations }}"),
            ("Training suitable for the participant", "{{ informed_choice.training_suitable }}"),
            ("Leads to sustainable employment", "{{ informed_choice.leads_to_sustainable_employment }}"),
        ],
        columns=1,
    )
    performance_block(form)
    tracking_block(form)
    revision_block(form)
    plan_signatures(form, "Individual Employment Plan")
    return form


def build_iss() -> Form:
    form = Form(
        "Individual Service Strategy (ISS)",
        "WIOA Title I: Youth program",
        "Participant: {{ participant.name }} ({{ participant.id }})",
    )
    participant_block(form, youth=True)
    plan_block(form)
    form.heading("Career pathway and summary")
    form.fields(
        [
            ("Career pathway", "{{ plan.career_pathway }}"),
            ("Summary of goals, objectives, activities and tools", "{{ plan.summary }}"),
        ],
        columns=1,
    )
    form.heading("Education goal")
    table = form.table([3.3, 2.2, 1.0, 0.8])
    form.header_row(table, ["Education goal", "Linked employment goal", "Projected end", "Status"])
    form.tag_row(table, "{%tr for goal in education_goals %}")
    form.row(
        table,
        [
            two_line("{{ goal.id }} {{ goal.description }}", "{{ goal.term }} · Opened {{ goal.opened_on }}"),
            "{{ goal.linked_goal }}",
            "{{ goal.projected_end_on }}",
            "{{ goal.status }}",
        ],
    )
    form.tag_row(table, "{%tr endfor %}")
    goals_block(form)
    barriers_block(form)
    services_block(form)
    form.heading("Youth program elements (20 CFR 681.460)")
    table = form.table([0.3, 3.05, 0.6, 1.25, 1.1, 1.0])
    form.header_row(table, ["#", "Program element", "Provided", "Delivery", "Provider", "Services"])
    form.tag_row(table, "{%tr for element in youth_elements %}")
    row = form.row(
        table,
        [
            "{{ element.number }}",
            "{{ element.name }}",
            symbol("{{ element.mark }}"),
            "{{ element.delivery }}",
            "{{ element.provider }}",
            "{{ element.services }}",
        ],
        style="Form Small",
    )
    keep_row_together(row)
    form.tag_row(table, "{%tr endfor %}")
    performance_block(form)
    tracking_block(form)
    revision_block(form)
    plan_signatures(form, "Individual Service Strategy")
    return form


def build_case_note() -> Form:
    form = Form("Case Note", "{{ note.type }}", "Participant: {{ participant.name }} ({{ participant.id }})")
    participant_block(form, youth=True, extra=[("Career planner", "{{ participant.career_planner }}")])
    form.heading("Note")
    form.fields(
        [
            ("Note ID", "{{ note.id }}"),
            ("Type", "{{ note.type }}"),
            ("Date of service or contact", "{{ note.occurred_on }}"),
            ("Recorded", "{{ note.recorded_at }}"),
            ("Author", "{{ author.name }}"),
            ("Author title", "{{ author.title }}"),
            ("Author email", "{{ author.email }}"),
            ("Author organization", "{{ author.organization }}"),
            ("Plan", "{{ note.plan }}"),
            ("Services", "{{ note.services }}"),
            ("Contact mode", "{{ note.contact_mode }}"),
            ("Two-way contact", "{{ note.two_way }}"),
        ]
    )
    form.heading("Narrative")
    form.text_box("Narrative", "{{ note.narrative }}")
    form.heading("Details")
    table = form.table([2.4, 4.9])
    form.header_row(table, ["Item", "Entry"])
    form.tag_row(table, "{%tr for item in details %}")
    row = form.row(table, ["{{ item.label }}", "{{ item.value }}"])
    row.cells[0].paragraphs[0].style = form.doc.styles["Form Label"]
    form.tag_row(table, "{%tr endfor %}")
    form.heading("Signature")
    form.signature_blocks([(None, "signature", "Author signature")])
    return form


def build_mou() -> Form:
    form = Form("Memorandum of Understanding", "{{ mou.title }}", "MOU {{ mou.id }}")
    form.heading("Agreement")
    form.fields(
        [
            ("MOU ID", "{{ mou.id }}"),
            ("Serves incumbent workers", "{{ mou.serves_incumbent_workers }}"),
            ("Effective", "{{ mou.effective_on }}"),
            ("Expires", "{{ mou.expires_on }}"),
        ]
    )
    form.heading("Parties")
    table = form.table([0.9, 3.2, 2.1, 1.1])
    form.header_row(table, ["ID", "Party", "Type", "LWIA number"])
    form.tag_row(table, "{%tr for party in parties %}")
    form.row(table, ["{{ party.id }}", "{{ party.name }}", "{{ party.type }}", "{{ party.lwia_number }}"])
    form.tag_row(table, "{%tr endfor %}")
    form.heading("Roles and responsibilities")
    table = form.table([1.7, 2.0, 3.6])
    form.header_row(table, ["Role", "Responsible parties", "Responsibilities"])
    form.tag_row(table, "{%tr for role in roles %}")
    row = form.row(table, ["{{ role.role }}", "{{ role.parties }}", "{{ role.description }}"])
    keep_row_together(row)
    form.tag_row(table, "{%tr endfor %}")
    form.heading("LWIA commitment to the project")
    form.fields(
        [("Committing LWIA", "{{ lwia_commitment.party }}"), ("Commitment", "{{ lwia_commitment.text }}")],
        columns=1,
    )
    form.heading("Alignment with the regional and local plans")
    form.fields(
        [
            ("Regional plan", "{{ plan_alignment.regional_plan }}"),
            ("Local plan", "{{ plan_alignment.local_plan }}"),
        ],
        columns=1,
    )
    form.heading("Staff qualified to certify and document eligibility")
    table = form.table([2.0, 2.0, 1.5, 1.8])
    form.header_row(table, ["Name", "Party", "Title", "Systems"])
    form.tag_row(table, "{%tr for staff in certifying_staff %}")
    form.row(table, ["{{ staff.name }}", "{{ staff.party }}", "{{ staff.title }}", "{{ staff.systems }}"])
    form.tag_row(table, "{%tr endfor %}")
    form.heading("Follow-up services")
    form.fields(
        [
            ("Agreed to provide or coordinate", "{{ follow_up.agreed }}"),
            ("Approach", "{{ follow_up.approach }}"),
            ("Responsible parties", "{{ follow_up.parties }}"),
            ("Description", "{{ follow_up.description }}"),
        ],
        columns=1,
    )
    form.heading("Signatures of the parties")
    form.para("The MOU must contain the signatures of all parties to the agreement.", style="Form Text")
    form.signature_blocks(
        [("signer in signatures", "signer", "Signature for {{ signer.party }} ({{ signer.party_type }})")]
    )
    form.heading("Certifying staff")
    form.signature_blocks(
        [
            (
                "certifier in certifier_signatures",
                "certifier",
                "Certifying staff signature, {{ certifier.party }}",
            )
        ]
    )
    return form


FORMS: dict[str, Callable[[], Form]] = {
    "iep": build_iep,
    "iss": build_iss,
    "case_note": build_case_note,
    "mou": build_mou,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("names", nargs="*", help=f"forms to build (default: all of {', '.join(FORMS)})")
    args = parser.parse_args(argv)
    names = args.names or list(FORMS)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name not in FORMS:
            parser.error(f"unknown form {name}")
        path = args.out / f"{name}.docx"
        FORMS[name]().save(path)
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
