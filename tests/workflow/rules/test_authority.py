"""The authority matrix and the demo cases of the rule pack (DOMAIN.md §7)."""

import datetime as dt

from tests.workflow.rules.builders import (
    DEPARTMENT,
    WARD_SCHOOL,
    inbound,
    member,
    outbound,
    personal,
    ward_teacher,
)
from tests.workflow.rules.helpers import run
from workflow.rules.authority import DEFAULT_OUTBOUND_MATRIX, route_for
from workflow.rules.params import ParamSet
from workflow.rules.registry import Route

D = dt.date
TEN_DAYS = {"departure_date": D(2027, 3, 10), "return_date": D(2027, 3, 20)}


def test_high_school_teachers_official_trip_is_decided_by_the_department() -> None:
    evaluation = run(outbound())
    assert evaluation.route is Route.DEPT
    assert [s.kind for s in evaluation.steps] == ["unit_head", "dept_review", "director"]


def test_ward_primary_teachers_ten_day_personal_trip_is_decided_by_the_ward() -> None:
    evaluation = run(personal(unit=WARD_SCHOOL, members=(ward_teacher(),), **TEN_DAYS))
    assert evaluation.route is Route.WARD
    assert [s.kind for s in evaluation.steps] == ["unit_head", "ward_chair"]
    assert not evaluation.blocking and not evaluation.needing_justification


def test_the_same_teacher_with_a_named_invitation_goes_to_the_city_via_the_ward() -> None:
    facts = personal(unit=WARD_SCHOOL, members=(ward_teacher(),), named_invitation=True, **TEN_DAYS)
    evaluation = run(facts)
    assert evaluation.route is Route.CITY
    assert [s.kind for s in evaluation.steps] == [
        "unit_head",
        "ward_chair_proposes",
        "dept_review",
        "director_proposes",
        "city_decision",
    ]


def test_the_directors_own_trip_is_decided_by_the_city() -> None:
    director = member("Nguyễn Văn Hiếu", 9, unit=DEPARTMENT, is_department_leader=True, role="head")
    evaluation = run(outbound(unit=DEPARTMENT, members=(director,), applicant_is_unit_head=True))
    assert evaluation.route is Route.CITY
    assert evaluation.steps[0].kind == "dept_review"


def test_a_party_managed_member_sends_the_trip_to_the_city() -> None:
    evaluation = run(
        outbound(members=(member(), member("Phạm Minh Hùng", 2, is_party_managed=True)))
    )
    assert evaluation.route is Route.CITY
    assert evaluation.check("OUT-PARTY-MANAGED").route is Route.CITY


def test_a_third_official_trip_goes_one_level_up_with_a_justification() -> None:
    evaluation = run(outbound(members=(member(official_trips_this_year=2),)))
    assert evaluation.base_route is Route.DEPT
    assert evaluation.route is Route.CITY
    quota = evaluation.check("OUT-ANNUAL-QUOTA")
    assert quota.route is Route.CITY and quota.needs_justification
    assert evaluation.missing_justifications({}) == ["OUT-ANNUAL-QUOTA"]
    assert evaluation.missing_justifications({"OUT-ANNUAL-QUOTA": "Chương trình bắt buộc"}) == []


def test_a_second_official_trip_stays_with_the_department() -> None:
    assert run(outbound(members=(member(official_trips_this_year=1),))).route is Route.DEPT


def test_over_quota_at_the_city_stays_at_the_city() -> None:
    facts = outbound(unit=WARD_SCHOOL, members=(ward_teacher(official_trips_this_year=3),))
    evaluation = run(facts)
    assert evaluation.base_route is Route.CITY and evaluation.route is Route.CITY


def test_a_long_personal_trip_of_a_department_school_goes_to_the_city() -> None:
    facts = personal(departure_date=D(2027, 1, 10), return_date=D(2027, 4, 10))
    assert run(facts).route is Route.CITY
    assert (
        run(personal(departure_date=D(2027, 1, 10), return_date=D(2027, 4, 9))).route is Route.DEPT
    )


def test_a_delegation_is_decided_at_the_level_of_its_highest_member() -> None:
    facts = outbound(members=(member(), ward_teacher()))
    assert run(facts).route is Route.CITY


def test_the_matrix_is_data_that_a_rule_set_can_change() -> None:
    matrix = {
        **DEFAULT_OUTBOUND_MATRIX,
        "ward_staff": {**DEFAULT_OUTBOUND_MATRIX["ward_staff"], "personal_named": "WARD"},
    }
    params = ParamSet({"authority": {"outbound": matrix}})
    facts = personal(unit=WARD_SCHOOL, members=(ward_teacher(),), named_invitation=True, **TEN_DAYS)
    assert route_for(facts, params.values) is Route.WARD
    assert route_for(facts, ParamSet().values) is Route.CITY


def test_inbound_routes_by_host_and_guest() -> None:
    assert run(inbound()).route is Route.DEPT
    assert run(inbound(host_unit=WARD_SCHOOL)).route is Route.WARD
    assert run(inbound(host_unit=WARD_SCHOOL, senior_guest_level="minister")).route is Route.CITY
    assert run(inbound(senior_guest_level="ambassador")).route is Route.DEPT
    ward_conference = inbound(host_unit=WARD_SCHOOL, is_conference=True, submitted_on=D(2027, 1, 4))
    assert run(ward_conference).route is Route.CITY


def test_steps_are_due_by_working_day_budgets_across_tet() -> None:
    # From Mon 1 Feb 2027: unit head +2 → Wed 3; review +3 → 11, 12, 15 (Tết 4–10 Feb);
    # director +2 → Wed 17 Feb.
    evaluation = run(
        outbound(
            submitted_on=D(2027, 2, 1), departure_date=D(2027, 3, 1), return_date=D(2027, 3, 5)
        ),
        on=D(2027, 2, 1),
    )
    assert [s.due_on for s in evaluation.steps] == [D(2027, 2, 3), D(2027, 2, 15), D(2027, 2, 17)]
    assert evaluation.expected_decision_on == D(2027, 2, 17)
    assert [(s.role, s.unit) for s in evaluation.steps] == [
        ("unit_head", "own_unit"),
        ("dept_reviewer", "department"),
        ("director", "department"),
    ]


def test_the_unit_head_step_is_skipped_when_the_head_applies() -> None:
    evaluation = run(outbound(applicant_is_unit_head=True), on=D(2027, 2, 1))
    assert [s.kind for s in evaluation.steps] == ["dept_review", "director"]
    # Review starts at once: 2, 3 and (after Tết) 11 February.
    assert evaluation.steps[0].due_on == D(2027, 2, 11)


def test_step_budgets_are_parameters() -> None:
    evaluation = run(outbound(), {"timing": {"director_days": 5}}, on=D(2027, 3, 1))
    assert evaluation.steps[-1].budget_days == 5
    assert evaluation.expected_decision_on == D(2027, 3, 15)
