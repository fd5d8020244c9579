"""The draft mark: a plan or MOU with error-severity findings renders only as a draft.

Every page gets, through the headers (so it survives any organisation template and any page count):
- a banner line "DRAFT — not valid for signature" as real text (it reaches the PDF's text layer, so a
  reader, a search or a test finds it on every page), and
- a large diagonal watermark in Word's own form (a VML text path named PowerPlusWaterMarkObject), which
  Word shows as a watermark and LibreOffice prints behind the page content.
The PDF is converted from this DOCX, so both formats carry the same mark.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.section import _Header

DRAFT_TEXT = "DRAFT — not valid for signature"

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)

# Word's text-path shape type (o:spt 136), as Word writes it for Design > Watermark.
_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    "<v:formulas>"
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/>'
    "</v:formulas>"
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def _watermark_paragraph(index: int) -> Any:
    shape = (
        f'<v:shape id="PowerPlusWaterMarkObject{index}" o:spid="_x0000_s{2049 + index}" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:500pt;height:62pt;rotation:315;'
        "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" '
        'o:allowincell="f" fillcolor="#bfbfbf" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{DRAFT_TEXT}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/>'
        "</v:shape>"
    )
    return parse_xml(
        f"<w:p {_NS}>"
        '<w:pPr><w:jc w:val="center"/><w:spacing w:before="0" w:after="40"/></w:pPr>'
        f"<w:r><w:rPr><w:noProof/></w:rPr><w:pict>{_SHAPETYPE}{shape}</w:pict></w:r>"
        '<w:r><w:rPr><w:b/><w:color w:val="C00000"/><w:sz w:val="20"/></w:rPr>'
        f"<w:t>{DRAFT_TEXT}</w:t></w:r>"
        "</w:p>"
    )


def _headers(document: DocxDocument) -> list[_Header]:
    """Every header definition that is displayed on some page, creating one where a page would have none."""
    odd_even = document.settings.odd_and_even_pages_header_footer
    found: list[_Header] = []
    defined: set[str] = set()
    for section in document.sections:
        kinds = [("default", section.header)]
        if section.different_first_page_header_footer:
            kinds.append(("first", section.first_page_header))
        if odd_even:
            kinds.append(("even", section.even_page_header))
        for kind, header in kinds:
            if header.is_linked_to_previous and kind in defined:
                continue  # shows an earlier section's header, already marked
            header.is_linked_to_previous = False
            defined.add(kind)
            found.append(header)
    return found


def add_draft_watermark(document: DocxDocument) -> None:
    seen: set[int] = set()
    for index, header in enumerate(_headers(document), start=1):
        element = header._element
        if id(element) in seen:
            continue
        seen.add(id(element))
        element.insert(0, _watermark_paragraph(index))
