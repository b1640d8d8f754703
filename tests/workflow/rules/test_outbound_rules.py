import datetime as dt

from tests.workflow.rules.builders import (
    DEPARTMENT,
    HIGH_SCHOOL,
    WARD_SCHOOL,
    member,
    outbound,
    personal,
    ward_teacher,
)
from tests.workflow.rules.helpers import check, run
from workflow.rules.facts import ItineraryStop, PassportFacts, UnitFacts
from workflow.rules.registry import Route, Severity

D = dt.date


# OUT-BARRED
def test_barred_passes_when_nobody_is_restricted() -> None:
    assert check(outbound(), "OUT-BARRED").passed


def test_barred_blocks_a_member_under_exit_ban_by_name() -> None:
    c = check(outbound(members=(member(restrictions=("exit_banned",)),)), "OUT-BARRED")
    assert not c.passed and c.severity is Severity.BLOCK
    assert c.message_vi == "Ông/bà Trần Thị Lan đang bị tạm hoãn xuất cảnh."
    assert c.message_en == "Trần Thị Lan is under an exit ban."


def test_barred_names_only_the_restricted_member_of_a_delegation() -> None:
    facts = outbound(
        members=(member(), member("Lê Văn Nam", 2, restrictions=("in_civil_dispute",)))
    )
    c = check(facts, "OUT-BARRED")
    assert not c.passed
    assert "Lê Văn Nam" in c.message_vi and "Trần Thị Lan" not in c.message_vi


# OUT-ENTERPRISE
def test_enterprise_passes_a_trip_paid_by_the_unit() -> None:
    assert check(outbound(), "OUT-ENTERPRISE").passed


def test_enterprise_blocks_an_enterprise_sponsored_trip() -> None:
    c = check(outbound(sponsored_by_enterprise=True), "OUT-ENTERPRISE")
    assert not c.passed and c.severity is Severity.BLOCK


def test_enterprise_blocks_only_a_named_invitation_from_an_enterprise() -> None:
    named = outbound(inviter_name="ACME KK", inviter_is_enterprise=True, named_invitation=True)
    unnamed = outbound(inviter_name="ACME KK", inviter_is_enterprise=True)
    assert not check(named, "OUT-ENTERPRISE").passed
    assert "ACME KK" in check(named, "OUT-ENTERPRISE").message_vi
    assert check(unnamed, "OUT-ENTERPRISE").passed


# OUT-CONTRACT-FUNDING
def test_contract_funding_passes_an_ordinary_trip() -> None:
    assert check(outbound(), "OUT-CONTRACT-FUNDING").passed


def test_contract_funding_needs_a_justification_for_a_contract_trip() -> None:
    c = check(outbound(tied_to_contract=True), "OUT-CONTRACT-FUNDING")
    assert not c.passed and c.needs_justification


def test_contract_funding_applies_to_project_funding_too() -> None:
    assert not check(outbound(funding_source="project"), "OUT-CONTRACT-FUNDING").passed


# OUT-BUDGET-PERSONAL
def test_budget_personal_passes_a_self_funded_personal_trip() -> None:
    assert check(personal(), "OUT-BUDGET-PERSONAL").passed


def test_budget_personal_blocks_state_budget_for_a_personal_trip() -> None:
    c = check(personal(funding_source="state_budget"), "OUT-BUDGET-PERSONAL")
    assert not c.passed and c.severity is Severity.BLOCK


def test_budget_personal_does_not_concern_an_official_trip_on_state_budget() -> None:
    evaluation = run(outbound(funding_source="state_budget"))
    assert evaluation.check("OUT-BUDGET-PERSONAL") is None
    assert not evaluation.blocking


# OUT-KEY-LEADERS
def test_key_leaders_passes_one_key_leader() -> None:
    assert check(outbound(members=(member(is_key_leader=True),)), "OUT-KEY-LEADERS").passed


def test_key_leaders_blocks_two_key_leaders_of_one_unit() -> None:
    facts = outbound(
        members=(member(is_key_leader=True), member("Phạm Minh Hùng", 2, is_key_leader=True))
    )
    c = check(facts, "OUT-KEY-LEADERS")
    assert not c.passed
    assert "Trần Thị Lan, Phạm Minh Hùng" in c.message_vi


def test_key_leaders_of_different_units_may_travel_together() -> None:
    other = UnitFacts(code="THPT-B", kind="school", managed_by="department")
    facts = outbound(
        members=(
            member(is_key_leader=True),
            member("Võ Thị Hoa", 2, is_key_leader=True, unit=other),
        )
    )
    assert check(facts, "OUT-KEY-LEADERS").passed


