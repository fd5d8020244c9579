"""Strict marshmallow fields for the contract's value types (contract.md section 0).

Every leaf field states its whole check in one method, `problem(value) -> error key | None`. Marshmallow calls
it while loading (and raises the keyed message); the compiled valid-path checker (docgen.contract.compiled) calls
the same method, so both always agree on a leaf. Fields return the input unchanged: the stored document keeps
its own values (money stays a Decimal if it arrived as one; dates stay strings).

Messages are plain and never repeat the offending value (it may be participant data).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import ValidationError, fields, validate
from marshmallow.types import ErrorMessages

# Bounds that keep hostile input cheap; far above anything a real document needs.
MAX_STRING = 20_000
MAX_ITEMS = 1_000
MAX_RECORD_ITEMS = 10_000
MAX_INTEGER = 1_000_000
MAX_EMAIL = 254
# Dates outside these years are data-entry mistakes, and date arithmetic near year 1 or 9999 overflows.
MIN_YEAR, MAX_YEAR = 1900, 2199
# No amount of money or hours in a workforce plan comes near this; larger numbers are mistakes.
MAX_NUMBER = 1_000_000_000

ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_ID = re.compile(ID_PATTERN[1:-1])


def is_contract_id(value: object) -> bool:
    """Whether `value` is a contract id (safe to use in a query or a storage key)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIMESTAMP_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})$"
)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN[1:-1])
# BCP 47 (RFC 5646) tags: language[-extlang][-script][-region][-variant]*[-extension]*[-privateuse], or a
# private-use tag alone. The language is an ISO 639 code (2-3 letters): the 4-8 letter forms the grammar
# reserves are not in use, and accepting them would let words like "english" through.
LANGUAGE_TAG_PATTERN = (
    "^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3})"
    "(?:-[A-Za-z]{4})?"
    "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    "(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    "(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    "(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    "|[Xx](?:-[A-Za-z0-9]{1,8})+)$"
)
MAX_LANGUAGE_TAG = 64

_EMAIL = validate.Email()

_COMMON_MESSAGES: dict[str, str] = {
    "required": "This field is required.",
    "null": "null is not allowed: leave the field out instead.",
}


def messages(**keyed: str) -> ErrorMessages:
    """A field's error messages: the common ones (required, null) and its own."""
    return {**_COMMON_MESSAGES, **keyed}


def _meta(metadata: Mapping[str, Any] | None, **extra: Any) -> dict[str, Any]:
    out = dict(extra)
    out.update(metadata or {})
    return out


def _is_utf8_encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Text(fields.String):
    """A JSON string of at most MAX_STRING characters.

    `blank_ok=False` (contract `text`): must be non-empty after trimming. `blank_ok=True` for `string` fields and for
    `policy` texts, whose emptiness the named policy rule reports (rules.md section 1: empty counts as absent).
    """

    default_error_messages = messages(
        invalid="Must be a string.",
        too_long=f"Must be at most {MAX_STRING} characters.",
        blank="Must not be empty.",
        not_text="Must be plain text: no NUL characters (U+0000) and no unpaired surrogate code points.",
    )

    def __init__(self, *, blank_ok: bool = False, metadata: Mapping[str, Any] | None = None, **kwargs: Any):
        self.blank_ok = blank_ok
        extra: dict[str, Any] = {"maxLength": MAX_STRING}
        if not blank_ok:
            extra["pattern"] = r"\S"
        super().__init__(metadata=_meta(metadata, **extra), **kwargs)

    def problem(self, value: Any) -> str | None:
        if type(value) is not str:
            return "invalid"
        if len(value) > MAX_STRING:
            return "too_long"
        if not self.blank_ok and not value.strip():
            return "blank"
        # PostgreSQL cannot store U+0000 in JSON, and a lone surrogate is not Unicode text at all.
        if "\x00" in value or not _is_utf8_encodable(value):
            return "not_text"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Id(fields.String):
    """Contract `id`: 1-64 characters, letters, digits, `_`, `.`, `-`, starting with a letter or digit."""

    default_error_messages = messages(
        invalid="Must be an id: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit."
    )

    def __init__(self, *, metadata: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(metadata=_meta(metadata, pattern=ID_PATTERN, minLength=1, maxLength=64), **kwargs)

    def problem(self, value: Any) -> str | None:
        if type(value) is not str or _ID.fullmatch(value) is None:
            return "invalid"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Code(fields.String):
    """A value of one code list (contract.md section 2)."""

    def __init__(
        self,
        choices: Iterable[str],
        *,
        metadata: Mapping[str, Any] | None = None,
        error_messages: Mapping[str, str] | None = None,
        **kwargs: Any,
    ):
        self.choices = tuple(choices)
        self._choice_set = frozenset(self.choices)
        if len(self.choices) == 1:
            invalid = f'Must be "{self.choices[0]}".'
        else:
            invalid = "Must be one of: " + ", ".join(self.choices) + "."
        super().__init__(
            metadata=_meta(metadata, enum=list(self.choices)),
            error_messages={**_COMMON_MESSAGES, "invalid": invalid, **(error_messages or {})},
            **kwargs,
        )

    def problem(self, value: Any) -> str | None:
        if type(value) is not str or value not in self._choice_set:
            return "invalid"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Pattern(fields.String):
    """A string matching a whole regular expression (e.g. `ssn_last4`, a BCP 47 language tag)."""

    def __init__(
        self,
        pattern: str,
        message: str,
        *,
        max_length: int,
        metadata: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ):
        # `pattern` is written ^...$ for OpenAPI; matched whole (fullmatch) so a trailing newline never passes.
        self._regex = re.compile(pattern.removeprefix("^").removesuffix("$"))
        self.max_length = max_length
        super().__init__(
            metadata=_meta(metadata, pattern=pattern, maxLength=max_length),
            error_messages={**_COMMON_MESSAGES, "invalid": message},
            **kwargs,
        )

    def problem(self, value: Any) -> str | None:
        if type(value) is not str or len(value) > self.max_length or self._regex.fullmatch(value) is None:
            return "invalid"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Email(fields.String):
    """An email address (RFC 5322 addr-spec as marshmallow checks it), at most 254 characters."""

    default_error_messages = messages(invalid="Must be a valid email address.")

    def __init__(self, *, metadata: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(metadata=_meta(metadata, format="email", maxLength=MAX_EMAIL), **kwargs)

    def problem(self, value: Any) -> str | None:
        if type(value) is not str or len(value) > MAX_EMAIL:
            return "invalid"
        try:
            _EMAIL(value)
        except ValidationError:
            return "invalid"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Date(fields.Date):
    """Contract `date`: `YYYY-MM-DD`, and a real calendar date (2025-02-30 is refused)."""

    default_error_messages = messages(
        invalid="Must be a date written YYYY-MM-DD.",
        impossible="Must be a real calendar date (YYYY-MM-DD).",
        out_of_range=f"Must be a date in the years {MIN_YEAR} to {MAX_YEAR}.",
    )

    def problem(self, value: Any) -> str | None:
        if type(value) is not str or _DATE.fullmatch(value) is None:
            return "invalid"
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return "impossible"
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            return "out_of_range"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Timestamp(fields.DateTime):
    """Contract `timestamp`: RFC 3339 date-time with an explicit offset (`Z` or `+hh:mm`)."""

    default_error_messages = messages(
        invalid=(
            "Must be a date and time with its UTC offset (RFC 3339), for example 2025-01-27T10:15:00-06:00."
        ),
        impossible="Must be a real date and time (RFC 3339).",
        out_of_range=f"Must be a date and time in the years {MIN_YEAR} to {MAX_YEAR}.",
    )

    def __init__(self, *, metadata: Mapping[str, Any] | None = None, **kwargs: Any):
        # The pattern narrows OpenAPI's date-time to what is accepted: upper-case T and Z, no leap second.
        super().__init__(metadata=_meta(metadata, pattern=TIMESTAMP_PATTERN), **kwargs)

    def problem(self, value: Any) -> str | None:
        if type(value) is not str or _TIMESTAMP.fullmatch(value) is None:
            return "invalid"
        date_part, _, rest = value.partition("T")
        clock = rest[:8]
        offset = rest[-6:]
        try:
            if not MIN_YEAR <= dt.date.fromisoformat(date_part).year <= MAX_YEAR:
                return "out_of_range"
            dt.time.fromisoformat(clock)
            if offset[-1] != "Z":
                # RFC 3339 offsets: hours 00-23, minutes 00-59.
                dt.time(int(offset[1:3]), int(offset[4:6]))
        except ValueError:
            return "impossible"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Integer(fields.Integer):
    """A JSON integer (not `true`, not `"1"`, not `1.5`) within [minimum, MAX_INTEGER]."""

    def __init__(self, *, minimum: int = 0, metadata: Mapping[str, Any] | None = None, **kwargs: Any):
        self.minimum = minimum
        super().__init__(
            strict=True,
            metadata=_meta(metadata, minimum=minimum, maximum=MAX_INTEGER),
            error_messages={
                **_COMMON_MESSAGES,
                "invalid": f"Must be a whole number from {minimum} to {MAX_INTEGER}.",
            },
            **kwargs,
        )

    def problem(self, value: Any) -> str | None:
        if type(value) is not int or not self.minimum <= value <= MAX_INTEGER:
            return "invalid"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class NonNegativeNumber(fields.Float):
    """A JSON number >= 0 (`money`, hours): int, float or Decimal, never a boolean or a string; finite.

    The value is validated, not converted, so a Decimal parsed from the request stays a Decimal.
    """

    def __init__(self, *, message: str, metadata: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(
            metadata=_meta(metadata, minimum=0, maximum=MAX_NUMBER),
            error_messages={**_COMMON_MESSAGES, "invalid": message},
            **kwargs,
        )

    def problem(self, value: Any) -> str | None:
        kind = type(value)
        if kind is int:
            ok = 0 <= value <= MAX_NUMBER
        elif kind is float:
            ok = math.isfinite(value) and 0 <= value <= MAX_NUMBER
        elif kind is decimal.Decimal:
            ok = value.is_finite() and 0 <= value <= MAX_NUMBER
        else:
            ok = False
        return None if ok else "invalid"

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Boolean(fields.Boolean):
    """A JSON boolean: `true` or `false` only (not 1, "true" or "yes")."""

    default_error_messages = messages(invalid="Must be true or false.")

    def problem(self, value: Any) -> str | None:
        return None if value is True or value is False else "invalid"

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return _checked(self, value)


class Object(fields.Nested):
    """A nested contract object (a JSON object checked by its own schema)."""

    default_error_messages = messages()


class Items(fields.List):
    """A JSON array of at most `max_items` items (at least `min_items`); the count is checked before the items."""

    default_error_messages = messages(
        invalid="Must be a list.",
        too_many="Must have at most {max_items} items.",
        too_few="Must have at least {min_items} item(s).",
    )

    def __init__(
        self,
        inner: fields.Field,
        *,
        min_items: int = 0,
        max_items: int = MAX_ITEMS,
        metadata: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ):
        self.min_items = min_items
        self.max_items = max_items
        extra: dict[str, Any] = {"maxItems": max_items}
        if min_items:
            extra["minItems"] = min_items
        super().__init__(inner, metadata=_meta(metadata, **extra), **kwargs)

    def problem(self, value: Any) -> str | None:
        """The check of the array itself (its items are checked by the inner field)."""
        if type(value) is not list:
            return "invalid"
        if len(value) > self.max_items:
            return "too_many"
        if len(value) < self.min_items:
            return "too_few"
        return None

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        key = self.problem(value)
        if key is not None:
            raise self.make_error(key, min_items=self.min_items, max_items=self.max_items)
        return super()._deserialize(value, attr, data, **kwargs)


LeafField = Text | Id | Code | Pattern | Email | Date | Timestamp | Integer | NonNegativeNumber | Boolean
LEAF_FIELDS: tuple[type[fields.Field], ...] = (
    Text,
    Id,
    Code,
    Pattern,
    Email,
    Date,
    Timestamp,
    Integer,
    NonNegativeNumber,
    Boolean,
)


def _checked(field: LeafField, value: Any) -> Any:
    key = field.problem(value)
    if key is not None:
        raise field.make_error(key)
    return value
