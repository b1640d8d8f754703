"""Register modes: numbered here, or the văn thư enters the number from the unit's register."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from approvals.models import AuditEvent, Document, DocumentRegister, NumberingMode, UnitNumbering
from delegations.models import OutboundRequest
from tests.api_helpers import post
from tests.approvals.record_helpers import approved, document_texts, documents_of, make_agencies
from tests.conftest import login
from tests.delegations.outbound_helpers import far_departure
from workflow.services import outbound_request_extension

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered_trip(org, media, teacher_a, head_a, dept_reviewer, director,
                 django_capture_on_commit_callbacks):  # fmt: skip
    """An approved trip of a department whose văn thư numbers from the Sở's own register."""
    UnitNumbering.objects.create(unit=org.department, mode=NumberingMode.ENTERED)
    make_agencies()
    with django_capture_on_commit_callbacks(execute=True):
        return approved(teacher_a, head_a, dept_reviewer, director)


def _url(document):
    return f"/api/v1/documents/{document.pk}/number/"


def test_entered_mode_reserves_no_number_and_renders_nothing_until_the_number_is_typed(
    entered_trip,
):
    documents = documents_of(entered_trip)
    for document in documents.values():
        assert document.number is None and document.rendered_at is None
        assert document.render_state == "awaiting_number"
        assert document.number_text.startswith("…/")
    assert DocumentRegister.objects.get(series="decision").last_number == 0


def test_a_document_awaiting_its_number_has_no_file_to_download(entered_trip, teacher_a):
    decision = documents_of(entered_trip)["outbound_decision"]
    client = login(teacher_a)
    response = client.get(f"/api/v1/documents/{decision.pk}/file/?format=pdf")
    assert response.status_code == 409
    assert "chưa được văn thư vào số" in response.json()["detail"]
    page = client.get(f"/van-ban/{decision.pk}/tai-ve/?format=pdf", follow=True)
    assert "chưa được văn thư vào số" in page.content.decode()


