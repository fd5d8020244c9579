"""doc.schema: the marshmallow contract schemas, the JSON Pointers of their findings, and the compiled valid path.

Every check here also asserts that the compiled checker and marshmallow give the same verdict, so the fast path
can never accept what marshmallow refuses (or the reverse).
"""

from __future__ import annotations

import copy
import decimal
import json
from collections.abc import Callable
from typing import Any

import pytest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.contract import DOC_TYPES, SCHEMAS_BY_DOC_TYPE, is_schema_valid, schema_violations
from docgen.contract.fields import MAX_ITEMS, MAX_STRING
from docgen.contract.schemas import RecordSchema
from docgen.contract.validate import MAX_VIOLATIONS, marshmallow_violations
from docgen.policy import evaluate
from docgen.policy.findings import Violation
from tests.fixtures import fixture_names, load_fixture, strip_meta

Doc = dict[str, Any]


def verdicts_agree(doc: Any) -> bool:
    """Compiled verdict == marshmallow verdict (after the `_` keys are stripped)."""
    if not isinstance(doc, dict) or doc.get("doc_type") not in DOC_TYPES:
        return True
    stripped = strip_meta(doc)
    return is_schema_valid(stripped) == (marshmallow_violations(stripped["doc_type"], stripped) == [])


def violations(doc: Any) -> list[Violation]:
    found = schema_violations(doc)
    assert verdicts_agree(doc), "compiled checker and marshmallow disagree"
    return found


def paths(doc: Any) -> list[str]:
    return [v.path for v in violations(doc)]


def record() -> Doc:
    return strip_meta(load_fixture("valid-adult-iep.json"))


def youth() -> Doc:
    return strip_meta(load_fixture("valid-youth-iss.json"))


def note(note_type: str) -> Doc:
    return strip_meta(load_fixture(f"valid-case_note-{note_type}.json"))


def mou() -> Doc:
    return strip_meta(load_fixture("valid-mou.json"))


def plan(doc: Doc) -> Doc:
    found: Doc = doc["plans"][0]
    return found


# --- fixtures ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", fixture_names())
def test_every_fixture_is_schema_valid_both_ways(name: str) -> None:
    doc = load_fixture(name)
    assert violations(doc) == []
    stripped = strip_meta(doc)
    assert is_schema_valid(stripped)
    assert marshmallow_violations(stripped["doc_type"], stripped) == []


@pytest.mark.parametrize("name", fixture_names())
def test_nested_documents_are_valid_alone(name: str) -> None:
    doc = strip_meta(load_fixture(name))
    if doc["doc_type"] != "record":
        return
    for nested in [doc["participant"], *doc["assessments"], *doc["plans"], *doc["case_notes"]]:
        assert violations(nested) == []


def test_loading_returns_the_values_unchanged() -> None:
    doc = record()
    plan(doc)["services"][3]["approximate_cost"] = decimal.Decimal("4800.00")
    loaded = RecordSchema().load(doc)
    assert loaded == doc
    assert type(loaded["plans"][0]["services"][3]["approximate_cost"]) is decimal.Decimal


# --- one violation per defect, at the right pointer -----------------------------------------------------------

Mutation = Callable[[Doc], None]


def _parts(path: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]


def _set(path: str, value: Any) -> Mutation:
    """Set the value at a JSON Pointer (the last part may be a new key)."""

    def mutate(doc: Doc) -> None:
        *parents, last = _parts(path)
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _drop(path: str) -> Mutation:
    def mutate(doc: Doc) -> None:
        *parents, last = _parts(path)
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return mutate


def _barrier_other_without_description(doc: Doc) -> None:
    barrier = plan(doc)["barriers"][0]
    barrier["category"] = "other"
    del barrier["description"]


def _partner_referral_with_kind(doc: Doc) -> None:
    service = plan(doc)["services"][4]
    service["type"] = "partner_referral"
    service["category"] = "partner"


