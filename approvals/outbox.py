"""The transactional outbox: e-mails are rows first, sent after commit, never lost or doubled.

- :func:`message_enqueue` writes the row in the caller's transaction and asks Celery to send it
  once that transaction commits. A rollback removes both.
- :func:`message_send` claims the row with a conditional UPDATE (pending → sending), so a task
  that runs twice sends once; it talks to SMTP outside any transaction or lock. Transient SMTP
  errors schedule a retry with exponential backoff; after ``OUTBOX_MAX_ATTEMPTS`` (or at once for
  a permanent error) the row is marked failed, audited and listed for administrators.
- :func:`outbox_sweep` (Celery beat, every minute) re-dispatches pending rows whose time has
  come and reclaims rows left in "sending" by a worker that died, dispatching them in the same
  sweep, so nothing waits for Redis's visibility timeout; a task the broker redelivers may take
  such a row over too.
- :func:`message_retry` lets an administrator send a failed row again.
- An agency e-mail is written ``held`` until its notification is released (by the văn thư, or at
  once when ``AGENCY_DISPATCH_AUTO``), and carries files that are read when it is sent
  (:func:`attachment_provider_register`): while they are not ready (the document is not rendered
  or not signed yet) the row waits, it never goes without them.

Every row carries one Message-ID from its creation: if a worker dies between handing a message to
SMTP and marking it sent, the repeat carries the same Message-ID and mail clients merge the two.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import smtplib
import time
from collections.abc import Callable
from functools import partial
from typing import Any, Required, TypedDict, Unpack

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from approvals.models import AgencyNotification, MessageStatus, NoticeStatus, OutboxMessage
from config.errors import StateConflict

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", 6)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2×base, 4×base… capped at 1 h."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 60)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


class PermanentSendError(Exception):
    """Sending cannot succeed by trying again (no address, refused recipient...)."""


def is_transient(exc: BaseException) -> bool:
    """Whether an error may go away by itself: lost connections, time-outs, SMTP 4xx replies."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):
        return False  # SMTPException is an OSError: decide before the network errors below
    return isinstance(exc, ConnectionError | TimeoutError | OSError)


# --- writing --------------------------------------------------------------------------------


#: After the broker refused a message, skip publishing for a while: each attempt costs the
#: request that commits an approval up to a second, and the sweepers queue the work anyway.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def broker_publish(task: Any, *args: Any, what: str) -> bool:
    """Queue a Celery task after commit; never raises. False when the work waits for a sweeper.

    Every after-commit enqueue goes through here (e-mails, document renders): the change has
    committed, so a broker that is down must not turn the user's answer into a 500. The error is
    logged, publishing pauses for ``BROKER_BACKOFF_SECONDS`` in this process, and the row (still
    pending in the database) is queued again by its sweeper.
    """
    global _broker_down_until

    eager = bool(task.app.conf.task_always_eager)
    if not eager and time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(args, retry=False)
    except Exception:
        if eager:
            # Eager mode runs the task here: its error is the task's, the row waits.
            logger.exception("could not run %s now; its sweeper will", what)
        else:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.exception("broker unreachable: %s waits for its sweeper", what)
        return False
    return True


def sweeper_publish(task: Any, object_id: int, *, what: str, lease_setting: str) -> bool:
    """Queue ``task(object_id)`` for a sweeper, at most once per lease; never raises.

    A sweeper runs every minute and finds the same rows pending until a worker takes them: with
    a backlog (after a Redis outage, say) queueing every row again on every pass would fill the
    queue faster than the workers empty it, and a worker reading several queues would never
    reach the others. A key in the cache (Redis, like the broker) marks the row as queued for
    ``lease_setting`` seconds (default 300); it is set only when publishing succeeded, so a row
    whose publish failed, or whose key went with a restarted Redis, is queued on the next pass.
    A task lost in a queue that still holds its key waits at most the lease.
    """
    if task.app.conf.task_always_eager:  # no queue to fill: the task runs here and now
        return broker_publish(task, object_id, what=what)
    key = f"sweep:{task.name}:{object_id}"
    lease = _setting(lease_setting, 300)
    try:
        if not cache.add(key, 1, timeout=lease):
            return False
    except Exception:  # the cache is the broker's Redis: down, so publishing would fail too
        logger.warning("sweeper: cache unreachable; %s is queued without its lease", what)
        return broker_publish(task, object_id, what=what)
    if broker_publish(task, object_id, what=what):
        return True
    try:
        cache.delete(key)
    except Exception:
        logger.warning("sweeper: cache unreachable; %s keeps its lease", what)
    return False


