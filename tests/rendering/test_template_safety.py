"""An organisation's uploaded template is untrusted: it cannot loop without bound, make LibreOffice fetch
anything, or crash the check or the renderer with a malformed package."""

from __future__ import annotations

import copy
import http.server
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from jinja2 import TemplateError

from docgen.rendering import OfficePool, TemplateRenderError, check_template, render_template, template_path
from docgen.rendering.context import build_context
from docgen.rendering.docx import make_environment
from docgen.rendering.sandbox import MAX_LOOP_ITERATIONS, RenderBudget, active_budget, bounded_loops
from tests.rendering.conftest import adult_record
from tests.rendering.helpers import docx_text
from tests.rendering.test_check import _edit

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NOT_EXTERNAL = "{{ plan.id }}"  # a placeholder every IEP template shows once; the snippets go next to it


def _iep_context() -> dict[str, Any]:
    record = adult_record()
    return build_context(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )


def _iep_with(snippet: str) -> bytes:
    """The shipped IEP with `snippet` added where the plan id is printed."""
    return _edit("iep", {NOT_EXTERNAL: NOT_EXTERNAL + snippet})


def _repack(
    data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a package with entries replaced (None: dropped) or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                blob = replace[info.filename]
                if blob is not None:
                    dst.writestr(info, blob)
            else:
                dst.writestr(info, src.read(info))
        for name, blob in (add or {}).items():
            dst.writestr(name, blob)
    return out.getvalue()


def _read(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode()


# ---------------------------------------------------------------------------------------------------------
# 1. Nothing runs without bound

UNBOUNDED = {
    "nested range loops": "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
    "range in a loop over the data": "{% for g in goals %}{% for i in range(99999) %}x{% endfor %}{% endfor %}",
    "string repetition": "{{ 'x' * 1000000000 }}",
    "power": "{{ 9 ** 9 ** 9 }}",
    "a filter with a size": "{{ plan.id|center(1000000000) }}",
    "doubling through set": "{% set a = plan.id ~ plan.id %}{% set a = a ~ a %}{{ a }}",
    "recursive macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "a method call": "{{ plan.id.upper() }}",
    "loop helpers": "{% for g in goals %}{{ loop.cycle('a', 'b') }}{% endfor %}",
    "nested loops over a string": (
        "{% for a in plan.id %}{% for b in plan.id %}{% for c in plan.id %}{% endfor %}{% endfor %}"
        "{% endfor %}"
    ),
    "nested loops over a literal": "{% for a in [1, 2, 3] %}{% for b in [1, 2, 3] %}x{% endfor %}{% endfor %}",
    "loops over loop": "{% for g in goals %}{% for h in loop %}x{% endfor %}{% endfor %}",
    "recursive loop": "{% for g in goals recursive %}{{ g.id }}{% endfor %}",
    "include": "{% include 'x' %}",
    "unescaped output": "{{ plan.id|safe }}",
    "autoescape off": "{% autoescape false %}{{ plan.id }}{% endautoescape %}",
}


@pytest.mark.parametrize("snippet", UNBOUNDED.values(), ids=UNBOUNDED.keys())
def test_check_refuses_what_a_form_never_needs(snippet: str) -> None:
    report = check_template(_iep_with(snippet), "iep")
    assert not report.ok
    assert report.errors
    assert all(error.startswith("word/document.xml: ") for error in report.errors)


def test_check_names_the_refused_construct() -> None:
    report = check_template(_iep_with(UNBOUNDED["nested range loops"]), "iep")
    assert "word/document.xml: calls a function or method: `range(...)`" in report.errors
    report = check_template(_iep_with(UNBOUNDED["nested loops over a string"]), "iep")
    assert report.errors == (
        "word/document.xml: loops over `plan.id`: a loop may only go over a list of the form's data",
    )


# Loops over a name the render cannot tell from the form's data (it does not know the context's shape):
# the check refuses them, the render budget bounds them (test_loops_that_pass_the_check_stop_at_render).
LOOPS_OVER_PATHS = {"nested loops over a string", "loops over loop"}


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "snippet",
    [snippet for name, snippet in UNBOUNDED.items() if name not in LOOPS_OVER_PATHS],
    ids=[name for name in UNBOUNDED if name not in LOOPS_OVER_PATHS],
)
def test_render_refuses_it_too(snippet: str) -> None:
    """A template stored before the check refused these fails at once instead of running."""
    began = time.monotonic()
    with pytest.raises(TemplateRenderError, match="template refused"):
        render_template(_iep_with(snippet), _iep_context())
    assert time.monotonic() - began < 2


def test_what_an_organisation_may_use_still_passes_and_renders() -> None:
    snippet = (
        "[{{ plan.id|lower }}|{{ participant.name|upper }}|{{ goals|length }}"
        "{% if plan.id is defined and plan.id != 'x' and goals %}|yes{% endif %}"
        "{% for g in goals if g.id %}{% for o in g.objectives %}|{{ loop.index }}{% endfor %}{% endfor %}"
        "|{{ (goals|first).id ~ '/' ~ (goals|last).id }}]"
    )
    data = _iep_with(snippet)
    report = check_template(data, "iep")
    assert report.ok, report
    text = docx_text(render_template(data, _iep_context()))
    assert "PL-1001[pl-1001|AVERY SAMPLE|2|yes|1|2|1|G1/G2]" in text


def _nested_loops(over: str, depth: int) -> str:
    names = [f"v{level}" for level in range(depth)]
    sources = [over, *names[:-1]] if over == "loop" else [over] * depth
    opening = "".join(f"{{% for {name} in {source} %}}" for name, source in zip(names, sources, strict=True))
    return opening + "{% endfor %}" * depth


@pytest.mark.timeout(30)
def test_loops_that_pass_the_check_stop_at_render() -> None:
    """Loops over the form's own lists pass the check; nested deep enough over enough data they would run
    for minutes, so the render budget stops them."""
    data = _iep_with(_nested_loops("goals", 3))
    assert check_template(data, "iep").ok
    context = _iep_context()
    render_template(data, context)  # 2 goals: 8 iterations
    context["goals"] = [copy.deepcopy(context["goals"][0]) for _ in range(300)]  # 27 million iterations
    began = time.monotonic()
    with pytest.raises(TemplateRenderError, match="loops more than a form can need"):
        render_template(data, context)
    assert time.monotonic() - began < 2


@pytest.mark.timeout(30)
def test_loops_over_a_string_stop_at_render() -> None:
    """Refused by the check; a template stored before that is stopped by the budget (7**8 iterations)."""
    data = _iep_with(_nested_loops("plan.id", 8))
    assert not check_template(data, "iep").ok
    began = time.monotonic()
    with pytest.raises(TemplateRenderError, match="loops more than a form can need"):
        render_template(data, _iep_context())
    assert time.monotonic() - began < 2


def _minimal_template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_render_caps_the_output() -> None:
    """40 000 iterations (within the loop budget) of 500 characters: 20 million characters of XML."""
    data = _minimal_template("{% for a in rows %}{% for b in rows %}{{ text }}{% endfor %}{% endfor %}")
    assert MAX_LOOP_ITERATIONS > 200 * 200
    began = time.monotonic()
    with pytest.raises(TemplateRenderError, match="prints more than a form can hold"):
        render_template(data, {"rows": ["r"] * 200, "text": "y" * 500})
    assert time.monotonic() - began < 5
    assert "yyy" in docx_text(render_template(data, {"rows": ["r"] * 2, "text": "y" * 500}))


def test_render_has_a_time_limit() -> None:
    env = make_environment()
    template = env.from_string(bounded_loops(env.parse("{% for a in rows %}{{ a }}{% endfor %}")))
    with active_budget(RenderBudget()):
        assert template.render(rows=list(range(1000))).startswith("0123")
    with active_budget(RenderBudget(seconds=0.0)), pytest.raises(TemplateError, match="too long"):
        template.render(rows=list(range(1000)))


@pytest.mark.parametrize(
    "source",
    [
        "{{ range(3) }}",
        "{{ rows.index(1) }}",
        "{{ 'x' * 3 }}",
        "{{ -rows|length }}",
        "{{ '%s' % 1 }}",
    ],
)
def test_the_environment_itself_refuses_calls_and_arithmetic(source: str) -> None:
    """Even compiled without the policy (sandbox.policy_errors), a template cannot call or compute."""
    with pytest.raises(TemplateError, match="may not"):
        make_environment().from_string(source).render(rows=[1, 2])


def test_the_environment_knows_only_bounded_filters() -> None:
    with pytest.raises(TemplateError, match="No filter named 'center'"):
        make_environment().from_string("{{ 'x'|center(1000000000) }}")


# ---------------------------------------------------------------------------------------------------------
# 2. Nothing outside the package


def _with_linked_image(data: bytes, url: str) -> bytes:
    """A linked (not embedded) picture: Word and LibreOffice load it from `url` when showing the page."""
    rels = _read(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        f'<Relationship Id="rIdLinked" Type="{REL}/image" Target="{url}" TargetMode="External"/>'
        "</Relationships>",
    )
    picture = (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Linked"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://'
        'schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="x.png"/>'
        '<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rIdLinked"/><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    document = _read(data, "word/document.xml")
    document = document.replace("<w:body>", "<w:body>" + picture, 1)
    return _repack(
        data, {"word/_rels/document.xml.rels": rels.encode(), "word/document.xml": document.encode()}
    )


def _with_attached_template(data: bytes, url: str) -> bytes:
    settings = _read(data, "word/settings.xml")
    settings = settings.replace("<w:zoom", '<w:attachedTemplate r:id="rIdTemplate"/><w:zoom', 1)
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdTemplate" Type="'
        f'{REL}/attachedTemplate" Target="{url}" TargetMode="External"/></Relationships>'
    )
    return _repack(
        data, {"word/settings.xml": settings.encode()}, {"word/_rels/settings.xml.rels": rels.encode()}
    )


def _with_field(data: bytes, instruction: str) -> bytes:
    """A complex field whose instruction Word split over two runs (as it does after edits)."""
    half = len(instruction) // 2
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction[:half]}</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction[half:]}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    document = _read(data, "word/document.xml").replace("<w:body>", "<w:body>" + field, 1)
    return _repack(data, {"word/document.xml": document.encode()})


