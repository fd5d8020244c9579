"""Render a stored document as a Word or PDF form, store it through docgen.files, serve unchanged ones again.

A plan or MOU with error-severity findings renders only as a draft (every page watermarked). A rendering is
identified by the SHA-256 of everything it is made from (document, participant, organisation header, template,
draft state, format): the same inputs are served from storage; changed inputs make a new stored version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import storage as objects
from docgen import rendering
from docgen.documents import services as documents
from docgen.documents.services import Caller
from docgen.errors import DocgenError, NotFound, ServiceUnavailable, ValidationFailed
from docgen.files import services as files
from docgen.files.models import StoredFile
from docgen.orgs.models import Event, Organisation
from docgen.policy.findings import has_errors
from docgen.rendering.docx import TEMPLATE_KINDS

from .models import OrgTemplate

# Bump when the rendering code changes what it produces, so stored renderings are made anew.
RENDERER_VERSION = "2"
FORMATS = ("pdf", "docx")
_pool_lock = threading.Lock()


class RenderingFailed(DocgenError):
    status, slug, title = 422, "rendering-failed", "The document could not be rendered"


@dataclass(frozen=True)
class Rendered:
    file: StoredFile
    data: bytes
    reused: bool


def office_pool(app: Flask | None = None) -> rendering.OfficePool:
    """The app's warm LibreOffice pool, started on first use and stopped at exit."""
    app = app or current_app
    pool: rendering.OfficePool | None = app.extensions.get("docgen.office_pool")
    if pool is None:
        with _pool_lock:
            pool = app.extensions.get("docgen.office_pool")
            if pool is None:
                pool = rendering.OfficePool(rendering.PoolSettings.from_env())
                pool.start()
                app.extensions["docgen.office_pool"] = pool
    return pool


def init_app(app: Flask) -> None:
    """With PDF_POOL_EAGER, start the LibreOffice pool in the background now (in each worker process, after
    gunicorn forks), so the first PDF request does not wait for it."""
    if app.config.get("PDF_POOL_EAGER"):
        threading.Thread(target=office_pool, args=(app,), name="office-pool-start", daemon=True).start()


def template_for(s: Session, org_id: int, name: str) -> bytes:
    """The organisation's own template of `name`, or the shipped one."""
    own = s.scalar(select(OrgTemplate.data).where(OrgTemplate.org_id == org_id, OrgTemplate.name == name))
    return own if own is not None else rendering.template_path(name).read_bytes()


@lru_cache(maxsize=len(TEMPLATE_KINDS))
def _shipped_sha256(name: str) -> str:
    # The shipped templates change only with a deployment (a new process).
    return hashlib.sha256(rendering.template_path(name).read_bytes()).hexdigest()


def template_sha256(s: Session, org_id: int, name: str) -> str:
    """The SHA-256 of the template in use, without reading it (the organisation's is stored with its hash)."""
    own = s.scalar(select(OrgTemplate.sha256).where(OrgTemplate.org_id == org_id, OrgTemplate.name == name))
    return own if own is not None else _shipped_sha256(name)


def put_template(s: Session, caller: Caller, name: str, data: bytes) -> rendering.TemplateReport:
    """Replace the organisation's template `name`; refused (422, with the check's lists) if it fails the check."""
    if name not in TEMPLATE_KINDS:
        raise NotFound(f"No template named {name!r}; the templates are {', '.join(TEMPLATE_KINDS)}.")
    report = rendering.check_template(data, name, name=f"{name}.docx")
    if not report.ok:
        raise ValidationFailed(
            "The template was not changed: it fails the template check.",
            unknown_placeholders=list(report.unknown_placeholders),
            missing_elements=list(report.missing_elements),
            template_errors=list(report.errors),
        )
    row = s.scalar(select(OrgTemplate).where(OrgTemplate.org_id == caller.org_id, OrgTemplate.name == name))
    digest = hashlib.sha256(data).hexdigest()
    if row is None:
        row = OrgTemplate(org_id=caller.org_id, name=name)
        s.add(row)
    row.data, row.sha256, row.created_by = data, digest, caller.user_id
    s.add(
        Event(
            org_id=caller.org_id,
            kind="template.changed",
            subject_type="template",
            subject_id=name,
            actor_id=caller.user_id,
            data={"sha256": digest},
        )
    )
    s.commit()
    return report


