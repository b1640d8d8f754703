"""Building approved requests and reading documents and the audit log back, for the record's
tests."""

from __future__ import annotations

import io
from typing import Any

import docx
from pypdf import PdfReader

from approvals.documents.services import document_file
from approvals.models import AuditEvent, Document
from org.models import Person, Unit
from tests import flows
from tests.factories import UnitFactory

AGENCY_NAMES = (
    "Công an Thành phố Hồ Chí Minh – Phòng Quản lý xuất nhập cảnh (PA08)",
    "Sở Ngoại vụ Thành phố Hồ Chí Minh",
)


def make_agencies() -> list[Unit]:
    """The two agencies every approval is notified to (found again if they exist)."""
    return [
        UnitFactory(code="CATP-PA08", name=AGENCY_NAMES[0], kind="agency"),
        UnitFactory(code="SNGV", name=AGENCY_NAMES[1], kind="agency"),
    ]


def approved(
    applicant: Person, *approvers: Person, members: tuple[Person, ...] = (), **kwargs: Any
) -> Any:
    """A request by ``applicant`` (travelling with ``members``, with passports), approved."""
    return flows.approved(applicant, *approvers, members=members, passports=True, **kwargs)


def documents_of(request: Any) -> dict[str, Document]:
    """The latest version of each document of the request, by kind."""
    found: dict[str, Document] = {}
    for document in Document.objects.filter(
        request_kind=request.request_kind, request_id=request.pk
    ).order_by("version"):
        found[document.kind] = document
    return found


def audit_actions(**filters: Any) -> list[str]:
    """The actions of the audit events matching ``filters``, in the chain's order."""
    return list(
        AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True)
    )


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace collapsed (justified lines widen the spaces)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of the DOCX, whitespace collapsed."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


def document_texts(document: Document) -> tuple[str, str]:
    """The text of the document's PDF and of its DOCX, in that order."""
    return (
        pdf_text(document_file(document, "pdf")[1]),
        docx_text(document_file(document, "docx")[1]),
    )
