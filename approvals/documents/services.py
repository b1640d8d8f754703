"""Issuing, re-issuing and rendering official documents; their bytes for the agencies' e-mails.

Issuing happens inside the transaction of the change that causes it (an approval, a
cancellation): the number is taken from the register under its row lock and the content is
snapshotted, so both roll back together. Rendering (PDF and DOCX, ~0.1–0.3 s) is kept out of
the flow's lock: a Celery task renders after commit. Either way the files are stored once, with
their SHA-256, by a conditional UPDATE.

Each document has a render state (``RenderState``): pending → rendering (claimed by a worker,
like an outbox row) → ready; an error puts it back to pending with an exponential backoff, and
after ``DOCUMENT_RENDER_MAX_ATTEMPTS`` it is failed (audited ``document.render_failed``). The beat
task ``approvals.documents.sweep_renders`` (every minute) re-queues pending renders older than
a minute (the broker was down, the backoff passed) and takes back renders left "rendering" past
``DOCUMENT_RENDER_LEASE_SECONDS`` by a worker that died; a redelivered task may take such a row
over too. A person's download never renders in the request: it queues the render and answers
"being prepared" (:class:`DocumentNotReady`). A worker that needs the bytes (an agency e-mail's
attachment) renders them on demand.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.documents import content_common, content_inbound, content_outbound
from approvals.documents.registers import next_number, number_entered, register_lock
from approvals.documents.render_docx import render_docx
from approvals.documents.render_pdf import render_pdf
from approvals.models import AgencyNotification, Decision, NoticeReason
from approvals.models.documents import (
    KIND_SERIES,
    Document,
    DocumentKind,
    DocumentSeries,
    NumberingMode,
    RenderState,
    document_docx_path,
    document_pdf_path,
    numbering_mode,
)
from approvals.outbox import broker_publish, messages_wake, sweeper_lease_end, sweeper_publish
from config.errors import StateConflict, ValidationError
from delegations.facts import CONTENT_SECTIONS, changed_sections, dossier_content
from delegations.models import InboundVisit, OutboundRequest

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FILE_PREFIX = {
    DocumentKind.OUTBOUND_DECISION: "quyet-dinh",
    DocumentKind.OUTBOUND_NOTICE: "cong-van-thong-bao",
    DocumentKind.OUTBOUND_CANCELLATION: "cong-van-huy",
    DocumentKind.INBOUND_APPROVAL: "cong-van-dong-y",
    DocumentKind.INBOUND_NOTICE: "cong-van-thong-bao",
    DocumentKind.OUTBOUND_AMENDMENT: "quyet-dinh-dieu-chinh",
    DocumentKind.OUTBOUND_REVOCATION: "quyet-dinh-huy-bo",
    DocumentKind.OUTBOUND_PROPOSAL: "to-trinh",
    DocumentKind.INBOUND_PROPOSAL: "to-trinh",
}
#: The documents whose text names the request's decision: numbered after it.
REFERS_TO_DECISION = (
    DocumentKind.OUTBOUND_NOTICE,
    DocumentKind.OUTBOUND_CANCELLATION,
    DocumentKind.OUTBOUND_AMENDMENT,
    DocumentKind.OUTBOUND_REVOCATION,
)
#: Numbers the văn thư enters stay within what a paper register holds.
MAX_ENTERED_NUMBER = 999_999


class DocumentNotReady(Exception):
    """The document's files are not made yet; its render is queued (the API answers 202)."""

    def __init__(self, document: Document) -> None:
        super().__init__(f"{document.number_text}: {document.render_state}")
        self.document = document


class DocumentError(StateConflict):
    """A document cannot be issued, re-issued, numbered or written now: a conflict with the
    state of the record (409 wherever a :class:`StateConflict` is answered, the API included),
    so that it reaches nobody as a 500 from a change that issues documents."""


def current_document(request_kind: str, request_id: int, kind: str) -> Document | None:
    """The latest version of a request's document of one kind, if any."""
    return (
        Document.objects.filter(request_kind=request_kind, request_id=request_id, kind=kind)
        .order_by("-version")
        .first()
    )


def current_documents(request_kind: str, request_id: int, kinds: Sequence[str]) -> list[Document]:
    """:func:`current_document` of each of ``kinds`` that exists, in that order, in one query."""
    latest: dict[str, Document] = {}
    for document in Document.objects.filter(
        request_kind=request_kind, request_id=request_id, kind__in=kinds
    ).order_by("version"):  # every version; the last of each kind wins
        latest[document.kind] = document
    return [latest[kind] for kind in kinds if kind in latest]


