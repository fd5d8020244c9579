"""doc.refs and esign.method (rules.md section 2.1).

Each test starts from a valid fixture, changes one thing (the document stays schema-valid) and asserts the exact
set of error rule ids, and where doc.refs / esign.method point.
"""

from __future__ import annotations

import copy
from typing import Any

from docgen.policy import Record, Settings, evaluate
from docgen.policy.findings import Finding
from tests.fixtures import load_fixture, strip_meta

Doc = dict[str, Any]
DEFAULTS = Settings()


def run(doc: Doc, settings: Settings = DEFAULTS, record: Record | None = None) -> list[Finding]:
    found = evaluate(doc, settings=settings, record=record)
    assert not [f for f in found if f.rule in ("doc.schema", "pii.no_ssn")], found
    return found


def errors(doc: Doc, settings: Settings = DEFAULTS, record: Record | None = None) -> set[str]:
    return {f.rule for f in run(doc, settings, record) if f.severity == "error"}


def paths(rule: str, doc: Doc, settings: Settings = DEFAULTS, record: Record | None = None) -> list[str]:
    return [f.path for f in run(doc, settings, record) if f.rule == rule]


def adult() -> Doc:
    return strip_meta(load_fixture("valid-adult-iep.json"))


def youth() -> Doc:
    return strip_meta(load_fixture("valid-youth-iss.json"))


def mou() -> Doc:
    return strip_meta(load_fixture("valid-mou.json"))


def stored(bundle: Doc) -> Record:
    return Record.from_bundle(bundle)


def second_plan(bundle: Doc, keep: str | None = None) -> Doc:
    """A closed copy of the adult's IEP under a new plan id, its services renamed except `keep`."""
    plan = copy.deepcopy(bundle["plans"][0])
    plan.update(id="PL-1002", status="closed", closed_on="2025-01-31", close_reason="dropped")
    renamed = {s["id"]: (s["id"] if s["id"] == keep else "T" + s["id"][1:]) for s in plan["services"]}
    for service in plan["services"]:
        service["id"] = renamed[service["id"]]
        service.pop("actual_start_on", None)
    for goal in plan["goals"]:
        for objective in goal["objectives"]:
            objective["service_ids"] = [renamed[s] for s in objective["service_ids"]]
    for barrier in plan["barriers"]:
        barrier["service_ids"] = [renamed[s] for s in barrier["service_ids"]]
    return plan


# --- valid documents -----------------------------------------------------------------------------------------------


def test_valid_documents_are_silent() -> None:
    for doc in (adult(), youth(), mou(), adult()["plans"][0], adult()["case_notes"][1]):
        assert errors(doc) == set()
    bundle = adult()
    assert errors(bundle["plans"][0], record=stored(bundle)) == set()
    assert errors(bundle["case_notes"][2], record=stored(bundle)) == set()


# --- plan: ids and references inside the plan (S) ------------------------------------------------------------------


def test_duplicate_goal_id() -> None:
    plan = adult()["plans"][0]
    plan["goals"][1]["id"] = "G1"
    assert errors(plan) == {"doc.refs"}
    assert paths("doc.refs", plan) == ["/goals/1/id"]


def test_duplicate_objective_id_across_goals() -> None:
    plan = adult()["plans"][0]
    plan["goals"][1]["objectives"][0]["id"] = "O1"
    assert errors(plan) == {"doc.refs"}
    assert paths("doc.refs", plan) == ["/goals/1/objectives/0/id"]


def test_duplicate_barrier_id() -> None:
    plan = adult()["plans"][0]
    plan["barriers"][1]["id"] = "B1"
    assert paths("doc.refs", plan) == ["/barriers/1/id"]
    assert errors(plan) == {"doc.refs"}


def test_duplicate_service_id() -> None:
    plan = adult()["plans"][0]
    plan["services"][2]["id"] = "S1"  # career planning now shares the assessment's id
    assert "/services/2/id" in paths("doc.refs", plan)
    assert errors(plan) == {"doc.refs"}


