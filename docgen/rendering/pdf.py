"""DOCX -> PDF/A-2b through a pool of warm LibreOffice instances.

`OfficePool` is owned by the app: start it at app start (or let the first conversion start it), stop it
at exit. It is thread-safe; any number of threads may call `convert`.

- N instances (default: number of cores), each a LibreOffice with its own user profile, driven by a small
  UNO worker (office_worker.py) over a pipe. No cold soffice per document.
- Bounded queue: at most `queue_size` callers wait (first come, first served); beyond that, or after
  `queue_timeout` seconds of waiting, `PoolBusy` is raised at once with a retry-after in seconds (the API
  answers 503 + Retry-After). Nothing waits forever.
- Each conversion has a timeout. An instance that times out or crashes is killed (its whole process
  group) and replaced in the background; a conversion hit by a crash is retried once on another instance.
  Instances are also replaced after `max_conversions` conversions (LibreOffice leaks over long runs).
- Stopping kills every process group it started; LibreOffice also dies with its worker (PDEATHSIG) and
  the worker exits when docgen goes away, so no soffice outlives the pool.

Why this is faster than a plain unoserver pool (measured on the 3-page IEP; see bench/render.py):
- per call only two file paths cross a pipe (unoserver: an info call, base64 in XML-RPC, temp files, a
  thread pool, a filter-list search and two document refreshes that re-lay the document out); the
  document is closed after the reply, off the caller's time;
- LibreOffice runs with jemalloc (its allocation pattern costs glibc malloc ~20 % of the CPU), with its
  temp files on tmpfs, and with a profile that skips autocomplete word collection, VBA loading, lock
  files, autosave/recovery and online spelling;
- documents are loaded hidden, read-only, with the import filter named (no type detection) and exported
  with only what PDF/A-2b needs;
- each instance is warmed with a real form before it takes traffic, and restarts happen off the
  request path.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import hashlib
import json
import math
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import weakref
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.rendering.docx import RenderError, template_path

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("office_worker.py")
SOFFICE = Path("/usr/lib/libreoffice/program/soffice.bin")

# LibreOffice settings every instance runs with (see the module docstring for why).
REGISTRY_ITEMS = (
    ("/org.openoffice.Office.Writer/AutoFunction/Completion", "Enable", "false"),
    ("/org.openoffice.Office.Writer/AutoFunction/Completion", "CollectWords", "false"),
    ("/org.openoffice.Office.Writer/Filter/Import/VBA", "Load", "false"),
    ("/org.openoffice.Office.Writer/Filter/Import/VBA", "Executable", "false"),
    ("/org.openoffice.Office.Common/Misc", "UseDocumentSystemFileLocking", "false"),
    ("/org.openoffice.Office.Common/Misc", "UseDocumentOOoLockFile", "false"),
    ("/org.openoffice.Office.Linguistic/SpellChecking", "IsSpellAuto", "false"),
    ("/org.openoffice.Office.Common/Save/Document", "LoadPrinter", "false"),
    ("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
    ("/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"),
    # Linked images and other resources a document points at are never fetched during conversion.
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
)


class PdfError(RenderError):
    """Base of the PDF conversion errors."""


class PoolBusy(PdfError):
    """Every instance is busy and the queue is full (or the wait ran out): try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"PDF conversion is busy; retry after {retry_after} s")
        self.retry_after = retry_after


class ConversionFailed(PdfError):
    """LibreOffice could not convert this document."""


class ConversionTimeout(ConversionFailed):
    """The conversion took longer than the per-conversion timeout; the instance was restarted."""


class OfficeUnavailable(PdfError):
    """LibreOffice could not be started."""


class PoolClosed(PdfError):
    """The pool has been stopped."""


def _env_int(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name)
    return int(value) if value else default


def _env_float(env: dict[str, str], name: str, default: float) -> float:
    value = env.get(name)
    return float(value) if value else default


def _default_scratch() -> Path:
    shm = Path("/dev/shm")  # noqa: S108 - a private subdirectory per instance is made under it
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm
    return Path(tempfile.gettempdir())


def _default_office_python() -> Path:
    venv = ROOT / "var" / "office-venv" / "bin" / "python"
    return venv if venv.exists() else Path("/usr/bin/python3")


def _find_jemalloc() -> str | None:
    found = sorted(glob.glob("/usr/lib/*/libjemalloc.so.2")) + sorted(glob.glob("/usr/lib/libjemalloc.so.2"))
    return found[0] if found else None


