"""Rule scope (issue #15, problem 6): the annual report counts as violations only blocks that
were overridden and the real failures (late reports, unreturned passports), never warnings, and
names rules by their title."""

import datetime

import pytest

from approvals.models import RuleStamp
from approvals.record.reports import LATE_REPORT, annual_report
from delegations.services.outbound import StopInput
from org.models import Person
from tests.conftest import login
from tests.flows import approve_all, approved, submitted
from workflow.rules.pack import get_rule
from workflow.rules.registry import Check
from workflow.services import outbound_advance_by_dates

pytestmark = pytest.mark.django_db
BARRED = get_rule("OUT-BARRED").title_vi


def test_a_warning_is_never_a_violation(org, teacher_a, head_a, dept_reviewer, director):
    # Five days in Japan: OUT-DAYS-PER-COUNTRY warns (cap 3) on this official trip.
    japan = [StopInput(country="JP", days=5, cities="Osaka")]
    trip = approved(teacher_a, head_a, dept_reviewer, director, days=5, itinerary=japan)
    stamp_rules = {c.rule: c for c in _submit_checks(trip)}
    assert stamp_rules["OUT-DAYS-PER-COUNTRY"].passed is False
    report = annual_report(trip.departure_date.year)
    assert report.total.rule_violations == 0
    assert report.total.violations_by_rule == {}


def test_a_block_overridden_by_the_approvers_is_a_violation_named_by_its_title(
    org, teacher_a, head_a, dept_reviewer, director, auditor
):
    trip = submitted(teacher_a)
    # An exit ban arrives after submission; the approvers go ahead anyway.
    Person.objects.filter(pk=teacher_a.pk).update(exit_banned=True)
    approve_all(trip, head_a, dept_reviewer, director)
    assert trip.status == "approved"
    year = trip.departure_date.year
    report = annual_report(year)
    assert report.total.violations_by_rule == {BARRED: 1}
    assert report.total.rule_violations == 1
    page = login(auditor).get(f"/bao-cao/nam/?year={year}").content.decode()
    assert "OUT-BARRED" not in page


def test_late_reports_count_as_violations(org, teacher_a, head_a, dept_reviewer, director):
    trip = approved(teacher_a, head_a, dept_reviewer, director)
    outbound_advance_by_dates(today=trip.departure_date)
    outbound_advance_by_dates(today=trip.return_date + datetime.timedelta(days=1))
    trip.refresh_from_db()
    assert trip.report_due is not None
    later = trip.report_due + datetime.timedelta(days=1)
    report = annual_report(trip.departure_date.year, today=later)
    assert report.total.late_reports == 1
    assert report.total.violations_by_rule == {LATE_REPORT: 1}


def _submit_checks(trip):
    stamp = RuleStamp.objects.filter(request_id=trip.pk, stage="submit").get()
    return [Check.from_json(c) for c in stamp.checks["checks"]]