def sweeper_lease_end(task: Any, object_id: int) -> None:
    """A worker took ``task(object_id)`` off the queue: the next sweep may queue it again."""
    if task.app.conf.task_always_eager:
        return
    try:
        cache.delete(f"sweep:{task.name}:{object_id}")
    except Exception:
        logger.warning("sweeper: cache unreachable; the lease of %s runs out by itself", task.name)


def broker_publish_later(task: Any, *args: Any, countdown: int) -> None:
    """Queue a task to run in ``countdown`` seconds; a broker error leaves it to the sweeper."""
    try:
        task.apply_async(args, countdown=countdown, retry=False)
    except Exception:
        logger.exception("broker unreachable: %s waits for its sweeper", task.name)


def dispatch(message_id: int) -> None:
    """Ask a worker to send the row; when the broker is down the sweeper will do it later."""
    broker_publish(send_message, message_id, what=f"outbox message {message_id}")


def dispatch_many(message_ids: list[int]) -> None:
    """Ask a worker to send several rows: one publish, whatever their number."""
    if len(message_ids) == 1:
        dispatch(message_ids[0])
    elif message_ids:
        broker_publish(send_messages, message_ids, what=f"{len(message_ids)} outbox messages")


class _AfterCommitBatch:
    """The rows a transaction wrote, published together once it commits."""

    def __init__(self, block: Any) -> None:
        self.block = block
        self.ids: list[int] = []

    def publish(self) -> None:
        dispatch_many(list(dict.fromkeys(self.ids)))


def _own_outermost_block(connection: Any) -> Any:
    """The outermost atomic block the code opened (the transaction); a test case's own block,
    which never commits, does not count (as in :mod:`config.db`)."""
    return next(
        (b for b in connection.atomic_blocks if not getattr(b, "_from_testcase", False)), None
    )


def dispatch_after_commit(message_id: int) -> None:
    """Send the row once the caller's transaction commits, in one publish with the others.

    Every row a transaction writes joins one batch registered with ``on_commit``: an approval
    that writes five e-mails makes one call to the broker, not five. A batch registered inside
    a savepoint that rolled back is gone with it, and the next row starts a new one. Outside a
    transaction the row is dispatched at once (or when the test's block would commit).
    """
    connection = transaction.get_connection()
    block = _own_outermost_block(connection) if connection.in_atomic_block else None
    if block is None:
        transaction.on_commit(partial(dispatch, message_id), robust=True)
        return
    batch: _AfterCommitBatch | None = getattr(connection, "outbox_batch", None)
    joins = (
        batch is not None
        and batch.block is block
        and any(callback == batch.publish for _sids, callback, _robust in connection.run_on_commit)
    )
    if batch is None or not joins:
        batch = _AfterCommitBatch(block)
        connection.outbox_batch = batch
        transaction.on_commit(batch.publish, robust=True)
    batch.ids.append(message_id)


class MessageFields(TypedDict, total=False):
    """An e-mail's fields: its address, subject and text are required.

    ``dedup_key``: a second message with the same key is not written. ``held``: written
    "held", sent only once :func:`message_release` lets it go.
    """

    to_address: Required[str]
    subject: Required[str]
    body_text: Required[str]
    body_html: str
    to_user: User | None
    notification: AgencyNotification | None
    request_kind: str
    request_id: int | None
    dedup_key: str | None
    attachment: str
    held: bool


def message_row(**fields: Unpack[MessageFields]) -> OutboxMessage:
    """An e-mail's outbox row, not yet written."""
    return OutboxMessage(
        status=MessageStatus.HELD if fields.get("held") else MessageStatus.PENDING,
        to_user=fields.get("to_user"),
        to_address=fields["to_address"],
        subject=fields["subject"][:255],
        body_text=fields["body_text"],
        body_html=fields.get("body_html", ""),
        notification=fields.get("notification"),
        request_kind=fields.get("request_kind", ""),
        request_id=fields.get("request_id"),
        dedup_key=fields.get("dedup_key"),
        attachment=fields.get("attachment", ""),
    )


