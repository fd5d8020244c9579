"""Use cases for contract documents: validate, submit, read, list, and the participant's record report.

Plain functions over a SQLAlchemy session and plain data; the HTTP layer only parses and serialises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docgen.contract import is_contract_id
from docgen.db import Prepared
from docgen.errors import Conflict, NotFound, ValidationFailed
from docgen.orgs.models import Event, utcnow
from docgen.policy import Finding, Record, Settings, evaluate
from docgen.policy.engine import strip_private
from docgen.policy.findings import has_errors
from docgen.policy.registry import RULES

from .models import Document

Doc = dict[str, Any]
# doc_type -> the collection name in URLs and in a record bundle.
COLLECTIONS = {
    "participant": "participants",
    "assessment": "assessments",
    "plan": "plans",
    "case_note": "case-notes",
    "mou": "mous",
}
_BUNDLE_KEYS = {"assessment": "assessments", "plan": "plans", "case_note": "case_notes"}


@dataclass(frozen=True)
class Caller:
    """Plain data the services need about who is calling."""

    org_id: int
    user_id: int | None
    settings: Settings


@dataclass(frozen=True)
class Written:
    """A document row as just written: what the answer needs, without building and tracking an ORM instance."""

    org_id: int
    doc_type: str
    doc_id: str
    version: int
    participant_id: str | None
    kind: str | None
    status: str | None
    body: Doc
    valid: bool
    created_at: dt.datetime
    created_by: int | None


@dataclass
class Stored:
    row: Written
    findings: list[Finding]


# --- reading the participant's record ------------------------------------------------------------


# Built once and prepared (db.Prepared): every intake reads the participant's record.
_RECORD_QUERY = Prepared(
    select(Document.doc_type, Document.body)
    .where(Document.org_id == bindparam("org_id"), Document.participant_id == bindparam("participant_id"))
    .order_by(Document.id)
)


def load_record(s: Session, org_id: int, participant_id: str) -> Record | None:
    """The stored record of a participant in this organisation, or None when the participant is not stored."""
    rows = _RECORD_QUERY.run(s, {"org_id": org_id, "participant_id": participant_id})
    participant = None
    parts: dict[str, list[Doc]] = {"assessments": [], "plans": [], "case_notes": []}
    for row in rows:
        if row.doc_type == "participant":
            participant = row.body
        elif row.doc_type in _BUNDLE_KEYS:
            parts[_BUNDLE_KEYS[row.doc_type]].append(row.body)
    if participant is None:
        return None
    return Record(participant, parts["assessments"], parts["plans"], parts["case_notes"])


def _participant_of(doc: Doc) -> str | None:
    """The participant id a document names, if it is a contract id (so it is safe to query with)."""
    key = "id" if doc.get("doc_type") == "participant" else "participant_id"
    value = doc.get(key)
    return value if is_contract_id(value) else None


def _schema_finding(path: str, message: str, rule: str = "doc.schema") -> Finding:
    r = RULES[rule]
    return Finding(r.id, "error", path, message, r.citation)


# --- validate (dry run) --------------------------------------------------------------------------


def _stored_record(s: Session, caller: Caller, doc: Doc) -> Record | None:
    """The stored record of the participant a single document names (None: an MOU, a bundle, or not stored)."""
    if doc.get("doc_type") in ("record", "mou"):
        return None
    participant_id = _participant_of(doc)
    return None if participant_id is None else load_record(s, caller.org_id, participant_id)


def validate(s: Session, caller: Caller, doc: Doc) -> list[Finding]:
    """Every finding for `doc`; nothing is stored. R rules run when the participant is stored."""
    doc = strip_private(doc)
    return evaluate(doc, settings=caller.settings, record=_stored_record(s, caller, doc))


# --- submit --------------------------------------------------------------------------------------


def submit(s: Session, caller: Caller, doc: Doc, doc_type: str) -> Stored:
    """Store one document of `doc_type`. 422 on pii/schema/missing participant; 409 on a duplicate id.

    Its one write is one statement on PostgreSQL (`_insert`), so it may run on an autocommit session: keep it so,
    or take the view's session out of autocommit (tests/api/test_intake_statements.py holds both to this)."""
    doc = strip_private(doc)
    if doc.get("doc_type") != doc_type:
        raise _rejected(
            [_schema_finding("/doc_type", f'This endpoint accepts documents with doc_type "{doc_type}".')]
        )
    record = _stored_record(s, caller, doc)
    findings = evaluate(doc, settings=caller.settings, record=record)
    _refuse_unstorable(findings)
    if doc_type not in ("participant", "mou") and record is None:
        raise _rejected(
            [
                _schema_finding(
                    "/participant_id",
                    "No participant with this id is stored yet; store the participant first.",
                    "doc.refs",
                )
            ]
        )
    try:
        row = _insert(s, caller, doc, findings, record=record)
        s.commit()
    except IntegrityError:
        s.rollback()
        raise Conflict(_duplicate_detail(doc)) from None
    return Stored(row, findings)


