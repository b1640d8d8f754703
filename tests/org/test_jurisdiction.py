"""The city's and the Sở's names and the report's dates come from the admin-edited jurisdiction
row (org.Jurisdiction) when there is one; without one, the HCMC texts and the settings."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from approvals.record.reports import annual_report, report_period
from org.demo import HP_JURISDICTION
from org.models import Jurisdiction
from tests.conftest import login

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def haiphong(db):
    """Hải Phòng's row as ``seed_demo --city haiphong`` writes it."""
    return Jurisdiction.objects.create(**HP_JURISDICTION)


def test_pages_name_the_jurisdictions_department(haiphong, org, auditor):
    page = login(auditor).get("/bao-cao/nam/?year=2026").content.decode()
    assert "Sở Giáo dục và Đào tạo thành phố Hải Phòng" in page
    assert "Hồ Chí Minh" not in page
    assert "Kỳ báo cáo từ 11/12/2025 đến 10/12/2026" in page


def test_the_report_dates_come_from_the_admin_row(haiphong, settings):
    settings.ANNUAL_REPORT_DEADLINE = "10-15"
    assert annual_report(2026).deadline == D(2026, 12, 10)
    assert report_period(2026) == (D(2025, 12, 11), D(2026, 12, 10))
    haiphong.report_deadline = haiphong.report_period_start = ""
    haiphong.save()
    assert annual_report(2026).deadline == D(2026, 10, 15)  # the setting again


def test_without_a_row_the_pages_keep_the_built_in_names(org, auditor):
    page = login(auditor).get("/bao-cao/").content.decode()
    assert "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh" in page


def test_a_malformed_date_is_refused_in_the_admin(haiphong):
    haiphong.report_deadline = "31-12"
    with pytest.raises(ValidationError) as error:
        haiphong.full_clean()
    assert "report_deadline" in error.value.message_dict