def messages_enqueue_new(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """Write several e-mails (:func:`message_row`) in one insert, in the caller's transaction;
    each is sent once it commits, unless held.

    Their de-duplication keys must name rows the caller's transaction just wrote (an agency
    notification's id): no other message can hold them, so none is looked up and no savepoint
    is opened (the unique constraint still stands behind them).
    """
    written = OutboxMessage.objects.bulk_create(rows)
    for row in written:
        if row.status != MessageStatus.HELD:  # a held row is dispatched by its release
            dispatch_after_commit(row.pk)
    return written


def message_enqueue(**fields: Unpack[MessageFields]) -> OutboxMessage | None:
    """Write one e-mail (:class:`MessageFields`) in the caller's transaction; it is sent once
    that transaction commits. A message whose ``dedup_key`` another holds is not written
    (returns None)."""
    row = message_row(**fields)
    dedup_key = row.dedup_key
    if dedup_key is not None:
        if OutboxMessage.objects.filter(dedup_key=dedup_key).exists():
            return None
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            return None  # written concurrently by another run
    else:
        row.save(force_insert=True)
    if row.status != MessageStatus.HELD:  # a held row is dispatched by its release
        dispatch_after_commit(row.pk)
    return row


# --- sending --------------------------------------------------------------------------------


def _claim(message_id: int, now: datetime.datetime) -> bool:
    """pending (due) → sending; a row left "sending" past the claim timeout may be taken over.

    The takeover lets a task redelivered by the broker (``acks_late``) finish what its dead
    worker started, instead of skipping the row until the sweeper reclaims it.
    """
    claimed = OutboxMessage.objects.filter(
        OutboxMessage.queue.due_now(now) | OutboxMessage.queue.abandoned(now), pk=message_id
    ).update(status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def messages_wake(*, request_kind: str, request_id: int) -> int:
    """The request's agency e-mails waiting for their files: due now, and sent after commit.

    Called after the last of the request's renders committed
    (``approvals.documents.services._mail_when_rendered``), so that an e-mail goes as soon as its
    files are there rather than when the sweeper next looks (``OUTBOX_WAIT_SECONDS`` later, at its
    next pass): mail before paperwork. One still missing a file waits again; the sweeper stays
    the safety net. An agency e-mail in a retry's backoff (SMTP refused it) is tried again too:
    at most once more per render of its request. Returns how many were woken.
    """
    ids = list(
        OutboxMessage.objects.filter(
            request_kind=request_kind,
            request_id=request_id,
            notification__isnull=False,
            status=MessageStatus.PENDING,
        ).values_list("pk", flat=True)
    )
    if ids:
        OutboxMessage.objects.filter(pk__in=ids, status=MessageStatus.PENDING).update(
            next_attempt_at=timezone.now()
        )
        for message_id in ids:
            dispatch_after_commit(message_id)
    return len(ids)


def message_release(message_ids: list[int]) -> int:
    """held → pending, sent after the caller's transaction commits; returns how many."""
    ids = list(
        OutboxMessage.objects.filter(pk__in=message_ids, status=MessageStatus.HELD).values_list(
            "pk", flat=True
        )
    )
    OutboxMessage.objects.filter(pk__in=ids, status=MessageStatus.HELD).update(
        status=MessageStatus.PENDING, next_attempt_at=timezone.now()
    )
    for message_id in ids:
        dispatch_after_commit(message_id)
    return len(ids)


# --- attachments read at send time ---------------------------------------------------------

Attachment = tuple[str, bytes, str]
AttachmentProvider = Callable[[OutboxMessage], list[Attachment]]
_attachment_providers: list[AttachmentProvider] = []


class AttachmentsNotReady(Exception):
    """The files a message must carry are not ready; the row waits and is tried again."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def attachment_provider_register(provider: AttachmentProvider) -> None:
    """Add a function giving a row the files it carries (``ApprovalsConfig.ready`` registers the
    agency documents' signed PDFs, :func:`approvals.notifications.notification_attachments`)."""
    if provider not in _attachment_providers:
        _attachment_providers.append(provider)


def _attachments(message: OutboxMessage) -> list[Attachment]:
    found: list[Attachment] = []
    for provider in _attachment_providers:
        found += provider(message)
    return found


def wait_seconds() -> int:
    return _setting("OUTBOX_WAIT_SECONDS", 10)


def _mark_waiting(message: OutboxMessage, reason: str) -> None:
    """Back to pending without using up an attempt; the sweeper tries again after a while."""
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.PENDING,
        attempts=F("attempts") - 1,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=wait_seconds()),
        last_error=reason[:2000],
    )


def _addresses(message: OutboxMessage) -> list[str]:
    return [a.strip() for a in message.to_address.split(",") if a.strip()]


def _deliver(message: OutboxMessage, attachments: list[Attachment]) -> None:
    to = _addresses(message)
    if not to:
        raise PermanentSendError(_("Không có địa chỉ thư điện tử của người nhận."))
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.attachment:
        try:
            with default_storage.open(message.attachment, "rb") as handle:
                content = handle.read()
        except (FileNotFoundError, ValueError) as exc:
            raise PermanentSendError(_("Không tìm thấy tệp đính kèm.")) from exc
        email.attach(os.path.basename(message.attachment), content)
    for attachment in attachments:
        email.attach(*attachment)
    email.send(fail_silently=False)


def _notification_event(
    notification: AgencyNotification,
    action: str,
    *,
    actor: User | None = None,
    comment: str = "",
    **after: Any,
) -> None:
    """An audit event on the request's timeline about one of its agency notifications."""
    audit_record(
        actor=actor,
        action=action,
        object_type=notification.request_kind,
        object_id=notification.request_id,
        after={"notification": notification.pk, "agency": notification.agency_id, **after},
        comment=comment,
    )


@transaction.atomic
def _mark_sent(message: OutboxMessage, attachments: list[Attachment] | None = None) -> None:
    now = timezone.now()
    # Whatever state another worker left it in, the mail went out: record that.
    updated = (
        OutboxMessage.objects.filter(pk=message.pk)
        .exclude(status=MessageStatus.SENT)
        .update(status=MessageStatus.SENT, sent_at=now, last_error="")
    )
    if not updated or message.notification_id is None:
        return
    notification = AgencyNotification.objects.select_for_update(of=("self",)).get(
        pk=message.notification_id
    )
    if notification.status in (NoticeStatus.PENDING, NoticeStatus.SENT, NoticeStatus.FAILED):
        notification.status = NoticeStatus.DELIVERED
        notification.delivered_at = now
        notification.save(update_fields=["status", "delivered_at"])
    _notification_event(
        notification,
        "notification.delivered",
        message_id=message.message_id,
        attachments=[name for name, _data, _type in attachments or []],
        # Which bytes the agency received: each file's SHA-256, to match against the document's
        # signed file (``DocumentSignature.pdf_sha256``) years later.
        attachments_sha256=[hashlib.sha256(data).hexdigest() for _n, data, _t in attachments or []],
    )


@transaction.atomic
def _mark_failed(message: OutboxMessage, error: str, *, retry: bool) -> None:
    now = timezone.now()
    if retry:
        OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.PENDING,
            next_attempt_at=now + retry_delay(message.attempts),
            last_error=error,
        )
        return
    updated = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.FAILED, last_error=error
    )
    if not updated:
        return
    if message.notification_id is None:
        audit_record(
            actor=None,
            action="outbox.failed",
            object_type="approvals.outboxmessage",
            object_id=message.pk,
            after={"attempts": message.attempts, "to": message.to_address},
            comment=error,
        )
        return
    notification = AgencyNotification.objects.select_for_update(of=("self",)).get(
        pk=message.notification_id
    )
    if notification.status in (NoticeStatus.PENDING, NoticeStatus.SENT):
        notification.status = NoticeStatus.FAILED
        notification.save(update_fields=["status"])
    _notification_event(
        notification, "notification.failed", attempts=message.attempts, comment=error
    )


