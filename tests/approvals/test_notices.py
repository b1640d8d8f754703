"""In-app notices and e-mails to people: a task arrives, a request is returned or decided."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone, translation

from approvals.context_processors import shell
from approvals.models import Notice, OutboxMessage
from tests.conftest import login
from tests.delegations.outbound_helpers import far_departure
from tests.factories import UserFactory, make_staff
from tests.flows import approve_all, open_task, submitted
from workflow.services import task_claim, task_complete

pytestmark = pytest.mark.django_db


def texts(person) -> list[str]:
    return list(
        Notice.objects.filter(user=person.user).order_by("pk").values_list("text", flat=True)
    )


def test_new_task_tells_the_unit_head_by_notice_and_email(org, teacher_a, head_a, head_b):
    request = submitted(teacher_a)
    assert texts(head_a) == [
        f"Việc mới: Thủ trưởng đơn vị cho ý kiến – hồ sơ {request.reference} (Trường THPT A)"
    ]
    assert texts(head_b) == []
    email = OutboxMessage.objects.get(to_user=head_a.user)
    assert email.to_address == "head_a@example.test"
    assert "Thủ trưởng đơn vị cho ý kiến" in email.subject
    assert "Hạn xử lý" in email.body_text


def test_queued_department_step_tells_every_reviewer_and_an_assigned_one_only_its_owner(
    org, teacher_a, head_a, dept_reviewer, director
):
    second = make_staff("reviewer2", org.office, "dept_reviewer")
    request = approve_all(submitted(teacher_a), head_a)
    assert len(texts(dept_reviewer)) == 1
    assert Notice.objects.filter(user=second.user).count() == 1
    # The director returns the dossier: it goes back to the reviewer who handled it, only.
    task_claim(task_id=open_task(request).pk, user=dept_reviewer.user)
    task_complete(task_id=open_task(request).pk, user=dept_reviewer.user, action="approve")
    task_complete(
        task_id=open_task(request).pk, user=director.user, action="return", comment="Xem lại"
    )
    assert len(texts(dept_reviewer)) == 2
    assert Notice.objects.filter(user=second.user).count() == 1


def test_returned_request_tells_the_applicant_what_to_add(org, teacher_a, head_a, dept_reviewer):
    request = approve_all(submitted(teacher_a), head_a)
    task_complete(
        task_id=open_task(request).pk, user=dept_reviewer.user, action="return",
        comment="Thiếu thư mời", fields={"missing_items": ["Thư mời có bản dịch"]},
    )  # fmt: skip
    assert texts(teacher_a)[-1] == f"Hồ sơ {request.reference} được trả lại: Thiếu thư mời"
    email = OutboxMessage.objects.filter(to_user=teacher_a.user).latest("pk")
    assert "Thư mời có bản dịch" in email.body_text


def test_decisions_tell_the_applicant(org, agencies, teacher_a, head_a, dept_reviewer, director):
    approved = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    assert texts(teacher_a)[-1] == f"Hồ sơ {approved.reference} đã được phê duyệt."

    refused = submitted(teacher_a, departure=far_departure(60))
    task_complete(
        task_id=open_task(refused).pk, user=head_a.user, action="reject", comment="Không phù hợp"
    )
    assert texts(teacher_a)[-1] == f"Hồ sơ {refused.reference} không được phê duyệt."
    email = OutboxMessage.objects.filter(to_user=teacher_a.user).latest("pk")
    assert "Không phù hợp" in email.body_text


def test_notices_roll_back_with_the_step(
    org, teacher_a, head_a, django_capture_on_commit_callbacks
):
    request = submitted(teacher_a)
    before = Notice.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        task_complete(task_id=open_task(request).pk, user=head_a.user, action="reject",
                      comment="Không")  # fmt: skip
        raise RuntimeError
    assert Notice.objects.count() == before
    assert mail.outbox == []


def test_bell_shows_the_unread_count_and_the_page_marks_notices_read(org, teacher_a, head_a):
    submitted(teacher_a)
    client = login(head_a)
    home = client.get("/")
    assert 'class="notice-bell__count">1<' in home.content.decode()
    page = client.get("/thong-bao/")
    assert page.status_code == 200
    assert "Thủ trưởng đơn vị cho ý kiến" in page.content.decode()
    assert 'class="notice__badge"' in page.content.decode()
    assert not Notice.objects.filter(user=head_a.user, read_at__isnull=True).exists()
    assert "notice-bell__count" not in client.get("/").content.decode()


def test_unread_count_costs_one_query(org, teacher_a, head_a, django_assert_num_queries):
    submitted(teacher_a)
    submitted(teacher_a, departure=far_departure(60))
    request = RequestFactory().get("/")
    request.user = head_a.user
    context = shell(request)
    with django_assert_num_queries(1):
        assert str(context["unread_notice_count"]) == "2"


def test_header_name_and_bell_cost_one_query_and_the_page_knows_the_person(
    org, teacher_a, head_a, django_assert_num_queries
):
    submitted(teacher_a)
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=head_a.user.pk)  # nothing of it read yet
    context = shell(request)
    with django_assert_num_queries(1):
        assert str(context["user_display_name"]) == "Phạm Minh Hùng"
        assert str(context["unread_notice_count"]) == "1"
        assert request.user.person.pk == head_a.pk  # "is this member me?" reads nothing


def test_account_outside_the_directory_shows_its_own_name_and_notices(db):
    account = UserFactory(username="quantri", first_name="Quản", last_name="Trị")
    Notice.objects.create(user=account, text="Sao lưu xong")
    Notice.objects.create(user=account, text="Đã đọc", read_at=timezone.now())
    request = RequestFactory().get("/")
    request.user = account
    context = shell(request)
    assert str(context["user_display_name"]) == "Quản Trị"
    assert str(context["unread_notice_count"]) == "1"


def test_opening_a_notice_marks_it_read_and_follows_its_link(org, teacher_a, head_a, head_b):
    submitted(teacher_a)
    notice = Notice.objects.get(user=head_a.user)
    assert login(head_b).get(f"/thong-bao/{notice.pk}/").status_code == 404
    response = login(head_a).get(f"/thong-bao/{notice.pk}/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_notice_page_needs_a_login(db):
    response = login.__globals__["Client"]().get("/thong-bao/")
    assert response.status_code == 302


def test_notices_are_written_in_the_site_language_whatever_the_actor_reads(org, teacher_a, head_a):
    # The applicant browses in English; the head (and the record) still read Vietnamese.
    with translation.override("en"):
        request = submitted(teacher_a)
    assert texts(head_a) == [
        f"Việc mới: Thủ trưởng đơn vị cho ý kiến – hồ sơ {request.reference} (Trường THPT A)"
    ]
    assert "Việc mới" in OutboxMessage.objects.get(to_user=head_a.user).subject
