"""The auditor's screen of the audit log, ``/nhat-ky/`` ("nhật ký hệ thống").

Filters (time range, actor, action, object, unit) are the audit export's, so "export" hands the
same query to ``/api/v1/exports/audit.csv``. Pages are keyset pages on the sequence number, newest
first (``?before=<seq>``): page 5,000 costs what page 1 does. The status shows the last
verification and the last checkpoint; "verify now" runs :func:`approvals.tasks.verify_audit_log`
in the background and the page follows its progress.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.audit import (
    CheckpointStoreError,
    checkpoint_last,
    verification_get,
    verification_last,
    verification_start,
)
from approvals.models import AuditEvent
from approvals.permissions import is_auditor
from approvals.record import exports
from approvals.record.access import audit_log_scope
from approvals.tasks import verify_audit_log
from config.db.replica import replica_reads
from delegations.models import RequestKind

PAGE_SIZE = 50


def audit_events(
    user: Any, filters: exports.ExportFilters, before: int | None = None
) -> QuerySet[AuditEvent]:
    """The events the user may read under ``filters``, newest first, before ``before``."""
    allowed, own = audit_log_scope(user)
    if not allowed:
        raise Http404
    if own is not None:
        filters = replace(filters, only_actor_id=own)
    events: QuerySet[AuditEvent] = exports.DATASETS["audit"].queryset(filters)
    if before is not None:
        events = events.filter(seq__lt=before)
    return events.order_by("-seq")


def parse_before(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def verification_status() -> dict[str, Any]:
    """The last verification's result and the last checkpoint's time, for the screen and API."""
    try:
        checkpoint, unreadable = checkpoint_last(), False
    except CheckpointStoreError:  # the bucket or directory is down: say so, not "none"
        checkpoint, unreadable = None, True
    return {
        "last": verification_last(),
        "last_checkpoint_at": checkpoint.moment if checkpoint else None,
        "last_checkpoint_seq": checkpoint.last_seq if checkpoint else None,
        "checkpoints_unreadable": unreadable,
    }


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The log with filters, keyset pages, the verification status and the export links."""
    try:
        filters = exports.parse_filters(request.GET)
        errors: dict[str, list[str]] = {}
    except exports.FilterError as exc:
        filters, errors = exports.ExportFilters(), exc.errors
    before = parse_before(request.GET.get("before"))
    # The events from the read replica when there is one; the verification job the auditor
    # may have just started is read below, on the primary.
    with replica_reads():
        events = list(audit_events(request.user, filters, before)[: PAGE_SIZE + 1])
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    query = {key: value for key, value in filters.as_json().items() if value}
    job_id = request.GET.get("job", "")
    job = verification_get(job_id) if job_id else None
    return render(
        request,
        "approvals/audit_log.html",
        {
            "events": events,
            "filters": filters.as_json(),
            "errors": errors,
            "query": urlencode(query),
            "next_query": urlencode({**query, "before": events[-1].seq}) if more else "",
            "first_page": before is None,
            "kinds": RequestKind.choices,
            "status": verification_status(),
            "job": job,
            "job_id": job_id if job else "",
            "may_verify": is_auditor(request.user),
            "own_only": audit_log_scope(request.user)[1] is not None,
        },
    )


def start_verification(user: User) -> str:
    """Queue "verify now" after commit (eager: it runs right there) and return the job id."""
    job_id = verification_start(actor=user)
    transaction.on_commit(lambda: verify_audit_log.delay(job_id))
    return job_id


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """ "Verify now" (auditors): start the job, then follow it on the log's page."""
    if not is_auditor(request.user) or not isinstance(request.user, User):
        raise Http404(_("Không tìm thấy trang."))
    job_id = start_verification(request.user)
    return redirect(f"{reverse('audit_log')}?{urlencode({'job': job_id})}")