PLAN = "/plans/0"
GOAL = f"{PLAN}/goals/1"
SERVICE = f"{PLAN}/services/3"
CASES: list[tuple[str, Mutation, str]] = [
    # wrong types
    ("integer as string", _set(f"{PLAN}/version", "1"), f"{PLAN}/version"),
    ("integer as fraction", _set(f"{PLAN}/version", 1.5), f"{PLAN}/version"),
    ("integer as boolean", _set(f"{PLAN}/version", True), f"{PLAN}/version"),
    ("integer below minimum", _set(f"{PLAN}/version", 0), f"{PLAN}/version"),
    ("integer as float", _set(f"{PLAN}/version", 1.0), f"{PLAN}/version"),
    ("boolean as string", _set(f"{PLAN}/developed_jointly", "true"), f"{PLAN}/developed_jointly"),
    ("boolean as number", _set(f"{PLAN}/developed_jointly", 1), f"{PLAN}/developed_jointly"),
    ("money as string", _set(f"{SERVICE}/approximate_cost", "4800.00"), f"{SERVICE}/approximate_cost"),
    ("money as boolean", _set(f"{SERVICE}/approximate_cost", True), f"{SERVICE}/approximate_cost"),
    ("negative money", _set(f"{SERVICE}/approximate_cost", -1), f"{SERVICE}/approximate_cost"),
    ("money NaN", _set(f"{SERVICE}/approximate_cost", float("nan")), f"{SERVICE}/approximate_cost"),
    ("money infinite", _set(f"{SERVICE}/approximate_cost", float("inf")), f"{SERVICE}/approximate_cost"),
    (
        "money Decimal NaN",
        _set(f"{SERVICE}/approximate_cost", decimal.Decimal("NaN")),
        f"{SERVICE}/approximate_cost",
    ),
    ("string as number", _set(f"{GOAL}/description", 7), f"{GOAL}/description"),
    ("string as list", _set(f"{GOAL}/description", ["a"]), f"{GOAL}/description"),
    ("list as string", _set(f"{PLAN}/assessment_ids", "A-1001"), f"{PLAN}/assessment_ids"),
    ("list as object", _set(f"{PLAN}/goals", {"0": {}}), f"{PLAN}/goals"),
    ("object as list", _set(f"{PLAN}/career_planner", []), f"{PLAN}/career_planner"),
    ("object as string", _set("/participant/consents", "yes"), "/participant/consents"),
    ("list item of wrong type", _set(f"{PLAN}/assessment_ids/0", 1001), f"{PLAN}/assessment_ids/0"),
    ("list item not an object", _set(f"{PLAN}/goals/0", "G1"), f"{PLAN}/goals/0"),
    # dates and timestamps
    ("impossible date", _set(f"{GOAL}/opened_on", "2025-02-30"), f"{GOAL}/opened_on"),
    ("month 13", _set(f"{GOAL}/opened_on", "2025-13-01"), f"{GOAL}/opened_on"),
    ("year 0", _set(f"{GOAL}/opened_on", "0000-01-01"), f"{GOAL}/opened_on"),
    ("unpadded date", _set(f"{GOAL}/opened_on", "2025-1-5"), f"{GOAL}/opened_on"),
    ("basic-format date", _set(f"{GOAL}/opened_on", "20250105"), f"{GOAL}/opened_on"),
    ("week date", _set(f"{GOAL}/opened_on", "2025-W01-1"), f"{GOAL}/opened_on"),
    ("date with time", _set(f"{GOAL}/opened_on", "2025-01-05T00:00:00Z"), f"{GOAL}/opened_on"),
    ("date with newline", _set(f"{GOAL}/opened_on", "2025-01-05\n"), f"{GOAL}/opened_on"),
    ("date in non-ASCII digits", _set(f"{GOAL}/opened_on", "٢٠٢٥-٠١-٠٥"), f"{GOAL}/opened_on"),
    (
        "timestamp without offset",
        _set("/case_notes/0/recorded_at", "2025-01-20T16:20:00"),
        "/case_notes/0/recorded_at",
    ),
    ("timestamp as date", _set("/case_notes/0/recorded_at", "2025-01-20"), "/case_notes/0/recorded_at"),
    (
        "timestamp with a space",
        _set("/case_notes/0/recorded_at", "2025-01-20 16:20:00-06:00"),
        "/case_notes/0/recorded_at",
    ),
    (
        "timestamp hour 24",
        _set("/case_notes/0/recorded_at", "2025-01-20T24:00:00Z"),
        "/case_notes/0/recorded_at",
    ),
    (
        "timestamp offset out of range",
        _set("/case_notes/0/recorded_at", "2025-01-20T16:20:00+24:00"),
        "/case_notes/0/recorded_at",
    ),
    (
        "timestamp impossible day",
        _set("/case_notes/0/recorded_at", "2025-02-29T16:20:00Z"),
        "/case_notes/0/recorded_at",
    ),
    (
        "signature without offset",
        _set(f"{PLAN}/signatories/0/signature/signed_at", "2025-01-27T14:05:00"),
        f"{PLAN}/signatories/0/signature/signed_at",
    ),
    # unknown fields and nulls
    ("unknown top-level field", _set("/color", "blue"), "/color"),
    ("unknown nested field", _set(f"{GOAL}/objectives/0/color", "blue"), f"{GOAL}/objectives/0/color"),
    ("underscore field below the top", _set(f"{PLAN}/_note", "x"), f"{PLAN}/_note"),
    ("unknown field named _schema", _set(f"{PLAN}/_schema", 1), f"{PLAN}/_schema"),
    ("unknown field with a slash", _set(f"{PLAN}/a~1b", 1), f"{PLAN}/a~1b"),
    (
        "date of birth is not accepted",
        _set("/participant/date_of_birth", "2000-01-01"),
        "/participant/date_of_birth",
    ),
    ("null optional field", _set("/participant/middle_name", None), "/participant/middle_name"),
    ("null required field", _set(f"{GOAL}/opened_on", None), f"{GOAL}/opened_on"),
    ("null list item", _set(f"{PLAN}/assessment_ids/0", None), f"{PLAN}/assessment_ids/0"),
    ("null object", _set(f"{PLAN}/justification", None), f"{PLAN}/justification"),
    # missing `yes` fields
    ("missing required field", _drop(f"{GOAL}/projected_end_on"), f"{GOAL}/projected_end_on"),
    ("missing required object", _drop("/participant/consents"), "/participant/consents"),
    ("missing required list", _drop(f"{PLAN}/barriers"), f"{PLAN}/barriers"),
    ("missing record collection", _drop("/case_notes"), "/case_notes"),
    ("empty assessment_ids", _set(f"{PLAN}/assessment_ids", []), f"{PLAN}/assessment_ids"),
    ("no tools", _set("/assessments/0/tools", []), "/assessments/0/tools"),
    # enums
    ("enum in the wrong case", _set("/participant/program", "Adult"), "/participant/program"),
    ("enum not in the list", _set(f"{PLAN}/status", "draft"), f"{PLAN}/status"),
    (
        "enum list item",
        _set("/assessments/0/barriers_identified/0", "car"),
        "/assessments/0/barriers_identified/0",
    ),
    (
        "signature method",
        _set(f"{PLAN}/signatories/0/signature/method", "fax"),
        f"{PLAN}/signatories/0/signature/method",
    ),
    ("nested doc_type", _set(f"{PLAN}/doc_type", "case_note"), f"{PLAN}/doc_type"),
    ("nested doc_type missing", _drop("/participant/doc_type"), "/participant/doc_type"),
    # ids
    ("id with path traversal", _set(f"{PLAN}/id", "../etc"), f"{PLAN}/id"),
    ("id with a space", _set(f"{PLAN}/id", "a b"), f"{PLAN}/id"),
    ("id too long", _set(f"{PLAN}/id", "x" * 65), f"{PLAN}/id"),
    ("id with SQL", _set(f"{PLAN}/id", "'; DROP TABLE"), f"{PLAN}/id"),
    ("empty id", _set(f"{PLAN}/id", ""), f"{PLAN}/id"),
    ("id starting with a dash", _set(f"{PLAN}/id", "-a"), f"{PLAN}/id"),
    ("id with a trailing newline", _set(f"{PLAN}/id", "a\n"), f"{PLAN}/id"),
    ("id in a list", _set(f"{GOAL}/objectives/0/service_ids/0", "S 3"), f"{GOAL}/objectives/0/service_ids/0"),
    # text, strings and formats
    ("blank required text", _set(f"{GOAL}/description", "   "), f"{GOAL}/description"),
    ("empty required text", _set("/participant/first_name", ""), "/participant/first_name"),
    ("blank optional text", _set("/assessments/0/strengths", " \t"), "/assessments/0/strengths"),
    ("text too long", _set("/case_notes/0/narrative", "x" * (MAX_STRING + 1)), "/case_notes/0/narrative"),
    ("bad email", _set("/participant/email", "avery.sample"), "/participant/email"),
    ("email with a newline", _set("/participant/email", "a@example.org\n"), "/participant/email"),
    ("ssn_last4 too long", _set("/participant/ssn_last4", "00000"), "/participant/ssn_last4"),
    ("ssn_last4 with a letter", _set("/participant/ssn_last4", "000a"), "/participant/ssn_last4"),
    ("ssn_last4 as a number", _set("/participant/ssn_last4", 1234), "/participant/ssn_last4"),
    (
        "language in words",
        _set("/participant/preferred_language", "english"),
        "/participant/preferred_language",
    ),
    (
        "language with underscore",
        _set("/participant/preferred_language", "en_US"),
        "/participant/preferred_language",
    ),
    ("empty language", _set("/participant/preferred_language", ""), "/participant/preferred_language"),
    # bounded arrays
    (
        "too many items",
        _set(f"{GOAL}/objectives/0/service_ids", ["S3"] * (MAX_ITEMS + 1)),
        f"{GOAL}/objectives/0/service_ids",
    ),
    # structural conditionals
    (
        "partner program missing",
        _set("/assessments/0/source", "partner_program"),
        "/assessments/0/partner_program",
    ),
    ("tool other without name", _set("/assessments/0/tools/0/tool", "other"), "/assessments/0/tools/0/name"),
    (
        "category not allowed for type",
        _set(f"{SERVICE}/category", "individualized_career"),
        f"{SERVICE}/category",
    ),
    (
        "supportive without kind",
        _drop(f"{PLAN}/services/4/supportive_kind"),
        f"{PLAN}/services/4/supportive_kind",
    ),
    (
        "supportive kind on training",
        _set(f"{SERVICE}/supportive_kind", "childcare"),
        f"{SERVICE}/supportive_kind",
    ),
    (
        "barrier other without description",
        _barrier_other_without_description,
        f"{PLAN}/barriers/0/description",
    ),
]


