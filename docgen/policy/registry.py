"""The rule registry: each rule is a small function registered under its id from rules.md.

The citation text lives next to the rule; `GET /v1/rules` is generated from this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from docgen.policy.findings import Citation, Severity, Violation

if TYPE_CHECKING:
    from docgen.policy.context import Context

# S: the submitted document alone; R: against the participant's record; T: over time (needs as_of);
# L: lifecycle action; Y: system property. rules.md writes some as "S+R" (checked at both).
Scope = Literal["S", "R", "S+R", "L", "T", "Y"]
# What a rule function is handed: the document it applies to ("record" = the whole bundle).
AppliesTo = Literal["participant", "assessment", "plan", "case_note", "mou", "record"]

Doc = dict[str, Any]
CheckFn = Callable[[Doc, "Context"], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    scope: Scope
    applies_to: tuple[AppliesTo, ...]
    entity: str
    description: str
    citations: tuple[Citation, ...]
    check: CheckFn | None  # None for rules checked elsewhere (L, Y, schema)

    @property
    def moment(self) -> str:
        """When the rule is checked, in the words of GET /v1/rules."""
        return {
            "S": "submit",
            "R": "submit",
            "S+R": "submit",
            "T": "tracking",
            "L": "lifecycle",
            "Y": "system",
        }[self.scope]

    @property
    def citation(self) -> Citation:
        return self.citations[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "applies_to": list(self.applies_to),
            "entity": self.entity,
            "severity": self.severity,
            "scope": self.scope,
            "moment": self.moment,
            "description": self.description,
            "citations": [c.as_dict() for c in self.citations],
        }


RULES: dict[str, Rule] = {}


def cite(source: str, *quotes: str) -> tuple[Citation, ...]:
    """Citations of one source: `cite("001_b3f9e53fd79f6b88.txt", "quote one", "quote two")`."""
    return tuple(Citation(source, q) for q in quotes)


def register(
    rule_id: str,
    *,
    severity: Severity,
    scope: Scope,
    applies_to: tuple[AppliesTo, ...],
    entity: str,
    description: str,
    citations: tuple[Citation, ...],
) -> Callable[[CheckFn], CheckFn]:
    """Decorator: register `fn` as the check of `rule_id`."""

    def decorate(fn: CheckFn) -> CheckFn:
        add_rule(
            Rule(rule_id, severity, scope, applies_to, entity, description, citations, fn),
        )
        return fn

    return decorate


def add_rule(rule: Rule) -> None:
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} registered twice")
    if not rule.citations:
        raise ValueError(f"rule {rule.id} has no citation")
    RULES[rule.id] = rule
