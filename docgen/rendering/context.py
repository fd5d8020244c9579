"""Contract document (+ participant, organisation, local area) -> the context a Word template renders.

The context is plain data: dicts, lists and strings only, already formatted for print (dates as
"January 27, 2025", money as "$4,800.00" from Decimal, codes as labels). Every key a template may use is
always present: an absent optional value is an explicit "—" (or "" on a signature line left for ink),
so the renderer can treat any undefined name as an error. The TypedDicts below are the one description
of that shape; the template check (check.py) reads them to know which placeholders exist.

No SSN reaches a context except `ssn_last4` (4 digits at most, contract rule pii.no_ssn).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from docgen.rendering import labels as L

NONE = "—"  # shown where an optional value is absent (never a silently blank field)
CHECKED = "☒"
UNCHECKED = "☐"

Doc = Mapping[str, Any]


class ContextError(ValueError):
    """The document cannot be turned into a template context (wrong type, malformed value)."""


# ---------------------------------------------------------------------------------------------------------
# Context shapes


class DocumentInfo(TypedDict):
    id: str
    version: str
    title: str


class StaffCtx(TypedDict):
    name: str
    title: str
    email: str
    phone: str
    organization: str


class ParticipantCtx(TypedDict):
    id: str
    name: str
    program: str
    youth_status: str
    preferred_language: str
    english_language_learner: str
    email: str
    phone: str
    ssn_last4: str
    applied_on: str
    eligibility_determined_on: str
    certified_on: str
    basic_skills_deficient: str
    career_planner: str


class SignatureCtx(TypedDict):
    role: str
    name: str
    title: str
    signature: str
    date: str


class PlanInfo(TypedDict):
    id: str
    version: str
    kind: str
    status: str
    opened_on: str
    closed_on: str
    close_reason: str
    developed_jointly: str
    assessments: str
    responsibilities_acknowledged: str
    summary: str
    career_pathway: str


class JustificationCtx(TypedDict):
    text: str
    based_on: str
    skill_gap: str


class ObjectiveCtx(TypedDict):
    id: str
    description: str
    start_on: str
    target_on: str
    completed_on: str
    status: str
    comments: str
    services: str
    code: str
    reference: str  # services (and local code) on one line


class GoalCtx(TypedDict):
    id: str
    kind: str
    term: str
    description: str
    opened_on: str
    projected_end_on: str
    status: str
    closed_on: str
    linked_goal: str
    objectives: list[ObjectiveCtx]


class BarrierCtx(TypedDict):
    id: str
    category: str
    description: str
    strategy: str
    by_whom: str
    services: str
    status: str


class ServiceCtx(TypedDict):
    id: str
    name: str
    type: str
    category: str
    local_code: str
    provider: str
    start_on: str
    actual_start_on: str
    planned_end_on: str
    end_on: str
    status: str
    approximate_cost: str
    supportive_kind: str
    description: str
    details: str  # category, type, supportive kind, local code, actual start, reason on one line


class InformedChoiceCtx(TypedDict):
    training_program: str
    training_provider: str
    target_occupation: str
    local_labor_market_conditions: str
    local_employer_skill_demands: str
    hiring_prerequisites: str
    in_demand_occupations: str
    training_suitable: str
    leads_to_sustainable_employment: str
    discussed_on: str


class PerformanceLinkCtx(TypedDict):
    indicator: str
    label: str
    rationale: str


class TrackingCtx(TypedDict):
    method: str
    next_steps: str


class YouthElementCtx(TypedDict):
    number: str
    name: str
    mark: str
    provided: str
    delivery: str
    provider: str
    services: str


class RevisionCtx(TypedDict):
    revised_on: str
    summary: str
    participant_agreed: str
    significant_changes: str


class PlanSignatures(TypedDict):
    participant: SignatureCtx
    career_planner: SignatureCtx


class PlanContext(TypedDict):
    organisation: str
    local_area: str
    document: DocumentInfo
    participant: ParticipantCtx
    planner: StaffCtx
    plan: PlanInfo
    justification: JustificationCtx
    goals: list[GoalCtx]
    education_goals: list[GoalCtx]
    barriers: list[BarrierCtx]
    services: list[ServiceCtx]
    services_total_cost: str
    informed_choice: InformedChoiceCtx
    performance_links: list[PerformanceLinkCtx]
    tracking: TrackingCtx
    youth_elements: list[YouthElementCtx]
    revision: RevisionCtx
    signatures: PlanSignatures


class NoteInfo(TypedDict):
    id: str
    type: str
    occurred_on: str
    recorded_at: str
    narrative: str
    plan: str
    services: str
    contact_mode: str
    two_way: str


class DetailRow(TypedDict):
    label: str
    value: str


class CaseNoteContext(TypedDict):
    organisation: str
    local_area: str
    document: DocumentInfo
    participant: ParticipantCtx
    author: StaffCtx
    note: NoteInfo
    details: list[DetailRow]
    signature: SignatureCtx


class MouInfo(TypedDict):
    id: str
    title: str
    effective_on: str
    expires_on: str
    serves_incumbent_workers: str


class PartyCtx(TypedDict):
    id: str
    name: str
    type: str
    lwia_number: str


class RoleCtx(TypedDict):
    role: str
    parties: str
    description: str


class CommitmentCtx(TypedDict):
    party: str
    text: str


class AlignmentCtx(TypedDict):
    regional_plan: str
    local_plan: str


class CertifierCtx(TypedDict):
    name: str
    party: str
    title: str
    systems: str


class FollowUpCtx(TypedDict):
    agreed: str
    approach: str
    parties: str
    description: str


class PartySignatureCtx(TypedDict):
    party: str
    party_type: str
    name: str
    title: str
    signature: str
    date: str


class MouContext(TypedDict):
    organisation: str
    local_area: str
    document: DocumentInfo
    mou: MouInfo
    parties: list[PartyCtx]
    roles: list[RoleCtx]
    lwia_commitment: CommitmentCtx
    plan_alignment: AlignmentCtx
    certifying_staff: list[CertifierCtx]
    follow_up: FollowUpCtx
    signatures: list[PartySignatureCtx]
    certifier_signatures: list[PartySignatureCtx]


# Which context a template kind is rendered with (check.py reads this too).
CONTEXT_TYPES: dict[str, type] = {
    "iep": PlanContext,
    "iss": PlanContext,
    "case_note": CaseNoteContext,
    "mou": MouContext,
}


# ---------------------------------------------------------------------------------------------------------
# Formatting


def text(value: Any) -> str:
    """A free-text value as typed; absent or blank -> NONE."""
    if value is None:
        return NONE
    s = str(value)
    return s if s.strip() else NONE


def fmt_date(value: Any) -> str:
    """'2025-01-27' (or a date) -> 'January 27, 2025'; absent -> NONE."""
    if value is None or value == "":
        return NONE
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError as exc:
            raise ContextError("a date is not in YYYY-MM-DD form") from exc
    return f"{value:%B} {value.day}, {value.year}"


def _parse_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ContextError("a timestamp is not in RFC 3339 form") from exc
    if moment.tzinfo is None:
        raise ContextError("a timestamp has no UTC offset")
    return moment


def _in_zone(moment: datetime, tz: str) -> datetime:
    """The same instant in the organisation's zone. Near the ends of the calendar (0001-01-01 at +14:00,
    9999-12-31 at -12:00) there is no such local time: that is the document's value being out of range."""
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ContextError("the organisation's time zone is unknown") from exc
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError) as exc:
        raise ContextError("a timestamp is out of range") from exc