# OUT-ANNUAL-QUOTA
def test_annual_quota_passes_a_second_trip() -> None:
    c = check(outbound(members=(member(official_trips_this_year=1),)), "OUT-ANNUAL-QUOTA")
    assert c.passed and not c.needs_justification


def test_annual_quota_fails_exactly_at_the_third_trip_with_names_and_numbers() -> None:
    c = check(outbound(members=(member(official_trips_this_year=2),)), "OUT-ANNUAL-QUOTA")
    assert not c.passed and c.needs_justification
    assert c.message_vi.startswith(
        "Ông/bà Trần Thị Lan đã có 2 chuyến công tác trong năm 2027 (hạn mức 2)"
    )


def test_annual_quota_follows_its_parameter() -> None:
    facts = outbound(members=(member(official_trips_this_year=2),))
    assert check(facts, "OUT-ANNUAL-QUOTA", {"OUT-ANNUAL-QUOTA": {"quota": 3}}).passed


def test_annual_quota_does_not_count_personal_trips() -> None:
    assert (
        run(personal(members=(member(official_trips_this_year=5),))).check("OUT-ANNUAL-QUOTA")
        is None
    )


# OUT-OVERLAP
def test_overlap_passes_a_free_member() -> None:
    assert check(outbound(), "OUT-OVERLAP").passed


def test_overlap_blocks_a_member_already_travelling_with_the_reference() -> None:
    facts = outbound(members=(member(), member("Lê Văn Nam", 2, overlapping_trips=("2027/0003",))))
    c = check(facts, "OUT-OVERLAP")
    assert not c.passed and c.severity is Severity.BLOCK
    assert "Lê Văn Nam" in c.message_vi and "2027/0003" in c.message_vi
    assert "Trần Thị Lan" not in c.message_vi


# OUT-OPEN-DUTIES
def test_open_duties_passes_without_debts() -> None:
    assert check(outbound(), "OUT-OPEN-DUTIES").passed


def test_open_duties_blocks_an_overdue_report_and_an_unreturned_passport() -> None:
    report = check(outbound(members=(member(overdue_reports=("2026/0012",)),)), "OUT-OPEN-DUTIES")
    passport = check(
        outbound(members=(member(unreturned_passports=("2026/0013",)),)), "OUT-OPEN-DUTIES"
    )
    assert not report.passed and "2026/0012" in report.message_vi
    assert not passport.passed and "hộ chiếu" in passport.message_vi


def test_open_duties_can_be_switched_off() -> None:
    facts = outbound(members=(member(overdue_reports=("2026/0012",)),))
    assert check(facts, "OUT-OPEN-DUTIES", {"OUT-OPEN-DUTIES": {"enabled": False}}).passed


# OUT-LEAD-TIME (Tết 2027: 4–10 February are public holidays)
def test_lead_time_exactly_fifteen_working_days_across_tet_passes() -> None:
    facts = outbound(
        submitted_on=D(2027, 2, 1), departure_date=D(2027, 3, 1), return_date=D(2027, 3, 5)
    )
    c = check(facts, "OUT-LEAD-TIME")
    assert c.passed
    assert "15 ngày làm việc" in c.message_vi


def test_lead_time_fourteen_working_days_across_tet_needs_a_justification() -> None:
    facts = outbound(
        submitted_on=D(2027, 2, 2), departure_date=D(2027, 3, 1), return_date=D(2027, 3, 5)
    )
    c = check(facts, "OUT-LEAD-TIME")
    assert not c.passed and c.needs_justification
    assert "chỉ còn 14 ngày làm việc" in c.message_vi


def test_lead_time_counts_from_the_evaluation_day_before_submission() -> None:
    facts = outbound(submitted_on=None, departure_date=D(2027, 3, 1), return_date=D(2027, 3, 5))
    assert check(facts, "OUT-LEAD-TIME", on=D(2027, 2, 1)).passed
    assert not check(facts, "OUT-LEAD-TIME", on=D(2027, 2, 2)).passed


def test_lead_time_follows_its_parameter() -> None:
    facts = outbound(
        submitted_on=D(2027, 2, 1), departure_date=D(2027, 3, 1), return_date=D(2027, 3, 5)
    )
    assert not check(facts, "OUT-LEAD-TIME", {"OUT-LEAD-TIME": {"working_days": 20}}).passed


