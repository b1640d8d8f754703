"""Documents over HTTP: the API's shape, files as attachments, 404 for what one may not see."""

import pytest

from tests.approvals.record_helpers import documents_of, pdf_text
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_document_api_gives_number_issue_date_request_and_hash(trip, teacher_a):
    decision = documents_of(trip)["outbound_decision"]
    response = login(teacher_a).get(f"/api/v1/documents/{decision.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == decision.pk
    assert body["kind"] == "outbound_decision"
    assert body["number"] == "01/QĐ-SGDĐT"
    assert body["issued_on"] == decision.issued_on.isoformat()
    assert body["request"] == {"kind": "outbound", "id": trip.pk, "reference": trip.reference}
    assert body["sha256"] == decision.pdf_sha256
    assert body["current"] is True


def test_document_file_is_served_as_an_attachment_with_nosniff(trip, teacher_a):
    decision = documents_of(trip)["outbound_decision"]
    client = login(teacher_a)
    pdf = client.get(f"/api/v1/documents/{decision.pk}/file/?format=pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="quyet-dinh-01-qd-sgddt.pdf"'
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert "Trần Thị Lan" in pdf_text(pdf.content)
    docx = client.get(f"/api/v1/documents/{decision.pk}/file/?format=docx")
    assert docx.status_code == 200
    assert docx["Content-Disposition"].endswith('.docx"')
    assert docx.content.startswith(b"PK")


def test_unknown_file_format_is_a_400_in_vietnamese(trip, teacher_a):
    decision = documents_of(trip)["outbound_decision"]
    response = login(teacher_a).get(f"/api/v1/documents/{decision.pk}/file/?format=exe")
    assert response.status_code == 400
    assert response.json() == {"errors": {"format": ["Định dạng phải là pdf hoặc docx."]}}


def test_head_of_other_school_gets_404_for_the_document_and_its_file(trip, head_b):
    decision = documents_of(trip)["outbound_decision"]
    client = login(head_b)
    assert client.get(f"/api/v1/documents/{decision.pk}/").status_code == 404
    assert client.get(f"/api/v1/documents/{decision.pk}/file/?format=pdf").status_code == 404
    assert client.get(f"/van-ban/{decision.pk}/tai-ve/?format=pdf").status_code == 404
    assert client.get(f"/api/v1/documents/{decision.pk + 1000}/").status_code == 404


def test_anonymous_caller_gets_401(trip, client):
    decision = documents_of(trip)["outbound_decision"]
    assert client.get(f"/api/v1/documents/{decision.pk}/").status_code == 401


def test_request_detail_lists_its_documents_with_their_links(trip, teacher_a):
    body = login(teacher_a).get(f"/api/v1/outbound/{trip.pk}/").json()
    numbers = {d["kind"]: d["number"] for d in body["documents"]}
    assert numbers == {"outbound_decision": "01/QĐ-SGDĐT", "outbound_notice": "01/GDĐT-VP"}
    links = body["documents"][0]["files"]
    assert links["pdf"].endswith("?format=pdf")


def test_request_page_offers_the_decision_for_download(trip, teacher_a):
    decision = documents_of(trip)["outbound_decision"]
    client = login(teacher_a)
    page = client.get(f"/doan-ra/{trip.pk}/")
    assert page.status_code == 200
    link = f"/van-ban/{decision.pk}/tai-ve/?format=pdf"
    assert link in page.content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")


def test_auditor_sees_every_document_on_the_documents_page(trip, auditor):
    page = login(auditor).get("/van-ban/")
    assert page.status_code == 200
    assert "01/QĐ-SGDĐT" in page.content.decode()


def test_reviewer_reissues_and_a_teacher_may_not(trip, teacher_a, dept_reviewer):
    decision = documents_of(trip)["outbound_decision"]
    url = f"/api/v1/documents/{decision.pk}/reissue/"
    refused = login(teacher_a).post(url, {"reason": "Sửa"}, content_type="application/json")
    assert refused.status_code == 403
    client = login(dept_reviewer)
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 400
    assert "reason" in missing.json()["errors"]
    created = client.post(url, {"reason": "Sửa chức vụ"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["version"] == 2
    again = client.post(url, {"reason": "Lần nữa"}, content_type="application/json")
    assert again.status_code == 409
    old = client.get(f"/api/v1/documents/{decision.pk}/").json()
    assert old["current"] is False