def fmt_timestamp(value: Any, tz: str | None = None) -> str:
    """'2025-03-04T09:30:00-06:00' -> 'March 4, 2025, 9:30 AM CST (America/Chicago)' with the organisation's
    zone, or '... 9:30 AM (UTC−06:00)' in the timestamp's own offset when no zone is given; absent -> NONE."""
    if value is None or value == "":
        return NONE
    moment = _parse_timestamp(value)
    if tz:
        moment = _in_zone(moment, tz)
        zone = f"{moment.tzname()} ({tz})"
    else:
        zone = f"(UTC{_offset(moment)})"
    hour = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    return f"{fmt_date(moment.date())}, {hour}:{moment.minute:02d} {meridiem} {zone}"


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "−" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _signed_date(value: Any, tz: str | None) -> str:
    """The calendar date of a signature: in the organisation's zone, else in the timestamp's own offset."""
    moment = _parse_timestamp(value)
    if tz:
        moment = _in_zone(moment, tz)
    return fmt_date(moment.date())


# Numbers a form prints: below 10**18 and with at most 30 decimals. Beyond that a value is a typing or
# data error, and Decimal either refuses it (quantize past 28 digits, Infinity, NaN) or prints it as
# millions of digits ('0E-999999999' in fixed point).
_MAX_ADJUSTED_EXPONENT = 17
_MIN_EXPONENT = -30


