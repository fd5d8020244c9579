"""The JSON data contract (shared/domain/contract.md) as marshmallow schemas.

Written against the contract's tables: field names as the contract spells them, enums from its code lists
(docgen.contract.codes). Required (`required=True`) = the contract's `yes`; `policy` and `cond.` fields are
optional here because the named policy rule reports their absence; `no` fields are optional. A `text` field
must be non-empty after trimming, except a `policy` text (or a `cond.` text whose condition a policy rule
checks): there an empty text counts as absent and the policy rule reports it (rules.md section 1).

Schemas reject unknown fields and `null`. Structural conditionals (rules.md `doc.schema`) are each schema's
`structural()` check, run by marshmallow after the fields pass and by the compiled valid-path checker alike.

These schemas validate; they do not convert: loading returns the input values unchanged. flask-smorest uses
them to document the API (component names are the class names without `Schema`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, validates_schema

from docgen.contract import codes
from docgen.contract.fields import (
    LANGUAGE_TAG_PATTERN,
    MAX_LANGUAGE_TAG,
    MAX_RECORD_ITEMS,
    Boolean,
    Code,
    Date,
    Email,
    Id,
    Integer,
    Items,
    NonNegativeNumber,
    Object,
    Pattern,
    Text,
    Timestamp,
)

UNKNOWN_FIELD = "Unknown field: it is not part of the contract. Remove it."
NOT_AN_OBJECT = "Must be a JSON object."

# A structural problem: the path of the field inside the object, and the message.
Problem = tuple[tuple[str, ...], str]


def _schema_messages() -> dict[str, str]:
    return {"unknown": UNKNOWN_FIELD, "type": NOT_AN_OBJECT}


class ContractSchema(Schema):
    """Base of every contract schema: unknown fields rejected, plain messages, structural checks."""

    class Meta:
        unknown = RAISE

    error_messages = _schema_messages()

    @staticmethod
    def structural(data: Mapping[str, Any]) -> Iterator[Problem]:
        """Conditional requirements between fields of this object; `data` has passed every field check."""
        return iter(())

    @validates_schema
    def _check_structural(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        for path, message in self.structural(data):
            node = errors
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node.setdefault(path[-1], []).append(message)
        if errors:
            raise ValidationError(errors)


# --- field constructors: the contract's types, one word each -------------------------------------------------


def _d(description: str) -> dict[str, str]:
    return {"description": description}


def nonblank(description: str, *, required: bool = False) -> Text:
    """Contract `text`: non-empty after trimming."""
    return Text(required=required, metadata=_d(description))


def policy_text(description: str) -> Text:
    """A `text` whose absence or emptiness a policy rule reports (so the schema accepts it empty)."""
    return Text(blank_ok=True, metadata=_d(description))


def string(description: str) -> Text:
    """Contract `string`: any string up to the length cap."""
    return Text(blank_ok=True, metadata=_d(description))


def ident(description: str, *, required: bool = False) -> Id:
    return Id(required=required, metadata=_d(description))


def ids(description: str, *, required: bool = False, min_items: int = 0) -> Items:
    return Items(Id(), required=required, min_items=min_items, metadata=_d(description))


def code(choices: tuple[str, ...], description: str, *, required: bool = False) -> Code:
    return Code(choices, required=required, metadata=_d(description))


def codes_list(
    choices: tuple[str, ...], description: str, *, required: bool = False, min_items: int = 0
) -> Items:
    return Items(Code(choices), required=required, min_items=min_items, metadata=_d(description))


def date(description: str, *, required: bool = False) -> Date:
    return Date(required=required, metadata=_d(description))


def timestamp(description: str, *, required: bool = False) -> Timestamp:
    return Timestamp(required=required, metadata=_d(description))


def boolean(description: str, *, required: bool = False) -> Boolean:
    return Boolean(required=required, metadata=_d(description))


def money(description: str) -> NonNegativeNumber:
    return NonNegativeNumber(
        message="Must be an amount in US dollars: a number from 0 to 1,000,000,000.", metadata=_d(description)
    )


def email_address(description: str) -> Email:
    return Email(metadata=_d(description))


def nested(schema: type[Schema], description: str, *, required: bool = False) -> Object:
    return Object(schema, required=required, metadata=_d(description))


def nested_list(
    schema: type[Schema],
    description: str,
    *,
    required: bool = False,
    min_items: int = 0,
    max_items: int | None = None,
) -> Items:
    bound = {} if max_items is None else {"max_items": max_items}
    return Items(Object(schema), required=required, min_items=min_items, metadata=_d(description), **bound)


def doc_type(value: str) -> Code:
    return Code((value,), required=True, metadata=_d(f'Document type discriminator: always "{value}".'))


# --- shared objects (contract.md section 1) ---------------------------------------------------------------------


class StaffSchema(ContractSchema):
    """A staff member: career planner, author, assessor."""

    name = nonblank("Full name.", required=True)
    email = email_address("Work email address.")
    phone = string("Work phone number.")
    title = string("Job title, e.g. Career Planner.")
    organization = string("Employing organisation.")


class SignatureSchema(ContractSchema):
    """A signature, present once the signatory has signed."""

    signed_at = timestamp("When the signer signed (the form is signed and dated).", required=True)
    method = code(
        codes.SIGNATURE_METHOD,
        "How it was signed; must be allowed by the SIGNATURE_METHODS setting (esign.method).",
        required=True,
    )
    evidence_ref = string(
        "E-signature envelope/audit-trail id (required for electronic, esign.method); for wet_ink, the scan id."
    )


class ByWhomSchema(ContractSchema):
    """Who addresses a barrier."""

    name = policy_text("Person or organisation addressing it (plan.barriers / casenote.barrier).")
    party_type = code(codes.BY_WHOM_PARTY, "Kind of party.", required=True)


# --- participant (section 3) -------------------------------------------------------------------------------------


class ReleaseOfInformationSchema(ContractSchema):
    """A release of information signed by the participant (privacy.roi)."""

    recipient_type = code(codes.ROI_RECIPIENT_TYPE, "Kind of recipient.", required=True)
    recipient_name = nonblank("Who may receive the participant's information.", required=True)
    purpose = nonblank("What the information is released for.")
    signed_on = date("Date the participant signed the release.", required=True)
    expires_on = date("Date the release expires.")
    revoked_on = date("Date the participant revoked the release.")
    document_ref = string("Reference of the stored signed release.")


class ConsentsSchema(ContractSchema):
    """Confidentiality and signature consents."""

    release_of_information = nested_list(
        ReleaseOfInformationSchema, "Signed releases of information (may be empty).", required=True
    )
    electronic_signature_consent = boolean(
        "The participant agreed to sign electronically (esign.method).", required=True
    )


class ParticipantExitSchema(ContractSchema):
    """Program exit, present once the participant has exited."""

    exit_on = date("Program exit date.", required=True)
    exit_kind = code(codes.EXIT_KIND, "exit, or soft_exit (system-generated after 90 days).", required=True)
    reason = code(codes.EXIT_REASON, "Why the participant exited.", required=True)
    last_service_on = date("Last date a service was provided (exit is effective that date).", required=True)
    exclusion_reason = nonblank("Exclusion from performance, described.")


class ParticipantSchema(ContractSchema):
    """A WIOA Title I participant."""

    doc_type = doc_type("participant")
    id = ident("Participant id.", required=True)
    first_name = nonblank("Legal first name.", required=True)
    last_name = nonblank("Legal last name.", required=True)
    middle_name = string("Middle name.")
    program = code(codes.PROGRAM, "WIOA Title I program (title certified).", required=True)
    youth_status = code(
        codes.YOUTH_STATUS, "In-school or out-of-school youth; youth only (part.youth_status)."
    )
    preferred_language = Pattern(
        LANGUAGE_TAG_PATTERN,
        "Must be a BCP 47 language tag, for example en or es-MX.",
        max_length=MAX_LANGUAGE_TAG,
        required=True,
        metadata=_d("Language for forms and communication (BCP 47 tag, e.g. en, es)."),
    )
    english_language_learner = boolean("English language learner (selects the ELL basic-skills tests).")
    email = email_address("Contact email; e-signature delivery.")
    phone = string("Contact phone number.")
    ssn_last4 = Pattern(
        "^[0-9]{4}$",
        "Must be exactly four digits.",
        max_length=4,
        metadata=_d("Last four digits of the SSN: the only SSN data accepted (pii.no_ssn)."),
    )
    applied_on = date("WIOA application date.", required=True)
    eligibility_determined_on = date("Eligibility determination date (elig.30days).", required=True)
    certified_on = date("Enrollment/certification date; no service is recorded before it.", required=True)
    basic_skills_deficient = boolean("Outcome of basic-skills screening or testing.")
    concurrent_programs = Items(
        Text(blank_ok=True), metadata=_d("Partner programs the participant is co-enrolled in.")
    )
    career_planner = nested(StaffSchema, "Assigned career planner.")
    consents = nested(ConsentsSchema, "Confidentiality and signature consents.", required=True)
    exit = nested(ParticipantExitSchema, "Present once the participant has exited.")


# --- assessment (section 4) --------------------------------------------------------------------------------------


class AssessmentToolSchema(ContractSchema):
    """An instrument used in an assessment."""

    tool = code(codes.ASSESSMENT_TOOL, "The instrument.", required=True)
    name = nonblank("Name of the instrument; required when tool is other.")
    formal = boolean(
        "Standardized test or survey (true) or informal observation/discussion (false).", required=True
    )
    administered_on = date("Date administered.")
    result = policy_text("Result; required for formal tools (assess.results).")

    @staticmethod
    def structural(data: Mapping[str, Any]) -> Iterator[Problem]:
        if data.get("tool") == "other" and "name" not in data:
            yield ("name",), "Required when tool is other: name the instrument."


class AreaFindingSchema(ContractSchema):
    """One assessment area reviewed, with its finding."""

    area = code(codes.ASSESSMENT_AREA, "Assessment area.", required=True)
    finding = policy_text("What the review found (assess.areas).")


class AssessmentSchema(ContractSchema):
    """An assessment of the participant (objective = the comprehensive objective assessment)."""

    doc_type = doc_type("assessment")
    id = ident("Assessment id.", required=True)
    participant_id = ident("The participant assessed.", required=True)
    conducted_on = date("Date the assessment was completed.", required=True)
    kind = code(codes.ASSESSMENT_KIND, "objective (comprehensive) or subjective.", required=True)
    source = code(
        codes.ASSESSMENT_SOURCE,
        "Who provided it (external ones must be recent, assess.recent).",
        required=True,
    )
    partner_program = nonblank(
        "The WIOA partner program that provided it; required when source is partner_program."
    )
    conducted_by = nested(StaffSchema, "Who conducted it.")
    tools = nested_list(AssessmentToolSchema, "Instruments used (at least one).", required=True, min_items=1)
    areas = nested_list(AreaFindingSchema, "One entry per assessment area reviewed (assess.areas).")
    strengths = nonblank("Participant strengths.")
    service_needs = nonblank("Service needs.")
    barriers_identified = codes_list(codes.BARRIER_CATEGORY, "Barriers found.")
    suitability = nonblank("Suitability for goals/training (informed choice).")
    summary = nonblank("Objective Assessment Summary (OAS) narrative.", required=True)
    basic_skills_test_exception = nonblank(
        "Documented exception to basic-skills testing (assess.basic_skills_test)."
    )

    @staticmethod
    def structural(data: Mapping[str, Any]) -> Iterator[Problem]:
        if data.get("source") == "partner_program" and "partner_program" not in data:
            yield ("partner_program",), "Required when source is partner_program: name the partner program."


# --- plan (section 5) --------------------------------------------------------------------------------------------


class JustificationSchema(ContractSchema):
    """Why the IEP's goals are appropriate (iep.justification)."""

    text = policy_text("The justification.")
    based_on = codes_list(
        codes.JUSTIFICATION_BASIS, "What it rests on: assessment, interview, previous employment."
    )
    skill_gap = nonblank("The participant's skill gap.")


