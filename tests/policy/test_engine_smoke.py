from docgen.policy import RULES, evaluate
from tests.fixtures import load_fixture


def test_pii_runs_first_and_alone() -> None:
    doc = load_fixture("invalid-pii.no_ssn.json")
    findings = evaluate(doc)
    assert [f.rule for f in findings] == ["pii.no_ssn"]
    assert "123" not in findings[0].message


def test_catalogue_has_citations() -> None:
    assert all(rule.citations for rule in RULES.values())
