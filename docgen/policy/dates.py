"""Date arithmetic of rules.md section 1: deadlines D(d), calendar months, local dates of timestamps."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from docgen.policy.settings import Settings


@lru_cache(maxsize=4096)
def parse_date(value: object) -> dt.date | None:
    """A contract `date` as a date; None when absent or not a date (schema reports those)."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def timestamp_date(value: object) -> dt.date | None:
    """The date of an RFC 3339 timestamp in its own offset (rules.md: 'its date in its own offset')."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def add_days(d: dt.date, days: int) -> dt.date:
    return d + dt.timedelta(days=days)


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar-month addition, day clamped to the month's end (2025-08-31 + 6 months = 2026-02-28)."""
    month_index = d.month - 1 + months
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def entry_deadline(d: dt.date, settings: Settings) -> dt.date:
    """D(d): the data-entry deadline for an event on date d, per ENTRY_DEADLINE."""
    if settings.ENTRY_DEADLINE == "10_calendar_days":
        return d + dt.timedelta(days=10)
    holidays = set(settings.BUSINESS_HOLIDAYS)
    day, counted = d, 0
    while counted < 3:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


def review_deadline(d: dt.date, settings: Settings) -> dt.date:
    """d + REVIEW_INTERVAL: 90 days, or 3 calendar months when 'quarterly'."""
    if settings.REVIEW_INTERVAL == "quarterly":
        return add_months(d, 3)
    return d + dt.timedelta(days=90)