class ObjectiveSchema(ContractSchema):
    """A step toward a goal."""

    id = ident("Objective id, unique within the plan.", required=True)
    description = nonblank("S.M.A.R.T.E.R. step toward the goal.", required=True)
    predefined_code = string("Local pre-defined objective code.")
    start_on = date("Established start date (objective.dates).")
    target_on = date("Projected end/review date (objective.dates).")
    completed_on = date("Completion date; required when closed (objective.close).")
    status = code(codes.OBJECTIVE_STATUS, "open or closed.", required=True)
    outcome = code(codes.OBJECTIVE_OUTCOME, "Outcome; required when closed (objective.close).")
    comments = policy_text("Why the objective is necessary (objective.comments).")
    service_ids = ids("Services of this plan that carry out the objective.")


class GoalSchema(ContractSchema):
    """An employment or (youth) education goal."""

    id = ident("Goal id, unique within the plan.", required=True)
    kind = code(codes.GOAL_KIND, "employment, or education (youth only).", required=True)
    term = code(codes.GOAL_TERM, "short, intermediate or long term.", required=True)
    description = nonblank("Industry, career or education targeted.", required=True)
    opened_on = date("Date the goal was opened; objectives may not start before it.", required=True)
    projected_end_on = date("End of the goal's defined time period (goal.dates).", required=True)
    status = code(codes.GOAL_STATUS, "open or closed.", required=True)
    closed_on = date("Date closed; required when closed (goal.dates).")
    outcome = code(codes.GOAL_OUTCOME, "attained or not; expected when closed (goal.outcome).")
    linked_employment_goal_id = ident(
        "For an education goal: the employment goal it serves (goal.education_link)."
    )
    objectives = nested_list(ObjectiveSchema, "Objectives of this goal (may be empty).", required=True)


