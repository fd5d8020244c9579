"""Organisation settings from rules.md section 7: where the seeds disagree, a setting decides."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.policy.findings import pointer


class SettingsError(ValueError):
    """A setting name or value is not allowed. `errors` maps a JSON Pointer to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


_CHOICES: dict[str, tuple[str, ...]] = {
    "ENTRY_DEADLINE": ("10_calendar_days", "3_business_days"),
    "CONTACT_MODE": ("two_way_any", "direct_conversation"),
    "REVIEW_INTERVAL": ("90_days", "quarterly"),
    "RESIGN_TRIGGER": ("goal_change", "any_update"),
    "YOUTH_PLAN_KIND": ("iss", "iss_or_iep"),
    "ISS_GOAL_KINDS": ("education_and_employment", "education_or_employment"),
}
_POSITIVE_INTS = (
    "CLOSURE_OUTCOME_DEADLINE_DAYS",
    "CONTACT_INTERVAL_DAYS",
    "ELIGIBILITY_MAX_DAYS",
    "ASSESSMENT_MAX_AGE_MONTHS",
    "SOFT_EXIT_DAYS",
    "NO_CONTACT_CLOSE_DAYS",
    "FOLLOW_UP_MONTHS",
)
_BOOLS = ("ISS_MUST_BE_FIRST_SERVICE", "REQUIRE_BASIC_SKILLS_TEST_FOR_TRAINING", "SIW_REQUIRED_FOR_TRAINING")
_SIGNATURE_METHODS = ("wet_ink", "electronic")


@dataclass(frozen=True)
class Settings:
    ENTRY_DEADLINE: str = "10_calendar_days"
    BUSINESS_HOLIDAYS: tuple[dt.date, ...] = ()
    CLOSURE_OUTCOME_DEADLINE_DAYS: int = 10
    CONTACT_INTERVAL_DAYS: int = 30
    CONTACT_MODE: str = "two_way_any"
    REVIEW_INTERVAL: str = "90_days"
    RESIGN_TRIGGER: str = "goal_change"
    SIGNATURE_METHODS: tuple[str, ...] = field(default=_SIGNATURE_METHODS)
    YOUTH_PLAN_KIND: str = "iss"
    ISS_GOAL_KINDS: str = "education_and_employment"
    ISS_MUST_BE_FIRST_SERVICE: bool = True
    ELIGIBILITY_MAX_DAYS: int = 30
    ASSESSMENT_MAX_AGE_MONTHS: int = 6
    REQUIRE_BASIC_SKILLS_TEST_FOR_TRAINING: bool = True
    SIW_REQUIRED_FOR_TRAINING: bool = False
    SOFT_EXIT_DAYS: int = 90
    NO_CONTACT_CLOSE_DAYS: int = 90
    FOLLOW_UP_MONTHS: int = 12
    RECORD_RETENTION: str | int = "keep_all"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Settings:
        """Defaults overridden by `data` (setting name -> JSON value); raises SettingsError."""
        return cls().updated(data)

    def updated(self, data: Mapping[str, Any]) -> Settings:
        """A copy with the settings named in `data` changed; raises SettingsError on a bad name or value."""
        errors: dict[str, str] = {}
        changes: dict[str, Any] = {}
        known = set(self.names())
        for name, value in data.items():
            if name not in known:
                errors[pointer(name)] = "Unknown setting."
                continue
            try:
                changes[name] = _parse(name, value)
            except ValueError as exc:
                errors[pointer(name)] = str(exc)
        if errors:
            raise SettingsError(errors)
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.names():
            value = getattr(self, name)
            if name == "BUSINESS_HOLIDAYS":
                value = [d.isoformat() for d in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


def _parse(name: str, value: Any) -> Any:
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise ValueError(f"Must be one of {', '.join(_CHOICES[name])}.")
        return value
    if name in _POSITIVE_INTS:
        if type(value) is not int or not 1 <= value <= 3650:
            raise ValueError("Must be a whole number from 1 to 3650.")
        return value
    if name in _BOOLS:
        if type(value) is not bool:
            raise ValueError("Must be true or false.")
        return value
    if name == "SIGNATURE_METHODS":
        if (
            not isinstance(value, list)
            or not value
            or any(v not in _SIGNATURE_METHODS for v in value)
            or len(set(value)) != len(value)
        ):
            raise ValueError("Must be a non-empty list of distinct values from wet_ink, electronic.")
        return tuple(value)
    if name == "BUSINESS_HOLIDAYS":
        if not isinstance(value, list) or len(value) > 1000:
            raise ValueError("Must be a list of dates (YYYY-MM-DD).")
        try:
            return tuple(sorted({dt.date.fromisoformat(v) for v in value if _is_iso_date(v)}))
        except ValueError as exc:  # pragma: no cover - guarded by _is_iso_date
            raise ValueError("Must be a list of dates (YYYY-MM-DD).") from exc
    if name == "RECORD_RETENTION":
        if value == "keep_all" or (type(value) is int and 1 <= value <= 100):
            return value
        raise ValueError('Must be "keep_all" or a number of years from 1 to 100.')
    raise ValueError("Unknown setting.")  # pragma: no cover - names are checked first


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("Must be a list of dates (YYYY-MM-DD).")
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date (YYYY-MM-DD).") from exc
    return True
