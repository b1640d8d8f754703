"""The rule model: ids, labels, serialisation and parameter validation."""

import datetime as dt
import json

import pytest
from django.utils import translation

from tests.workflow.rules.builders import inbound, member, outbound
from tests.workflow.rules.helpers import run
from workflow.rules.dates import add_months
from workflow.rules.engine import Evaluation
from workflow.rules.pack import all_rules
from workflow.rules.params import ParamErrors, ParamSet, validate_params
from workflow.rules.registry import Check

D = dt.date

# DOMAIN.md §6, as its table reads: rule, severity, confidence.
DOMAIN_TABLE = """
    OUT-BARRED            block    C/R
    OUT-ENTERPRISE        block    R
    OUT-CONTRACT-FUNDING  justify  R
    OUT-BUDGET-PERSONAL   block    R
    OUT-KEY-LEADERS       block    R
    OUT-ANNUAL-QUOTA      justify  R
    OUT-OVERLAP           block    A
    OUT-OPEN-DUTIES       block    A
    OUT-LEAD-TIME         justify  A
    OUT-LONG-STAY         route    R
    OUT-WARD-PERSONAL     route    R
    OUT-PARTY-MANAGED     route    R
    OUT-SIZE              warn     A
    OUT-DAYS-PER-COUNTRY  warn     A
    OUT-COUNTRIES         warn     A
    OUT-PASSPORT          warn     A
    OUT-SPEECH            block    R
    OUT-INVITATION        block    R
    OUT-RELATIVES         justify  R
    OUT-FREEZE            block    R
    IN-BLACKOUT           block    R
    IN-PURPOSE            block    R
    IN-SPONSOR            route    R
    IN-CONFERENCE         block    C
    IN-NOTIFY-LEAD        justify  A
    IN-VISITOR-DATA       block    C
    IN-FREEZE             block    C
"""
EXPECTED = {rule: (severity, confidence) for rule, severity, confidence in (
    line.split() for line in DOMAIN_TABLE.strip().splitlines()
)}  # fmt: skip


def test_every_rule_of_the_domain_is_registered_with_its_severity_and_confidence() -> None:
    registered = {r.id: (str(r.severity), str(r.confidence)) for r in all_rules()}
    assert registered == EXPECTED


def test_every_rule_has_both_titles_a_basis_and_a_docstring() -> None:
    for r in all_rules():
        assert r.title_vi and r.title_en and r.basis and r.doc, r.id


def test_checks_come_in_registry_order() -> None:
    ids = [c.rule for c in run(outbound()).checks]
    order = [r.id for r in all_rules("outbound")]
    assert ids == sorted(ids, key=order.index)
    assert [c.rule for c in run(inbound()).checks] == [r.id for r in all_rules("inbound")]


def test_a_check_speaks_the_requested_or_active_language() -> None:
    c = run(outbound(members=(member(official_trips_this_year=2),))).check("OUT-ANNUAL-QUOTA")
    assert set(c.as_dict("en")) == {"rule", "title", "severity", "passed", "message", "basis"}
    assert c.as_dict("en")["title"] == "Annual quota of official trips exceeded"
    assert c.as_dict("vi")["title"] == "Vượt số chuyến công tác nước ngoài trong năm"
    assert c.as_dict("en")["message"].startswith("Trần Thị Lan already has 2 official trips")
    assert c.as_dict("vi")["message"].startswith("Ông/bà Trần Thị Lan đã có 2 chuyến")
    with translation.override("en"):
        assert c.as_dict()["message"] == c.message_en
    assert c.as_dict()["severity"] == "justify" and c.as_dict()["passed"] is False


def test_a_check_round_trips_through_its_stamped_json() -> None:
    c = run(outbound(members=(member(official_trips_this_year=2),))).check("OUT-ANNUAL-QUOTA")
    data = json.loads(json.dumps(c.to_json()))
    assert Check.from_json(data) == c
    assert data["route"] == "CITY" and data["needs_justification"] is True
    assert list(data) == [
        "rule",
        "severity",
        "passed",
        "message_vi",
        "message_en",
        "basis",
        "confidence",
        "route",
        "needs_justification",
    ]


