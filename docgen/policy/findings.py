"""What a rule reports: a finding with its rule id, severity, JSON Pointer, message and citation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Citation:
    source: str  # seed file name, or "structural"
    quote: str

    def as_dict(self) -> dict[str, str]:
        return {"source": self.source, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule function yields: where (relative JSON Pointer) and what, in plain language.

    `severity` overrides the rule's own only for rules whose severity depends on the case
    (plan.exists: error for youth, warning for adult and dislocated worker).
    """

    path: str
    message: str
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    path: str
    message: str
    citation: Citation

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "citation": self.citation.as_dict(),
        }


def pointer(*parts: str | int) -> str:
    """Build a JSON Pointer (RFC 6901) from parts, escaping `~` and `/`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
