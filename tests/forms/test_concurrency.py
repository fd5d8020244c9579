"""40 concurrent PDF requests through a real threaded HTTP server on 2 cores: every one is answered (200, or
503 with Retry-After), none hangs more than 30 s."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from alembic import command
from werkzeug.serving import make_server

from docgen import create_app
from docgen.auth import create_token
from docgen.cli import alembic_config
from docgen.db import get_db
from tests.fixtures import load_fixture, strip_meta

REQUESTS = 40


def test_forty_concurrent_pdf_requests(tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}",
            "STORAGE_URL": f"file://{tmp_path / 'objects'}",
            "SECRET_KEY": "load-test-secret-key-0123456789",
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        command.upgrade(alembic_config(), "head")
        with get_db().session() as s:
            token, _ = create_token(s, "Load Board", "planner")
            s.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    mou = strip_meta(load_fixture("valid-mou.json"))
    for i in range(REQUESTS):  # distinct documents: nothing is served from stored renderings
        assert client.post("/v1/mous", json=dict(mou, id=f"MOU-L-{i}"), headers=headers).status_code == 201

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    results: list[tuple[int, str | None, float]] = []
    problems: list[bool] = []
    lock = threading.Lock()

    def fetch(i: int) -> None:
        url = f"http://127.0.0.1:{server.server_port}/v1/mous/MOU-L-{i}/document"
        began = time.monotonic()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as resp:
                status, retry_after = resp.status, None
                assert resp.read().startswith(b"%PDF")
        except urllib.error.HTTPError as exc:
            status, retry_after = exc.code, exc.headers.get("Retry-After")
            problem = exc.headers["Content-Type"] == "application/problem+json"
        else:
            problem = True
        with lock:
            results.append((status, retry_after, time.monotonic() - began))
            problems.append(problem)

    try:
        callers = [threading.Thread(target=fetch, args=(i,)) for i in range(REQUESTS)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=90)
    finally:
        server.shutdown()
        pool = app.extensions.get("docgen.office_pool")
        if pool is not None:
            pool.stop()
        get_db(app).engine.dispose()
    assert len(results) == REQUESTS
    assert all(problems)
    assert all(status in (200, 503) for status, _, _ in results), results
    assert all(retry is not None and int(retry) > 0 for status, retry, _ in results if status == 503)
    assert max(seconds for _, _, seconds in results) < 30
    assert sum(status == 200 for status, _, _ in results) >= REQUESTS // 2
