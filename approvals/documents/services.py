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
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.documents import content_common, content_inbound, content_outbound
from approvals.documents.registers import next_number
from approvals.documents.render_docx import render_docx
from approvals.documents.render_pdf import render_pdf
from approvals.models import AgencyNotification, NoticeReason
from approvals.models.documents import (
    KIND_SERIES,
    Document,
    DocumentKind,
    RenderState,
    document_docx_path,
    document_pdf_path,
)
from approvals.outbox import broker_publish
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
}


class DocumentNotReady(Exception):
    """The document's files are not made yet; its render is queued (the API answers 202)."""

    def __init__(self, document: Document) -> None:
        super().__init__(f"{document.number_text}: {document.render_state}")
        self.document = document


class DocumentError(Exception):
    """A document cannot be issued or re-issued now (the API answers 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def current_document(request_kind: str, request_id: int, kind: str) -> Document | None:
    """The latest version of a request's document of one kind, if any."""
    return (
        Document.objects.filter(request_kind=request_kind, request_id=request_id, kind=kind)
        .order_by("-version")
        .first()
    )


def _decision_ref(request: Any) -> dict[str, Any] | None:
    decision = current_document(request.request_kind, request.pk, DocumentKind.OUTBOUND_DECISION)
    if decision is None:
        return None
    return {
        "number_text": decision.number_text,
        "issued_on": decision.issued_on,
        "issuer_name": decision.content["issuer"]["short_name"],
    }


def build_content(
    kind: str, request: Any, *, number_text: str, issued_on: Any, reason: str = ""
) -> dict[str, Any]:
    """The snapshot of one document of a request, as it stands now."""
    issuer = content_common.issuer_for(content_common.issuing_unit(request))
    if kind == DocumentKind.OUTBOUND_DECISION:
        specific = content_outbound.decision_content(
            request, issuer=issuer, number_text=number_text, issued_on=issued_on
        )
    elif kind == DocumentKind.OUTBOUND_NOTICE:
        specific = content_outbound.notice_content(
            request, issuer=issuer, decision=_decision_ref(request)
        )
    elif kind == DocumentKind.OUTBOUND_CANCELLATION:
        specific = content_outbound.cancellation_content(
            request, issuer=issuer, decision=_decision_ref(request), reason=reason
        )
    elif kind == DocumentKind.INBOUND_APPROVAL:
        specific = content_inbound.approval_content(request, issuer=issuer)
    elif kind == DocumentKind.INBOUND_NOTICE:
        specific = content_inbound.notice_content(request, issuer=issuer)
    else:
        raise ValueError(f"Unknown document kind {kind!r}")
    return {
        "kind": kind,
        "issuer": issuer.as_json(),
        "number_text": number_text,
        "issued_on": issued_on.isoformat(),
        "date_line": content_common.date_line(issued_on),
        "signature": content_common.signature_for(request, issuer),
        "request": {
            "kind": request.request_kind,
            "id": request.pk,
            "reference": request.reference,
        },
        **specific,
    }


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


@transaction.atomic
def document_issue(
    *,
    kind: str,
    request: Any,
    actor: User | None = None,
    reason: str = "",
    confidential: bool = False,
) -> Document:
    """Number and snapshot a document of the request (idempotent: one per kind and request).

    Call inside the transaction of the change that causes it; the files are rendered after
    commit. ``reason`` is the cancellation's reason for the cancellation letter.
    """
    existing = current_document(request.request_kind, request.pk, kind)
    if existing is not None:
        return existing
    issued_on = timezone.localdate()
    issuer_unit = content_common.issuing_unit(request)
    register, number = next_number(
        unit=issuer_unit, series=KIND_SERIES[kind], year=issued_on.year, confidential=confidential
    )
    number_text = f"{number}/{register.symbol}"
    content = build_content(
        kind, request, number_text=number_text, issued_on=issued_on, reason=reason
    )
    signer = content_common.signing_decision(request)
    document = Document(
        kind=kind,
        register=register,
        number=number,
        number_text=number_text,
        title=content["summary"][:255],
        request_kind=request.request_kind,
        request_id=request.pk,
        issued_on=issued_on,
        issued_by=actor or (signer.actor if signer else None),
        content=content,
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
        },
        comment=reason,
    )
    _after_commit_render(document)
    return document