def to_decimal(value: Any) -> Decimal:
    """A contract money value as Decimal. JSON floats go through their shortest repr, so 4800.0 stays exact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise ContextError("a money value is not a number")
    try:
        # An int directly: str() of an int past 4300 digits raises ValueError.
        number = (
            value if isinstance(value, Decimal) else Decimal(value if isinstance(value, int) else str(value))
        )
    except (ArithmeticError, ValueError) as exc:
        raise ContextError("a money value is not a number") from exc
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int):
        raise ContextError("a money value is not a number")
    if number.adjusted() > _MAX_ADJUSTED_EXPONENT or exponent < _MIN_EXPONENT:
        raise ContextError("a number is out of range")
    return number


def fmt_money(value: Any) -> str:
    """4800.0 -> '$4,800.00'; absent -> NONE."""
    if value is None:
        return NONE
    try:
        amount = to_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except ArithmeticError as exc:  # a total of many in-range values may still exceed 28 digits
        raise ContextError("a money value is out of range") from exc
    return f"${amount:,.2f}"


def fmt_number(value: Any) -> str:
    if value is None:
        return NONE
    number = to_decimal(value)
    return f"{number.normalize():f}" if number == number.to_integral_value() else f"{number:f}"


def yes_no(value: Any) -> str:
    if value is None:
        return NONE
    return "Yes" if value else "No"


def code(table: Mapping[str, str], value: Any) -> str:
    if value is None or value == "":
        return NONE
    return L.label(table, str(value))


def codes(table: Mapping[str, str], values: Iterable[Any] | None) -> str:
    items = [L.label(table, str(v)) for v in (values or [])]
    return "; ".join(items) if items else NONE


def joined(values: Iterable[Any] | None) -> str:
    items = [str(v) for v in (values or [])]
    return ", ".join(items) if items else NONE


_LAST4 = re.compile(r"\d{4}")


def ssn_last4(value: Any) -> str:
    """Only ever the last four digits; anything else is refused rather than printed."""
    if value is None or value == "":
        return NONE
    s = str(value)
    if not _LAST4.fullmatch(s):
        raise ContextError("ssn_last4 must be exactly four digits")
    return s


def language(value: Any) -> str:
    if not value:
        return NONE
    tag = str(value)
    primary = tag.split("-", 1)[0].lower()
    name = L.LANGUAGE.get(primary)
    return f"{name} ({tag})" if name else tag


def person_name(doc: Doc) -> str:
    parts = [doc.get("first_name"), doc.get("middle_name"), doc.get("last_name")]
    name = " ".join(str(p).strip() for p in parts if p and str(p).strip())
    return name or NONE


# ---------------------------------------------------------------------------------------------------------
# Shared pieces


def _require(doc: Doc, doc_type: str) -> None:
    if not isinstance(doc, Mapping) or doc.get("doc_type") != doc_type:
        raise ContextError(f"expected a {doc_type} document")


def staff(doc: Doc | None) -> StaffCtx:
    doc = doc or {}
    return StaffCtx(
        name=text(doc.get("name")),
        title=text(doc.get("title")),
        email=text(doc.get("email")),
        phone=text(doc.get("phone")),
        organization=text(doc.get("organization")),
    )


def participant_context(doc: Doc) -> ParticipantCtx:
    _require(doc, "participant")
    planner = doc.get("career_planner") or {}
    return ParticipantCtx(
        id=text(doc.get("id")),
        name=person_name(doc),
        program=code(L.PROGRAM, doc.get("program")),
        youth_status=code(L.YOUTH_STATUS, doc.get("youth_status")),
        preferred_language=language(doc.get("preferred_language")),
        english_language_learner=yes_no(bool(doc.get("english_language_learner", False))),
        email=text(doc.get("email")),
        phone=text(doc.get("phone")),
        ssn_last4=ssn_last4(doc.get("ssn_last4")),
        applied_on=fmt_date(doc.get("applied_on")),
        eligibility_determined_on=fmt_date(doc.get("eligibility_determined_on")),
        certified_on=fmt_date(doc.get("certified_on")),
        basic_skills_deficient=yes_no(doc.get("basic_skills_deficient")),
        career_planner=text(planner.get("name")),
    )


def _signature_line(signature: Doc | None, tz: str | None) -> tuple[str, str]:
    """(text on the signature line, date line). An unsigned block stays blank for ink."""
    if not signature:
        return "", ""
    method = signature.get("method")
    evidence = signature.get("evidence_ref")
    if method == "electronic":
        line = "Signed electronically"
    elif method == "wet_ink":
        line = "Signed in ink"
    else:
        line = "Signed"
    if evidence:
        line += f" (record {evidence})"
    return line, _signed_date(signature.get("signed_at"), tz)


def _document(doc_id: Any, version: Any, title: str) -> DocumentInfo:
    return DocumentInfo(id=text(doc_id), version=str(version) if version is not None else "1", title=title)


# ---------------------------------------------------------------------------------------------------------
# Plan (IEP / ISS)


def _service_names(services: Sequence[Doc]) -> dict[str, str]:
    return {str(s.get("id")): f"{s.get('id')} {s.get('name')}".strip() for s in services if s.get("id")}


def _service_refs(ids: Iterable[Any] | None, names: Mapping[str, str]) -> str:
    items = [names.get(str(i), str(i)) for i in (ids or [])]
    return "; ".join(items) if items else NONE


def _objective(doc: Doc, names: Mapping[str, str]) -> ObjectiveCtx:
    services = _service_refs(doc.get("service_ids"), names)
    status = code(L.OBJECTIVE_STATUS, doc.get("status"))
    if doc.get("outcome"):
        status = f"{status}: {code(L.OBJECTIVE_OUTCOME, doc.get('outcome'))}"
    return ObjectiveCtx(
        id=text(doc.get("id")),
        description=text(doc.get("description")),
        start_on=fmt_date(doc.get("start_on")),
        target_on=fmt_date(doc.get("target_on")),
        completed_on=fmt_date(doc.get("completed_on")),
        status=status,
        comments=text(doc.get("comments")),
        services=services,
        code=text(doc.get("predefined_code")),
        reference=f"Services: {services}"
        + (f"; objective code {doc['predefined_code']}" if doc.get("predefined_code") else ""),
    )


def _goal(doc: Doc, goals_by_id: Mapping[str, Doc], names: Mapping[str, str]) -> GoalCtx:
    status = code(L.GOAL_STATUS, doc.get("status"))
    if doc.get("outcome"):
        status = f"{status}: {code(L.GOAL_OUTCOME, doc.get('outcome'))}"
    linked_id = doc.get("linked_employment_goal_id")
    if linked_id:
        linked = goals_by_id.get(str(linked_id))
        linked_goal = f"{linked_id} {linked.get('description', '')}".strip() if linked else str(linked_id)
    else:
        linked_goal = NONE
    return GoalCtx(
        id=text(doc.get("id")),
        kind=code(L.GOAL_KIND, doc.get("kind")),
        term=code(L.GOAL_TERM, doc.get("term")),
        description=text(doc.get("description")),
        opened_on=fmt_date(doc.get("opened_on")),
        projected_end_on=fmt_date(doc.get("projected_end_on")),
        status=status,
        closed_on=fmt_date(doc.get("closed_on")),
        linked_goal=linked_goal,
        objectives=[_objective(o, names) for o in doc.get("objectives") or []],
    )


def _barrier(doc: Doc, names: Mapping[str, str]) -> BarrierCtx:
    who = _by_whom(doc.get("by_whom") or {})
    category = code(L.BARRIER_CATEGORY, doc.get("category"))
    return BarrierCtx(
        id=text(doc.get("id")),
        category=category,
        description=text(doc.get("description")),
        strategy=text(doc.get("strategy")),
        by_whom=who,
        services=_service_refs(doc.get("service_ids"), names),
        status=code(L.BARRIER_STATUS, doc.get("status")),
    )


def _service(doc: Doc) -> ServiceCtx:
    provider = doc.get("provider") or {}
    provider_text = text(provider.get("name"))
    if provider.get("kind"):
        provider_text = f"{provider_text} ({code(L.PROVIDER_KIND, provider.get('kind'))})"
    if doc.get("completion_status"):
        status = f"Ended: {code(L.COMPLETION_STATUS, doc.get('completion_status'))}"
    else:
        status = "Open"
    category = code(L.SERVICE_CATEGORY, doc.get("category"))
    service_type = code(L.SERVICE_TYPE, doc.get("type"))
    details = [category]
    if service_type not in details:
        details.append(service_type)
    if doc.get("supportive_kind"):
        details.append(code(L.SUPPORTIVE_KIND, doc.get("supportive_kind")))
    if doc.get("local_code"):
        details.append(f"code {doc['local_code']}")
    if doc.get("actual_start_on"):
        details.append(f"actually delivered {fmt_date(doc.get('actual_start_on'))}")
    if doc.get("description"):
        details.append(str(doc["description"]))
    return ServiceCtx(
        id=text(doc.get("id")),
        name=text(doc.get("name")),
        type=service_type,
        category=category,
        local_code=text(doc.get("local_code")),
        provider=provider_text,
        start_on=fmt_date(doc.get("start_on")),
        actual_start_on=fmt_date(doc.get("actual_start_on")),
        planned_end_on=fmt_date(doc.get("planned_end_on")),
        end_on=fmt_date(doc.get("end_on")),
        status=status,
        approximate_cost=fmt_money(doc.get("approximate_cost")),
        supportive_kind=code(L.SUPPORTIVE_KIND, doc.get("supportive_kind")),
        description=text(doc.get("description")),
        details=" · ".join(details),
    )


def _informed_choice(doc: Doc | None, kind: str) -> InformedChoiceCtx:
    if not doc:
        absent = "Not applicable (no training service)" if kind == "iep" else "Not applicable"
        return InformedChoiceCtx(
            training_program=absent,
            training_provider=NONE,
            target_occupation=NONE,
            local_labor_market_conditions=NONE,
            local_employer_skill_demands=NONE,
            hiring_prerequisites=NONE,
            in_demand_occupations=NONE,
            training_suitable=NONE,
            leads_to_sustainable_employment=NONE,
            discussed_on=NONE,
        )
    return InformedChoiceCtx(
        training_program=text(doc.get("training_program")),
        training_provider=text(doc.get("training_provider")),
        target_occupation=text(doc.get("target_occupation")),
        local_labor_market_conditions=text(doc.get("local_labor_market_conditions")),
        local_employer_skill_demands=text(doc.get("local_employer_skill_demands")),
        hiring_prerequisites=text(doc.get("hiring_prerequisites")),
        in_demand_occupations=text(doc.get("in_demand_occupations")),
        training_suitable=yes_no(doc.get("training_suitable")),
        leads_to_sustainable_employment=yes_no(doc.get("leads_to_sustainable_employment")),
        discussed_on=fmt_date(doc.get("discussed_on")),
    )


def _youth_elements(entries: Sequence[Doc], names: Mapping[str, str]) -> list[YouthElementCtx]:
    """All 14 elements in the regulation's order, ticked when the plan documents them."""
    by_code = {str(e.get("element")): e for e in entries}
    rows: list[YouthElementCtx] = []
    for number, (element, name) in enumerate(L.YOUTH_ELEMENT.items(), start=1):
        entry = by_code.get(element)
        rows.append(
            YouthElementCtx(
                number=str(number),
                name=name,
                mark=CHECKED if entry else UNCHECKED,
                provided="Yes" if entry else "No",
                delivery=code(L.YOUTH_ELEMENT_DELIVERY, entry.get("delivery")) if entry else NONE,
                provider=text(entry.get("provider")) if entry else NONE,
                services=_service_refs(entry.get("service_ids"), names) if entry else NONE,
            )
        )
    return rows