def test_an_evaluation_round_trips_through_its_stamped_json() -> None:
    evaluation = run(outbound(members=(member(official_trips_this_year=2),)))
    assert Evaluation.from_json(json.loads(json.dumps(evaluation.to_json()))) == evaluation


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 1, 10), 3, D(2027, 4, 10)),
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),
        (D(2027, 12, 15), 1, D(2028, 1, 15)),
    ],
)
def test_add_months_counts_calendar_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_a_partial_parameter_set_is_accepted_and_merged_over_the_defaults() -> None:
    cleaned = validate_params({"OUT-ANNUAL-QUOTA": {"quota": 3}})
    params = ParamSet(cleaned)
    assert params["OUT-ANNUAL-QUOTA"]["quota"] == 3
    assert params["OUT-LEAD-TIME"]["working_days"] == 15
    assert params["timing"]["report_days"] == 15


def _errors(raw: object) -> dict[str, list[str]]:
    with pytest.raises(ParamErrors) as caught:
        validate_params(raw)
    return caught.value.errors


def test_unknown_rules_and_parameters_are_rejected_in_vietnamese() -> None:
    errors = _errors({"OUT-NOPE": {}, "OUT-ANNUAL-QUOTA": {"limit": 3}})
    assert errors["OUT-NOPE"] == ["Không có quy tắc hoặc nhóm tham số “OUT-NOPE”."]
    assert errors["OUT-ANNUAL-QUOTA.limit"] == ["“OUT-ANNUAL-QUOTA” không có tham số “limit”."]


def test_bad_values_are_rejected_per_key() -> None:
    errors = _errors(
        {
            "OUT-ANNUAL-QUOTA": {"quota": "hai"},
            "OUT-LEAD-TIME": {"working_days": -1},
            "OUT-OPEN-DUTIES": {"enabled": 1},
            "OUT-FREEZE": {"windows": [{"start": "2027-03-10", "end": "2027-03-01"}]},
            "IN-BLACKOUT": {"calendar": [{"start": "10/03/2027", "end": "2027-03-01"}]},
        }
    )
    assert errors["OUT-ANNUAL-QUOTA.quota"] == ["Phải là một số nguyên."]
    assert errors["OUT-LEAD-TIME.working_days"] == ["Phải lớn hơn hoặc bằng 0."]
    assert errors["OUT-OPEN-DUTIES.enabled"] == ["Phải là true hoặc false."]
    assert "ngày kết thúc phải sau" in errors["OUT-FREEZE.windows"][0]
    assert "YYYY-MM-DD" in errors["IN-BLACKOUT.calendar"][0]


def test_the_authority_matrix_is_validated() -> None:
    bad_route = {
        "leaders": {
            "official": "UBND",
            "personal_short": "CITY",
            "personal_named": "CITY",
            "personal_long": "CITY",
        }
    }
    errors = _errors({"authority": {"outbound": bad_route}})
    assert "Thiếu dòng" in errors["authority.outbound"][0]
    full = ParamSet().json["authority"]["outbound"]
    errors = _errors({"authority": {"outbound": {**full, **bad_route}}})
    assert errors["authority.outbound"] == [
        "leaders.official: “UBND” không phải là WARD, DEPT hoặc CITY."
    ]
    errors = _errors(
        {
            "authority": {
                "steps": {
                    **ParamSet().json["authority"]["steps"],
                    "DEPT": ["unit_head", "dept_review"],
                }
            }
        }
    )
    assert errors["authority.steps"] == ["Tuyến DEPT: bước cuối phải là bước quyết định."]


def test_the_timing_group_holds_the_shared_deadlines() -> None:
    timing = ParamSet()["timing"]
    assert (timing["report_days"], timing["passport_return_days"], timing["notify_days"]) == (
        15,
        5,
        4,
    )
    assert (
        timing["unit_head_days"],
        timing["dept_review_days"],
        timing["director_days"],
        timing["ward_chair_days"],
    ) == (2, 3, 2, 3)
