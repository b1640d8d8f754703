"""The page where a named colleague accepts or declines to travel in a delegation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import StateConflict, ValidationError
from delegations.models import MemberConfirmation
from delegations.presenters import outbound_detail
from delegations.selectors import outbound_get_for_user
from delegations.services.common import person_of
from delegations.services.members import outbound_membership_answer
from delegations.views.common import add_service_errors, conflict_page


class MembershipAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", gettext_lazy("Đồng ý")), ("decline", gettext_lazy("Từ chối"))]
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do từ chối (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
def outbound_membership_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the trip and the question; POST: the answer. 404 for anyone not named."""
    target = outbound_get_for_user(user=request.user, pk=pk)
    member = target.members.filter(person__user=request.user.pk).first()
    if member is None:
        raise Http404
    form = MembershipAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            accept = form.cleaned_data["answer"] == "accept"
            try:
                outbound_membership_answer(
                    actor=request.user,  # type: ignore[arg-type]
                    request=target,
                    accept=accept,
                    reason=form.cleaned_data["reason"],
                )
            except StateConflict as error:
                return conflict_page(
                    request,
                    error,
                    back_url=reverse("outbound_detail", args=[target.pk]),
                    back_label=_("Quay lại hồ sơ"),
                )
            except ValidationError as error:
                add_service_errors(error, form)
                status = 400
            else:
                if accept:
                    messages.success(request, _("Bạn đã xác nhận tham gia đoàn."))
                    return redirect("outbound_detail", pk=target.pk)
                messages.success(
                    request, _("Bạn đã từ chối; người lập hồ sơ đã được báo và bỏ tên bạn.")
                )
                return redirect("home")
        else:
            status = 400
    filer = person_of(target.created_by)
    return render(
        request,
        "delegations/outbound_membership.html",
        {
            "detail": outbound_detail(target),
            "request_obj": target,
            "member": member,
            "pending": member.confirmation == MemberConfirmation.PENDING and target.is_editable,
            "filer_name": filer.full_name if filer else target.created_by.get_username(),
            "form": form,
        },
        status=status,
    )
