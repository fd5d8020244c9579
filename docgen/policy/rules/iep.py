"""Submit-time rules on an IEP (plan with `kind = iep`) alone (rules.md section 2.5)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.rules.plan import has_goals, has_objectives, has_services, objectives
from docgen.policy.values import Doc, date_of, has_text, items, obj, strings

REQUIRED_BASES = ("assessment", "interview")
INFORMED_CHOICE_TEXTS = (
    ("training_program", "the training program"),
    ("training_provider", "the training provider"),
    ("local_labor_market_conditions", "local labor market conditions"),
    ("local_employer_skill_demands", "local employer skill demands"),
    ("hiring_prerequisites", "hiring prerequisites"),
    ("in_demand_occupations", "in-demand occupations"),
)
INFORMED_CHOICE_ANSWERS = (
    ("training_suitable", "whether the training is suitable for the participant"),
    ("leads_to_sustainable_employment", "whether the training leads to sustainable employment"),
)


def is_iep(plan: Doc) -> bool:
    return plan.get("kind") == "iep"


def training_services(plan: Doc) -> list[tuple[int, Doc]]:
    return [(i, s) for i, s in items(plan.get("services")) if s.get("category") == "training"]


@register(
    "iep.goals",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="≥ 1 goal with `kind = employment`.",
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "The plan must identify employment goals for Adult, Dislocated, and Youth or education for Youth",
    ),
)
def iep_goals(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iep(doc) or not has_goals(doc):
        return
    if not any(goal.get("kind") == "employment" for _, goal in items(doc.get("goals"))):
        yield Violation(pointer("goals"), "An IEP must identify at least one employment goal.")


@register(
    "iep.goal_terms",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="≥ 1 goal with `term = short` and ≥ 1 with `term = long`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Goals and Objectives – Including short-term and long-term goals as well as Intermediate objectives.",
    ),
)
def iep_goal_terms(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iep(doc) or not has_goals(doc):
        return
    terms = {goal.get("term") for _, goal in items(doc.get("goals"))}
    for term in ("short", "long"):
        if term not in terms:
            yield Violation(pointer("goals"), f"The IEP should include a {term}-term goal.")


@register(
    "iep.justification",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`justification.text` non-empty and `based_on` ⊇ {`assessment`, `interview`}.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Justification - Why the short-term and long-term goals are appropriate for the participant",
        "must be based on assessment information, an interview with the participant",
    ),
)
def iep_justification(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iep(doc):
        return
    if "justification" not in doc:
        yield Violation(
            pointer("justification"),
            "Justify why the goals are appropriate for the participant, based on the assessment and an "
            "interview.",
        )
        return
    justification = obj(doc.get("justification"))
    if not has_text(justification.get("text")):
        yield Violation(
            pointer("justification", "text"),
            "Write why the goals are appropriate for the participant.",
        )
    based_on = strings(justification.get("based_on"))
    missing = [basis for basis in REQUIRED_BASES if basis not in based_on]
    if missing:
        yield Violation(
            pointer("justification", "based_on"),
            "The justification must be based on the assessment and an interview with the participant; "
            "missing: " + ", ".join(missing) + ".",
        )


@register(
    "iep.justification_work",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description=(
        "`based_on` includes `previous_employment_skills` (warning: a participant may have no work history)."
    ),
    citations=cite("001_b3f9e53fd79f6b88.txt", "and skills obtained from previous employment."),
)
def iep_justification_work(doc: Doc, ctx: Context) -> Iterator[Violation]:
    justification = obj(doc.get("justification"))
    # A missing justification or basis is iep.justification's finding.
    if not is_iep(doc) or "based_on" not in justification:
        return
    if "previous_employment_skills" not in strings(justification.get("based_on")):
        yield Violation(
            pointer("justification", "based_on"),
            "If the participant has work history, base the justification also on skills from previous "
            "employment.",
        )


@register(
    "iep.informed_choice",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description=(
        "If any training service: `informed_choice` present with non-empty `training_program`, "
        "`training_provider`, `local_labor_market_conditions`, `local_employer_skill_demands`, "
        "`hiring_prerequisites`, `in_demand_occupations`, and boolean `training_suitable`, "
        "`leads_to_sustainable_employment`."
    ),
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "the IEP and case notes must document the conversations between the career planner and the participant",
        "Conversations must include discussions on local labor market conditions, local employer skill demands, "
        "hiring pre-requisites",
    ),
)
def iep_informed_choice(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iep(doc) or not training_services(doc):
        return
    if "informed_choice" not in doc:
        yield Violation(
            pointer("informed_choice"),
            "The IEP includes training: document the informed-choice conversation (program, provider, local "
            "labor market, employer skill demands, hiring prerequisites, in-demand occupations, suitability).",
        )
        return
    choice = obj(doc.get("informed_choice"))
    for field, label in INFORMED_CHOICE_TEXTS:
        if not has_text(choice.get(field)):
            yield Violation(pointer("informed_choice", field), f"Document {label} in the informed choice.")
    for field, label in INFORMED_CHOICE_ANSWERS:
        if not isinstance(choice.get(field), bool):
            yield Violation(pointer("informed_choice", field), f"Record {label}.")


@register(
    "iep.training_suitable",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`informed_choice.training_suitable` and `.leads_to_sustainable_employment` are both `true`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Considerations must include if the training is suitable for the participant",
        "will lead to sustainable employment.",
    ),
)
def iep_training_suitable(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iep(doc):
        return
    choice = obj(doc.get("informed_choice"))
    # Only an answer of "no" is this rule's; a missing answer is iep.informed_choice's finding.
    if choice.get("training_suitable") is False:
        yield Violation(
            pointer("informed_choice", "training_suitable"),
            "The training is recorded as not suitable for the participant; reconsider the training choice.",
        )
    if choice.get("leads_to_sustainable_employment") is False:
        yield Violation(
            pointer("informed_choice", "leads_to_sustainable_employment"),
            "The training is recorded as not leading to sustainable employment; reconsider the training choice.",
        )


@register(
    "iep.training_objective",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="Every training service id is in `service_ids` of an objective under an employment goal.",
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "Any Occupational Training (ITA) or remedial training necessary to meet employment goals should be "
        "included as objectives under the employment goal.",
    ),
)
def iep_training_objective(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not is_iep(doc) or not has_objectives(doc):
        return
    carried = {
        sid
        for _, goal, _, objective in objectives(doc)
        if goal.get("kind") == "employment"
        for sid in strings(objective.get("service_ids"))
    }
    for i, service in training_services(doc):
        if service.get("id") not in carried:
            yield Violation(
                pointer("services", i),
                "Include this training as an objective under the employment goal it serves (list the service in "
                "the objective).",
            )


@register(
    "iep.prior_participation",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description=(
        "Some service other than `development_of_iep` has `start_on ≤ opened_on` (a first participation "
        "service precedes the IEP)."
    ),
    citations=cite("002_841c2e41ff1cf029.txt", "A WIOA Participation (first service) must be entered."),
)
def iep_prior_participation(doc: Doc, ctx: Context) -> Iterator[Violation]:
    opened = date_of(doc, "opened_on")
    if not is_iep(doc) or opened is None or not has_services(doc):
        return
    if not any(
        s.get("type") != "development_of_iep"
        and (start := date_of(s, "start_on")) is not None
        and start <= opened
        for _, s in items(doc.get("services"))
    ):
        yield Violation(
            pointer("services"),
            "Enter the WIOA participation (first service) on or before the date the IEP was opened.",
        )