@dataclass(frozen=True)
class PoolSettings:
    size: int = field(default_factory=lambda: os.cpu_count() or 2)
    # Memory is flat after ~50 documents (measured); restarting costs ~1 s of CPU, so not too often.
    max_conversions: int = 1000
    conversion_timeout: float = 30.0
    queue_size: int = 32
    queue_timeout: float = 20.0
    start_timeout: float = 60.0
    warmup_conversions: int = 2
    office_python: Path = field(default_factory=_default_office_python)
    soffice: Path = SOFFICE
    work_dir: Path = ROOT / "var" / "office"
    scratch_dir: Path = field(default_factory=_default_scratch)
    jemalloc: bool = True

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> PoolSettings:
        """Settings from DOCGEN_PDF_* / DOCGEN_OFFICE_* variables; keyword arguments win."""
        env = dict(os.environ if env is None else env)
        base = cls()
        values: dict[str, Any] = {
            "size": _env_int(env, "DOCGEN_PDF_POOL_SIZE", base.size),
            "max_conversions": _env_int(env, "DOCGEN_PDF_MAX_CONVERSIONS", base.max_conversions),
            "conversion_timeout": _env_float(env, "DOCGEN_PDF_TIMEOUT", base.conversion_timeout),
            "queue_size": _env_int(env, "DOCGEN_PDF_QUEUE_SIZE", base.queue_size),
            "queue_timeout": _env_float(env, "DOCGEN_PDF_QUEUE_TIMEOUT", base.queue_timeout),
            "start_timeout": _env_float(env, "DOCGEN_PDF_START_TIMEOUT", base.start_timeout),
            "office_python": Path(env.get("DOCGEN_OFFICE_PYTHON", str(base.office_python))),
            "soffice": Path(env.get("DOCGEN_SOFFICE", str(base.soffice))),
            "work_dir": Path(env.get("DOCGEN_OFFICE_DIR", str(base.work_dir))),
            "scratch_dir": Path(env.get("DOCGEN_OFFICE_SCRATCH", str(base.scratch_dir))),
            "jemalloc": env.get("DOCGEN_PDF_JEMALLOC", "1") not in ("0", "false", "no"),
        }
        values.update(overrides)
        settings = cls(**values)
        if settings.size < 1 or settings.max_conversions < 1 or settings.queue_size < 0:
            raise ValueError("pool size and max conversions must be >= 1, queue size >= 0")
        return settings


# ---------------------------------------------------------------------------------------------------------
# Profiles


def _registry_xml() -> str:
    return "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in REGISTRY_ITEMS
    )