EXTERNAL = {
    "linked image": (
        lambda data: _with_linked_image(data, "http://203.0.113.9/logo.png"),
        "word/_rels/document.xml.rels: external image 'http://203.0.113.9/logo.png'",
    ),
    "linked image without TargetMode": (
        lambda data: _with_linked_image(data, "file:///etc/passwd").replace(b' TargetMode="External"', b""),
        "word/_rels/document.xml.rels: external image 'file:///etc/passwd'",
    ),
    "attached template": (
        lambda data: _with_attached_template(data, "http://203.0.113.9/normal.dotm"),
        "word/_rels/settings.xml.rels: external attachedTemplate 'http://203.0.113.9/normal.dotm'",
    ),
    "INCLUDEPICTURE field": (
        lambda data: _with_field(data, ' INCLUDEPICTURE "http://203.0.113.9/x.png" \\d '),
        "word/document.xml: INCLUDEPICTURE field (includes an outside file)",
    ),
    "INCLUDETEXT field": (
        lambda data: _with_field(data, ' INCLUDETEXT "\\\\\\\\server\\\\share\\\\x.docx" '),
        "word/document.xml: INCLUDETEXT field (includes an outside file)",
    ),
}


@pytest.mark.parametrize(("make", "error"), EXTERNAL.values(), ids=EXTERNAL.keys())
def test_external_references_are_refused(make: Any, error: str) -> None:
    data = make(template_path("iep").read_bytes())
    report = check_template(data, "iep")
    assert not report.ok
    assert report.errors == (error,)
    with pytest.raises(TemplateRenderError, match="template refused"):
        render_template(data, _iep_context())
    with pytest.raises(TemplateRenderError, match="template refused"):
        render_template(data, _iep_context(), draft=True)


