"""The MOU register: a school's proposal through its approval path, signing, linked trips and
visits as activities, expiry reminders once, who sees which MOU, the API and the export."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from approvals.models import AuditEvent, Notice, OutboxMessage
from approvals.record.reports import annual_report, report_year_of
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.models import Agreement, AgreementAlert, AgreementStatus, Partner
from delegations.selectors import agreement_activities
from delegations.services.agreements import (
    AgreementInput,
    agreement_activity_add,
    agreement_record_signing,
    agreements_refresh,
)
from delegations.services.inbound import inbound_create
from delegations.services.outbound import outbound_create
from tests.approvals.record_helpers import audit_actions
from tests.conftest import login
from tests.delegations.inbound_helpers import visit_input
from tests.delegations.outbound_helpers import outbound_input
from tests.flows import approve_all, open_task, submit
from workflow.services import agreement_submit, request_submit, task_complete

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Đại học Osaka", name_en="Osaka University", country="JP")


def proposal(person, unit, partner, **kwargs):
    data = AgreementInput(
        partner_id=partner.pk, title="Biên bản ghi nhớ trao đổi giáo viên", scope="Trao đổi GV"
    )
    for key, value in kwargs.items():
        setattr(data, key, value)
    return agreement_submit(actor=person.user, unit=unit, data=data)


def in_force(org, partner, unit=None, **dates):
    return Agreement.objects.create(
        partner=partner, unit=unit or org.school_a, title="MOU", signed_on=D(2024, 1, 10), **dates
    )


def test_a_schools_proposal_goes_through_head_department_and_director(
    org, clerk_a, head_a, dept_reviewer, director, partner
):
    agreement = proposal(clerk_a, org.school_a, partner)
    assert agreement.status == AgreementStatus.PROPOSED
    assert open_task(agreement).flow_task.name == "review_agreement_by_unit_head"
    # The proposer never decides; the department cannot take the head's step.
    with pytest.raises(PermissionDenied):
        task_complete(task_id=open_task(agreement).pk, user=clerk_a.user, action="approve")
    with pytest.raises(PermissionDenied):
        task_complete(task_id=open_task(agreement).pk, user=director.user, action="approve")
    approve_all(agreement, head_a)
    assert open_task(agreement).flow_task.name == "review_agreement_by_department"
    approve_all(agreement, dept_reviewer)
    assert open_task(agreement).flow_task.name == "decide_agreement_by_director"
    approve_all(agreement, director)
    assert agreement.status == AgreementStatus.APPROVED
    assert audit_actions(object_type="delegations.agreement", object_id=str(agreement.pk)) == [
        "agreement.proposed",
        "agreement.review_agreement_by_unit_head.approve",
        "agreement.review_agreement_by_department.approve",
        "agreement.decide_agreement_by_director.approve",
    ]
    # Signed: in force from its dates; a trip linked to it is one of its activities.
    today = timezone.localdate()
    signed = agreement_record_signing(
        actor=head_a.user, agreement=agreement, signed_on=today,
        expires_on=today + datetime.timedelta(days=5 * 365),
    )  # fmt: skip
    assert signed.status == AgreementStatus.IN_FORCE


def test_a_head_proposing_skips_her_own_step_and_a_refusal_needs_a_reason(
    org, head_a, dept_reviewer, partner
):
    agreement = proposal(head_a, org.school_a, partner)
    task = open_task(agreement)
    assert task.flow_task.name == "review_agreement_by_department"
    with pytest.raises(ValidationError):
        task_complete(task_id=task.pk, user=dept_reviewer.user, action="reject")
    task_complete(task_id=task.pk, user=dept_reviewer.user, action="reject", comment="Trùng lặp")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REJECTED
    with pytest.raises(StateConflict):
        agreement_record_signing(actor=head_a.user, agreement=agreement, signed_on=D(2026, 1, 1))


def test_a_bad_proposal_is_a_clear_error(org, clerk_a, head_b, partner):
    with pytest.raises(ValidationError) as error:
        proposal(clerk_a, org.school_a, partner, title=" ", expires_on=D(2020, 1, 1),
                 effective_on=D(2021, 1, 1))  # fmt: skip
    assert set(error.value.message_dict) == {"title", "expires_on"}
    with pytest.raises(PermissionDenied):
        proposal(head_b, org.school_a, partner)  # another school's head


def test_linked_trip_and_visit_and_free_entries_are_its_activities(
    org, teacher_a, clerk_a, head_a, dept_reviewer, director, partner
):
    agreement = in_force(org, partner)
    data = outbound_input(teacher_a, agreement_id=agreement.pk)
    trip = outbound_create(actor=teacher_a.user, data=data)
    submit(trip, teacher_a)
    approve_all(trip, head_a, dept_reviewer, director)
    visit = linked_visit(clerk_a, agreement)
    agreement_activity_add(
        actor=head_a.user, agreement=agreement, held_on=D(2026, 5, 1), description="Hội thảo"
    )
    kinds = sorted(row["kind"] for row in agreement_activities(agreement))
    assert kinds == ["activity", "inbound", "outbound"]
    page = login(head_a).get(f"/bien-ban-ghi-nho/{agreement.pk}/").content.decode()
    assert trip.reference in page and visit.reference in page and "Hội thảo" in page
    # The annual report of the trip's period counts the trip as an activity of the MOU.
    report = annual_report(report_year_of(trip.departure_date))
    line = next(a for a in report.agreements if a.pk == agreement.pk)
    assert [a["kind"] for a in line.activities if a["kind"] == "outbound"] == ["outbound"]


def linked_visit(clerk, agreement):
    visit = inbound_create(actor=clerk.user, data=visit_input(agreement_id=agreement.pk))
    request_submit(actor=clerk.user, request=visit)
    visit.refresh_from_db()
    return visit


def test_a_request_may_not_name_another_schools_or_a_proposed_mou(org, teacher_a, head_b, partner):
    other = in_force(org, partner, unit=org.school_b)
    proposed = Agreement.objects.create(
        partner=partner, unit=org.school_a, title="Đề xuất", status=AgreementStatus.PROPOSED
    )
    for agreement in (other, proposed):
        with pytest.raises(ValidationError) as error:
            outbound_create(
                actor=teacher_a.user, data=outbound_input(teacher_a, agreement_id=agreement.pk)
            )
        assert "agreement" in error.value.message_dict
    # The Sở's own MOUs may be named by every school.
    sos = in_force(org, partner, unit=org.department)
    trip = outbound_create(
        actor=teacher_a.user, data=outbound_input(teacher_a, agreement_id=sos.pk)
    )
    assert trip.agreement_id == sos.pk


def test_an_mou_expiring_in_30_days_is_reminded_once(org, head_a, partner):
    today = D(2026, 6, 1)
    agreement = in_force(org, partner, expires_on=today + datetime.timedelta(days=30))
    first = agreements_refresh(today=today)
    again = agreements_refresh(today=today)
    next_day = agreements_refresh(today=today + datetime.timedelta(days=1))
    assert first == {"status_changes": 1, "reminders": 1}
    assert again == {"status_changes": 0, "reminders": 0}
    assert next_day == {"status_changes": 0, "reminders": 0}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRING
    assert AgreementAlert.objects.filter(agreement=agreement).count() == 1
    mails = OutboxMessage.objects.filter(to_address=head_a.user.email)
    assert mails.count() == 1
    assert "hết hiệu lực ngày 01/07/2026" in mails.get().subject
    assert Notice.objects.filter(user=head_a.user).count() == 1
    # After the expiry date: expired, audited, no more reminders.
    assert agreements_refresh(today=D(2026, 7, 2)) == {"status_changes": 1, "reminders": 0}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED
    assert AuditEvent.objects.filter(action="agreement.status_changed").count() == 2


def test_reminders_at_90_then_30_days(org, head_a, partner):
    expiry = D(2026, 12, 31)
    agreement = in_force(org, partner, expires_on=expiry)
    assert agreements_refresh(today=expiry - datetime.timedelta(days=120))["reminders"] == 0
    assert agreements_refresh(today=expiry - datetime.timedelta(days=85))["reminders"] == 1
    assert agreements_refresh(today=expiry - datetime.timedelta(days=60))["reminders"] == 0
    assert agreements_refresh(today=expiry - datetime.timedelta(days=29))["reminders"] == 1
    days = sorted(
        AgreementAlert.objects.filter(agreement=agreement).values_list("days_before", flat=True)
    )
    assert days == [30, 90]


def test_units_see_their_own_mous_and_the_department_all(
    org, head_a, head_b, dept_reviewer, teacher_a, partner
):
    mine = in_force(org, partner)
    theirs = in_force(org, partner, unit=org.school_b)
    listed = login(head_a).get("/api/v1/agreements/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk] and listed["next"] is None
    assert login(head_a).get(f"/api/v1/agreements/{theirs.pk}/").status_code == 404
    assert login(head_a).get(f"/bien-ban-ghi-nho/{theirs.pk}/").status_code == 404
    assert login(teacher_a).get("/api/v1/agreements/").json()["results"] == []
    everything = login(dept_reviewer).get("/api/v1/agreements/").json()["results"]
    assert {row["id"] for row in everything} == {mine.pk, theirs.pk}
    detail = login(head_b).get(f"/api/v1/agreements/{theirs.pk}/").json()
    assert detail["partner"]["country"] == "JP" and detail["activities"] == []
    assert login(head_a).get("/api/v1/agreements/?status=nonsense").status_code == 400
    assert login(head_a).get("/api/v1/agreements/?format=pdf").status_code == 400


def test_the_register_exports_as_xlsx(org, dept_reviewer, partner):
    in_force(org, partner, expires_on=D(2029, 1, 9))
    response = login(dept_reviewer).get("/api/v1/agreements/?format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Số", "Tên văn bản", "Đối tác")
    assert rows[1][2] == "Đại học Osaka" and rows[1][5] == "Đang có hiệu lực"
    assert rows[1][8].date() == D(2029, 1, 9)


def test_the_api_proposes_signs_and_records_activities(
    org, clerk_a, head_a, dept_reviewer, director, partner
):
    client = login(clerk_a)
    bad = client.post(
        "/api/v1/agreements/", {"partner": partner.pk}, content_type="application/json"
    )
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    created = client.post(
        "/api/v1/agreements/",
        {"partner": partner.pk, "title": "MOU Osaka", "scope": "Trao đổi"},
        content_type="application/json",
    )
    assert created.status_code == 201
    agreement = Agreement.objects.get(pk=created.json()["id"])
    approve_all(agreement, head_a, dept_reviewer, director)
    future = timezone.localdate() + datetime.timedelta(days=1)
    refused = login(head_a).post(
        f"/api/v1/agreements/{agreement.pk}/signed/", {"signed_on": future.isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400
    signed = login(head_a).post(
        f"/api/v1/agreements/{agreement.pk}/signed/",
        {"signed_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert signed.status_code == 200 and signed.json()["status"] == "in_force"
    activity = client.post(
        f"/api/v1/agreements/{agreement.pk}/activities/",
        {"held_on": "2026-05-01", "description": "Trao đổi giáo án"},
        content_type="application/json",
    )
    assert activity.status_code == 201
    assert activity.json()["activities"][0]["text"] == "Trao đổi giáo án"


def test_the_head_decides_a_proposal_on_its_task_page(org, clerk_a, head_a, head_b, partner):
    agreement = proposal(clerk_a, org.school_a, partner)
    task = open_task(agreement)
    assert login(head_b).get(f"/viec/{task.pk}/").status_code == 404
    page = login(head_a).get(f"/viec/{task.pk}/")
    assert page.status_code == 200
    assert "Biên bản ghi nhớ trao đổi giáo viên" in page.content.decode()
    assert login(head_a).post(f"/viec/{task.pk}/", {"action": "approve"}).status_code == 302
    assert open_task(agreement).flow_task.name == "review_agreement_by_department"


def test_files_are_checked_by_content_and_an_mou_can_be_ended(org, head_a, head_b, partner):
    agreement = in_force(org, partner)
    client = login(head_a)
    pdf = SimpleUploadedFile(
        "mou.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    added = client.post(f"/api/v1/agreements/{agreement.pk}/files/", {"file": pdf})
    assert added.status_code == 201 and added.json()["files"][0]["name"] == "mou.pdf"
    fake = SimpleUploadedFile("mou.pdf", b"<html><script>alert(1)</script></html>")
    assert (
        client.post(f"/api/v1/agreements/{agreement.pk}/files/", {"file": fake}).status_code == 400
    )
    assert client.post(f"/api/v1/agreements/{agreement.pk}/files/", {}).status_code == 400
    other = login(head_b).post(f"/api/v1/agreements/{agreement.pk}/files/", {"file": pdf})
    assert other.status_code == 404
    no_reason = client.post(
        f"/api/v1/agreements/{agreement.pk}/terminate/",
        {"terminated_on": "2026-06-30", "reason": " "}, content_type="application/json",
    )  # fmt: skip
    assert no_reason.status_code == 400
    ended = client.post(
        f"/api/v1/agreements/{agreement.pk}/terminate/",
        {"terminated_on": "2026-06-30", "reason": "Đối tác giải thể"},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    again = client.post(
        f"/api/v1/agreements/{agreement.pk}/terminate/",
        {"terminated_on": "2026-07-01", "reason": "Lần hai"}, content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="agreement.terminated").count() == 1