def submit_record(s: Session, caller: Caller, bundle: Doc) -> tuple[list[Written], list[Finding]]:
    """Store a whole record bundle atomically: all its documents or none."""
    bundle = strip_private(bundle)
    if bundle.get("doc_type") != "record":
        raise _rejected(
            [_schema_finding("/doc_type", 'This endpoint accepts documents with doc_type "record".')]
        )
    findings = evaluate(bundle, settings=caller.settings)
    _refuse_unstorable(findings)
    participant = bundle["participant"]
    versions: dict[str, list[int]] = {}
    for plan in bundle["plans"]:
        versions.setdefault(plan["id"], []).append(plan["version"])
    for plan_id, numbers in versions.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise Conflict(
                f"The versions of plan {plan_id} in this record must be 1 to {len(numbers)}, each once.",
            )
    if load_record(s, caller.org_id, participant["id"]) is not None:
        raise Conflict("A participant with this id is already stored; send new documents one by one.")
    try:
        rows = [_insert(s, caller, participant, findings, pointer="/participant")]
        for key in ("assessments", "plans", "case_notes"):
            for i, doc in enumerate(bundle[key]):
                rows.append(_insert(s, caller, doc, findings, pointer=f"/{key}/{i}"))
        s.commit()
    except IntegrityError:
        s.rollback()
        raise Conflict("A document in this record is already stored (same type and id).") from None
    return rows, findings


# Findings that make a document unstorable: personal data that must never be kept, and documents that do not
# match the contract or point at things that do not exist (the issue: "schema problems are findings too").
UNSTORABLE = ("pii.no_ssn", "doc.schema", "doc.refs")


def _refuse_unstorable(findings: list[Finding]) -> None:
    if any(f.rule in UNSTORABLE for f in findings):
        raise _rejected(findings)


def _rejected(findings: Sequence[Finding]) -> ValidationFailed:
    return ValidationFailed(
        "The document was not stored: fix the findings below.",
        errors=[{"pointer": f.path, "detail": f.message} for f in findings],
        findings=[f.as_dict() for f in findings],
    )


def _check_next_version(doc: Doc, record: Record | None) -> None:
    """Plan versions are stored in order. The participant's record has every stored version of its plans; a
    plan id new to this participant must start at 1 (the same id under another participant is refused by the
    unique constraint on version 1)."""
    versions = [p["version"] for p in record.plan_versions(doc["id"])] if record else []
    expected = max(versions, default=0) + 1
    if doc.get("version") != expected:
        raise Conflict(
            f"Plan versions are stored in order: the next version of this plan is {expected}.",
            errors=[{"pointer": "/version", "detail": f"Expected version {expected}."}],
        )


def _insert(
    s: Session,
    caller: Caller,
    doc: Doc,
    findings: list[Finding],
    pointer: str = "",
    record: Record | None = None,
) -> Written:
    doc_type = doc["doc_type"]
    version = doc.get("version", 1) if doc_type == "plan" else 1
    if doc_type == "plan" and not pointer:
        _check_next_version(doc, record)
    # A duplicate id is refused by the unique constraint (the callers answer 409): no query ahead of the insert.
    # The document's own submit-time findings (tracking findings of a bundle with as_of do not count).
    own = [
        f
        for f in findings
        if RULES[f.rule].scope != "T"
        and (not pointer or f.path == pointer or f.path.startswith(pointer + "/"))
    ]
    row = Written(
        org_id=caller.org_id,
        doc_type=doc_type,
        doc_id=doc["id"],
        version=version,
        participant_id=_participant_of(doc),
        kind=doc.get("kind") if doc_type == "plan" else doc.get("type"),
        status=doc.get("status") if doc_type == "plan" else None,
        body=doc,
        valid=not has_errors(own),
        created_at=utcnow(),
        created_by=caller.user_id,
    )
    event = {
        "org_id": caller.org_id,
        "kind": f"{doc_type}.stored",
        "subject_type": doc_type,
        "subject_id": doc["id"],
        "subject_version": version,
        "actor_id": caller.user_id,
        "data": {"valid": row.valid},
        "at": row.created_at,
    }
    params = {name: getattr(row, name) for name in _DOCUMENT_COLUMNS} | {
        f"event_{k}": v for k, v in event.items()
    }
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        # One statement, one round trip: the document and its event (a data-modifying CTE always runs).
        _INSERT_WITH_EVENT.run(s, params)
    else:
        conn.execute(_INSERT_DOCUMENT, params)
        conn.execute(_INSERT_EVENT, params)
    return row