class BarrierSchema(ContractSchema):
    """A barrier or need, with how and by whom it is addressed (plan.barriers)."""

    id = ident("Barrier id, unique within the plan.", required=True)
    category = code(codes.BARRIER_CATEGORY, "Kind of barrier; other needs a description.", required=True)
    description = policy_text("The barrier.")
    strategy = policy_text("How it will be addressed: action steps, including referrals.")
    by_whom = nested(ByWhomSchema, "Who addresses it.")
    service_ids = ids("Services of this plan that address it (plan.barrier_services).")
    status = code(codes.BARRIER_STATUS, "open or resolved.")

    @staticmethod
    def structural(data: Mapping[str, Any]) -> Iterator[Problem]:
        if data.get("category") == "other" and "description" not in data:
            yield ("description",), "Required when category is other: describe the barrier."


class ServiceProviderSchema(ContractSchema):
    """Who provides a service."""

    name = nonblank("Provider name.", required=True)
    kind = code(codes.PROVIDER_KIND, "Kind of provider.", required=True)


class ServiceSchema(ContractSchema):
    """A service (episode) of the plan."""

    id = ident(
        "Service id, unique within the participant's record; kept across plan versions.", required=True
    )
    type = code(codes.SERVICE_TYPE, "Named service.", required=True)
    category = code(codes.SERVICE_CATEGORY, "Service category; must be allowed for the type.", required=True)
    name = nonblank("Display name.", required=True)
    local_code = string("Code in the local case-management system, e.g. 1A/1D 202.")
    provider = nested(ServiceProviderSchema, "Who provides the service.", required=True)
    start_on = date("Service date as recorded (on or after certification, svc.after_cert).", required=True)
    actual_start_on = date("Real date, only when delivered before certification (svc.precert_note).")
    planned_end_on = date("Planned end; required for training and planned_gap services.")
    end_on = date("Last date the service was received.")
    completion_status = code(codes.COMPLETION_STATUS, "Required once end_on is set (svc.close).")
    approximate_cost = money("Approximate cost in US dollars; required for training (svc.training).")
    supportive_kind = code(
        codes.SUPPORTIVE_KIND,
        "What a supportive service or partner referral covers; required for supportive, not allowed otherwise.",
    )
    description = policy_text("Reason for a planned gap (svc.planned_gap).")
    recorded_at = timestamp("When the service was entered in the system of record (entry.deadline).")

    @staticmethod
    def structural(data: Mapping[str, Any]) -> Iterator[Problem]:
        service_type = data.get("type")
        category = data.get("category")
        allowed = codes.SERVICE_TYPE_CATEGORIES.get(service_type) if isinstance(service_type, str) else None
        if allowed is not None and category not in allowed:
            yield ("category",), f"A {service_type} service must have category {' or '.join(allowed)}."
        if category == "supportive" and "supportive_kind" not in data:
            yield ("supportive_kind",), "Required for a supportive service: say what it covers."
        elif category not in ("supportive", "partner") and "supportive_kind" in data:
            yield (
                ("supportive_kind",),
                "Only supportive services and partner referrals have a supportive_kind.",
            )


