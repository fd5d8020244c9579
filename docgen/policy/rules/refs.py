"""References and signatures (rules.md section 2.1): doc.refs and esign.method.

`doc.refs` runs on the document that holds the reference, so that a plan or case note submitted alone is
checked against its stored record (ctx.record) exactly as it is inside a `record` bundle, and a bundle reports
each defect once: a plan checks its own ids and references (S) and, with a record, its participant, assessments
and service ids (R); a case note or assessment checks its references against the record (R); the bundle itself
checks that its documents' ids are unique.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.record import Record
from docgen.policy.registry import cite, register
from docgen.policy.values import Doc, has_text, items, obj

_NOUNS = {"goals": "goal", "barriers": "barrier", "services": "service", "parties": "party"}


@register(
    "doc.refs",
    severity="error",
    scope="S+R",
    applies_to=("plan", "mou", "record", "case_note", "assessment"),
    entity="plan, mou, record",
    description=(
        "References resolve and ids are unique: objective/barrier/youth-element `service_ids` → services of the "
        "same plan; `linked_employment_goal_id` → a goal of the plan; MOU party ids → `parties`. In a record: "
        "nested `participant_id` = participant id; `assessment_ids`, case-note `plan_id`, `service_ids`, "
        "`details.assessment_id` exist; a service id is not reused by another plan."
    ),
    citations=cite("structural", "References resolve and ids are unique (contract.md section 0)."),
)
def doc_refs(doc: Doc, ctx: Context) -> Iterator[Violation]:
    doc_type = doc.get("doc_type")
    record = ctx.record
    if doc_type == "plan":
        yield from _plan_own_refs(doc)
        if record is not None:
            yield from _participant_ref(doc, record)
            yield from _plan_record_refs(doc, record)
    elif doc_type == "mou":
        yield from _mou_refs(doc)
    elif doc_type == "record":
        yield from _record_unique_ids(doc)
    elif record is not None:
        yield from _participant_ref(doc, record)
        if doc_type == "case_note":
            yield from _case_note_refs(doc, record)


def _id_of(value: Doc) -> str | None:
    found = value.get("id")
    return found if isinstance(found, str) else None


def _duplicates(doc: Doc, key: str) -> Iterator[Violation]:
    """Objects of the array `key` whose `id` repeats an earlier one."""
    seen: set[str] = set()
    noun = _NOUNS[key]
    for i, item in items(doc.get(key)):
        item_id = _id_of(item)
        if item_id is None:
            continue
        if item_id in seen:
            yield Violation(
                pointer(key, i, "id"),
                f"{noun.capitalize()} id {item_id} is used twice; give each {noun} its own id.",
            )
        seen.add(item_id)


# --- plan -------------------------------------------------------------------------------------------------------


def _plan_own_refs(plan: Doc) -> Iterator[Violation]:
    yield from _duplicates(plan, "goals")
    yield from _duplicates(plan, "barriers")
    yield from _duplicates(plan, "services")
    objective_ids: set[str] = set()
    for g, goal in items(plan.get("goals")):
        for o, objective in items(goal.get("objectives")):
            objective_id = _id_of(objective)
            if objective_id in objective_ids:
                yield Violation(
                    pointer("goals", g, "objectives", o, "id"),
                    f"Objective id {objective_id} is used twice in this plan; give each objective its own id.",
                )
            elif objective_id is not None:
                objective_ids.add(objective_id)

    service_ids = {sid for _, service in items(plan.get("services")) if (sid := _id_of(service))}
    goal_ids = {gid for _, goal in items(plan.get("goals")) if (gid := _id_of(goal))}

    def unknown_services(holder: Doc, *at: str | int) -> Iterator[Violation]:
        for k, sid in enumerate(obj(holder).get("service_ids") or []):
            if isinstance(sid, str) and sid not in service_ids:
                yield Violation(
                    pointer(*at, "service_ids", k),
                    f"Service {sid} is not a service of this plan; add it to the plan's services or fix the id.",
                )

    for g, goal in items(plan.get("goals")):
        linked = goal.get("linked_employment_goal_id")
        if isinstance(linked, str) and linked not in goal_ids:
            yield Violation(
                pointer("goals", g, "linked_employment_goal_id"),
                f"Goal {linked} is not a goal of this plan; link a goal of this plan.",
            )
        for o, objective in items(goal.get("objectives")):
            yield from unknown_services(objective, "goals", g, "objectives", o)
    for b, barrier in items(plan.get("barriers")):
        yield from unknown_services(barrier, "barriers", b)
    for y, element in items(plan.get("youth_elements")):
        yield from unknown_services(element, "youth_elements", y)


def _plan_record_refs(plan: Doc, record: Record) -> Iterator[Violation]:
    assessment_ids = {aid for a in record.assessments if (aid := _id_of(a))}
    for k, aid in enumerate(plan.get("assessment_ids") or []):
        if isinstance(aid, str) and aid not in assessment_ids:
            yield Violation(
                pointer("assessment_ids", k),
                f"Assessment {aid} is not in the participant's record; add the assessment first or fix the id.",
            )

    # A service id belongs to one plan (all its versions). The clash is reported on the later plan of the record
    # (a plan submitted alone comes last), so a bundle reports it once.
    plan_id = plan.get("id")
    taken: dict[str, str] = {}
    for other in record.plans:
        if other is plan:
            break
        other_id = other.get("id")
        if other_id == plan_id or not isinstance(other_id, str):
            continue
        for _, service in items(other.get("services")):
            sid = _id_of(service)
            if sid is not None:
                taken.setdefault(sid, other_id)
    for s, service in items(plan.get("services")):
        sid = _id_of(service)
        if sid is not None and sid in taken:
            yield Violation(
                pointer("services", s, "id"),
                f"Service id {sid} is already used by plan {taken[sid]}; service ids must be unique across the "
                "participant's plans. Give this service a new id.",
            )


# --- case note, assessment --------------------------------------------------------------------------------------


def _participant_ref(doc: Doc, record: Record) -> Iterator[Violation]:
    participant = record.participant
    if participant is None:
        return
    if doc.get("participant_id") != participant.get("id"):
        yield Violation(
            pointer("participant_id"),
            "This document names a different participant than the record it belongs to; fix participant_id.",
        )


def _case_note_refs(note: Doc, record: Record) -> Iterator[Violation]:
    plan_id = note.get("plan_id")
    if isinstance(plan_id, str) and not any(p.get("id") == plan_id for p in record.plans):
        yield Violation(
            pointer("plan_id"), f"Plan {plan_id} is not in the participant's record; fix the plan id."
        )
    service_ids = note.get("service_ids")
    if isinstance(service_ids, list) and service_ids:
        known = record.services()
        for k, sid in enumerate(service_ids):
            if isinstance(sid, str) and sid not in known:
                yield Violation(
                    pointer("service_ids", k),
                    f"Service {sid} is not a service of any of the participant's plans; fix the service id.",
                )
    assessment_id = obj(note.get("details")).get("assessment_id")
    if isinstance(assessment_id, str) and record.assessment(assessment_id) is None:
        yield Violation(
            pointer("details", "assessment_id"),
            f"Assessment {assessment_id} is not in the participant's record; fix the assessment id.",
        )


# --- record -----------------------------------------------------------------------------------------------------


def _record_unique_ids(bundle: Doc) -> Iterator[Violation]:
    for key, noun in (("assessments", "Assessment"), ("case_notes", "Case note")):
        seen: set[str] = set()
        for i, doc in items(bundle.get(key)):
            doc_id = _id_of(doc)
            if doc_id in seen:
                yield Violation(
                    pointer(key, i, "id"),
                    f"{noun} id {doc_id} appears twice in the record; ids must be unique.",
                )
            elif doc_id is not None:
                seen.add(doc_id)
    versions: set[tuple[str, object]] = set()
    for i, plan in items(bundle.get("plans")):
        plan_id = _id_of(plan)
        if plan_id is None:
            continue
        version = (plan_id, plan.get("version"))
        if version in versions:
            yield Violation(
                pointer("plans", i, "version"),
                f"Plan {plan_id} has two documents for version {plan.get('version')}; each version appears once.",
            )
        versions.add(version)


# --- mou --------------------------------------------------------------------------------------------------------


def _mou_refs(mou: Doc) -> Iterator[Violation]:
    yield from _duplicates(mou, "parties")
    party_ids = {pid for _, party in items(mou.get("parties")) if (pid := _id_of(party))}

    def check(value: object, *at: str | int) -> Iterator[Violation]:
        if isinstance(value, str) and value not in party_ids:
            yield Violation(
                pointer(*at),
                f"Party {value} is not one of the MOU's parties; add it to parties or fix the id.",
            )

    for r, role in items(mou.get("roles")):
        for k, pid in enumerate(role.get("responsible_party_ids") or []):
            yield from check(pid, "roles", r, "responsible_party_ids", k)
    yield from check(obj(mou.get("lwia_commitment")).get("party_id"), "lwia_commitment", "party_id")
    for c, staff in items(mou.get("certifying_staff")):
        yield from check(staff.get("party_id"), "certifying_staff", c, "party_id")
    for k, pid in enumerate(obj(mou.get("follow_up")).get("responsible_party_ids") or []):
        yield from check(pid, "follow_up", "responsible_party_ids", k)
    for s, signatory in items(mou.get("signatories")):
        yield from check(signatory.get("party_id"), "signatories", s, "party_id")


# --- esign.method -----------------------------------------------------------------------------------------------


@register(
    "esign.method",
    severity="error",
    scope="S+R",
    applies_to=("plan", "mou"),
    entity="Signature",
    description=(
        "Every present signature: `method` ∈ `SIGNATURE_METHODS`; `electronic` → `evidence_ref`; (R) an electronic "
        "`participant` signature requires `consents.electronic_signature_consent = true`."
    ),
    citations=(
        *cite("structural", "seeds silent on e-signature"),
        *cite(
            "002_841c2e41ff1cf029.txt",
            "printed, signed and dated by a Workforce Development Representative and the customer.",
        ),
    ),
)
def esign_method(doc: Doc, ctx: Context) -> Iterator[Violation]:
    allowed = ctx.settings.SIGNATURE_METHODS
    participant = None if ctx.record is None else ctx.record.participant
    for i, signatory in items(doc.get("signatories")):
        signature = signatory.get("signature")
        if not isinstance(signature, dict):
            continue
        method = signature.get("method")
        if method not in allowed:
            yield Violation(
                pointer("signatories", i, "signature", "method"),
                f"This organisation does not accept {method} signatures (setting SIGNATURE_METHODS allows "
                f"{', '.join(allowed)}); sign again with an accepted method.",
            )
            continue
        if method != "electronic":
            continue
        if not has_text(signature.get("evidence_ref")):
            yield Violation(
                pointer("signatories", i, "signature", "evidence_ref"),
                "An electronic signature needs its evidence: give the e-signature envelope or audit-trail id "
                "in evidence_ref.",
            )
        if (
            doc.get("doc_type") == "plan"
            and signatory.get("role") == "participant"
            and participant is not None
            and obj(participant.get("consents")).get("electronic_signature_consent") is not True
        ):
            yield Violation(
                pointer("signatories", i, "signature", "method"),
                "The participant signed electronically without consenting to electronic signature; record the "
                "consent in the participant's consents or have the participant sign in ink.",
            )