def test_hyperlinks_are_fine() -> None:
    """A hyperlink is an external relationship too, but nothing fetches it: only a reader clicking it."""
    data = template_path("iep").read_bytes()
    rels = _read(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        f'<Relationship Id="rIdWeb" Type="{REL}/hyperlink" Target="https://example.org/" '
        'TargetMode="External"/></Relationships>',
    )
    document = _read(data, "word/document.xml").replace(
        "<w:body>",
        '<w:body><w:p><w:hyperlink r:id="rIdWeb"><w:r><w:t>Our site</w:t></w:r></w:hyperlink></w:p>',
        1,
    )
    linked = _repack(
        data, {"word/_rels/document.xml.rels": rels.encode(), "word/document.xml": document.encode()}
    )
    assert check_template(linked, "iep").ok
    assert "Our site" in docx_text(render_template(linked, _iep_context()))


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A local web server: (its URL, the paths requested from it)."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_libreoffice_fetches_nothing(office_pool: OfficePool, recorder: tuple[str, list[str]]) -> None:
    """Should a document with a linked picture reach LibreOffice anyway (the renderer refuses such a
    template), converting it requests nothing."""
    url, requests = recorder
    docx = _with_linked_image(_minimal_template("A form with a linked logo"), f"{url}/logo.png")
    pdf = office_pool.convert(docx)
    assert pdf.startswith(b"%PDF-")
    time.sleep(0.2)
    assert requests == []


