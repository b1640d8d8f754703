"""The round's template file: a link on the round's board and on each unit's report page; the
file is served to the units that must report and to the Sở's staff, 404 for anyone else."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from delegations.models import UnitReport
from tests.conftest import login
from workflow.services import reporting_round_open

pytestmark = pytest.mark.django_db


def _template() -> bytes:
    document = docx.Document()
    document.add_paragraph("Mẫu báo cáo công tác đối ngoại")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


CONTENT = _template()


@pytest.fixture
def round_with_template(org, settings, tmp_path, dept_reviewer):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    return reporting_round_open(
        actor=dept_reviewer.user, title="Báo cáo năm", period_from=today - datetime.timedelta(30),
        period_to=today, deadline=today + datetime.timedelta(days=10), units=[org.school_a],
        template=SimpleUploadedFile("mau-bao-cao.docx", CONTENT),
    )  # fmt: skip


def download(person, round_):
    return login(person).get(f"/bao-cao/dot/{round_.pk}/mau/")


def test_a_school_that_need_not_report_cannot_download_the_template(
    round_with_template, head_b, clerk_a, dept_reviewer
):
    assert download(head_b, round_with_template).status_code == 404
    for person in (clerk_a, dept_reviewer):
        response = download(person, round_with_template)
        assert response.status_code == 200, person
        assert b"".join(response.streaming_content) == CONTENT
        assert "attachment" in response["Content-Disposition"]
        assert "mau-bao-cao" in response["Content-Disposition"]


def test_the_board_and_the_units_page_link_to_the_template(
    round_with_template, org, clerk_a, dept_reviewer
):
    link = f'href="/bao-cao/dot/{round_with_template.pk}/mau/"'
    assert link in login(dept_reviewer).get(f"/bao-cao/dot/{round_with_template.pk}/").text
    report = UnitReport.objects.get(round=round_with_template, unit=org.school_a)
    assert link in login(clerk_a).get(f"/bao-cao/don-vi/{report.pk}/").text


def test_a_round_without_a_template_has_no_link_and_no_file(org, client, dept_reviewer, clerk_a):
    today = timezone.localdate()
    round_ = reporting_round_open(
        actor=dept_reviewer.user, title="Không mẫu", period_from=today, period_to=today,
        deadline=today, units=[org.school_a],
    )  # fmt: skip
    assert download(dept_reviewer, round_).status_code == 404
    assert "/mau/" not in login(dept_reviewer).get(f"/bao-cao/dot/{round_.pk}/").text
    assert client.get(f"/bao-cao/dot/{round_.pk}/mau/").status_code == 302  # sign in first
    assert download(clerk_a, type("R", (), {"pk": 999999})()).status_code == 404
