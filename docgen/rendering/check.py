"""Template check: may this Word template be used for this kind of document?

For a template (shipped, or uploaded by an organisation) it lists
- placeholders the render context does not provide (`{{ participant.ssn }}`, a misspelt `{{ goal.descripton }}`),
  found by walking the Jinja syntax tree of every part against the context shape in context.py, so a
  placeholder inside a loop or an `if` that a sample render would skip is still seen;
- required elements the template does not show: for each kind, the fields contract.md / rules.md require on
  that document (goals with objective dates, status and comments, barriers with strategy and by whom,
  services with provider, dates and cost, the 14 youth elements, signature lines, document id, version,
  "page X of Y", ...);
- Jinja syntax errors and files that are not usable .docx templates;
- what a form template may not do (sandbox.py): calls (`range(...)`), arithmetic, assignments, macros,
  includes, filters and tests beyond a few bounded ones, loops over anything but a list of the context;
- references to anything outside the package (linked images, data sources, attached templates,
  INCLUDEPICTURE fields) that LibreOffice could fetch while converting; hyperlinks are fine.
A template with any of these is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

from jinja2 import TemplateSyntaxError, nodes

from docgen.rendering.context import CONTEXT_TYPES
from docgen.rendering.docx import (
    TEMPLATE_KINDS,
    TemplateRenderError,
    make_environment,
    template_path,
    template_sources,
)
from docgen.rendering.sandbox import loop_refusal, policy_errors

# ---------------------------------------------------------------------------------------------------------
# What each form must show (path in the context -> what it is, with the rule that asks for it)

_HEADER_FOOTER = [
    ("organisation", "organisation name (header)"),
    ("local_area", "local area (header)"),
    ("document.id", "document id (footer)"),
    ("document.version", "document version (footer)"),
]
_PARTICIPANT = [
    ("participant.name", "participant name"),
    ("participant.id", "participant id"),
    ("participant.program", "program"),
]
_PLAN_COMMON = [
    *_HEADER_FOOTER,
    *_PARTICIPANT,
    ("planner.name", "career planner"),
    ("plan.opened_on", "date the plan was developed"),
    ("plan.status", "plan status"),
    ("plan.developed_jointly", "developed jointly (plan.jointly)"),
    ("goals[].description", "goal description (plan.goals)"),
    ("goals[].term", "goal term"),
    ("goals[].opened_on", "goal opened date"),
    ("goals[].projected_end_on", "goal projected end date (goal.dates)"),
    ("goals[].status", "goal status"),
    ("goals[].objectives[].description", "objective description"),
    ("goals[].objectives[].start_on", "objective start date (objective.dates)"),
    ("goals[].objectives[].target_on", "objective target date (objective.dates)"),
    ("goals[].objectives[].completed_on", "objective completion date (objective.close)"),
    ("goals[].objectives[].status", "objective status and outcome (objective.close)"),
    ("goals[].objectives[].comments", "objective comments (objective.comments)"),
    ("barriers[].description", "barrier or need (plan.barriers)"),
    ("barriers[].strategy", "barrier strategy (plan.barriers)"),
    ("barriers[].by_whom", "by whom a barrier is addressed (plan.barriers)"),
    ("services[].name", "service (plan.services)"),
    ("services[].provider", "service provider"),
    ("services[].start_on", "service start date"),
    ("services[].planned_end_on", "service planned end date (svc.training)"),
    ("services[].end_on", "service end date (svc.close)"),
    ("services[].status", "service completion status (svc.close)"),
    ("services[].approximate_cost", "service approximate cost (svc.training)"),
    ("performance_links[].label", "performance indicator (plan.performance_link)"),
    ("tracking.method", "method for tracking progress (plan.tracking)"),
    ("tracking.next_steps", "next steps (plan.tracking)"),
    ("revision.revised_on", "revision date (plan.revision)"),
    ("revision.summary", "revision summary (plan.revision)"),
    ("signatures.participant.signature", "participant signature line (plan.signatories)"),
    ("signatures.participant.name", "participant printed name"),
    ("signatures.participant.title", "participant role"),
    ("signatures.participant.date", "participant signature date"),
    ("signatures.career_planner.signature", "career planner signature line (plan.signatories)"),
    ("signatures.career_planner.name", "career planner printed name"),
    ("signatures.career_planner.title", "career planner role"),
    ("signatures.career_planner.date", "career planner signature date"),
]
REQUIRED: dict[str, list[tuple[str, str]]] = {
    "iep": [
        *_PLAN_COMMON,
        ("justification.text", "justification (iep.justification)"),
        ("justification.based_on", "what the justification is based on (iep.justification)"),
        ("informed_choice.training_program", "training program (iep.informed_choice)"),
        ("informed_choice.training_provider", "training provider (iep.informed_choice)"),
        (
            "informed_choice.local_labor_market_conditions",
            "local labor market conditions (iep.informed_choice)",
        ),
        (
            "informed_choice.local_employer_skill_demands",
            "local employer skill demands (iep.informed_choice)",
        ),
        ("informed_choice.hiring_prerequisites", "hiring prerequisites (iep.informed_choice)"),
        ("informed_choice.in_demand_occupations", "in-demand occupations (iep.informed_choice)"),
        ("informed_choice.training_suitable", "training suitable (iep.informed_choice)"),
        ("informed_choice.leads_to_sustainable_employment", "leads to sustainable employment"),
    ],
    "iss": [
        *_PLAN_COMMON,
        ("participant.youth_status", "youth status"),
        ("plan.career_pathway", "career pathway (iss.career_pathway)"),
        ("plan.summary", "summary of goals, objectives, activities and tools (iss.summary)"),
        ("education_goals[].description", "education goal (iss.goals)"),
        ("education_goals[].linked_goal", "employment goal the education goal serves (goal.education_link)"),
        ("youth_elements[].name", "youth program element, all 14 (iss.youth_elements)"),
        ("youth_elements[].mark", "whether each youth element is provided (iss.youth_elements)"),
    ],
    "case_note": [
        *_HEADER_FOOTER,
        *_PARTICIPANT,
        ("note.type", "case note type"),
        ("note.occurred_on", "date of the service or contact"),
        ("note.recorded_at", "when the note was recorded (entry.deadline)"),
        ("note.narrative", "narrative (casenote.narrative)"),
        ("note.plan", "plan concerned"),
        ("note.services", "services documented (casenote.service)"),
        ("note.contact_mode", "contact mode (casenote.contact)"),
        ("note.two_way", "two-way contact (casenote.contact)"),
        ("author.name", "author"),
        ("details[].label", "type-specific details"),
        ("details[].value", "type-specific details"),
        ("signature.name", "author printed name"),
        ("signature.date", "author signature date"),
    ],
    "mou": [
        *_HEADER_FOOTER,
        ("mou.title", "MOU title"),
        ("parties[].name", "parties (mou.parties)"),
        ("parties[].type", "party type (mou.parties)"),
        ("roles[].role", "roles and responsibilities (mou.roles)"),
        ("roles[].parties", "responsible parties (mou.roles)"),
        ("roles[].description", "role description (mou.roles)"),
        ("lwia_commitment.party", "committing LWIA (mou.lwia_commitment)"),
        ("lwia_commitment.text", "LWIA commitment (mou.lwia_commitment)"),
        ("plan_alignment.regional_plan", "alignment with the regional plan (mou.plan_alignment)"),
        ("plan_alignment.local_plan", "alignment with the local plan (mou.plan_alignment)"),
        ("certifying_staff[].name", "certifying staff (mou.certifier)"),
        ("certifying_staff[].systems", "certification systems (mou.certifier)"),
        ("follow_up.agreed", "follow-up agreed (mou.follow_up)"),
        ("follow_up.approach", "follow-up approach (mou.follow_up)"),
        ("follow_up.parties", "follow-up responsible parties (mou.follow_up)"),
        ("follow_up.description", "follow-up description (mou.follow_up)"),
        ("signatures[].party", "signature block per party (mou.signatories)"),
        ("signatures[].signature", "party signature line (mou.signatories)"),
        ("signatures[].name", "signer printed name"),
        ("signatures[].title", "signer role / title"),
        ("signatures[].date", "signature date"),
        ("certifier_signatures[].name", "certifying staff printed name"),
        ("certifier_signatures[].title", "certifying staff role / title"),
        ("certifier_signatures[].date", "certifying staff signature date"),
    ],
}
PAGE_X_OF_Y = 'page numbering "page X of Y" (PAGE and NUMPAGES fields)'


@dataclass(frozen=True)
class TemplateReport:
    kind: str
    name: str
    unknown_placeholders: tuple[str, ...]
    missing_elements: tuple[str, ...]
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.unknown_placeholders or self.missing_elements or self.errors)


# ---------------------------------------------------------------------------------------------------------
# The context shape, from the TypedDicts


class _Leaf:
    """A printable value (string)."""


class _Opaque:
    """A name whose content is not checked (Jinja's `loop`, a macro argument, an already reported name)."""


LEAF = _Leaf()
OPAQUE = _Opaque()
Shape = Any  # dict[str, Shape] | list[Shape] (one element) | LEAF | OPAQUE


def shape_of(tp: Any) -> Shape:
    if is_typeddict(tp):
        return {key: shape_of(value) for key, value in get_type_hints(tp).items()}
    if get_origin(tp) is list:
        return [shape_of(get_args(tp)[0])]
    return LEAF


def context_shape(kind: str) -> dict[str, Shape]:
    shape = shape_of(CONTEXT_TYPES[kind])
    assert isinstance(shape, dict)
    return shape


# Names Jinja itself provides.
_JINJA_NAMES = {
    "loop",
    "range",
    "dict",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "super",
    "self",
    "varargs",
    "kwargs",
    "caller",
}


class _Walker:
    """Collects the context paths a template uses and the ones it uses that do not exist."""

    def __init__(self, shape: Mapping[str, Shape]) -> None:
        self.shape = shape
        self.used: set[str] = set()
        self.unknown: set[str] = set()
        self.refused: list[str] = []  # loops over anything but a list of the context

    # expressions -> (path, shape) or None when not a context value
    def resolve(self, node: nodes.Node, scope: dict[str, tuple[str, Shape]]) -> tuple[str, Shape] | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.shape:
                self.used.add(node.name)
                return node.name, self.shape[node.name]
            if node.name not in _JINJA_NAMES:
                self.unknown.add(node.name)
            return None
        if isinstance(node, nodes.Getattr):
            return self._member(node.node, node.attr, scope)
        if isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._member(node.node, node.arg.value, scope)
            base = self.resolve(node.node, scope)
            self.visit(node.arg, scope)
            if base is not None and isinstance(base[1], list):
                return f"{base[0]}[]", base[1][0]
            return None
        if isinstance(node, nodes.Filter):
            base = self.resolve(node.node, scope) if node.node is not None else None
            for child in [*node.args, *[kw.value for kw in node.kwargs]]:
                self.visit(child, scope)
            if base is not None and node.name in ("first", "last") and isinstance(base[1], list):
                return f"{base[0]}[]", base[1][0]
            return None
        self.visit(node, scope)
        return None

    def _member(self, base_node: nodes.Node, attr: str, scope: dict[str, tuple[str, Shape]]) -> Any:
        base = self.resolve(base_node, scope)
        if base is None:
            return None
        path, shape = base
        if shape is OPAQUE:
            return None
        if isinstance(shape, dict) and attr in shape:
            found = f"{path}.{attr}"
            self.used.add(found)
            return found, shape[attr]
        self.unknown.add(f"{path}.{attr}")
        return None

    # statements and everything else
    def visit(self, node: nodes.Node, scope: dict[str, tuple[str, Shape]]) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem | nodes.Filter):
            self.resolve(node, scope)
            return
        if isinstance(node, nodes.For):
            source = self.resolve(node.iter, scope)
            inner = dict(scope)
            element: tuple[str, Shape]
            if source is not None and isinstance(source[1], list):
                element = (f"{source[0]}[]", source[1][0])
            else:
                # Only the context's lists have a size the form's data bounds (a string, `loop` or a
                # literal could be nested to loop without limit).
                self.refused.append(loop_refusal(node.iter))
                element = ("", OPAQUE)
            self._bind(node.target, element, inner)
            inner["loop"] = ("loop", OPAQUE)
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign):
            assigned = self.resolve(node.node, scope)
            self._bind(node.target, assigned or ("", OPAQUE), scope)
            return
        if isinstance(node, nodes.AssignBlock):
            for child in node.body:
                self.visit(child, scope)
            self._bind(node.target, ("", OPAQUE), scope)
            return
        if isinstance(node, nodes.With):
            inner = dict(scope)
            for target, expression in zip(node.targets, node.values, strict=True):
                self._bind(target, self.resolve(expression, scope) or ("", OPAQUE), inner)
            for child in node.body:
                self.visit(child, inner)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in node.args:
                self._bind(arg, ("", OPAQUE), inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ("", OPAQUE)
            else:
                self.visit(node.call, scope)
            for child in node.body:
                self.visit(child, inner)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    @staticmethod
    def _bind(target: nodes.Node, value: tuple[str, Shape], scope: dict[str, tuple[str, Shape]]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                if isinstance(item, nodes.Name):
                    scope[item.name] = ("", OPAQUE)


_FIELD_INSTR = re.compile(r'w:instr="\s*([A-Za-z]+)|<w:instrText[^>]*>\s*([A-Za-z]+)')


def _fields(xml_parts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for xml in xml_parts:
        for match in _FIELD_INSTR.finditer(xml):
            found.add((match.group(1) or match.group(2)).upper())
    return found


def check_template(template: str | Path | bytes, kind: str, name: str | None = None) -> TemplateReport:
    """Check a .docx template (path or bytes) for use as the `kind` form (iep, iss, case_note, mou)."""
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown template kind {kind!r}")
    label = name or (Path(template).name if not isinstance(template, bytes) else "uploaded template")
    data = template if isinstance(template, bytes) else Path(template).read_bytes()
    try:
        sources = template_sources(data)
    except TemplateRenderError as exc:
        return TemplateReport(kind, label, (), (), (str(exc),))
    env = make_environment()
    walker = _Walker(context_shape(kind))
    errors: list[str] = list(sources.external)
    for part, source in [(sources.document_part, sources.body), *sources.parts.items()]:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            errors.append(f"{part}: {exc.message}")
            continue
        except RecursionError:  # expressions nested thousands deep
            errors.append(f"{part}: the template is nested too deeply")
            continue
        walker.refused.clear()
        try:
            walker.visit(tree, {})
        except RecursionError:
            errors.append(f"{part}: the template is nested too deeply")
        refused = [*policy_errors(tree), *walker.refused]
        errors.extend(f"{part}: {message}" for message in dict.fromkeys(refused))
    missing = [f"{what} [{path}]" for path, what in REQUIRED[kind] if path not in walker.used]
    fields = _fields(sources.raw.values())
    if not {"PAGE", "NUMPAGES"} <= fields:
        missing.append(PAGE_X_OF_Y)
    return TemplateReport(
        kind=kind,
        name=label,
        unknown_placeholders=tuple(sorted(walker.unknown)),
        missing_elements=tuple(missing),
        errors=tuple(errors),
    )


def check_shipped_templates() -> list[TemplateReport]:
    return [check_template(template_path(kind), kind) for kind in TEMPLATE_KINDS]
