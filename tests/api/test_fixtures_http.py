"""Every shared fixture through POST /v1/validate over HTTP: exactly its `_expect` errors, and its `_warn`."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.fixtures import fixture_names, load_fixture


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_through_validate(client: FlaskClient, planner: dict[str, str], name: str) -> None:
    doc = load_fixture(name)
    resp = client.post("/v1/validate", json=doc, headers=planner)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    body = resp.json
    errors = {f["rule"] for f in body["findings"] if f["severity"] == "error"}
    warnings = {f["rule"] for f in body["findings"] if f["severity"] == "warning"}
    assert errors == set(doc["_expect"]), body["findings"]
    assert set(doc.get("_warn", [])) <= warnings
    assert body["valid"] is (not errors)
    for finding in body["findings"]:
        assert finding["path"] == "" or finding["path"].startswith("/")
        assert finding["citation"]["source"]
        assert finding["citation"]["quote"]
