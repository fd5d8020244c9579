"""The single-document (S) rules against the shared fixtures and the rule table of rules.md.

- every participant, assessment, plan, case_note and mou fixture gives exactly its `_expect` error ids and
  includes its `_warn` ids, with default settings and no record;
- on the record fixtures, no S rule raises an error (their `_expect` ids are record or tracking rules);
- each S rule of sections 2.2-2.8 is registered with the severity, scope, check text and citations of rules.md.
"""

from __future__ import annotations

import re

import pytest

from docgen.policy import RULES, evaluate
from tests.fixtures import SHARED, fixture_names, load_fixture

S_DOC_TYPES = {"participant", "assessment", "plan", "case_note", "mou"}
RULES_MD = SHARED / "domain" / "rules.md"
FIRST_S_SECTION, LAST_S_SECTION = "### 2.2", "## 3."
# Checked by other modules: the schema, and the reference and e-signature rules (S+R).
NOT_HERE = {"pii.no_ssn", "doc.schema", "doc.refs", "esign.method"}


def names_of(doc_types: set[str]) -> list[str]:
    return [n for n in fixture_names() if load_fixture(n).get("doc_type") in doc_types]


def table_rows() -> dict[str, list[str]]:
    """rules.md sections 2.2 to 2.8: rule id -> [id, scope, entity, check, severity, citation]."""
    text = RULES_MD.read_text(encoding="utf-8")
    section = text[text.index(FIRST_S_SECTION) : text.index(LAST_S_SECTION)]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 6 and cells[0] not in ("id", "---") and not cells[0].startswith("-"):
            rows[cells[0]] = cells
    return rows


def table_citations(column: str) -> list[tuple[str, list[str]]]:
    """(source, quotes) in the order of the citation column; "structural" carries no quote."""
    parts = re.split(r"(\d{3}_[0-9a-f]+\.txt): ", column)
    out: list[tuple[str, list[str]]] = []
    if parts[0].strip().startswith("structural"):
        out.append(("structural", []))
    for source, quoted in zip(parts[1::2], parts[2::2], strict=True):
        out.append((source, re.findall(r'"([^"]*)"', quoted)))
    return out


S_ROWS = table_rows()


@pytest.mark.parametrize("name", names_of(S_DOC_TYPES))
def test_single_document_fixture(name: str) -> None:
    doc = load_fixture(name)
    findings = evaluate(doc)
    assert {f.rule for f in findings if f.severity == "error"} == set(doc["_expect"])
    assert set(doc.get("_warn", [])) <= {f.rule for f in findings if f.severity == "warning"}


@pytest.mark.parametrize("name", names_of({"record"}))
def test_no_single_document_error_on_record_fixtures(name: str) -> None:
    doc = load_fixture(name)
    s_errors = [f for f in evaluate(doc) if f.severity == "error" and RULES[f.rule].scope == "S"]
    assert s_errors == []


@pytest.mark.parametrize("name", ["valid-adult-iep.json", "valid-youth-iss.json"])
def test_s_rules_run_on_every_document_of_a_record(name: str) -> None:
    # Break one thing in each nested document: each S rule reports it under the document's place in the bundle.
    doc = load_fixture(name)
    doc["participant"]["applied_on"] = "2024-01-01"
    doc["assessments"][0]["areas"].pop()
    doc["plans"][0]["developed_jointly"] = False
    doc["case_notes"][0]["narrative"] = ""
    found = {(f.rule, f.path) for f in evaluate(doc) if RULES[f.rule].scope == "S"}
    assert found >= {
        ("elig.30days", "/participant/eligibility_determined_on"),
        ("assess.areas", "/assessments/0/areas"),
        ("plan.jointly", "/plans/0/developed_jointly"),
        ("casenote.narrative", "/case_notes/0/narrative"),
    }


def test_every_s_rule_of_the_table_is_registered() -> None:
    assert len(S_ROWS) == 72
    assert {rule_id for rule_id in S_ROWS if rule_id not in RULES or RULES[rule_id].check is None} == set()


@pytest.mark.parametrize("rule_id", sorted(S_ROWS))
def test_rule_matches_the_table(rule_id: str) -> None:
    _, scope, entity, check, severity, citation = S_ROWS[rule_id]
    rule = RULES[rule_id]
    assert (rule.scope, rule.severity, rule.entity) == (scope, severity, entity)
    assert rule.description == check
    registered: dict[str, list[str]] = {}
    for c in rule.citations:
        registered.setdefault(c.source, []).append(c.quote)
    expected = table_citations(citation)
    assert list(registered) == [source for source, _ in expected]
    for source, quotes in expected:
        if source != "structural":
            assert registered[source] == quotes


def test_messages_do_not_echo_participant_names() -> None:
    doc = load_fixture("valid-adult-iep.json")
    participant = doc["participant"]
    doc["plans"][0]["signatories"].pop(0)
    doc["plans"][0]["barriers"][0]["by_whom"]["name"] = participant["first_name"]
    doc["plans"][0]["barriers"][0]["strategy"] = ""
    for note in doc["case_notes"]:
        note["narrative"] = " "
    messages = [f.message for f in evaluate(doc) if RULES[f.rule].scope == "S"]
    assert len(messages) > len(doc["case_notes"])
    for message in messages:
        assert participant["first_name"] not in message
        assert participant["last_name"] not in message
