"""Property-based run: schemathesis generates requests from /openapi.json; none may get a 5xx."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings

from docgen.db import get_db

# A few thousand cases in all, spread over every operation; more with DOCGEN_PROPERTY_EXAMPLES.
EXAMPLES = int(os.environ.get("DOCGEN_PROPERTY_EXAMPLES", "150"))


# Generating whole contract documents is slow, so this runs on PostgreSQL (production's database) only;
# every other API test runs on both.
@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_no_server_errors(app: Flask, client: FlaskClient, planner: dict[str, str]) -> None:
    assert get_db(app).engine.dialect.name == "postgresql"
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = 0
    cases: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            cases.append(1)
            response = case.call(headers=planner)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            )
            if response.status_code >= 400:
                assert response.headers["content-type"][0].startswith("application/problem+json")

        run()
        operations += 1
    assert operations >= 20
    # "A few thousand cases": guard against the run silently shrinking.
    assert len(cases) >= 2000, len(cases)
