"""Rendering documents after the issuing transaction committed (thin: id in, call a service)."""

from __future__ import annotations

from celery import shared_task

from approvals.models import Document


@shared_task(name="approvals.documents.render_document")
def render_document(document_id: int) -> str:
    """Render the PDF and DOCX of an issued document; a repeat finds them done."""
    from approvals.documents.services import document_render

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "missing"
    return document_render(document).pdf_sha256
