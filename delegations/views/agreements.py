"""Pages of the MOU register: the list a user may see and one MOU with its activities."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from delegations.models import AgreementStatus
from delegations.selectors import (
    agreement_activities,
    agreement_get_for_user,
    agreement_list_for_user,
)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("status") or None
    if wanted not in AgreementStatus.values:
        wanted = None
    rows = agreement_list_for_user(user=request.user, status=wanted)[:500]
    return render(
        request,
        "delegations/agreement_list.html",
        {"rows": rows, "statuses": AgreementStatus.choices, "status": wanted},
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "delegations/agreement_detail.html",
        {
            "agreement": agreement,
            "activities": agreement_activities(agreement),
            "files": agreement.files.all(),
        },
    )
