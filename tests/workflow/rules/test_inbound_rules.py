import datetime as dt

from tests.workflow.rules.builders import WARD_SCHOOL, inbound, visitor
from tests.workflow.rules.helpers import check, run
from workflow.rules.registry import Route, Severity

D = dt.date
SUMMER = {
    "IN-BLACKOUT": {"calendar": [{"start": "2027-06-01", "end": "2027-08-15", "label": "Nghỉ hè"}]}
}


# IN-BLACKOUT
def test_blackout_passes_a_visit_in_term_time() -> None:
    assert check(inbound(), "IN-BLACKOUT", SUMMER).passed


def test_blackout_blocks_a_visit_whose_last_day_touches_the_summer_break() -> None:
    facts = inbound(arrival_date=D(2027, 5, 30), departure_date=D(2027, 6, 1))
    c = check(facts, "IN-BLACKOUT", SUMMER)
    assert not c.passed and c.severity is Severity.BLOCK
    assert "Nghỉ hè (01/06/2027–15/08/2027)" in c.message_vi


def test_blackout_passes_a_visit_starting_the_day_after_the_break() -> None:
    facts = inbound(arrival_date=D(2027, 8, 16), departure_date=D(2027, 8, 18))
    assert check(facts, "IN-BLACKOUT", SUMMER).passed
    assert not check(
        inbound(arrival_date=D(2027, 8, 15), departure_date=D(2027, 8, 18)), "IN-BLACKOUT", SUMMER
    ).passed


# IN-PURPOSE
def test_purpose_passes_an_exchange_visit() -> None:
    assert check(inbound(), "IN-PURPOSE").passed


def test_purpose_blocks_study_abroad_marketing_and_advertising() -> None:
    c = check(inbound(involves_student_recruitment=True, involves_advertising=True), "IN-PURPOSE")
    assert not c.passed
    assert "tư vấn du học" in c.message_vi and "quảng cáo thương mại" in c.message_vi
    assert not check(inbound(involves_advertising=True), "IN-PURPOSE").passed


# IN-SPONSOR
def test_sponsor_passes_without_sponsorship() -> None:
    assert check(inbound(), "IN-SPONSOR").passed


def test_sponsor_lifts_a_ward_school_visit_to_the_department() -> None:
    facts = inbound(host_unit=WARD_SCHOOL, sponsor="ACME Education")
    c = check(facts, "IN-SPONSOR")
    assert not c.passed and c.route is Route.DEPT and "ACME Education" in c.message_vi
    assert run(facts).route is Route.DEPT
    assert run(inbound(host_unit=WARD_SCHOOL)).route is Route.WARD


def test_sponsor_never_lowers_a_city_visit() -> None:
    facts = inbound(enterprise_involved=True, senior_guest_level="minister")
    assert run(facts).route is Route.CITY


# IN-CONFERENCE
def test_conference_filed_exactly_thirty_days_ahead_passes_and_goes_to_the_city() -> None:
    facts = inbound(is_conference=True, submitted_on=D(2027, 2, 13), arrival_date=D(2027, 3, 15))
    c = check(facts, "IN-CONFERENCE")
    assert c.passed and c.route is Route.CITY
    assert run(facts).route is Route.CITY


def test_conference_filed_twenty_nine_days_ahead_is_blocked() -> None:
    facts = inbound(is_conference=True, submitted_on=D(2027, 2, 14), arrival_date=D(2027, 3, 15))
    c = check(facts, "IN-CONFERENCE")
    assert not c.passed and c.severity is Severity.BLOCK
    assert "29 ngày" in c.message_vi and "tối thiểu 30" in c.message_vi


def test_conference_decided_by_the_prime_minister_needs_forty_days() -> None:
    facts = inbound(
        is_conference=True,
        prime_minister_decides=True,
        submitted_on=D(2027, 2, 3),
        arrival_date=D(2027, 3, 15),
    )
    assert check(facts, "IN-CONFERENCE").passed
    late = inbound(
        is_conference=True,
        prime_minister_decides=True,
        submitted_on=D(2027, 2, 4),
        arrival_date=D(2027, 3, 15),
    )
    assert not check(late, "IN-CONFERENCE").passed