def _plan_signature(
    signatories: Sequence[Doc], role: str, fallback: Doc | None, tz: str | None
) -> SignatureCtx:
    signer = next((s for s in signatories if s.get("role") == role), None)
    if signer is None:
        # A plan missing a signatory renders only as a draft; the block stays there, blank, to be filled in.
        return SignatureCtx(role=L.SIGNER_ROLE[role], name="", title="", signature="", date="")
    line, signed_on = _signature_line(signer.get("signature"), tz)
    title = text((fallback or {}).get("title")) if role == "career_planner" else L.SIGNER_ROLE[role]
    return SignatureCtx(
        role=L.SIGNER_ROLE[role], name=text(signer.get("name")), title=title, signature=line, date=signed_on
    )


def plan_context(
    plan: Doc,
    participant: Doc,
    *,
    organisation: str,
    local_area: str,
    tz: str | None = None,
) -> PlanContext:
    _require(plan, "plan")
    if participant.get("id") != plan.get("participant_id"):
        raise ContextError("the participant is not the plan's participant")
    kind = str(plan.get("kind"))
    if kind not in ("iep", "iss"):
        raise ContextError("unknown plan kind")
    services = list(plan.get("services") or [])
    names = _service_names(services)
    goals_raw = list(plan.get("goals") or [])
    goals_by_id = {str(g.get("id")): g for g in goals_raw}
    goals = [_goal(g, goals_by_id, names) for g in goals_raw]
    costs = [to_decimal(s["approximate_cost"]) for s in services if s.get("approximate_cost") is not None]
    total_cost = fmt_money(sum(costs, Decimal(0))) if costs else NONE

    status = code(L.PLAN_STATUS, plan.get("status"))
    justification = plan.get("justification") or {}
    tracking = plan.get("progress_tracking") or {}
    revision = plan.get("revision")
    planner = plan.get("career_planner")
    signatories = list(plan.get("signatories") or [])
    not_applicable = "Not applicable (IEP)" if kind == "iep" else NONE

    return PlanContext(
        organisation=text(organisation),
        local_area=text(local_area),
        document=_document(plan.get("id"), plan.get("version"), L.PLAN_KIND[kind]),
        participant=participant_context(participant),
        planner=staff(planner),
        plan=PlanInfo(
            id=text(plan.get("id")),
            version=str(plan.get("version", 1)),
            kind=L.PLAN_KIND[kind],
            status=status,
            opened_on=fmt_date(plan.get("opened_on")),
            closed_on=fmt_date(plan.get("closed_on")),
            close_reason=code(L.PLAN_CLOSE_REASON, plan.get("close_reason")),
            developed_jointly=yes_no(plan.get("developed_jointly")),
            assessments=joined(plan.get("assessment_ids")),
            responsibilities_acknowledged=yes_no(plan.get("participant_responsibilities_acknowledged")),
            summary=text(plan.get("summary")) if kind == "iss" else not_applicable,
            career_pathway=text(plan.get("career_pathway")) if kind == "iss" else not_applicable,
        ),
        justification=JustificationCtx(
            text=text(justification.get("text")),
            based_on=codes(L.JUSTIFICATION_BASIS, justification.get("based_on")),
            skill_gap=text(justification.get("skill_gap")),
        ),
        goals=goals,
        education_goals=[
            g for g, raw in zip(goals, goals_raw, strict=True) if raw.get("kind") == "education"
        ],
        barriers=[_barrier(b, names) for b in plan.get("barriers") or []],
        services=[_service(s) for s in services],
        services_total_cost=total_cost,
        informed_choice=_informed_choice(plan.get("informed_choice"), kind),
        performance_links=[
            PerformanceLinkCtx(
                indicator=text(p.get("indicator")),
                label=code(L.PERFORMANCE_INDICATOR, p.get("indicator")),
                rationale=text(p.get("rationale")),
            )
            for p in plan.get("performance_links") or []
        ],
        tracking=TrackingCtx(
            method=text(tracking.get("method")), next_steps=text(tracking.get("next_steps"))
        ),
        youth_elements=_youth_elements(list(plan.get("youth_elements") or []), names),
        revision=(
            RevisionCtx(
                revised_on=fmt_date(revision.get("revised_on")),
                summary=text(revision.get("summary")),
                participant_agreed=yes_no(revision.get("participant_agreed")),
                significant_changes=codes(L.SIGNIFICANT_CHANGE, revision.get("significant_changes")),
            )
            if revision
            else RevisionCtx(
                revised_on=NONE,
                summary="Initial plan (no revision)",
                participant_agreed=NONE,
                significant_changes=NONE,
            )
        ),
        signatures=PlanSignatures(
            participant=_plan_signature(signatories, "participant", None, tz),
            career_planner=_plan_signature(signatories, "career_planner", planner, tz),
        ),
    )