class InformedChoiceSchema(ContractSchema):
    """Informed-choice conversations for training (iep.informed_choice)."""

    training_program = policy_text("Training program chosen.")
    training_provider = policy_text("Training provider/school.")
    target_occupation = nonblank("Occupation the training leads to.")
    local_labor_market_conditions = policy_text("What was discussed about local labor market conditions.")
    local_employer_skill_demands = policy_text("What was discussed about local employer skill demands.")
    hiring_prerequisites = policy_text("What was discussed about hiring prerequisites.")
    in_demand_occupations = policy_text("What was discussed about in-demand occupations.")
    training_suitable = boolean("The training is suitable for the participant.")
    leads_to_sustainable_employment = boolean("The training will lead to sustainable employment.")
    discussed_on = date("Date of the conversation.")


class PerformanceLinkSchema(ContractSchema):
    """A direct link to a WIOA performance indicator."""

    indicator = code(codes.PERFORMANCE_INDICATOR, "Performance indicator.", required=True)
    rationale = nonblank("How the plan links to it.")


class ProgressTrackingSchema(ContractSchema):
    """How progress is tracked (plan.tracking)."""

    method = policy_text("Method for tracking progress.")
    next_steps = policy_text("Next steps identified.")


class YouthElementSchema(ContractSchema):
    """A WIOA youth program element documented for the participant."""

    element = code(codes.YOUTH_ELEMENT, "One of the 14 program elements (20 CFR 681.460(a)).", required=True)
    delivery = code(codes.YOUTH_ELEMENT_DELIVERY, "Provided directly or by referral.", required=True)
    provider = nonblank("Who provides it.")
    service_ids = ids("Services of this plan that deliver it.")


