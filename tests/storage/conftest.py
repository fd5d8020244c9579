"""Storage test parts: a real moto S3 server over HTTP for the session, and one harness per backend."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest
import requests
from botocore.config import Config

from storage import open_storage
from tests.storage.harness import TEST_SECRET, Harness

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

BUCKET = "docgen-storage-tests"
MOTO_START_SECONDS = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def aws_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Dummy credentials through the environment (boto3's usual chain), and no stray profile or config."""
    nowhere = tmp_path_factory.mktemp("aws") / "absent"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_CONFIG_FILE", str(nowhere))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere))
        for name in (
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
            "AWS_REGION",
            "AWS_ENDPOINT_URL",
        ):
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def moto_url(aws_env: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's standalone S3 server on a free loopback port, for the whole session."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = Path(sys.executable).with_name("moto_server")
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + MOTO_START_SECONDS
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"moto_server exited early:\n{log_path.read_text()[-2000:]}")
                try:
                    with requests.get(url, timeout=1) as response:
                        if response.status_code == 200:
                            break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not answer within {MOTO_START_SECONDS} s")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def raw_s3(moto_url: str) -> S3Client:
    """A plain boto3 client on the same server: the tests' way around the layer."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=moto_url,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="session")
def s3_bucket(raw_s3: S3Client) -> str:
    raw_s3.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True)
    return BUCKET


def make_s3_harness(moto_url: str, raw_s3: S3Client, bucket: str, **options: object) -> Harness:
    """A fresh prefix per test: locked objects cannot be cleaned away, so tests never share keys."""
    prefix = f"t-{uuid.uuid4().hex[:12]}/"
    storage = open_storage(f"s3://{bucket}/{prefix}", endpoint_url=moto_url, **options)  # type: ignore[arg-type]
    return Harness(kind="s3", storage=storage, raw=raw_s3, bucket=bucket, prefix=prefix)


def make_local_harness(root: Path, **options: object) -> Harness:
    storage = open_storage(root.as_uri(), secret_key=TEST_SECRET, **options)  # type: ignore[arg-type]
    return Harness(kind="local", storage=storage, root=root)


@pytest.fixture(params=["local", "s3"])
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Harness:
    if request.param == "local":
        return make_local_harness(tmp_path / "objects")
    return make_s3_harness(
        request.getfixturevalue("moto_url"),
        request.getfixturevalue("raw_s3"),
        request.getfixturevalue("s3_bucket"),
    )