# ---------------------------------------------------------------------------------------------------------
# Case note


def _by_whom(value: Any) -> str:
    if not isinstance(value, Mapping):
        return text(value)
    who = text(value.get("name"))
    if value.get("party_type"):
        who = f"{who} ({code(L.BY_WHOM_PARTY, value.get('party_type'))})"
    return who


# type -> ordered (field, label, formatter) for `details`; see contract.md §6.
_Fmt = Any
_DETAIL_FIELDS: dict[str, list[tuple[str, str, _Fmt]]] = {
    "introduction": [
        ("status_at_participation", "Status at participation", text),
        ("need_for_services", "Need for services", text),
    ],
    "assessment": [("assessment_id", "Assessment", text)],
    "plan_development": [
        ("plan_version", "Plan version", text),
        ("developed_jointly", "Developed jointly with the participant", yes_no),
    ],
    "service": [("actual_service_on", "Actual service date (before certification)", fmt_date)],
    "contact": [],
    "training_need": [
        ("training_program", "Training program", text),
        ("suitability", "Suitability for the participant", text),
        ("topics_discussed", "Topics discussed", lambda v: codes(L.TRAINING_TOPIC, v)),
    ],
    "training_begin": [
        ("training_begin_on", "Training began", fmt_date),
        ("training_program", "Training program", text),
        ("training_provider", "Training provider/school", text),
        ("approximate_cost", "Approximate cost", fmt_money),
        ("planned_end_on", "Planned end date", fmt_date),
    ],
    "training_end": [
        ("training_end_on", "Training ended", fmt_date),
        ("training_program", "Training program", text),
        ("completed", "Completed the training", yes_no),
        ("credential_status", "Credential/license status", lambda v: code(L.CREDENTIAL_STATUS, v)),
        ("credential_name", "Credential", text),
        ("credential_learned_on", "Credential attainment learned on", fmt_date),
        ("last_attended_on", "Last day attended", fmt_date),
    ],
    "barrier": [
        ("barrier_category", "Barrier", lambda v: code(L.BARRIER_CATEGORY, v)),
        ("how_addressed", "How it is addressed", text),
        ("by_whom", "By whom", _by_whom),
    ],
    "coordination": [
        ("partner_program", "Partner program", text),
        ("partner_contact", "Partner contact", text),
    ],
    "iep_iss_review": [
        ("plan_version", "Plan version", text),
        ("on_track", "Participant on track with the plan", yes_no),
        ("changes_made", "Changes made", yes_no),
    ],
    "iep_iss_review_update": [
        ("plan_version", "New plan version", text),
        ("changes_made", "Changes made", yes_no),
        ("agreed_with_participant", "Changes agreed with the participant", yes_no),
        ("change_summary", "Summary of changes", text),
    ],
    "participant_copy_provided": [
        ("plan_version", "Plan version", text),
        ("provided_on", "Copy provided on", fmt_date),
        ("method", "How it was provided", lambda v: code(L.COPY_METHOD, v)),
    ],
    "exit": [
        ("exit_on", "Exit date", fmt_date),
        ("employment_status", "Employment status at exit", lambda v: code(L.EMPLOYMENT_STATUS, v)),
        ("employer_name", "Employer", text),
        ("hire_date", "Hire date", fmt_date),
        ("hours_per_week", "Hours per week", fmt_number),
        ("wage", "Wage", fmt_money),
        ("wage_unit", "Wage unit", lambda v: code(L.WAGE_UNIT, v)),
        ("exclusion_reason", "Exclusion from performance", text),
    ],
    "follow_up": [
        ("services_provided", "Follow-up services provided", text),
        ("information_provided", "Information provided", text),
    ],
    "general": [],
}


