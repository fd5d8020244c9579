"""Rendering bench: the 3-page IEP from valid-adult-iep.json as DOCX and as PDF/A-2b through the pool,
against a cold `soffice --convert-to pdf` and against the Carbone peer (../shared/peers/carbone) on the
same DOCX, in the same run.

    .venv/bin/python bench/render.py [--rounds 3] [--documents 1000]

The machine is shared and noisy, so docgen and Carbone are measured in alternating rounds and each figure
is the median over the rounds; only the ratios mean much. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from bench.common import percentile  # noqa: E402
from docgen.rendering import OfficePool, PoolSettings, render_docx  # noqa: E402
from tests.fixtures import load_fixture, strip_meta  # noqa: E402

CARBONE = ROOT.parent / "shared" / "peers" / "carbone" / "run"


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def iep() -> tuple[dict[str, Any], dict[str, Any]]:
    record = load_fixture("valid-adult-iep.json")
    return record["plans"][0], record["participant"]


def docx_p50(n: int) -> float:
    plan, participant = iep()
    times = []
    for i in range(n + 10):
        began = time.perf_counter()
        render_docx(
            plan, participant=participant, organisation="Example Workforce Center", local_area="LWIA 7"
        )
        if i >= 10:
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def sequential(pool: OfficePool, docx: bytes, n: int) -> list[float]:
    times = []
    for _ in range(n):
        began = time.perf_counter()
        pool.convert(docx)
        times.append((time.perf_counter() - began) * 1000)
    return times


def concurrent(pool: OfficePool, docx: bytes, n: int, callers: int = 16) -> float:
    remaining = [n]
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            pool.convert(docx)

    threads = [threading.Thread(target=work) for _ in range(callers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return n / (time.perf_counter() - began)


def cold(docx_path: Path, runs: int) -> float:
    with tempfile.TemporaryDirectory(prefix="cold-soffice-") as tmp:
        profile = Path(tmp) / "profile"
        times = []
        for i in range(runs + 1):
            began = time.perf_counter()
            subprocess.run(
                ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                 "--outdir", tmp, str(docx_path)],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            if i > 0:  # the first run also creates the profile
                times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times)


def unoserver_p50(docx: bytes, runs: int) -> float | None:
    """A plain unoserver instance (XML-RPC, its default conversion path) on the same DOCX, PDF/A-2b asked."""
    server = ROOT / "var" / "office-venv" / "bin" / "unoserver"
    if not server.exists():
        return None
    from unoserver.client import UnoClient

    with tempfile.TemporaryDirectory(prefix="bench-unoserver-") as tmp:
        proc = subprocess.Popen(
            [str(server), "--port", "23103", "--uno-port", "23102", "--user-installation", tmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            client = UnoClient(port="23103")
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.convert(indata=docx, convert_to="pdf", filter_options=["SelectPdfVersion=2"])
                    break
                except (ConnectionError, OSError):
                    if time.monotonic() > deadline:
                        return None
                    time.sleep(0.5)
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                client.convert(indata=docx, convert_to="pdf", filter_options=["SelectPdfVersion=2"])
                times.append((time.perf_counter() - began) * 1000)
            return statistics.median(times)
        finally:
            # unoserver forwards SIGTERM to its LibreOffice and reaps it; a group kill would orphan a zombie.
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def carbone(docx_path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(CARBONE), str(docx_path), "60", "16", "2"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def http_pdfs_per_s(documents: int, callers: int = 16) -> dict[str, Any]:
    """PDFs/s through the HTTP API: gunicorn (1 worker x `callers` threads, so one warm pool), PostgreSQL,
    `callers` concurrent clients, each request a different stored plan (nothing served from the cache)."""
    import urllib.error
    import urllib.request

    from bench.common import flask_cli, gunicorn, postgres_database

    record = strip_meta(load_fixture("valid-adult-iep.json"))
    plan = record["plans"][0]
    with postgres_database() as db_url, tempfile.TemporaryDirectory() as instance:
        env = dict(os.environ, DOCGEN_DATABASE_URL=db_url, DOCGEN_SECRET_KEY="bench-secret-key-0123456789",
                   DOCGEN_LOG_LEVEL="WARNING", DOCGEN_STORAGE_URL=f"file://{instance}/storage")  # fmt: skip
        flask_cli(env, "db", "upgrade")
        token = (
            flask_cli(env, "token", "create", "--org", "Bench", "--role", "planner").strip().splitlines()[-1]
        )
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        def call(url: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
            data = json.dumps(body).encode() if body is not None else None
            req = urllib.request.Request(url, data=data, headers=headers, method="POST" if body else "GET")
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read()

        with gunicorn(env, workers=1, threads=callers) as url:
            assert call(f"{url}/v1/records", record)[0] == 201
            ids = []
            for i in range(documents + 1):
                doc = json.loads(json.dumps(plan).replace(f'"{plan["id"]}"', f'"PL-H-{i}"'))
                for service in plan["services"]:
                    doc = json.loads(json.dumps(doc).replace(f'"{service["id"]}"', f'"{service["id"]}-{i}"'))
                if i:  # one open plan per participant (plan.single_open): the others are closed ones
                    doc.update(status="closed", closed_on="2025-12-31", close_reason="goals_completed")
                assert call(f"{url}/v1/plans", doc)[0] == 201
                ids.append(doc["id"])
            assert call(f"{url}/v1/plans/{ids.pop()}/document")[0] == 200  # starts the pool
            statuses: list[int] = []
            lock = threading.Lock()

            def worker() -> None:
                while True:
                    with lock:
                        if not ids:
                            return
                        plan_id = ids.pop()
                    status, _ = call(f"{url}/v1/plans/{plan_id}/document")
                    with lock:
                        statuses.append(status)

            began = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(callers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
    ok = statuses.count(200)
    return {"pdfs_per_s": round(ok / elapsed, 2), "http_requests": len(statuses),
            "http_busy_503": statuses.count(503), "http_failed": len(statuses) - ok - statuses.count(503)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--sequential", type=int, default=40)
    parser.add_argument("--concurrent", type=int, default=120)
    parser.add_argument("--http-documents", type=int, default=120, help="PDFs through the HTTP API (0: skip)")
    args = parser.parse_args()

    plan, participant = iep()
    docx = render_docx(
        plan, participant=participant, organisation="Example Workforce Center", local_area="LWIA 7"
    )
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    docx_path = work / "iep.docx"
    docx_path.write_bytes(docx)

    out: dict[str, Any] = {"docx_p50_ms": round(docx_p50(200), 2)}
    print(f"docx p50 {out['docx_p50_ms']} ms", flush=True)

    pool = OfficePool(PoolSettings.from_env())
    began = time.perf_counter()
    pool.start()
    print(f"pool of {pool.settings.size} started in {time.perf_counter() - began:.1f} s", flush=True)
    try:
        out["pages"] = len(PdfReader(io.BytesIO(pool.convert(docx))).pages)
        concurrent(pool, docx, 100)  # LibreOffice's font and layout caches fill over the first ~50 documents
        out["rss_mb_start"] = rss_mb([os.getpid(), *pool.process_ids()])

        seq: list[float] = []
        rates: list[float] = []
        peers: list[dict[str, Any]] = []
        for round_no in range(args.rounds):
            peers.append(carbone(docx_path))
            seq += sequential(pool, docx, args.sequential)
            rates.append(concurrent(pool, docx, args.concurrent))
            print(
                f"round {round_no + 1}: carbone {peers[-1]}, docgen p50 "
                f"{statistics.median(seq[-args.sequential :]):.0f} ms, {rates[-1]:.1f} PDFs/s",
                flush=True,
            )
        out["pdf_p50_ms"] = round(statistics.median(seq), 1)
        out["pdf_p90_ms"] = round(percentile(seq, 90), 1)
        out["pool_pdfs_per_s"] = round(statistics.median(rates), 2)

        concurrent(pool, docx, args.documents)
        out["rss_mb_after_1000"] = rss_mb([os.getpid(), *pool.process_ids()])
        out["conversions"] = pool.stats["conversions"]
        out["pool_restarts"] = pool.stats["restarts"]
    finally:
        pool.stop()

    out["cold_pdf_p50_ms"] = round(cold(docx_path, 5), 1)
    unoserver = unoserver_p50(docx, 30)
    out["unoserver_pdf_p50_ms"] = round(unoserver, 1) if unoserver is not None else None
    out["speedup_vs_cold"] = round(out["cold_pdf_p50_ms"] / out["pdf_p50_ms"], 1)
    out["carbone_pdf_p50_ms"] = round(statistics.median(p["seq_p50_ms"] for p in peers), 1)
    out["carbone_pdfs_per_s"] = round(statistics.median(p["pdfs_per_s"] for p in peers), 2)
    out["pdf_p50_vs_carbone"] = round(out["pdf_p50_ms"] / out["carbone_pdf_p50_ms"], 2)
    # Like for like: docgen's pool and Carbone's factories, both converting the same file in process.
    out["throughput_vs_carbone"] = round(out["pool_pdfs_per_s"] / out["carbone_pdfs_per_s"], 2)
    if args.http_documents:
        out.update(http_pdfs_per_s(args.http_documents))
        out["http_vs_carbone"] = round(out["pdfs_per_s"] / out["carbone_pdfs_per_s"], 2)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