_DOCUMENT_COLUMNS = (
    "org_id",
    "doc_type",
    "doc_id",
    "version",
    "participant_id",
    "kind",
    "status",
    "body",
    "valid",
    "created_at",
    "created_by",
)
_EVENT_COLUMNS = ("org_id", "kind", "subject_type", "subject_id", "subject_version", "actor_id", "data", "at")
# Built once: the statements are constant and only their parameters change, so SQLAlchemy's compiled cache hits.
_INSERT_DOCUMENT = insert(Document).values({c: bindparam(c) for c in _DOCUMENT_COLUMNS})
_INSERT_EVENT = insert(Event).values({c: bindparam(f"event_{c}") for c in _EVENT_COLUMNS})
_INSERT_WITH_EVENT = Prepared(_INSERT_EVENT.add_cte(_INSERT_DOCUMENT.cte("stored")))


def _duplicate_detail(doc: Doc) -> str:
    if doc.get("doc_type") == "plan":
        return "This plan version is already stored; send the next version."
    return f"A {doc.get('doc_type')} with this id is already stored."


# --- read ----------------------------------------------------------------------------------------


def get_document(s: Session, org_id: int, doc_type: str, doc_id: str, version: int | None = None) -> Document:
    query = select(Document).where(
        Document.org_id == org_id, Document.doc_type == doc_type, Document.doc_id == doc_id
    )
    if version is not None:
        query = query.where(Document.version == version)
    row = s.scalar(query.order_by(Document.version.desc()).limit(1))
    if row is None:
        raise NotFound(
            f"No {doc_type.replace('_', ' ')} with this id" + (" and version." if version else ".")
        )
    return row


def record_of(s: Session, org_id: int, row: Document) -> Record | None:
    """The stored record of the participant a document belongs to (None for an MOU)."""
    if row.participant_id is None or row.doc_type == "mou":
        return None
    return load_record(s, org_id, row.participant_id)


def current_findings(
    s: Session, caller: Caller, row: Document, record: Record | None = None
) -> list[Finding]:
    """The document's findings now: S and R rules against the participant's current record (`record`, if the
    caller has loaded it already)."""
    if record is None:
        record = record_of(s, caller.org_id, row)
    return evaluate(row.body, settings=caller.settings, record=record, check_schema=False)


@dataclass(frozen=True)
class Page:
    items: list[Document]
    page: int
    page_size: int
    total: int


def list_documents(
    s: Session,
    org_id: int,
    doc_type: str,
    *,
    participant_id: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page:
    conditions = [Document.org_id == org_id, Document.doc_type == doc_type]
    if participant_id is not None:
        conditions.append(Document.participant_id == participant_id)
    if kind is not None:
        conditions.append(Document.kind == kind)
    if status is not None:
        conditions.append(Document.status == status)
    total = s.scalar(select(func.count()).select_from(Document).where(*conditions)) or 0
    items = s.scalars(
        select(Document)
        .where(*conditions)
        .order_by(Document.doc_id, Document.version)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return Page(list(items), page, page_size, total)


def record_report(
    s: Session, caller: Caller, participant_id: str, as_of: dt.date
) -> tuple[Doc, list[Finding]]:
    """The participant's whole record as a bundle, with every rule's findings (tracking as of `as_of`)."""
    record = load_record(s, caller.org_id, participant_id)
    if record is None:
        raise NotFound("No participant with this id.")
    bundle = record.as_bundle(as_of.isoformat())
    findings = evaluate(bundle, settings=caller.settings, as_of=as_of, check_schema=False)
    return bundle, findings
