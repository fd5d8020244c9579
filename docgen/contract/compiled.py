"""A fast yes/no check compiled once from the marshmallow schemas.

Marshmallow stays the source of truth (for OpenAPI and for error messages), but loading a whole record through it
costs milliseconds. Most documents are valid, so the compiled check answers the common case from closures built by
walking the same schema objects: each leaf calls its field's own `problem()`, each object applies the schema's
required fields, unknown-field rule and `structural()` check. Only when this says "invalid" does
docgen.contract.validate run marshmallow to say why. tests/contract/test_schemas.py asserts both verdicts agree on
every fixture and every mutation it makes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError, fields

from docgen.contract.fields import LEAF_FIELDS, Items
from docgen.contract.schemas import ContractSchema

# A compiled check returns None when the value is valid, anything else when it is not (the shape of the leaf
# fields' `problem()`, so a leaf's check is its `problem` method itself, with no wrapper call).
Check = Callable[[Any], object]
INVALID = "invalid"

_BASE_STRUCTURAL = ContractSchema.structural
_compiled: dict[type[Schema], Check] = {}


def compile_schema(schema: Schema) -> Check:
    """The check of `schema` (cached per schema class; contract schemas take no options)."""
    cls = type(schema)
    found = _compiled.get(cls)
    if found is not None:
        return found
    if schema.opts.unknown != "raise" or schema.only or schema.exclude or schema.partial:
        raise TypeError(f"{cls.__name__}: only plain RAISE schemas can be compiled")
    checks: dict[str, Check] = {}
    required: set[str] = set()
    for name, field in schema.load_fields.items():
        key = field.data_key if field.data_key is not None else name
        checks[key] = compile_field(field)
        if field.required:
            required.add(key)
    structural = getattr(cls, "structural", _BASE_STRUCTURAL)
    check = _object_check(checks, frozenset(required), None if structural is _BASE_STRUCTURAL else structural)
    _compiled[cls] = check
    return check


def _object_check(
    checks: dict[str, Check],
    required: frozenset[str],
    structural: Callable[[Any], Any] | None,
) -> Check:
    get = checks.get

    def check(value: Any) -> object:
        if type(value) is not dict or not value.keys() >= required:
            return INVALID
        for key, item in value.items():
            field_check = get(key)
            if field_check is None or field_check(item) is not None:
                return INVALID
        if structural is not None and next(iter(structural(value)), None) is not None:
            return INVALID
        return None

    return check


def compile_field(field: fields.Field) -> Check:
    if field.allow_none:
        raise TypeError(f"{field!r}: the contract has no nullable field")
    check: Check
    if isinstance(field, Items):
        check = _list_check(field, compile_field(field.inner))
    elif isinstance(field, fields.Nested):
        if field.many:
            raise TypeError("use Items(Object(...)) for arrays of objects")
        check = compile_schema(field.schema)
    elif isinstance(field, LEAF_FIELDS):
        check = field.problem  # type: ignore[attr-defined]  # every LEAF_FIELDS class defines problem()
    else:
        raise TypeError(f"no compiled check for {type(field).__name__}")
    return _with_validators(check, field.validators) if field.validators else check


def _list_check(field: Items, item_check: Check) -> Check:
    problem = field.problem

    def check(value: Any) -> object:
        if problem(value) is not None:
            return INVALID
        for item in value:
            if item_check(item) is not None:
                return INVALID
        return None

    return check


def _with_validators(check: Check, validators: list[Callable[[Any], Any]]) -> Check:
    """Extra marshmallow validators, called as marshmallow calls them (a falsy `False` return is a failure)."""

    def validated(value: Any) -> object:
        if check(value) is not None:
            return INVALID
        for validator in validators:
            try:
                if validator(value) is False:
                    return INVALID
            except ValidationError:
                return INVALID
        return None

    return validated