# ---------------------------------------------------------------------------------------------------------
# 3. Malformed packages


def _iep_package(**kw: Any) -> bytes:
    return _repack(template_path("iep").read_bytes(), **kw)


MALFORMED = {
    "not a zip": lambda: b"not a docx at all",
    "empty": lambda: b"",
    "truncated zip": lambda: template_path("iep").read_bytes()[:2000],
    "content types <x/>": lambda: _iep_package(replace={"[Content_Types].xml": b"<x/>"}),
    "package rels <x/>": lambda: _iep_package(replace={"_rels/.rels": b"<x/>"}),
    "no package rels": lambda: _iep_package(replace={"_rels/.rels": None}),
    "no word/document.xml": lambda: _iep_package(replace={"word/document.xml": None}),
    "document without body": lambda: _iep_package(
        replace={
            "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"/>'
        }
    ),
    "document not XML": lambda: _iep_package(replace={"word/document.xml": b"\xff\xfe garbage"}),
    "header not XML": lambda: _iep_package(replace={"word/header1.xml": b"\x00\x01"}),
    "rels not XML": lambda: _iep_package(replace={"word/_rels/document.xml.rels": b"<Relationships"}),
    "entity expansion": lambda: _iep_package(
        replace={
            "word/_rels/document.xml.rels": b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Relationships>&b;</Relationships>'
        }
    ),
    "unpacks to gigabytes": lambda: _iep_package(add={"word/media/huge.bin": b"\0" * 60_000_000}),
}


@pytest.mark.parametrize("make", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_packages_are_reported_not_raised(make: Any) -> None:
    data = make()
    report = check_template(data, "iep")
    assert not report.ok
    assert report.errors
    assert all(error.startswith("not a usable .docx template") for error in report.errors)
    for draft in (False, True):
        with pytest.raises(TemplateRenderError, match=r"not a usable \.docx template"):
            render_template(data, _iep_context(), draft=draft)


def test_deeply_nested_expressions_are_reported_not_raised() -> None:
    data = _iep_with("{{ " + "(" * 5000 + "plan.id" + ")" * 5000 + " }}")
    report = check_template(data, "iep")
    assert not report.ok
    assert report.errors
    with pytest.raises(TemplateRenderError):
        render_template(data, _iep_context())
