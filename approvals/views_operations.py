"""The operations view (vận hành): what the background left undone, for administrators.

Like an incident list: e-mails queued too long, stuck in "sending" or failed; documents whose
files are not made; open tasks nobody may take or held by a disabled account; the worker's and
beat's signs of life; the read replica's lag, where there is one. Failed e-mails and renders
have a retry button (audited). Anyone who is not an administrator gets a 404
(docs/production.md).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals.documents.services import document_render_retry
from approvals.heartbeat import PARTS, background_expected, heartbeat_read
from approvals.models import MessageStatus, OutboxMessage
from approvals.models.documents import Document, RenderState
from approvals.orphan_files import QuarantinedDay, quarantined
from approvals.outbox import message_retry
from approvals.record.access import is_administrator
from config.db.replica import replica_state
from config.errors import StateConflict
from workflow.notify import permission_holders

logger = logging.getLogger(__name__)

#: Rows shown per list; the count above each list is the full number.
SHOWN = 100
#: Open tasks looked at for a missing holder (oldest first).
TASKS_LOOKED_AT = 300


@dataclass(frozen=True)
class Incidents:
    """One list of the page: its rows (at most :data:`SHOWN`) and how many there are."""

    rows: list[Any]
    count: int


def _incidents(queryset: QuerySet[Any]) -> Incidents:
    return Incidents(rows=list(queryset[:SHOWN]), count=queryset.count())


def stuck_mail(now: datetime.datetime) -> Incidents:
    """Failed e-mails, e-mails due for longer than the sweep's grace, and claims past the lease
    (``OutboxMessage.queue``), oldest first."""
    return _incidents(
        OutboxMessage.objects.filter(OutboxMessage.queue.stuck(now)).order_by("created_at", "pk")
    )


def stuck_documents(now: datetime.datetime) -> Incidents:
    """Failed renders, pending ones overdue for the sweeper, and renders past their lease
    (``Document.render_queue``), oldest first."""
    return _incidents(
        Document.objects.filter(Document.render_queue.stuck(now)).order_by("issued_at", "pk")
    )


@dataclass(frozen=True)
class IncidentRow:
    pk: int
    cells: tuple[Any, ...]
    #: Where an administrator retries the row (only a failed row may be retried).
    retry_url: str | None


@dataclass(frozen=True)
class IncidentTable:
    """One table of the page (stuck e-mails, documents or tasks) as the template shows it."""

    id: str
    title: str
    count: int
    headers: tuple[str, ...]
    rows: list[IncidentRow]
    #: The row's ``data-*`` attribute (``data-message="12"``), for scripts and tests.
    row_attr: str
    retry_label: str = ""


def _cause(error: str, otherwise: str) -> str:
    return Truncator(error or otherwise).chars(200)


def mail_table(mail: Incidents) -> IncidentTable:
    failed = MessageStatus.FAILED
    return IncidentTable(
        id="stuck-mail",
        title=_("Thư chưa gửi được"),
        headers=(_("Tiêu đề"), _("Người nhận"), _("Trạng thái"), _("Số lần gửi"), _("Nguyên nhân")),
        count=mail.count,
        rows=[
            IncidentRow(
                m.pk,
                (
                    m.subject, m.to_address or m.to_user, m.get_status_display(), m.attempts,
                    _cause(m.last_error, _("Chưa được gửi đi (hàng đợi hoặc worker ngừng).")),
                ),
                reverse("operations_retry_message", args=[m.pk]) if m.status == failed else None,
            )
            for m in mail.rows
        ],
        row_attr="message",
        retry_label=_("Gửi lại"),
    )  # fmt: skip


def document_table(documents: Incidents) -> IncidentTable:
    failed = RenderState.FAILED
    return IncidentTable(
        id="stuck-documents",
        title=_("Văn bản chưa có tệp"),
        headers=(
            _("Số, ký hiệu"), _("Trích yếu"), _("Tình trạng tệp"), _("Số lần tạo tệp"),
            _("Nguyên nhân"),
        ),
        count=documents.count,
        rows=[
            IncidentRow(
                d.pk,
                (
                    d.number_text, d.title, d.get_render_state_display(), d.render_attempts,
                    _cause(d.render_error, _("Chưa được tạo (hàng đợi hoặc worker ngừng).")),
                ),
                reverse("operations_retry_document", args=[d.pk])
                if d.render_state == failed
                else None,
            )
            for d in documents.rows
        ],
        row_attr="document",
        retry_label=_("Tạo lại tệp"),
    )  # fmt: skip


@dataclass(frozen=True)
class StuckTask:
    task: Any
    cause: str


def stuck_tasks() -> list[StuckTask]:
    """Open tasks held by a disabled account, or that nobody holds and nobody may claim."""
    open_tasks = (
        Task.objects.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED))
        .filter(flow_task_type="HUMAN")
        .select_related("owner", "process")
        .order_by("created", "pk")[:TASKS_LOOKED_AT]
    )
    stuck: list[StuckTask] = []
    for task in open_tasks:
        if task.owner_id is not None and not task.owner.is_active:
            stuck.append(StuckTask(task, _("Người đang giữ việc đã bị khóa tài khoản.")))
        elif task.owner_id is None and not permission_holders(task):
            stuck.append(StuckTask(task, _("Không ai giữ vai trò được nhận việc này.")))
        if len(stuck) >= SHOWN:
            break
    return stuck


def task_table(tasks: list[StuckTask]) -> IncidentTable:
    advice = _("Giao lại trong trang quản trị (phân công vai trò) hoặc cho người khác nhận việc.")
    return IncidentTable(
        id="stuck-tasks",
        title=_("Việc không ai xử lý được"),
        count=len(tasks),
        headers=(_("Việc"), _("Bước"), _("Người giữ"), _("Nguyên nhân")),
        rows=[
            IncidentRow(
                t.task.pk,
                (f"#{t.task.pk}", t.task.flow_task, t.task.owner or "—", f"{t.cause} {advice}"),
                None,
            )
            for t in tasks
        ],
        row_attr="task",
    )


def _refuse_unless_administrator(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise Http404(_("Không tìm thấy trang."))


def _conflict(request: HttpRequest, error: StateConflict) -> HttpResponse:
    """Retrying what is no longer failed (someone else did, or it never failed): 409."""
    context = {"message": error.message, "back_url": reverse("operations")}
    return render(request, "409.html", context, status=409)


@login_required
@require_GET
def operations(request: HttpRequest) -> HttpResponse:
    _refuse_unless_administrator(request)
    now = timezone.now()
    pulses = [heartbeat_read(part) for part in PARTS]
    mail, documents, tasks = stuck_mail(now), stuck_documents(now), stuck_tasks()
    replica = replica_state()
    try:
        set_aside: list[QuarantinedDay] | None = quarantined()
    except Exception:  # the storage does not answer: said on the page, not a 500
        logger.warning("operations: the quarantine could not be listed", exc_info=True)
        set_aside = None
    context = {
        "quarantine": set_aside,
        "background_expected": background_expected(),
        "pulses": pulses,
        "replica": replica,
        "tables": [mail_table(mail), document_table(documents), task_table(tasks)],
        "tasks": tasks,
        "clean": all(p.alive for p in pulses)
        and (replica is None or replica.usable)
        and not mail.count
        and not documents.count
        and not tasks,
    }
    return render(request, "approvals/operations.html", context)


#: What an administrator may retry: the service that puts it back in its queue, and what to say.
RETRIES: dict[str, tuple[Callable[[int, User], object], StrOrPromise]] = {
    "message": (
        lambda pk, actor: message_retry(message_id=pk, actor=actor),
        gettext_lazy("Đã đưa thư vào hàng gửi lại."),
    ),
    "document": (
        lambda pk, actor: document_render_retry(document_id=pk, actor=actor),
        gettext_lazy("Đã đưa văn bản vào hàng tạo tệp lại."),
    ),
}


@login_required
@require_POST
def operations_retry(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Put one failed e-mail or document back in its queue; 409 when it is not failed."""
    _refuse_unless_administrator(request)
    assert request.user.is_authenticated
    retry, done = RETRIES[what]
    try:
        retry(pk, request.user)
    except StateConflict as error:
        return _conflict(request, error)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("operations"))
