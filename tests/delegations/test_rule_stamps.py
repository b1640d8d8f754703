"""Stamps keep what applied on the day; the adapter's cost does not grow with the delegation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import RuleStamp
from delegations.facts import evaluate
from org.calendar import add_working_days
from tests.factories import PassportFactory, make_staff
from tests.flows import draft
from workflow.models import RuleSetVersion
from workflow.rules.params import ParamSet
from workflow.rules.registry import Check
from workflow.services import request_submit

pytestmark = pytest.mark.django_db


def lead_time_check(checks: list[dict]) -> Check:
    return next(c for c in map(Check.from_json, checks) if c.rule == "OUT-LEAD-TIME")


def test_a_later_rule_set_version_changes_new_evaluations_but_not_earlier_stamps(org, teacher_a):
    today = datetime.date.today()
    departure = add_working_days(today, 20)
    request = draft(teacher_a, departure=departure)
    request_submit(actor=teacher_a.user, request=request)
    stamp = RuleStamp.objects.get(request_id=request.pk, stage="submit")
    assert lead_time_check(stamp.checks["checks"]).passed

    tomorrow = today + datetime.timedelta(days=1)
    RuleSetVersion.objects.create(
        effective_from=tomorrow,
        params=ParamSet({"OUT-LEAD-TIME": {"working_days": 30}}).json,
    )
    later = evaluate(request, on=tomorrow)
    assert not later.check("OUT-LEAD-TIME").passed
    assert later.ruleset_version is not None
    # Evaluated today the old parameters still apply, and the stored stamp is untouched.
    assert evaluate(request, on=today).check("OUT-LEAD-TIME").passed
    stamp.refresh_from_db()
    assert lead_time_check(stamp.checks["checks"]).passed
    with pytest.raises(ValueError):
        stamp.save()


def test_a_delegation_of_50_is_evaluated_in_the_same_number_of_queries_as_one_of_5(org, clerk_a):
    staff = [make_staff(f"m{i}", org.school_a, role=None) for i in range(50)]
    for person in staff:
        PassportFactory(person=person)
    small = draft(clerk_a, *staff[:5])
    large = draft(clerk_a, *staff)
    evaluate(small)  # warm caches
    with CaptureQueriesContext(connection) as five:
        evaluate(small)
    with CaptureQueriesContext(connection) as fifty:
        evaluation = evaluate(large)
    assert len(evaluation.checks) > 0
    assert len(fifty.captured_queries) == len(five.captured_queries)
