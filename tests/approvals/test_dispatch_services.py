"""End to end on PostgreSQL, Redis, a real Celery worker and an SMTP sink: dispatch to agencies.

An approved request's two agency notifications are released by the văn thư; the worker sends
each e-mail with the signed PDFs of the notification letter and the decision; pyHanko validates
the signatures in the files the sink received; the audit log shows prepared → sent → delivered;
a paper acknowledgement recorded on the staff page closes the obligation.
"""

from __future__ import annotations

import io
import time

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from approvals.models import AgencyNotification, Document, OutboxMessage
from approvals.notifications import agency_notification_release
from config import celery_app
from tests.approvals.dispatch_helpers import acknowledge
from tests.approvals.record_helpers import audit_actions
from tests.conftest import login
from tests.flows import approve_all, submitted
from tests.workers import start_worker, stop

WANTED = {"pa08@ca.test", "songv@sngv.test"}


def _wait(condition, worker, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        assert worker.poll() is None, worker.stdout.read().decode() if worker.stdout else ""
        time.sleep(0.2)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_agency_mail_carries_signed_pdfs_and_a_paper_acknowledgement_closes_it(
    settings, org, agencies, teacher_a, head_a, dept_reviewer, director, smtp_sink, test_pki
):
    settings.AGENCY_DISPATCH_AUTO = False  # the văn thư releases each notification
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    celery_app.control.purge()
    worker = start_worker(smtp_sink)
    try:
        request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
        notifications = list(AgencyNotification.objects.filter(request_id=request.pk))
        assert {n.status for n in notifications} == {"pending"}  # prepared, held
        documents = Document.objects.filter(request_kind="outbound", request_id=request.pk)
        assert documents.count() == 2
        _wait(lambda: not documents.filter(rendered_at__isnull=True).exists(), worker)
        rows = OutboxMessage.objects.filter(notification__request_id=request.pk)
        assert set(rows.values_list("status", flat=True)) == {"held"}  # nothing goes unreleased
        assert not [r for r, _m in smtp_sink.received if set(r) & WANTED]

        for notification in notifications:
            agency_notification_release(notification=notification, actor=dept_reviewer.user)

        _wait(
            lambda: {to for r, _m in smtp_sink.received for to in r} >= WANTED
            and not rows.exclude(status="sent").exists(),
            worker,
        )
        context = ValidationContext(trust_roots=[test_pki.ca.asn1()], allow_fetching=False)
        agency_mail = [m for r, m in smtp_sink.received if set(r) & WANTED]
        assert len(agency_mail) == 2
        for message in agency_mail:
            files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
            assert sorted(name.split("-")[0] for name in files) == ["cong", "quyet"]
            for data in files.values():
                embedded = list(PdfFileReader(io.BytesIO(data)).embedded_signatures)
                assert embedded
                for signature in embedded:
                    status = validate_pdf_signature(signature, signer_validation_context=context)
                    assert status.intact and status.valid and status.trusted
                    assert status.coverage.name == "ENTIRE_FILE"

        for notification in notifications:
            notification.refresh_from_db()
            assert notification.status == "delivered"
            actions = audit_actions(
                action__startswith="notification.", after__notification=notification.pk
            )
            assert actions == [
                "notification.prepared",
                "notification.sent",
                "notification.delivered",
            ]

        police = next(n for n in notifications if n.agency.email == "pa08@ca.test")
        office = login(dept_reviewer)
        page = office.get("/cong-van-di/").content.decode()
        assert f'data-notification="{police.pk}"' in page
        acknowledge(office, police, via="paper", note="CV số 12/PA08", by=dept_reviewer)
        page = office.get("/cong-van-di/").content.decode()
        assert f'data-notification="{police.pk}"' not in page
    finally:
        conf.task_always_eager = eager
        stop([worker])
