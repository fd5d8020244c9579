"""Submit-time rules common to IEP and ISS plans, their goals, objectives and services (rules.md section 2.4).

Each function is handed one plan version (on its own, or nested in a `record` bundle).
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.values import Doc, date_of, has_text, items, obj, present, strings

DEV_SERVICE_TYPE = {"iep": "development_of_iep", "iss": "development_of_iss"}
PLAN_NAME = {"iep": "IEP", "iss": "ISS"}


def objectives(plan: Doc) -> Iterator[tuple[int, Doc, int, Doc]]:
    """(goal index, goal, objective index, objective) over every objective of the plan."""
    for g, goal in items(plan.get("goals")):
        for o, objective in items(goal.get("objectives")):
            yield g, goal, o, objective


# When plan.goals reports no goal (or no objective), the rules reading goals (or objectives) are skipped
# (rules.md section 1, Order).
def has_goals(plan: Doc) -> bool:
    return any(True for _ in items(plan.get("goals")))


def has_objectives(plan: Doc) -> bool:
    return any(True for _ in objectives(plan))


def has_services(plan: Doc) -> bool:
    return any(True for _ in items(plan.get("services")))


def plan_name(plan: Doc) -> str:
    return PLAN_NAME.get(str(plan.get("kind")), "plan")


@register(
    "plan.jointly",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`developed_jointly = true`.",
    citations=(
        *cite("000_78460e8ebaad135a.txt", "developed jointly by the participant and the career planner"),
        *cite("002_841c2e41ff1cf029.txt", "must jointly develop an IEP or ISS for each customer"),
    ),
)
def plan_jointly(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("developed_jointly") is not True:
        yield Violation(
            pointer("developed_jointly"),
            f"The {plan_name(doc)} must be developed jointly by the participant and the career planner; "
            "confirm that it was.",
        )


@register(
    "plan.goals",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="≥ 1 goal and ≥ 1 objective in total.",
    citations=(
        *cite("002_841c2e41ff1cf029.txt", "The IEP/ISS plan shall contain the following components:"),
        *cite(
            "000_78460e8ebaad135a.txt",
            "sets a series of objectives such as the participant's education and employment goals",
        ),
    ),
)
def plan_goals(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not has_goals(doc):
        yield Violation(pointer("goals"), f"Add at least one goal with an objective to the {plan_name(doc)}.")
    elif not has_objectives(doc):
        yield Violation(pointer("goals"), "Add at least one objective under a goal.")


@register(
    "plan.open_goal",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="If `status = open`: ≥ 1 goal with `status = open` that has ≥ 1 objective with `status = open`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "All active participants must have an IEP/ISS with at least one (1) open goal with at least one (1) "
        "open objective.",
    ),
)
def plan_open_goal(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("status") != "open" or not has_objectives(doc):
        return
    if not any(
        goal.get("status") == "open" and objective.get("status") == "open"
        for _, goal, _, objective in objectives(doc)
    ):
        yield Violation(
            pointer("goals"),
            f"An open {plan_name(doc)} needs at least one open goal with at least one open objective; add one, "
            "or close the plan.",
        )


@register(
    "plan.goal_before_objective",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="goal, objective",
    description="Every `objective.start_on ≥` its goal's `opened_on`.",
    citations=cite("002_841c2e41ff1cf029.txt", "Goals must be added before objectives."),
)
def plan_goal_before_objective(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for g, goal, o, objective in objectives(doc):
        opened = date_of(goal, "opened_on")
        start = date_of(objective, "start_on")
        if opened is not None and start is not None and start < opened:
            yield Violation(
                pointer("goals", g, "objectives", o, "start_on"),
                "This objective starts before its goal was opened; goals must be added before their objectives.",
            )


@register(
    "plan.services",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="≥ 1 service.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Services - The appropriate sequence and mix of services to address the unique strengths, challenges, "
        "and needs of the participant",
    ),
)
def plan_services(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if not has_services(doc):
        yield Violation(pointer("services"), f"List the services of the {plan_name(doc)}.")


@register(
    "plan.dev_service",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description=(
        "`services` has a `development_of_iep` (IEP) / `development_of_iss` (ISS) service with "
        "`start_on = opened_on`; for `version > 1` also one with `start_on = revision.revised_on`."
    ),
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "must be documented in services as an additional episode under the applicable service",
        "either Development of an IEP or Development of an ISS.",
    ),
)
def plan_dev_service(doc: Doc, ctx: Context) -> Iterator[Violation]:
    dev_type = DEV_SERVICE_TYPE.get(str(doc.get("kind")))
    if dev_type is None or not has_services(doc):
        return
    episodes = {date_of(s, "start_on") for _, s in items(doc.get("services")) if s.get("type") == dev_type}
    name = plan_name(doc)
    opened = date_of(doc, "opened_on")
    if opened is not None and opened not in episodes:
        yield Violation(
            pointer("services"),
            f"Record a Development of {name} service that starts on the date the {name} was opened.",
        )
    version = doc.get("version")
    # A missing revision is plan.revision's finding.
    revised = date_of(obj(doc.get("revision")), "revised_on")
    if isinstance(version, int) and version > 1 and revised is not None and revised not in episodes:
        yield Violation(
            pointer("services"),
            f"Record the revision as an additional Development of {name} service episode that starts on the "
            "revision date.",
        )


@register(
    "plan.barriers",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan.barriers",
    description="Every barrier has non-empty `description`, `strategy` and `by_whom.name`.",
    citations=(
        *cite(
            "000_78460e8ebaad135a.txt",
            "If obstacles are identified, note how each barrier or need will be addressed and by whom.",
        ),
        *cite(
            "001_b3f9e53fd79f6b88.txt",
            "A summary of action steps to eliminate or minimize any barriers including, referrals to partner "
            "agencies",
        ),
    ),
)
def plan_barriers(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for i, barrier in items(doc.get("barriers")):
        if not has_text(barrier.get("description")):
            yield Violation(pointer("barriers", i, "description"), "Describe this barrier.")
        if not has_text(barrier.get("strategy")):
            yield Violation(pointer("barriers", i, "strategy"), "Say how this barrier will be addressed.")
        if "by_whom" not in barrier:
            yield Violation(pointer("barriers", i, "by_whom"), "Say who will address this barrier.")
        elif not has_text(obj(barrier.get("by_whom")).get("name")):
            yield Violation(pointer("barriers", i, "by_whom", "name"), "Say who will address this barrier.")


@register(
    "plan.barrier_services",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan.barriers",
    description="Every barrier lists ≥ 1 `service_ids`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "The IEP must document the services that are provided to address the participant’s barriers",
    ),
)
def plan_barrier_services(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for i, barrier in items(doc.get("barriers")):
        if not strings(barrier.get("service_ids")):
            yield Violation(
                pointer("barriers", i, "service_ids"),
                "List the services that address this barrier.",
            )


@register(
    "plan.performance_link",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="≥ 1 `performance_links` entry whose indicator is not `ESE`.",
    citations=(
        *cite(
            "001_b3f9e53fd79f6b88.txt",
            "Performance - The direct link to one or more of the performance indicators",
        ),
        *cite("000_78460e8ebaad135a.txt", "directly linked to one or more of the indicators of performance"),
    ),
)
def plan_performance_link(doc: Doc, ctx: Context) -> Iterator[Violation]:
    # ESE (effectiveness in serving employers) is employer-level and never links a participant's plan.
    if not any(link.get("indicator") not in (None, "ESE") for _, link in items(doc.get("performance_links"))):
        yield Violation(
            pointer("performance_links"),
            f"Link the {plan_name(doc)} to at least one participant performance indicator (employment, "
            "earnings, credential or measurable skill gains).",
        )


@register(
    "plan.tracking",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`progress_tracking.method` and `.next_steps` non-empty.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Tracking Progress - A method for tracking progress and identifying next steps",
    ),
)
def plan_tracking(doc: Doc, ctx: Context) -> Iterator[Violation]:
    tracking = obj(doc.get("progress_tracking"))
    if not has_text(tracking.get("method")):
        yield Violation(pointer("progress_tracking", "method"), "Describe how progress will be tracked.")
    if not has_text(tracking.get("next_steps")):
        yield Violation(pointer("progress_tracking", "next_steps"), "Write the next steps.")


@register(
    "plan.signatories",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`signatories` include role `participant` and role `career_planner`.",
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "printed, signed and dated by a Workforce Development Representative and the customer.",
    ),
)
def plan_signatories(doc: Doc, ctx: Context) -> Iterator[Violation]:
    roles = {s.get("role") for _, s in items(doc.get("signatories"))}
    if "participant" not in roles:
        yield Violation(pointer("signatories"), "Add the participant as a signatory.")
    if "career_planner" not in roles:
        yield Violation(pointer("signatories"), "Add the career planner as a signatory.")


@register(
    "plan.revision",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description=(
        "`version > 1` → `revision` with non-empty `summary`, `participant_agreed = true`, "
        "`revised_on ≥ opened_on`."
    ),
    citations=(
        *cite(
            "001_b3f9e53fd79f6b88.txt",
            "All evaluation and revisions to the IEP or ISS shall be made collaboratively with the participant's "
            "consent.",
        ),
        *cite(
            "002_841c2e41ff1cf029.txt",
            "any changes must be mutually agreed by the customer and Workforce Development Representative.",
        ),
    ),
)
def plan_revision(doc: Doc, ctx: Context) -> Iterator[Violation]:
    version = doc.get("version")
    if not isinstance(version, int) or version <= 1:
        return
    if "revision" not in doc:
        yield Violation(
            pointer("revision"),
            "An updated plan must describe its revision: the date, what changed and the participant's "
            "agreement.",
        )
        return
    revision = obj(doc.get("revision"))
    if not has_text(revision.get("summary")):
        yield Violation(pointer("revision", "summary"), "Summarise what changed in this revision.")
    if revision.get("participant_agreed") is not True:
        yield Violation(
            pointer("revision", "participant_agreed"),
            "Revisions are made with the participant's consent; confirm that the participant agreed.",
        )
    revised, opened = date_of(revision, "revised_on"), date_of(doc, "opened_on")
    if revised is not None and opened is not None and revised < opened:
        yield Violation(
            pointer("revision", "revised_on"),
            "The revision date is before the date the plan was opened; correct one of the dates.",
        )


@register(
    "plan.close",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`status = closed` → `closed_on ≥ opened_on` and `close_reason`.",
    citations=cite(
        "004_79a53be2a09ade33.txt", "The IEP should ALWAYS be closed upon completion of program goals"
    ),
)
def plan_close(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("status") != "closed":
        return
    closed, opened = date_of(doc, "closed_on"), date_of(doc, "opened_on")
    if closed is None:
        yield Violation(pointer("closed_on"), "Give the date the plan was closed.")
    elif opened is not None and closed < opened:
        yield Violation(pointer("closed_on"), "The plan's closing date is before the date it was opened.")
    if not present(doc, "close_reason"):
        yield Violation(pointer("close_reason"), "Give the reason the plan was closed.")


@register(
    "plan.responsibilities",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="plan",
    description="`participant_responsibilities_acknowledged = true`.",
    citations=cite(
        "004_79a53be2a09ade33.txt", "Ensuring that participants are aware of their responsibilities."
    ),
)
def plan_responsibilities(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("participant_responsibilities_acknowledged") is not True:
        yield Violation(
            pointer("participant_responsibilities_acknowledged"),
            "Make sure the participant is aware of their responsibilities, and record it.",
        )


# --- goals --------------------------------------------------------------------------------------


@register(
    "goal.dates",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="goal",
    description=(
        "`projected_end_on ≥ opened_on`; `closed_on` present iff `status = closed`; `closed_on ≥ opened_on`."
    ),
    citations=cite("002_841c2e41ff1cf029.txt", "Each goal should be limited to a defined time period"),
)
def goal_dates(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for g, goal in items(doc.get("goals")):
        opened = date_of(goal, "opened_on")
        projected = date_of(goal, "projected_end_on")
        if opened is not None and projected is not None and projected < opened:
            yield Violation(
                pointer("goals", g, "projected_end_on"),
                "The goal's projected end date is before the date it was opened.",
            )
        closed = date_of(goal, "closed_on")
        if goal.get("status") == "closed" and closed is None:
            yield Violation(pointer("goals", g, "closed_on"), "Give the date this closed goal was closed.")
        elif goal.get("status") != "closed" and closed is not None:
            yield Violation(
                pointer("goals", g, "closed_on"),
                "An open goal has no closing date; remove the date or close the goal.",
            )
        elif closed is not None and opened is not None and closed < opened:
            yield Violation(
                pointer("goals", g, "closed_on"),
                "The goal's closing date is before the date it was opened.",
            )


@register(
    "goal.outcome",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="goal",
    description="Closed goal has `outcome`; open goal has none.",
    citations=cite(
        "004_79a53be2a09ade33.txt",
        "As goals are completed and exited, staff should report if the goal was attained or not.",
    ),
)
def goal_outcome(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for g, goal in items(doc.get("goals")):
        closed = goal.get("status") == "closed"
        if closed and not present(goal, "outcome"):
            yield Violation(pointer("goals", g, "outcome"), "Report whether this closed goal was attained.")
        elif not closed and present(goal, "outcome"):
            yield Violation(
                pointer("goals", g, "outcome"),
                "An open goal has no outcome yet; remove it or close the goal.",
            )


@register(
    "goal.education_youth",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="goal",
    description="`kind = education` only in an ISS.",
    citations=cite("002_841c2e41ff1cf029.txt", "Educational Goal (Youth Only)"),
)
def goal_education_youth(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if doc.get("kind") == "iss":
        return
    for g, goal in items(doc.get("goals")):
        if goal.get("kind") == "education":
            yield Violation(
                pointer("goals", g, "kind"),
                "Education goals are for youth (ISS) only; make this an employment goal.",
            )


@register(
    "goal.education_link",
    severity="warning",
    scope="S",
    applies_to=("plan",),
    entity="goal",
    description="An education goal's `linked_employment_goal_id` names an employment goal of the same plan.",
    citations=cite("002_841c2e41ff1cf029.txt", "An educational goal should be linked to an employment goal."),
)
def goal_education_link(doc: Doc, ctx: Context) -> Iterator[Violation]:
    kinds = {goal.get("id"): goal.get("kind") for _, goal in items(doc.get("goals"))}
    for g, goal in items(doc.get("goals")):
        if goal.get("kind") != "education":
            continue
        linked = goal.get("linked_employment_goal_id")
        if linked is None:
            yield Violation(
                pointer("goals", g, "linked_employment_goal_id"),
                "Link this education goal to the employment goal it serves.",
            )
        # A link to no goal of the plan is doc.refs's finding.
        elif linked in kinds and kinds[linked] != "employment":
            yield Violation(
                pointer("goals", g, "linked_employment_goal_id"),
                "This education goal is linked to a goal that is not an employment goal; link it to an "
                "employment goal.",
            )


# --- objectives ---------------------------------------------------------------------------------


@register(
    "objective.dates",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="objective",
    description="`start_on` and `target_on` present; `target_on ≥ start_on`; `completed_on ≥ start_on`.",
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "Effective objectives will include established (start) dates and projected end/review dates of "
        "achievement",
    ),
)
def objective_dates(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for g, _, o, objective in objectives(doc):
        at = ("goals", g, "objectives", o)
        start, target = date_of(objective, "start_on"), date_of(objective, "target_on")
        completed = date_of(objective, "completed_on")
        if start is None:
            yield Violation(pointer(*at, "start_on"), "Give the objective's start date.")
        if target is None:
            yield Violation(pointer(*at, "target_on"), "Give the objective's projected end or review date.")
        if start is not None and target is not None and target < start:
            yield Violation(
                pointer(*at, "target_on"), "The objective's target date is before its start date."
            )
        if start is not None and completed is not None and completed < start:
            yield Violation(
                pointer(*at, "completed_on"),
                "The objective's completion date is before its start date.",
            )


@register(
    "objective.comments",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="objective",
    description="`comments` non-empty.",
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "Objectives must be justified in the Comments section of the IEP/ISS.",
    ),
)
def objective_comments(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for g, _, o, objective in objectives(doc):
        if not has_text(objective.get("comments")):
            yield Violation(
                pointer("goals", g, "objectives", o, "comments"),
                "Justify this objective in its comments: say why it is necessary.",
            )


@register(
    "objective.close",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="objective",
    description=("`status = closed` ⇔ `completed_on` present ⇔ `outcome` (successful/unsuccessful) present."),
    citations=cite(
        "002_841c2e41ff1cf029.txt",
        "Objectives should be closed upon completion with a successful or unsuccessful outcome.",
    ),
)
def objective_close(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for g, _, o, objective in objectives(doc):
        at = ("goals", g, "objectives", o)
        closed = objective.get("status") == "closed"
        for field, label in (("completed_on", "completion date"), ("outcome", "outcome")):
            if closed and not present(objective, field):
                yield Violation(
                    pointer(*at, field),
                    f"Give the {label} of this closed objective (successful or unsuccessful).",
                )
            elif not closed and present(objective, field):
                yield Violation(
                    pointer(*at, field),
                    f"An open objective has no {label}; close the objective or remove the {label}.",
                )


# --- services -----------------------------------------------------------------------------------


@register(
    "svc.close",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="service",
    description="`end_on` present ⇔ `completion_status` present; `end_on ≥ start_on`.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "Service records must be closed/ended with an indication of completion status (successful or "
        "unsuccessful)",
    ),
)
def svc_close(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for i, service in items(doc.get("services")):
        ended = present(service, "end_on")
        if ended and not present(service, "completion_status"):
            yield Violation(
                pointer("services", i, "completion_status"),
                "An ended service needs its completion status (successful or unsuccessful).",
            )
        elif not ended and present(service, "completion_status"):
            yield Violation(
                pointer("services", i, "end_on"),
                "A service with a completion status needs its end date.",
            )
        start, end = date_of(service, "start_on"), date_of(service, "end_on")
        if start is not None and end is not None and end < start:
            yield Violation(
                pointer("services", i, "end_on"), "The service's end date is before its start date."
            )


@register(
    "svc.training",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="service",
    description="Training service → `planned_end_on ≥ start_on` and `approximate_cost` present.",
    citations=cite(
        "001_b3f9e53fd79f6b88.txt",
        "training provider/school, approximate cost, and planned end date.",
    ),
)
def svc_training(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for i, service in items(doc.get("services")):
        if service.get("category") != "training":
            continue
        start, planned_end = date_of(service, "start_on"), date_of(service, "planned_end_on")
        if planned_end is None:
            yield Violation(pointer("services", i, "planned_end_on"), "Give the training's planned end date.")
        elif start is not None and planned_end < start:
            yield Violation(
                pointer("services", i, "planned_end_on"),
                "The training's planned end date is before its start date.",
            )
        if not present(service, "approximate_cost"):
            yield Violation(
                pointer("services", i, "approximate_cost"), "Give the training's approximate cost."
            )


@register(
    "svc.planned_gap",
    severity="error",
    scope="S",
    applies_to=("plan",),
    entity="service",
    description="`category = planned_gap` → `planned_end_on` and `description` (reason for the gap).",
    citations=cite(
        "004_79a53be2a09ade33.txt",
        "a planned gap service will prevent a soft exit from occurring before the Planned End Date of the gap.",
    ),
)
def svc_planned_gap(doc: Doc, ctx: Context) -> Iterator[Violation]:
    for i, service in items(doc.get("services")):
        if service.get("category") != "planned_gap":
            continue
        if not present(service, "planned_end_on"):
            yield Violation(pointer("services", i, "planned_end_on"), "Give the planned end date of the gap.")
        if not has_text(service.get("description")):
            yield Violation(pointer("services", i, "description"), "Give the reason for the planned gap.")
