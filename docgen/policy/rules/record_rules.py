"""Submit-time rules checked against the participant's stored record (rules.md section 3, scope R).

Each rule runs on the document that has to change to fix it, so that a plan submitted alone against its
stored record gets the plan's rules and a record bundle reports a defect once per offending document:
everything about a plan or its services runs on the plan (every version is a document of its own);
`assess.youth_before_cert` runs on the participant. Paths are relative to that document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from docgen.policy.context import Context
from docgen.policy.dates import add_months, parse_date
from docgen.policy.findings import Violation, pointer
from docgen.policy.record import Record
from docgen.policy.registry import cite, register
from docgen.policy.rules.iep import training_services

Doc = dict[str, Any]

S001 = "001_b3f9e53fd79f6b88.txt"
S000 = "000_78460e8ebaad135a.txt"
S002 = "002_841c2e41ff1cf029.txt"
S004 = "004_79a53be2a09ade33.txt"

# Tools that count as the basic-skills test of `assess.basic_skills_test` (ICCB-approved lists).
_ICCB_TESTS = frozenset({"tabe_11_12", "casas_goals"})
_ICCB_ELL_TESTS = frozenset({"best_literacy", "best_plus_2_0", "casas_life_work_reading"})
_EXTERNAL_SOURCES = frozenset({"participant_provided", "partner_program"})
# Indicators that do not measure the participant's own program (WIOA sec. 116).
_WRONG_INDICATORS = {
    "youth": frozenset({"EMP_Q2", "EMP_Q4", "ESE"}),
    "adult": frozenset({"EDEMP_Q2", "EDEMP_Q4", "ESE"}),
    "dislocated_worker": frozenset({"EDEMP_Q2", "EDEMP_Q4", "ESE"}),
}
_PROGRAM_NAMES = {"adult": "an adult", "dislocated_worker": "a dislocated worker", "youth": "a youth"}


# --- shared look-ups ----------------------------------------------------------------------------


def _participant(ctx: Context) -> Doc | None:
    return None if ctx.record is None else ctx.record.participant


def _certified_on(ctx: Context) -> dt.date | None:
    participant = _participant(ctx)
    return None if participant is None else parse_date(participant.get("certified_on"))


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _referenced(plan: Doc, record: Record) -> tuple[list[tuple[int, Doc]], bool]:
    """(index in `assessment_ids`, assessment) for each id that resolves, and whether every id resolved.

    An id that does not resolve is reported by `doc.refs`; rules about the referenced assessments then
    stay silent rather than report the same gap again.
    """
    found: list[tuple[int, Doc]] = []
    complete = True
    for i, assessment_id in enumerate(plan.get("assessment_ids") or []):
        assessment = record.assessment(assessment_id) if isinstance(assessment_id, str) else None
        if assessment is None:
            complete = False
        else:
            found.append((i, assessment))
    return found, complete


def _objective(assessments: list[tuple[int, Doc]]) -> list[tuple[int, Doc]]:
    return [(i, a) for i, a in assessments if a.get("kind") == "objective"]


def _has_training(plan: Doc) -> bool:
    return bool(training_services(plan))


def _tools(assessments: list[tuple[int, Doc]]) -> set[str]:
    return {str(t.get("tool")) for _, a in assessments for t in a.get("tools") or [] if isinstance(t, dict)}


# --- plan ---------------------------------------------------------------------------------------


@register(
    "plan.kind",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="plan",
    description=(
        "Adult and dislocated worker participants get an IEP; youth get an ISS (or an IEP when "
        "YOUTH_PLAN_KIND = iss_or_iep)."
    ),
    citations=(
        *cite(
            S001,
            "Individual Employment Plan (IEP) for Adults and Dislocated Workers or the Individual Service "
            "Strategy (ISS) for Youth",
        ),
        *cite(S004, "assisting the youth in the development of the Individual Employment Plan (IEP)"),
    ),
)
def plan_kind(doc: Doc, ctx: Context) -> Iterator[Violation]:
    participant = _participant(ctx)
    if participant is None:
        return
    program = participant.get("program")
    if program == "youth":
        allowed = {"iss", "iep"} if ctx.settings.YOUTH_PLAN_KIND == "iss_or_iep" else {"iss"}
    elif program in ("adult", "dislocated_worker"):
        allowed = {"iep"}
    else:
        return
    if doc.get("kind") not in allowed:
        wanted = " or ".join(sorted(k.upper() for k in allowed))
        yield Violation(
            "/kind",
            f"This participant is enrolled as {_PROGRAM_NAMES[program]} participant, so the plan must be an "
            f"{wanted}. Change the plan kind or check the participant's program.",
        )


@register(
    "assess.objective",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="plan",
    description="`assessment_ids` include at least one assessment with `kind = objective`.",
    citations=(
        *cite(
            S000,
            "All participants must have an objective comprehensive assessment",
            "The ISS is a specific ongoing plan based on the objective assessment",
        ),
    ),
)
def assess_objective(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if ctx.record is None:
        return
    assessments, complete = _referenced(doc, ctx.record)
    if complete and not _objective(assessments):
        yield Violation(
            "/assessment_ids",
            "The plan must be based on an objective (comprehensive) assessment. Add the participant's "
            "objective assessment to the plan's assessments.",
        )


@register(
    "plan.after_assessment",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="plan",
    description="Some referenced objective assessment has `conducted_on ≤ opened_on`.",
    citations=(
        *cite(
            S002,
            "The development of the IEP/ISS must be completed after the Objective Assessment Summary (OAS)",
        ),
        *cite(S001, "The ISS is required to be completed after the objective assessment"),
    ),
)
def plan_after_assessment(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if ctx.record is None:
        return
    opened_on = parse_date(doc.get("opened_on"))
    objective = _objective(_referenced(doc, ctx.record)[0])
    # No objective assessment at all is reported by assess.objective alone.
    if opened_on is None or not objective:
        return
    conducted = [parse_date(a.get("conducted_on")) for _, a in objective]
    if not any(d is not None and d <= opened_on for d in conducted):
        yield Violation(
            "/opened_on",
            "The plan is dated before the objective assessment it is based on. The plan must be developed "
            "after the objective assessment: check the plan's opened date or the assessment date.",
        )


@register(
    "assess.recent",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="plan, assessment",
    description=(
        "Each referenced assessment with `source` = `participant_provided` or `partner_program` has "
        "`conducted_on ≥ opened_on − ASSESSMENT_MAX_AGE_MONTHS` months."
    ),
    citations=cite(
        S001,
        "Formal assessments that occurred within the last six (6) months, provided by the participant or a "
        "WIOA partner program",
    ),
)
def assess_recent(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if ctx.record is None:
        return
    opened_on = parse_date(doc.get("opened_on"))
    if opened_on is None:
        return
    months = ctx.settings.ASSESSMENT_MAX_AGE_MONTHS
    oldest = add_months(opened_on, -months)
    for i, assessment in _referenced(doc, ctx.record)[0]:
        conducted_on = parse_date(assessment.get("conducted_on"))
        if (
            assessment.get("source") in _EXTERNAL_SOURCES
            and conducted_on is not None
            and conducted_on < oldest
        ):
            yield Violation(
                pointer("assessment_ids", i),
                f"An assessment provided by the participant or a partner program may be reused only if it is "
                f"at most {months} months older than the plan. Assess the participant again or remove it "
                "from the plan's assessments.",
            )


@register(
    "assess.basic_skills_test",
    severity="warning",
    scope="R",
    applies_to=("plan",),
    entity="plan, assessment",
    description=(
        "If REQUIRE_BASIC_SKILLS_TEST_FOR_TRAINING and the plan has a training service: referenced "
        "assessments include `tabe_11_12` or `casas_goals` (or, for an English language learner, "
        "`best_literacy`, `best_plus_2_0` or `casas_life_work_reading`), unless one has "
        "`basic_skills_test_exception`."
    ),
    citations=cite(
        S001,
        "Career Planners must use an Illinois Community College Board (ICCB) approved assessment test "
        "appropriate for the participant",
        "Exceptions for those that need to be basic skills assessed are included in the policy.",
    ),
)
def assess_basic_skills_test(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if (
        ctx.record is None
        or not ctx.settings.REQUIRE_BASIC_SKILLS_TEST_FOR_TRAINING
        or not _has_training(doc)
    ):
        return
    assessments = _referenced(doc, ctx.record)[0]
    if not assessments or any(_text(a.get("basic_skills_test_exception")) for _, a in assessments):
        return
    participant = _participant(ctx) or {}
    accepted = _ICCB_TESTS | (
        _ICCB_ELL_TESTS if participant.get("english_language_learner") is True else set()
    )
    if not _tools(assessments) & accepted:
        yield Violation(
            "/assessment_ids",
            "The plan includes training but none of its assessments has an ICCB-approved basic skills test "
            "(TABE 11/12 or CASAS GOALS; BEST Literacy, BEST Plus 2.0 or CASAS Life and Work Reading for an "
            "English language learner). Add the test, or record the exception on the assessment.",
        )


@register(
    "assess.siw",
    severity="warning",
    scope="R",
    applies_to=("plan",),
    entity="plan, assessment",
    description=(
        "If SIW_REQUIRED_FOR_TRAINING and the plan has a training service: a referenced assessment has tool "
        "`skills_inventory_worksheet`."
    ),
    citations=cite(
        S002,
        "All customers who have been approved for training must have the SIW completed by a Career Coach.",
    ),
)
def assess_siw(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if ctx.record is None or not ctx.settings.SIW_REQUIRED_FOR_TRAINING or not _has_training(doc):
        return
    assessments = _referenced(doc, ctx.record)[0]
    if assessments and "skills_inventory_worksheet" not in _tools(assessments):
        yield Violation(
            "/assessment_ids",
            "The plan includes training, so a Skills Inventory Worksheet (SIW) must be completed. Add it to "
            "one of the plan's assessments.",
        )


@register(
    "plan.after_cert",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="plan",
    description="`opened_on ≥ certified_on`.",
    citations=cite(
        S001,
        "The IEP, which is an individualized career service",
        "Services can only be recorded on or after the certification date.",
    ),
)
def plan_after_cert(doc: Doc, ctx: Context) -> Iterator[Violation]:
    certified_on = _certified_on(ctx)
    opened_on = parse_date(doc.get("opened_on"))
    if certified_on is not None and opened_on is not None and opened_on < certified_on:
        yield Violation(
            "/opened_on",
            "The plan is dated before the participant's certification date. A plan is a service and can "
            "only be recorded on or after certification.",
        )


@register(
    "plan.single_open",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="plan",
    description="At most one plan (current version) with `status = open` per participant.",
    citations=cite(S002, "A customer may have only one plan open at any given time."),
)
def plan_single_open(doc: Doc, ctx: Context) -> Iterator[Violation]:
    record = ctx.record
    if record is None or doc.get("status") != "open" or not record.is_current(doc):
        return
    others = [p for p in record.current_plans() if p is not doc and p.get("status") == "open"]
    if others:
        yield Violation(
            "/status",
            "The participant already has another open plan. Close the other plan before opening this one, "
            "or update the open plan instead.",
        )


@register(
    "plan.performance_program",
    severity="warning",
    scope="R",
    applies_to=("plan",),
    entity="plan",
    description="No `EMP_Q2`/`EMP_Q4` for youth, no `EDEMP_Q2`/`EDEMP_Q4` for adult/DW, no `ESE`.",
    citations=cite("structural", "WIOA sec. 116 indicator definitions"),
)
def plan_performance_program(doc: Doc, ctx: Context) -> Iterator[Violation]:
    participant = _participant(ctx)
    if participant is None:
        return
    wrong = _WRONG_INDICATORS.get(str(participant.get("program")), frozenset())
    for i, link in enumerate(doc.get("performance_links") or []):
        indicator = link.get("indicator") if isinstance(link, dict) else None
        if indicator not in wrong:
            continue
        if indicator == "ESE":
            message = (
                "Effectiveness in serving employers is an employer-level measure; link the plan to a "
                "participant indicator instead."
            )
        elif indicator.startswith("EMP"):
            message = f"{indicator} is an adult and dislocated worker indicator; youth use EDEMP_Q2/EDEMP_Q4."
        else:
            message = f"{indicator} is a youth indicator; adults and dislocated workers use EMP_Q2/EMP_Q4."
        yield Violation(pointer("performance_links", i, "indicator"), message)


# --- services of a plan -------------------------------------------------------------------------


@register(
    "svc.after_cert",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="service",
    description="Every service `start_on ≥ certified_on`.",
    citations=cite(S001, "Services can only be recorded on or after the certification date."),
)
def svc_after_cert(doc: Doc, ctx: Context) -> Iterator[Violation]:
    certified_on = _certified_on(ctx)
    if certified_on is None:
        return
    for i, service in enumerate(doc.get("services") or []):
        start_on = parse_date(service.get("start_on"))
        if start_on is not None and start_on < certified_on:
            yield Violation(
                pointer("services", i, "start_on"),
                "This service starts before the participant's certification date. Record it on the "
                "certification date, put the real date in the actual start date, and add a service case "
                "note recording the actual date.",
            )


@register(
    "svc.precert_note",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="service, case_note",
    description=(
        "A service with `actual_start_on < certified_on` has `start_on = certified_on` and a `service` case "
        "note referencing it with `details.actual_service_on = actual_start_on`."
    ),
    citations=cite(
        S001,
        "entered as being provided on the certification date and a case note must be added to record the "
        "actual date",
    ),
)
def svc_precert_note(doc: Doc, ctx: Context) -> Iterator[Violation]:
    record = ctx.record
    certified_on = _certified_on(ctx)
    if record is None or certified_on is None:
        return
    for i, service in enumerate(doc.get("services") or []):
        actual = parse_date(service.get("actual_start_on"))
        if actual is None or actual >= certified_on:
            continue
        start_on = parse_date(service.get("start_on"))
        # A start before certification is svc.after_cert's finding; only a later start is reported here.
        if start_on is not None and start_on > certified_on:
            yield Violation(
                pointer("services", i, "start_on"),
                "This service was delivered before certification, so it must be recorded as starting on the "
                "certification date.",
            )
        documented = any(
            service.get("id") in (note.get("service_ids") or [])
            and parse_date((note.get("details") or {}).get("actual_service_on")) == actual
            for note in record.notes_of_type("service")
        )
        if not documented:
            yield Violation(
                pointer("services", i, "actual_start_on"),
                "This service was delivered before certification. Add a service case note for it that "
                "records the actual service date.",
            )


@register(
    "exit.services_closed",
    severity="error",
    scope="R",
    applies_to=("plan",),
    entity="participant.exit, plan",
    description=(
        "When the participant has exited: every current plan version is `closed` and every non-`follow_up` "
        "service of a current version has `end_on ≤ exit_on`."
    ),
    citations=cite(
        S004,
        "Ending the participant's services and program enrollment when services are no longer being "
        "provided;",
    ),
)
def exit_services_closed(doc: Doc, ctx: Context) -> Iterator[Violation]:
    record = ctx.record
    participant = _participant(ctx)
    if record is None or participant is None or not record.is_current(doc):
        return
    exit_ = participant.get("exit")
    exit_on = parse_date(exit_.get("exit_on")) if isinstance(exit_, dict) else None
    if exit_on is None:
        return
    if doc.get("status") != "closed":
        yield Violation("/status", "The participant has exited. Close the plan.")
    for i, service in enumerate(doc.get("services") or []):
        if service.get("category") == "follow_up":
            continue
        end_on = parse_date(service.get("end_on"))
        if end_on is None or end_on > exit_on:
            yield Violation(
                pointer("services", i, "end_on"),
                "The participant has exited. End this service on or before the exit date, with its "
                "completion status.",
            )


# --- participant --------------------------------------------------------------------------------


@register(
    "assess.youth_before_cert",
    severity="error",
    scope="R",
    applies_to=("participant",),
    entity="participant (youth)",
    description=(
        "A youth participant has at least one objective assessment with `conducted_on ≤ certified_on`."
    ),
    citations=cite(
        S001,
        "Note that the assessment of the youth participant occurs prior to the certification of eligibility.",
    ),
)
def assess_youth_before_cert(doc: Doc, ctx: Context) -> Iterator[Violation]:
    record = ctx.record
    certified_on = parse_date(doc.get("certified_on"))
    if record is None or doc.get("program") != "youth" or certified_on is None:
        return
    for assessment in record.assessments:
        conducted_on = parse_date(assessment.get("conducted_on"))
        if (
            assessment.get("kind") == "objective"
            and conducted_on is not None
            and conducted_on <= certified_on
        ):
            return
    yield Violation(
        "/certified_on",
        "A youth participant's objective assessment must be completed on or before the certification date. "
        "Record the assessment made before certification, or check the certification date.",
    )
