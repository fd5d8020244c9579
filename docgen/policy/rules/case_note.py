"""Submit-time rules on a case note alone (rules.md section 2.7), and the data-entry deadline of plan services."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.contract import codes
from docgen.policy.context import Context
from docgen.policy.dates import add_days, timestamp_date
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.values import Doc, date_of, has_text, items, obj, present, strings

# contract.md `training_topic`: all four must be discussed before training.
TRAINING_TOPICS = codes.TRAINING_TOPIC


def missing_details(doc: Doc, fields: tuple[tuple[str, str], ...]) -> Iterator[Violation]:
    """A finding for each (field, label) of `details` that is absent or blank."""
    details = obj(doc.get("details"))
    for field, label in fields:
        if not present(details, field):
            yield Violation(pointer("details", field), f"Give {label}.")


def missing_plan_id(doc: Doc) -> Iterator[Violation]:
    if not present(doc, "plan_id"):
        yield Violation(pointer("plan_id"), "Name the plan this case note is about.")


@register(
    "casenote.narrative",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="case_note",
    description="`narrative` non-empty.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Case notes must be written in such detail so that the participant’s status is easily determined.",
    ),
)
def casenote_narrative(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not has_text(doc.get("narrative")):
        yield Violation(
            pointer("narrative"),
            "Write the case note in enough detail that the participant's status is easily determined.",
        )


@register(
    "casenote.not_future",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="case_note",
    description="`occurred_on ≤` the local date of `recorded_at`.",
    citations=cite("structural", "A case note records what has already happened."),
)
def casenote_not_future(doc: Doc, ctx: Context) -> Iterator[Violation]:
    occurred, recorded = date_of(doc, "occurred_on"), timestamp_date(doc.get("recorded_at"))
    if occurred is not None and recorded is not None and occurred > recorded:
        yield Violation(
            pointer("occurred_on"),
            "The case note describes an event after the date it was entered; a case note records what has "
            "already happened.",
        )


@register(
    "entry.deadline",
    severity="warning",
    scope="S",
    applies_to=("case_note", "plan"),
    entity="case_note, service",
    description=(
        "Date of `recorded_at ≤ D(occurred_on)`; for a service with `recorded_at`, date of "
        "`recorded_at ≤ D(start_on)`."
    ),
    citations=(
        *cite("001_b3f9e53fd79f6b88.txt", "within ten (10) calendar days of the service delivery"),
        *cite("004_79a53be2a09ade33.txt", "staff are allowed up to three business days."),
    ),
)
def entry_deadline(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("doc_type") == "plan":
        for i, service in items(doc.get("services")):
            start, recorded = date_of(service, "start_on"), timestamp_date(service.get("recorded_at"))
            if start is not None and recorded is not None and recorded > ctx.deadline(start):
                yield Violation(
                    pointer("services", i, "recorded_at"),
                    f"This service was entered after its data-entry deadline ({ctx.deadline(start).isoformat()}).",
                )
        return
    occurred, recorded = date_of(doc, "occurred_on"), timestamp_date(doc.get("recorded_at"))
    if occurred is not None and recorded is not None and recorded > ctx.deadline(occurred):
        yield Violation(
            pointer("recorded_at"),
            f"This case note was entered after its data-entry deadline ({ctx.deadline(occurred).isoformat()}).",
        )


@register(
    "outcome.deadline",
    severity="warning",
    scope="S",
    applies_to=("case_note",),
    entity="training_end",
    description=(
        "If `details.credential_learned_on`: date of `recorded_at ≤ credential_learned_on + "
        "CLOSURE_OUTCOME_DEADLINE_DAYS`."
    ),
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "credentials and/or Measurable Skill Gains attained must be entered within ten (10) days of learning of "
        "the attainment.",
    ),
)
def outcome_deadline(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "training_end":
        return
    learned = date_of(obj(doc.get("details")), "credential_learned_on")
    recorded = timestamp_date(doc.get("recorded_at"))
    if learned is None or recorded is None:
        return
    days = ctx.settings.CLOSURE_OUTCOME_DEADLINE_DAYS
    if recorded > add_days(learned, days):
        yield Violation(
            pointer("recorded_at"),
            f"A credential must be entered within {days} days of learning of it; this note was entered later.",
        )


@register(
    "casenote.introduction",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="introduction",
    description="`details.status_at_participation`, `details.need_for_services` non-empty.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "A complete description of the status of the individual at participation including an explanation of "
        "their overall need for services.",
    ),
)
def casenote_introduction(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") == "introduction":
        yield from missing_details(
            doc,
            (
                ("status_at_participation", "the participant's status at participation"),
                ("need_for_services", "the participant's overall need for services"),
            ),
        )


@register(
    "casenote.assessment",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="assessment",
    description="`details.assessment_id` present.",
    citations=cite("002_841c2e41ff1cf029.txt", "Example Assessment Snapshot, Case Note and IEP Development"),
)
def casenote_assessment(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") == "assessment":
        yield from missing_details(doc, (("assessment_id", "the assessment this note is about"),))


@register(
    "casenote.plan_development",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="plan_development",
    description="`plan_id`, `details.plan_version`, `details.developed_jointly = true`.",
    citations=cite(
        "004_79a53be2a09ade33.txt",
        "case notes that the plan was development in conjunction with both the customer and staff.",
    ),
)
def casenote_plan_development(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "plan_development":
        return
    yield from missing_plan_id(doc)
    yield from missing_details(doc, (("plan_version", "the plan version developed"),))
    if obj(doc.get("details")).get("developed_jointly") is not True:
        yield Violation(
            pointer("details", "developed_jointly"),
            "Record that the plan was developed jointly with the participant.",
        )


@register(
    "casenote.service",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="service",
    description="`service_ids` has ≥ 1 id.",
    citations=cite(
        "004_79a53be2a09ade33.txt",
        "Case notes must be entered for each service/activity provided and support/justify the delivered service.",
    ),
)
def casenote_service(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") == "service" and not strings(doc.get("service_ids")):
        yield Violation(pointer("service_ids"), "Name the service this case note documents.")


@register(
    "casenote.contact",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="contact",
    description="`contact.mode` and `contact.two_way` present.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Career planners must conduct two-way communication with the participant that can include phone, email, "
        "text, or other methods",
    ),
)
def casenote_contact(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "contact":
        return
    contact = obj(doc.get("contact"))
    if not present(contact, "mode"):
        yield Violation(
            pointer("contact", "mode"), "Give how the contact was made (phone, email, in person, ...)."
        )
    if not isinstance(contact.get("two_way"), bool):
        yield Violation(
            pointer("contact", "two_way"),
            "Record whether the contact was two-way communication with the participant.",
        )


@register(
    "casenote.training_need",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="training_need",
    description=(
        "`training_program`, `suitability` non-empty; `topics_discussed` contains all four `training_topic` codes."
    ),
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "The career planner must document the suitability of the training/retraining program with participant’s "
        "needs.",
        "Conversations must include discussions on local labor market conditions",
    ),
)
def casenote_training_need(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "training_need":
        return
    yield from missing_details(
        doc,
        (
            ("training_program", "the training program"),
            ("suitability", "why the training suits the participant's needs"),
        ),
    )
    discussed = strings(obj(doc.get("details")).get("topics_discussed"))
    missing = [topic for topic in TRAINING_TOPICS if topic not in discussed]
    if missing:
        yield Violation(
            pointer("details", "topics_discussed"),
            "The training conversation must cover every topic; not yet discussed: "
            + ", ".join(missing)
            + ".",
        )


@register(
    "casenote.training_begin",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="training_begin",
    description="`training_begin_on`, `training_program`, `training_provider`, `approximate_cost`, `planned_end_on`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "the date the training began, training program, training provider/school, approximate cost, and planned "
        "end date.",
    ),
)
def casenote_training_begin(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") == "training_begin":
        yield from missing_details(
            doc,
            (
                ("training_begin_on", "the date the training began"),
                ("training_program", "the training program"),
                ("training_provider", "the training provider or school"),
                ("approximate_cost", "the approximate cost of the training"),
                ("planned_end_on", "the planned end date of the training"),
            ),
        )


@register(
    "casenote.training_end",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="training_end",
    description="`training_end_on`, `training_program`, `completed`, `credential_status`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "date training ended, the name of the program, whether the participant completed the training, and "
        "credential/license status.",
    ),
)
def casenote_training_end(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") == "training_end":
        yield from missing_details(
            doc,
            (
                ("training_end_on", "the date the training ended"),
                ("training_program", "the name of the training program"),
                ("completed", "whether the participant completed the training"),
                ("credential_status", "the credential or license status"),
            ),
        )


@register(
    "casenote.barrier",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="barrier",
    description="`barrier_category`, `how_addressed`, `by_whom.name`.",
    citations=cite(
        "000_78460e8ebaad135a.txt",
        "Any related problems that may arise must be recorded in case notes.",
        "note how each barrier or need will be addressed and by whom.",
    ),
)
def casenote_barrier(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "barrier":
        return
    yield from missing_details(
        doc,
        (("barrier_category", "the kind of barrier"), ("how_addressed", "how the barrier will be addressed")),
    )
    details = obj(doc.get("details"))
    if "by_whom" not in details:
        yield Violation(pointer("details", "by_whom"), "Say who will address the barrier.")
    elif not has_text(obj(details.get("by_whom")).get("name")):
        yield Violation(pointer("details", "by_whom", "name"), "Say who will address the barrier.")


@register(
    "casenote.coordination",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="coordination",
    description="`details.partner_program` non-empty.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Case notes should also indicate cross-program coordination of services and contacts with staff in other "
        "programs.",
    ),
)
def casenote_coordination(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") == "coordination":
        yield from missing_details(doc, (("partner_program", "the partner program coordinated with"),))


@register(
    "casenote.review",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="iep_iss_review",
    description="`plan_id`, `details.plan_version`, `on_track = true`, `changes_made = false`.",
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "the account/file has been reviewed, the customer is on track with plan, and no changes or updates are "
        "being made.",
    ),
)
def casenote_review(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "iep_iss_review":
        return
    yield from missing_plan_id(doc)
    yield from missing_details(doc, (("plan_version", "the plan version reviewed"),))
    details = obj(doc.get("details"))
    if details.get("on_track") is not True:
        yield Violation(
            pointer("details", "on_track"),
            "An IEP/ISS Review note records that the participant is on track; if the plan must change, "
            "update it and enter an IEP/ISS Review/Update note instead.",
        )
    if details.get("changes_made") is not False:
        yield Violation(
            pointer("details", "changes_made"),
            "An IEP/ISS Review note records that no changes were made; for changes, enter an IEP/ISS "
            "Review/Update note instead.",
        )


@register(
    "casenote.review_update",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="iep_iss_review_update",
    description=(
        "`plan_id`, `plan_version`, `changes_made = true`, `agreed_with_participant = true`, `change_summary`."
    ),
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "If changes/updates have been jointly agreed upon with customer, make modification of plan",
        "Enter a Case Note with subject “IEP/ISS Review/Update”.",
    ),
)
def casenote_review_update(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "iep_iss_review_update":
        return
    yield from missing_plan_id(doc)
    yield from missing_details(
        doc,
        (("plan_version", "the new plan version"), ("change_summary", "a summary of the changes")),
    )
    details = obj(doc.get("details"))
    if details.get("changes_made") is not True:
        yield Violation(
            pointer("details", "changes_made"),
            "An IEP/ISS Review/Update note records changes to the plan; without changes, enter an IEP/ISS "
            "Review note instead.",
        )
    if details.get("agreed_with_participant") is not True:
        yield Violation(
            pointer("details", "agreed_with_participant"),
            "Changes to the plan must be agreed with the participant; record the agreement.",
        )


@register(
    "casenote.copy_provided",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="participant_copy_provided",
    description="`plan_id`, `plan_version`, `provided_on`, `method`.",
    citations=cite(
        "004_79a53be2a09ade33.txt", "Case notes reflect the customer received a copy of the plan."
    ),
)
def casenote_copy_provided(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "participant_copy_provided":
        return
    yield from missing_plan_id(doc)
    yield from missing_details(
        doc,
        (
            ("plan_version", "the plan version given"),
            ("provided_on", "the date the copy was given"),
            ("method", "how the copy was given"),
        ),
    )


@register(
    "casenote.exit",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="exit",
    description=(
        "`exit_on`, `employment_status`; if `employed`: `employer_name`, `hire_date`, `hours_per_week`, `wage`, "
        "`wage_unit`."
    ),
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "A full description of the participant’s status at exit must be case noted",
        "employer name, hire date, hours, and wage.",
        "Any exclusion must also be described",
    ),
)
def casenote_exit(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "exit":
        return
    yield from missing_details(
        doc,
        (("exit_on", "the exit date"), ("employment_status", "the participant's employment status at exit")),
    )
    if obj(doc.get("details")).get("employment_status") == "employed":
        yield from missing_details(
            doc,
            (
                ("employer_name", "the employer's name"),
                ("hire_date", "the hire date"),
                ("hours_per_week", "the hours per week"),
                ("wage", "the wage"),
                ("wage_unit", "the wage unit (hour, week, month or year)"),
            ),
        )


@register(
    "casenote.follow_up",
    severity="error",
    scope="S",
    applies_to=("case_note",),
    entity="follow_up",
    description="`services_provided` or `information_provided` non-empty.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "A full description of the follow-up services and information provided to WIOA Title IB participants.",
    ),
)
def casenote_follow_up(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("type") != "follow_up":
        return
    details = obj(doc.get("details"))
    if not (has_text(details.get("services_provided")) or has_text(details.get("information_provided"))):
        yield Violation(
            pointer("details", "services_provided"),
            "Describe the follow-up services or information provided.",
        )
