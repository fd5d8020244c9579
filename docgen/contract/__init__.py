"""The JSON data contract (shared/domain/contract.md) as marshmallow schemas, and `doc.schema` checking."""

from docgen.contract.schemas import SCHEMAS_BY_DOC_TYPE
from docgen.contract.validate import DOC_TYPES, is_schema_valid, schema_violations

__all__ = ["DOC_TYPES", "SCHEMAS_BY_DOC_TYPE", "is_schema_valid", "schema_violations"]