def _detail_rows(note_type: str, details: Doc) -> list[DetailRow]:
    rows: list[DetailRow] = []
    known = _DETAIL_FIELDS.get(note_type, [])
    seen = set()
    for field, caption, fmt in known:
        seen.add(field)
        if field in details:
            rows.append(DetailRow(label=caption, value=fmt(details[field])))
    for field, value in details.items():
        if field not in seen:
            rows.append(DetailRow(label=field.replace("_", " ").capitalize(), value=text(value)))
    if not rows:
        rows.append(DetailRow(label="Details", value="None for this type of note"))
    return rows


def case_note_context(
    note: Doc,
    participant: Doc,
    *,
    organisation: str,
    local_area: str,
    version: int | None = None,
    tz: str | None = None,
) -> CaseNoteContext:
    _require(note, "case_note")
    if participant.get("id") != note.get("participant_id"):
        raise ContextError("the participant is not the case note's participant")
    note_type = str(note.get("type"))
    contact = note.get("contact") or {}
    author = note.get("author")
    details = note.get("details") or {}
    plan_ref = NONE
    if note.get("plan_id"):
        plan_ref = str(note["plan_id"])
        if "plan_version" in details:
            plan_ref = f"{plan_ref}, version {details['plan_version']}"
    author_ctx = staff(author)
    return CaseNoteContext(
        organisation=text(organisation),
        local_area=text(local_area),
        document=_document(note.get("id"), version, f"Case Note: {code(L.CASE_NOTE_TYPE, note_type)}"),
        participant=participant_context(participant),
        author=author_ctx,
        note=NoteInfo(
            id=text(note.get("id")),
            type=code(L.CASE_NOTE_TYPE, note_type),
            occurred_on=fmt_date(note.get("occurred_on")),
            recorded_at=fmt_timestamp(note.get("recorded_at"), tz),
            narrative=text(note.get("narrative")),
            plan=plan_ref,
            services=joined(note.get("service_ids")),
            contact_mode=code(L.CONTACT_MODE, contact.get("mode")),
            two_way=yes_no(contact.get("two_way")) if contact else NONE,
        ),
        details=_detail_rows(note_type, details),
        signature=SignatureCtx(
            role="Author", name=author_ctx["name"], title=author_ctx["title"], signature="", date=""
        ),
    )


