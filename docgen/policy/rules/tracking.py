"""Compliance tracking over time (rules.md section 5, scope T).

These rules run on the whole record as of an evaluation date `as_of` and point into the bundle with
`record.pointer(doc)` + a path inside that document. They never block a submission. The record is read as
it stood on `as_of`: case notes about events after `as_of` are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from docgen.policy.context import Context
from docgen.policy.dates import add_days, add_months, parse_date, review_deadline, timestamp_date
from docgen.policy.findings import Violation, pointer
from docgen.policy.record import Record
from docgen.policy.registry import cite, register

Doc = dict[str, Any]

S000 = "000_78460e8ebaad135a.txt"
S001 = "001_b3f9e53fd79f6b88.txt"
S002 = "002_841c2e41ff1cf029.txt"
S003 = "003_35d1b20472689039.txt"
S004 = "004_79a53be2a09ade33.txt"

_DIRECT_MODES = frozenset({"in_person", "phone", "video"})
_OPEN_NOTE_CATEGORIES = frozenset({"individualized_career", "training", "supportive"})
_EXIT_PREVENTING = frozenset({"individualized_career", "training"})
_REVIEW_NOTES = ("iep_iss_review", "iep_iss_review_update")


# --- shared look-ups ----------------------------------------------------------------------------


def _inputs(ctx: Context) -> tuple[Record, dt.date] | None:
    if ctx.record is None or ctx.as_of is None:
        return None
    return ctx.record, ctx.as_of


def _date(doc: Doc | None, key: str) -> dt.date | None:
    return None if doc is None else parse_date(doc.get(key))


def _exit_on(participant: Doc) -> dt.date | None:
    exit_ = participant.get("exit")
    return parse_date(exit_.get("exit_on")) if isinstance(exit_, dict) else None


def _is_active(participant: Doc, as_of: dt.date) -> bool:
    """rules.md section 1: certified_on ≤ as_of and no exit, or an exit after as_of."""
    certified_on = _date(participant, "certified_on")
    exit_on = _exit_on(participant)
    return certified_on is not None and certified_on <= as_of and (exit_on is None or exit_on > as_of)


def _notes(record: Record, as_of: dt.date, *types: str) -> Iterator[tuple[dt.date, Doc]]:
    """(occurred_on, note) of the case notes about events on or before `as_of`, optionally by type."""
    for note in record.notes_of_type(*types) if types else record.case_notes:
        occurred_on = _date(note, "occurred_on")
        if occurred_on is not None and occurred_on <= as_of:
            yield occurred_on, note


def _two_way(note: Doc) -> bool:
    contact = note.get("contact")
    return isinstance(contact, dict) and contact.get("two_way") is True


def _counts_as_contact(note: Doc, ctx: Context) -> bool:
    """contact.30's contact: two-way, and a direct conversation when CONTACT_MODE asks for one."""
    if not _two_way(note):
        return False
    if ctx.settings.CONTACT_MODE == "direct_conversation":
        return (note.get("contact") or {}).get("mode") in _DIRECT_MODES
    return True


def _references(note: Doc, service_id: str) -> bool:
    return service_id in (note.get("service_ids") or [])


def _details(note: Doc) -> Doc:
    details = note.get("details")
    return details if isinstance(details, dict) else {}


def _plan_note(record: Record, as_of: dt.date, note_type: str, plan: Doc) -> bool:
    """Whether a case note of `note_type` names this plan id and version."""
    return any(
        note.get("plan_id") == plan.get("id") and _details(note).get("plan_version") == plan.get("version")
        for _, note in _notes(record, as_of, note_type)
    )


def _services(record: Record, as_of: dt.date) -> Iterator[tuple[str, Doc, dt.date, str]]:
    """(id, service, start_on, JSON Pointer in the record) of every service started by `as_of`.

    Services are taken from every plan version, the latest version's copy winning (Record.services()).
    """
    for service_id, (service, plan) in record.services().items():
        start_on = _date(service, "start_on")
        if start_on is None or start_on > as_of:
            continue
        index = next(i for i, s in enumerate(plan.get("services") or []) if s is service)
        yield service_id, service, start_on, record.pointer(plan) + pointer("services", index)


