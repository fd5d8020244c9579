"""Submit-time rules on a participant document alone (rules.md section 2.2)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.values import Doc, date_of, obj

STRUCTURAL = "structural"


@register(
    "part.youth_status",
    severity="error",
    scope="S",
    applies_to=("participant",),
    entity="participant",
    description="`youth_status` present iff `program = youth`.",
    citations=cite(STRUCTURAL, "Youth status (in-school or out-of-school) is recorded for youth only."),
)
def part_youth_status(doc: Doc, ctx: Context) -> Iterator[Violation]:
    is_youth = doc.get("program") == "youth"
    has_status = doc.get("youth_status") is not None
    if is_youth and not has_status:
        yield Violation(
            pointer("youth_status"),
            "Record whether this youth participant is in school or out of school.",
        )
    elif has_status and not is_youth:
        yield Violation(
            pointer("youth_status"),
            "Youth status applies only to the Youth program; remove it for Adult and Dislocated Worker "
            "participants.",
        )


@register(
    "part.dates",
    severity="error",
    scope="S",
    applies_to=("participant",),
    entity="participant",
    description="`applied_on ≤ eligibility_determined_on` and `applied_on ≤ certified_on`.",
    citations=cite(STRUCTURAL, "Eligibility and certification follow the application."),
)
def part_dates(doc: Doc, ctx: Context) -> Iterator[Violation]:
    applied = date_of(doc, "applied_on")
    if applied is None:
        return
    determined = date_of(doc, "eligibility_determined_on")
    if determined is not None and determined < applied:
        yield Violation(
            pointer("eligibility_determined_on"),
            "The eligibility determination date is before the application date; correct one of the dates.",
        )
    certified = date_of(doc, "certified_on")
    if certified is not None and certified < applied:
        yield Violation(
            pointer("certified_on"),
            "The certification date is before the application date; correct one of the dates.",
        )


@register(
    "elig.30days",
    severity="error",
    scope="S",
    applies_to=("participant",),
    entity="participant",
    description="`eligibility_determined_on − applied_on ≤ ELIGIBILITY_MAX_DAYS` (30).",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "The eligibility determination date must be within thirty (30) days of the application date.",
    ),
)
def elig_30days(doc: Doc, ctx: Context) -> Iterator[Violation]:
    applied = date_of(doc, "applied_on")
    determined = date_of(doc, "eligibility_determined_on")
    if applied is None or determined is None:
        return
    limit = ctx.settings.ELIGIBILITY_MAX_DAYS
    if (determined - applied).days > limit:
        yield Violation(
            pointer("eligibility_determined_on"),
            f"Eligibility was determined {(determined - applied).days} days after the application; it must be "
            f"determined within {limit} days of the application date.",
        )


@register(
    "exit.data",
    severity="error",
    scope="S",
    applies_to=("participant",),
    entity="participant.exit",
    description="`exit.last_service_on ≤ exit.exit_on` and `exit.exit_on ≥ certified_on`.",
    citations=cite(STRUCTURAL, "The exit follows the last service and the certification."),
)
def exit_data(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if "exit" not in doc:
        return
    exit_ = obj(doc.get("exit"))
    exit_on = date_of(exit_, "exit_on")
    if exit_on is None:
        return
    last_service = date_of(exit_, "last_service_on")
    if last_service is not None and last_service > exit_on:
        yield Violation(
            pointer("exit", "last_service_on"),
            "The last service date is after the exit date; a participant exits on or after the last service.",
        )
    certified = date_of(doc, "certified_on")
    if certified is not None and exit_on < certified:
        yield Violation(
            pointer("exit", "exit_on"),
            "The exit date is before the certification date; correct one of the dates.",
        )


@register(
    "exit.effective_date",
    severity="warning",
    scope="S",
    applies_to=("participant",),
    entity="participant.exit",
    description="`exit.exit_on = exit.last_service_on`.",
    citations=cite(
        "004_79a53be2a09ade33.txt",
        "closing all services and enrollments effective the date the services were last provided",
    ),
)
def exit_effective_date(doc: Doc, ctx: Context) -> Iterator[Violation]:
    exit_ = obj(doc.get("exit"))
    exit_on = date_of(exit_, "exit_on")
    last_service = date_of(exit_, "last_service_on")
    if exit_on is not None and last_service is not None and exit_on != last_service:
        yield Violation(
            pointer("exit", "exit_on"),
            "The exit should be effective on the date services were last provided; make the exit date equal "
            "the last service date.",
        )