# ---------------------------------------------------------------------------------------------------------
# MOU


def mou_context(
    mou: Doc,
    *,
    organisation: str,
    local_area: str,
    version: int | None = None,
    tz: str | None = None,
) -> MouContext:
    _require(mou, "mou")
    parties = list(mou.get("parties") or [])
    party_names = {str(p.get("id")): text(p.get("name")) for p in parties}

    def names(ids: Iterable[Any] | None) -> str:
        items = [party_names.get(str(i), str(i)) for i in (ids or [])]
        return "; ".join(items) if items else NONE

    roles_by_code: dict[str, list[Doc]] = {}
    for role in mou.get("roles") or []:
        roles_by_code.setdefault(str(role.get("role")), []).append(role)
    role_rows: list[RoleCtx] = []
    # The five required roles always appear, in the seed's order, so a missing one shows on a draft.
    for role_code in [*L.MOU_REQUIRED_ROLES, *[c for c in roles_by_code if c not in L.MOU_REQUIRED_ROLES]]:
        entries = roles_by_code.get(role_code) or [{}]
        for entry in entries:
            role_rows.append(
                RoleCtx(
                    role=code(L.MOU_ROLE, role_code),
                    parties=names(entry.get("responsible_party_ids")),
                    description=text(entry.get("description")) if entry else "Not stated",
                )
            )

    commitment = mou.get("lwia_commitment") or {}
    alignment = mou.get("plan_alignment") or {}
    follow_up = mou.get("follow_up") or {}

    signatures: list[PartySignatureCtx] = []
    signatories = list(mou.get("signatories") or [])
    for party in parties:
        own = [s for s in signatories if s.get("party_id") == party.get("id")] or [{}]
        for signer in own:
            line, signed_on = _signature_line(signer.get("signature"), tz)
            signatures.append(
                PartySignatureCtx(
                    party=text(party.get("name")),
                    party_type=code(L.MOU_PARTY_TYPE, party.get("party_type")),
                    name=text(signer.get("name")) if signer else "",
                    title=text(signer.get("title")) if signer else "",
                    signature=line,
                    date=signed_on,
                )
            )

    certifiers = list(mou.get("certifying_staff") or [])
    return MouContext(
        organisation=text(organisation),
        local_area=text(local_area),
        document=_document(mou.get("id"), version, "Memorandum of Understanding"),
        mou=MouInfo(
            id=text(mou.get("id")),
            title=text(mou.get("title")),
            effective_on=fmt_date(mou.get("effective_on")),
            expires_on=fmt_date(mou.get("expires_on")),
            serves_incumbent_workers=yes_no(mou.get("serves_incumbent_workers")),
        ),
        parties=[
            PartyCtx(
                id=text(p.get("id")),
                name=text(p.get("name")),
                type=code(L.MOU_PARTY_TYPE, p.get("party_type")),
                lwia_number=text(p.get("lwia_number")),
            )
            for p in parties
        ],
        roles=role_rows,
        lwia_commitment=CommitmentCtx(
            party=party_names.get(str(commitment.get("party_id")), text(commitment.get("party_id"))),
            text=text(commitment.get("text")),
        ),
        plan_alignment=AlignmentCtx(
            regional_plan=text(alignment.get("regional_plan")),
            local_plan=text(alignment.get("local_plan")),
        ),
        certifying_staff=[
            CertifierCtx(
                name=text(c.get("name")),
                party=party_names.get(str(c.get("party_id")), text(c.get("party_id"))),
                title=text(c.get("title")),
                systems=codes(L.CERTIFICATION_SYSTEM, c.get("systems")),
            )
            for c in certifiers
        ],
        follow_up=FollowUpCtx(
            agreed=yes_no(follow_up.get("agreed")),
            approach=code(L.FOLLOW_UP_APPROACH, follow_up.get("approach")),
            parties=names(follow_up.get("responsible_party_ids")),
            description=text(follow_up.get("description")),
        ),
        signatures=signatures,
        certifier_signatures=[
            PartySignatureCtx(
                party=party_names.get(str(c.get("party_id")), text(c.get("party_id"))),
                party_type="Certifying staff",
                name=text(c.get("name")),
                title=text(c.get("title")),
                signature="",
                date="",
            )
            for c in certifiers
        ],
    )


