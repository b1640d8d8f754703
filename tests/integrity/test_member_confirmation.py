"""Who composes a delegation (issue #15, issue #16 point 3): a teacher names colleagues of her
own unit, each named colleague confirms before submission, a decline removes them; the unit's
head and clerk file for others without confirmation. Through the services, the API and the pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from approvals.models import AuditEvent, Notice, OutboxMessage
from config.errors import StateConflict, ValidationError
from delegations.models import OutboundMember, OutboundRequest
from delegations.services.members import outbound_membership_answer
from delegations.services.outbound import outbound_update
from org.models import Person
from tests.api_helpers import detail, post
from tests.conftest import login
from tests.delegations.outbound_helpers import outbound_input
from tests.factories import make_staff
from tests.flows import draft, submit


@pytest.fixture
def colleague(org: Any) -> Person:
    return make_staff("colleague_a", org.school_a, full_name="Đỗ Thị Cúc")


def _member(request: OutboundRequest, person: Person) -> OutboundMember:
    return OutboundMember.objects.get(request=request, person=person)


def _answer(person: Person, request: OutboundRequest, accept: bool, reason: str = "") -> Any:
    assert person.user is not None
    return outbound_membership_answer(
        actor=person.user, request=request, accept=accept, reason=reason
    )


# --- services ----------------------------------------------------------------------------------


def test_a_named_colleague_is_asked_and_submission_waits_for_them(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)

    assert _member(request, teacher_a).confirmation == "not_needed"
    assert _member(request, colleague).confirmation == "pending"
    notice = Notice.objects.get(user=colleague.user)
    assert notice.url == f"/doan-ra/{request.pk}/xac-nhan-tham-gia/"
    assert "Trần Thị Lan ghi tên bạn vào đoàn" in notice.text
    mail = OutboxMessage.objects.get(to_user=colleague.user)
    assert mail.subject == "Xác nhận tham gia đoàn ra"
    assert f"/doan-ra/{request.pk}/xac-nhan-tham-gia/" in mail.body_text
    with pytest.raises(ValidationError) as refused:
        submit(request, teacher_a)
    assert "Đỗ Thị Cúc chưa xác nhận tham gia đoàn" in str(refused.value)

    _answer(colleague, request, accept=True)
    submit(request, teacher_a)

    request.refresh_from_db()
    assert request.status == "submitted"
    event = AuditEvent.objects.get(action="outbound.member_confirmed")
    assert event.actor == colleague.user and event.after["person"] == colleague.pk


def test_a_confirmation_survives_an_unrelated_edit_but_not_new_dates(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    _answer(colleague, request, accept=True)
    row = _member(request, colleague)
    assert teacher_a.user is not None

    reworded = outbound_input(teacher_a, colleague, purpose="Hội thảo giáo dục STEM")
    reworded.departure_date, reworded.return_date = request.departure_date, request.return_date
    outbound_update(actor=teacher_a.user, request=request, data=reworded)
    kept = _member(request, colleague)
    assert (kept.pk, kept.confirmation) == (row.pk, "confirmed")

    longer = outbound_input(teacher_a, colleague, departure=request.departure_date, days=12)
    outbound_update(actor=teacher_a.user, request=request, data=longer)
    assert _member(request, colleague).confirmation == "pending"
    assert Notice.objects.filter(user=colleague.user).count() == 2


def test_a_new_role_in_the_delegation_asks_again(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    _answer(colleague, request, accept=True)
    assert teacher_a.user is not None
    swapped = outbound_input(colleague, teacher_a, departure=request.departure_date)
    outbound_update(actor=teacher_a.user, request=request, data=swapped)
    assert _member(request, colleague).role == "head"
    assert _member(request, colleague).confirmation == "pending"


@pytest.mark.parametrize("filer", ["clerk_a", "head_a"])
def test_the_units_clerk_and_head_file_for_others_without_confirmation(
    request, org, colleague, filer
):
    person = request.getfixturevalue(filer)
    other = make_staff("other_a", org.school_a, full_name="Mai Văn Dũng")
    trip = draft(person, colleague, other)
    assert {m.confirmation for m in trip.members.all()} == {"not_needed"}
    assert not Notice.objects.filter(user__in=[colleague.user, other.user]).exists()


def test_a_decline_removes_the_person_and_tells_the_filer(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    version = request.version

    _answer(colleague, request, accept=False, reason="Trùng lịch coi thi")

    request.refresh_from_db()
    assert list(request.members.values_list("person_id", flat=True)) == [teacher_a.pk]
    assert request.version == version + 1
    told = Notice.objects.get(user=teacher_a.user)
    assert "Đỗ Thị Cúc từ chối tham gia đoàn" in told.text and "Trùng lịch coi thi" in told.text
    assert OutboxMessage.objects.filter(to_user=teacher_a.user).exists()
    event = AuditEvent.objects.get(action="outbound.member_declined")
    assert event.comment == "Trùng lịch coi thi"
    submit(request, teacher_a)  # the rest of the delegation may go


def test_the_principal_named_by_a_teacher_must_confirm_too(org, teacher_a, head_a):
    request = draft(teacher_a, teacher_a, head_a)
    with pytest.raises(ValidationError, match="Phạm Minh Hùng chưa xác nhận"):
        submit(request, teacher_a)
    assert OutboundRequest.objects.get(pk=request.pk).status == "draft"


# --- refused personas --------------------------------------------------------------------------


def test_a_teacher_cannot_name_someone_of_another_unit(org, teacher_a):
    stranger = make_staff("staff_b1", org.school_b, full_name="Nguyễn Văn Bê")
    assert teacher_a.user is not None
    with pytest.raises(ValidationError, match="chỉ chọn cán bộ của đơn vị mình"):
        draft(teacher_a, teacher_a, stranger)
    assert not Notice.objects.filter(user=stranger.user).exists()


def test_a_person_not_named_cannot_confirm(org, teacher_a, colleague, clerk_a):
    request = draft(teacher_a, teacher_a, colleague)
    with pytest.raises(Http404):
        _answer(clerk_a, request, accept=True)
    assert _member(request, colleague).confirmation == "pending"


def test_no_confirmation_after_submission_and_no_double_confirmation(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    _answer(colleague, request, accept=True)
    with pytest.raises(StateConflict, match="đã xác nhận tham gia đoàn này rồi"):
        _answer(colleague, request, accept=False)
    with pytest.raises(StateConflict, match="không cần xác nhận"):
        _answer(teacher_a, request, accept=True)
    submit(request, teacher_a)
    with pytest.raises(StateConflict, match="không còn xác nhận"):
        _answer(colleague, request, accept=False)
    assert _member(request, colleague).confirmation == "confirmed"
    assert AuditEvent.objects.filter(action__startswith="outbound.member_").count() == 1


# --- API ---------------------------------------------------------------------------------------


def test_api_confirm_and_refusals(org, teacher_a, colleague, clerk_a, head_b):
    request = draft(teacher_a, teacher_a, colleague)
    url = f"/api/v1/outbound/{request.pk}/membership/"

    refused = post(login(teacher_a), f"/api/v1/outbound/{request.pk}/submit/")
    assert refused.status_code == 400
    assert "Đỗ Thị Cúc" in refused.content.decode()
    shown = detail(login(teacher_a), request.pk)
    assert shown["members_waiting"] == ["Đỗ Thị Cúc"]
    assert {m["full_name"]: m["confirmation"] for m in shown["members"]} == {
        "Trần Thị Lan": "not_needed",
        "Đỗ Thị Cúc": "pending",
    }
    assert post(login(head_b), url, {"accept": True}).status_code == 404  # cannot see it
    assert post(login(clerk_a), url, {"accept": True}).status_code == 404  # sees it, not named
    assert post(login(colleague), url, {"accept": "perhaps"}).status_code == 400
    assert post(login(colleague), url, {"accept": False, "reason": "x" * 2001}).status_code == 400

    answered = post(login(colleague), url, {"accept": True})
    again = post(login(colleague), url, {"accept": True})

    assert answered.status_code == 200
    assert answered.json() == {
        "id": request.pk,
        "person": colleague.pk,
        "confirmation": "confirmed",
    }
    assert again.status_code == 409
    assert post(login(teacher_a), f"/api/v1/outbound/{request.pk}/submit/").status_code == 200


def test_api_decline_answers_without_the_dossier(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    client = login(colleague)
    answer = post(
        client, f"/api/v1/outbound/{request.pk}/membership/", {"accept": False, "reason": "Ốm"}
    )
    assert answer.status_code == 200
    assert answer.json()["confirmation"] == "declined" and "purpose" not in answer.json()
    assert client.get(f"/api/v1/outbound/{request.pk}/").status_code == 404


# --- pages -------------------------------------------------------------------------------------


def test_teacher_finds_colleagues_of_her_unit_only_and_reads_the_rule(org, teacher_a, colleague):
    make_staff("staff_b1", org.school_b, full_name="Đỗ Văn Bê")
    client = login(teacher_a)

    form = client.get("/doan-ra/moi/").content.decode()
    found = client.get("/doan-ra/tim-thanh-vien/", {"member_q": "Đỗ"}).content.decode()

    assert "Bạn có thể ghi tên đồng nghiệp cùng đơn vị" in form
    assert "phải xác nhận tham gia trước khi hồ sơ được trình" in form
    assert "Văn thư và thủ trưởng đơn vị lập hồ sơ thay" in form
    assert "Đỗ Thị Cúc" in found and "Đỗ Văn Bê" not in found
    assert "sẽ được hỏi xác nhận" in found


def test_clerk_reads_that_the_people_she_names_need_no_confirmation(org, clerk_a, colleague):
    client = login(clerk_a)
    form = client.get("/doan-ra/moi/").content.decode()
    found = client.get("/doan-ra/tim-thanh-vien/", {"member_q": "Đỗ"}).content.decode()
    assert "người bạn ghi tên không cần xác nhận" in form
    assert "Đỗ Thị Cúc" in found and "sẽ được hỏi xác nhận" not in found


def test_confirm_page_home_and_request_page(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    client = login(colleague)
    page_url = f"/doan-ra/{request.pk}/xac-nhan-tham-gia/"

    home = client.get("/").content.decode()
    page = client.get(page_url).content.decode()
    waiting = login(teacher_a).get(f"/doan-ra/{request.pk}/").content.decode()

    inbox = client.get("/viec/").content.decode()
    assert "Cần bạn xác nhận tham gia đoàn" in home and page_url in home
    assert page_url in inbox
    assert "Trần Thị Lan đã ghi tên bạn vào đoàn" in page and "Đồng ý tham gia" in page
    assert 'id="members-waiting"' in waiting and "Đỗ Thị Cúc" in waiting

    answered = client.post(page_url, {"answer": "accept"})

    assert answered.status_code == 302 and answered["Location"] == f"/doan-ra/{request.pk}/"
    shown = client.get(answered["Location"]).content.decode()
    assert "Bạn đã xác nhận tham gia đoàn." in shown and "Đã xác nhận" in shown
    assert "Cần bạn xác nhận tham gia đoàn" not in client.get("/").content.decode()
    assert (
        'id="members-waiting"'
        not in login(teacher_a).get(f"/doan-ra/{request.pk}/").content.decode()
    )


def test_confirm_page_refusals(org, teacher_a, colleague, clerk_a, head_b):
    request = draft(teacher_a, teacher_a, colleague)
    page_url = f"/doan-ra/{request.pk}/xac-nhan-tham-gia/"

    assert login(head_b).get(page_url).status_code == 404
    assert login(clerk_a).get(page_url).status_code == 404
    assert login(clerk_a).post(page_url, {"answer": "accept"}).status_code == 404
    assert login(colleague).post(page_url, {"answer": "maybe"}).status_code == 400
    assert _member(request, colleague).confirmation == "pending"

    declined = login(colleague).post(page_url, {"answer": "decline", "reason": "Bận"})
    assert declined.status_code == 302 and declined["Location"] == "/"
    assert login(colleague).get(page_url).status_code == 404  # no longer named


def test_confirm_page_after_submission_answers_409(org, teacher_a, colleague):
    request = draft(teacher_a, teacher_a, colleague)
    client = login(colleague)
    page_url = f"/doan-ra/{request.pk}/xac-nhan-tham-gia/"
    client.post(page_url, {"answer": "accept"})
    submit(request, teacher_a)

    page = client.get(page_url).content.decode()
    late = client.post(page_url, {"answer": "decline"})

    assert "Bạn đã xác nhận tham gia" in page and "Đồng ý tham gia" not in page
    assert late.status_code == 409
    assert "không còn xác nhận tham gia được nữa" in late.content.decode()
