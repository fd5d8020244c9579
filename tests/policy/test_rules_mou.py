"""MOU rules (rules.md 2.8): parties, roles, LWIA commitment, plan alignment, signatories, certifiers,
follow-up."""

from __future__ import annotations

import pytest

from tests.policy.s_rule_helpers import error_ids, mou, paths, warning_ids

REQUIRED_ROLES = [
    "recruitment",
    "eligibility_determination",
    "enrollment",
    "performance_requirements",
    "strategies",
]


def test_valid_mou_raises_nothing() -> None:
    assert error_ids(mou()) == set()
    assert warning_ids(mou()) == set()


def test_no_lwia_party() -> None:
    doc = mou()
    doc["parties"][1]["party_type"] = "other_qualified_organization"
    # The commitment now names a non-LWIA party, but the missing LWIA is reported once, by mou.parties.
    assert error_ids(doc) == {"mou.parties"}
    assert paths(doc, "mou.parties") == ["/parties"]


def test_no_applicant_party() -> None:
    doc = mou()
    doc["parties"][0]["party_type"] = "other_qualified_organization"
    assert error_ids(doc) == {"mou.parties"}


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_required_role_missing(role: str) -> None:
    doc = mou()
    doc["roles"] = [r for r in doc["roles"] if r["role"] != role]
    assert error_ids(doc) == {"mou.roles"}
    assert paths(doc, "mou.roles") == ["/roles"]


def test_optional_reporting_role_may_be_left_out() -> None:
    doc = mou()
    doc["roles"] = [r for r in doc["roles"] if r["role"] != "reporting"]
    assert error_ids(doc) == set()


def test_role_without_description() -> None:
    doc = mou()
    del doc["roles"][2]["description"]
    assert error_ids(doc) == {"mou.roles"}
    assert paths(doc, "mou.roles") == ["/roles/2/description"]


def test_role_described_in_a_second_entry_passes() -> None:
    doc = mou()
    doc["roles"][2]["description"] = " "
    doc["roles"].append(
        {"role": "enrollment", "responsible_party_ids": ["LW7"], "description": "LWIA enrolls."}
    )
    assert error_ids(doc) == set()


def test_no_roles() -> None:
    doc = mou()
    del doc["roles"]
    assert error_ids(doc) == {"mou.roles"}
    assert len(paths(doc, "mou.roles")) == len(REQUIRED_ROLES)


def test_no_lwia_commitment() -> None:
    doc = mou()
    del doc["lwia_commitment"]
    assert error_ids(doc) == {"mou.lwia_commitment"}
    assert paths(doc, "mou.lwia_commitment") == ["/lwia_commitment"]


def test_blank_lwia_commitment() -> None:
    doc = mou()
    doc["lwia_commitment"]["text"] = "  "
    assert error_ids(doc) == {"mou.lwia_commitment"}
    assert paths(doc, "mou.lwia_commitment") == ["/lwia_commitment/text"]


def test_commitment_made_by_a_party_that_is_not_the_lwia() -> None:
    doc = mou()
    doc["lwia_commitment"]["party_id"] = "APP"
    assert error_ids(doc) == {"mou.lwia_commitment"}
    assert paths(doc, "mou.lwia_commitment") == ["/lwia_commitment/party_id"]


@pytest.mark.parametrize("field", ["regional_plan", "local_plan"])
def test_plan_alignment_incomplete(field: str) -> None:
    doc = mou()
    doc["plan_alignment"][field] = ""
    assert error_ids(doc) == {"mou.plan_alignment"}
    assert paths(doc, "mou.plan_alignment") == [f"/plan_alignment/{field}"]


def test_no_plan_alignment() -> None:
    doc = mou()
    del doc["plan_alignment"]
    assert error_ids(doc) == {"mou.plan_alignment"}


def test_party_without_signatory() -> None:
    doc = mou()
    doc["signatories"] = [s for s in doc["signatories"] if s["party_id"] != "ORG"]
    assert error_ids(doc) == {"mou.signatories"}
    assert paths(doc, "mou.signatories") == ["/parties/2"]


def test_no_signatories() -> None:
    doc = mou()
    del doc["signatories"]
    assert error_ids(doc) == {"mou.signatories"}
    assert paths(doc, "mou.signatories") == ["/parties/0", "/parties/1", "/parties/2"]


def test_no_iwds_certifier() -> None:
    doc = mou()
    doc["serves_incumbent_workers"] = False
    doc["certifying_staff"][0]["systems"] = ["iwts"]
    assert error_ids(doc) == {"mou.certifier"}
    assert paths(doc, "mou.certifier") == ["/certifying_staff"]


def test_incumbent_workers_need_an_iwts_certifier() -> None:
    doc = mou()
    doc["certifying_staff"][0]["systems"] = ["iwds"]
    assert error_ids(doc) == {"mou.certifier"}
    doc["serves_incumbent_workers"] = False
    assert error_ids(doc) == set()


def test_certifiers_may_split_the_systems() -> None:
    doc = mou()
    doc["certifying_staff"] = [
        {"name": "Riley Placeholder", "party_id": "LW7", "systems": ["iwds"]},
        {"name": "Drew Sample", "party_id": "ORG", "systems": ["iwts"]},
    ]
    assert error_ids(doc) == set()


def test_no_certifying_staff() -> None:
    doc = mou()
    del doc["certifying_staff"]
    assert error_ids(doc) == {"mou.certifier"}
    assert len(paths(doc, "mou.certifier")) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("agreed", False), ("approach", None), ("responsible_party_ids", []), ("description", " ")],
)
def test_follow_up_incomplete(field: str, value: object) -> None:
    doc = mou()
    if value is None:
        del doc["follow_up"][field]
    else:
        doc["follow_up"][field] = value
    assert error_ids(doc) == {"mou.follow_up"}
    assert paths(doc, "mou.follow_up") == [f"/follow_up/{field}"]


def test_no_follow_up() -> None:
    doc = mou()
    del doc["follow_up"]
    assert error_ids(doc) == {"mou.follow_up"}
    assert paths(doc, "mou.follow_up") == ["/follow_up"]
