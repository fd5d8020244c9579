"""One log line per request, with the request id; never participant data."""

from __future__ import annotations

import json
import logging
import re

import pytest
from flask.testing import FlaskClient

from tests.fixtures import load_fixture, strip_meta


def test_request_log_has_id_and_no_participant_data(
    client: FlaskClient, planner: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    participant = strip_meta(load_fixture("valid-adult-iep.json")["participant"])
    with caplog.at_level(logging.INFO, logger="docgen"):
        resp = client.post("/v1/participants", json=participant, headers=planner)
        client.get(f"/v1/participants/{participant['id']}?version=1", headers=planner)
        note = strip_meta(load_fixture("invalid-pii.no_ssn.json"))
        client.post("/v1/case-notes", json=note, headers=planner)
    request_lines = [r.getMessage() for r in caplog.records if r.name == "docgen.request"]
    assert len(request_lines) == 3
    assert f"request_id={resp.headers['X-Request-Id']}" in request_lines[0]
    assert "POST /v1/participants 201" in request_lines[0]
    assert "/v1/participants/<doc_id>" in request_lines[1]
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for value in (
        participant["id"],
        participant["first_name"],
        participant["last_name"],
        participant["email"],
    ):
        assert value not in everything
    ssn = re.search(r"\d{3}-\d{2}-\d{4}", json.dumps(note))
    assert ssn is not None
    assert ssn.group(0) not in everything
