"""What an administrator changes in the admin (the roles the decisions rest on, the accounts,
the calendar) is in the audit log's hash chain, from what to what, by whom; a refused or empty
save records nothing; a password's hash never enters the log."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from approvals.audit import verify_chain
from approvals.models import AuditEvent
from org.models import CalendarDay, Role, RoleAssignment
from tests.conftest import login
from tests.factories import UserFactory
from tests.test_form_fuzz import PageForms

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def admin_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__startswith="admin.").order_by("seq"))


def test_a_role_given_changed_and_taken_back_is_recorded_from_what_to_what(
    org: Any, teacher_a: Any, root: Client
) -> None:
    school = org.school_a.pk
    added = root.post(
        "/admin/org/roleassignment/add/",
        {"user": teacher_a.user.pk, "role": Role.UNIT_HEAD, "unit": school,
         "starts_on": "2026-12-01"},
    )  # fmt: skip
    assert added.status_code == 302, added.content.decode()[:2000]
    role = RoleAssignment.objects.get(user=teacher_a.user, role=Role.UNIT_HEAD)
    changed = root.post(
        f"/admin/org/roleassignment/{role.pk}/change/",
        {"user": teacher_a.user.pk, "role": Role.UNIT_HEAD, "unit": school,
         "starts_on": "2026-12-01", "ends_on": "2026-12-03"},
    )  # fmt: skip
    assert changed.status_code == 302, changed.content.decode()[:2000]
    deleted = root.post(f"/admin/org/roleassignment/{role.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302

    given, dated, taken_back = admin_events()
    assert (given.action, given.object_type, given.object_id) == (
        "admin.added", "org.roleassignment", str(role.pk),
    )  # fmt: skip
    assert given.actor_username == "root"
    assert given.after["user"] == teacher_a.user.pk
    assert given.after["role"] == Role.UNIT_HEAD and given.after["unit"] == school
    assert dated.action == "admin.changed"
    assert dated.before == {"ends_on": None}
    assert dated.after["ends_on"] == "2026-12-03"
    assert taken_back.action == "admin.deleted"
    assert taken_back.before["ends_on"] == "2026-12-03"
    assert taken_back.before["role"] == Role.UNIT_HEAD
    assert verify_chain() is None  # chained like every other event


def test_a_superuser_flag_and_a_new_password_are_recorded_but_not_the_password(
    root: Client,
) -> None:
    user = UserFactory(username="gv_x")
    joined = user.date_joined.astimezone(datetime.UTC)
    promoted = root.post(
        f"/admin/auth/user/{user.pk}/change/",
        {"username": "gv_x", "is_active": "on", "is_staff": "on", "is_superuser": "on",
         "date_joined_0": joined.date().isoformat(), "date_joined_1": "00:00:00"},
    )  # fmt: skip
    assert promoted.status_code == 302, promoted.content.decode()[:3000]
    new_password = root.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"},
    )
    assert new_password.status_code == 302, new_password.content.decode()[:3000]

    flag, password = admin_events()
    assert flag.before["is_superuser"] is False and flag.after["is_superuser"] is True
    assert flag.before["is_staff"] is False and flag.after["is_staff"] is True
    assert password.before["password"] == "***" == password.after["password"]
    stored_hash = User.objects.get(pk=user.pk).password
    assert stored_hash.split("$")[-1] not in json.dumps([password.before, password.after])


def test_a_bulk_delete_records_each_row_and_a_refused_or_empty_save_records_nothing(
    root: Client,
) -> None:
    days = [
        CalendarDay.objects.create(date=datetime.date(2027, 1, d), kind="day_off", note="Tết")
        for d in (2, 3)
    ]
    refused = root.post("/admin/org/calendarday/add/", {"date": "2027-02-30", "kind": "day_off"})
    assert refused.status_code == 200  # the form again, with its error
    unchanged = root.post(
        f"/admin/org/calendarday/{days[0].pk}/change/",
        {"date": "2027-01-02", "kind": "day_off", "note": "Tết"},
    )
    assert unchanged.status_code == 302
    assert admin_events() == []

    bulk = root.post(
        "/admin/org/calendarday/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert bulk.status_code == 302

    deleted = admin_events()
    assert [e.action for e in deleted] == ["admin.deleted", "admin.deleted"]
    assert sorted(e.before["date"] for e in deleted) == ["2027-01-02", "2027-01-03"]
    assert not CalendarDay.objects.exists()


def test_the_auditor_reads_the_administrators_changes_in_the_log(
    org: Any, teacher_a: Any, auditor: Any, root: Client
) -> None:
    root.post(
        "/admin/org/calendarday/add/", {"date": "2027-01-04", "kind": "day_off", "note": "Nghỉ bù"}
    )

    html = login(auditor).get("/nhat-ky/?action=admin.added").content.decode()

    rows = html[html.index("<tbody") : html.index("</tbody>")]
    assert "admin.added" in rows and "org.calendarday" in rows and "root" in rows


def test_a_passport_added_on_a_person_names_the_row_in_the_persons_event(
    org: Any, teacher_a: Any, root: Client
) -> None:
    url = f"/admin/org/person/{teacher_a.pk}/change/"
    parser = PageForms(url)
    parser.feed(root.get(url).content.decode())
    [form] = [f for f in parser.forms if "staff_code" in {n for n, _k, _v in f.fields}]
    data: dict[str, Any] = {}
    for name, _kind, value in form.fields:
        data.setdefault(name, []).append(value)
    passport = {"kind": "ordinary", "number": "C1234567", "expires_on": "2031-05-01",
                "custody": "holder"}  # fmt: skip
    data |= {f"passports-0-{k}": [v] for k, v in passport.items()}
    data["passports-TOTAL_FORMS"] = ["1"]

    saved = root.post(url, data)

    assert saved.status_code == 302, re.findall(r"errorlist.{0,300}", saved.content.decode())
    [event] = admin_events()
    assert (event.action, event.object_type) == ("admin.changed", "org.person")
    assert event.before == {}  # the person's own fields did not change
    [added] = event.after["admin_changes"]
    assert "C1234567" in added["added"]["object"]
