"""Lifecycle (L) and system (Y) rules of rules.md sections 4 and 6: catalogue entries only.

They are not checked per submitted document (check=None): the lifecycle code refuses the action (send for
signature, file, distribute) and the system design enforces the Y rules. They are registered here so that
GET /v1/rules lists them with their citations.
"""

from __future__ import annotations

from docgen.policy.registry import AppliesTo, Rule, add_rule, cite

S000 = "000_78460e8ebaad135a.txt"
S001 = "001_b3f9e53fd79f6b88.txt"
S002 = "002_841c2e41ff1cf029.txt"
S003 = "003_35d1b20472689039.txt"
S004 = "004_79a53be2a09ade33.txt"

# Every document that carries participant data.
PARTICIPANT_DOCS: tuple[AppliesTo, ...] = ("participant", "assessment", "plan", "case_note", "record")

LIFECYCLE_RULES = (
    Rule(
        "plan.signed",
        "error",
        "L",
        ("plan",),
        "plan",
        "A plan version is filed as the signed original, rendered as signed, or copied to the participant "
        "only "
        "when every signatory has a `signature`.",
        cite(
            S002,
            "The original copy with signature will be filed in customer’s physical file and a copy will be "
            "provided to customer.",
        ),
        None,
    ),
    Rule(
        "plan.resign",
        "error",
        "L",
        ("plan",),
        "plan",
        "On a new version: RESIGN_TRIGGER = goal_change → fresh participant and career-planner signatures "
        "are "
        "required iff a goal was added or removed or a goal's `kind`, `term` or `description` changed versus "
        "the last signed version; otherwise the signatures carry forward and no signature request is sent. "
        "= any_update → every new version needs fresh signatures. Until required signatures exist, "
        "`plan.signed` blocks filing.",
        (
            *cite(
                S002,
                "a new form with signature is required only when the goal itself has changed or being "
                "updated.",
                "(Updated IEP/ISS form with signature is not necessary for this process)",
            ),
            *cite(
                S001,
                "A copy of the completed (or updated) and signed IEP or ISS shall be provided to the "
                "participant",
            ),
        ),
        None,
    ),
    Rule(
        "mou.signed",
        "error",
        "L",
        ("mou",),
        "mou",
        "The MOU is filed as executed only when every signatory has a `signature`.",
        cite(S000, "The MOU must contain signatures of all parties mentioned in the agreement."),
        None,
    ),
    Rule(
        "privacy.roi",
        "error",
        "L",
        PARTICIPANT_DOCS,
        "any participant document or data",
        "Sending or exporting participant documents or data to an employer or another service provider "
        "requires a `consents.release_of_information` entry naming that recipient, with `signed_on ≤` today, "
        "not expired, not revoked. The participant and the program's own staff need none.",
        cite(
            S003,
            "should not be released to employers or other service providers without a specific signed legal "
            "release-of-information document",
        ),
        None,
    ),
    Rule(
        "privacy.storage",
        "error",
        "Y",
        PARTICIPANT_DOCS,
        "stored data, signed originals",
        "Participant data and signed originals are stored encrypted with access limited to authorized "
        "program "
        "staff by role; access is logged; participant data never appears in URLs or logs (the electronic "
        "equivalent of a locked file).",
        (
            *cite(
                S004,
                "Paper files are maintained in a secured and organized manner. Files are to be maintained "
                "in a "
                "locked area.",
            ),
            *cite(S003, "proper methods of handling customer information and data"),
        ),
        None,
    ),
    Rule(
        "retention.originals",
        "error",
        "Y",
        ("plan", "mou"),
        "plan, mou",
        "Every signed version (rendered PDF, signatures, e-signature evidence) is stored immutably and never "
        "overwritten; the participant's copy is that same rendition; nothing is deleted except under "
        "RECORD_RETENTION.",
        (
            *cite(
                S002,
                "The original copy with signature will be filed in customer’s physical file and a copy will "
                "be "
                "provided to customer.",
            ),
            *cite(S004, "Staff maintains a copy of the IEP in the participant paper file and NMWCOS."),
        ),
        None,
    ),
)

for _rule in LIFECYCLE_RULES:
    add_rule(_rule)
