"""Files no row names (an upload whose transaction rolled back) are set aside, then deleted.

The department may not keep a passport scan or an invitation with no record of it: the nightly
sweep (``approvals.tasks.sweep_orphan_files``, ``manage.py sweep_orphan_files``) moves such a
file to ``quarantine/<day>/`` once it is older than the grace period, and deletes it once it has
been there for the retention. A file a row names is never touched.
"""

from __future__ import annotations

import datetime
import time
from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from approvals import orphan_files
from approvals.job_leases import RunLease
from approvals.models import AuditEvent, Document, JobLease, OutboxMessage
from approvals.orphan_files import SWEPT_ROOTS, file_fields, stored_files, sweep_orphan_files
from config import celery_app
from delegations.models import Attachment
from delegations.services.attachments import attachment_add
from tests.conftest import login
from tests.flows import approve_all, draft, submit
from tests.threads import at_once

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
#: Past the default grace period (24 h) and, added to it, past the retention (30 days).
NEXT_DAY = datetime.timedelta(hours=25)
RETENTION = datetime.timedelta(days=30)


class Refused(Exception):
    """Whatever made the transaction roll back after the file was stored."""


def upload(name: str = "thu-moi.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES)


def rolled_back_upload(person: Any, request: Any) -> str:
    """An attachment stored, then its transaction rolled back: the name of the file left."""
    assert person.user is not None
    with pytest.raises(Refused), transaction.atomic():
        attachment = attachment_add(
            actor=person.user, request=request, kind="invitation", upload=upload()
        )
        name = attachment.file.name
        raise Refused
    assert not Attachment.objects.filter(file=name).exists()
    assert default_storage.exists(name)
    return name


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_file_left_by_a_rolled_back_upload_is_set_aside_then_deleted(org, teacher_a):
    request = draft(teacher_a)
    kept = attachment_add(
        actor=teacher_a.user, request=request, kind="programme", upload=upload("ct.pdf")
    )
    orphan = rolled_back_upload(teacher_a, request)
    now = timezone.now() + NEXT_DAY

    result = sweep_orphan_files(now=now)

    assert result.quarantined == [orphan]
    assert not default_storage.exists(orphan)
    set_aside = f"quarantine/{timezone.localdate(now).isoformat()}/{orphan}"
    with default_storage.open(set_aside, "rb") as handle:
        assert handle.read() == PDF_BYTES  # nothing lost yet: it can be put back
    # The attachment a row names is untouched and still served.
    download = login(teacher_a).get(f"/doan-ra/tai-lieu/{kept.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    [event] = events("storage.orphans_quarantined")
    assert event.after == {"count": 1, "names": [orphan]}

    # Within the retention the file stays set aside; after it, it is deleted for good.
    assert sweep_orphan_files(now=now + RETENTION - datetime.timedelta(days=1)).purged == []
    assert default_storage.exists(set_aside)
    assert sweep_orphan_files(now=now + RETENTION).purged == [set_aside]
    assert not default_storage.exists(set_aside)
    [purged] = events("storage.quarantine_purged")
    assert purged.after == {"count": 1, "names": [set_aside]}
    assert default_storage.exists(kept.file.name)


def test_a_file_younger_than_the_grace_period_is_left_alone(org, teacher_a):
    """A transaction may still be writing the row that names it."""
    orphan = rolled_back_upload(teacher_a, draft(teacher_a))
    result = sweep_orphan_files(now=timezone.now() + datetime.timedelta(hours=23))
    assert result.quarantined == []
    assert result.too_young == 1
    assert default_storage.exists(orphan)
    assert events("storage.orphans_quarantined") == []


def test_an_approvals_documents_and_an_e_mail_attachment_are_never_set_aside(
    org, agencies, teacher_a, head_a, dept_reviewer, director, django_capture_on_commit_callbacks
):
    request = draft(teacher_a, passports=True)
    submit(request, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(request, head_a, dept_reviewer, director)
    documents = list(Document.objects.filter(request_id=request.pk, request_kind="outbound"))
    assert documents and all(d.pdf and d.docx for d in documents)
    mailed = default_storage.save("reporting/1/2/bao-cao.pdf", ContentFile(PDF_BYTES))
    OutboxMessage.objects.create(to_address="a@b.test", subject="s", attachment=mailed)

    result = sweep_orphan_files(now=timezone.now() + NEXT_DAY)

    assert result.quarantined == []
    assert result.files >= 2 * len(documents) + 1
    for document in documents:
        assert default_storage.exists(document.pdf.name)
        assert default_storage.exists(document.docx.name)
    assert default_storage.exists(mailed)


def test_a_dry_run_lists_the_files_and_changes_nothing(org, teacher_a):
    orphan = rolled_back_upload(teacher_a, draft(teacher_a))
    result = sweep_orphan_files(now=timezone.now() + NEXT_DAY, dry_run=True)
    assert result.quarantined == [orphan]
    assert default_storage.exists(orphan)
    assert events("storage.orphans_quarantined") == []


def test_the_command_says_what_it_found_in_vietnamese(org, teacher_a, settings):
    settings.ORPHAN_FILE_GRACE_HOURS = 0
    orphan = rolled_back_upload(teacher_a, draft(teacher_a))
    out = StringIO()
    call_command("sweep_orphan_files", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"Tệp không ai nhắc tới: {orphan}" in text
    assert "Chạy thử, không thay đổi gì" in text
    assert "1 tệp chuyển vào nơi cách ly" in text
    assert default_storage.exists(orphan)

    out = StringIO()
    call_command("sweep_orphan_files", stdout=out)
    assert not default_storage.exists(orphan)
    assert "Chạy thử" not in out.getvalue()


def test_a_crash_between_the_copy_and_the_delete_loses_nothing(org, teacher_a, monkeypatch):
    """The copy is made first; a failed delete leaves both, and the next sweep finishes."""
    orphan = rolled_back_upload(teacher_a, draft(teacher_a))
    now = timezone.now() + NEXT_DAY
    storage_class = type(default_storage._wrapped)
    real_delete = storage_class.delete

    def delete_fails(self: Any, name: str) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(storage_class, "delete", delete_fails)
    first = sweep_orphan_files(now=now)
    assert first.quarantined == []
    assert first.errors == [f"{orphan}: disk went away"]
    assert default_storage.exists(orphan)

    monkeypatch.setattr(storage_class, "delete", real_delete)
    second = sweep_orphan_files(now=now)
    assert second.quarantined == [orphan]
    assert not default_storage.exists(orphan)
    day = f"quarantine/{timezone.localdate(now).isoformat()}/attachments"
    copies = list(stored_files(default_storage, day))
    assert len(copies) == 2  # the first sweep's copy is kept too: set aside, not lost


@pytest.mark.parametrize(("model", "name"), list(file_fields()), ids=lambda v: str(v))
def test_every_file_field_stores_under_a_swept_folder(model, name):
    """A model that stored elsewhere would leave its orphans behind for ever."""
    instance = model(pk=1)
    for attribute in ("agreement_id", "round_id", "unit_id"):
        if hasattr(instance, attribute):
            setattr(instance, attribute, 1)
    stored = model._meta.get_field(name).generate_filename(instance, "tep.pdf")
    assert stored.split("/")[0] in SWEPT_ROOTS


def test_beat_runs_the_sweep_nightly_on_the_reports_queue(settings):
    [entry] = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "approvals.tasks.sweep_orphan_files"
    ]  # fmt: skip
    assert entry["task"] in celery_app.tasks
    route = celery_app.amqp.router.route({}, entry["task"])
    assert route["queue"].name == "reports"


def test_the_moves_are_audited_as_the_run_goes_every_name_recorded(org, teacher_a, monkeypatch):
    """A worker killed halfway through a long sweep leaves its moves recorded: the events are
    written every few names, not once at the end, and together they name every file."""
    monkeypatch.setattr(orphan_files, "NAMES_LISTED", 2)
    request = draft(teacher_a)
    orphans = {rolled_back_upload(teacher_a, request) for _ in range(3)}
    sweep_orphan_files(now=timezone.now() + NEXT_DAY)
    written = events("storage.orphans_quarantined")
    assert sorted(e.after["count"] for e in written) == [1, 2]
    assert {name for e in written for name in e.after["names"]} == orphans


# --- one sweep at a time ----------------------------------------------------------------------


def test_a_sweep_started_while_another_runs_does_nothing_and_the_next_one_does(org, teacher_a):
    """Beat's nightly run and an administrator's command at once: the second would copy the
    same files into the quarantine again and audit every move twice."""
    orphan = rolled_back_upload(teacher_a, draft(teacher_a))
    now = timezone.now() + NEXT_DAY
    running = RunLease.take(orphan_files.JOB, datetime.timedelta(minutes=30))
    assert running is not None

    second = sweep_orphan_files(now=now)

    assert second.busy
    assert second.quarantined == [] and second.files == 0
    assert default_storage.exists(orphan)
    assert events("storage.orphans_quarantined") == []
    assert RunLease.take(orphan_files.JOB, datetime.timedelta(minutes=30)) is None  # still held

    running.give_back()
    third = sweep_orphan_files(now=now)
    assert not third.busy
    assert third.quarantined == [orphan]
    # The run gave the job back when it ended.
    assert RunLease.take(orphan_files.JOB, datetime.timedelta(minutes=30)) is not None


def test_a_run_that_died_holding_the_sweep_blocks_it_only_until_its_lease_runs_out(org, teacher_a):
    orphan = rolled_back_upload(teacher_a, draft(teacher_a))
    dead = RunLease.take(orphan_files.JOB, datetime.timedelta(minutes=30))
    assert dead is not None  # its worker is killed: it never gives the job back
    assert sweep_orphan_files(now=timezone.now() + NEXT_DAY).busy

    JobLease.objects.filter(name=orphan_files.JOB).update(
        held_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    result = sweep_orphan_files(now=timezone.now() + NEXT_DAY)
    assert result.quarantined == [orphan]


def test_a_run_stalled_past_its_lease_and_taken_over_stops_and_records_what_it_moved(
    org, teacher_a, monkeypatch
):
    request = draft(teacher_a)
    orphans = sorted(rolled_back_upload(teacher_a, request) for _ in range(3))
    taken_over: list[RunLease | None] = []
    real_set_aside = orphan_files._set_aside

    def stalled(storage: Any, name: str, day: datetime.date) -> None:
        real_set_aside(storage, name, day)
        if not taken_over:  # after the first move, the run stalls past its lease…
            JobLease.objects.filter(name=orphan_files.JOB).update(held_until=timezone.now())
            taken_over.append(RunLease.take(orphan_files.JOB, datetime.timedelta(minutes=30)))
            monkeypatch.setattr(RunLease, "keep", keep_now)  # …and looks at its lease again

    real_keep = RunLease.keep

    def keep_now(self: RunLease) -> None:
        # A third of the lease has passed (not ``renewed = 0``: the monotonic clock counts
        # from the machine's boot, which on a fresh CI machine was minutes ago).
        self.renewed = time.monotonic() - self.length.total_seconds()
        real_keep(self)

    monkeypatch.setattr(orphan_files, "_set_aside", stalled)
    result = sweep_orphan_files(now=timezone.now() + NEXT_DAY)

    assert taken_over[0] is not None  # the other run holds the job now
    assert len(result.quarantined) == 1  # this one stopped after its first move
    assert "một lượt dọn tệp khác đã tiếp quản" in result.errors[-1]
    [event] = events("storage.orphans_quarantined")
    assert event.after["names"] == result.quarantined  # what it moved is recorded
    assert [name for name in orphans if default_storage.exists(name)] == sorted(
        set(orphans) - set(result.quarantined)
    )
    # The job stays with the run that took it over.
    assert JobLease.objects.get(name=orphan_files.JOB).holder == taken_over[0].holder


def test_the_command_says_another_sweep_is_running(org):
    running = RunLease.take(orphan_files.JOB, datetime.timedelta(minutes=30))
    assert running is not None
    with pytest.raises(CommandError, match="Một lượt dọn tệp khác đang chạy"):
        call_command("sweep_orphan_files", stdout=StringIO())
    # A dry run changes nothing and needs no lease.
    out = StringIO()
    call_command("sweep_orphan_files", "--dry-run", stdout=out)
    assert "Chạy thử, không thay đổi gì" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_move_each_file_once(org, teacher_a):
    request = draft(teacher_a)
    orphans = {rolled_back_upload(teacher_a, request) for _ in range(4)}
    now = timezone.now() + NEXT_DAY

    def sweep() -> Any:
        result = sweep_orphan_files(now=now)
        return "busy" if result.busy else sorted(result.quarantined)

    results = at_once([sweep, sweep])

    assert sorted(results, key=str) == sorted(["busy", sorted(orphans)], key=str), results
    day = f"quarantine/{timezone.localdate(now).isoformat()}/attachments"
    assert len(list(stored_files(default_storage, day))) == len(orphans)  # one copy each
    [event] = events("storage.orphans_quarantined")
    assert set(event.after["names"]) == orphans
