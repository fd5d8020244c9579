"""Render a Word template (docxtpl tags) with a context -> DOCX bytes.

- Autoescape is on and every value is escaped once, as text: whatever a participant typed (`<`, `&`,
  quotes, `{{ 7*7 }}`, `{% if %}`, control characters, emoji) comes out literally. Braces are written as
  character references so docxtpl's own post-processing (which turns `{_{` into `{{`) cannot touch them.
- Undefined names are errors (StrictUndefined): a missing value fails the render, never prints blank.
- Templates run in Jinja's sandbox: an organisation may upload its own template.

Speed: docxtpl redoes, on every render, work that depends only on the template (opening the package with
python-docx, ~40 regex passes of tag clean-up, compiling the Jinja source, re-serialising every part).
`CompiledTemplate` does that once per template and keeps docxtpl's semantics by calling docxtpl's own
steps (patch_xml, the post-render replacements, resolve_listing, fix_tables); a render is then Jinja plus
one XML parse of the body and a zip write. Document properties are not templated (docxtpl renders them).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from docgen.rendering.watermark import add_draft_watermark

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "docx"
TEMPLATE_KINDS = ("iep", "iss", "case_note", "mou")

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


class RenderError(Exception):
    """Base of the rendering errors."""


class TemplateRenderError(RenderError):
    """The template could not be rendered with this context (undefined placeholder, syntax, bad DOCX)."""


# Characters XML 1.0 cannot carry. Vertical tab / form feed (pasted from Word) become line breaks.
_INVALID_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return _INVALID_XML.sub("\ufffd", value)


def _finalize(value: Any) -> Any:
    """Every printed value -> escaped XML text, braces as character references."""
    if isinstance(value, Markup):
        return value
    if value is None:
        raise UndefinedError("a template printed a value that is None")
    escaped = str(escape(clean_text(str(value))))
    # Safe: `escaped` went through markupsafe.escape just above.
    return Markup(escaped.replace("{", "&#123;").replace("}", "&#125;"))  # noqa: S704


def make_environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )


_ENV = make_environment()
# docxtpl's steps that depend on nothing but their input; one instance serves every thread.
_DOCXTPL = DocxTemplate(io.BytesIO())


def _post_render(xml: str) -> str:
    """docxtpl's post-processing of a rendered part (render_xml_part after Jinja)."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # Only text holding tabs, line breaks, \a or \f needs docxtpl's run splitting (the regex pass is slow).
    if "\t" in xml or "\n" in xml or "\a" in xml or "\f" in xml:
        resolved: str = _DOCXTPL.resolve_listing(xml)
        return resolved
    return xml


def _compile(source: str) -> Template:
    """docxtpl's pre-render step (render_xml_part before Jinja), then Jinja compilation."""
    return _ENV.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))


def _zipname(partname: str) -> str:
    return partname.lstrip("/")


@dataclass(frozen=True)
class TemplateSources:
    """A template's parts as docxtpl prepares them for Jinja (also read by the template check)."""

    document_part: str
    head: str  # document.xml up to the body
    tail: str  # document.xml after the body
    body: str  # patched body source
    parts: dict[str, str]  # zip name -> patched source (headers, footers, footnotes)
    raw: dict[str, str]  # zip name -> XML before patching (body, headers, footers, footnotes)


def template_sources(data: bytes) -> TemplateSources:
    """Open a .docx template and return its Jinja sources; raises TemplateRenderError if unusable."""
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        document = tpl.get_docx()
        body_xml = tpl.get_xml()
        root = deepcopy(document.element)
        for child in list(root.body):
            root.body.remove(child)
        shell = etree.tostring(root, encoding="unicode")
        head, found, tail = shell.partition("<w:body/>")
        if not found:
            raise TemplateRenderError("not a usable .docx template: no w:body")
        document_part = _zipname(str(document.part.partname))
        parts: dict[str, str] = {}
        raw: dict[str, str] = {document_part: body_xml}
        for rel in document.part.rels.values():
            if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external and rel.target_part.blob:
                part = rel.target_part
                xml = tpl.get_part_xml(part)
                raw[_zipname(str(part.partname))] = xml
                parts[_zipname(str(part.partname))] = tpl.patch_xml(xml)
        for part in document.part.package.iter_parts():
            if part.content_type == _FOOTNOTES:
                xml = part.blob.decode("utf-8")
                raw[_zipname(str(part.partname))] = xml
                parts[_zipname(str(part.partname))] = tpl.patch_xml(xml)
        return TemplateSources(
            document_part=document_part,
            head=_XML_DECLARATION + head,
            tail=tail,
            body=tpl.patch_xml(body_xml),
            parts=parts,
            raw=raw,
        )
    except TemplateRenderError:
        raise
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise TemplateRenderError(f"not a usable .docx template: {type(exc).__name__}") from exc