class RevisionSchema(ContractSchema):
    """What changed in this plan version and the participant's agreement (plan.revision)."""

    revised_on = date("Date of the revision.", required=True)
    summary = nonblank("What changed.", required=True)
    participant_agreed = boolean("The participant agreed to the changes (must be true).")
    significant_changes = codes_list(codes.SIGNIFICANT_CHANGE, "Kinds of significant change.")


class PlanSignatorySchema(ContractSchema):
    """Someone who must sign the plan."""

    role = code(codes.SIGNER_ROLE, "participant or career_planner.", required=True)
    name = nonblank("Signer's name.", required=True)
    email = email_address("Where the signature request is sent.")
    phone = string("Signer's phone number.")
    signature = nested(SignatureSchema, "Absent until signed.")


class PlanSchema(ContractSchema):
    """One version of an Individual Employment Plan (IEP) or Individual Service Strategy (ISS)."""

    doc_type = doc_type("plan")
    id = ident("Plan id, the same for every version.", required=True)
    participant_id = ident("The participant.", required=True)
    kind = code(codes.PLAN_KIND, "iep (adult, dislocated worker) or iss (youth).", required=True)
    version = Integer(minimum=1, required=True, metadata=_d("1 = initial plan; +1 per update."))
    opened_on = date("Date the plan was developed.", required=True)
    status = code(codes.PLAN_STATUS, "open or closed.", required=True)
    closed_on = date("Date closed; required when closed (plan.close).")
    close_reason = code(codes.PLAN_CLOSE_REASON, "Why closed; required when closed (plan.close).")
    career_planner = nested(StaffSchema, "Staff who developed the plan with the participant.", required=True)
    developed_jointly = boolean(
        "Developed jointly by participant and career planner; must be true (plan.jointly)."
    )
    assessment_ids = ids("Assessments the plan is based on (at least one).", required=True, min_items=1)
    justification = nested(JustificationSchema, "IEP: why the goals are appropriate (iep.justification).")
    goals = nested_list(GoalSchema, "Employment/education goals (plan.goals).")
    barriers = nested_list(BarrierSchema, "Every barrier/need identified (may be empty).", required=True)
    services = nested_list(ServiceSchema, "Sequence and mix of services (plan.services).")
    informed_choice = nested(InformedChoiceSchema, "IEP with training: informed-choice conversations.")
    performance_links = nested_list(
        PerformanceLinkSchema, "Links to performance indicators (plan.performance_link)."
    )
    progress_tracking = nested(
        ProgressTrackingSchema, "Method for tracking progress and next steps (plan.tracking)."
    )
    summary = policy_text("ISS: summary of goals, objectives, activities and tools (iss.summary).")
    career_pathway = policy_text("ISS: career pathway (education + employment) (iss.career_pathway).")
    youth_elements = nested_list(YouthElementSchema, "ISS: youth program elements (iss.youth_elements).")
    participant_responsibilities_acknowledged = boolean("Participant informed of their responsibilities.")
    revision = nested(
        RevisionSchema, "Version > 1: what changed and the participant's agreement (plan.revision)."
    )
    signatories = nested_list(PlanSignatorySchema, "Who must sign: participant and career planner.")


