"""Policy rules: pure functions over contract documents. No Flask, no database, no I/O.

Use `evaluate()` to run every rule that applies to a document; `RULES` is the catalogue.
"""

from docgen.policy.engine import evaluate
from docgen.policy.findings import Citation, Finding
from docgen.policy.record import Record
from docgen.policy.registry import RULES, Rule
from docgen.policy.settings import Settings

__all__ = ["RULES", "Citation", "Finding", "Record", "Rule", "Settings", "evaluate"]
