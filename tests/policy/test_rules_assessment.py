"""Assessment rules (rules.md 2.3): all eight areas, not a single or basic-skills-only test, screening first,
formal results."""

from __future__ import annotations

from tests.policy.s_rule_helpers import Doc, adult_assessment, error_ids, paths, warning_ids

SCREENING = {"tool": "basic_skills_screening_tool", "formal": True, "result": "Screened: not deficient."}


def tools(*codes: str) -> list[Doc]:
    return [{"tool": code, "formal": False} for code in codes]


def test_valid_assessment_raises_nothing() -> None:
    assert error_ids(adult_assessment()) == set()
    assert warning_ids(adult_assessment()) == set()


def test_area_not_reviewed() -> None:
    doc = adult_assessment()
    doc["areas"] = [a for a in doc["areas"] if a["area"] != "developmental_needs"]
    assert error_ids(doc) == {"assess.areas"}
    assert paths(doc, "assess.areas") == ["/areas"]


def test_area_with_blank_finding_points_at_the_finding() -> None:
    doc = adult_assessment()
    doc["areas"][3]["finding"] = "   "
    assert error_ids(doc) == {"assess.areas"}
    assert paths(doc, "assess.areas") == ["/areas/3/finding"]


def test_blank_finding_counts_when_the_area_is_reviewed_elsewhere() -> None:
    doc = adult_assessment()
    doc["areas"].append({"area": "aptitudes", "finding": ""})
    assert error_ids(doc) == set()


def test_no_areas_at_all() -> None:
    doc = adult_assessment()
    del doc["areas"]
    assert error_ids(doc) == {"assess.areas"}


def test_single_test_is_not_an_assessment() -> None:
    doc = adult_assessment()
    doc["tools"] = tools("interest_inventory")
    assert error_ids(doc) == {"assess.not_sole"}


def test_screening_tool_does_not_count_as_a_second_tool() -> None:
    doc = adult_assessment()
    doc["tools"] = [SCREENING, *tools("interview")]
    assert error_ids(doc) == {"assess.not_sole"}


def test_only_basic_skills_tests_fail() -> None:
    doc = adult_assessment()
    doc["tools"] = [
        {"tool": "tabe_11_12", "formal": True, "result": "Reading 9.2"},
        {"tool": "casas_goals", "formal": True, "result": "Math 221"},
    ]
    assert error_ids(doc) == {"assess.not_sole"}


def test_two_tools_beyond_basic_skills_pass() -> None:
    doc = adult_assessment()
    doc["tools"] = [{"tool": "tabe_11_12", "formal": True, "result": "Reading 9.2"}, *tools("interview")]
    assert error_ids(doc) == set()


def test_tool_given_before_the_screening_is_a_warning() -> None:
    doc = adult_assessment()  # interview and interest inventory on 2025-01-14, TABE on 2025-01-15
    doc["tools"].append({**SCREENING, "administered_on": "2025-01-15"})
    assert error_ids(doc) == set()
    assert warning_ids(doc) == {"assess.screening_first"}
    assert paths(doc, "assess.screening_first") == ["/tools/0/administered_on", "/tools/1/administered_on"]


def test_screening_on_the_day_of_the_first_tool_passes() -> None:
    doc = adult_assessment()
    doc["tools"].append({**SCREENING, "administered_on": "2025-01-14"})
    assert warning_ids(doc) == set()


def test_screening_without_a_date_is_not_checked() -> None:
    doc = adult_assessment()
    doc["tools"].append(SCREENING)
    assert warning_ids(doc) == set()


def test_formal_test_without_result() -> None:
    doc = adult_assessment()
    del doc["tools"][2]["result"]
    assert error_ids(doc) == {"assess.results"}
    assert paths(doc, "assess.results") == ["/tools/2/result"]


def test_informal_tool_needs_no_result() -> None:
    doc = adult_assessment()
    assert "result" not in doc["tools"][0]
    assert doc["tools"][0]["formal"] is False
    assert error_ids(doc) == set()