# --- case_note (section 6) ---------------------------------------------------------------------------------------


class CaseNoteContactSchema(ContractSchema):
    """The contact a case note records (casenote.contact)."""

    mode = code(codes.CONTACT_MODE, "How the contact happened.")
    two_way = boolean("Two-way communication (false = attempt or one-way).")


class CaseNoteDetailsSchema(ContractSchema):
    """Type-specific content of a case note. Each case-note type allows only its own fields (contract.md
    section 6); which are required is checked by the casenote.<type> rules."""

    status_at_participation = policy_text("introduction: status of the individual at participation.")
    need_for_services = policy_text("introduction: overall need for services.")
    assessment_id = ident("assessment: the assessment documented.")
    plan_version = Integer(
        minimum=1,
        metadata=_d(
            "plan_development, iep_iss_review, iep_iss_review_update, participant_copy_provided: version."
        ),
    )
    developed_jointly = boolean("plan_development: developed jointly with the participant (must be true).")
    actual_service_on = date("service: the real date of a service delivered before certification.")
    training_program = policy_text("training_need, training_begin, training_end: the training program.")
    suitability = policy_text("training_need: suitability of the training for the participant's needs.")
    topics_discussed = codes_list(codes.TRAINING_TOPIC, "training_need: informed-choice topics discussed.")
    training_begin_on = date("training_begin: date training began.")
    training_provider = policy_text("training_begin: training provider/school.")
    approximate_cost = money("training_begin: approximate cost in US dollars.")
    planned_end_on = date("training_begin: planned end date.")
    training_end_on = date("training_end: date training ended.")
    completed = boolean("training_end: the participant completed the training.")
    credential_status = code(codes.CREDENTIAL_STATUS, "training_end: credential/license status.")
    credential_name = nonblank("training_end: credential earned.")
    credential_learned_on = date("training_end: date staff learned of the credential.")
    last_attended_on = date("training_end: last day attended.")
    barrier_category = code(codes.BARRIER_CATEGORY, "barrier: kind of problem.")
    how_addressed = policy_text("barrier: how it is addressed.")
    by_whom = nested(ByWhomSchema, "barrier: who addresses it.")
    partner_program = policy_text("coordination: the other program.")
    partner_contact = nonblank("coordination: staff contacted in the other program.")
    on_track = boolean("iep_iss_review: the participant is on track (must be true).")
    changes_made = boolean("iep_iss_review (false) / iep_iss_review_update (true): the plan was changed.")
    agreed_with_participant = boolean(
        "iep_iss_review_update: changes agreed with the participant (must be true)."
    )
    change_summary = policy_text("iep_iss_review_update: what changed.")
    provided_on = date("participant_copy_provided: date the copy was provided.")
    method = code(codes.COPY_METHOD, "participant_copy_provided: how the copy was provided.")
    exit_on = date("exit: exit date.")
    employment_status = code(codes.EMPLOYMENT_STATUS, "exit: employment status at exit.")
    employer_name = policy_text("exit, if employed: employer name.")
    hire_date = date("exit, if employed: hire date.")
    hours_per_week = NonNegativeNumber(
        message="Must be a number of hours from 0 to 1,000,000,000.",
        metadata=_d("exit, if employed: hours per week."),
    )
    wage = money("exit, if employed: wage in US dollars per wage_unit.")
    wage_unit = code(codes.WAGE_UNIT, "exit, if employed: the period the wage is paid for.")
    exclusion_reason = nonblank("exit: exclusion from performance, described.")
    services_provided = policy_text("follow_up: follow-up services provided.")
    information_provided = policy_text("follow_up: information provided.")