# OUT-LONG-STAY (calendar months)
def test_long_stay_three_calendar_months_goes_to_the_city() -> None:
    c = check(personal(departure_date=D(2027, 1, 10), return_date=D(2027, 4, 10)), "OUT-LONG-STAY")
    assert not c.passed and c.route is Route.CITY


def test_long_stay_one_day_short_of_three_months_does_not_trigger() -> None:
    c = check(personal(departure_date=D(2027, 1, 10), return_date=D(2027, 4, 9)), "OUT-LONG-STAY")
    assert c.passed and c.route is None


def test_long_stay_from_the_last_day_of_a_month_counts_to_the_last_day_three_months_on() -> None:
    assert not check(
        personal(departure_date=D(2027, 1, 31), return_date=D(2027, 4, 30)), "OUT-LONG-STAY"
    ).passed
    assert check(
        personal(departure_date=D(2027, 1, 31), return_date=D(2027, 4, 29)), "OUT-LONG-STAY"
    ).passed


def test_long_stay_does_not_concern_official_trips() -> None:
    long_official = outbound(departure_date=D(2027, 1, 10), return_date=D(2027, 5, 10))
    assert run(long_official).check("OUT-LONG-STAY") is None


# OUT-WARD-PERSONAL
def test_ward_personal_routes_a_short_personal_trip_of_a_ward_school_to_the_ward() -> None:
    facts = personal(unit=WARD_SCHOOL, members=(ward_teacher(),))
    c = check(facts, "OUT-WARD-PERSONAL")
    assert not c.passed and c.route is Route.WARD


def test_ward_personal_does_not_apply_with_a_named_invitation() -> None:
    facts = personal(unit=WARD_SCHOOL, members=(ward_teacher(),), named_invitation=True)
    assert check(facts, "OUT-WARD-PERSONAL").passed


def test_ward_personal_stops_at_three_months() -> None:
    facts = personal(
        unit=WARD_SCHOOL,
        members=(ward_teacher(),),
        departure_date=D(2027, 1, 10),
        return_date=D(2027, 4, 10),
    )
    assert check(facts, "OUT-WARD-PERSONAL").passed
    assert run(facts).route is Route.CITY


def test_ward_personal_does_not_apply_to_a_department_school() -> None:
    assert check(personal(unit=HIGH_SCHOOL), "OUT-WARD-PERSONAL").passed


# OUT-PARTY-MANAGED
def test_party_managed_passes_ordinary_staff() -> None:
    assert check(outbound(), "OUT-PARTY-MANAGED").passed


def test_party_managed_member_sends_the_trip_to_the_city() -> None:
    facts = outbound(members=(member(), member("Nguyễn Văn Hiếu", 2, is_party_managed=True)))
    c = check(facts, "OUT-PARTY-MANAGED")
    assert not c.passed and c.route is Route.CITY
    assert "Nguyễn Văn Hiếu" in c.message_vi


# OUT-SIZE
def _delegation(size: int, **head: object) -> tuple:
    others = (member(f"Thành viên {i}", i + 10) for i in range(size - 1))
    return (member(role="head", **head), *others)


def test_size_at_the_cap_for_a_unit_head_passes_and_one_more_warns() -> None:
    assert check(outbound(members=_delegation(7, is_unit_head=True)), "OUT-SIZE").passed
    c = check(outbound(members=_delegation(8, is_unit_head=True)), "OUT-SIZE")
    assert not c.passed and c.severity is Severity.WARN
    assert "8 thành viên, vượt mức 7" in c.message_vi


def test_size_caps_by_the_heads_rank() -> None:
    assert check(outbound(members=_delegation(5)), "OUT-SIZE").passed
    assert not check(outbound(members=_delegation(6)), "OUT-SIZE").passed
    leader = {"is_department_leader": True, "unit": DEPARTMENT}
    assert check(outbound(members=_delegation(10, **leader)), "OUT-SIZE").passed
    assert not check(outbound(members=_delegation(11, **leader)), "OUT-SIZE").passed


def test_a_warning_does_not_block_submission() -> None:
    evaluation = run(outbound(members=_delegation(6)))
    assert evaluation.warnings and not evaluation.blocking and not evaluation.needing_justification


# OUT-DAYS-PER-COUNTRY
def test_days_per_country_at_the_cap_passes() -> None:
    assert check(outbound(itinerary=(ItineraryStop("JP", 3),)), "OUT-DAYS-PER-COUNTRY").passed


def test_days_per_country_adds_up_the_stops_in_one_country() -> None:
    facts = outbound(itinerary=(ItineraryStop("JP", 2, "Osaka"), ItineraryStop("JP", 2, "Kyoto")))
    c = check(facts, "OUT-DAYS-PER-COUNTRY")
    assert not c.passed and "JP: 4 ngày (tối đa 3)" in c.message_vi


