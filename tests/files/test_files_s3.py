"""The files API on the S3 backend (moto's server over HTTP, bucket with Object Lock)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from docgen.files import services as files
from storage import open_storage
from tests.conftest import TokenFactory, problem_of
from tests.files.test_files import _caller, _store

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@pytest.fixture
def s3_app(app: Flask, client: FlaskClient, moto_url: str, s3_bucket: str) -> Flask:
    """The app with S3 storage under a fresh prefix (locked objects cannot be cleaned away between tests)."""
    app.extensions["docgen.storage"] = open_storage(
        f"s3://{s3_bucket}/t-{uuid.uuid4().hex[:12]}", endpoint_url=moto_url
    )
    return app


def test_files_on_s3(s3_app: Flask, client: FlaskClient, make_token: TokenFactory, raw_s3: S3Client,
                     s3_bucket: str) -> None:  # fmt: skip
    token = make_token("S3 Board", "admin")
    headers = {"Authorization": f"Bearer {token}"}
    caller = _caller(s3_app, token)
    draft = _store(s3_app, caller, b"%PDF draft on s3")
    original = _store(s3_app, caller, b"%PDF signed original on s3", signed=True)
    assert client.get(f"/v1/files/{draft.public_id}/content", headers=headers).data == b"%PDF draft on s3"
    link = client.post(f"/v1/files/{original.public_id}/download-link", headers=headers).json
    assert link["url"].startswith("http://127.0.0.1")
    assert "X-Amz-Expires=300" in link["url"]
    with requests.get(link["url"], timeout=10) as fetched:
        assert fetched.content == b"%PDF signed original on s3"
    # The original is locked on the server: raw deletion of its version is refused by S3 itself.
    name = files.get_storage(s3_app)._name(files.objects.ObjectKey.parse(original.key))  # type: ignore[attr-defined]
    assert original.version_id is not None
    with pytest.raises(Exception, match="AccessDenied"):
        raw_s3.delete_object(Bucket=s3_bucket, Key=name, VersionId=original.version_id)
    assert client.delete(f"/v1/files/{original.public_id}", headers=headers).status_code == 423
    assert client.delete(f"/v1/files/{draft.public_id}", headers=headers).status_code == 204
    # Legal hold and retention, through the API.
    held = client.put(f"/v1/files/{original.public_id}/legal-hold", json={"on": True}, headers=headers)
    assert held.status_code == 200
    assert held.json["legal_hold"] is True
    later = (original.locked_until + dt.timedelta(days=365)).isoformat()  # type: ignore[operator]
    extended = client.put(
        f"/v1/files/{original.public_id}/retention", json={"retain_until": later}, headers=headers
    )
    assert extended.status_code == 200
    assert extended.json["locked_until"].startswith(later[:10])
    earlier = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    shorter = client.put(
        f"/v1/files/{original.public_id}/retention", json={"retain_until": earlier}, headers=headers
    )
    assert shorter.status_code == 423
    problem_of(shorter)
    planner = {"Authorization": f"Bearer {make_token('S3 Board', 'planner')}"}
    assert (
        client.put(
            f"/v1/files/{original.public_id}/legal-hold", json={"on": False}, headers=planner
        ).status_code
        == 403
    )
