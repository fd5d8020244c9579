"""OpenAPI request bodies for the contract documents (the marshmallow schemas in docgen.contract.schemas)."""

from __future__ import annotations

from typing import Any


def request_body(doc_type: str) -> dict[str, Any]:
    """`requestBody` for a document of `doc_type` ("any": one of every document type)."""
    from docgen.contract import schemas

    by_type: dict[str, Any] = getattr(schemas, "SCHEMAS_BY_DOC_TYPE", {})
    if doc_type == "any":
        schema: Any = {"oneOf": list(by_type.values())} if by_type else {"type": "object"}
    else:
        schema = by_type.get(doc_type, {"type": "object"})
    return {"required": True, "content": {"application/json": {"schema": schema}}}
