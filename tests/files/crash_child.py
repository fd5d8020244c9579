"""Run as a child process: store one file and SIGKILL ourselves at the named step of the write."""

from __future__ import annotations

import os
import signal
import sys

from docgen import create_app
from docgen.auth import create_token
from docgen.db import get_db
from docgen.documents.services import Caller
from docgen.files import services as files
from docgen.policy import Settings


def main(database_url: str, storage_url: str, step: str) -> None:
    app = create_app(
        {"DATABASE_URL": database_url, "STORAGE_URL": storage_url, "SECRET_KEY": "crash-test-secret"}
    )
    with app.app_context(), get_db().session() as s:
        _token, row = create_token(s, "Crash Board", "planner")
        s.commit()
        caller = Caller(row.org_id, row.user_id, Settings())

        def checkpoint(name: str) -> None:
            if name == step:
                os.kill(os.getpid(), signal.SIGKILL)

        req = files.FileRequest("P-1001", "plan", "PL-1001", 1, "pdf", draft=True, input_sha256="0" * 64)
        files.store_file(s, files.get_storage(), caller, req, b"%PDF-1.7 crash test", checkpoint=checkpoint)
    print("stored")


if __name__ == "__main__":
    main(*sys.argv[1:4])
