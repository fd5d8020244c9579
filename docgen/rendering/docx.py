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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError, UndefinedError
from lxml import etree
from markupsafe import Markup, escape

from docgen.rendering import sandbox
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


def make_environment() -> sandbox.FormEnvironment:
    """The sandbox forms render in (see sandbox.py: no calls, no arithmetic, few filters, budgets)."""
    return sandbox.make_environment(finalize=_finalize)


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


def _compile(part: str, source: str) -> Template:
    """docxtpl's pre-render step (render_xml_part before Jinja), then the form policy (sandbox.py), then
    Jinja compilation with every loop drawing on the render budget."""
    tree = _ENV.parse(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))
    refused = sandbox.policy_errors(tree)
    if refused:
        raise TemplateRenderError(f"template refused: {part}: {'; '.join(refused)}")
    return _ENV.from_string(sandbox.bounded_loops(tree))


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
    external: tuple[str, ...]  # what the package would make LibreOffice fetch (see external_references)


# An uploaded template is a zip: refuse it before unpacking more than a form could ever hold.
MAX_TEMPLATE_ENTRIES = 2_000
MAX_TEMPLATE_UNPACKED = 50_000_000

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Fields whose result Word (and possibly LibreOffice) fetches from a file or URL when the document opens.
_FETCHING_FIELDS = re.compile(r"\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.IGNORECASE)
_URL_TARGET = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*:|\\\\|//)")  # http:, file:, \\host, //host
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@contextmanager
def _untrusted_package() -> Iterator[None]:
    """Whatever goes wrong while opening an uploaded package is the package's fault, never a crash."""
    try:
        yield
    except TemplateRenderError:
        raise
    except Exception as exc:  # python-docx and lxml fail in many ways on a malformed package
        raise TemplateRenderError(f"not a usable .docx template: {type(exc).__name__}") from exc


def _field_instructions(root: etree._Element) -> list[str]:
    """The instruction of every field (complex fields may split it over several runs)."""
    instructions: list[str] = []
    current: list[str] | None = None
    for element in root.iter(f"{{{_W_NS}}}fldChar", f"{{{_W_NS}}}instrText", f"{{{_W_NS}}}fldSimple"):
        if element.tag == f"{{{_W_NS}}}fldSimple":
            instructions.append(element.get(f"{{{_W_NS}}}instr") or "")
        elif element.tag == f"{{{_W_NS}}}instrText":
            if current is None:
                current = []
                instructions.append("")
            current.append(element.text or "")
            instructions[-1] = "".join(current)
        elif element.get(f"{{{_W_NS}}}fldCharType") == "begin":
            current = None
    return instructions


def external_references(package: zipfile.ZipFile) -> list[str]:
    """Relationships to anything outside the package (linked images, data sources, attached templates,
    subdocuments...) and fields that include a file or URL: LibreOffice might fetch them while converting.
    Hyperlinks are allowed: they are only followed when someone clicks them."""
    found: list[str] = []
    for name in package.namelist():
        if name.endswith(".rels"):
            root = etree.fromstring(package.read(name), _XML_PARSER)
            for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
                if rel.get("Type") == RT.HYPERLINK:
                    continue
                target = rel.get("Target") or ""
                if (rel.get("TargetMode") or "").lower() == "external" or _URL_TARGET.match(target):
                    kind = (rel.get("Type") or "relationship").rsplit("/", 1)[-1]
                    found.append(f"{name}: external {kind} {target[:100]!r}")
        elif name.startswith("word/") and name.endswith(".xml"):
            root = etree.fromstring(package.read(name), _XML_PARSER)
            for instruction in _field_instructions(root):
                match = _FETCHING_FIELDS.match(instruction)
                if match:
                    found.append(f"{name}: {match.group(1).upper()} field (includes an outside file)")
    return found


def _open_package(data: bytes) -> zipfile.ZipFile:
    package = zipfile.ZipFile(io.BytesIO(data))
    infos = package.infolist()
    if len(infos) > MAX_TEMPLATE_ENTRIES or sum(info.file_size for info in infos) > MAX_TEMPLATE_UNPACKED:
        raise TemplateRenderError("not a usable .docx template: it unpacks to more than a form can hold")
    return package


def template_sources(data: bytes) -> TemplateSources:
    """Open a .docx template and return its Jinja sources; raises TemplateRenderError if unusable."""
    with _untrusted_package():
        with _open_package(data) as package:
            external = tuple(external_references(package))
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
            external=external,
        )


def _render_part(template: Template, context: dict[str, Any], budget: sandbox.RenderBudget) -> str:
    """Jinja's render, streamed so that the output stays within the budget."""
    pieces: list[str] = []
    for chunk in template.generate(context):
        budget.output(len(chunk))
        pieces.append(chunk)
    budget.check_time()
    return "".join(pieces)


class CompiledTemplate:
    """A .docx template prepared once for many renders (thread-safe)."""

    def __init__(self, data: bytes, *, draft: bool = False) -> None:
        if draft:
            data = self._watermarked(data)
        sources = template_sources(data)
        if sources.external:
            raise TemplateRenderError(f"template refused: {'; '.join(sources.external)}")
        try:
            self._body = _compile(sources.document_part, sources.body)
            self._parts = {name: _compile(name, source) for name, source in sources.parts.items()}
        except TemplateRenderError:
            raise
        except TemplateError as exc:
            raise TemplateRenderError(f"template error: {exc.message or type(exc).__name__}") from exc
        except Exception as exc:  # Python's compiler on a pathological template (nesting, recursion)
            raise TemplateRenderError(f"template error: {type(exc).__name__}") from exc
        self._head = sources.head
        self._tail = sources.tail
        self._document_part = sources.document_part
        with _untrusted_package(), zipfile.ZipFile(io.BytesIO(data)) as package:
            self._entries = [
                (info.filename, info.date_time, info.external_attr, package.read(info))
                for info in package.infolist()
            ]

    @staticmethod
    def _watermarked(data: bytes) -> bytes:
        with _untrusted_package():
            _open_package(data).close()
            document = DocxTemplate(io.BytesIO(data)).get_docx()
            add_draft_watermark(document)
            out = io.BytesIO()
            document.save(out)
            return out.getvalue()

    def _render_xml(self, context: Mapping[str, Any]) -> tuple[etree._Element, dict[str, str]]:
        ctx = dict(context)
        budget = sandbox.RenderBudget()
        try:
            with sandbox.active_budget(budget):
                body_xml = _post_render(_render_part(self._body, ctx, budget))
                parts = {
                    name: _post_render(_render_part(tpl, ctx, budget)) for name, tpl in self._parts.items()
                }
            tree = _DOCXTPL.fix_tables(body_xml)
        except TemplateError as exc:
            # Names the placeholder, never a value.
            raise TemplateRenderError(f"template error: {exc.message or type(exc).__name__}") from exc
        except Exception as exc:  # a template's own mistake (`list > 3`, markup it breaks); never a value
            raise TemplateRenderError(f"template error: {type(exc).__name__}") from exc
        return tree, parts

    def render(self, context: Mapping[str, Any]) -> bytes:
        tree, parts = self._render_xml(context)
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
