"""Task pages: the inbox (mine, queue, done) and one task with its dossier and decision form.

Only people who may open the request reach a task (404 otherwise, as for a missing one). The
decision goes through :func:`workflow.services.task_complete`, which serialises competing
clicks: the loser gets the 409 page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from approvals.models import Decision
from approvals.navigation import display_name
from config.errors import StateConflict, ValidationError
from config.memo import memo_scope
from config.values import plain_int
from delegations.labels import step_title
from delegations.selectors import membership_confirmations_for_user
from delegations.views.common import add_service_errors, conflict_page, request_url
from delegations.views.outbound_detail import request_page
from workflow.flows.common import head_step_note, request_of
from workflow.selectors import TaskFilters, inbox_rows, task_list_for_user
from workflow.services import (
    OPEN_STATUSES,
    is_party_to,
    may_take,
    task_claim,
    task_complete,
    task_ids_visible_to,
    task_release,
    task_visible_to,
    tasks_claim_many,
)
from workflow.steps import HANDS_IN_REPORT, RESUBMITS, STEPS, action_label, step_for
from workflow.task_forms import TaskDecisionForm

#: Tasks per page of a tab.
TAB_LIMIT = 50
TABS = (
    ("inbox", gettext_lazy("Hộp việc")),
    ("queue", gettext_lazy("Hàng chờ")),
    ("archive", gettext_lazy("Đã xử lý")),
)
#: Steps the applicant completes from the request page (resubmission, report), not here.
APPLICANT_STEPS = frozenset(
    name for name, step in STEPS.items() if step.effect in (RESUBMITS, HANDS_IN_REPORT)
)


def _filters(request: HttpRequest) -> TaskFilters:
    """The inbox's filters from the query string (unknown values are simply ignored)."""
    params = request.GET
    kind = params.get("kind", "")
    overdue = params.get("overdue", "")
    return TaskFilters(
        kind=kind if kind in ("outbound", "inbound") else None,
        unit=(params.get("unit") or "").strip()[:32] or None,
        step=(params.get("step") or "").strip()[:64] or None,
        overdue=True if overdue == "1" else None,
        q=(params.get("q") or "").replace("\x00", "").strip()[:100] or None,
    )


def _after(value: str) -> tuple[datetime.date, int] | None:
    """The keyset position ``YYYY-MM-DD_<task id>`` of the last row of the previous page."""
    day, _sep, task_id = value.partition("_")
    try:
        return datetime.date.fromisoformat(day), int(task_id)
    except ValueError:
        return None


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Tasks assigned to me, tasks I may claim, and tasks I completed; filtered, by due date."""
    tab = request.GET.get("tab", "")
    filters = _filters(request)
    if tab not in dict(TABS):
        # Most steps reach a role's queue, not a person: open there while my inbox is empty.
        mine = task_list_for_user(user=request.user, scope="inbox").exists()
        tab = "inbox" if mine else "queue"
    # Ordered by due date, then task: the most urgent first; pages follow by keyset.
    queryset = task_list_for_user(user=request.user, scope=tab, filters=filters)
    after = _after(request.GET.get("after", ""))
    if after is not None:
        day, task_id = after
        queryset = queryset.filter(
            Q(inbox_entry__due__gt=day) | Q(inbox_entry__due=day, inbox_entry__task_id__gt=task_id)
        )
    # A row shows only its inbox entry's copy of the request (inbox_rows): no process either.
    tasks = list(queryset.select_related(None).select_related("inbox_entry__unit")[: TAB_LIMIT + 1])
    rows = inbox_rows(tasks[:TAB_LIMIT])
    next_query = None
    if len(tasks) > TAB_LIMIT and rows:
        last = rows[-1].task
        query = request.GET.copy()
        query["tab"] = tab
        query["after"] = f"{last.inbox_entry.due.isoformat()}_{last.pk}"
        next_query = query.urlencode()
    base = request.GET.copy()
    base.pop("after", None)
    base.pop("tab", None)
    return render(
        request,
        "workflow/task_list.html",
        {
            "tab": tab,
            "tabs": TABS,
            "rows": rows,
            "filters": filters,
            "filter_query": base.urlencode(),
            "steps": sorted(((name, step_title(name)) for name in STEPS), key=lambda s: str(s[1])),
            "next_query": next_query,
            "confirmations": membership_confirmations_for_user(user=request.user),
        },
    )


@login_required
@require_POST
def task_claim_many_view(request: HttpRequest) -> HttpResponse:
    """Assign the ticked queued tasks to me; tasks taken meanwhile are reported, not fatal."""
    ids = [n for n in map(plain_int, request.POST.getlist("task")) if n is not None][:TAB_LIMIT]
    visible = task_ids_visible_to(request.user, ids)
    claimed, skipped = tasks_claim_many(task_ids=visible, user=request.user)  # type: ignore[arg-type]
    if claimed:
        messages.success(
            request, _("Đã nhận %(count)s công việc vào hộp việc.") % {"count": len(claimed)}
        )
    if skipped or len(visible) < len(ids):
        messages.warning(
            request,
            _("%(count)s công việc đã có người nhận hoặc bạn không thể nhận.")
            % {"count": len(skipped) + len(ids) - len(visible)},
        )
    if not ids:
        messages.warning(request, _("Chưa chọn công việc nào."))
    return redirect(f"{reverse('inbox')}?tab=inbox")


def _visible_task(request: HttpRequest, pk: int) -> tuple[Task, Model]:
    """The task and its request, read once (404 for either when the user may not see it)."""
    task = task_visible_to(request.user, pk)
    if task is None:
        raise Http404(_("Không tìm thấy công việc."))
    return task, request_of(task.process)


def _can_decide(task: Task, subject: Model, user: Any) -> bool:
    """Given that the user may take the task: is it a decision they may record here?"""
    step = step_for(task.flow_task.name)
    if step is None or step.name in APPLICANT_STEPS or task.status not in OPEN_STATUSES:
        return False
    return not (step.is_decision and is_party_to(subject, user))


def _render_task(
    request: Any,
    task: Task,
    subject: Any,
    *,
    form: TaskDecisionForm | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    step = step_for(task.flow_task.name)
    may = may_take(task, request.user) if task.status in OPEN_STATUSES else False
    can_decide = may and _can_decide(task, subject, request.user)
    if form is None and can_decide and step is not None:
        form = TaskDecisionForm(step=step)
    return render(
        request,
        "workflow/task_detail.html",
        {
            **request_page(subject, request.user),
            "task": task,
            "step": step,
            "title": getattr(task.flow_task, "task_title", "") or task.flow_task.name,
            "is_open": task.status in OPEN_STATUSES,
            "can_decide": can_decide,
            "can_claim": may and task.status == "NEW" and task.owner_id is None,
            "can_release": task.status == "ASSIGNED"
            and task.owner_id == request.user.pk
            and bool(task.owner_permission),
            "applicant_step": step is not None and step.name in APPLICANT_STEPS,
            "head_note": head_step_note(task) if task.status in OPEN_STATUSES else "",
            "form": form if can_decide else None,
            "errors": errors or {},
        },
        status=status,
    )


def _conflict(
    request: HttpRequest, subject: Model, error: StateConflict, task: Task | None = None
) -> HttpResponse:
    return conflict_page(
        request,
        error,
        back_url=request_url(subject),
        back_label=_("Xem hồ sơ"),
        detail=_what_happened(task) if task is not None else "",
    )


def _what_happened(task: Task) -> str:
    """Who decided the task, what and when; or who holds it now (the 409 page says so)."""
    decision = (
        Decision.objects.filter(task_id=task.pk)
        .select_related("actor__person")
        .order_by("-created_at")
        .first()
    )
    step = step_for(task.flow_task.name)
    if decision is not None:
        return _("%(who)s đã chọn “%(action)s” lúc %(when)s.") % {
            "who": display_name(decision.actor),
            "action": action_label(step, decision.action) if step else decision.action,
            "when": date_format(timezone.localtime(decision.created_at), "SHORT_DATETIME_FORMAT"),
        }
    task.refresh_from_db()
    if task.owner_id is not None and task.status in OPEN_STATUSES:
        owner = User.objects.select_related("person").get(pk=task.owner_id)
        return _("Công việc đang do %(who)s xử lý.") % {"who": display_name(owner)}
    if task.finished is not None:
        return _("Công việc đã kết thúc lúc %(when)s.") % {
            "when": date_format(timezone.localtime(task.finished), "SHORT_DATETIME_FORMAT")
        }
    return ""


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: the dossier, its checks and justifications, and the decision form."""
    if request.method != "POST":
        return _task_page(request, pk)
    with memo_scope():  # the task, its request and the user's grants are read once
        return _task_page(request, pk)