class CaseNoteSchema(ContractSchema):
    """A case note."""

    doc_type = doc_type("case_note")
    id = ident("Case note id.", required=True)
    participant_id = ident("The participant.", required=True)
    type = code(codes.CASE_NOTE_TYPE, "Kind of case note.", required=True)
    occurred_on = date("Date of the service, contact or event described.", required=True)
    recorded_at = timestamp("When the note was entered (entry.deadline).", required=True)
    author = nested(StaffSchema, "Who wrote the note.", required=True)
    narrative = policy_text(
        "Enough detail that the participant's status is easily determined (casenote.narrative)."
    )
    plan_id = ident("The plan concerned (plan_development, reviews, participant_copy_provided).")
    service_ids = ids("Plan services this note documents (at least one for a service note).")
    contact = nested(CaseNoteContactSchema, "The contact, for a contact note (casenote.contact).")
    details = nested(CaseNoteDetailsSchema, "Type-specific content; empty or absent for contact and general.")

    @staticmethod
    def structural(data: Mapping[str, Any]) -> Iterator[Problem]:
        note_type = data.get("type")
        details = data.get("details")
        if not isinstance(note_type, str) or not isinstance(details, Mapping):
            return
        allowed = codes.CASE_NOTE_DETAILS.get(note_type, ())
        for key in details:
            if key not in allowed:
                yield ("details", key), f"Not a detail of a {note_type} case note. Remove it."


# --- mou (section 7) ---------------------------------------------------------------------------------------------


class MouPartySchema(ContractSchema):
    """A party to the MOU."""

    id = ident("Party id, unique within the MOU.", required=True)
    name = nonblank("Organisation name.", required=True)
    party_type = code(codes.MOU_PARTY_TYPE, "applicant, lwia or other qualified organization.", required=True)
    lwia_number = string("LWIA number, e.g. LWIA 7.")


class MouRoleSchema(ContractSchema):
    """A role and who is responsible for it."""

    role = code(codes.MOU_ROLE, "The role.", required=True)
    responsible_party_ids = ids("Parties responsible (at least one).", required=True, min_items=1)
    description = policy_text("Responsibilities (mou.roles).")