def test_objective_service_must_be_in_the_plan() -> None:
    plan = adult()["plans"][0]
    plan["goals"][0]["objectives"][1]["service_ids"] = ["S3", "S9"]
    assert errors(plan) == {"doc.refs"}
    assert paths("doc.refs", plan) == ["/goals/0/objectives/1/service_ids/1"]


def test_barrier_service_must_be_in_the_plan() -> None:
    plan = adult()["plans"][0]
    plan["barriers"][0]["service_ids"] = ["S9"]
    assert errors(plan) == {"doc.refs"}
    assert paths("doc.refs", plan) == ["/barriers/0/service_ids/0"]


def test_youth_element_service_must_be_in_the_plan() -> None:
    plan = youth()["plans"][0]
    plan["youth_elements"][2]["service_ids"] = ["S9"]
    assert errors(plan) == {"doc.refs"}
    assert paths("doc.refs", plan) == ["/youth_elements/2/service_ids/0"]


def test_linked_goal_must_be_in_the_plan() -> None:
    plan = youth()["plans"][0]
    plan["goals"][0]["linked_employment_goal_id"] = "G9"
    assert errors(plan) == {"doc.refs"}
    assert paths("doc.refs", plan) == ["/goals/0/linked_employment_goal_id"]


# --- plan against the record (R) -----------------------------------------------------------------------------------


def test_assessment_ids_must_resolve_in_the_record() -> None:
    bundle = adult()
    bundle["plans"][0]["assessment_ids"].append("A-9999")
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/plans/0/assessment_ids/1"]


def test_assessment_ids_are_not_checked_without_a_record() -> None:
    plan = adult()["plans"][0]
    plan["assessment_ids"].append("A-9999")
    assert errors(plan) == set()


def test_plan_alone_checks_assessments_against_the_stored_record() -> None:
    bundle = adult()
    plan = copy.deepcopy(bundle["plans"][0])
    plan["assessment_ids"].append("A-9999")
    assert errors(plan, record=stored(bundle)) == {"doc.refs"}
    assert paths("doc.refs", plan, record=stored(bundle)) == ["/assessment_ids/1"]


def test_plan_participant_must_be_the_records() -> None:
    bundle = adult()
    bundle["plans"][0]["participant_id"] = "P-9999"
    assert "doc.refs" in errors(bundle)
    assert paths("doc.refs", bundle) == ["/plans/0/participant_id"]


def test_service_id_reused_by_another_plan_is_reported_once() -> None:
    bundle = adult()
    bundle["plans"].append(second_plan(bundle, keep="S3"))
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/plans/1/services/2/id"]


def test_another_plan_with_its_own_service_ids_is_silent() -> None:
    bundle = adult()
    bundle["plans"].append(second_plan(bundle))
    assert errors(bundle) == set()


def test_versions_of_one_plan_share_service_ids() -> None:
    bundle = adult()
    update = copy.deepcopy(bundle["plans"][0])
    update["version"] = 2
    update["revision"] = {
        "revised_on": "2025-04-21",
        "summary": "Added a check-in.",
        "participant_agreed": True,
    }
    update["services"].append(
        {
            "id": "S6",
            "type": "development_of_iep",
            "category": "individualized_career",
            "name": "Development of IEP",
            "provider": {"name": "Example Workforce Center", "kind": "program"},
            "start_on": "2025-04-21",
            "end_on": "2025-04-21",
            "completion_status": "successful",
        }
    )
    bundle["plans"].append(update)
    assert errors(bundle) == set()


def test_plan_alone_reusing_a_stored_plans_service_id() -> None:
    bundle = adult()
    plan = second_plan(bundle, keep="S3")
    assert errors(plan, record=stored(bundle)) == {"doc.refs"}
    assert paths("doc.refs", plan, record=stored(bundle)) == ["/services/2/id"]


# --- case notes and assessments against the record (R) -------------------------------------------------------------


