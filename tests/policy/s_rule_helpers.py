"""Valid single documents taken from the shared fixtures, and the rule ids evaluate() reports on them.

Rule tests start from one of these, change one thing (keeping the document schema-valid per contract.md),
and compare the exact set of rule ids.
"""

from __future__ import annotations

from typing import Any

from docgen.policy import Finding, Settings, evaluate
from tests.fixtures import load_fixture, strip_meta

Doc = dict[str, Any]
DEFAULTS = Settings()


def adult_record() -> Doc:
    return load_fixture("valid-adult-iep.json")


def youth_record() -> Doc:
    return load_fixture("valid-youth-iss.json")


def adult_participant() -> Doc:
    participant: Doc = adult_record()["participant"]
    return participant


def youth_participant() -> Doc:
    participant: Doc = youth_record()["participant"]
    return participant


def adult_assessment() -> Doc:
    assessment: Doc = adult_record()["assessments"][0]
    return assessment


def iep() -> Doc:
    """The adult's open IEP: training and supportive services, informed choice, signatures."""
    plan: Doc = adult_record()["plans"][0]
    return plan


def iss() -> Doc:
    """The youth's open ISS: education goal linked to an employment goal, youth elements."""
    plan: Doc = youth_record()["plans"][0]
    return plan


def case_note(note_type: str) -> Doc:
    return strip_meta(load_fixture(f"valid-case_note-{note_type}.json"))


def mou() -> Doc:
    return strip_meta(load_fixture("valid-mou.json"))


def findings(doc: Doc, settings: Settings = DEFAULTS) -> list[Finding]:
    return evaluate(doc, settings=settings)


def error_ids(doc: Doc, settings: Settings = DEFAULTS) -> set[str]:
    return {f.rule for f in findings(doc, settings) if f.severity == "error"}


def warning_ids(doc: Doc, settings: Settings = DEFAULTS) -> set[str]:
    return {f.rule for f in findings(doc, settings) if f.severity == "warning"}


def paths(doc: Doc, rule_id: str, settings: Settings = DEFAULTS) -> list[str]:
    """JSON Pointers of `rule_id`'s findings, in the order reported."""
    return [f.path for f in findings(doc, settings) if f.rule == rule_id]


def settings(**changes: Any) -> Settings:
    return DEFAULTS.updated(changes)
