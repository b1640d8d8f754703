"""Periodic work of the approvals app (thin: call a service).

The outbox's own tasks (``approvals.tasks.send_message``, ``approvals.tasks.sweep_outbox``) are
defined beside their service in :mod:`approvals.outbox`, the documents' render task in
:mod:`approvals.documents.services`, the deadline reminders in :mod:`workflow.tasks`; their
names are kept because beat's schedule and messages already queued use them. They are imported
here so that a worker, which imports each app's ``tasks`` module, knows them all.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import before_task_publish, celeryd_after_setup

from approvals import permissions
from approvals.audit import verification_run
from approvals.checkpoint_mail import checkpoint_write_and_mail
from approvals.documents import fonts
from approvals.documents.services import render_document
from approvals.heartbeat import TASK_NAME as HEARTBEAT_TASK
from approvals.heartbeat import heartbeat_mark
from approvals.notifications import agency_notices_escalate
from approvals.orphan_files import sweep_orphan_files as orphan_files_sweep
from approvals.outbox import send_message, sweep_outbox
from workflow.services import tasks_release_lost_roles

logger = logging.getLogger(__name__)

__all__ = [
    "escalate_agency_notices",
    "heartbeat",
    "render_document",
    "send_message",
    "sweep_orphan_files",
    "sweep_outbox",
    "sync_all_unit_permissions",
    "verify_audit_log",
    "write_audit_checkpoint",
]


@shared_task
def sync_all_unit_permissions() -> int:
    """Nightly: acting assignments that start or end today take effect in the grants.

    Claimed tasks of an acting assignment that just ended go back to the role's queue.
    """
    count = permissions.sync_all_unit_permissions()
    tasks_release_lost_roles()
    return count


@shared_task(name=HEARTBEAT_TASK, ignore_result=True, expires=120)
def heartbeat() -> None:
    """Every 30 s from beat: a worker is alive and taking tasks (approvals/heartbeat.py)."""
    heartbeat_mark("worker")


@before_task_publish.connect
def _beat_sent_heartbeat(sender: str | None = None, **kwargs: Any) -> None:
    """Beat is alive: it just sent the heartbeat (whoever sends it counts)."""
    if sender == HEARTBEAT_TASK:
        heartbeat_mark("beat")


@celeryd_after_setup.connect
def _fonts_narrowed_before_the_pool(sender: str, instance: Any, **kwargs: Any) -> None:
    """A worker that renders documents narrows the PDF fonts as it starts, before it forks its
    pool processes, which share them: the first document of a burst is not 1.5 s late."""
    if "documents" in instance.app.amqp.queues.consume_from:
        fonts.warm()


@shared_task(ignore_result=True)
def escalate_agency_notices() -> int:
    """Daily: agency notifications nobody acknowledged in time go to the department reviewers."""
    return agency_notices_escalate()


@shared_task(ignore_result=True)
def write_audit_checkpoint() -> int:
    """Hourly: verify the audit log since the last checkpoint and append a signed checkpoint.

    Returns the number of events checkpointed, or -1 when the log no longer matches (logged as an
    error; nothing is signed over a tampered log).
    """
    result = checkpoint_write_and_mail()
    return result.checkpoint.count if result.checkpoint else -1


@shared_task(ignore_result=True)
def verify_audit_log(job_id: str) -> bool:
    """On demand ("verify now" on ``/nhat-ky/``): verify the whole audit log and checkpoints."""
    return bool(verification_run(job_id)["intact"])


@shared_task(ignore_result=True)
def sweep_orphan_files() -> int:
    """Nightly: set aside the stored files no row names, delete those set aside long ago
    (approvals/orphan_files.py). Returns how many files were set aside: none while another
    sweep runs."""
    result = orphan_files_sweep()
    if result.busy:
        logger.info("orphan files: another sweep is running; this one did nothing")
    for problem in result.errors:
        logger.warning("orphan files: %s", problem)
    return len(result.quarantined)