@transaction.atomic
def document_reissue(*, document: Document, actor: User, reason: str) -> Document:
    """A new version of the document from the request as it is now; the old one stays as it was.

    Keeps the number; dated today. Only the latest version may be re-issued.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Vui lòng nêu lý do ban hành lại văn bản."))
    locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    latest = current_document(locked.request_kind, locked.request_id, locked.kind)
    if latest is None or latest.pk != locked.pk:
        raise DocumentError(_("Chỉ ban hành lại được phiên bản mới nhất của văn bản."))
    request = request_of(locked)
    issued_on = timezone.localdate()
    content = build_content(
        locked.kind, request, number_text=locked.number_text, issued_on=issued_on,
        reason=reason if locked.kind == DocumentKind.OUTBOUND_CANCELLATION else "",
    )  # fmt: skip
    if locked.kind == DocumentKind.OUTBOUND_CANCELLATION:
        content["reissue_reason"] = reason
    new = Document(
        kind=locked.kind,
        register_id=locked.register_id,
        number=locked.number,
        number_text=locked.number_text,
        version=locked.version + 1,
        supersedes=locked,
        title=content["summary"][:255],
        request_kind=locked.request_kind,
        request_id=locked.request_id,
        issued_on=issued_on,
        issued_by=actor,
        reason=reason,
        content=content,
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
        before={"version": locked.version, "pdf_sha256": locked.pdf_sha256},
        after={"version": new.version, "number": new.number_text},
        comment=reason,
    )
    _after_commit_render(new)
    return new


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

    pdf_bytes = render_pdf(document.content, created=document.issued_at)
    docx_bytes = render_docx(document.content, created=document.issued_at)
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
    if not claimed:
        # Rendered concurrently by someone else: theirs is the stored copy, drop ours.
        storage.delete(pdf_name)
        storage.delete(docx_name)
    return Document.objects.get(pk=document.pk)


# --- the render's state: claim, backoff, sweep ---------------------------------------------


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def render_retry_delay(attempts: int) -> datetime.timedelta:
    """Backoff after the n-th failed render: base, 2×base, 4×base… capped at one hour."""
    base = _setting("DOCUMENT_RENDER_RETRY_BASE_SECONDS", 60)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _lease_expired_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=_setting("DOCUMENT_RENDER_LEASE_SECONDS", 120))


def _claim_render(document_id: int, now: datetime.datetime) -> bool:
    """pending (due) → rendering; a row left "rendering" past its lease may be taken over."""
    due = Q(render_state=RenderState.PENDING, render_next_at__lte=now)
    abandoned = Q(
        render_state=RenderState.RENDERING, render_claimed_at__lt=_lease_expired_before(now)
    )
    claimed = (
        Document.objects.filter(due | abandoned, pk=document_id)
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
    queued in the same sweep.
    """
    now = now or timezone.now()
    abandoned = Document.objects.filter(
        render_state=RenderState.RENDERING, render_claimed_at__lt=_lease_expired_before(now)
    )
    reclaimed = list(abandoned.values_list("pk", flat=True)[:limit])
    if reclaimed:
        Document.objects.filter(pk__in=reclaimed, render_state=RenderState.RENDERING).update(
            render_state=RenderState.PENDING, render_next_at=timezone.now()
        )
        logger.warning("documents: took back %s renders from dead workers", len(reclaimed))
    grace = datetime.timedelta(seconds=_setting("DOCUMENT_RENDER_SWEEP_GRACE_SECONDS", 60))
    waiting = list(
        Document.objects.filter(render_state=RenderState.PENDING, render_next_at__lte=now - grace)
        .exclude(pk__in=reclaimed)
        .order_by("render_next_at")
        .values_list("pk", flat=True)[:limit]
    )
    for document_id in [*reclaimed, *waiting]:
        render_dispatch(document_id)
    return len(reclaimed) + len(waiting)


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
    ("outbound", NoticeReason.CANCELLATION): (DocumentKind.OUTBOUND_CANCELLATION,),
    ("inbound", NoticeReason.APPROVAL): (DocumentKind.INBOUND_NOTICE,),
}


def notification_documents(notification: AgencyNotification) -> list[Document]:
    """The current documents an agency notification carries (letter first)."""
    kinds = NOTIFICATION_DOCUMENTS.get((notification.request_kind, notification.reason), ())
    found = [current_document(notification.request_kind, notification.request_id, k) for k in kinds]
    return [d for d in found if d is not None]


def notification_attachments(notification: AgencyNotification) -> list[tuple[str, bytes, str]]:
    """``(filename, PDF bytes, "application/pdf")`` for each document of the notification.

    Ready for ``EmailMessage.attach(*attachment)``; renders what the task has not yet rendered.
    """
    return [document_file(document, "pdf") for document in notification_documents(notification)]


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
    return [document_issue(kind=kind, request=request) for kind in kinds]


def documents_issue_on_cancellation(*, request: Any, actor: User | None, reason: str) -> Document:
    """The cancellation letter to the agencies and the unit, in the cancellation's transaction."""
    return document_issue(
        kind=DocumentKind.OUTBOUND_CANCELLATION, request=request, actor=actor, reason=reason
    )


def document_file_for_user(document: Any, fmt: str, user: Any) -> tuple[str, bytes, str]:
    """A document's file for a person to read; audited, since it shows passport numbers.

    Never renders in the person's request: a document without files has its render queued
    (eager Celery, without a broker, renders it right here) and :class:`DocumentNotReady` is
    raised when the files are still not there.
    """
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
    return render_attempt(document_id)


@shared_task(name="approvals.documents.sweep_renders", ignore_result=True)
def sweep_renders() -> int:
    """Every minute: re-queue pending renders and take back those of dead workers."""
    return render_sweep()
