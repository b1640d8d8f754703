"""``/api/v1/reporting-rounds/``: the reporting rounds and each unit's submission status.

Who sees what (the same as the pages, ``docs/reporting.md``): the Sở's reviewers and leaders
and the auditors see every round and every unit's status (the board); a unit's staff see only
the rounds their unit must report in, with their own unit's status. Anything else is a 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.notices import path_if_defined
from approvals.permissions import units_in_scope
from approvals.record.access import may_read_everything
from approvals.record.rounds import BoardRow, board
from config.api import CursorPagination
from config.values import MAX_ID
from delegations.models import ReportingRound
from delegations.services.reporting import may_open_rounds


def _may_follow(user: Any) -> bool:
    return may_open_rounds(user) or may_read_everything(user)


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def round_list_for_user(user: Any) -> QuerySet[ReportingRound]:
    """Every round for the Sở and the auditors; for a unit, the rounds it must report in."""
    rounds = ReportingRound.objects.all()
    if _may_follow(user):
        return rounds
    return rounds.filter(reports__unit__in=units_in_scope(user)).distinct()


def round_summary(round_: ReportingRound) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "title": round_.title,
        "period_from": _date(round_.period_from),
        "period_to": _date(round_.period_to),
        "deadline": _date(round_.deadline),
        "opened_at": _moment(round_.opened_at),
        "template_url": (
            path_if_defined("reporting_round_template", round_.pk) if round_.template else None
        ),
        "url": path_if_defined("reporting_round_detail", round_.pk),
    }


def submission(row: BoardRow) -> dict[str, Any]:
    """One unit's status: submitted on time, late, missing or not yet due; its flow status."""
    report = row.report
    return {
        "id": report.pk,
        "reference": report.reference,
        "unit": {"code": report.unit.code, "name": report.unit.name},
        "status": report.status,
        "state": row.state,
        "state_label": row.state_label,
        "submitted_at": _moment(report.submitted_at),
        "approved_at": _moment(report.approved_at),
        "reminded": row.reminded,
        "escalated": row.escalated,
        "url": path_if_defined("unit_report_detail", report.pk),
    }


def round_get_for_user(user: Any, pk: int) -> ReportingRound:
    """One round, or 404 when it does not exist or the user's unit need not report in it."""
    found = round_list_for_user(user).filter(pk=pk).first() if pk <= MAX_ID else None
    if found is None:
        raise Http404(_("Không tìm thấy đợt báo cáo."))
    return found


def round_submissions(user: Any, round_: ReportingRound) -> list[dict[str, Any]]:
    """The board for the Sở and the auditors; a unit's own row otherwise."""
    rows = board(round_)
    if not _may_follow(user):
        own = set(units_in_scope(user).values_list("pk", flat=True))
        rows = [row for row in rows if row.report.unit_id in own]
    return [submission(row) for row in rows]


class RoundPagination(CursorPagination):
    ordering = "-id"


class RoundListView(GenericAPIView[Any]):
    """The rounds you may see, newest first (keyset pages)."""

    pagination_class = RoundPagination

    def get_queryset(self) -> QuerySet[ReportingRound]:
        return round_list_for_user(self.request.user)

    @extend_schema(operation_id="reporting_round_list", responses={200: dict})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response([round_summary(r) for r in page])


class RoundDetailView(GenericAPIView[Any]):
    """One round with the submission status of every unit (the Sở) or of your own unit."""

    @extend_schema(operation_id="reporting_round_detail", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        round_ = round_get_for_user(request.user, pk)
        return Response(
            {**round_summary(round_), "submissions": round_submissions(request.user, round_)}
        )