def message_send(message_id: int) -> str:
    """Send one outbox row if it is still pending; returns what happened.

    ``"skipped"`` when another run already claimed or sent it, ``"sent"``, ``"waiting"`` (its
    attachments are not ready: tried again after ``OUTBOX_WAIT_SECONDS``), ``"retry"`` (a
    transient error; the sweeper will try again after the backoff) or ``"failed"``.
    """
    if not _claim(message_id, timezone.now()):
        return "skipped"
    # The reasons stored on the row are part of the record: always in the site's language,
    # whatever the caller (a request in English, a worker) had active.
    with translation.override(settings.LANGUAGE_CODE):
        return _send_claimed(message_id)


def _send_claimed(message_id: int) -> str:
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        attachments = _attachments(message)
    except AttachmentsNotReady as exc:
        logger.info("outbox: message %s waits: %s", message_id, exc.message)
        _mark_waiting(message, exc.message)
        return "waiting"
    try:
        _deliver(message, attachments)  # SMTP I/O: no transaction is open here
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        retry = is_transient(exc) and message.attempts < max_attempts()
        logger.warning("outbox: message %s attempt %s: %s", message_id, message.attempts, error)
        _mark_failed(message, error, retry=retry)
        return "retry" if retry else "failed"
    _mark_sent(message, attachments)
    return "sent"


