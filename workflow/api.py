"""``/api/v1/tasks/``: the inbox, the queue, the archive, and acting on a task."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from viewflow.workflow.models import Task

from config.api import CursorPagination, IdField
from config.memo import memo_scope
from delegations.kinds import request_visible_to
from delegations.serializers import TaskCompleteSerializer
from workflow.flows.common import request_of
from workflow.selectors import TaskFilters, TaskRow, task_due, task_list_for_user, task_rows
from workflow.services import (
    task_claim,
    task_complete,
    task_release,
    task_visible_to,
    tasks_claim_many,
)
from workflow.steps import step_for, step_title


class TaskPagination(CursorPagination):
    """Keyset pages by due date, then id (the order of the inbox index)."""

    ordering = ("sort_due", "id")  # type: ignore[assignment]  # DRF accepts a tuple


def task_dict(row: TaskRow) -> dict[str, Any]:
    task = row.task
    step = step_for(task.flow_task.name)
    request = row.request
    return {
        "id": task.pk,
        "step": task.flow_task.name,
        "title": step_title(task),
        "request": {
            "kind": getattr(request, "request_kind", None),
            "id": request.pk if request else None,
            "reference": getattr(request, "reference", None),
            "unit": request.unit.code if request else None,
            "applicant": getattr(getattr(task, "inbox_entry", None), "applicant_name", None),
        },
        "status": task.status,
        "assigned_to": task.owner.get_username() if task.owner else None,
        "due": row.due.isoformat() if row.due else None,
        "overdue": row.overdue,
        "actions": list(step.actions) if step else [],
    }


class TaskListView(GenericAPIView[Any]):
    """Tasks assigned to you (inbox), claimable by you (queue) or completed by you (archive)."""

    pagination_class = TaskPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=["inbox", "queue", "archive"]),
            OpenApiParameter("kind", str, enum=["outbound", "inbound"]),
            OpenApiParameter("unit", str),
            OpenApiParameter("step", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str, description="reference or applicant name"),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        scope = params.get("scope", "inbox")
        if scope not in ("inbox", "queue", "archive"):
            scope = "inbox"
        overdue = params.get("overdue")
        filters = TaskFilters(
            kind=params.get("kind") or None,
            unit=params.get("unit") or None,
            step=params.get("step") or None,
            overdue=None if not overdue else overdue.lower() in ("1", "true", "yes"),
            q=(params.get("q") or "").replace("\x00", "")[:100] or None,
        )
        # The cursor reads its position from an attribute: alias the indexed due date.
        queryset = task_list_for_user(user=request.user, scope=scope, filters=filters).annotate(
            sort_due=F("inbox_entry__due")
        )
        page = self.paginate_queryset(queryset)
        assert page is not None
        return self.get_paginated_response([task_dict(r) for r in task_rows(list(page))])


def _visible_task(request: Request, task_id: int) -> Task:
    """A task of a request the user may open; others are 404 (never revealed)."""
    task = task_visible_to(request.user, task_id)
    if task is None:
        raise Http404
    return task


class _TaskHandOverView(GenericAPIView[Any]):
    """Claim or release a task the user may see; the answer is the task as the list shows it."""

    #: :func:`task_claim` or :func:`task_release`.
    hand_over: staticmethod[..., Task]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        _visible_task(request, pk)
        task = self.hand_over(task_id=pk, user=request.user)
        return Response(task_dict(task_rows([task])[0]))


class TaskClaimView(_TaskHandOverView):
    """Take a queued task (409 when someone else was faster)."""

    hand_over = staticmethod(task_claim)


class TaskReleaseView(_TaskHandOverView):
    """Give a task back to its role's queue."""

    hand_over = staticmethod(task_release)


class TaskCompleteView(GenericAPIView[Any]):
    """Decide: approve, return, reject, accept (and the city decision's fields)."""

    serializer_class = TaskCompleteSerializer

    @extend_schema(request=TaskCompleteSerializer, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        with memo_scope():  # the task, its request and the user's grants are read once
            return self._complete(request, pk)

    def _complete(self, request: Request, pk: int) -> Response:
        visible = _visible_task(request, pk)
        serializer = TaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        action = data.pop("action")
        comment = data.pop("comment", "")
        step = step_for(visible.flow_task.name)
        if step is not None and step.records_city_decision and "outcome" in data:
            # The city-decision step takes {"outcome": "approve|reject", ...} per the contract.
            action = data.pop("outcome")
        task = task_complete(
            task_id=pk,
            user=request.user,  # type: ignore[arg-type]  # IsAuthenticated: never anonymous
            action=action,
            comment=comment,
            fields=data,
        )
        # The task as the step left it, with the request read under its lock.
        row = TaskRow(task=task, request=request_of(task.process), due=task_due(task))
        return Response(task_dict(row))


class BulkClaimSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(child=IdField(), max_length=200)


class TaskClaimManyView(GenericAPIView[Any]):
    """Assign several queued tasks to yourself; tasks taken meanwhile come back as skipped."""

    serializer_class = BulkClaimSerializer

    @extend_schema(
        operation_id="tasks_claim_many", request=BulkClaimSerializer, responses={200: dict}
    )
    def post(self, request: Request) -> Response:
        serializer = BulkClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["ids"]
        visible = [
            task.pk
            for task in Task.objects.select_related("process").filter(pk__in=ids)
            if request_visible_to(request.user, request_of(task.process))
        ]
        claimed, skipped = tasks_claim_many(task_ids=visible, user=request.user)  # type: ignore[arg-type]
        return Response(
            {"claimed": claimed, "skipped": skipped + [i for i in ids if i not in visible]}
        )