def _ref(document: Document | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {
        "number_text": document.number_text,
        "issued_on": document.issued_on,
        "issuer_name": document_content(document)["issuer"]["short_name"],
    }


def _pending_content(
    kind: str, request: Any, *, number_text: str, issued_on: Any, reason: str,
    extra: dict[str, Any], issued_from: dict[str, str],
) -> dict[str, Any]:  # fmt: skip
    """What a document issued with its text to follow holds until the text is written:
    ``issued_from`` is the section digests of the dossier it was issued from, which the text
    will be checked against (:func:`_text_as_decided`)."""
    return {
        "pending": True,
        "issued_from": issued_from,
        "kind": kind,
        "number_text": number_text,
        "issued_on": issued_on.isoformat(),
        "request": {"kind": request.request_kind, "id": request.pk, "reference": request.reference},
        "issue_reason": reason,
        "extra": extra,
    }


def document_content(
    document: Document, *, request: Any = None, current: dict[str, str] | None = None
) -> dict[str, Any]:
    """The document's text; written now from the request when it was issued to follow.

    An approval numbers its documents in its transaction and leaves their text to be written
    after commit (``text_later`` of :func:`document_issue`): by the render, or by whoever needs
    it first (a later document naming it). The row, its number and its audit event exist from
    the approval on, so a crash loses nothing: the render sweeper finds the row pending.
    ``request`` and ``current`` (its dossier's digests): when the caller read them for several
    documents of one request.
    """
    content: dict[str, Any] = document.content
    if not content.get("pending"):
        return content
    request = request if request is not None else request_of(document)
    if not _text_as_decided(document, request, content.get("issued_from") or {}, current):
        document.refresh_from_db(fields=["content", "title"])
        written_meanwhile: dict[str, Any] = document.content
        if not written_meanwhile.get("pending"):
            return written_meanwhile  # settled from the dossier as decided, before the change
        raise DocumentError(
            _(
                "Hồ sơ đã thay đổi sau khi văn bản %(number)s được ban hành mà nội dung văn bản "
                "chưa được ghi: không ghi nội dung theo hồ sơ đã thay đổi. Vui lòng báo quản trị "
                "hệ thống."
            )
            % {"number": document.number_text}
        )
    content = build_content(
        document.kind, request, number_text=document.number_text, issued_on=document.issued_on,
        reason=content.get("issue_reason", ""), extra=content.get("extra") or {},
    )  # fmt: skip
    # Writing the text of an issued document is part of its issue, like storing its files.
    # Only over the pending marker: a text written meanwhile (by a change to the dossier that
    # settled it first, :func:`documents_text_settle`) was written from the dossier as decided
    # and stays; this one may have read the dossier after that change.
    written = Document.objects.filter(pk=document.pk, content__pending=True).update(
        content=content, title=content["summary"][:255]
    )
    if not written:
        document.refresh_from_db(fields=["content", "title"])
        settled: dict[str, Any] = document.content
        return settled
    document.content = content
    document.title = content["summary"][:255]
    return content


#: The dossier's sections a document's text is written from (its attachments are not).
TEXT_SECTIONS = frozenset(CONTENT_SECTIONS) - {"attachments"}


def _text_as_decided(
    document: Document,
    request: Any,
    issued_from: dict[str, str],
    current: dict[str, str] | None = None,
) -> bool:
    """Whether the dossier still says what it said when the document was issued, in every
    section a text is written from.

    Every change to a decided dossier writes the pending texts first, and waits for documents
    awaiting their number (:func:`documents_text_settle`); a change that did not (a defect) is
    caught here instead of putting what nobody decided into an issued document. A document
    issued before the digests were recorded (``issued_from`` empty) is not checked.
    """
    if not issued_from:
        return True
    if current is None:
        current = dossier_content(request)
    changed = [s for s in changed_sections(issued_from, current) if s in TEXT_SECTIONS]
    if changed:
        logger.error(
            "document %s: the dossier changed since its issue (%s) and its text was not written",
            document.pk,
            ", ".join(changed),
        )
    return not changed


def documents_text_settle(request: Any) -> None:
    """Before a change to a decided dossier: write now the text of the request's documents
    still waiting for it, from the dossier as it stands; refuse the change while a document
    waits for the văn thư's number.

    A change to the dossier after documents were issued with their text to follow (an
    amendment of an approved visit, an extension, an edit after a return) calls this under the
    request's row lock before it changes anything: otherwise a render that comes late (an
    outage) would write the changed roster or dates into a document issued before the change.
    A document awaiting its number (``NumberingMode.ENTERED``) is written again when the number
    is entered, from the dossier as it is then; so the change waits until it is numbered.
    """
    waiting = Document.objects.filter(
        Q(content__pending=True) | Q(number__isnull=True),
        request_kind=request.request_kind,
        request_id=request.pk,
    ).order_by("pk")
    current: dict[str, str] | None = None  # the dossier's digests, read once for all
    for document in waiting:
        if document.number is None:
            raise StateConflict(
                _(
                    "Văn bản “%(title)s” đang chờ văn thư vào số: hãy vào số văn bản trước rồi "
                    "mới thay đổi hồ sơ, để văn bản ghi đúng nội dung đã phê duyệt."
                )
                % {"title": document.get_kind_display()}
            )
        try:
            if current is None and document.content.get("issued_from"):
                current = dossier_content(request)
            document_content(document, request=request, current=current)
        except Exception as exc:
            # The change must not go ahead of a text that could not be written: refused (409),
            # the render's own error shows on the operations page.
            logger.exception("document %s: its text could not be written", document.pk)
            raise StateConflict(
                _(
                    "Văn bản %(number)s đã ban hành nhưng chưa ghi xong nội dung, nên chưa thể "
                    "thay đổi hồ sơ; vui lòng thử lại sau hoặc báo quản trị hệ thống."
                )
                % {"number": document.number_text}
            ) from exc


def _decision_ref(request: Any) -> dict[str, Any] | None:
    return _ref(current_document(request.request_kind, request.pk, DocumentKind.OUTBOUND_DECISION))


#: How a replacement names the document it replaces, by register series.
SERIES_LABEL = {
    DocumentSeries.DECISION: "Quyết định",
    DocumentSeries.LETTER: "Công văn",
    DocumentSeries.PROPOSAL: "Tờ trình",
}


def _replaced_text(document: Document) -> str:
    """``Quyết định số 01/QĐ-SGDĐT ngày 05 tháng 3 năm 2026`` (what a replacement names)."""
    label = SERIES_LABEL.get(DocumentSeries(document.register.series), "Văn bản")
    return f"{label} số {document.number_text} {content_common.long_date(document.issued_on)}"


def build_content(
    kind: str,
    request: Any,
    *,
    number_text: str,
    issued_on: Any,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The snapshot of one document of a request, as it stands now.

    ``extra`` carries what the request no longer shows: an extension's previous return date
    (``old_return``), the document a replacement replaces (``replaces``).
    """
    extra = extra or {}
    issuer = content_common.issuer_for(content_common.issuing_unit(request))
    signature = content_common.signature_for(request, issuer)
    # Only the documents that name the decision read it (the decision itself must not).
    decision = _decision_ref(request) if kind in REFERS_TO_DECISION else None
    if kind == DocumentKind.OUTBOUND_DECISION:
        specific = content_outbound.decision_content(
            request, issuer=issuer, number_text=number_text, issued_on=issued_on
        )
    elif kind == DocumentKind.OUTBOUND_NOTICE:
        specific = content_outbound.notice_content(request, issuer=issuer, decision=decision)
    elif kind == DocumentKind.OUTBOUND_CANCELLATION:
        revocation = _ref(
            current_document(request.request_kind, request.pk, DocumentKind.OUTBOUND_REVOCATION)
        )
        specific = content_outbound.cancellation_content(
            request, issuer=issuer, decision=decision, reason=reason, revocation=revocation
        )
        signature = content_common.authority_signature(issuer, issued_on)
    elif kind == DocumentKind.OUTBOUND_REVOCATION:
        if decision is None:
            raise DocumentError(_("Hồ sơ chưa có quyết định để hủy bỏ."))
        specific = content_outbound.revocation_content(
            request, issuer=issuer, decision=decision, reason=reason
        )
        signature = content_common.authority_signature(issuer, issued_on)
    elif kind == DocumentKind.OUTBOUND_AMENDMENT:
        if decision is None:
            raise DocumentError(_("Hồ sơ chưa có quyết định để điều chỉnh."))
        specific = content_outbound.amendment_content(
            request,
            issuer=issuer,
            decision=decision,
            old_return=datetime.date.fromisoformat(extra["old_return"]),
        )
        signature = content_common.signature_for(
            request, issuer, content_common.EXTENSION_SIGNING_STEPS
        )
    elif kind == DocumentKind.OUTBOUND_PROPOSAL:
        specific = content_outbound.proposal_content(request, issuer=issuer)
    elif kind == DocumentKind.INBOUND_PROPOSAL:
        specific = content_inbound.proposal_content(request, issuer=issuer)
    elif kind == DocumentKind.INBOUND_APPROVAL:
        specific = content_inbound.approval_content(request, issuer=issuer)
    elif kind == DocumentKind.INBOUND_NOTICE:
        specific = content_inbound.notice_content(request, issuer=issuer)
    else:
        raise ValueError(f"Unknown document kind {kind!r}")
    content = {
        "kind": kind,
        "issuer": issuer.as_json(),
        "number_text": number_text,
        "issued_on": issued_on.isoformat(),
        "date_line": content_common.date_line(issued_on, issuer.place),
        "signature": signature,
        "request": {
            "kind": request.request_kind,
            "id": request.pk,
            "reference": request.reference,
        },
        "issue_reason": reason,
        "extra": extra,
        **specific,
    }
    if extra.get("replaces"):
        content_common.replacement_note(content, extra["replaces"])
    return content


def render_dispatch(document_id: int) -> threading.Thread | None:
    """Queue the render; when the broker is down the render sweeper queues it later.

    Without a worker (Celery eager, the demo) an eager task would render in the approver's
    request, after the commit but before the answer: seconds of waiting. There the render runs
    in a thread of its own instead (``DOCUMENT_RENDER_IN_THREAD``, on by default when eager);
    the row's claim makes a repeat harmless, and a download renders whatever is still pending.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "DOCUMENT_RENDER_IN_THREAD", False):
        thread = threading.Thread(
            target=_render_in_thread, args=(document_id,), name=f"render-{document_id}",
            daemon=True,
        )  # fmt: skip
        thread.start()
        return thread
    broker_publish(render_document, document_id, what=f"render of document {document_id}")
    return None


#: Tries of a render in its own thread before it is left to the sweeper and the download.
THREAD_RENDER_TRIES = 5


def _render_in_thread(document_id: int) -> None:
    # No sweeper may be running where there is no worker: a try that met a busy database (SQLite
    # locks while the approver's request writes) is made due again and repeated a moment later.
    try:
        for _try in range(THREAD_RENDER_TRIES):
            try:
                if render_attempt(document_id) != "retry":
                    return
                Document.objects.filter(pk=document_id, render_state=RenderState.PENDING).update(
                    render_next_at=timezone.now()
                )
            except DatabaseError as exc:
                logger.warning("documents: render of %s in a thread: %s", document_id, exc)
            time.sleep(1)
    finally:
        connection.close()  # the thread's own connection


def _after_commit_render(document: Document) -> None:
    pk = document.pk
    transaction.on_commit(lambda: render_dispatch(pk), robust=True)


def _number_for(
    *, kind: str, unit: Any, year: int, confidential: bool
) -> tuple[Any, int | None, str]:
    """``(register, number, number_text)``; no number where the văn thư enters it."""
    series = KIND_SERIES[kind]
    if numbering_mode(unit) == NumberingMode.ENTERED:
        register = register_lock(unit=unit, series=series, year=year, confidential=confidential)
        return register, None, f"…/{register.symbol}"
    register, number = next_number(unit=unit, series=series, year=year, confidential=confidential)
    return register, number, content_common.number_text(number, register.symbol)


def _decided(signer: Decision | None) -> dict[str, str]:
    """The section digests of the dossier the signing decision saw (``Decision.content``;
    empty without one, or for a decision that recorded none)."""
    return dict(signer.content) if signer is not None and signer.content else {}


def _after_issue(document: Document) -> None:
    if document.number is not None:
        _after_commit_render(document)


# No savepoint of its own: every caller lets an error end its whole change (the approval, the
# cancellation, the extension), so a number is never kept for a document that was not written.
@transaction.atomic(savepoint=False)
def document_issue(
    *,
    kind: str,
    request: Any,
    actor: User | None = None,
    reason: str = "",
    confidential: bool = False,
    extra: dict[str, Any] | None = None,
    text_later: bool = False,
    signer: Decision | None = None,
    none_yet: bool = False,
) -> Document:
    """Number and snapshot a document of the request (idempotent: one per kind and request).

    Call inside the transaction of the change that causes it; the files are rendered after
    commit. ``text_later``: only the number is taken now; the text is written from the request
    after commit, with the files (:func:`document_content`), out of the decision's
    transaction. ``reason`` is the cancellation's reason for the cancellation letter. Where the
    issuing unit keeps its own register (``NumberingMode.ENTERED``) the document waits for
    the văn thư's number (:func:`document_enter_number`) and reserves nothing. ``signer``: the
    approval whose author signs (:func:`content_common.signing_decision`), when the caller read
    it for several documents. ``none_yet``: the caller found no document of this kind (it read
    those of several kinds at once), so it is not looked up again.
    """
    existing = None if none_yet else current_document(request.request_kind, request.pk, kind)
    if existing is not None:
        return existing
    issued_on = timezone.localdate()
    issuer_unit = content_common.issuing_unit(request)
    register, number, number_text = _number_for(
        kind=kind, unit=issuer_unit, year=issued_on.year, confidential=confidential
    )
    if actor is None and signer is None:
        signer = content_common.signing_decision(request)
    later = text_later and number is not None  # an entered number writes the text then
    # The dossier a text written later is checked against (:func:`_text_as_decided`). At an
    # approval or a proposal (``text_later``) it is what the decision just taken saw, read by it.
    issued_from: dict[str, str] = {}
    if later or number is None:
        issued_from = _decided(signer) if text_later else dossier_content(request)
    content = (
        _pending_content(
            kind, request, number_text=number_text, issued_on=issued_on, reason=reason,
            extra=extra or {}, issued_from=issued_from,
        )
        if later
        else build_content(
            kind, request, number_text=number_text, issued_on=issued_on, reason=reason,
            extra=extra,
        )
    )  # fmt: skip
    if number is None:  # its text is written again from the dossier when the number is entered
        content["issued_from"] = issued_from
    document = Document(
        kind=kind,
        register=register,
        number=number,
        number_text=number_text,
        title=content.get("summary", "")[:255],
        request_kind=request.request_kind,
        request_id=request.pk,
        issued_on=issued_on,
        issued_by=actor or (signer.actor if signer else None),
        content=content,
        render_state=RenderState.PENDING if number else RenderState.AWAITING_NUMBER,
    )
    document.save(force_insert=True)
    audit_record(
        actor=actor,
        action="document.issued",
        obj=document,
        after={
            "kind": kind,
            "number": number_text,
            "request": f"{request.request_kind}:{request.pk}",
            "confidential": confidential,
            "awaiting_number": number is None,
        },
        comment=reason,
    )
    _after_issue(document)
    return document


@transaction.atomic
def document_reissue(
    *, document: Document, actor: User, reason: str, confidential: bool | None = None
) -> Document:
    """A correction or replacement: a new document with a NEW number that says which one it
    replaces (NĐ 30, Art. 15(1) and 18(3)); the old one stays as it was.

    Built from the request as it is now, dated today; ``confidential`` puts it in the
    confidential register (default: the register of the one it replaces). Only the latest
    version may be replaced, and only once it has its number.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Vui lòng nêu lý do ban hành lại văn bản."))
    locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    latest = current_document(locked.request_kind, locked.request_id, locked.kind)
    if latest is None or latest.pk != locked.pk:
        raise DocumentError(_("Chỉ ban hành lại được phiên bản mới nhất của văn bản."))
    if locked.number is None:
        raise DocumentError(_("Văn bản chưa được vào số: hãy vào số trước khi thay thế."))
    request = request_of(locked)
    issued_on = timezone.localdate()
    secret = locked.register.confidential if confidential is None else confidential
    register, number, number_text = _number_for(
        kind=locked.kind, unit=locked.register.unit, year=issued_on.year, confidential=secret
    )
    extra = {**locked.content.get("extra", {}), "replaces": _replaced_text(locked)}
    content = build_content(
        locked.kind, request, number_text=number_text, issued_on=issued_on,
        reason=locked.content.get("issue_reason", ""), extra=extra,
    )  # fmt: skip
    content["reissue_reason"] = reason
    new = Document(
        kind=locked.kind,
        register=register,
        number=number,
        number_text=number_text,
        version=locked.version + 1,
        supersedes=locked,
        title=content["summary"][:255],
        request_kind=locked.request_kind,
        request_id=locked.request_id,
        issued_on=issued_on,
        issued_by=actor,
        reason=reason,
        content=content,
        render_state=RenderState.PENDING if number else RenderState.AWAITING_NUMBER,
    )
    try:
        with transaction.atomic():
            new.save(force_insert=True)
    except IntegrityError as exc:
        raise DocumentError(_("Văn bản vừa được ban hành lại bởi người khác.")) from exc
    audit_record(
        actor=actor,
        action="document.reissued",
        obj=new,
        before={"version": locked.version, "number": locked.number_text,
                "pdf_sha256": locked.pdf_sha256},
        after={"version": new.version, "number": new.number_text, "confidential": secret},
        comment=reason,
    )  # fmt: skip
    _after_issue(new)
    return new


def _entered_number(raw: Any) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_ENTERED_NUMBER:
        raise ValidationError(
            {"number": [_("Số văn bản là một số nguyên dương (tối đa 6 chữ số).")]}
        )
    return int(text)


@transaction.atomic
def document_enter_number(
    *,
    document: Document,
    actor: User,
    number: Any,
    issued_on: datetime.date | None,
    confidential: bool = False,
) -> Document:
    """The văn thư enters the number and date given in the unit's own register.

    The date is not in the future nor before the document was prepared; the number is unique
    in its register (unit, series, year of that date, confidential or not). The text is then
    written with that number and date, and the files are rendered after commit.
    """
    value = _entered_number(number)
    today = timezone.localdate()
    prepared = timezone.localdate(document.issued_at)
    if issued_on is None:
        raise ValidationError({"issued_on": [_("Nhập ngày ban hành ghi trong sổ.")]})
    if issued_on > today:
        raise ValidationError({"issued_on": [_("Ngày ban hành không được sau hôm nay.")]})
    if issued_on < prepared:
        raise ValidationError(
            {"issued_on": [_("Ngày ban hành không được trước ngày văn bản được lập (%(day)s).")
                           % {"day": f"{prepared:%d/%m/%Y}"}]}
        )  # fmt: skip
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("register")
        .get(pk=document.pk)
    )
    if locked.number is not None:
        raise DocumentError(_("Văn bản này đã có số %(number)s.") % {"number": locked.number_text})
    if locked.kind in REFERS_TO_DECISION:
        decision = current_document(
            locked.request_kind, locked.request_id, DocumentKind.OUTBOUND_DECISION
        )
        if decision is not None and decision.number is None:
            raise DocumentError(_("Hãy vào số quyết định trước: văn bản này dẫn số của nó."))
    old = locked.register
    register = register_lock(
        unit=old.unit, series=old.series, year=issued_on.year, confidential=confidential
    )
    if Document.objects.filter(register=register, number=value).exists():
        raise ValidationError(
            {"number": [_("Số %(number)s đã có trong sổ %(register)s năm %(year)s.")
                        % {"number": f"{value:02d}", "register": register.symbol,
                           "year": register.year}]}
        )  # fmt: skip
    text = content_common.number_text(value, register.symbol)
    request = request_of(locked)
    if not _text_as_decided(locked, request, locked.content.get("issued_from") or {}):
        raise DocumentError(
            _(
                "Hồ sơ đã thay đổi sau khi văn bản được lập, nên không thể vào số văn bản này "
                "theo hồ sơ đã thay đổi. Vui lòng báo quản trị hệ thống."
            )
        )
    content = build_content(
        locked.kind, request, number_text=text, issued_on=issued_on,
        reason=locked.content.get("issue_reason", ""), extra=locked.content.get("extra") or {},
    )  # fmt: skip
    for key in ("reissue_reason",):
        if key in locked.content:
            content[key] = locked.content[key]
    try:
        with transaction.atomic():
            Document.objects.filter(pk=locked.pk, number__isnull=True).update(
                register=register,
                number=value,
                number_text=text,
                issued_on=issued_on,
                content=content,
                title=content["summary"][:255],
                number_entered_by=actor,
                render_state=RenderState.PENDING,
                render_next_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise DocumentError(_("Số này vừa được dùng cho văn bản khác.")) from exc
    number_entered(register, value)
    audit_record(
        actor=actor,
        action="document.number_entered",
        obj=locked,
        before={"number": locked.number_text},
        after={"number": text, "issued_on": issued_on, "confidential": confidential},
    )
    entered = Document.objects.get(pk=locked.pk)
    _after_commit_render(entered)
    return entered


def request_of(document: Document) -> Any:
    """The outbound request or inbound visit a document belongs to."""

    model = OutboundRequest if document.request_kind == "outbound" else InboundVisit
    return model.objects.select_related("unit").get(pk=document.request_id)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_render(document: Document) -> Document:
    """Render and store the PDF and DOCX once; a second caller finds them and does nothing."""
    if document.rendered_at is not None:
        return document
    if document.number is None:
        raise DocumentError(_("Văn bản chưa được văn thư vào số."))

    content = document_content(document)
    pdf_bytes = render_pdf(content, created=document.issued_at)
    docx_bytes = render_docx(content, created=document.issued_at)
    storage = Document.pdf.field.storage
    pdf_name = storage.save(document_pdf_path(document, ""), ContentFile(pdf_bytes))
    docx_name = storage.save(document_docx_path(document, ""), ContentFile(docx_bytes))
    with transaction.atomic():
        claimed = Document.objects.filter(pk=document.pk, rendered_at__isnull=True).update(
            pdf=pdf_name,
            pdf_sha256=_sha256(pdf_bytes),
            docx=docx_name,
            docx_sha256=_sha256(docx_bytes),
            rendered_at=timezone.now(),
            render_state=RenderState.READY,
            render_error="",
        )
        if claimed:
            audit_record(
                actor=None,
                action="document.rendered",
                object_type=Document._meta.label_lower,
                object_id=document.pk,
                after={"pdf_sha256": _sha256(pdf_bytes), "docx_sha256": _sha256(docx_bytes)},
            )
            # Mail before paperwork: once committed, the last of the request's renders sends
            # the agencies' e-mails that wait for their files.
            transaction.on_commit(
                partial(_mail_when_rendered, document.request_kind, document.request_id),
                robust=True,
            )
    if not claimed:
        # Rendered concurrently by someone else: theirs is the stored copy, drop ours.
        storage.delete(pdf_name)
        storage.delete(docx_name)
    return Document.objects.get(pk=document.pk)


def _mail_when_rendered(request_kind: str, request_id: int) -> None:
    """Wake the request's waiting agency e-mails once none of its documents is still to render.

    Checked after the render's commit, so of two renders finishing together at least the later
    one sees both stored; an e-mail woken twice is claimed once. While another document is
    pending, its own render will do it (an e-mail woken too early would only wait again).
    """
    to_render = Document.objects.filter(
        request_kind=request_kind,
        request_id=request_id,
        render_state__in=(RenderState.PENDING, RenderState.RENDERING),
    )
    if not to_render.exists():
        messages_wake(request_kind=request_kind, request_id=request_id)


# --- the render's state: claim, backoff, sweep ---------------------------------------------


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def render_retry_delay(attempts: int) -> datetime.timedelta:
    """Backoff after the n-th failed render: base, 2×base, 4×base… capped at one hour."""
    base = _setting("DOCUMENT_RENDER_RETRY_BASE_SECONDS", 60)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim_render(document_id: int, now: datetime.datetime) -> bool:
    """pending (due) → rendering; a row left "rendering" past its lease may be taken over."""
    claimed = (
        Document.objects.filter(
            Document.render_queue.due_now(now) | Document.render_queue.abandoned(now),
            pk=document_id,
        )
        .filter(rendered_at__isnull=True)
        .update(
            render_state=RenderState.RENDERING,
            render_claimed_at=now,
            render_attempts=F("render_attempts") + 1,
        )
    )
    return claimed == 1


def _render_failed(document: Document, error: str) -> str:
    """Back to pending after a backoff, or failed (audited) after the last attempt."""
    now = timezone.now()
    mine = Document.objects.filter(pk=document.pk, render_state=RenderState.RENDERING)
    if document.render_attempts < _setting("DOCUMENT_RENDER_MAX_ATTEMPTS", 5):
        mine.update(
            render_state=RenderState.PENDING,
            render_next_at=now + render_retry_delay(document.render_attempts),
            render_error=error,
        )
        return "retry"
    with transaction.atomic():
        if mine.update(render_state=RenderState.FAILED, render_error=error):
            audit_record(
                actor=None,
                action="document.render_failed",
                object_type=Document._meta.label_lower,
                object_id=document.pk,
                after={"attempts": document.render_attempts},
                comment=error,
            )
    return "failed"


def render_attempt(document_id: int) -> str:
    """One try at a document's files: ``"ready"``, ``"skipped"`` (not due, or someone else's),
    ``"retry"`` (an error; the sweeper tries again after the backoff) or ``"failed"``."""
    if not _claim_render(document_id, timezone.now()):
        return "skipped"
    document = Document.objects.get(pk=document_id)
    # The stored reason is part of the record: in the site's language, whoever asked.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            document_render(document)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning("documents: render of %s attempt %s: %s", document_id,
                           document.render_attempts, error)  # fmt: skip
            return _render_failed(document, error)
    return "ready"


def render_sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Re-queue renders left undone; returns how many were queued.

    Pending rows whose ``render_next_at`` passed more than ``DOCUMENT_RENDER_SWEEP_GRACE_SECONDS``
    (60 s) ago (their on-commit task never reached the broker, or their backoff is over), and
    rows left "rendering" past the lease (their worker died), which go back to pending and are
    queued in the same sweep. A render already queued by an earlier sweep is not queued again
    within ``DOCUMENT_RENDER_DISPATCH_LEASE_SECONDS``.
    """
    now = now or timezone.now()
    due = Document.render_queue.sweep(Document.objects.all(), now, limit)
    queued = 0
    for document_id in due:
        if render_document.app.conf.task_always_eager:  # no queue: in a thread (render_dispatch)
            render_dispatch(document_id)
            queued += 1
        else:  # at most once per lease, as the outbox sweeper (approvals.outbox)
            queued += sweeper_publish(
                render_document,
                document_id,
                what=f"render of document {document_id}",
                lease_setting="DOCUMENT_RENDER_DISPATCH_LEASE_SECONDS",
            )
    return queued


@transaction.atomic
def document_render_retry(*, document_id: int, actor: User) -> Document:
    """An administrator starts a failed render over (attempts from zero); audited."""
    document = Document.objects.select_for_update(of=("self",)).filter(pk=document_id).first()
    if document is None or document.render_state != RenderState.FAILED:
        raise StateConflict(_("Chỉ tạo lại được tệp của văn bản đang ở trạng thái lỗi."))
    before = {"render_state": document.render_state, "attempts": document.render_attempts}
    Document.objects.filter(pk=document.pk).update(
        render_state=RenderState.PENDING, render_attempts=0, render_next_at=timezone.now()
    )  # the render's bookkeeping, not the issued document: saved by update like the worker's
    audit_record(
        actor=actor,
        action="document.render_retried",
        obj=document,
        before=before,
        after={"render_state": RenderState.PENDING},
        comment=document.render_error[:500],
    )
    _after_commit_render(document)
    return document


class TamperedFile(Exception):
    """A stored file no longer matches the SHA-256 recorded when it was rendered."""


def document_file(document: Document, fmt: str = "pdf") -> tuple[str, bytes, str]:
    """``(filename, bytes, content type)`` of the PDF or DOCX, rendered first if need be.

    The bytes are checked against the stored SHA-256: a file changed on disk is refused.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    document = document_render(document)
    field = document.pdf if fmt == "pdf" else document.docx
    with field.open("rb") as handle:
        data = handle.read()
    expected = document.pdf_sha256 if fmt == "pdf" else document.docx_sha256
    if _sha256(data) != expected:
        raise TamperedFile(f"{document.number_text} ({fmt})")
    return file_name(document, fmt), data, FORMATS[fmt]


def file_name(document: Document, fmt: str) -> str:
    """``quyet-dinh-12-QD-SGDDT.pdf``: ASCII, so every mail client and browser keeps it."""

    symbol = document.number_text.replace("Đ", "D").replace("đ", "d").replace("/", "-")
    version = f"-v{document.version}" if document.version > 1 else ""
    prefix = FILE_PREFIX.get(DocumentKind(document.kind), "van-ban")
    return f"{prefix}-{slugify(symbol)}{version}.{fmt}"


#: Which documents go with an agency notification, by request kind and reason.
NOTIFICATION_DOCUMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("outbound", NoticeReason.APPROVAL): (
        DocumentKind.OUTBOUND_NOTICE,
        DocumentKind.OUTBOUND_DECISION,
    ),
    ("outbound", NoticeReason.CANCELLATION): (
        DocumentKind.OUTBOUND_CANCELLATION,
        DocumentKind.OUTBOUND_REVOCATION,
    ),
    ("outbound", NoticeReason.EXTENSION): (DocumentKind.OUTBOUND_AMENDMENT,),
    ("inbound", NoticeReason.APPROVAL): (DocumentKind.INBOUND_NOTICE,),
}


def notification_documents(notification: AgencyNotification) -> list[Document]:
    """The current documents an agency notification carries (letter first)."""
    kinds = NOTIFICATION_DOCUMENTS.get((notification.request_kind, notification.reason), ())
    return current_documents(notification.request_kind, notification.request_id, kinds)


def documents_issue_on_approval(*, request: Any) -> list[Document]:
    """The approval's documents, in its transaction.

    Outbound: the decision (unless the City decided: its number is recorded on the request)
    and the agencies' letter. Inbound: the approval letter to the host and the agencies' letter.
    """
    if request.request_kind == "inbound":
        kinds = [DocumentKind.INBOUND_APPROVAL, DocumentKind.INBOUND_NOTICE]
    else:
        kinds = [DocumentKind.OUTBOUND_NOTICE]
        if request.route != "CITY":
            kinds.insert(0, DocumentKind.OUTBOUND_DECISION)
    signer = content_common.signing_decision(request)
    issued = {d.kind: d for d in current_documents(request.request_kind, request.pk, kinds)}
    return [
        issued.get(kind)
        or document_issue(kind=kind, request=request, text_later=True, signer=signer, none_yet=True)
        for kind in kinds
    ]


def documents_issue_on_cancellation(*, request: Any, actor: User | None, reason: str) -> Document:
    """A cancellation after approval, in its transaction: the authority's decision revoking
    its own decision (prepared for the head of the issuing unit to sign; none when the City
    decided), then the letter to the agencies and the unit, which names it."""
    if _decision_ref(request) is not None:
        document_issue(
            kind=DocumentKind.OUTBOUND_REVOCATION, request=request, actor=actor, reason=reason
        )
    return document_issue(
        kind=DocumentKind.OUTBOUND_CANCELLATION, request=request, actor=actor, reason=reason
    )


def documents_issue_on_extension(*, request: Any, old_return: datetime.date) -> Document | None:
    """An approved extension, in its transaction: the decision amending the return date of the
    request's decision (none when the City decided: its decision is recorded on the request)."""
    if _decision_ref(request) is None:
        return None
    kind = DocumentKind.OUTBOUND_AMENDMENT
    existing = current_document(request.request_kind, request.pk, kind)
    extra = {"old_return": old_return.isoformat()}
    if existing is None:
        return document_issue(kind=kind, request=request, extra=extra)
    # A second extension amends again: a new decision with its own number.
    issued_on = timezone.localdate()
    register, number, number_text = _number_for(
        kind=kind, unit=existing.register.unit, year=issued_on.year, confidential=False
    )
    content = build_content(
        kind, request, number_text=number_text, issued_on=issued_on, extra=extra
    )
    signer = content_common.signing_decision(request, content_common.EXTENSION_SIGNING_STEPS)
    document = Document(
        kind=kind, register=register, number=number, number_text=number_text,
        version=existing.version + 1, supersedes=existing, title=content["summary"][:255],
        request_kind=request.request_kind, request_id=request.pk, issued_on=issued_on,
        issued_by=signer.actor if signer else None, content=content,
        render_state=RenderState.PENDING if number else RenderState.AWAITING_NUMBER,
    )  # fmt: skip
    document.save(force_insert=True)
    audit_record(
        actor=None, action="document.issued", obj=document,
        after={"kind": kind, "number": number_text, "request": f"outbound:{request.pk}"},
    )  # fmt: skip
    _after_issue(document)
    return document


def documents_issue_on_proposal(*, request: Any) -> Document:
    """Route CITY: the Director's proposal to UBND TP (tờ trình), numbered in the Sở's
    register of tờ trình when the Director approves the proposal step."""
    kind = (
        DocumentKind.INBOUND_PROPOSAL
        if request.request_kind == "inbound"
        else DocumentKind.OUTBOUND_PROPOSAL
    )
    return document_issue(kind=kind, request=request, text_later=True)


def document_file_for_user(document: Any, fmt: str, user: Any) -> tuple[str, bytes, str]:
    """A document's file for a person to read; audited, since it shows passport numbers.

    Never renders in the person's request: a document without files has its render queued
    (eager Celery, without a broker, renders it right here) and :class:`DocumentNotReady` is
    raised when the files are still not there.
    """
    if document.number is None:
        raise DocumentError(
            _("Văn bản chưa được văn thư vào số từ sổ đăng ký văn bản: chưa có tệp để tải.")
        )
    if document.rendered_at is None:
        if document.render_state != RenderState.RENDERING:
            render_dispatch(document.pk)
        document = Document.objects.get(pk=document.pk)
        if document.rendered_at is None:
            raise DocumentNotReady(document)
    result = document_file(document, fmt)
    audit_record(
        actor=user,
        action="document.viewed",
        object_type="document",
        object_id=document.pk,
        after={"format": fmt, "number": str(document), "shows_passport_numbers": True},
    )
    return result


@shared_task(name="approvals.documents.render_document")
def render_document(document_id: int) -> str:
    """Celery: render the PDF and DOCX of an issued document after its transaction committed.

    Thin: id in, :func:`render_attempt` does the work; a repeat finds them done or claimed.
    """
    sweeper_lease_end(render_document, document_id)
    return render_attempt(document_id)


@shared_task(name="approvals.documents.sweep_renders", ignore_result=True)
def sweep_renders() -> int:
    """Every minute: re-queue pending renders and take back those of dead workers."""
    return render_sweep()
