"""``seed_demo --city haiphong``: Hải Phòng's Sở, its Phòng Tổ chức - Hành chính, its 10/12
deadline and its own units; its pages and its consolidated report carry no HCMC names."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from docx import Document as DocxDocument

from approvals.record.reports import annual_report, report_period
from org.models import Jurisdiction, Unit
from workflow.services import reporting_round_open

pytestmark = pytest.mark.django_db
D = datetime.date
HCMC = ("Hồ Chí Minh", "TP.HCM", "HCM", "Ho Chi Minh")


def hcmc_names(text: str) -> list[str]:
    """The HCMC names in ``text`` as words: a random token (CSRF, CSP nonce) may hold "HCM"."""
    return [
        name for name in HCMC
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text)
    ]  # fmt: skip


@pytest.fixture
def haiphong(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", city="haiphong", force=True, stdout=out)
    return out.getvalue()


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_haiphong_demo_has_its_own_set_up(haiphong):
    assert "gd.hp" in haiphong and "Phòng Tổ chức - Hành chính" in haiphong
    jurisdiction = Jurisdiction.current()
    assert (
        jurisdiction is not None and jurisdiction.reviewing_office == "Phòng Tổ chức - Hành chính"
    )
    assert annual_report(2026).deadline == D(2026, 12, 10)
    assert report_period(2026) == (D(2025, 12, 11), D(2026, 12, 10))
    assert not Unit.objects.filter(name__contains="Hồ Chí Minh").exists()
    again = io.StringIO()
    call_command("seed_demo", city="haiphong", force=True, stdout=again)
    assert "Đã tạo 0, cập nhật 0" in again.getvalue()


@pytest.mark.parametrize("username", ["ht.hp1", "cv.hp", "thanhtra.hp"])
def test_its_pages_carry_no_hcmc_name(haiphong, client, username):
    client.force_login(user(username))
    for url in ("/", "/doan-ra/", "/doan-vao/", "/viec/", "/bao-cao/", "/bao-cao/nam/",
                "/bao-cao/dot/", "/bien-ban-ghi-nho/", "/danh-ba/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        html = response.content.decode()
        assert not hcmc_names(html), url
    assert "Sở Giáo dục và Đào tạo thành phố Hải Phòng" in client.get("/").content.decode()


def test_its_consolidated_report_is_headed_by_its_own_department(haiphong, client):
    today = datetime.date.today()
    schools = list(Unit.objects.filter(code__startswith="HP-THPT"))
    round_ = reporting_round_open(
        actor=user("cv.hp"), title="Báo cáo năm", period_from=today - datetime.timedelta(days=30),
        period_to=today, deadline=today, units=schools,
    )  # fmt: skip
    client.force_login(user("cv.hp"))
    document = DocxDocument(
        io.BytesIO(client.get(f"/bao-cao/dot/{round_.pk}/tong-hop.docx").content)
    )
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([*cells, *(p.text for p in document.paragraphs)])
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HẢI PHÒNG" in text
    assert not hcmc_names(text)