def _seed_profile(settings: PoolSettings, env: dict[str, str]) -> Path:
    """A LibreOffice user profile initialised once (first start does extra work and asks for a restart),
    with docgen's settings; every instance starts from a fresh copy of it."""
    version = hashlib.sha256(
        (str(settings.soffice) + str(settings.soffice.stat().st_mtime_ns) + _registry_xml()).encode()
    ).hexdigest()[:16]
    seed = settings.work_dir / f"seed-{version}"
    if (seed / "user" / "registrymodifications.xcu").exists():
        return seed
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="seed-build-", dir=settings.work_dir))
    try:
        for _ in range(3):
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell, our own settings
                [
                    str(settings.soffice),
                    "--headless",
                    "--nologo",
                    "--norestore",
                    "--nofirststartwizard",
                    "--nodefault",
                    "--terminate_after_init",
                    f"-env:UserInstallation={building.as_uri()}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                timeout=settings.start_timeout,
                check=False,
            )
            if done.returncode == 0 and (building / "user" / "registrymodifications.xcu").exists():
                break
        else:
            raise OfficeUnavailable("LibreOffice could not initialise a user profile")
        xcu = building / "user" / "registrymodifications.xcu"
        text = xcu.read_text(encoding="utf-8")
        xcu.write_text(text.replace("</oor:items>", _registry_xml() + "</oor:items>"), encoding="utf-8")
        try:
            building.rename(seed)
        except OSError:
            if not (seed / "user" / "registrymodifications.xcu").exists():  # another process won the race
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return seed


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _remove_stale(directory: Path, prefix: str) -> None:
    """Profiles and scratch directories left by a docgen process that died without stopping its pool."""
    if not directory.is_dir():
        return
    for entry in directory.glob(f"{prefix}*"):
        owner = entry.name.removeprefix(prefix).split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not Path(f"/proc/{owner}").exists():
            shutil.rmtree(entry, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------
# One instance


class _Crashed(Exception):
    pass


class _TimedOut(Exception):
    pass


class _Instance:
    def __init__(self, settings: PoolSettings, index: int, seed: Path, env: dict[str, str]) -> None:
        self.settings = settings
        self.index = index
        self.tag = f"{os.getpid()}-{index}-{uuid.uuid4().hex[:8]}"
        self.profile = settings.work_dir / "profiles" / self.tag
        self.scratch = settings.scratch_dir / f"docgen-office-{self.tag}"
        self.seed = seed
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.soffice_pid: int | None = None
        self.conversions = 0
        self._buffer = b""
        self._counter = 0

    # lifecycle ---------------------------------------------------------------------------------------------
    def start(self, warmup: bytes | None) -> None:
        shutil.rmtree(self.profile, ignore_errors=True)
        self.profile.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.seed, self.profile)
        (self.scratch / "tmp").mkdir(parents=True, exist_ok=True)
        env = dict(self.env, TMPDIR=str(self.scratch / "tmp"))
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell, our own settings
            [
                str(self.settings.office_python),
                str(WORKER),
                "--soffice",
                str(self.settings.soffice),
                "--profile-url",
                self.profile.as_uri(),
                "--pipe-name",
                f"docgen-{self.tag}",
                "--start-timeout",
                str(self.settings.start_timeout),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group: killed as a whole
        )
        try:
            ready = self._read(time.monotonic() + self.settings.start_timeout + 5)
        except (_Crashed, _TimedOut) as exc:
            self.kill()
            raise OfficeUnavailable("LibreOffice did not start") from exc
        if not ready.get("ready"):
            self.kill()
            raise OfficeUnavailable(f"LibreOffice did not start: {ready.get('error', 'unknown error')}")
        self.soffice_pid = int(ready["soffice_pid"])
        try:
            for _ in range(self.settings.warmup_conversions if warmup else 0):
                assert warmup is not None
                self.convert(warmup, self.settings.start_timeout)
        except (PdfError, _Crashed, _TimedOut) as exc:
            self.kill()
            raise OfficeUnavailable("LibreOffice failed its warm-up conversion") from exc
        self.conversions = 0

    def kill(self) -> None:
        """Kill LibreOffice first (its worker reaps it, so no zombie is left), then the whole group."""
        proc = self.proc
        if proc is not None:
            # Only while it is still the worker's child: a reaped pid may already belong to someone else.
            if self.soffice_pid is not None and _parent_of(self.soffice_pid) == proc.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.soffice_pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=2)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        self.proc = None
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(self.profile, ignore_errors=True)

    def stop(self) -> None:
        """Ask the worker to quit (it closes LibreOffice and reaps it); kill whatever is left."""
        proc = self.proc
        if proc is not None and proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=3)
        self.kill()

    def pids(self) -> list[int]:
        pids = []
        if self.proc is not None:
            pids.append(self.proc.pid)
        if self.soffice_pid is not None:
            pids.append(self.soffice_pid)
        return pids

    # conversion --------------------------------------------------------------------------------------------
    def convert(self, docx: bytes, timeout: float) -> bytes:
        proc = self.proc
        if proc is None or proc.stdin is None:
            raise _Crashed
        self._counter += 1
        src = self.scratch / f"{self._counter}.docx"
        dst = self.scratch / f"{self._counter}.pdf"
        try:
            src.write_bytes(docx)
            try:
                proc.stdin.write(json.dumps({"in": str(src), "out": str(dst)}).encode() + b"\n")
                proc.stdin.flush()
            except OSError as exc:
                raise _Crashed from exc
            reply = self._read(time.monotonic() + timeout)
            if not reply.get("ok"):
                if reply.get("fatal") or proc.poll() is not None:
                    raise _Crashed
                raise ConversionFailed("LibreOffice could not convert the document")
            pdf = dst.read_bytes()
        finally:
            for path in (src, dst):
                with contextlib.suppress(OSError):
                    path.unlink()
        if not pdf.startswith(b"%PDF-"):
            raise ConversionFailed("LibreOffice produced no PDF")
        return pdf

    def _read(self, deadline: float) -> dict[str, Any]:
        proc = self.proc
        if proc is None or proc.stdout is None:
            raise _Crashed
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _TimedOut
            poller = select.poll()  # not select.select: a busy app may hold file descriptors above 1024
            poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
            if not poller.poll(max(1, math.ceil(remaining * 1000))):
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise _Crashed
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message: dict[str, Any] = json.loads(line)
        except ValueError as exc:
            raise _Crashed from exc
        return message


# ---------------------------------------------------------------------------------------------------------
# The pool


class _Waiter:
    __slots__ = ("error", "event", "instance")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.instance: _Instance | None = None
        self.error: PdfError | None = None


