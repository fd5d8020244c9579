"""Storage layer overhead: put/get of a 100 KB PDF-like payload through storage.S3Storage against a moto
server this script starts, and the same operations with raw boto3 on the same server in the same run.

    .venv/bin/python bench/storage.py [--iterations 200]

The layer's put adds a SHA-256, metadata and If-None-Match to the PutObject; its get re-hashes the bytes.
Layer and raw calls alternate, so drift on the shared machine hits both alike. The last line of output is
one JSON object (target: put_overhead_ratio and get_overhead_ratio <= 1.2).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
import requests  # noqa: E402
from botocore.config import Config  # noqa: E402

from bench.common import free_port  # noqa: E402
from storage import ObjectKey, open_storage, sha256_hex  # noqa: E402

PAYLOAD_BYTES = 100_000
BUCKET = "docgen-bench"


def pdf_like(size: int) -> bytes:
    head, tail = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n"
    return head + random.Random(7).randbytes(size - len(head) - len(tail)) + tail


@contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with requests.get(url, timeout=1) as response:
                        if response.status_code == 200:
                            break
                except requests.ConnectionError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("moto_server did not start")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def timed(samples: list[float], action: Callable[[], object]) -> None:
    start = time.perf_counter_ns()
    action()
    samples.append((time.perf_counter_ns() - start) / 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    data = pdf_like(PAYLOAD_BYTES)
    digest = sha256_hex(data)
    with moto_server() as url:
        raw = boto3.session.Session().client(
            "s3",
            endpoint_url=url,
            config=Config(
                signature_version="s3v4", s3={"addressing_style": "path"}, retries={"mode": "standard"}
            ),
        )
        raw.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True)
        layer = open_storage(f"s3://{BUCKET}/layer", endpoint_url=url)
        run = uuid.uuid4().hex[:8]
        samples: dict[str, list[float]] = {"put": [], "get": [], "raw_put": [], "raw_get": []}

        def one_round(number: int) -> dict[str, list[float]]:
            key = ObjectKey("bench-org", "P-000001", "plan", f"PLAN-{run}", number, "plan.pdf")
            raw_key = f"raw/{run}/{number}/plan.pdf"
            measured: dict[str, list[float]] = {name: [] for name in samples}
            timed(
                measured["put"],
                lambda: layer.put(key, data, content_type="application/pdf", created_by="bench"),
            )
            timed(
                measured["raw_put"],
                lambda: raw.put_object(Bucket=BUCKET, Key=raw_key, Body=data, ContentType="application/pdf"),
            )
            timed(measured["get"], lambda: layer.get(key, expected_sha256=digest))
            timed(measured["raw_get"], lambda: raw.get_object(Bucket=BUCKET, Key=raw_key)["Body"].read())
            return measured

        for number in range(1, args.warmup + args.iterations + 1):
            measured = one_round(number)
            if number > args.warmup:
                for name, values in measured.items():
                    samples[name].extend(values)

    p50 = {name: statistics.median(values) for name, values in samples.items()}
    p90 = {name: statistics.quantiles(values, n=10)[-1] for name, values in samples.items()}
    for name in samples:
        print(f"{name:8s} p50 {p50[name]:7.2f} ms   p90 {p90[name]:7.2f} ms")
    result = {
        "payload_bytes": PAYLOAD_BYTES,
        "iterations": args.iterations,
        "put_ms_p50": round(p50["put"], 3),
        "get_ms_p50": round(p50["get"], 3),
        "raw_boto3_put_ms_p50": round(p50["raw_put"], 3),
        "raw_boto3_get_ms_p50": round(p50["raw_get"], 3),
        "put_overhead_ratio": round(p50["put"] / p50["raw_put"], 3),
        "get_overhead_ratio": round(p50["get"] / p50["raw_get"], 3),
        "target_ratio": 1.2,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
