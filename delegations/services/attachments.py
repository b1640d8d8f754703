"""Files attached to a request or visit: checked by content, stored under generated names.

The declared type (:class:`AttachmentKind`) says what the document is; the file's first bytes
say what format it is. The extension and the browser's content type are never trusted, so an
HTML page renamed ``.pdf`` is refused, and downloads are always served as attachments.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from config.errors import ValidationError
from delegations.models import Attachment, AttachmentKind, InboundVisit, OutboundRequest
from delegations.services.common import ensure_can_edit, request_lock

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The file-name extensions each accepted format may carry: a PDF named ``.hta`` or ``.svg``
#: would be opened by the approver's computer as that other type.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
#: Parts of an Office file that carry code: macros, embedded programs and scripts, OLE objects.
ACTIVE_PARTS = ("vbaproject.bin", "vbadata.xml", "/embeddings/", "/activex/")
ACTIVE_SUFFIXES = (".exe", ".dll", ".bat", ".cmd", ".com", ".js", ".vbs", ".hta", ".scr", ".msi")
#: An Office file that expands beyond this (or 100 times its packed size) is refused.
OOXML_MAX_EXPANDED_BYTES = 64 * 1024 * 1024


class ActiveContent(Exception):
    """An Office file carries macros or embedded programs."""


def _ooxml_type(stream: Any) -> str | None:
    """DOCX or XLSX by their inner layout; any other zip (or a broken one) is refused.

    Raises :class:`ActiveContent` for macros, embedded programs and archives that expand
    beyond reason.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    names = [m.filename for m in members]
    if "[Content_Types].xml" not in names:
        return None
    lowered = [name.lower() for name in names]
    if any(part in name for name in lowered for part in ACTIVE_PARTS) or any(
        name.endswith(ACTIVE_SUFFIXES) for name in lowered
    ):
        raise ActiveContent
    expanded = sum(m.file_size for m in members)
    if expanded > OOXML_MAX_EXPANDED_BYTES or any(
        m.file_size > 100 * max(m.compress_size, 1024) for m in members
    ):
        raise ActiveContent
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def sniff_content_type(stream: IO[bytes] | UploadedFile) -> str | None:
    """The file's real format from its first bytes, or None when it is not one we accept."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    content_type: str | None = None
    if head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif head.startswith(b"PK\x03\x04"):
        content_type = _ooxml_type(stream)
    stream.seek(0)
    return content_type


def clean_file_name(name: str) -> str:
    """The uploaded name for display only: no directories, no control characters, bounded."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or _("tệp đính kèm")


def _sha256(stream: IO[bytes] | UploadedFile) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _validate(kind: str, upload: UploadedFile) -> str:
    errors: list[str] = []
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": [_("Loại tài liệu không hợp lệ.")]})
    size = upload.size or 0
    if size <= 0:
        errors.append(_("Tệp rỗng, không có nội dung."))
    elif size > MAX_ATTACHMENT_BYTES:
        errors.append(_("Tệp quá lớn: tối đa 10 MB."))
    if errors:
        raise ValidationError({"file": errors})
    try:
        content_type = sniff_content_type(upload)
    except ActiveContent:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Tệp Word/Excel có macro, chương trình nhúng hoặc nội dung bất thường "
                        "nên không được chấp nhận; hãy lưu lại dưới dạng .docx/.xlsx thường "
                        "hoặc PDF."
                    )
                ]
            }
        ) from None
    if content_type is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Định dạng tệp không được chấp nhận. Chỉ nhận PDF, ảnh PNG/JPEG, "
                        "Word (.docx) hoặc Excel (.xlsx); nội dung tệp được kiểm tra, "
                        "không dựa vào phần mở rộng của tên tệp."
                    )
                ]
            }
        )
    name = (upload.name or "").lower()
    if not name.endswith(EXTENSIONS[content_type]):
        raise ValidationError(
            {
                "file": [
                    _(
                        "Tên tệp phải có phần mở rộng %(expected)s cho đúng nội dung tệp "
                        "(tránh mở nhầm bằng chương trình khác)."
                    )
                    % {"expected": " / ".join(EXTENSIONS[content_type])}
                ]
            }
        )
    return content_type


@transaction.atomic
def attachment_add(
    *, actor: User, request: OutboundRequest | InboundVisit, kind: str, upload: UploadedFile
) -> Attachment:
    """Attach a file of a declared type to a draft or returned request or visit.

    At most 10 MB, not empty, and a PDF, PNG, JPEG, DOCX or XLSX by content; stored under a
    generated name with its SHA-256; the upload is recorded in the audit log of the request
    (``outbound.attachment_added`` or ``inbound.attachment_added``).
    """
    request = request_lock(request)
    ensure_can_edit(actor=actor, request=request)
    content_type = _validate(kind, upload)
    attachment = Attachment(
        request_kind=request.request_kind,
        request_id=request.pk,
        kind=kind,
        original_name=clean_file_name(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
        sha256=_sha256(upload),
        uploaded_by=actor,
    )
    # The storage name comes from Attachment's upload_to, never from the uploaded name.
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action=f"{request.request_kind}.attachment_added",
        obj=request,
        after={
            "attachment": attachment.pk,
            "kind": kind,
            "name": attachment.original_name,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )
    return attachment