def test_case_note_service_must_exist() -> None:
    bundle = adult()
    bundle["case_notes"][3]["service_ids"] = ["S9"]
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/case_notes/3/service_ids/0"]


def test_case_note_plan_must_exist() -> None:
    bundle = adult()
    bundle["case_notes"][5]["plan_id"] = "PL-9999"
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/case_notes/5/plan_id"]


def test_case_note_assessment_must_exist() -> None:
    bundle = adult()
    bundle["case_notes"][2]["details"]["assessment_id"] = "A-9999"
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/case_notes/2/details/assessment_id"]


def test_case_note_participant_must_be_the_records() -> None:
    bundle = adult()
    bundle["case_notes"][0]["participant_id"] = "P-9999"
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/case_notes/0/participant_id"]


def test_assessment_participant_must_be_the_records() -> None:
    bundle = adult()
    bundle["assessments"][0]["participant_id"] = "P-9999"
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/assessments/0/participant_id"]


def test_case_note_alone_against_the_stored_record() -> None:
    bundle = adult()
    note = copy.deepcopy(bundle["case_notes"][3])
    assert errors(note, record=stored(bundle)) == set()
    note["service_ids"] = ["S4", "S9"]
    assert errors(note, record=stored(bundle)) == {"doc.refs"}
    assert paths("doc.refs", note, record=stored(bundle)) == ["/service_ids/1"]
    # Without a stored record the references cannot be checked (R), so nothing is reported.
    assert errors(note) == set()


def test_case_note_alone_names_a_plan_of_the_stored_record() -> None:
    bundle = adult()
    note = copy.deepcopy(bundle["case_notes"][4])
    note["plan_id"] = "PL-9999"
    assert paths("doc.refs", note, record=stored(bundle)) == ["/plan_id"]


# --- record: document ids are unique ---------------------------------------------------------------------------------


def test_duplicate_assessment_id_in_record() -> None:
    bundle = adult()
    bundle["assessments"].append(copy.deepcopy(bundle["assessments"][0]))
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/assessments/1/id"]


def test_duplicate_case_note_id_in_record() -> None:
    bundle = adult()
    bundle["case_notes"].append(copy.deepcopy(bundle["case_notes"][-1]))
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/case_notes/6/id"]


def test_duplicate_plan_version_in_record() -> None:
    bundle = adult()
    bundle["plans"].append(copy.deepcopy(bundle["plans"][0]))
    assert errors(bundle) == {"doc.refs"}
    assert paths("doc.refs", bundle) == ["/plans/1/version"]


# --- mou -------------------------------------------------------------------------------------------------------------


def test_duplicate_party_id() -> None:
    doc = mou()
    doc["parties"].append(
        {"id": "ORG", "name": "Example Technical Institute", "party_type": "other_qualified_organization"}
    )
    assert errors(doc) == {"doc.refs"}
    assert paths("doc.refs", doc) == ["/parties/3/id"]


def test_mou_party_references_must_resolve() -> None:
    cases = [
        (lambda d: d["roles"][0]["responsible_party_ids"].append("ZZZ"), "/roles/0/responsible_party_ids/1"),
        (lambda d: d["certifying_staff"][0].update(party_id="ZZZ"), "/certifying_staff/0/party_id"),
        (
            lambda d: d["follow_up"]["responsible_party_ids"].append("ZZZ"),
            "/follow_up/responsible_party_ids/2",
        ),
        (
            lambda d: d["signatories"].append(
                {"party_id": "ZZZ", "name": "Pat Example", "title": "Director"}
            ),
            "/signatories/3/party_id",
        ),
    ]
    for mutate, path in cases:
        doc = mou()
        mutate(doc)
        assert errors(doc) == {"doc.refs"}, path
        assert paths("doc.refs", doc) == [path]


def test_lwia_commitment_party_must_resolve() -> None:
    doc = mou()
    doc["lwia_commitment"]["party_id"] = "ZZZ"
    assert "doc.refs" in errors(doc)
    assert paths("doc.refs", doc) == ["/lwia_commitment/party_id"]


