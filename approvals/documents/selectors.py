"""Reads of documents, scoped to the requests the user may open."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from approvals.models import Document
from approvals.permissions import (
    DECIDE_FOR_DEPARTMENT,
    DECIDE_FOR_WARD,
    REVIEW_FOR_DEPARTMENT,
    REVIEW_FOR_WARD,
    AnyUser,
    has_any_unit_permission,
    has_unit_permission,
)
from delegations.kinds import KINDS, request_list_for_user
from org.models import UnitKind


def _request_visible(user: AnyUser, kind: str, request_id: int) -> bool:
    if kind not in KINDS:
        return False
    return request_list_for_user(user=user, kind=kind).filter(pk=request_id).exists()


def document_get_for_user(*, user: AnyUser, pk: int) -> Document:
    """One document of a request the user may open; 404 otherwise, as for a missing one."""
    document = Document.objects.select_related("register").filter(pk=pk).first()
    if document is None or not _request_visible(user, document.request_kind, document.request_id):
        raise Http404(_("Không tìm thấy văn bản."))
    return document


def document_may_manage(user: AnyUser, document: Document) -> bool:
    """Whether the user may enter a document's number or replace it: the issuing unit's office
    (the Sở's reviewers and Văn phòng; the ward's officer) or its leadership."""
    unit = document.register.unit
    perms = (
        (REVIEW_FOR_WARD, DECIDE_FOR_WARD)
        if unit.kind == UnitKind.WARD
        else (REVIEW_FOR_DEPARTMENT, DECIDE_FOR_DEPARTMENT)
    )
    return has_any_unit_permission(user, perms, unit)


def document_may_classify(user: AnyUser, document: Document) -> bool:
    """Whether the user may put a document in the confidential register: the issuing unit's
    leadership (Director and deputies; the ward's chair), who answer for what is secret."""
    unit = document.register.unit
    perm = DECIDE_FOR_WARD if unit.kind == UnitKind.WARD else DECIDE_FOR_DEPARTMENT
    return has_unit_permission(user, perm, unit)


def document_list_for_request(kind: str, request_id: int) -> list[Document]:
    """Every version of every document of a request (the caller may already see it)."""
    return list(
        Document.objects.filter(request_kind=kind, request_id=request_id)
        .select_related("supersedes", "register")
        .order_by("issued_at", "id")
    )


def document_dict(document: Document, *, current: bool = True) -> dict[str, Any]:
    """The API's shape of a document (``GET /api/v1/documents/{id}/``), with file links."""
    files = reverse("api-document-file", args=[document.pk])
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "number": document.number_text,
        "serial": document.number,
        "awaiting_number": document.number is None,
        "confidential": document.register.confidential,
        "version": document.version,
        "current": current,
        "supersedes": document.supersedes_id,
        "title": document.title,
        "issued_on": document.issued_on.isoformat(),
        "issued_on_display": document.issued_on.strftime("%d/%m/%Y"),
        "request": {
            "kind": document.request_kind,
            "id": document.request_id,
            "reference": document.content.get("request", {}).get("reference"),
        },
        "ready": document.rendered_at is not None,
        "render_state": document.render_state,
        "sha256": document.pdf_sha256 or None,
        "docx_sha256": document.docx_sha256 or None,
        "reason": document.reason,
        "files": {"pdf": f"{files}?format=pdf", "docx": f"{files}?format=docx"},
    }


def documents_for_request(kind: str, request_id: int) -> list[dict[str, Any]]:
    """What the request page and API list under ``documents``: every version, latest marked."""
    documents = document_list_for_request(kind, request_id)
    superseded = {d.supersedes_id for d in documents if d.supersedes_id}
    return [document_dict(d, current=d.pk not in superseded) for d in documents]
