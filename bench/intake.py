"""Intake speed: validate p50 in process; POST of plans over HTTP (gunicorn, 2 workers, PostgreSQL,
8 concurrent clients, 30 s by default), and GET /healthz under the same load as the framework's own ceiling.

Last line: one JSON object. Targets: validate p50 <= 2 ms; intake >= 400 plans/s with p99 <= 50 ms.
Usage: .venv/bin/python bench/intake.py [--seconds 30] [--participants 1000]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import flask_cli, gunicorn, postgres_database
from docgen.policy import evaluate
from tests.fixtures import load_fixture, strip_meta

WRK_SCRIPT = """
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  template = args[1]
  participants = tonumber(args[2])
end
function request()
  counter = counter + 1
  local n = counter * 64 + tid
  local p = n % participants
  local body = template:gsub("__PLAN__", "PL-B-" .. n):gsub("__PART__", "P-B-" .. p):gsub("__ASSESS__", "A-B-" .. p):gsub("__N__", n)
  return wrk.format("POST", nil, nil, body)
end
response = function(status, headers, body)
  if status >= 300 and not reported then
    reported = true
    io.stderr:write("first failed response: " .. status .. " " .. string.sub(body, 1, 3000) .. "\\n")
  end
end
done = function(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests": %d, "seconds": %f, "errors": %d, "non2xx": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
"""


def validate_p50_ms(rounds: int = 2000) -> float:
    record = strip_meta(load_fixture("valid-adult-iep.json"))
    for _ in range(50):
        evaluate(record)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        evaluate(record)
        times.append((time.perf_counter() - start) * 1000)
    return median(times)


def _post(url: str, path: str, token: str, body: dict[str, Any]) -> int:
    req = urllib.request.Request(
        url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        status: int = resp.status
        return status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    args = parser.parse_args()

    result: dict[str, Any] = {"validate_p50_ms": round(validate_p50_ms(), 3)}

    record = strip_meta(load_fixture("valid-adult-iep.json"))
    plan = copy.deepcopy(record["plans"][0])
    with postgres_database() as db_url, tempfile.TemporaryDirectory() as instance:
        env = dict(
            os.environ,
            DOCGEN_DATABASE_URL=db_url,
            DOCGEN_SECRET_KEY="bench-secret-key-0123456789",
            DOCGEN_LOG_LEVEL="WARNING",
            DOCGEN_STORAGE_URL=f"file://{instance}/storage",
        )
        flask_cli(env, "db", "upgrade")
        token = (
            flask_cli(env, "token", "create", "--org", "Bench Board", "--role", "planner")
            .strip()
            .splitlines()[-1]
        )
        with gunicorn(env, workers=2, threads=args.threads) as url:
            for i in range(args.participants):
                bundle = copy.deepcopy(record)
                pid = f"P-B-{i}"
                bundle["participant"]["id"] = pid
                for a in bundle["assessments"]:
                    a["participant_id"] = pid
                    a["id"] = f"A-B-{i}"
                bundle["plans"], bundle["case_notes"] = [], []
                _post(url, "/v1/records", token, bundle)
            # Service ids are unique across a participant's plans (doc.refs): each request gets its own.
            for service in record["plans"][0]["services"]:
                plan = json.loads(json.dumps(plan).replace(f'"{service["id"]}"', f'"{service["id"]}-__N__"'))
            template = (
                json.dumps(plan)
                .replace(f'"{plan["id"]}"', '"__PLAN__"', 1)
                .replace(f'"{plan["participant_id"]}"', '"__PART__"', 1)
                .replace(f'"{plan["assessment_ids"][0]}"', '"__ASSESS__"')
            )
            intake = _wrk_run(
                url + "/v1/plans", args.seconds, token, WRK_SCRIPT, [template, str(args.participants)]
            )
            health = _wrk_run(url + "/healthz", min(args.seconds, 10), token, HEALTH_SCRIPT, [])
    result.update(
        intake_per_s=round(intake["requests"] / intake["seconds"], 1),
        intake_p50_ms=round(intake["p50_us"] / 1000, 2),
        intake_p99_ms=round(intake["p99_us"] / 1000, 2),
        intake_failed=intake["errors"] + intake["non2xx"],
        health_per_s=round(health["requests"] / health["seconds"], 1),
    )
    result["gunicorn"] = f"2 workers x {args.threads} threads"
    result["intake_vs_health"] = round(result["intake_per_s"] / result["health_per_s"], 3)
    result["targets_met"] = (
        result["validate_p50_ms"] <= 2 and result["intake_per_s"] >= 400 and result["intake_p99_ms"] <= 50
    )
    print(json.dumps(result))


HEALTH_SCRIPT = WRK_SCRIPT.split("function request()")[0] + WRK_SCRIPT[WRK_SCRIPT.index("done = function") :]


def _wrk_run(url: str, seconds: int, token: str, script: str, args: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
        path = fh.name
    try:
        cmd = [
            "wrk",
            "-t",
            "2",
            "-c",
            "8",
            "-d",
            f"{seconds}s",
            "--latency",
            "-s",
            path,
            "-H",
            f"Authorization: Bearer {token}",
            "-H",
            "Content-Type: application/json",
            url,
            "--",
            *args,
        ]
        run = subprocess.run(cmd, check=True, capture_output=True, text=True)
        out = run.stdout
        sys.stderr.write(run.stderr)
    finally:
        os.unlink(path)
    match = re.search(r"WRKJSON (\{.*\})", out)
    if not match:
        raise RuntimeError(out)
    parsed: dict[str, Any] = json.loads(match.group(1))
    return parsed


if __name__ == "__main__":
    main()