@pytest.mark.parametrize(("mutate", "path"), [pytest.param(m, p, id=name) for name, m, p in CASES])
def test_each_defect_is_one_violation_at_its_pointer(mutate: Mutation, path: str) -> None:
    doc = record()
    mutate(doc)
    found = violations(doc)
    assert [v.path for v in found] == [path], found
    assert all(v.message and v.severity is None for v in found)


def test_messages_do_not_repeat_the_value() -> None:
    doc = record()
    doc["participant"]["first_name"] = 12
    doc["participant"]["email"] = "Avery Sample at home"
    doc["participant"]["program"] = "Avery"
    for v in violations(doc):
        assert "Avery" not in v.message


VALID_VARIANTS: list[tuple[str, Mutation]] = [
    ("money as Decimal", _set(f"{SERVICE}/approximate_cost", decimal.Decimal("4800.00"))),
    ("money as integer", _set(f"{SERVICE}/approximate_cost", 4800)),
    ("money zero", _set(f"{SERVICE}/approximate_cost", 0)),
    ("timestamp in UTC", _set("/case_notes/0/recorded_at", "2025-01-20T22:20:00Z")),
    ("timestamp with fraction", _set("/case_notes/0/recorded_at", "2025-01-20T22:20:00.123456+00:00")),
    ("leap day", _set(f"{GOAL}/projected_end_on", "2028-02-29")),
    ("longest id", _set(f"{PLAN}/id", "x" * 64)),
    ("id with dot, dash, underscore", _set(f"{PLAN}/id", "PL_1001.v-2")),
    ("region language tag", _set("/participant/preferred_language", "es-MX")),
    ("script language tag", _set("/participant/preferred_language", "zh-Hant-TW")),
    ("longest text", _set("/case_notes/0/narrative", "x" * MAX_STRING)),
    ("most items", _set(f"{GOAL}/objectives/0/service_ids", ["S3"] * MAX_ITEMS)),
    # `policy` texts may be blank: the named policy rule reports them, not doc.schema.
    ("blank policy text", _set(f"{GOAL}/objectives/0/comments", "  ")),
    ("blank policy text in details", _set("/case_notes/0/details/need_for_services", "")),
    ("policy list empty", _set(f"{PLAN}/goals", [])),
    ("policy object absent", _drop(f"{PLAN}/progress_tracking")),
    ("string field blank", _set("/participant/phone", "")),
    ("supportive kind on a partner referral", _partner_referral_with_kind),
    ("partner program given", _set("/assessments/0/partner_program", "Wagner-Peyser")),
    ("top-level underscore keys", _set("/_note", {"deep": [None]})),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=name) for name, m in VALID_VARIANTS])
