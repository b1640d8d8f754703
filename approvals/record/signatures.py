"""The document page: who signed, when, with which certificate, and the "verify" result.

The văn thư applies the organisation's signature here; the leader who decided downloads the
prepared PDF, signs it with their own USB token and uploads it here (docs/record.md).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.audit import audit_record
from approvals.documents import signatures
from approvals.documents.selectors import document_get_for_user
from approvals.documents.services import file_name
from approvals.models import Document
from approvals.notifications import may_dispatch_for_unit


def _may_sign_for_organisation(user: object, document: Document) -> bool:
    return may_dispatch_for_unit(user, document.register.unit)  # type: ignore[arg-type]


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get_for_user(user=request.user, pk=pk)
    rows = list(document.signatures.select_related("signer", "recorded_by").order_by("id"))
    verify = request.GET.get("kiem-tra") == "1"
    context = {
        "document": document,
        "signatures": rows,
        "verification": signatures.signatures_verify(document) if verify and rows else None,
        "verify_requested": verify,
        "decider": signatures.decider(document),
        "may_sign_organisation": _may_sign_for_organisation(request.user, document),
        "organisation_configured": signatures.organisation_configured(),
        "has_organisation": any(r.kind == "organisation" for r in rows),
        "has_personal": any(r.kind == "personal" for r in rows),
    }
    context["may_upload"] = not context["has_organisation"] and (
        context["decider"] == request.user or context["may_sign_organisation"]
    )
    return render(request, "approvals/document_detail.html", context)


@login_required
def document_signing_file(request: HttpRequest, pk: int) -> HttpResponse:
    """``?ban=chuan-bi``: the PDF to sign (the latest, signed or not); ``da-ky``: the signed one."""
    document = document_get_for_user(user=request.user, pk=pk)
    which = request.GET.get("ban", "da-ky")
    try:
        data = (
            signatures.prepared_pdf(document)
            if which == "chuan-bi"
            else signatures.signed_pdf(document)
        )
    except signatures.SignatureRefused as exc:
        messages.error(request, exc.message)
        return redirect("document_detail", pk=document.pk)
    if data is None:
        messages.error(request, _("Văn bản chưa được ký số."))
        return redirect("document_detail", pk=document.pk)
    audit_record(
        actor=request.user,
        action="document.viewed",
        object_type="document",
        object_id=document.pk,
        after={"format": "pdf", "copy": which, "number": str(document)},
    )
    name = file_name(document, "pdf").replace(
        ".pdf", "-da-ky.pdf" if which != "chuan-bi" else ".pdf"
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_sign_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """The văn thư applies the organisation's digital signature (chữ ký số của cơ quan)."""
    document = document_get_for_user(user=request.user, pk=pk)
    if not _may_sign_for_organisation(request.user, document):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành được ký số của cơ quan."))
    try:
        signatures.organisation_sign(document, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Đã ký số của cơ quan vào văn bản."))
    except signatures.SignatureRefused as exc:
        messages.error(request, exc.message)
    return redirect("document_detail", pk=document.pk)


@login_required
@require_POST
def document_signature_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF the decider signed with their own token; accepted only if it checks out."""
    document = document_get_for_user(user=request.user, pk=pk)
    if not (
        signatures.decider(document) == request.user
        or _may_sign_for_organisation(request.user, document)
    ):
        raise PermissionDenied(_("Chỉ người ký hoặc văn thư được tải lên bản đã ký."))
    upload = request.FILES.get("file")
    status = 200
    if upload is None:
        error = _("Vui lòng chọn tệp PDF đã ký.")
    elif upload.size is not None and upload.size > signatures.MAX_UPLOAD_BYTES:
        error = _("Tệp quá lớn (tối đa 20 MB).")
    else:
        try:
            signatures.personal_signature_accept(
                document,
                data=upload.read(),
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("Đã nhận bản đã ký: chữ ký số hợp lệ, đúng người ký."))
            return redirect("document_detail", pk=document.pk)
        except signatures.SignatureRefused as exc:
            error = exc.message
    status = 400
    audit_record(
        actor=request.user,
        action="document.signature_refused",
        obj=document,
        comment=error,
    )
    messages.error(request, error)
    response = document_detail(request, pk)
    response.status_code = status
    return response
