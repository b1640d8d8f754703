"""Building approved requests and reading documents back, for the record's tests."""

from __future__ import annotations

import io
from typing import Any

from approvals.models import Document
from delegations.services.outbound import outbound_create
from org.models import Person, Unit
from tests.delegations.outbound_helpers import outbound_input
from tests.factories import PassportFactory, UnitFactory
from workflow.services import outbound_submit, process_for, task_complete

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


def open_task(request: Any) -> Any:
    return process_for(request).task_set.filter(status__in=["NEW", "ASSIGNED"]).get()


def with_passports(data: Any) -> Any:
    """Give each member of an ``OutboundInput`` an ordinary passport of their own."""
    for member in data.members:
        passport = PassportFactory(person_id=member.person_id)
        member.passport_id = passport.pk
    return data


def approved(
    applicant: Person, *approvers: Person, members: tuple[Person, ...] = (), **kwargs: Any
) -> Any:
    """A request by ``applicant`` (travelling with ``members``, with passports), approved."""
    data = with_passports(outbound_input(*(members or (applicant,)), **kwargs))
    request = outbound_create(actor=applicant.user, data=data)
    outbound_submit(actor=applicant.user, request=request)
    for person in approvers:
        task_complete(task_id=open_task(request).pk, user=person.user, action="approve")
    request.refresh_from_db()
    return request


def documents_of(request: Any) -> dict[str, Document]:
    """The latest version of each document of the request, by kind."""
    found: dict[str, Document] = {}
    for document in Document.objects.filter(
        request_kind=request.request_kind, request_id=request.pk
    ).order_by("version"):
        found[document.kind] = document
    return found


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace collapsed (justified lines widen the spaces)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of the DOCX, whitespace collapsed."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())
