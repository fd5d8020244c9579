"""The LibreOffice pool under failure and load (real LibreOffice, real processes, no mocks)."""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from docgen.rendering import (
    ConversionFailed,
    ConversionTimeout,
    OfficePool,
    OfficeUnavailable,
    PoolBusy,
    PoolClosed,
    PoolSettings,
    render_docx,
)
from tests.rendering.conftest import adult_record


def _iep_docx() -> bytes:
    record = adult_record()
    return render_docx(
        record["plans"][0], participant=record["participant"], organisation="O", local_area="A"
    )


def _heavy_docx(goals: int = 400) -> bytes:
    """An IEP of ~80 pages (~2 s): long enough to be caught mid-conversion."""
    record = adult_record()
    plan = record["plans"][0]
    template = plan["goals"][0]
    plan["goals"] = []
    for n in range(goals):
        goal = copy.deepcopy(template)
        goal["id"] = f"G{n}"
        for objective in goal["objectives"]:
            objective["id"] = f"{objective['id']}-{n}"
        plan["goals"].append(goal)
    return render_docx(plan, participant=record["participant"], organisation="O", local_area="A")


def _exists(pid: int) -> bool:
    """True while the process exists at all, zombie included (a zombie is a leak too)."""
    return Path(f"/proc/{pid}").exists()


def _settings(**overrides: Any) -> PoolSettings:
    return PoolSettings.from_env(**overrides)


def test_killing_libreoffice_mid_conversion_recovers() -> None:
    pool = OfficePool(_settings(size=2))
    pool.start()
    seen = set(pool.process_ids())
    heavy = _heavy_docx()
    try:
        outcome: dict[str, Any] = {}

        def convert() -> None:
            try:
                outcome["pdf"] = pool.convert(heavy)
            except ConversionFailed as exc:
                outcome["error"] = exc

        caller = threading.Thread(target=convert)
        caller.start()
        time.sleep(0.3)  # the heavy document takes well over a second
        for pid in pool.office_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        caller.join(timeout=60)
        assert not caller.is_alive()
        # Either retried on a fresh instance, or a clear error; never a hang.
        assert outcome.get("pdf", b"%PDF-").startswith(b"%PDF-")
        if "error" in outcome:
            assert "LibreOffice" in str(outcome["error"])
        assert pool.stats["crashes"] >= 1
        for _ in range(3):
            assert pool.convert(_iep_docx()).startswith(b"%PDF-")
        seen |= set(pool.process_ids())
    finally:
        pool.stop()
    deadline = time.monotonic() + 10
    while any(_exists(pid) for pid in seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in seen if _exists(pid)] == []  # no orphan, no zombie


def test_timeout_restarts_the_instance_and_max_conversions_recycles_it() -> None:
    pool = OfficePool(_settings(size=1, max_conversions=3))
    pool.start()
    try:
        first = set(pool.office_pids())
        with pytest.raises(ConversionTimeout):
            pool.convert(_heavy_docx(), timeout=0.05)
        assert pool.convert(_iep_docx()).startswith(b"%PDF-")
        second = set(pool.office_pids())
        assert first
        assert second
        assert first != second
        for _ in range(3):  # the third conversion reaches max_conversions
            pool.convert(_iep_docx())
        assert pool.convert(_iep_docx()).startswith(b"%PDF-")
        assert set(pool.office_pids()) != second
        assert pool.stats["timeouts"] == 1
        assert pool.stats["restarts"] == 2
    finally:
        pool.stop()
    with pytest.raises(PoolClosed):
        pool.convert(_iep_docx())


def test_forty_concurrent_callers_are_all_answered() -> None:
    pool = OfficePool(_settings(size=2, queue_size=8, queue_timeout=10))
    pool.start()
    docx = _iep_docx()
    results: list[tuple[str, float, Any]] = []
    lock = threading.Lock()
    go = threading.Event()

    def call() -> None:
        go.wait()
        began = time.monotonic()
        try:
            outcome: tuple[str, Any] = ("pdf", pool.convert(docx))
        except PoolBusy as exc:
            outcome = ("busy", exc.retry_after)
        with lock:
            results.append((outcome[0], time.monotonic() - began, outcome[1]))

    try:
        callers = [threading.Thread(target=call) for _ in range(40)]
        for caller in callers:
            caller.start()
        go.set()
        for caller in callers:
            caller.join(timeout=60)
        assert not any(caller.is_alive() for caller in callers)
    finally:
        pool.stop()
    assert len(results) == 40
    assert max(elapsed for _, elapsed, _ in results) < 30
    pdfs = [value for kind, _, value in results if kind == "pdf"]
    busy = [value for kind, _, value in results if kind == "busy"]
    assert len(pdfs) + len(busy) == 40
    assert len(pdfs) >= 10
    assert all(pdf.startswith(b"%PDF-") for pdf in pdfs)
    assert busy
    assert all(isinstance(after, int) and after >= 1 for after in busy)


def test_missing_libreoffice_is_a_clear_error() -> None:
    pool = OfficePool(_settings(size=1, soffice=Path("/nonexistent/soffice.bin")))
    began = time.monotonic()
    with pytest.raises(OfficeUnavailable):
        pool.convert(_iep_docx())
    assert time.monotonic() - began < 10
    pool.stop()


def test_a_broken_document_is_refused_and_the_instance_kept(office_pool: OfficePool) -> None:
    before = set(office_pool.office_pids())
    with pytest.raises(ConversionFailed):
        office_pool.convert(b"PK\x03\x04 this is not a docx")
    assert office_pool.convert(_iep_docx()).startswith(b"%PDF-")
    assert set(office_pool.office_pids()) == before
