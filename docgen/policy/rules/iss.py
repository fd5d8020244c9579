"""Submit-time rules on an ISS (plan with `kind = iss`) alone (rules.md section 2.6)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.rules.plan import has_goals
from docgen.policy.values import Doc, date_of, has_text, items


def is_iss(plan: Doc) -> bool:
    return plan.get("kind") == "iss"


@register(
    "iss.summary",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`summary` non-empty.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "A summary of all goals and objectives established with additional information focusing on activities "
        "and tools used for achievement;",
    ),
)
def iss_summary(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if is_iss(doc) and not has_text(doc.get("summary")):
        yield Violation(
            pointer("summary"),
            "Summarise all goals and objectives of the ISS, with the activities and tools used to achieve them.",
        )


@register(
    "iss.career_pathway",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`career_pathway` non-empty.",
    citations=(
        *cite("001_b3f9e53fd79f6b88.txt", "Identify an appropriate career pathway;"),
        *cite(
            "000_78460e8ebaad135a.txt",
            "shall identify career pathways that include education and employment goals",
        ),
    ),
)
def iss_career_pathway(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if is_iss(doc) and not has_text(doc.get("career_pathway")):
        yield Violation(pointer("career_pathway"), "Identify an appropriate career pathway for the youth.")


@register(
    "iss.youth_elements",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="≥ 1 `youth_elements` entry; no element listed twice.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Documentation of the services provided to the participant including, but not limited to the fourteen "
        "(14) required WIOA Title IB Youth elements;",
        "receive an assessment, and receive a program element",
    ),
)
def iss_youth_elements(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iss(doc):
        return
    elements = list(items(doc.get("youth_elements")))
    if not elements:
        yield Violation(
            pointer("youth_elements"),
            "Document at least one youth program element the youth receives.",
        )
    seen: set[object] = set()
    for i, element in elements:
        code = element.get("element")
        if code in seen:
            yield Violation(
                pointer("youth_elements", i, "element"),
                f"The youth element {code} is listed twice; list each element once.",
            )
        seen.add(code)


@register(
    "iss.goals",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description=(
        "`ISS_GOAL_KINDS = education_and_employment`: ≥ 1 education goal and ≥ 1 employment goal; "
        "`= education_or_employment`: ≥ 1 goal of either kind."
    ),
    citations=(
        *cite(
            "000_78460e8ebaad135a.txt",
            "shall identify career pathways that include education and employment goals",
        ),
        *cite(
            "002_841c2e41ff1cf029.txt",
            "The plan must identify employment goals for Adult, Dislocated, and Youth or education for Youth",
        ),
    ),
)
def iss_goals(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iss(doc) or not has_goals(doc):
        return
    kinds = {goal.get("kind") for _, goal in items(doc.get("goals"))}
    if ctx.settings.ISS_GOAL_KINDS == "education_and_employment":
        required = ["education", "employment"]
        missing = [kind for kind in required if kind not in kinds]
        if missing:
            yield Violation(
                pointer("goals"),
                "The ISS must include both an education goal and an employment goal; add: "
                + " and ".join(f"an {kind} goal" for kind in missing)
                + ".",
            )
    elif not kinds & {"education", "employment"}:
        yield Violation(pointer("goals"), "The ISS must include an education or an employment goal.")


@register(
    "iss.first_service",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="If `ISS_MUST_BE_FIRST_SERVICE`: no service in the ISS has `start_on < opened_on`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "It must be the first service recorded in the appropriate case management system.",
    ),
)
def iss_first_service(doc: Doc, ctx: Context) -> Iterator[Violation]:
    opened = date_of(doc, "opened_on")
    if not is_iss(doc) or not ctx.settings.ISS_MUST_BE_FIRST_SERVICE or opened is None:
        return
    for i, service in items(doc.get("services")):
        start = date_of(service, "start_on")
        if start is not None and start < opened:
            yield Violation(
                pointer("services", i, "start_on"),
                "The ISS must be the first service recorded; this service starts before the ISS was opened.",
            )
