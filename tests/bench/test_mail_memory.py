"""P6: the agencies' e-mails sent over and over do not make the sender grow (``make bench``).

The soaks saw the mail worker's memory climb slowly (docs/performance.md, *Soak*). This bench
takes the worker's machinery away and keeps its work: one approval's two agency e-mails, with
their PDFs signed again each time, sent again and again through the Celery task a mail worker runs
(``send_messages``, traced as a worker traces it) to a real SMTP server on this machine. After a
warm-up it prints the resident memory every stretch and then, over a last stretch under
``tracemalloc``, where the Python heap grew; it fails when the memory grows by more than
:data:`GROWTH_TARGET_MB` per 1,000 e-mails. ``BENCH_MAIL_SENDS`` sets the number of e-mails
(default 500, after a warm-up of 300).
"""

from __future__ import annotations

import datetime
import gc
import os
import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from approvals.models import (
    AgencyNotification,
    DocumentSignature,
    MessageStatus,
    NoticeStatus,
    OutboxMessage,
    SignatureKind,
)
from approvals.outbox import send_messages
from tests.bench.report import Table, yardstick_ms
from tests.bench.test_export_memory import rss_mb
from tests.factories import UnitFactory
from tests.flows import approve_all, submitted
from tests.workers import running_sink

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

SENDS = int(os.environ.get("BENCH_MAIL_SENDS", "500"))
#: E-mails sent before the first reading: templates, fonts, the certificate, connections, and
#: the signing's own caches (the resident memory rises by 3–5 MB over the first 300 e-mails,
#: then holds: measured 2026-12-02, docs/performance.md).
WARM_UP = 300
STRETCHES = 5
TRACED = 100  # e-mails sent under tracemalloc, at the end
#: Growth allowed per 1,000 e-mails once warm (the soaks' mail worker grew about 2.6 MB per
#: 1,000 it sent: a growth at that rate is caught).
GROWTH_TARGET_MB = 2.0


def test_sending_the_agencies_mail_again_and_again_does_not_grow_the_sender(
    settings, org, teacher_a, head_a, dept_reviewer, director
):
    UnitFactory(code="CATP", name="Công an Thành phố", kind="agency", email="pa08@ca.test")
    UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency", email="songv@sngv.test")
    request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
    notifications = AgencyNotification.objects.filter(request_id=request.pk)
    ids = list(
        OutboxMessage.objects.filter(notification__in=notifications).values_list("pk", flat=True)
    )
    assert len(ids) == 2

    with running_sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = sink.server_address[:2]

        def send_again() -> None:
            """The two e-mails due again, and sent as a mail worker sends them: the approval's
            documents signed with the organisation's certificate again (as each new approval's
            are), the signed PDFs attached."""
            signatures = DocumentSignature.objects.filter(
                document__request_id=request.pk, kind=SignatureKind.ORGANISATION
            )
            for signed in signatures:
                default_storage.delete(signed.pdf.name)
            signatures.delete()  # the bench's own doing: the product never deletes one
            due = timezone.now() - datetime.timedelta(seconds=1)
            OutboxMessage.objects.filter(pk__in=ids).update(
                status=MessageStatus.PENDING, attempts=0, next_attempt_at=due
            )
            notifications.update(status=NoticeStatus.SENT)
            assert send_messages.apply(args=[ids]).get() == ["sent", "sent"]
            assert len(sink.received) == 2  # each e-mail reached the server
            assert sink.received[0][1].get_content_type() == "multipart/mixed"
            assert signatures.count() == 2  # signed again
            sink.received.clear()

        rounds = max(STRETCHES, SENDS // len(ids))
        for _ in range(WARM_UP // len(ids)):
            send_again()
        gc.collect()
        rss = [rss_mb()]
        for _ in range(STRETCHES):
            for _ in range(rounds // STRETCHES):
                send_again()
            gc.collect()
            rss.append(rss_mb())
        # One more stretch under tracemalloc (it slows Python down several times): where the
        # heap grows, if it does.
        tracemalloc.start(25)
        heap_before = tracemalloc.take_snapshot()
        for _ in range(TRACED // len(ids)):
            send_again()
        gc.collect()
        heap_after = tracemalloc.take_snapshot()
        tracemalloc.stop()

    sent = rounds // STRETCHES * STRETCHES * len(ids)
    growth = rss[-1] - rss[0]
    allowed = max(1.0, GROWTH_TARGET_MB * sent / 1000)
    # Not the sender's: the test's SMTP server and pytest's capture of the log.
    bench_side = [
        tracemalloc.Filter(False, pattern, all_frames=True)
        for pattern in ("*/tests/workers.py", "*/_pytest/*", tracemalloc.__file__)
    ]
    heap = heap_after.filter_traces(bench_side).compare_to(
        heap_before.filter_traces(bench_side), "lineno"
    )
    table = Table(f"P6 the sender's memory over {sent:,} agency e-mails (signed PDFs, SMTP)")
    table.add("machine yardstick", f"{yardstick_ms():.1f} ms (about 12 ms on an idle core)")
    table.add("resident memory by stretch", ", ".join(f"{mb:.1f}" for mb in rss) + " MB")
    table.add("growth after the warm-up", f"{growth:+.1f} MB", f"≤ {allowed:.1f} MB",
              growth <= allowed)  # fmt: skip
    table.add(f"Python heap growth over {TRACED} more",
              f"{sum(s.size_diff for s in heap) / 1024:+.1f} KiB")  # fmt: skip
    for stat in heap[:3]:
        where = stat.traceback[0]
        table.add(f"  {where.filename.rsplit('/', 3)[-1][-40:]}:{where.lineno}",
                  f"{stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+} blocks")  # fmt: skip
    print(table.render())
    assert not table.misses, table.misses
