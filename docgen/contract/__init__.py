"""The JSON data contract (shared/domain/contract.md) as marshmallow schemas."""

from docgen.contract.validate import DOC_TYPES, schema_violations

__all__ = ["DOC_TYPES", "schema_violations"]