def test_valid_variants_pass(mutate: Mutation) -> None:
    doc = record()
    mutate(doc)
    assert violations(doc) == []


def test_partner_referral_may_omit_supportive_kind() -> None:
    doc = record()
    _partner_referral_with_kind(doc)
    del plan(doc)["services"][4]["supportive_kind"]
    assert violations(doc) == []


@pytest.mark.parametrize(
    ("note_type", "key"),
    [("contact", "training_program"), ("general", "plan_version"), ("introduction", "assessment_id")],
)
def test_case_note_details_only_hold_their_type_fields(note_type: str, key: str) -> None:
    doc = note(note_type)
    value = {"training_program": "CNC", "plan_version": 1, "assessment_id": "A-1"}[key]
    doc.setdefault("details", {})[key] = value
    assert paths(doc) == [f"/details/{key}"]


def test_case_note_details_may_be_empty_for_contact() -> None:
    doc = note("contact")
    doc["details"] = {}
    assert violations(doc) == []


def test_youth_and_mou_mutations() -> None:
    doc = youth()
    doc["plans"][0]["youth_elements"][0]["element"] = "tutoring"
    assert paths(doc) == ["/plans/0/youth_elements/0/element"]
    doc = mou()
    doc["parties"][0]["party_type"] = "lwia_board"
    doc["roles"][0]["responsible_party_ids"] = []
    assert paths(doc) == ["/parties/0/party_type", "/roles/0/responsible_party_ids"]