def test_days_per_country_allows_five_days_for_a_major_event() -> None:
    assert check(
        outbound(itinerary=(ItineraryStop("JP", 5, major_event=True),)), "OUT-DAYS-PER-COUNTRY"
    ).passed
    assert not check(
        outbound(itinerary=(ItineraryStop("JP", 6, major_event=True),)), "OUT-DAYS-PER-COUNTRY"
    ).passed


# OUT-COUNTRIES
def test_countries_at_the_cap_passes_and_one_more_warns() -> None:
    three = tuple(ItineraryStop(c, 1) for c in ("JP", "KR", "SG"))
    assert check(outbound(itinerary=three), "OUT-COUNTRIES").passed
    c = check(outbound(itinerary=(*three, ItineraryStop("TH", 1))), "OUT-COUNTRIES")
    assert not c.passed and c.severity is Severity.WARN


# OUT-PASSPORT
def test_passport_valid_exactly_six_months_after_return_passes() -> None:
    facts = outbound(members=(member(passport=PassportFacts("ordinary", "B1", D(2027, 9, 14))),))
    assert check(facts, "OUT-PASSPORT").passed


def test_passport_expiring_one_day_earlier_warns() -> None:
    facts = outbound(members=(member(passport=PassportFacts("ordinary", "B1", D(2027, 9, 13))),))
    c = check(facts, "OUT-PASSPORT")
    assert not c.passed and c.severity is Severity.WARN
    assert "B1" in c.message_vi and "13/09/2027" in c.message_vi


def test_missing_passport_warns() -> None:
    c = check(outbound(members=(member(passport=None),)), "OUT-PASSPORT")
    assert not c.passed and "chưa có hộ chiếu" in c.message_vi


# OUT-SPEECH
def test_speech_passes_without_a_presentation() -> None:
    assert check(outbound(), "OUT-SPEECH").passed


def test_speech_blocks_a_presentation_without_the_heads_appraisal() -> None:
    c = check(outbound(presentation_abroad=True, presentation_text="Bài tham luận"), "OUT-SPEECH")
    assert not c.passed and c.severity is Severity.BLOCK
    assert "ý kiến thẩm định của thủ trưởng" in c.message_vi


def test_speech_passes_with_text_and_appraisal() -> None:
    facts = outbound(presentation_abroad=True, presentation_text="Bài", head_appraisal="Đồng ý")
    assert check(facts, "OUT-SPEECH").passed
    assert not check(outbound(presentation_abroad=True, head_appraisal=" "), "OUT-SPEECH").passed


# OUT-RELATIVES
def test_relatives_passes_unrelated_members() -> None:
    assert check(outbound(), "OUT-RELATIVES").passed


def test_relatives_needs_a_justification_naming_both() -> None:
    facts = outbound(members=(member(), member("Trần Văn Bình", 2, relative_of=1)))
    c = check(facts, "OUT-RELATIVES")
    assert not c.passed and c.needs_justification
    assert "Ông/bà Trần Văn Bình là người thân của Trần Thị Lan" in c.message_vi


def test_relatives_do_not_concern_a_personal_trip() -> None:
    facts = personal(members=(member(), member("Trần Văn Bình", 2, relative_of=1)))
    assert run(facts).check("OUT-RELATIVES") is None


# OUT-FREEZE
FREEZE = {
    "OUT-FREEZE": {"windows": [{"start": "2027-03-01", "end": "2027-03-10", "label": "Tạm dừng"}]}
}


def test_freeze_blocks_a_departure_on_the_last_day_of_the_window() -> None:
    c = check(
        outbound(departure_date=D(2027, 3, 10), return_date=D(2027, 3, 14)), "OUT-FREEZE", FREEZE
    )
    assert not c.passed and c.severity is Severity.BLOCK
    assert "Tạm dừng (01/03/2027–10/03/2027)" in c.message_vi


def test_freeze_lets_a_departure_the_day_after_the_window_pass() -> None:
    facts = outbound(departure_date=D(2027, 3, 11), return_date=D(2027, 3, 14))
    assert check(facts, "OUT-FREEZE", FREEZE).passed


def test_freeze_blocks_the_first_day_and_nothing_by_default() -> None:
    facts = outbound(departure_date=D(2027, 3, 1), return_date=D(2027, 3, 4))
    assert not check(facts, "OUT-FREEZE", FREEZE).passed
    assert check(facts, "OUT-FREEZE").passed
