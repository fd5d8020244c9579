"""OpenAPI request bodies for the contract documents (the marshmallow schemas in docgen.contract.schemas)."""

from __future__ import annotations

from typing import Any


def request_body(doc_type: str) -> dict[str, Any]:
    """`requestBody` for a document of `doc_type` ("any": one of every document type)."""
    from docgen.contract import schemas

    by_type = schemas.SCHEMAS_BY_DOC_TYPE
    schema: Any = {"oneOf": list(by_type.values())} if doc_type == "any" else by_type[doc_type]
    return {"required": True, "content": {"application/json": {"schema": schema}}}