# --- esign.method ----------------------------------------------------------------------------------------------------


def test_method_must_be_allowed_by_settings() -> None:
    bundle = adult()
    wet_ink_only = DEFAULTS.updated({"SIGNATURE_METHODS": ["wet_ink"]})
    assert errors(bundle, wet_ink_only) == {"esign.method"}
    assert paths("esign.method", bundle, wet_ink_only) == [
        "/plans/0/signatories/0/signature/method",
        "/plans/0/signatories/1/signature/method",
    ]
    for signatory in bundle["plans"][0]["signatories"]:
        signatory["signature"] = {"signed_at": "2025-01-27T14:05:00-06:00", "method": "wet_ink"}
    assert errors(bundle, wet_ink_only) == set()
    electronic_only = DEFAULTS.updated({"SIGNATURE_METHODS": ["electronic"]})
    assert paths("esign.method", bundle, electronic_only) == [
        "/plans/0/signatories/0/signature/method",
        "/plans/0/signatories/1/signature/method",
    ]


def test_unsigned_signatories_are_not_checked() -> None:
    plan = adult()["plans"][0]
    for signatory in plan["signatories"]:
        del signatory["signature"]
    assert errors(plan, DEFAULTS.updated({"SIGNATURE_METHODS": ["wet_ink"]})) == set()


def test_electronic_signature_needs_evidence() -> None:
    plan = adult()["plans"][0]
    del plan["signatories"][1]["signature"]["evidence_ref"]
    assert errors(plan) == {"esign.method"}
    assert paths("esign.method", plan) == ["/signatories/1/signature/evidence_ref"]
    plan["signatories"][1]["signature"]["evidence_ref"] = "   "
    assert paths("esign.method", plan) == ["/signatories/1/signature/evidence_ref"]


def test_wet_ink_signature_needs_no_evidence() -> None:
    plan = adult()["plans"][0]
    plan["signatories"][1]["signature"] = {"signed_at": "2025-01-27T14:10:00-06:00", "method": "wet_ink"}
    assert errors(plan) == set()


def test_electronic_participant_signature_needs_consent() -> None:
    bundle = adult()
    bundle["participant"]["consents"]["electronic_signature_consent"] = False
    assert errors(bundle) == {"esign.method"}
    assert paths("esign.method", bundle) == ["/plans/0/signatories/0/signature/method"]


def test_consent_is_not_needed_for_ink_or_for_the_planner() -> None:
    bundle = adult()
    bundle["participant"]["consents"]["electronic_signature_consent"] = False
    bundle["plans"][0]["signatories"][0]["signature"] = {
        "signed_at": "2025-01-27T14:05:00-06:00",
        "method": "wet_ink",
        "evidence_ref": "scan-1001",
    }
    assert errors(bundle) == set()


def test_consent_is_checked_against_the_stored_record() -> None:
    bundle = adult()
    bundle["participant"]["consents"]["electronic_signature_consent"] = False
    plan = copy.deepcopy(bundle["plans"][0])
    assert errors(plan) == set()  # alone, nothing says whether the participant consented
    assert paths("esign.method", plan, record=stored(bundle)) == ["/signatories/0/signature/method"]


def test_mou_signatures() -> None:
    doc = mou()
    del doc["signatories"][2]["signature"]["evidence_ref"]
    assert errors(doc) == {"esign.method"}
    assert paths("esign.method", doc) == ["/signatories/2/signature/evidence_ref"]
    doc = mou()
    assert paths("esign.method", doc, DEFAULTS.updated({"SIGNATURE_METHODS": ["wet_ink"]})) == [
        f"/signatories/{i}/signature/method" for i in range(3)
    ]


def test_messages_do_not_echo_participant_names() -> None:
    bundle = adult()
    bundle["participant"]["consents"]["electronic_signature_consent"] = False
    bundle["plans"][0]["participant_id"] = "P-9999"
    for finding in run(bundle):
        assert "Avery" not in finding.message
        assert "Sample" not in finding.message