class OfficePool:
    RETRY_START_AFTER = 10.0  # seconds between attempts to bring back instances that failed to start

    def __init__(self, settings: PoolSettings | None = None) -> None:
        self.settings = settings or PoolSettings.from_env()
        self._lock = threading.Lock()
        self._idle: deque[_Instance] = deque()
        self._waiters: deque[_Waiter] = deque()
        self._live: set[_Instance] = set()
        self._starting = 0
        self._started = False
        self._closed = False
        self._seed: Path | None = None
        self._env: dict[str, str] = {}
        self._warmup: bytes | None = None
        self._latency = 0.3  # moving average of a conversion, seconds (for Retry-After)
        self._start_error: str | None = None
        self._failed_at = -math.inf
        self._threads: set[threading.Thread] = set()
        self.stats: dict[str, int] = {
            "conversions": 0,
            "restarts": 0,
            "crashes": 0,
            "timeouts": 0,
            "busy": 0,
            "retries": 0,
        }

    # lifecycle ---------------------------------------------------------------------------------------------
    def start(self, wait: bool = True) -> None:
        """Start every instance (in the background); with `wait`, return once all have started or failed."""
        with self._lock:
            if self._closed:
                raise PoolClosed("the PDF pool is stopped")
            if self._started:
                return
            self._started = True
        if not self.settings.soffice.exists():
            self._fail_all(OfficeUnavailable(f"LibreOffice not found at {self.settings.soffice}"))
            return
        env = dict(os.environ)
        jemalloc = _find_jemalloc() if self.settings.jemalloc else None
        if jemalloc:
            env["LD_PRELOAD"] = " ".join(p for p in (env.get("LD_PRELOAD"), jemalloc) if p)
        self._env = env
        try:
            self._seed = _seed_profile(self.settings, env)
        except (OSError, subprocess.SubprocessError, OfficeUnavailable) as exc:
            self._fail_all(OfficeUnavailable(f"LibreOffice profile could not be prepared: {exc}"))
            return
        _remove_stale(self.settings.work_dir / "profiles", "")
        _remove_stale(self.settings.scratch_dir, "docgen-office-")
        try:
            self._warmup = template_path("iep").read_bytes()
        except OSError:
            self._warmup = None
        ref = weakref.ref(self)

        def stop_at_exit() -> None:
            pool = ref()
            if pool is not None:
                pool.stop()

        atexit.register(stop_at_exit)
        threads = [self._spawn(index) for index in range(self.settings.size)]
        if wait:
            for thread in threads:
                thread.join()

    def stop(self) -> None:
        """Stop every instance and fail anyone still waiting; safe to call more than once."""
        with self._lock:
            self._closed = True
            instances = list(self._live)
            self._live.clear()
            self._idle.clear()
            waiters = list(self._waiters)
            self._waiters.clear()
            threads = list(self._threads)
        for waiter in waiters:
            waiter.error = PoolClosed("the PDF pool is stopped")
            waiter.event.set()
        for thread in threads:
            thread.join(timeout=self.settings.start_timeout + 10)
        for instance in instances:
            instance.stop()

    def __enter__(self) -> OfficePool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def process_ids(self) -> list[int]:
        """Worker and LibreOffice pids of the running instances (for monitoring)."""
        with self._lock:
            return [pid for instance in self._live for pid in instance.pids()]

    def office_pids(self) -> list[int]:
        """The soffice.bin pids of the running instances."""
        with self._lock:
            return [i.soffice_pid for i in self._live if i.soffice_pid is not None]

    # conversion --------------------------------------------------------------------------------------------
    def convert(self, docx: bytes, *, timeout: float | None = None) -> bytes:
        """DOCX bytes -> PDF/A-2b bytes. Raises PoolBusy, ConversionFailed/ConversionTimeout,
        OfficeUnavailable or PoolClosed; never waits longer than the queue timeout plus one conversion."""
        if not self._started:
            self.start(wait=False)
        per_call = timeout or self.settings.conversion_timeout
        for attempt in range(2):
            instance = self._acquire()
            began = time.monotonic()
            try:
                pdf = instance.convert(docx, per_call)
            except _Crashed:
                self._retire(instance, "crashes")
                if attempt == 0:
                    with self._lock:
                        self.stats["retries"] += 1
                    continue
                raise ConversionFailed("LibreOffice stopped during the conversion") from None
            except _TimedOut:
                self._retire(instance, "timeouts")
                raise ConversionTimeout(f"the conversion took longer than {per_call:g} s") from None
            except ConversionFailed:
                self._release(instance)
                raise
            except BaseException:
                self._retire(instance, "crashes")  # state unknown (e.g. interrupted mid-protocol)
                raise
            elapsed = time.monotonic() - began
            instance.conversions += 1
            with self._lock:
                self.stats["conversions"] += 1
                self._latency = 0.8 * self._latency + 0.2 * elapsed
            if instance.conversions >= self.settings.max_conversions:
                self._retire(instance, None)
            else:
                self._release(instance)
            return pdf
        raise AssertionError("unreachable")

    # queue -------------------------------------------------------------------------------------------------
    def _retry_after(self) -> int:
        capacity = max(1, len(self._live) + self._starting)
        return max(1, math.ceil((len(self._waiters) + 1) * self._latency / capacity))

    def _acquire(self) -> _Instance:
        with self._lock:
            if self._closed:
                raise PoolClosed("the PDF pool is stopped")
            if self._idle and not self._waiters:
                return self._idle.popleft()
        self._replenish()  # slots whose restart failed earlier get another try, at most every few seconds
        with self._lock:
            if self._closed:
                raise PoolClosed("the PDF pool is stopped")
            if self._idle and not self._waiters:
                return self._idle.popleft()
            if not self._live and not self._starting and self._start_error:
                raise OfficeUnavailable(self._start_error)
            if len(self._waiters) >= self.settings.queue_size:
                self.stats["busy"] += 1
                raise PoolBusy(self._retry_after())
            waiter = _Waiter()
            self._waiters.append(waiter)
            cold = not self._live
        # A cold pool may need the whole start-up time before the first instance is ready.
        patience = self.settings.queue_timeout + (self.settings.start_timeout if cold else 0)
        waiter.event.wait(patience)
        with self._lock:
            if waiter.instance is not None:
                return waiter.instance
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if waiter.error is not None:
                raise waiter.error
            self.stats["busy"] += 1
            raise PoolBusy(self._retry_after())

    def _release(self, instance: _Instance) -> None:
        with self._lock:
            if self._closed or instance not in self._live:
                closed = True
            else:
                closed = False
                while self._waiters:
                    waiter = self._waiters.popleft()
                    waiter.instance = instance
                    waiter.event.set()
                    return
                self._idle.append(instance)
        if closed:
            instance.stop()

    def _replenish(self) -> None:
        with self._lock:
            missing = self.settings.size - len(self._live) - self._starting
            if missing <= 0 or self._closed or self._seed is None:
                return
            if time.monotonic() - self._failed_at < self.RETRY_START_AFTER:
                return
            self._failed_at = time.monotonic()  # one attempt per interval, however many callers arrive
        for index in range(missing):
            self._spawn(index)

    def _fail_all(self, error: PdfError) -> None:
        with self._lock:
            self._start_error = str(error)
            self._failed_at = time.monotonic()
            if self._live or self._starting:
                return
            waiters = list(self._waiters)
            self._waiters.clear()
        for waiter in waiters:
            waiter.error = error
            waiter.event.set()

    # restarts ----------------------------------------------------------------------------------------------
    def _retire(self, instance: _Instance, reason: str | None) -> None:
        with self._lock:
            self._live.discard(instance)
            with contextlib.suppress(ValueError):
                self._idle.remove(instance)
            if reason:
                self.stats[reason] += 1
            self.stats["restarts"] += 1
            closed = self._closed
        if closed:
            instance.kill()
            return
        self._spawn(instance.index, old=instance)

    def _spawn(self, index: int, old: _Instance | None = None) -> threading.Thread:
        with self._lock:
            self._starting += 1
        thread = threading.Thread(
            target=self._run_start, args=(index, old), name=f"office-start-{index}", daemon=True
        )
        with self._lock:
            self._threads.add(thread)
        thread.start()
        return thread

    def _run_start(self, index: int, old: _Instance | None) -> None:
        instance: _Instance | None = None
        error: PdfError | None = None
        closed = False
        try:
            if old is not None:
                old.kill()
            for attempt in range(3):
                with self._lock:
                    if self._closed:
                        return
                assert self._seed is not None
                candidate = _Instance(self.settings, index, self._seed, self._env)
                try:
                    candidate.start(self._warmup)
                except OfficeUnavailable as exc:
                    error = exc
                    time.sleep(0.5 * (attempt + 1))
                    continue
                instance = candidate
                break
        finally:
            with self._lock:
                self._starting -= 1
                self._threads.discard(threading.current_thread())
                closed = self._closed
                if instance is not None and not closed:
                    self._live.add(instance)
                    self._start_error = None
        if instance is None:
            if error is not None:
                self._fail_all(error)
            return
        if closed:
            instance.stop()
            return
        self._release(instance)
