"""Runs the rules in the order rules.md section 1 gives: pii.no_ssn, then doc.schema, then policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.contract import schema_violations
from docgen.contract.validate import strip_private
from docgen.policy import rules as _rules  # noqa: F401  (registers every rule)
from docgen.policy.context import Context
from docgen.policy.dates import parse_date
from docgen.policy.findings import Finding, Violation
from docgen.policy.record import Record
from docgen.policy.registry import RULES, Rule
from docgen.policy.settings import Settings

Doc = dict[str, Any]
DEFAULT_SETTINGS = Settings()
_SUBMIT_SCOPES = {"S", "S+R"}


def evaluate(
    doc: Doc,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    record: Record | None = None,
    as_of: dt.date | None = None,
    check_schema: bool = True,
) -> list[Finding]:
    """Every finding for `doc` (a contract document, `_` keys already stripped or not).

    `record` is the participant's stored record for a document submitted alone (the document is put in
    place of its stored version); R rules run only with a record, T rules only with a record and `as_of`.
    A `record` bundle is its own record, and its `as_of` applies when `as_of` is not given.
    """
    doc = strip_private(doc)
    pii = _run(RULES["pii.no_ssn"], doc, "", Context(settings))
    if pii:
        return pii
    if check_schema:
        schema = [_finding(RULES["doc.schema"], "", v) for v in schema_violations(doc)]
        if schema:
            return schema

    if doc.get("doc_type") == "record":
        record = Record.from_bundle(doc)
        if as_of is None:
            as_of = parse_date(doc.get("as_of"))
        targets: list[tuple[Doc, str]] = [(doc, "")]
        if record.participant is not None:
            targets.append((record.participant, record.pointer(record.participant)))
        for nested in (*record.assessments, *record.plans, *record.case_notes):
            targets.append((nested, record.pointer(nested)))
    else:
        if record is not None:
            record = record.with_document(doc)
        targets = [(doc, "")]

    ctx = Context(settings, record, as_of)
    findings: list[Finding] = []
    for target, prefix in targets:
        for rule in rules_for(str(target.get("doc_type")), ctx):
            findings.extend(_run(rule, target, prefix, ctx))
    return findings


_BY_DOC_TYPE: dict[str, list[Rule]] = {}


def rules_for(doc_type: str, ctx: Context) -> list[Rule]:
    """The rules to run on a document of `doc_type` given what the context allows."""
    if not _BY_DOC_TYPE:
        for rule in RULES.values():
            if rule.check is None or rule.id == "pii.no_ssn":
                continue
            for applies in rule.applies_to:
                _BY_DOC_TYPE.setdefault(applies, []).append(rule)
    out = []
    for rule in _BY_DOC_TYPE.get(doc_type, []):
        if rule.scope in _SUBMIT_SCOPES or (
            (rule.scope == "R" and ctx.record is not None)
            or (rule.scope == "T" and ctx.record is not None and ctx.as_of is not None)
        ):
            out.append(rule)
    return out


def _run(rule: Rule, doc: Doc, prefix: str, ctx: Context) -> list[Finding]:
    assert rule.check is not None
    return [_finding(rule, prefix, v) for v in rule.check(doc, ctx)]


def _finding(rule: Rule, prefix: str, v: Violation) -> Finding:
    return Finding(rule.id, v.severity or rule.severity, prefix + v.path, v.message, rule.citation)