# --- the document as a whole -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "plan", "Plan", 7, ["plan"], {"plan": 1}])
def test_missing_or_unknown_doc_type_is_one_violation(value: Any) -> None:
    doc = record()
    if value is None:
        del doc["doc_type"]
    else:
        doc["doc_type"] = value if value != "plan" else "plans"
    doc["color"] = "blue"
    assert paths(doc) == ["/doc_type"]


@pytest.mark.parametrize("value", [None, [], "record", 1, 1.5, True, [{"doc_type": "record"}]])
def test_a_document_must_be_an_object(value: Any) -> None:
    assert paths(value) == [""]


def test_deep_nesting_inside_fields_is_a_violation_not_a_crash() -> None:
    deep_list: Any = []
    deep_dict: Any = {}
    for _ in range(10_000):
        deep_list = [deep_list]
        deep_dict = {"a": deep_dict}
    doc = record()
    doc["case_notes"][0]["narrative"] = deep_list
    plan(doc)["goals"][0]["objectives"][0] = deep_list
    plan(doc)["justification"] = deep_dict
    doc["participant"]["color"] = deep_dict
    doc["case_notes"][1]["service_ids"] = deep_list
    assert paths(doc) == [
        "/case_notes/0/narrative",
        "/case_notes/1/service_ids/0",
        "/participant/color",
        f"{PLAN}/goals/0/objectives/0",
        f"{PLAN}/justification/a",
    ]


def test_deep_nesting_through_the_engine() -> None:
    deep: Any = []
    for _ in range(10_000):
        deep = [deep]
    doc = record()
    doc["case_notes"][0]["narrative"] = deep
    assert {f.rule for f in evaluate(doc)} == {"doc.schema"}


def test_violations_are_bounded() -> None:
    doc = record()
    plan(doc)["assessment_ids"] = [f"../{i}" for i in range(MAX_ITEMS)]
    found = violations(doc)
    assert len(found) == MAX_VIOLATIONS + 1
    assert found[0].path == f"{PLAN}/assessment_ids/0"
    assert found[1].path == f"{PLAN}/assessment_ids/1"
    assert found[10].path == f"{PLAN}/assessment_ids/10"
    assert found[-1].path == ""