def render_document(
    s: Session, caller: Caller, doc_type: str, doc_id: str, version: int | None, fmt: str
) -> Rendered:
    row = documents.get_document(s, caller.org_id, doc_type, doc_id, version)
    record = documents.record_of(s, caller.org_id, row)
    if doc_type != "mou" and record is None:
        raise NotFound("No participant with this id.")
    findings = documents.current_findings(s, caller, row, record)
    # rules.md section 1: a document with error findings cannot be rendered as final, only as a draft.
    draft = has_errors(findings)
    participant = record.participant if record is not None else None
    org = s.get(Organisation, caller.org_id)
    assert org is not None
    kind = rendering.template_kind(row.body)
    tz = current_app.config["TIMEZONE"]
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                RENDERER_VERSION,
                fmt,
                draft,
                row.body,
                participant,
                org.name,
                org.local_area,
                tz,
                template_sha256(s, caller.org_id, kind),
            ],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    # A valid plan or MOU version that every signatory has signed is the signed original (plan.signed,
    # mou.signed): its PDF is stored immutably, retained from the last signature.
    signed_at = (
        _all_signed_at(row.body) if fmt == "pdf" and not draft and doc_type in ("plan", "mou") else None
    )
    request = files.FileRequest(
        row.participant_id, doc_type, doc_id, row.version, fmt, draft, fingerprint, signed_at=signed_at
    )
    store = files.get_storage()
    existing = files.find_reusable(s, caller.org_id, request)
    if existing is not None:
        try:
            return Rendered(existing, files.read_file(store, existing), reused=True)
        except objects.IntegrityError:
            if existing.original:
                raise
            files.discard_corrupt(s, caller, existing)  # made again below
    template = template_for(s, caller.org_id, kind)
    # Rendering takes a while: hold no database transaction (and no lock) meanwhile.
    s.commit()
    try:
        data = rendering.render_docx(
            row.body,
            participant=participant,
            organisation=org.name,
            local_area=org.local_area or org.name,
            draft=draft,
            version=row.version,
            tz=tz,
            template=template,
        )
        if fmt == "pdf":
            data = office_pool().convert(data)
    except rendering.PoolBusy as exc:
        raise ServiceUnavailable(
            "PDF conversion is busy; try again shortly.", headers={"Retry-After": str(exc.retry_after)}
        ) from None
    except (rendering.PoolClosed, rendering.OfficeUnavailable, rendering.ConversionFailed) as exc:
        raise ServiceUnavailable(
            f"PDF conversion failed ({type(exc).__name__}); try again shortly.", headers={"Retry-After": "5"}
        ) from None
    except (rendering.ContextError, rendering.RenderError) as exc:
        raise RenderingFailed(f"The form could not be filled in: {exc}") from None
    stored = files.store_file(s, store, caller, request, data)
    return Rendered(stored, data, reused=False)


def _all_signed_at(document: dict[str, Any]) -> dt.datetime | None:
    """The last signature time when every signatory has signed, else None."""
    signatories = document.get("signatories") or []
    times = []
    for signatory in signatories:
        signed = (signatory.get("signature") or {}).get("signed_at")
        if not isinstance(signed, str):
            return None
        times.append(dt.datetime.fromisoformat(signed.replace("Z", "+00:00")))
    return max(times) if times else None


def template_info(s: Session, org_id: int) -> list[dict[str, Any]]:
    own = {
        r.name: r
        for r in s.execute(
            select(OrgTemplate.name, OrgTemplate.sha256, func.length(OrgTemplate.data).label("size")).where(
                OrgTemplate.org_id == org_id
            )
        )
    }
    out = []
    for name in TEMPLATE_KINDS:
        mine = own.get(name)
        out.append(
            {
                "name": name,
                "source": "organisation" if mine else "shipped",
                "sha256": mine.sha256 if mine else _shipped_sha256(name),
                "size": mine.size if mine else rendering.template_path(name).stat().st_size,
            }
        )
    return out