def test_clerk_enters_number_and_date_and_the_files_carry_them(
    entered_trip, dept_reviewer, django_capture_on_commit_callbacks
):
    decision = documents_of(entered_trip)["outbound_decision"]
    today = timezone.localdate()
    client = login(dept_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, _url(decision), {"number": 15, "issued_on": today.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["number"] == "15/QĐ-SGDĐT"
    decision.refresh_from_db()
    assert decision.rendered_at is not None and decision.number_entered_by == dept_reviewer.user
    for text in document_texts(decision):
        assert "Số: 15/QĐ-SGDĐT" in text
        assert f"ngày {today:%d} tháng" in text
        assert "(Kèm theo Quyết định số 15/QĐ-SGDĐT" in text
    assert AuditEvent.objects.filter(action="document.number_entered").count() == 1
    again = post(client, _url(decision), {"number": 16, "issued_on": today.isoformat()})
    assert again.status_code == 409


def test_letter_waits_for_the_decisions_number_and_then_names_it(entered_trip, dept_reviewer):
    documents = documents_of(entered_trip)
    today = timezone.localdate().isoformat()
    client = login(dept_reviewer)
    early = post(client, _url(documents["outbound_notice"]), {"number": 7, "issued_on": today})
    assert early.status_code == 409
    assert "quyết định trước" in early.json()["detail"]
    post(client, _url(documents["outbound_decision"]), {"number": 3, "issued_on": today})
    letter = post(client, _url(documents["outbound_notice"]), {"number": 7, "issued_on": today})
    assert letter.status_code == 200 and letter.json()["number"] == "07/GDĐT-VP"
    notice = Document.objects.get(pk=documents["outbound_notice"].pk)
    assert "Quyết định số 03/QĐ-SGDĐT" in document_texts(notice)[0]


def test_bad_numbers_and_dates_are_refused_with_vietnamese_messages(
    entered_trip, dept_reviewer, teacher_a, head_a, director
):
    decision = documents_of(entered_trip)["outbound_decision"]
    today = timezone.localdate()
    client = login(dept_reviewer)
    cases = [
        ({"number": "abc", "issued_on": today.isoformat()}, "number"),
        ({"number": 0, "issued_on": today.isoformat()}, "number"),
        ({"number": 10**12, "issued_on": today.isoformat()}, "number"),
        ({"number": 5, "issued_on": "31/02/2026"}, "issued_on"),
        ({"number": 5, "issued_on": (today + datetime.timedelta(days=1)).isoformat()},
         "issued_on"),
        ({"number": 5, "issued_on": (today - datetime.timedelta(days=30)).isoformat()},
         "issued_on"),
    ]  # fmt: skip
    for body, field in cases:
        response = post(client, _url(decision), body)
        assert response.status_code == 400, body
        assert field in response.json()["errors"], body
    decision.refresh_from_db()
    assert decision.number is None


def test_a_number_already_in_the_register_this_year_is_refused(
    entered_trip, dept_reviewer, teacher_a, head_a, director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        second = approved(teacher_a, head_a, dept_reviewer, director, departure=far_departure(80))
    today = timezone.localdate().isoformat()
    client = login(dept_reviewer)
    first_decision = documents_of(entered_trip)["outbound_decision"]
    second_decision = documents_of(second)["outbound_decision"]
    assert post(client, _url(first_decision), {"number": 9, "issued_on": today}).status_code == 200
    clash = post(client, _url(second_decision), {"number": 9, "issued_on": today})
    assert clash.status_code == 400
    assert "đã có trong sổ" in clash.json()["errors"]["number"][0]


def test_who_may_enter_numbers_and_who_may_use_the_confidential_register(
    entered_trip, teacher_a, head_b, dept_reviewer, director
):
    decision = documents_of(entered_trip)["outbound_decision"]
    today = timezone.localdate().isoformat()
    body = {"number": 4, "issued_on": today}
    assert post(login(head_b), _url(decision), body).status_code == 404
    assert post(login(teacher_a), _url(decision), body).status_code == 403
    secret = {**body, "confidential": True}
    assert post(login(dept_reviewer), _url(decision), secret).status_code == 403
    response = post(login(director), _url(decision), secret)
    assert response.status_code == 200
    assert response.json()["confidential"] is True
    decision.refresh_from_db()
    assert decision.register.confidential and decision.number_text == "04/QĐ-SGDĐT"


def test_clerk_enters_the_number_from_the_documents_page(entered_trip, dept_reviewer):
    decision = documents_of(entered_trip)["outbound_decision"]
    client = login(dept_reviewer)
    page = client.get(f"/van-ban/?request=outbound:{entered_trip.pk}").content.decode()
    assert f'data-number-form="{decision.pk}"' in page
    assert 'name="confidential"' not in page  # the reviewer may not classify
    refused = client.post(
        f"/van-ban/{decision.pk}/vao-so/", {"number": "x", "issued_on": "2026-13-01"}, follow=True
    )
    assert "Ngày ban hành không hợp lệ." in refused.content.decode()
    today = timezone.localdate().isoformat()
    done = client.post(
        f"/van-ban/{decision.pk}/vao-so/", {"number": "21", "issued_on": today}, follow=True
    )
    assert "Đã vào số 21/QĐ-SGDĐT." in done.content.decode()
    decision.refresh_from_db()
    assert decision.number == 21


def test_back_to_numbering_here_continues_above_the_entered_numbers(
    entered_trip, org, dept_reviewer, teacher_a, head_a, director
):
    decision = documents_of(entered_trip)["outbound_decision"]
    today = timezone.localdate().isoformat()
    post(login(dept_reviewer), _url(decision), {"number": 40, "issued_on": today})
    UnitNumbering.objects.filter(unit=org.department).update(mode=NumberingMode.HERE)
    second = approved(teacher_a, head_a, dept_reviewer, director, departure=far_departure(80))
    assert documents_of(second)["outbound_decision"].number_text == "41/QĐ-SGDĐT"


def test_replacing_a_document_in_the_confidential_register_needs_the_leadership(
    trip, dept_reviewer, director
):
    decision = documents_of(trip)["outbound_decision"]
    url = f"/api/v1/documents/{decision.pk}/reissue/"
    body = {"reason": "Nội dung cần bảo mật", "confidential": True}
    assert post(login(dept_reviewer), url, body).status_code == 403
    response = post(login(director), url, body)
    assert response.status_code == 201
    assert response.json()["confidential"] is True
    assert response.json()["number"] == "01/QĐ-SGDĐT"  # the confidential register's first
    replacement = Document.objects.get(pk=response.json()["id"])
    assert replacement.register.confidential and replacement.supersedes_id == decision.pk


def test_an_extension_waits_for_the_decisions_number_so_the_decision_says_what_was_approved(
    entered_trip, teacher_a, director, dept_reviewer, django_capture_on_commit_callbacks
):
    """In entered mode the decision's text is written again when the văn thư enters its number,
    days after the approval perhaps. An extension granted before that would put the new return
    date into the original decision: the grant waits (409) until the decision is numbered."""
    approved_return = entered_trip.return_date
    later = approved_return + datetime.timedelta(days=5)
    process = outbound_request_extension(
        actor=teacher_a.user, request=entered_trip, new_return_date=later, reason="Kéo dài"
    )
    task = process.task_set.get(status="NEW")
    answer = post(login(director), f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})

    assert answer.status_code == 409
    assert "đang chờ văn thư vào số" in answer.json()["detail"]
    entered_trip.refresh_from_db()
    assert entered_trip.return_date == approved_return
    decision = documents_of(entered_trip)["outbound_decision"]
    today = timezone.localdate().isoformat()
    clerk = login(dept_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(clerk, _url(decision), {"number": 15, "issued_on": today}).status_code == 200
        notice = documents_of(entered_trip)["outbound_notice"]
        assert post(clerk, _url(notice), {"number": 16, "issued_on": today}).status_code == 200
        again = post(login(director), f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})
    assert again.status_code == 200, again.content
    entered_trip.refresh_from_db()
    assert entered_trip.return_date == later
    written = repr(Document.objects.get(pk=decision.pk).content)
    assert "15/QĐ-SGDĐT" in written
    assert f"{approved_return:%d/%m/%Y}" in written
    assert f"{later:%d/%m/%Y}" not in written


def test_a_change_that_skipped_the_check_cannot_be_numbered_into_the_decision(
    entered_trip, dept_reviewer
):
    """The guard under it: a dossier changed behind the services' back since the decision is
    not written into the decision at its number; the văn thư gets a clear 409."""
    approved_return = entered_trip.return_date
    OutboundRequest.objects.filter(pk=entered_trip.pk).update(
        return_date=approved_return + datetime.timedelta(days=5)
    )
    decision = documents_of(entered_trip)["outbound_decision"]

    answer = post(
        login(dept_reviewer),
        _url(decision),
        {"number": 15, "issued_on": timezone.localdate().isoformat()},
    )

    assert answer.status_code == 409
    assert "Hồ sơ đã thay đổi sau khi văn bản được lập" in answer.json()["detail"]
    decision.refresh_from_db()
    assert decision.number is None
    assert f"{approved_return:%d/%m/%Y}" in repr(decision.content)


def test_the_amending_decision_of_an_extension_can_be_numbered_in_entered_mode(
    entered_trip, teacher_a, director, dept_reviewer, django_capture_on_commit_callbacks
):
    """The amending decision is written from the dossier as extended: its number is not refused
    as if the extension were a change behind the services' back."""
    today = timezone.localdate().isoformat()
    clerk = login(dept_reviewer)
    documents = documents_of(entered_trip)
    for number, kind in ((15, "outbound_decision"), (16, "outbound_notice")):
        entered = post(clerk, _url(documents[kind]), {"number": number, "issued_on": today})
        assert entered.status_code == 200, entered.content
    later = entered_trip.return_date + datetime.timedelta(days=5)
    process = outbound_request_extension(
        actor=teacher_a.user, request=entered_trip, new_return_date=later, reason="Kéo dài"
    )
    task = process.task_set.get(status="NEW")
    granted = post(login(director), f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})
    assert granted.status_code == 200, granted.content
    amendment = documents_of(entered_trip)["outbound_amendment"]
    assert amendment.number is None

    with django_capture_on_commit_callbacks(execute=True):
        answer = post(clerk, _url(amendment), {"number": 17, "issued_on": today})

    assert answer.status_code == 200, answer.content
    assert f"{later:%d/%m/%Y}" in repr(Document.objects.get(pk=amendment.pk).content)


def test_a_register_numbered_by_hand_before_the_upgrade_continues_above_those_numbers(
    entered_trip, org, dept_reviewer, teacher_a, head_a, director
):
    """An earlier release left ``last_number`` below the numbers the văn thư entered (it looked
    them up at every number instead); migration 0013 raises every register to its documents'
    highest number, so the first number taken after the upgrade comes above them."""
    decision = documents_of(entered_trip)["outbound_decision"]
    today = timezone.localdate().isoformat()
    post(login(dept_reviewer), _url(decision), {"number": 40, "issued_on": today})
    decision.refresh_from_db()
    DocumentRegister.objects.filter(pk=decision.register_id).update(last_number=0)
    migration = importlib.import_module(
        "approvals.migrations.0013_register_last_number_covers_entered"
    )
    migration.raise_to_entered(django_apps, None)
    assert DocumentRegister.objects.get(pk=decision.register_id).last_number == 40
    UnitNumbering.objects.filter(unit=org.department).update(mode=NumberingMode.HERE)
    second = approved(teacher_a, head_a, dept_reviewer, director, departure=far_departure(80))
    assert documents_of(second)["outbound_decision"].number_text == "41/QĐ-SGDĐT"
