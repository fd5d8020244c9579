"""Submit-time rules on an assessment document alone (rules.md section 2.3)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.contract import codes
from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.values import Doc, date_of, has_text, items

# contract.md `assessment_area`: all eight must be reviewed.
ASSESSMENT_AREAS = codes.ASSESSMENT_AREA
SCREENING_TOOL = "basic_skills_screening_tool"
# contract.md `assessment_tool` group basic_skills_test.
BASIC_SKILLS_TESTS = frozenset(
    {"tabe_11_12", "tabe_other", "casas_goals", "best_literacy", "best_plus_2_0", "casas_life_work_reading"}
)


@register(
    "assess.areas",
    severity="error",
    scope="S",
    applies_to=("assessment",),
    entity="assessment",
    description="`areas` has an entry with a non-empty `finding` for each of the 8 `assessment_area` codes.",
    citations=(
        *cite(
            "000_78460e8ebaad135a.txt",
            "a review of basic skills, occupational skills, prior work experience, employability, interests, "
            "aptitudes, supportive service needs, and developmental needs",
        ),
        *cite(
            "001_b3f9e53fd79f6b88.txt",
            "However, they must address a review of basic skills, occupational skills, prior work experience",
        ),
    ),
)
def assess_areas(doc: Doc, ctx: Context) -> Iterator[Violation]:
    reviewed = {a.get("area") for _, a in items(doc.get("areas")) if has_text(a.get("finding"))}
    # An entry whose finding is blank is pointed at directly, so the planner knows where to write it.
    for i, area in items(doc.get("areas")):
        code = area.get("area")
        if code not in reviewed:
            reviewed.add(code)
            yield Violation(
                pointer("areas", i, "finding"),
                f"Write the finding for the assessment area {code}.",
            )
    missing = [code for code in ASSESSMENT_AREAS if code not in reviewed]
    if missing:
        yield Violation(
            pointer("areas"),
            "The assessment must review every area; add a finding for: " + ", ".join(missing) + ".",
        )


@register(
    "assess.not_sole",
    severity="error",
    scope="S",
    applies_to=("assessment",),
    entity="assessment",
    description=(
        "The `basic_skills_screening_tool` is not an assessment and does not count. Fails if fewer than 2 other "
        "tools are listed, or every other tool is a basic-skills test (`tabe_11_12`, `tabe_other`, "
        "`casas_goals`, `best_literacy`, `best_plus_2_0`, `casas_life_work_reading`)."
    ),
    citations=(
        *cite(
            "000_78460e8ebaad135a.txt",
            "Note a TABE test as a stand-alone assessment is not appropriate.",
            "not just basic skills",
        ),
        *cite("001_b3f9e53fd79f6b88.txt", "Can not be used as the sole method for assessing customer needs."),
    ),
)
def assess_not_sole(doc: Doc, ctx: Context) -> Iterator[Violation]:
    others = [t.get("tool") for _, t in items(doc.get("tools")) if t.get("tool") != SCREENING_TOOL]
    if len(others) < 2:
        yield Violation(
            pointer("tools"),
            "A single test cannot be the whole assessment; use at least two assessment tools (the basic skills "
            "screening tool does not count).",
        )
    elif all(tool in BASIC_SKILLS_TESTS for tool in others):
        yield Violation(
            pointer("tools"),
            "The assessment must cover more than basic skills; add a tool other than a basic-skills test, "
            "such as an interview or an interest inventory.",
        )


@register(
    "assess.screening_first",
    severity="warning",
    scope="S",
    applies_to=("assessment",),
    entity="assessment",
    description="If the screening tool has `administered_on`, no other tool has an earlier `administered_on`.",
    citations=cite("001_b3f9e53fd79f6b88.txt", "Given prior to conducting any assessment;"),
)
def assess_screening_first(doc: Doc, ctx: Context) -> Iterator[Violation]:
    tools = list(items(doc.get("tools")))
    screened = [
        d for _, t in tools if t.get("tool") == SCREENING_TOOL and (d := date_of(t, "administered_on"))
    ]
    if not screened:
        return
    first_screening = min(screened)
    for i, tool in tools:
        given = date_of(tool, "administered_on")
        if tool.get("tool") != SCREENING_TOOL and given is not None and given < first_screening:
            yield Violation(
                pointer("tools", i, "administered_on"),
                "This tool was given before the basic skills screening tool; the screening is given before any "
                "assessment.",
            )


@register(
    "assess.results",
    severity="error",
    scope="S",
    applies_to=("assessment",),
    entity="assessment.tools",
    description="Every tool with `formal = true` has a non-empty `result`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "The test along with the results must be recorded in the appropriate case management system.",
    ),
)
def assess_results(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for i, tool in items(doc.get("tools")):
        if tool.get("formal") is True and not has_text(tool.get("result")):
            yield Violation(
                pointer("tools", i, "result"),
                "Record the result of this formal test or survey.",
            )
