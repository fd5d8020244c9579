"""The JSON data contract (shared/domain/contract.md) as marshmallow schemas, and `doc.schema` checking."""

from docgen.contract.fields import ID_PATTERN, is_contract_id
from docgen.contract.schemas import SCHEMAS_BY_DOC_TYPE
from docgen.contract.validate import DOC_TYPES, is_schema_valid, schema_violations

__all__ = [
    "DOC_TYPES",
    "ID_PATTERN",
    "SCHEMAS_BY_DOC_TYPE",
    "is_contract_id",
    "is_schema_valid",
    "schema_violations",
]
