"""What a rule function is handed besides its document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docgen.policy.dates import entry_deadline
from docgen.policy.record import Record
from docgen.policy.settings import Settings


@dataclass(frozen=True)
class Context:
    settings: Settings
    # The participant's record (None when R and T rules cannot run: a document validated alone
    # with no stored participant).
    record: Record | None = None
    # Evaluation date for T rules; None when tracking rules are not run.
    as_of: dt.date | None = None

    def deadline(self, d: dt.date) -> dt.date:
        """D(d) under this organisation's ENTRY_DEADLINE."""
        return entry_deadline(d, self.settings)
