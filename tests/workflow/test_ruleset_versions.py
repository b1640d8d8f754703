"""Dated rule-set versions: the version in force, immutability, and the admin's validation."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delegations.facts import evaluate
from tests.workflow.rules.builders import member, outbound
from workflow.models import (
    RuleSetVersion,
    RuleSetVersionImmutableError,
    ruleset_params_in_force,
)
from workflow.rules.params import ParamErrors, ParamSet
from workflow.rules.registry import Route

D = dt.date
pytestmark = pytest.mark.django_db
THIRD_TRIP = outbound(
    members=(member(official_trips_this_year=2),),
    departure_date=D(2027, 9, 10),
    return_date=D(2027, 9, 14),
    submitted_on=None,
)


def _version(day: dt.date, overrides: dict | None = None) -> RuleSetVersion:
    return RuleSetVersion.objects.create(effective_from=day, params=ParamSet(overrides).json)


def test_without_any_version_the_defaults_are_in_force() -> None:
    version, params = ruleset_params_in_force(D(2027, 1, 1))
    assert version is None
    assert params["OUT-ANNUAL-QUOTA"]["quota"] == 2


def test_a_new_version_changes_outcomes_from_its_effective_date_only() -> None:
    first = _version(D(2027, 1, 1))
    raised = _version(D(2027, 6, 1), {"OUT-ANNUAL-QUOTA": {"quota": 3}})

    before = evaluate(THIRD_TRIP, on=D(2027, 5, 31))
    assert before.ruleset_version == first.pk
    assert not before.check("OUT-ANNUAL-QUOTA").passed and before.route is Route.CITY

    after = evaluate(THIRD_TRIP, on=D(2027, 6, 1))
    assert after.ruleset_version == raised.pk
    assert after.check("OUT-ANNUAL-QUOTA").passed and after.route is Route.DEPT
    # What was stamped before the change still reads as it was.
    assert before.check("OUT-ANNUAL-QUOTA").message_vi.endswith("trình lên một cấp.")


def test_a_stored_version_fills_in_parameters_of_rules_added_later() -> None:
    RuleSetVersion.objects.create(
        effective_from=D(2027, 1, 1), params={"OUT-ANNUAL-QUOTA": {"quota": 4}}
    )
    _version_in_force, params = ruleset_params_in_force(D(2027, 2, 1))
    assert params["OUT-ANNUAL-QUOTA"]["quota"] == 4
    assert params["timing"]["notify_days"] == 4


def test_a_saved_version_cannot_be_edited() -> None:
    version = _version(D(2027, 1, 1))
    version.note = "sửa lại"
    version.params = {"OUT-ANNUAL-QUOTA": {"quota": 9}}
    with pytest.raises(RuleSetVersionImmutableError):
        version.save()
    version.refresh_from_db()
    assert version.note == "" and version.params["OUT-ANNUAL-QUOTA"]["quota"] == 2


def test_only_a_version_not_yet_in_force_can_be_deleted() -> None:
    today = timezone.localdate()
    in_force = _version(today)
    future = _version(today + dt.timedelta(days=3))
    with pytest.raises(RuleSetVersionImmutableError):
        in_force.delete()
    future.delete()
    assert list(RuleSetVersion.objects.all()) == [in_force]


@pytest.fixture
def admin_client(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("root", "root@example.test", "pw")
    client = Client()
    client.force_login(user)
    return client


def _add(client: Client, day: dt.date, params: object) -> object:
    text = params if isinstance(params, str) else json.dumps(params)
    return client.post(
        reverse("admin:workflow_rulesetversion_add"),
        {"effective_from": day.isoformat(), "params": text, "note": "Nâng hạn mức"},
    )


def test_admin_rejects_a_bad_parameter_with_a_vietnamese_message(admin_client) -> None:
    day = timezone.localdate() + dt.timedelta(days=10)
    response = _add(admin_client, day, {"OUT-ANNUAL-QUOTA": {"quota": "ba"}, "OUT-XYZ": {}})
    assert response.status_code == 200
    page = response.content.decode()
    assert "OUT-ANNUAL-QUOTA.quota: Phải là một số nguyên." in page
    assert "Không có quy tắc hoặc nhóm tham số “OUT-XYZ”." in page
    assert not RuleSetVersion.objects.exists()


def test_admin_rejects_malformed_json_and_a_past_effective_date(admin_client) -> None:
    today = timezone.localdate()
    assert "JSON không hợp lệ" in _add(admin_client, today, "{quota: 3").content.decode()
    past = _add(admin_client, today - dt.timedelta(days=1), {"OUT-ANNUAL-QUOTA": {"quota": 3}})
    assert "Ngày hiệu lực không được trước hôm nay" in past.content.decode()
    assert not RuleSetVersion.objects.exists()


def test_admin_adds_a_complete_version_from_a_partial_change(admin_client) -> None:
    today = timezone.localdate()
    _version(today - dt.timedelta(days=30), {"OUT-LEAD-TIME": {"working_days": 20}})
    day = today + dt.timedelta(days=10)
    response = _add(admin_client, day, {"OUT-ANNUAL-QUOTA": {"quota": 3}})
    assert response.status_code == 302
    version = RuleSetVersion.objects.get(effective_from=day)
    assert version.created_by.username == "root"
    assert version.params["OUT-ANNUAL-QUOTA"] == {"quota": 3}
    # Parameters the administrator did not touch keep the previous version's values.
    assert version.params["OUT-LEAD-TIME"] == {"working_days": 20}
    assert version.params["timing"]["report_days"] == 15


def test_admin_add_form_starts_from_the_parameters_in_force(admin_client) -> None:
    response = admin_client.get(reverse("admin:workflow_rulesetversion_add"))
    assert response.status_code == 200
    assert "&quot;OUT-ANNUAL-QUOTA&quot;" in response.content.decode()


def test_admin_shows_an_old_version_read_only_and_refuses_changes(admin_client) -> None:
    version = _version(D(2026, 1, 1))
    url = reverse("admin:workflow_rulesetversion_change", args=[version.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = admin_client.post(
        url, {"effective_from": "2026-01-01", "params": "{}", "note": "sửa"}
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.note == ""


def test_a_version_with_a_bad_parameter_cannot_be_saved_even_outside_the_admin() -> None:
    with pytest.raises(ParamErrors):
        RuleSetVersion.objects.create(
            effective_from=D(2027, 1, 1), params={"OUT-ANNUAL-QUOTA": {"quota": -1}}
        )
    assert not RuleSetVersion.objects.exists()


def test_admin_list_marks_the_version_in_force(admin_client, django_assert_max_num_queries) -> None:
    today = timezone.localdate()
    for days in (-60, -30, 30):
        _version(today + dt.timedelta(days=days))
    with django_assert_max_num_queries(8):
        page = admin_client.get(reverse("admin:workflow_rulesetversion_changelist"))
    assert page.status_code == 200
    assert page.content.decode().count('alt="True"') == 1