def test_violations_are_in_document_order() -> None:
    doc = record()
    service_ids = ["S3"] * 12
    for i in (11, 2, 1):
        service_ids[i] = "bad id"
    plan(doc)["goals"][0]["objectives"][0]["service_ids"] = service_ids
    plan(doc)["goals"][0]["color"] = "blue"
    assert paths(doc) == [
        f"{PLAN}/goals/0/color",
        *(f"{PLAN}/goals/0/objectives/0/service_ids/{i}" for i in (1, 2, 11)),
    ]


def test_json_round_trip_of_every_fixture_stays_valid() -> None:
    for name in fixture_names():
        text = json.dumps(load_fixture(name))
        assert violations(json.loads(text, parse_float=decimal.Decimal)) == []


# --- the compiled checker agrees with marshmallow on random damage -----------------------------------------------


def _locations(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_locations(child, (*path, key)))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found.extend(_locations(child, (*path, i)))
    return found


_DOCS = [strip_meta(load_fixture(name)) for name in fixture_names() if not name.startswith("invalid-pii")]
_LOCATIONS = [_locations(doc) for doc in _DOCS]
_VALUES = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            " ",
            "x",
            "other",
            "open",
            "closed",
            "partner_program",
            "supportive",
            "training",
            "partner",
            "2025-02-30",
            "2025-03-03",
            "2025-01-20T16:20:00-06:00",
            "2025-01-20T16:20:00",
            "../etc",
            0,
            1,
            -1,
            1.5,
            True,
            False,
            [],
            {},
            ["S1"],
            {"name": "x"},
            decimal.Decimal("1.25"),
        ]
    ),
    st.text(max_size=5),
    st.integers(),
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_and_marshmallow_agree_on_random_damage(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(_DOCS) - 1))
    doc = copy.deepcopy(_DOCS[index])
    for _ in range(data.draw(st.integers(1, 3))):
        location = data.draw(st.sampled_from(_LOCATIONS[index]))
        if not location:
            continue
        *parents, last = location
        node: Any = doc
        try:
            for part in parents:
                node = node[part]
            action = data.draw(st.sampled_from(["set", "drop", "add"]))
            if action == "set":
                node[last] = data.draw(st.one_of(_VALUES, _JSON))
            elif action == "drop" and isinstance(node, dict):
                del node[last]
            elif isinstance(node, dict):
                node[data.draw(st.sampled_from(["name", "description", "supportive_kind", "extra"]))] = (
                    data.draw(_VALUES)
                )
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this location
    assert verdicts_agree(doc)
    assert isinstance(schema_violations(doc), list)


@settings(max_examples=200, deadline=None)
@given(
    doc_type=st.sampled_from([*DOC_TYPES, "other"]),
    body=st.dictionaries(st.sampled_from(["id", "participant", "plans", "goals", "type", "x", "_x"]), _JSON),
)
def test_any_json_object_is_answered_without_raising(doc_type: str, body: Doc) -> None:
    doc = {"doc_type": doc_type, **body}
    found = violations(doc)
    assert found
    assert all(isinstance(v.path, str) and v.message for v in found)


# --- OpenAPI -----------------------------------------------------------------------------------------------------


def test_schemas_document_as_openapi_components() -> None:
    spec = APISpec("docgen", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    for doc_type, schema in SCHEMAS_BY_DOC_TYPE.items():
        spec.components.schema(doc_type, schema=schema)
    components = spec.to_dict()["components"]["schemas"]
    plan_schema = components["plan"]
    assert plan_schema["additionalProperties"] is False
    assert set(plan_schema["required"]) >= {"doc_type", "id", "participant_id", "version", "barriers"}
    assert "goals" not in plan_schema["required"]  # a policy field: plan.goals reports its absence
    assert plan_schema["properties"]["status"]["enum"] == ["open", "closed"]
    assert plan_schema["properties"]["version"]["type"] == "integer"
    assert plan_schema["properties"]["opened_on"]["format"] == "date"
    assert components["Signature"]["properties"]["signed_at"]["format"] == "date-time"
    assert components["Service"]["properties"]["approximate_cost"]["minimum"] == 0
    assert components["Goal"]["properties"]["id"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
    assert "description" in components["Goal"]["properties"]["opened_on"]
    assert all("nullable" not in prop for c in components.values() for prop in c["properties"].values())