def outbox_sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Reclaim stale claims and dispatch them with the pending rows whose time has come.

    A row stays "sending" only while a worker talks to SMTP; one older than
    ``OUTBOX_CLAIM_TIMEOUT_SECONDS`` belongs to a worker that died: it goes back to pending and
    is dispatched in the same sweep (so it is sent at most one sweep interval after its claim
    timed out). Pending rows younger than ``OUTBOX_SWEEP_GRACE_SECONDS`` are left to their own
    on-commit dispatch. A row already queued by an earlier sweep is not queued again within
    ``OUTBOX_DISPATCH_LEASE_SECONDS`` (:func:`sweeper_publish`). Returns how many were queued.
    """
    now = now or timezone.now()
    due = OutboxMessage.queue.sweep(OutboxMessage.objects.all(), now, limit)
    queued = 0
    for message_id in due:
        queued += sweeper_publish(
            send_message,
            message_id,
            what=f"outbox message {message_id}",
            lease_setting="OUTBOX_DISPATCH_LEASE_SECONDS",
        )
    return queued


@transaction.atomic
def message_retry(*, message_id: int, actor: User, to_address: str = "") -> OutboxMessage:
    """An administrator sends a failed row again (attempts start over); audited.

    ``to_address`` replaces the row's address when given: the agency's address may have been
    corrected since (:func:`approvals.notifications.agency_recipients`, which the admin passes).
    """

    message = (
        OutboxMessage.objects.select_for_update(of=("self",))
        .select_related("notification__agency")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.status != MessageStatus.FAILED:
        raise StateConflict(_("Chỉ gửi lại được thư đang ở trạng thái gửi lỗi."))
    before = {"status": message.status, "attempts": message.attempts, "to": message.to_address}
    notification = message.notification
    message.to_address = to_address or message.to_address
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.claimed_at = None
    message.save(
        update_fields=["to_address", "status", "attempts", "next_attempt_at", "claimed_at"]
    )
    after = {"status": message.status, "to": message.to_address}
    if notification is not None:
        if notification.status == NoticeStatus.FAILED:
            # A retry is the văn thư's (or the administrator's) release of the message again.
            notification.status = NoticeStatus.SENT
            notification.save(update_fields=["status"])
        _notification_event(notification, "notification.retried", actor=actor, **after)
    else:
        audit_record(
            actor=actor,
            action="outbox.retried",
            obj=message,
            before=before,
            after=after,
        )
    transaction.on_commit(lambda: dispatch(message_id), robust=True)
    return message


# --- Celery tasks (their names predate this module: beat and queued messages use them) ------


@shared_task(name="approvals.tasks.send_message", ignore_result=True)
def send_message(message_id: int) -> str:
    """Send one outbox row; a repeat of the task finds the row claimed or sent and does nothing.

    SMTP errors are handled by the service (backoff, then failed), so the task never retries
    itself: a retry is a row waiting for the sweeper, which survives a worker's or Redis's death.
    """
    sweeper_lease_end(send_message, message_id)
    result = message_send(message_id)
    if result == "waiting" and not send_message.app.conf.task_always_eager:
        # Its files are being rendered or signed: look again soon, not at the next sweep.
        broker_publish_later(send_message, message_id, countdown=wait_seconds())
    return result


@shared_task(name="approvals.tasks.send_messages", ignore_result=True)
def send_messages(message_ids: list[int]) -> list[str]:
    """Send the rows one transaction wrote (one publish for all of them), each as
    :func:`send_message` would."""
    return [send_message(message_id) for message_id in message_ids]


@shared_task(name="approvals.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Every minute: re-dispatch rows left unsent and reclaim rows of dead workers."""
    return outbox_sweep()
