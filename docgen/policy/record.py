"""A participant's record (participant, assessments, plans, case notes) as the R and T rules read it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docgen.policy.findings import pointer

Doc = dict[str, Any]
_COLLECTIONS = {"assessment": "assessments", "plan": "plans", "case_note": "case_notes"}


class Record:
    """Documents of one participant. Built from a `record` bundle or from stored documents.

    `pointer(doc)` is where a document sits in the bundle (the JSON Pointer prefix for T-rule findings).
    """

    def __init__(
        self,
        participant: Doc | None,
        assessments: list[Doc],
        plans: list[Doc],
        case_notes: list[Doc],
    ) -> None:
        self.participant = participant
        self.assessments = assessments
        self.plans = plans
        self.case_notes = case_notes
        self._pointers: dict[int, str] = {}
        if participant is not None:
            self._pointers[id(participant)] = "/participant"
        for key, docs in (("assessments", assessments), ("plans", plans), ("case_notes", case_notes)):
            for i, doc in enumerate(docs):
                self._pointers[id(doc)] = pointer(key, i)
        self._current: dict[str, Doc] | None = None
        self._services: dict[str, tuple[Doc, Doc]] | None = None

    @classmethod
    def from_bundle(cls, bundle: Doc) -> Record:
        return cls(
            bundle.get("participant"),
            list(bundle.get("assessments") or []),
            list(bundle.get("plans") or []),
            list(bundle.get("case_notes") or []),
        )

    def as_bundle(self, as_of: str | None = None) -> Doc:
        bundle: Doc = {"doc_type": "record"}
        if as_of is not None:
            bundle["as_of"] = as_of
        bundle.update(
            participant=self.participant,
            assessments=self.assessments,
            plans=self.plans,
            case_notes=self.case_notes,
        )
        return bundle

    def with_document(self, doc: Doc) -> Record:
        """This record with `doc` in place of its stored version (or added, if new)."""
        doc_type = doc.get("doc_type")
        if doc_type == "participant":
            return Record(doc, self.assessments, self.plans, self.case_notes)
        key = _COLLECTIONS.get(str(doc_type))
        if key is None:
            return self

        def same(other: Doc) -> bool:
            if other.get("id") != doc.get("id"):
                return False
            return doc_type != "plan" or other.get("version") == doc.get("version")

        docs = [d for d in getattr(self, key) if not same(d)] + [doc]
        parts = {"assessments": self.assessments, "plans": self.plans, "case_notes": self.case_notes}
        parts[key] = docs
        return Record(self.participant, parts["assessments"], parts["plans"], parts["case_notes"])

    def pointer(self, doc: Doc) -> str:
        return self._pointers.get(id(doc), "")

    # --- look-ups the rules share -------------------------------------------------------------

    @property
    def program(self) -> str | None:
        return None if self.participant is None else self.participant.get("program")

    def assessment(self, assessment_id: str) -> Doc | None:
        for a in self.assessments:
            if a.get("id") == assessment_id:
                return a
        return None

    def current_plans(self) -> list[Doc]:
        """The current (highest `version`) document of each plan id, in first-seen order."""
        if self._current is None:
            current: dict[str, Doc] = {}
            for plan in self.plans:
                pid = plan.get("id")
                if not isinstance(pid, str):
                    continue
                best = current.get(pid)
                if best is None or _version(plan) > _version(best):
                    current[pid] = plan
            self._current = current
        return list(self._current.values())

    def is_current(self, plan: Doc) -> bool:
        return any(p is plan for p in self.current_plans())

    def plan_versions(self, plan_id: str) -> list[Doc]:
        return sorted((p for p in self.plans if p.get("id") == plan_id), key=_version)

    def services(self) -> dict[str, tuple[Doc, Doc]]:
        """Every service by id across all plan versions, the latest version's copy winning: id -> (service, plan).

        Built once per record (many rules ask); the record's documents do not change while rules run."""
        if self._services is not None:
            return self._services
        out: dict[str, tuple[Doc, Doc]] = {}
        ranked: dict[str, int] = {}
        for plan in self.plans:
            for service in plan.get("services") or []:
                sid = service.get("id")
                if not isinstance(sid, str):
                    continue
                if sid not in ranked or _version(plan) >= ranked[sid]:
                    out[sid] = (service, plan)
                    ranked[sid] = _version(plan)
        self._services = out
        return out

    def notes_of_type(self, *types: str) -> Iterator[Doc]:
        return (n for n in self.case_notes if n.get("type") in types)


def _version(plan: Doc) -> int:
    v = plan.get("version")
    return v if isinstance(v, int) else 0