def _iso(d: dt.date) -> str:
    return d.isoformat()


# --- participant-level --------------------------------------------------------------------------


@register(
    "contact.30",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="participant",
    description=(
        "Contacts = case notes with `contact.two_way = true` (and, if CONTACT_MODE = direct_conversation, "
        "mode "
        "in_person/phone/video). From `certified_on` to min(`as_of`, `exit_on`), no gap between consecutive "
        "contact dates (the first point is `certified_on`) exceeds CONTACT_INTERVAL_DAYS; while active, "
        "`as_of ≤ D(last contact + CONTACT_INTERVAL_DAYS)`."
    ),
    citations=(
        *cite(
            S001, "regular contact is defined as two-way communication that occurs every thirty (30) days."
        ),
        *cite(S003, "occur at least every thirty days through a direct conversation with the customer."),
    ),
)
def contact_30(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    participant = None if inputs is None else inputs[0].participant
    if inputs is None or participant is None:
        return
    record, as_of = inputs
    certified_on = _date(participant, "certified_on")
    if certified_on is None or certified_on > as_of:
        return
    exit_on = _exit_on(participant)
    end = as_of if exit_on is None else min(as_of, exit_on)
    interval = ctx.settings.CONTACT_INTERVAL_DAYS
    contacts = sorted(
        ((d, note) for d, note in _notes(record, end) if d >= certified_on and _counts_as_contact(note, ctx)),
        key=lambda pair: pair[0],
    )
    previous = certified_on
    for occurred_on, note in contacts:
        gap = (occurred_on - previous).days
        if gap > interval:
            yield Violation(
                record.pointer(note) + "/occurred_on",
                f"No two-way contact for {gap} days (from {_iso(previous)} to {_iso(occurred_on)}); contact "
                f"with the participant is required at least every {interval} days.",
            )
        previous = occurred_on
    if _is_active(participant, as_of):
        due = ctx.deadline(add_days(previous, interval))
        if as_of > due:
            yield Violation(
                record.pointer(participant),
                f"The last two-way contact was on {_iso(previous)}; the next was due by {_iso(due)}. Contact "
                f"the participant and record the contact in a case note.",
            )


@register(
    "plan.exists",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="participant",
    description=(
        "Once `as_of > D(certified_on)` the record has at least one plan (error for youth, warning for adult "
        "and dislocated worker)."
    ),
    citations=cite(
        S000,
        "Every Youth participant must have an Individual Service Strategy (ISS).",
        "Adult and Dislocated Worker participants should have an Individual Career Plan",
    ),
)
def plan_exists(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    participant = None if inputs is None else inputs[0].participant
    if inputs is None or participant is None:
        return
    record, as_of = inputs
    certified_on = _date(participant, "certified_on")
    if certified_on is None or as_of <= ctx.deadline(certified_on) or record.plans:
        return
    if participant.get("program") == "youth":
        yield Violation(
            record.pointer(participant),
            "Every youth participant must have an Individual Service Strategy (ISS). Develop one with the "
            "participant.",
            severity="error",
        )
    else:
        yield Violation(
            record.pointer(participant),
            "Adult and dislocated worker participants should have an Individual Employment Plan (IEP). "
            "Develop one with the participant.",
            severity="warning",
        )


@register(
    "exit.case_note",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="participant.exit",
    description="When `exit` is present and `as_of > D(exit_on)`: at least one `exit` case note.",
    citations=cite(S001, "A full description of the participant’s status at exit must be case noted"),
)
def exit_case_note(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    participant = None if inputs is None else inputs[0].participant
    if inputs is None or participant is None:
        return
    record, as_of = inputs
    exit_on = _exit_on(participant)
    if exit_on is None or as_of <= ctx.deadline(exit_on):
        return
    if not any(True for _ in _notes(record, as_of, "exit")):
        yield Violation(
            record.pointer(participant) + "/exit",
            "The participant has exited but no exit case note describes their status at exit. Add one.",
        )


@register(
    "exit.soft",
    severity="warning",
    scope="T",
    applies_to=("record",),
    entity="participant",
    description=(
        "Active participant. Last exit-preventing date = max over `individualized_career`/`training` "
        "services "
        "of `end_on` (open: `as_of`, or `planned_end_on` if already past) and over `planned_gap` services of "
        "`end_on` or `planned_end_on`; `certified_on` if none. Flag a soft exit due (exit_on = last service "
        "date) when `as_of −` that date `> SOFT_EXIT_DAYS`."
    ),
    citations=cite(
        S004,
        "NMWCOS generates this exit after 90 days after exit of last open service or if the projected end "
        "date has expired.",
        "Basic career services, partner services, and supportive services do not prevent an exit",
    ),
)
def exit_soft(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    participant = None if inputs is None else inputs[0].participant
    if inputs is None or participant is None or not _is_active(participant, inputs[1]):
        return
    record, as_of = inputs
    dates: list[dt.date] = []
    for service, _plan in record.services().values():
        category = service.get("category")
        end_on = _date(service, "end_on")
        planned_end_on = _date(service, "planned_end_on")
        if category == "planned_gap":
            # A planned gap holds off the soft exit until its planned end even before it starts.
            gap_end = end_on or planned_end_on
            if gap_end is not None:
                dates.append(gap_end)
        elif category in _EXIT_PREVENTING:
            start_on = _date(service, "start_on")
            # A service that has not started yet is not being provided, so it does not hold off the exit.
            if start_on is None or start_on > as_of:
                continue
            if end_on is not None:
                dates.append(end_on)
            elif planned_end_on is not None and planned_end_on < as_of:
                dates.append(planned_end_on)
            else:
                dates.append(as_of)
    last = max(dates, default=_date(participant, "certified_on"))
    if last is None:
        return
    idle = (as_of - last).days
    if idle > ctx.settings.SOFT_EXIT_DAYS:
        yield Violation(
            record.pointer(participant),
            f"Soft exit due: no exit-preventing service for {idle} days. Exit the participant effective the "
            f"last service date, {_iso(last)}, or record the service or planned gap that continues.",
        )


@register(
    "exit.no_contact",
    severity="warning",
    scope="T",
    applies_to=("record",),
    entity="participant",
    description=(
        "Active participant with no two-way contact for more than NO_CONTACT_CLOSE_DAYS and at least 2 "
        "unsuccessful attempts (`contact.two_way = false`) since the last one: close all services effective "
        "the last service date."
    ),
    citations=cite(
        S004,
        "if unable to make contact after repeated attempts in a 90-day period, closing all services and "
        "enrollments",
    ),
)
def exit_no_contact(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    participant = None if inputs is None else inputs[0].participant
    if inputs is None or participant is None or not _is_active(participant, inputs[1]):
        return
    record, as_of = inputs
    notes = list(_notes(record, as_of))
    contacts = [d for d, note in notes if _two_way(note)]
    last = max(contacts, default=_date(participant, "certified_on"))
    if last is None or (as_of - last).days <= ctx.settings.NO_CONTACT_CLOSE_DAYS:
        return
    attempts = [
        d
        for d, note in notes
        if isinstance(note.get("contact"), dict) and note["contact"].get("two_way") is False and d > last
    ]
    if len(attempts) >= 2:
        yield Violation(
            record.pointer(participant),
            f"No two-way contact since {_iso(last)} despite {len(attempts)} attempts. Close all services and "
            "the enrollment effective the date services were last provided.",
        )


@register(
    "followup.12m",
    severity="warning",
    scope="T",
    applies_to=("record",),
    entity="participant.exit",
    description=(
        "Once `as_of > exit_on + FOLLOW_UP_MONTHS` months: at least one `follow_up` note with "
        "`exit_on < occurred_on ≤ exit_on + FOLLOW_UP_MONTHS` months."
    ),
    citations=(
        *cite(S001, "continuing for one (1) year after job placement"),
        *cite(
            S000,
            "must agree to provide or coordinate follow up services with program participants (as "
            "appropriate).",
        ),
    ),
)
def followup_12m(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    participant = None if inputs is None else inputs[0].participant
    if inputs is None or participant is None:
        return
    record, as_of = inputs
    exit_on = _exit_on(participant)
    if exit_on is None:
        return
    months = ctx.settings.FOLLOW_UP_MONTHS
    window_end = add_months(exit_on, months)
    if as_of <= window_end:
        return
    if not any(exit_on < d <= window_end for d, _ in _notes(record, as_of, "follow_up")):
        yield Violation(
            record.pointer(participant) + "/exit",
            f"No follow-up case note in the {months} months after exit (to {_iso(window_end)}). Record the "
            "follow-up services or information provided.",
        )


# --- plans --------------------------------------------------------------------------------------


@register(
    "plan.review90",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="plan",
    description=(
        "Review dates = `opened_on`, each `revision.revised_on`, and `occurred_on` of `iep_iss_review` / "
        "`iep_iss_review_update` notes for the plan. For each plan whose current version is open, "
        "consecutive "
        "review dates are at most REVIEW_INTERVAL apart and `as_of ≤ D(last review + REVIEW_INTERVAL)`."
    ),
    citations=(
        *cite(
            S001,
            "A review of the IEP/ISS must occur on a regular basis, at least once every ninety (90) days",
        ),
        *cite(S002, "no less than quarterly"),
    ),
)
def plan_review90(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    interval = "3 months" if ctx.settings.REVIEW_INTERVAL == "quarterly" else "90 days"
    for plan in record.current_plans():
        # Closed plans are not re-examined.
        if plan.get("status") != "open":
            continue
        reviews = sorted((d, where) for d, where in _review_dates(record, as_of, plan) if d <= as_of)
        if not reviews:
            continue
        previous = reviews[0][0]
        for reviewed_on, where in reviews[1:]:
            if reviewed_on > review_deadline(previous, ctx.settings):
                yield Violation(
                    where,
                    f"The plan went unreviewed from {_iso(previous)} to {_iso(reviewed_on)}; it must be "
                    f"reviewed at least every {interval}.",
                )
            previous = reviewed_on
        due = ctx.deadline(review_deadline(previous, ctx.settings))
        if as_of > due:
            yield Violation(
                record.pointer(plan),
                f"The plan was last reviewed on {_iso(previous)}; the next review was due by {_iso(due)}. "
                "Review the plan with the participant and record it in an IEP/ISS Review case note.",
            )


def _review_dates(record: Record, as_of: dt.date, plan: Doc) -> Iterable[tuple[dt.date, str]]:
    """(date, JSON Pointer) of each review of `plan`: its opening, its revisions and its review notes."""
    for version in record.plan_versions(str(plan.get("id"))):
        base = record.pointer(version)
        opened_on = _date(version, "opened_on")
        if opened_on is not None:
            yield opened_on, base + "/opened_on"
        revision = version.get("revision")
        revised_on = parse_date(revision.get("revised_on")) if isinstance(revision, dict) else None
        if revised_on is not None:
            yield revised_on, base + "/revision/revised_on"
    for occurred_on, note in _notes(record, as_of, *_REVIEW_NOTES):
        if note.get("plan_id") == plan.get("id"):
            yield occurred_on, record.pointer(note) + "/occurred_on"


@register(
    "plan.update_note",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="plan",
    description=(
        "Each version > 1 has an `iep_iss_review_update` note with that `plan_id` and `plan_version` once "
        "`as_of > D(revision.revised_on)`."
    ),
    citations=cite(S002, "Enter a Case Note with subject “IEP/ISS Review/Update”."),
)
def plan_update_note(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    for plan in record.plans:
        version = plan.get("version")
        revision = plan.get("revision")
        if not isinstance(version, int) or version <= 1 or not isinstance(revision, dict):
            continue
        revised_on = parse_date(revision.get("revised_on"))
        if revised_on is None or as_of <= ctx.deadline(revised_on):
            continue
        if not _plan_note(record, as_of, "iep_iss_review_update", plan):
            yield Violation(
                record.pointer(plan) + "/revision",
                f"Version {version} of the plan has no “IEP/ISS Review/Update” case note. Add one that "
                "summarises the changes agreed with the participant.",
            )


@register(
    "plan.dev_note",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="plan",
    description=(
        "Version 1 has a `plan_development` note (`plan_id`, `plan_version = 1`) once `as_of > D(opened_on)`."
    ),
    citations=(
        *cite(S004, "A Development of IEP activity is reported in NMWCOS along with case notes"),
        *cite(S001, "Any associated case notes must be recorded in case notes."),
    ),
)
def plan_dev_note(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    for plan in record.plans:
        opened_on = _date(plan, "opened_on")
        if plan.get("version") != 1 or opened_on is None or as_of <= ctx.deadline(opened_on):
            continue
        if not _plan_note(record, as_of, "plan_development", plan):
            yield Violation(
                record.pointer(plan),
                "The plan has no Development of IEP/ISS case note. Add one recording that the plan was "
                "developed jointly with the participant.",
            )


@register(
    "plan.copy_note",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="plan",
    description=(
        "Each version whose signatories all signed on/after its effective date (`opened_on`; "
        "`revision.revised_on` for v > 1) has a `participant_copy_provided` note with that `plan_version` "
        "once `as_of > D(last signature date)`."
    ),
    citations=(
        *cite(S001, "shall be provided to the participant, recorded in case notes"),
        *cite(S004, "The customer is given a copy of the signed IEP."),
    ),
)
def plan_copy_note(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    for plan in record.plans:
        last_signed = _signed_on_or_after_effective(plan)
        if last_signed is None or as_of <= ctx.deadline(last_signed):
            continue
        if not _plan_note(record, as_of, "participant_copy_provided", plan):
            yield Violation(
                record.pointer(plan) + "/signatories",
                f"Version {plan.get('version')} of the plan was signed but no case note records that the "
                "participant was given a copy. Give the participant a copy and record it in a case note.",
            )


def _signed_on_or_after_effective(plan: Doc) -> dt.date | None:
    """The last signature date when every signatory signed on or after the version's effective date.

    Signatures carried forward from an earlier version (dated before it) do not make a newly signed copy.
    """
    if plan.get("version") == 1:
        effective = _date(plan, "opened_on")
    else:
        revision = plan.get("revision")
        effective = parse_date(revision.get("revised_on")) if isinstance(revision, dict) else None
    signatories = plan.get("signatories") or []
    if effective is None or not signatories:
        return None
    dates: list[dt.date] = []
    for signatory in signatories:
        signature = signatory.get("signature") if isinstance(signatory, dict) else None
        signed_on = timestamp_date(signature.get("signed_at")) if isinstance(signature, dict) else None
        if signed_on is None or signed_on < effective:
            return None
        dates.append(signed_on)
    return max(dates)


# --- services -----------------------------------------------------------------------------------


@register(
    "casenote.per_service",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="service",
    description=(
        "Services are taken from every plan version, by service id, the latest version's copy winning. Each "
        "service with `start_on ≤ as_of` and `as_of > D(start_on)` is referenced by at least one case note's "
        "`service_ids`."
    ),
    citations=(
        *cite(S004, "Case notes must be entered for each service/activity provided"),
        *cite(S001, "combined with case notes to describe the service"),
    ),
)
def casenote_per_service(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    documented = {sid for _, note in _notes(record, as_of) for sid in note.get("service_ids") or []}
    for service_id, _service, start_on, where in _services(record, as_of):
        if service_id not in documented and as_of > ctx.deadline(start_on):
            yield Violation(where, "No case note documents this service. Add a case note describing it.")


@register(
    "svc.open_notes",
    severity="warning",
    scope="T",
    applies_to=("record",),
    entity="service",
    description=(
        "Each open (no `end_on`) `individualized_career`, `training` or `supportive` service has two-way "
        "case "
        "notes referencing it; `as_of ≤ D(latest such note, else start_on, + CONTACT_INTERVAL_DAYS)`."
    ),
    citations=cite(
        S001,
        "Case notes for each open active service must document ongoing two-way communication between the "
        "career planner and participant",
    ),
)
def svc_open_notes(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    interval = ctx.settings.CONTACT_INTERVAL_DAYS
    for service_id, service, start_on, where in _services(record, as_of):
        if service.get("category") not in _OPEN_NOTE_CATEGORIES or _date(service, "end_on") is not None:
            continue
        noted = [d for d, note in _notes(record, as_of) if _two_way(note) and _references(note, service_id)]
        latest = max(noted, default=start_on)
        due = ctx.deadline(add_days(latest, interval))
        if as_of > due:
            since = f"since {_iso(latest)}" if noted else f"since it started on {_iso(latest)}"
            yield Violation(
                where,
                f"This open service has no case note of two-way communication with the participant {since} "
                f"(due by {_iso(due)}). Record the contact in a case note that references the service.",
            )


def _training_services(record: Record, as_of: dt.date) -> Iterator[tuple[str, Doc, dt.date, str]]:
    return (s for s in _services(record, as_of) if s[1].get("category") == "training")


@register(
    "casenote.training_need_exists",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="training service",
    description=(
        "Once `as_of > D(start_on)`: a `training_need` note with `occurred_on ≤` the service's `start_on`."
    ),
    citations=cite(
        S001,
        "Determination of Training Need: The career planner must document the suitability of the "
        "training/retraining program",
    ),
)
def casenote_training_need_exists(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    need_dates = [d for d, _ in _notes(record, as_of, "training_need")]
    for _sid, _service, start_on, where in _training_services(record, as_of):
        if as_of > ctx.deadline(start_on) and not any(d <= start_on for d in need_dates):
            yield Violation(
                where,
                "No Determination of Training Need case note dated on or before the start of this training. "
                "Document the suitability of the training for the participant.",
            )


@register(
    "casenote.training_begin_exists",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="training service",
    description="Once `as_of > D(start_on)`: a `training_begin` note referencing the service.",
    citations=(
        *cite(S001, "A case note must be entered when the participant enters training"),
        *cite(S004, "Staff will confirm the start of training and case note."),
    ),
)
def casenote_training_begin_exists(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    begun = [note for _, note in _notes(record, as_of, "training_begin")]
    for service_id, _service, start_on, where in _training_services(record, as_of):
        if as_of > ctx.deadline(start_on) and not any(_references(n, service_id) for n in begun):
            yield Violation(
                where,
                "No Training Begin case note references this training service. Confirm the start of "
                "training and record it in a case note.",
            )


@register(
    "casenote.training_end_exists",
    severity="error",
    scope="T",
    applies_to=("record",),
    entity="training service",
    description=(
        "Once `end_on` is set and `as_of > D(end_on)`: a `training_end` note referencing the service."
    ),
    citations=(
        *cite(S001, "A case note must be entered to reflect that the participant’s training has ended"),
        *cite(S004, "A case note supports the last day attended training."),
    ),
)
def casenote_training_end_exists(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    ended = [note for _, note in _notes(record, as_of, "training_end")]
    for service_id, service, _start_on, where in _training_services(record, as_of):
        end_on = _date(service, "end_on")
        if end_on is None or as_of <= ctx.deadline(end_on):
            continue
        if not any(_references(n, service_id) for n in ended):
            yield Violation(
                where + "/end_on",
                "No Training End case note references this training service. Record the last day attended, "
                "completion and credential status in a case note.",
            )


@register(
    "svc.closure_deadline",
    severity="warning",
    scope="T",
    applies_to=("record",),
    entity="service",
    description=(
        "A service with `planned_end_on` and no `end_on` is flagged once "
        "`as_of > planned_end_on + CLOSURE_OUTCOME_DEADLINE_DAYS` (the planned end stands in for learning of "
        "the completion)."
    ),
    citations=cite(S001, "within ten (10) days of learning of the completion of the service."),
)
def svc_closure_deadline(doc: Doc, ctx: Context) -> Iterator[Violation]:
    inputs = _inputs(ctx)
    if inputs is None:
        return
    record, as_of = inputs
    days = ctx.settings.CLOSURE_OUTCOME_DEADLINE_DAYS
    for _sid, service, _start_on, where in _services(record, as_of):
        planned_end_on = _date(service, "planned_end_on")
        if planned_end_on is None or _date(service, "end_on") is not None:
            continue
        due = add_days(planned_end_on, days)
        if as_of > due:
            yield Violation(
                where + "/end_on",
                f"This service was planned to end on {_iso(planned_end_on)} and is still open. Close it with "
                f"its end date and completion status (due by {_iso(due)}), or extend its planned end date.",
            )