def _task_page(request: HttpRequest, pk: int) -> HttpResponse:
    task, subject = _visible_task(request, pk)
    if request.method != "POST":
        return _render_task(request, task, subject)
    step = step_for(task.flow_task.name)
    if step is None or step.name in APPLICANT_STEPS:
        return redirect(request_url(subject))
    form = TaskDecisionForm(request.POST, step=step)
    if not form.is_valid():
        return _render_task(request, task, subject, form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        task_complete(
            task_id=task.pk,
            user=request.user,  # type: ignore[arg-type]
            action=action,
            comment=form.cleaned_data.get("comment") or "",
            fields=form.service_fields(),
        )
    except StateConflict as error:
        return _conflict(request, subject, error, task)
    except ValidationError as error:
        rest = add_service_errors(error, form)
        task.refresh_from_db()
        return _render_task(request, task, subject, form=form, errors=rest, status=400)
    messages.success(
        request,
        _("Đã ghi nhận: %(action)s (hồ sơ %(reference)s).")
        % {"action": action_label(step, action), "reference": getattr(subject, "reference", "")},
    )
    return redirect(reverse("inbox"))


@login_required
@require_POST
def task_claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a queued task into my inbox."""
    return _move_task(
        request,
        pk,
        task_claim,
        done=_("Đã nhận công việc vào hộp việc của bạn."),
        then=reverse("task_detail", args=[pk]),
        explain_conflict=True,
    )


@login_required
@require_POST
def task_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a task back to the queue of its role."""
    return _move_task(
        request, pk, task_release, done=_("Đã trả công việc về hàng chờ."), then=reverse("inbox")
    )


def _move_task(
    request: HttpRequest,
    pk: int,
    move: Callable[..., Task],
    *,
    done: str,
    then: str,
    explain_conflict: bool = False,
) -> HttpResponse:
    """Claim or release a visible task, say so and go on to ``then``; a conflict is the 409
    page (naming who decided or holds the task when ``explain_conflict``)."""
    task, subject = _visible_task(request, pk)
    try:
        move(task_id=task.pk, user=request.user)
    except StateConflict as error:
        return _conflict(request, subject, error, task if explain_conflict else None)
    messages.success(request, done)
    return redirect(then)
