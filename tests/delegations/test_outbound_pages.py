"""Outbound request pages: the form, the request page, its actions and its attachments."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from delegations.models import Attachment, OutboundRequest
from org.models import Person
from tests.conftest import Org, login
from tests.delegations.page_helpers import create_draft, decide, form_data, submit
from tests.factories import PassportFactory, make_staff
from tests.flows import open_task

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def travellers(org: Org, clerk_a: Person) -> list[Person]:
    """The clerk and two teachers of school A: a delegation of three."""
    return [
        clerk_a,
        make_staff("staff_a1", org.school_a, full_name="Nguyễn Văn Một"),
        make_staff("staff_a2", org.school_a, full_name="Trần Thị Hai"),
    ]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_invalid_return_date_shows_vietnamese_error_and_keeps_typed_purpose(clerk_a, travellers):
    client = login(clerk_a)
    data = form_data(*travellers, purpose="Giao lưu với trường kết nghĩa Osaka")
    data["return_date"] = "2000-01-01"

    response = client.post("/doan-ra/moi/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày về phải sau hoặc trùng ngày đi." in html
    assert "Giao lưu với trường kết nghĩa Osaka" in html
    assert "Trần Thị Hai" in html  # the member rows survive too
    assert not OutboundRequest.objects.exists()


def test_unparseable_date_and_bad_country_get_clear_messages(clerk_a, travellers):
    data = form_data(*travellers, departure_date="ngày mai", **{"stops-0-country": "Nhật"})

    response = login(clerk_a).post("/doan-ra/moi/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Không có quốc gia nào mang mã “NHẬT”" in html
    assert 'name="departure_date"' in html and 'aria-invalid="true"' in html


def test_clerk_files_delegation_of_three_and_gets_reference_on_submission(
    clerk_a, travellers, head_a
):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert "Bản nháp" in page
    assert all(p.full_name in page for p in travellers)
    assert "Thủ trưởng đơn vị cho ý kiến" in page  # the preview beside the submit button

    submit(client, request)

    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    request.refresh_from_db()
    assert request.reference == f"THPT-A/ĐR/{datetime.date.today().year}/0001"
    assert f"Hồ sơ số {request.reference}" in page
    assert "Đang xét duyệt" in page


def test_submit_asks_for_justification_and_keeps_what_was_typed(clerk_a, travellers, head_a):
    client = login(clerk_a)
    request = create_draft(client, *travellers, tied_to_contract="on")

    response = client.post(f"/doan-ra/{request.pk}/trinh/", {"submit-j_OUT-LEAD-TIME": "x"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "cần giải trình rõ nguồn kinh phí" in html
    assert "Vui lòng nhập giải trình cho nội dung này." in html

    submit(client, request, **{"OUT-CONTRACT-FUNDING": "Đối tác Nhật Bản chi trả toàn bộ."})
    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert "Đối tác Nhật Bản chi trả toàn bộ." in page


def test_department_return_lists_missing_items_on_the_applicants_page(
    clerk_a, travellers, head_a, dept_reviewer
):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    submit(client, request)
    assert decide(login(head_a), open_task(request, "review_by_unit_head")).status_code == 302

    response = decide(
        login(dept_reviewer),
        open_task(request, "review_by_department"),
        "return",
        comment="Thiếu giấy tờ",
        missing_items="Thư mời bản dịch tiếng Việt\nDự toán chi tiết",
    )

    assert response.status_code == 302
    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert "Trả lại để bổ sung" in page
    assert "Thư mời bản dịch tiếng Việt" in page and "Dự toán chi tiết" in page
    assert "Trình lại" in page


def test_walk_to_approval_puts_every_step_and_actor_on_the_timeline(
    clerk_a, travellers, head_a, dept_reviewer, director
):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    submit(client, request)
    decide(login(head_a), open_task(request, "review_by_unit_head"))
    reviewer = login(dept_reviewer)
    decide(reviewer, open_task(request, "review_by_department"), "return",
           comment="Bổ sung", missing_items="Chương trình làm việc")  # fmt: skip
    edit = client.post(
        f"/doan-ra/{request.pk}/sua/",
        form_data(*travellers, work_programme="Ngày 1: thăm trường; ngày 2: hội thảo",
                  version=str(OutboundRequest.objects.get(pk=request.pk).version)),
    )  # fmt: skip
    assert edit.status_code == 302
    submit(client, request)
    # The edit re-posts the itinerary, which the head's approval covered: the head sees it again.
    assert decide(login(head_a), open_task(request, "review_by_unit_head")).status_code == 302
    assert decide(reviewer, open_task(request, "review_by_department")).status_code == 302
    assert decide(login(director), open_task(request, "decide_by_director")).status_code == 302

    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "Đã phê duyệt" in page
    for text in (
        "Trình hồ sơ",
        "Thủ trưởng đơn vị cho ý kiến: Đồng ý",
        "Văn phòng Sở thẩm định: Trả lại, yêu cầu bổ sung",
        "Trình lại hồ sơ sau khi bổ sung",
        "Văn phòng Sở thẩm định: Thẩm định đạt, trình lãnh đạo Sở",
        "Lãnh đạo Sở quyết định: Đồng ý",
        "Hồ sơ được phê duyệt",
    ):
        assert text in timeline, text
    for person in (clerk_a, head_a, dept_reviewer, director):
        assert person.full_name in timeline


def test_head_of_other_school_gets_404_for_request_task_and_attachment(
    clerk_a, travellers, head_a, head_b, media
):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    client.post(
        f"/doan-ra/{request.pk}/tai-lieu/",
        {"attachment-kind": "invitation",
         "attachment-file": SimpleUploadedFile("thu-moi.pdf", PDF_BYTES)},
    )  # fmt: skip
    submit(client, request)
    task = open_task(request, "review_by_unit_head")
    attachment = Attachment.objects.get()
    other = login(head_b)

    assert other.get(f"/doan-ra/{request.pk}/").status_code == 404
    assert other.get(f"/viec/{task.pk}/").status_code == 404
    assert decide(other, task).status_code == 404
    assert other.get(f"/doan-ra/tai-lieu/{attachment.pk}/").status_code == 404
    assert other.get(f"/doan-ra/{request.pk}/xem-truoc/").status_code == 404
    request.refresh_from_db()
    assert request.reference not in other.get("/doan-ra/").content.decode()


def test_html_renamed_pdf_is_rejected_with_a_vietnamese_message(clerk_a, travellers, media):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    fake = SimpleUploadedFile(
        "thu-moi.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )

    response = client.post(
        f"/doan-ra/{request.pk}/tai-lieu/",
        {"attachment-kind": "invitation", "attachment-file": fake},
    )

    assert response.status_code == 400
    assert "Định dạng tệp không được chấp nhận" in response.content.decode()
    assert not Attachment.objects.exists()


def test_empty_and_plain_zip_uploads_are_refused(clerk_a, travellers, media):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("evil.html", "<script></script>")
    url = f"/doan-ra/{request.pk}/tai-lieu/"

    empty = client.post(url, {"attachment-kind": "cv",
                              "attachment-file": SimpleUploadedFile("cv.pdf", b"")})  # fmt: skip
    plain_zip = client.post(url, {"attachment-kind": "cv",
        "attachment-file": SimpleUploadedFile("cv.docx", archive.getvalue())})  # fmt: skip

    assert empty.status_code == 400 and "Tệp rỗng" in empty.content.decode()
    assert plain_zip.status_code == 400
    assert not Attachment.objects.exists()


def test_pdf_upload_downloads_as_attachment_with_nosniff(clerk_a, travellers, head_a, media):
    client = login(clerk_a)
    request = create_draft(client, *travellers)

    response = client.post(
        f"/doan-ra/{request.pk}/tai-lieu/",
        {"attachment-kind": "invitation",
         "attachment-file": SimpleUploadedFile("../../Thư mời.pdf", PDF_BYTES)},
    )  # fmt: skip

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Thư mời.pdf"
    assert attachment.file.name.startswith("attachments/") and "Th" not in attachment.file.name
    assert len(attachment.sha256) == 64
    download = login(head_a).get(f"/doan-ra/tai-lieu/{attachment.pk}/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "Thư mời.pdf" in client.get(f"/doan-ra/{request.pk}/").content.decode()


def test_member_search_offers_only_people_the_user_may_file_for(
    org, clerk_a, teacher_a, travellers
):
    make_staff("staff_b1", org.school_b, full_name="Nguyễn Văn Bê")

    clerk_results = login(clerk_a).get("/doan-ra/tim-thanh-vien/", {"member_q": "Nguyễn"})
    teacher_results = login(teacher_a).get("/doan-ra/tim-thanh-vien/", {"member_q": "Nguyễn"})

    assert "Nguyễn Văn Một" in clerk_results.content.decode()
    assert "Nguyễn Văn Bê" not in clerk_results.content.decode()
    # An applicant finds colleagues of her own unit (who then confirm), never another unit's.
    assert "Nguyễn Văn Một" in teacher_results.content.decode()
    assert "Nguyễn Văn Bê" not in teacher_results.content.decode()


def test_member_row_limits_passports_to_that_person(org, clerk_a, travellers):
    mine = PassportFactory(person=travellers[1], number="B1234567")
    PassportFactory(person=travellers[2], number="C7654321")
    stranger = make_staff("staff_b1", org.school_b)

    row = login(clerk_a).get(
        "/doan-ra/dong-thanh-vien/",
        {"person": travellers[1].pk, "members-TOTAL_FORMS": "1",
         "members-0-person": travellers[0].pk},
    )  # fmt: skip
    refused = login(clerk_a).get(
        "/doan-ra/dong-thanh-vien/", {"person": stranger.pk, "members-TOTAL_FORMS": "0"}
    )

    html = row.content.decode()
    assert 'name="members-1-person"' in html and f'value="{mine.pk}"' in html
    assert "•567" in html and "•321" not in html
    assert 'id="id_members-TOTAL_FORMS" value="2"' in html
    assert "Không tìm thấy người này" in refused.content.decode()


def test_list_shows_only_visible_requests_and_filters_by_status(clerk_a, travellers, head_b):
    client = login(clerk_a)
    draft = create_draft(client, *travellers, purpose="Hội thảo ở Seoul")
    submitted = create_draft(client, travellers[1], purpose="Khảo sát ở Osaka")
    submit(client, submitted)

    everything = client.get("/doan-ra/").content.decode()
    drafts = client.get("/doan-ra/", {"status": "draft"}).content.decode()

    assert "Hội thảo ở Seoul" in everything and "Khảo sát ở Osaka" in everything
    assert "Hội thảo ở Seoul" in drafts and "Khảo sát ở Osaka" not in drafts
    assert "Hội thảo ở Seoul" not in login(head_b).get("/doan-ra/").content.decode()
    assert draft.pk != submitted.pk


def test_editing_a_submitted_request_answers_with_the_409_page(clerk_a, travellers, head_a):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    submit(client, request)

    response = client.get(f"/doan-ra/{request.pk}/sua/")

    assert response.status_code == 409
    assert "Hồ sơ chỉ được sửa khi là bản nháp hoặc bị trả lại." in response.content.decode()
    assert f'href="/doan-ra/{request.pk}/"' in response.content.decode()


def test_withdraw_needs_a_reason_and_then_withdraws(clerk_a, travellers, head_a):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    submit(client, request)

    empty = client.post(f"/doan-ra/{request.pk}/rut/", {"withdraw-reason": ""})
    done = client.post(f"/doan-ra/{request.pk}/rut/", {"withdraw-reason": "Đối tác hoãn"})
    again = client.post(f"/doan-ra/{request.pk}/rut/", {"withdraw-reason": "Bấm lần hai"})

    assert empty.status_code == 400 and 'id="action-withdraw"' in empty.content.decode()
    assert done.status_code == 302
    assert "Đã rút" in client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert again.status_code == 409


def test_stale_edit_keeps_input_and_warns(clerk_a, travellers):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    stale = form_data(*travellers, purpose="Nội dung của tôi", version=str(request.version))
    client.post(f"/doan-ra/{request.pk}/sua/",
                form_data(*travellers, version=str(request.version)))  # fmt: skip

    response = client.post(f"/doan-ra/{request.pk}/sua/", stale)

    assert response.status_code == 409
    assert "vừa được người khác sửa" in response.content.decode()
    assert "Nội dung của tôi" in response.content.decode()


def test_preview_partial_names_route_approvers_and_expected_date(clerk_a, travellers, head_a):
    client = login(clerk_a)
    request = create_draft(client, *travellers)

    response = client.get(f"/doan-ra/{request.pk}/xem-truoc/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở GDĐT quyết định" in html
    assert html.index("Thủ trưởng đơn vị cho ý kiến") < html.index("Văn phòng Sở thẩm định")
    assert head_a.full_name in html
    assert "Dự kiến có quyết định" in html


def test_applicant_form_starts_with_themself_as_head_of_delegation(teacher_a):
    html = login(teacher_a).get("/doan-ra/moi/").content.decode()

    assert teacher_a.full_name in html
    assert f'name="members-0-person" value="{teacher_a.pk}"' in html


def test_departure_is_confirmed_from_the_approved_day_not_before_nor_in_the_future(
    clerk_a, travellers, head_a, dept_reviewer, director, monkeypatch
):
    client = login(clerk_a)
    request = create_draft(client, *travellers)
    submit(client, request)
    for person, step in ((head_a, "review_by_unit_head"), (dept_reviewer, "review_by_department"),
                         (director, "decide_by_director")):  # fmt: skip
        decide(login(person), open_task(request, step))
    request.refresh_from_db()
    departure = request.departure_date
    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert 'id="action-departure"' in page and 'id="action-withdraw"' not in page
    assert "có thể xác nhận xuất cảnh từ ngày đó" in page and f"{departure:%d/%m/%Y}" in page
    early = client.post(
        f"/doan-ra/{request.pk}/xuat-canh/", {"departure-date": datetime.date.today().isoformat()}
    )
    assert early.status_code == 400
    assert "có thể xác nhận xuất cảnh từ ngày đó" in early.content.decode()

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: departure)
    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert 'name="departure-date"' in page and f'value="{departure.isoformat()}"' not in page
    after = (departure + datetime.timedelta(days=1)).isoformat()
    future = client.post(f"/doan-ra/{request.pk}/xuat-canh/", {"departure-date": after})
    today = client.post(f"/doan-ra/{request.pk}/xuat-canh/", {"departure-date": departure})

    assert future.status_code == 400
    assert "Ngày xuất cảnh không được ở tương lai." in future.content.decode()
    assert today.status_code == 302
    assert "Đang ở nước ngoài" in client.get(f"/doan-ra/{request.pk}/").content.decode()
