"""Pages of the web shell."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from approvals.selectors import home_sections_for_user
from delegations.selectors import membership_confirmations_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What is waiting for me: one card per role the user holds today."""
    assert request.user.is_authenticated  # for the type checker; login_required ensures it
    return render(
        request,
        "approvals/home.html",
        {
            "sections": home_sections_for_user(request.user),
            "confirmations": membership_confirmations_for_user(user=request.user),
        },
    )
