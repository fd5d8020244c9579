"""One LibreOffice, driven through UNO: DOCX file in, PDF/A-2b file out.

Run by Debian's Python (the venv script/setup-office makes), the only interpreter that imports `uno`;
docgen's own process never imports this module, it talks to it over stdin/stdout (pool in pdf.py).

Protocol, one JSON object per line:
  worker -> {"ready": true, "soffice_pid": N}              once LibreOffice answers over UNO
  pool   -> {"in": "/path/x.docx", "out": "/path/x.pdf"}
  worker -> {"ok": true} | {"ok": false, "fatal": bool, "error": "..."}   (fatal: LibreOffice is gone)

Why not unoserver's XML-RPC server: per call it asks the server for its filter list, base64-encodes the
file into XML both ways, writes temp files, starts a thread pool, searches the filter list, and (by
default) refreshes the document twice, which re-lays it out. Here a call is: load the file (hidden,
read-only, import filter named), store it with the PDF/A filter, reply, then close it while nobody waits.
Only two paths cross the pipe.

Lifetime: LibreOffice is this process's child and gets SIGKILL when this process dies (PR_SET_PDEATHSIG);
this process exits when its parent (docgen) goes away, so no soffice outlives docgen.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue

PR_SET_PDEATHSIG = 1
E_RESTART = 81  # soffice.bin's "restart me" exit code


def _die_with_parent() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def prop(name: str, value: Any) -> Any:
    return PropertyValue(Name=name, Value=value)


# Import: no type detection (the filter is known), no macros, no links updated, no repair, hidden.
LOAD_PROPS = (
    prop("Hidden", True),
    prop("ReadOnly", True),
    prop("FilterName", "MS Word 2007 XML"),
    prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
    prop("UpdateDocMode", 0),  # NO_UPDATE
    prop("RepairPackage", False),
    prop("Silent", True),
)

# PDF/A-2b; nothing the form does not need (no tags, bookmarks, notes, form fields, thumbnails).
PDF_FILTER_DATA = (
    prop("SelectPdfVersion", 2),
    prop("UseTaggedPDF", False),
    prop("ExportBookmarks", False),
    prop("ExportNotes", False),
    prop("ExportNotesPages", False),
    prop("ExportFormFields", False),
    prop("ExportLinksRelativeFsys", False),
    prop("ReduceImageResolution", False),
    prop("UseLosslessCompression", True),
    prop("IsSkipEmptyPages", False),
    prop("ExportPlaceholders", False),
)


class Office:
    def __init__(self, soffice: str, profile_url: str, pipe_name: str) -> None:
        self.pipe_name = pipe_name
        cmd = [
            soffice,
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile_url}",
            f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
        ]
        self.cmd = cmd
        self.proc = self._launch()
        self.desktop: Any = None
        self.filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", PDF_FILTER_DATA)

    def _launch(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - fixed argv built above, no shell
            self.cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, SAL_USE_VCLPLUGIN="svp"),
            preexec_fn=_die_with_parent,  # single-threaded at this point
        )

    def connect(self, timeout: float) -> None:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        restarted = False
        while True:
            if self.proc.poll() is not None:
                if self.proc.returncode == E_RESTART and not restarted:
                    # A fresh profile makes soffice.bin ask for one restart (oosplash would do it for us).
                    restarted = True
                    self.proc = self._launch()
                    continue
                raise RuntimeError(f"LibreOffice exited during start-up ({self.proc.returncode})")
            try:
                ctx = resolver.resolve(f"uno:pipe,name={self.pipe_name};urp;StarOffice.ComponentContext")
                break
            except Exception:  # UNO's NoConnectException until the pipe is up; re-raised after the deadline
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        # The desktop is never used to load; holding it keeps LibreOffice from terminating when no
        # document is open.
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def convert(self, src: str, dst: str) -> Any:
        """Load and export; returns the still open document (see close)."""
        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, LOAD_PROPS)
        if document is None:
            raise RuntimeError("LibreOffice could not load the document")
        try:
            document.storeToURL(
                uno.systemPathToFileUrl(dst),
                (prop("FilterName", "writer_pdf_Export"), prop("FilterData", self.filter_data)),
            )
        except BaseException:
            document.close(True)
            raise
        return document

    @staticmethod
    def close(document: Any) -> None:
        # Done after the reply has been sent: closing costs ~5 % of a conversion and nobody waits for it.
        try:
            document.close(True)
        except Exception:  # a dead LibreOffice is noticed by _watch and the next request
            return

    def alive(self) -> bool:
        """Is LibreOffice still there? (A document error leaves it alive; a crash does not.)"""
        if self.proc.poll() is not None:
            return False
        try:
            self.desktop.getFrames()  # any round trip: raises at once on a dead bridge
        except Exception:  # whatever the bridge raises, the instance is unusable: report it dead
            return False
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def _watch(office: Office, parent: int) -> None:
    """Exit as soon as LibreOffice dies (the pool sees EOF at once, even mid-conversion) or docgen does."""
    while True:
        if office.proc.poll() is not None:
            os._exit(3)
        if os.getppid() != parent:
            office.kill()
            os._exit(4)
        time.sleep(0.2)


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile-url", required=True)
    parser.add_argument("--pipe-name", required=True)
    parser.add_argument("--start-timeout", type=float, default=60.0)
    args = parser.parse_args()

    parent = os.getppid()
    office = Office(args.soffice, args.profile_url, args.pipe_name)
    try:
        office.connect(args.start_timeout)
    except Exception as exc:
        office.kill()
        _send({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    threading.Thread(target=_watch, args=(office, parent), daemon=True).start()
    _send({"ready": True, "soffice_pid": office.proc.pid})

    for line in sys.stdin:
        try:
            request = json.loads(line)
            document = office.convert(request["in"], request["out"])
        except Exception as exc:  # reported to the pool, which decides whether to restart us
            alive = office.alive()
            _send({"ok": False, "fatal": not alive, "error": f"{type(exc).__name__}: {exc}"[:500]})
            if not alive:
                office.kill()
                return 3
            continue
        _send({"ok": True})
        office.close(document)
    office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
