"""Submit-time rules on a grant applicant's MOU with an LWIA (rules.md section 2.8)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.policy.context import Context
from docgen.policy.findings import Violation, pointer
from docgen.policy.registry import cite, register
from docgen.policy.values import Doc, has_text, items, obj, present, strings

# contract.md `mou_role`: the five roles the MOU must assign (`reporting` is optional).
REQUIRED_ROLES = (
    ("recruitment", "recruitment"),
    ("eligibility_determination", "eligibility determination"),
    ("enrollment", "enrollment"),
    ("performance_requirements", "performance requirements"),
    ("strategies", "strategies"),
)
SOURCE = "000_78460e8ebaad135a.txt"


def party_types(doc: Doc) -> dict[object, object]:
    """Party id -> type; a duplicated id keeps its first entry (the duplicate is doc.refs's finding)."""
    types: dict[object, object] = {}
    for _, party in items(doc.get("parties")):
        types.setdefault(party.get("id"), party.get("party_type"))
    return types


@register(
    "mou.parties",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description="≥ 1 party of type `applicant` and ≥ 1 of type `lwia`.",
    citations=cite(
        SOURCE,
        "Such applicants must develop a Memorandum of Understanding (MOU) with an LWIA and any other qualified "
        "organization",
    ),
)
def mou_parties(doc: Doc, ctx: Context) -> Iterator[Violation]:
    types = {party.get("party_type") for _, party in items(doc.get("parties"))}
    if "applicant" not in types:
        yield Violation(pointer("parties"), "Name the grant applicant as a party to the MOU.")
    if "lwia" not in types:
        yield Violation(pointer("parties"), "Name the LWIA as a party to the MOU.")


@register(
    "mou.roles",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description=(
        "Each of `recruitment`, `eligibility_determination`, `enrollment`, `performance_requirements`, "
        "`strategies` has a `roles` entry with ≥ 1 responsible party and a non-empty description."
    ),
    citations=cite(
        SOURCE,
        "details roles and responsibilities related to recruitment, eligibility determination, enrollment, "
        "performance requirements, and strategies.",
    ),
)
def mou_roles(doc: Doc, ctx: Context) -> Iterator[Violation]:
    roles = list(items(doc.get("roles")))
    for code, label in REQUIRED_ROLES:
        entries = [(i, role) for i, role in roles if role.get("role") == code]
        if not entries:
            yield Violation(pointer("roles"), f"Assign the roles and responsibilities for {label}.")
            continue
        if any(
            strings(role.get("responsible_party_ids")) and has_text(role.get("description"))
            for _, role in entries
        ):
            continue
        i, role = entries[0]
        if not strings(role.get("responsible_party_ids")):
            yield Violation(
                pointer("roles", i, "responsible_party_ids"),
                f"Name the party responsible for {label}.",
            )
        if not has_text(role.get("description")):
            yield Violation(pointer("roles", i, "description"), f"Describe the responsibilities for {label}.")


@register(
    "mou.lwia_commitment",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description="`lwia_commitment.text` non-empty and its `party_id` is an `lwia` party.",
    citations=cite(SOURCE, "include in the MOU the LWIA's commitment to the project"),
)
def mou_lwia_commitment(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if "lwia_commitment" not in doc:
        yield Violation(pointer("lwia_commitment"), "Include the LWIA's commitment to the project.")
        return
    commitment = obj(doc.get("lwia_commitment"))
    if not has_text(commitment.get("text")):
        yield Violation(pointer("lwia_commitment", "text"), "Write the LWIA's commitment to the project.")
    types = party_types(doc)
    party_id = commitment.get("party_id")
    if not present(commitment, "party_id"):
        yield Violation(pointer("lwia_commitment", "party_id"), "Name the LWIA that makes the commitment.")
    # An unknown party is doc.refs's finding, and an MOU without an LWIA party is mou.parties's.
    elif party_id in types and types[party_id] != "lwia" and "lwia" in types.values():
        yield Violation(
            pointer("lwia_commitment", "party_id"),
            "The commitment must be made by the LWIA; name the LWIA party.",
        )


@register(
    "mou.plan_alignment",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description="`plan_alignment.regional_plan` and `.local_plan` non-empty.",
    citations=cite(SOURCE, "that it aligns with the Regional and Local Plans."),
)
def mou_plan_alignment(doc: Doc, ctx: Context) -> Iterator[Violation]:
    alignment = obj(doc.get("plan_alignment"))
    if not has_text(alignment.get("regional_plan")):
        yield Violation(
            pointer("plan_alignment", "regional_plan"),
            "Describe how the project aligns with the Regional Plan.",
        )
    if not has_text(alignment.get("local_plan")):
        yield Violation(
            pointer("plan_alignment", "local_plan"),
            "Describe how the project aligns with the Local Plan.",
        )


@register(
    "mou.signatories",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description="Every party has ≥ 1 signatory.",
    citations=cite(SOURCE, "The MOU must contain signatures of all parties mentioned in the agreement."),
)
def mou_signatories(doc: Doc, ctx: Context) -> Iterator[Violation]:
    signing = {s.get("party_id") for _, s in items(doc.get("signatories"))}
    for i, party in items(doc.get("parties")):
        if party.get("id") not in signing:
            yield Violation(
                pointer("parties", i),
                "Every party to the MOU must sign it; add a signatory for this party.",
            )


@register(
    "mou.certifier",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description="≥ 1 `certifying_staff` with `iwds`; if `serves_incumbent_workers`, ≥ 1 with `iwts`.",
    citations=cite(
        SOURCE,
        "Applicants must identify staff that is qualified to certify and document eligibility in the Illinois "
        "Workforce Development System",
        "Incumbent Worker Tracking System for incumbent worker trainees",
    ),
)
def mou_certifier(doc: Doc, ctx: Context) -> Iterator[Violation]:
    systems = {
        system for _, staff in items(doc.get("certifying_staff")) for system in strings(staff.get("systems"))
    }
    if "iwds" not in systems:
        yield Violation(
            pointer("certifying_staff"),
            "Identify staff qualified to certify and document eligibility in the Illinois Workforce Development "
            "System (IWDS).",
        )
    if doc.get("serves_incumbent_workers") is True and "iwts" not in systems:
        yield Violation(
            pointer("certifying_staff"),
            "The project serves incumbent workers: identify staff qualified to use the Incumbent Worker Tracking "
            "System (IWTS).",
        )


@register(
    "mou.follow_up",
    severity="error",
    scope="S",
    applies_to=("mou",),
    entity="mou",
    description="`follow_up.agreed = true`, `approach` set, ≥ 1 responsible party, non-empty `description`.",
    citations=cite(
        SOURCE,
        "must agree to provide or coordinate follow up services with program participants (as appropriate).",
    ),
)
def mou_follow_up(doc: Doc, ctx: Context) -> Iterator[Violation]:
    if "follow_up" not in doc:
        yield Violation(
            pointer("follow_up"),
            "The applicant must agree to provide or coordinate follow-up services; describe the agreement.",
        )
        return
    follow_up = obj(doc.get("follow_up"))
    if follow_up.get("agreed") is not True:
        yield Violation(
            pointer("follow_up", "agreed"),
            "The applicant must agree to provide or coordinate follow-up services.",
        )
    if not present(follow_up, "approach"):
        yield Violation(
            pointer("follow_up", "approach"),
            "Say whether follow-up services are provided, coordinated, or both.",
        )
    if not strings(follow_up.get("responsible_party_ids")):
        yield Violation(
            pointer("follow_up", "responsible_party_ids"),
            "Name the party responsible for follow-up services.",
        )
    if not has_text(follow_up.get("description")):
        yield Violation(pointer("follow_up", "description"), "Describe the follow-up services.")