class CompiledTemplate:
    """A .docx template prepared once for many renders (thread-safe)."""

    def __init__(self, data: bytes, *, draft: bool = False) -> None:
        if draft:
            data = self._watermarked(data)
        sources = template_sources(data)
        try:
            self._body = _compile(sources.body)
            self._parts = {name: _compile(source) for name, source in sources.parts.items()}
        except TemplateError as exc:
            raise TemplateRenderError(f"template error: {exc.message or type(exc).__name__}") from exc
        self._head = sources.head
        self._tail = sources.tail
        self._document_part = sources.document_part
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            self._entries = [
                (info.filename, info.date_time, info.external_attr, package.read(info))
                for info in package.infolist()
            ]

    @staticmethod
    def _watermarked(data: bytes) -> bytes:
        try:
            document = DocxTemplate(io.BytesIO(data)).get_docx()
        except (KeyError, ValueError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise TemplateRenderError(f"not a usable .docx template: {type(exc).__name__}") from exc
        add_draft_watermark(document)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def render(self, context: Mapping[str, Any]) -> bytes:
        ctx = dict(context)
        try:
            body_xml = _post_render(self._body.render(ctx))
            parts = {name: _post_render(template.render(ctx)) for name, template in self._parts.items()}
        except TemplateError as exc:
            # Names the placeholder, never a value.
            raise TemplateRenderError(f"template error: {exc.message or type(exc).__name__}") from exc
        tree = _DOCXTPL.fix_tables(body_xml)
        for number, element in enumerate(tree.iter(f"{{{_WP_NS}}}docPr"), start=1001):
            element.set("id", str(number))  # loops duplicate drawing ids; Word refuses duplicates
        body = etree.tostring(tree, encoding="unicode")
        # The root element already declares every namespace the body inherits.
        body = re.sub(r"^<w:body[^>]*>", "<w:body>", body, count=1)
        rendered = {self._document_part: self._head + body + self._tail}
        for name, xml in parts.items():
            rendered[name] = _XML_DECLARATION + xml
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for filename, date_time, external_attr, blob in self._entries:
                info = zipfile.ZipInfo(filename, date_time)  # per render: writestr updates its ZipInfo
                info.external_attr = external_attr
                info.compress_type = zipfile.ZIP_DEFLATED
                text = rendered.get(filename)
                package.writestr(info, text.encode("utf-8") if text is not None else blob)
        return out.getvalue()


_cache: OrderedDict[tuple[str, bool], CompiledTemplate] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 64


def compiled(template: str | Path | bytes, *, draft: bool = False) -> CompiledTemplate:
    """The compiled form of a template (path or bytes), cached by content."""
    data = template if isinstance(template, bytes) else Path(template).read_bytes()
    key = (hashlib.sha256(data).hexdigest(), draft)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    made = CompiledTemplate(data, draft=draft)
    with _cache_lock:
        _cache[key] = made
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return made


def template_path(kind: str) -> Path:
    if kind not in TEMPLATE_KINDS:
        raise TemplateRenderError(f"no template for {kind!r}")
    return TEMPLATE_DIR / f"{kind}.docx"


def render_template(
    template: str | Path | bytes, context: Mapping[str, Any], *, draft: bool = False
) -> bytes:
    """Render a .docx template (path or bytes) with `context`; `draft` marks every page as a draft."""
    return compiled(template, draft=draft).render(context)