# ---------------------------------------------------------------------------------------------------------


def template_kind(document: Doc) -> str:
    """The template a document renders with: iep, iss, case_note or mou."""
    doc_type = document.get("doc_type")
    if doc_type == "plan":
        kind = str(document.get("kind"))
        if kind in ("iep", "iss"):
            return kind
        raise ContextError("unknown plan kind")
    if doc_type in ("case_note", "mou"):
        return str(doc_type)
    raise ContextError("only plans, case notes and MOUs are rendered")


def build_context(
    document: Doc,
    *,
    participant: Doc | None = None,
    organisation: str,
    local_area: str,
    version: int | None = None,
    tz: str | None = None,
) -> dict[str, Any]:
    """The template context for a plan, case note or MOU (a participant is needed for plans and notes)."""
    kind = template_kind(document)
    if kind == "mou":
        return dict(
            mou_context(document, organisation=organisation, local_area=local_area, version=version, tz=tz)
        )
    if participant is None:
        raise ContextError("a plan or case note needs its participant")
    if kind == "case_note":
        return dict(
            case_note_context(
                document,
                participant,
                organisation=organisation,
                local_area=local_area,
                version=version,
                tz=tz,
            )
        )
    return dict(plan_context(document, participant, organisation=organisation, local_area=local_area, tz=tz))