def test_conference_rule_passes_an_ordinary_visit() -> None:
    c = check(inbound(), "IN-CONFERENCE")
    assert c.passed and c.route is None


# IN-NOTIFY-LEAD
def test_notify_lead_passes_a_decision_exactly_four_working_days_before_arrival() -> None:
    # Decision Tue 9 Mar 2027 → arrival Mon 15 Mar: 10, 11, 12, 15 = 4 working days.
    c = check(inbound(decision_on=D(2027, 3, 9)), "IN-NOTIFY-LEAD")
    assert c.passed


def test_notify_lead_needs_a_justification_three_working_days_before() -> None:
    c = check(inbound(decision_on=D(2027, 3, 10)), "IN-NOTIFY-LEAD")
    assert not c.passed and c.needs_justification
    assert "chỉ còn 3 ngày làm việc" in c.message_vi


def test_notify_lead_estimates_the_decision_from_the_step_budgets() -> None:
    # DEPT: unit head 2 + review 3 + director 2 = 7 working days after submission.
    # Tue 2 Mar → decision Thu 11 Mar, 4 working days before arrival on Wed 17 Mar;
    # Thu 4 Mar → decision Mon 15 Mar, only 3 working days before arrival on Thu 18 Mar.
    on_time = inbound(submitted_on=D(2027, 3, 2), arrival_date=D(2027, 3, 17))
    late = inbound(submitted_on=D(2027, 3, 4), arrival_date=D(2027, 3, 18))
    assert check(on_time, "IN-NOTIFY-LEAD", on=D(2027, 3, 2)).passed
    c = check(late, "IN-NOTIFY-LEAD", on=D(2027, 3, 4))
    assert not c.passed and "15/03/2027" in c.message_vi


def test_notify_lead_reads_the_shared_timing_parameter() -> None:
    facts = inbound(decision_on=D(2027, 3, 9))
    assert not check(facts, "IN-NOTIFY-LEAD", {"timing": {"notify_days": 5}}).passed


# IN-VISITOR-DATA
def test_visitor_data_passes_complete_visitors() -> None:
    assert check(inbound(), "IN-VISITOR-DATA").passed


def test_visitor_data_blocks_a_visitor_without_passport_number_or_nationality() -> None:
    facts = inbound(visitors=(visitor(), visitor("John Smith", passport_number="", nationality="")))
    c = check(facts, "IN-VISITOR-DATA")
    assert not c.passed and c.severity is Severity.BLOCK
    assert "John Smith: thiếu số hộ chiếu, quốc tịch" in c.message_vi
    assert "Akiko" not in c.message_vi


def test_visitor_data_passport_valid_through_the_last_day_passes_and_a_day_less_blocks() -> None:
    assert check(
        inbound(visitors=(visitor(passport_expiry=D(2027, 3, 17)),)), "IN-VISITOR-DATA"
    ).passed
    assert not check(
        inbound(visitors=(visitor(passport_expiry=D(2027, 3, 16)),)), "IN-VISITOR-DATA"
    ).passed


def test_visitor_data_blocks_an_empty_list() -> None:
    assert not check(inbound(visitors=()), "IN-VISITOR-DATA").passed


# IN-FREEZE
FREEZE = {
    "IN-FREEZE": {"windows": [{"start": "2027-03-01", "end": "2027-03-15", "label": "Dịch bệnh"}]}
}


def test_freeze_blocks_an_arrival_on_the_last_day_of_the_window() -> None:
    c = check(inbound(), "IN-FREEZE", FREEZE)
    assert not c.passed and "Dịch bệnh" in c.message_vi


def test_freeze_lets_an_arrival_the_day_after_pass() -> None:
    facts = inbound(arrival_date=D(2027, 3, 16), departure_date=D(2027, 3, 18))
    assert check(facts, "IN-FREEZE", FREEZE).passed
    assert check(inbound(), "IN-FREEZE").passed