class LwiaCommitmentSchema(ContractSchema):
    """The LWIA's commitment to the project (mou.lwia_commitment)."""

    party_id = ident("The committing LWIA party.")
    text = policy_text("The commitment.")


class PlanAlignmentSchema(ContractSchema):
    """How the project aligns with the regional and local plans (mou.plan_alignment)."""

    regional_plan = policy_text("Alignment with the regional plan.")
    local_plan = policy_text("Alignment with the local plan.")


class CertifyingStaffSchema(ContractSchema):
    """Staff qualified to certify and document eligibility."""

    name = nonblank("Staff name.", required=True)
    party_id = ident("The party employing them.", required=True)
    title = nonblank("Job title.")
    systems = codes_list(
        codes.CERTIFICATION_SYSTEM, "Systems they certify in (at least one).", required=True, min_items=1
    )


class MouFollowUpSchema(ContractSchema):
    """The agreement to provide or coordinate follow-up services (mou.follow_up)."""

    agreed = boolean("The applicant agrees to follow-up (must be true).")
    approach = code(codes.FOLLOW_UP_APPROACH, "Provide, coordinate, or both.")
    responsible_party_ids = ids("Parties responsible.")
    description = policy_text("How follow-up is done.")


class MouSignatorySchema(ContractSchema):
    """Someone who signs the MOU for a party."""

    party_id = ident("The party signed for.", required=True)
    name = nonblank("Signer's name.", required=True)
    title = nonblank("Signing role, e.g. Executive Director.", required=True)
    email = email_address("Where the signature request is sent.")
    signature = nested(SignatureSchema, "Absent until signed.")


class MouSchema(ContractSchema):
    """A Memorandum of Understanding between a grant applicant and an LWIA."""

    doc_type = doc_type("mou")
    id = ident("MOU id.", required=True)
    title = nonblank("Title.", required=True)
    effective_on = date("Start of the term.")
    expires_on = date("End of the term.")
    parties = nested_list(
        MouPartySchema, "Applicant, LWIA(s), other qualified organizations (mou.parties).", required=True
    )
    roles = nested_list(MouRoleSchema, "Roles and responsibilities (mou.roles).")
    lwia_commitment = nested(LwiaCommitmentSchema, "The LWIA's commitment to the project.")
    plan_alignment = nested(PlanAlignmentSchema, "Alignment with the regional and local plans.")
    serves_incumbent_workers = boolean("The project has incumbent worker trainees.", required=True)
    certifying_staff = nested_list(
        CertifyingStaffSchema, "Staff qualified to certify eligibility (mou.certifier)."
    )
    follow_up = nested(MouFollowUpSchema, "Follow-up agreement (mou.follow_up).")
    signatories = nested_list(MouSignatorySchema, "At least one per party (mou.signatories).")


# --- record (section 8) ------------------------------------------------------------------------------------------


class RecordSchema(ContractSchema):
    """A participant record bundle: complete documents, each keeping its doc_type."""

    doc_type = doc_type("record")
    as_of = date("Evaluation date for tracking rules; without it tracking rules are not run.")
    participant = nested(ParticipantSchema, "The participant.", required=True)
    assessments = nested_list(
        AssessmentSchema, "Assessments (may be empty).", required=True, max_items=MAX_RECORD_ITEMS
    )
    plans = nested_list(
        PlanSchema,
        "All plan versions; the highest version per id is current.",
        required=True,
        max_items=MAX_RECORD_ITEMS,
    )
    case_notes = nested_list(
        CaseNoteSchema, "Case notes (may be empty).", required=True, max_items=MAX_RECORD_ITEMS
    )


SCHEMAS_BY_DOC_TYPE: dict[str, type[ContractSchema]] = {
    "participant": ParticipantSchema,
    "assessment": AssessmentSchema,
    "plan": PlanSchema,
    "case_note": CaseNoteSchema,
    "mou": MouSchema,
    "record": RecordSchema,
}
