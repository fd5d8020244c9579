"""The shared record fixtures through `docgen.policy.evaluate`, seen through the R and T rules only (the
S rules are tested by their own modules), and the catalogue entries of the R, T, L and Y rules checked
against rules.md."""

from __future__ import annotations

import re
from functools import cache

import pytest

from docgen.policy import RULES, evaluate
from docgen.policy.registry import Rule
from tests.fixtures import SHARED, load_fixture

R_RULES = {
    "plan.kind",
    "assess.objective",
    "plan.after_assessment",
    "assess.recent",
    "assess.youth_before_cert",
    "assess.basic_skills_test",
    "assess.siw",
    "plan.after_cert",
    "plan.single_open",
    "plan.performance_program",
    "svc.after_cert",
    "svc.precert_note",
    "exit.services_closed",
}
T_RULES = {
    "contact.30",
    "plan.review90",
    "plan.update_note",
    "plan.dev_note",
    "plan.copy_note",
    "plan.exists",
    "casenote.per_service",
    "svc.open_notes",
    "casenote.training_need_exists",
    "casenote.training_begin_exists",
    "casenote.training_end_exists",
    "svc.closure_deadline",
    "exit.case_note",
    "exit.soft",
    "exit.no_contact",
    "followup.12m",
}
L_RULES = {"plan.signed", "plan.resign", "mou.signed", "privacy.roi"}
Y_RULES = {"privacy.storage", "retention.originals"}
RT_RULES = R_RULES | T_RULES

RECORD_FIXTURES = [
    "valid-adult-iep.json",
    "valid-youth-iss.json",
    "valid-record-tracking.json",
    "invalid-contact.30.json",
    "invalid-plan.copy_note.json",
    "invalid-plan.review90.json",
    "invalid-plan.single_open.json",
    "invalid-svc.after_cert.json",
    "invalid-svc.precert_note.json",
    "invalid-assess.recent.json",
    "invalid-assess.youth_before_cert.json",
]


@pytest.mark.parametrize("name", RECORD_FIXTURES)
def test_record_fixture_rt_errors_are_exactly_expected(name: str) -> None:
    doc = load_fixture(name)
    found = evaluate(doc)
    assert not [f for f in found if f.rule == "doc.schema"], found
    findings = [f for f in found if f.rule in RT_RULES]
    errors = {f.rule for f in findings if f.severity == "error"}
    assert errors == set(doc["_expect"]) & RT_RULES
    if name.startswith("valid-"):
        warnings = {f.rule for f in findings if f.severity == "warning"}
        assert warnings <= set(doc.get("_warn", []))


def test_fixtures_cover_tracking_runs() -> None:
    # The T-rule fixtures must carry an as_of, or the test above would pass without running T rules.
    for name in ("valid-record-tracking.json", "invalid-contact.30.json", "invalid-plan.review90.json"):
        assert load_fixture(name).get("as_of")


# --- catalogue ----------------------------------------------------------------------------------

_SEED = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):")


@cache
def rules_md_rows() -> dict[str, list[str]]:
    text = (SHARED / "domain" / "rules.md").read_text(encoding="utf-8")
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in RT_RULES | L_RULES | Y_RULES:
            rows[cells[0]] = cells
    return rows


def citations_in(cell: str) -> list[tuple[str, str]]:
    if not _SEED.search(cell):
        # "structural (reason)"
        match = re.fullmatch(r"structural \((.*)\)", cell)
        assert match, cell
        return [("structural", match.group(1))]
    parts = _SEED.split(cell)
    return [
        (parts[i], quote) for i in range(1, len(parts), 2) for quote in re.findall(r'"([^"]*)"', parts[i + 1])
    ]


@pytest.mark.parametrize("rule_id", sorted(RT_RULES | L_RULES | Y_RULES))
def test_catalogue_entry_matches_rules_md(rule_id: str) -> None:
    rule: Rule = RULES[rule_id]
    _id, scope, _entity, _check, severity, citation = rules_md_rows()[rule_id]
    assert rule.scope == scope
    # plan.exists: "error (youth) / warning (adult, DW)"; the rule is registered as error and its
    # violations carry the severity of the case.
    assert rule.severity == severity.split(" ")[0]
    assert [(c.source, c.quote) for c in rule.citations] == citations_in(citation)
    assert rule.description


@pytest.mark.parametrize("rule_id", sorted(L_RULES | Y_RULES))
def test_lifecycle_and_system_rules_are_listed_without_check(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.check is None
    assert rule.as_dict()["moment"] == {"L": "lifecycle", "Y": "system"}[rule.scope]


def test_quotes_are_verbatim_in_the_seeds() -> None:
    seeds = {
        p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in (SHARED / "seeds").glob("0*.txt")
    }
    for rule_id in RT_RULES | L_RULES | Y_RULES:
        for citation in RULES[rule_id].citations:
            if citation.source != "structural":
                assert citation.quote in seeds[citation.source], (rule_id, citation.quote)
