"""ISS-only rules (rules.md 2.6): summary, career pathway, youth elements, goal kinds, first service."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.policy.s_rule_helpers import Doc, error_ids, iep, iss, paths, settings, warning_ids


@pytest.mark.parametrize("field", ["summary", "career_pathway"])
@pytest.mark.parametrize("change", ["blank", "absent"])
def test_summary_and_career_pathway_required(field: str, change: str) -> None:
    plan = iss()
    if change == "blank":
        plan[field] = "  "
    else:
        del plan[field]
    rule = {"summary": "iss.summary", "career_pathway": "iss.career_pathway"}[field]
    assert error_ids(plan) == {rule}
    assert paths(plan, rule) == [f"/{field}"]


def test_iep_needs_no_summary_or_pathway() -> None:
    plan = iep()
    assert "summary" not in plan
    assert "career_pathway" not in plan
    assert error_ids(plan) == set()


@pytest.mark.parametrize("change", ["empty", "absent"])
def test_no_youth_element(change: str) -> None:
    plan = iss()
    if change == "empty":
        plan["youth_elements"] = []
    else:
        del plan["youth_elements"]
    assert error_ids(plan) == {"iss.youth_elements"}
    assert paths(plan, "iss.youth_elements") == ["/youth_elements"]


def test_youth_element_listed_twice() -> None:
    plan = iss()
    plan["youth_elements"].append({"element": "work_experience", "delivery": "referral"})
    assert error_ids(plan) == {"iss.youth_elements"}
    assert paths(plan, "iss.youth_elements") == ["/youth_elements/4/element"]


def education_only() -> Doc:
    plan = iss()
    plan["goals"] = plan["goals"][:1]
    del plan["goals"][0]["linked_employment_goal_id"]
    return plan


def employment_only() -> Doc:
    plan = iss()
    plan["goals"] = plan["goals"][1:]
    return plan


@pytest.mark.parametrize("make", [education_only, employment_only])
def test_both_education_and_employment_goals_by_default(make: Callable[[], Doc]) -> None:
    plan = make()
    assert error_ids(plan) == {"iss.goals"}
    assert paths(plan, "iss.goals") == ["/goals"]


@pytest.mark.parametrize("make", [education_only, employment_only])
def test_either_goal_kind_when_the_setting_allows(make: Callable[[], Doc]) -> None:
    assert error_ids(make(), settings(ISS_GOAL_KINDS="education_or_employment")) == set()


def test_iss_must_be_the_first_service() -> None:
    plan = iss()  # opened 2025-02-17
    plan["services"][4]["start_on"] = "2025-02-17"
    assert error_ids(plan) == set()
    plan["services"][4]["start_on"] = "2025-02-16"
    assert error_ids(plan) == {"iss.first_service"}
    assert paths(plan, "iss.first_service") == ["/services/4/start_on"]


def test_first_service_setting_off() -> None:
    plan = iss()
    plan["services"][4]["start_on"] = "2025-02-16"
    assert error_ids(plan, settings(ISS_MUST_BE_FIRST_SERVICE=False)) == set()


def test_iep_may_follow_other_services() -> None:
    plan = iep()  # the comprehensive assessment S1 starts a week before the IEP
    assert plan["services"][0]["start_on"] < plan["opened_on"]
    assert error_ids(plan) == set()
    assert warning_ids(plan) == set()


def test_goal_kinds_are_checked_even_without_objectives() -> None:
    plan = employment_only()
    plan["goals"][0]["objectives"] = []
    assert error_ids(plan) == {"plan.goals", "iss.goals"}
