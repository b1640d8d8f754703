"""Digital signatures (PAdES, pyHanko) on issued documents: the organisation's and the leader's.

- :func:`organisation_sign` applies the organisation's signature (chữ ký số của cơ quan) from the
  PKCS#12 named by ``DOCUMENT_SIGNING_P12`` on top of the document's latest PDF.
- :func:`personal_signature_accept` takes a PDF the decider signed with their own USB token
  outside the product and accepts it only when (1) it begins with exactly the bytes of the PDF
  we prepared, so the signature is an incremental update of our file, (2) the signature covers
  the whole file and pyHanko's difference analysis finds nothing but the signature added, (3) the
  certificate chains to a root in ``DOCUMENT_SIGNING_TRUST_ROOTS`` and (4) the certificate's
  SHA-256 fingerprint is registered (:class:`SigningCertificate`) on the user who decided.
- :func:`signatures_verify` re-validates every signature of the latest signed file (the
  document page's "Kiểm tra" result).

No network: certificates are checked against the configured roots only (no OCSP or CRL
fetching; revocation is "soft-fail").
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from approvals.audit import audit_record
from approvals.documents import content_common
from approvals.models import Document, DocumentSignature, SignatureKind, SigningCertificate
from delegations.models import InboundVisit, OutboundRequest

ORGANISATION_FIELD = "ChuKySoCoQuan"
#: An upload larger than this is refused before it is parsed.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class SignatureRefused(Exception):
    """A signature that cannot be accepted or applied, with the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- configuration --------------------------------------------------------------------------


def organisation_configured() -> bool:
    return bool(getattr(settings, "DOCUMENT_SIGNING_P12", ""))


def _organisation_signer() -> signers.SimpleSigner:
    """The organisation's signer, opened once per process and file version: opening a PKCS#12
    derives its key from the password (tens of milliseconds), and every agency e-mail signs.
    A replaced file (another modification time or size) is opened again."""
    path = settings.DOCUMENT_SIGNING_P12
    password = settings.DOCUMENT_SIGNING_P12_PASSWORD or ""
    if not path:
        raise SignatureRefused(_("Chưa cấu hình chứng thư số của cơ quan (DOCUMENT_SIGNING_P12)."))
    try:
        stat = Path(path).stat()
    except OSError:
        stat = None
    if stat is None or not S_ISREG(stat.st_mode):
        raise SignatureRefused(_("Không đọc được tệp chứng thư số của cơ quan."))
    return _signer_from(str(path), password, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _signer_from(path: str, password: str, _mtime_ns: int, _size: int) -> signers.SimpleSigner:
    signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
        path, passphrase=password.encode() or None
    )
    if signer is None:
        raise SignatureRefused(
            _("Không mở được chứng thư số của cơ quan: sai mật khẩu hoặc tệp hỏng.")
        )
    return signer


#: Room for the signature container that fitted each signing certificate (by its SHA-256), in
#: this process: without it pyHanko signs a dummy document first to measure it (a second RSA
#: signature and CMS build per document). A container that no longer fits is measured again.
_RESERVED: dict[str, int] = {}


def _sign(pdf: bytes, meta: Any, signer: signers.SimpleSigner) -> io.BytesIO:
    """``pdf`` with one more signature (incremental update), by ``signer``."""
    key = _fingerprint(signer.signing_cert)
    reserved = _RESERVED.get(key)
    if reserved is not None:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        try:
            signed: io.BytesIO = signers.sign_pdf(
                writer, meta, signer=signer, bytes_reserved=reserved
            )
            return signed
        except SigningError:
            _RESERVED.pop(key, None)  # it grew (a longer chain?): measure again
    signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    contents = PdfFileReader(signed).embedded_signatures[-1].sig_object.raw_get("/Contents")
    _RESERVED[key] = 2 * len(contents.original_bytes)
    signed.seek(0)
    return signed


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates in the PEM (or DER) files of ``DOCUMENT_SIGNING_TRUST_ROOTS``."""
    roots: list[asn1_x509.Certificate] = []
    for name in getattr(settings, "DOCUMENT_SIGNING_TRUST_ROOTS", []) or []:
        data = Path(name).read_bytes()
        if pem.detect(data):
            roots += [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, True)]
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def _validation_context() -> Any:
    return ValidationContext(
        trust_roots=trust_roots(),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


# --- the files ------------------------------------------------------------------------------


def latest_signature(document: Document) -> DocumentSignature | None:
    return document.signatures.order_by("-id").first()


def _read(field: Any) -> bytes:
    with field.open("rb") as handle:
        data: bytes = handle.read()
    return data


def signature_file(signature: DocumentSignature) -> bytes:
    """The file a signature stored, checked against the SHA-256 recorded with it."""
    data = _read(signature.pdf)
    if _sha256(data) != signature.pdf_sha256:
        raise SignatureRefused(_("Tệp đã ký không khớp mã băm đã lưu."))
    return data


def prepared_pdf(document: Document) -> bytes:
    """The PDF the next signer signs: the latest signed file, else the rendered one."""
    signature = latest_signature(document)
    if signature is not None:
        return signature_file(signature)
    if document.rendered_at is None:
        raise SignatureRefused(_("Văn bản chưa tạo xong tệp PDF; vui lòng thử lại sau ít phút."))
    data = _read(document.pdf)
    if _sha256(data) != document.pdf_sha256:
        raise SignatureRefused(_("Tệp văn bản không khớp mã băm đã lưu."))
    return data


def signed_pdf(document: Document) -> bytes | None:
    """The latest signed PDF (what the agencies receive), or None while nobody signed."""
    if latest_signature(document) is None:
        return None
    return prepared_pdf(document)


def is_signed(document: Document) -> bool:
    return document.signatures.exists()


def _name(cert: asn1_x509.Certificate, which: str = "subject") -> str:
    value: str = getattr(cert, which).human_friendly
    return value[:500]


def _fingerprint(cert: asn1_x509.Certificate) -> str:
    return _sha256(cert.dump())


def _lock(document: Document) -> None:
    """Lock the document's row for the rest of the transaction: signers queue on it, so each
    builds on the file the previous one stored (see :func:`_store`)."""
    Document.objects.select_for_update(of=("self",)).get(pk=document.pk)


def _organisation_signature(document: Document) -> DocumentSignature | None:
    return document.signatures.filter(kind=SignatureKind.ORGANISATION).order_by("-id").first()


def _store(
    document: Document,
    *,
    kind: str,
    data: bytes,
    cert: asn1_x509.Certificate,
    signed_at: datetime.datetime,
    signer: User | None,
    actor: User | None,
) -> DocumentSignature:
    """Record a signed file; the caller holds the document's lock (:func:`_lock`) and checked,
    under it, that ``data`` builds on the latest file."""
    row = DocumentSignature(
        document=document,
        kind=kind,
        pdf_sha256=_sha256(data),
        signer=signer,
        recorded_by=actor,
        certificate_subject=_name(cert),
        certificate_issuer=_name(cert, "issuer"),
        certificate_serial=format(cert.serial_number, "X")[:100],
        certificate_sha256=_fingerprint(cert),
        signed_at=signed_at,
    )
    row.pdf.save("signed.pdf", ContentFile(data), save=False)
    row.save(force_insert=True)
    audit_record(
        actor=actor,
        action="document.signed",
        obj=document,
        after={
            "kind": kind,
            "signer": signer.get_username() if signer else None,
            "certificate": row.certificate_subject,
            "certificate_sha256": row.certificate_sha256,
            "pdf_sha256": row.pdf_sha256,
        },
    )
    return row


# --- the organisation's signature -----------------------------------------------------------


def organisation_sign(document: Document, *, actor: User | None) -> DocumentSignature:
    """Add the organisation's signature on top of the latest PDF (once per document); it is
    the document's last signature (no other is accepted after it).

    Callers at once (the two agencies' e-mails of one approval, sent by two mail processes)
    queue on the document's row lock; the later ones find the first one's signature and return
    it, so every agency receives the same signed file and the record holds one signature.
    """
    existing = _organisation_signature(document)
    if existing is not None:
        return existing
    signer = _organisation_signer()
    issuer = document.content.get("issuer", {})
    meta = signers.PdfSignatureMetadata(
        field_name=ORGANISATION_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=f"{document.number_text} – {issuer.get('name', '')}"[:200],
        location=str(issuer.get("place", "")),
    )
    with transaction.atomic():
        _lock(document)
        existing = _organisation_signature(document)
        if existing is not None:
            return existing
        try:
            output = _sign(prepared_pdf(document), meta, signer)
        except (PdfError, SigningError, ValueError) as exc:
            raise SignatureRefused(
                _("Không ký được văn bản bằng chứng thư số của cơ quan: %(error)s") % {"error": exc}
            ) from exc
        return _store(
            document,
            kind=SignatureKind.ORGANISATION,
            data=output.getvalue(),
            cert=signer.signing_cert,
            signed_at=timezone.now(),
            signer=None,
            actor=actor,
        )


# --- the leader's own signature (USB token), uploaded ---------------------------------------


def decider(document: Document) -> User | None:
    """The user whose decision the document records (the signing approval's author)."""
    model = OutboundRequest if document.request_kind == "outbound" else InboundVisit
    request = model.objects.select_related("unit").filter(pk=document.request_id).first()
    decision = content_common.signing_decision(request) if request is not None else None
    return decision.actor if decision is not None else None


@dataclass
class CheckedSignature:
    """What one embedded signature says, once pyHanko validated it."""

    field: str
    cert: asn1_x509.Certificate
    signed_at: datetime.datetime | None
    intact: bool
    trusted: bool
    whole_file: bool
    only_signature_added: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.whole_file and self.only_signature_added


def _check(embedded: EmbeddedPdfSignature, context: Any) -> CheckedSignature:
    status: PdfSignatureStatus = validate_pdf_signature(embedded, signer_validation_context=context)
    level = status.modification_level
    return CheckedSignature(
        field=embedded.field_name,
        cert=status.signing_cert,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        only_signature_added=level is not None
        and level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
                      ModificationLevel.FORM_FILLING),
    )  # fmt: skip


def personal_signature_accept(document: Document, *, data: bytes, actor: User) -> DocumentSignature:
    """Accept the decider's PDF signed outside the product, or say in Vietnamese why not."""
    if not data:
        raise SignatureRefused(_("Vui lòng chọn tệp PDF đã ký."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise SignatureRefused(_("Tệp quá lớn (tối đa 20 MB)."))
    if not data.startswith(b"%PDF-"):
        raise SignatureRefused(_("Tệp tải lên không phải là tệp PDF."))
    _ensure_unsigned_by_others(document)
    prepared = prepared_pdf(document)
    if len(data) <= len(prepared) or not data.startswith(prepared):
        raise SignatureRefused(
            _(
                "Tệp đã ký không phải là văn bản đã chuẩn bị: nội dung đã bị thay đổi. Vui lòng "
                "tải về bản PDF của văn bản và ký đúng tệp đó."
            )
        )
    try:
        reader = PdfFileReader(io.BytesIO(data))
        embedded = list(reader.embedded_signatures)
        before = PdfFileReader(io.BytesIO(prepared)).total_revisions
    except (PdfError, ValueError, KeyError) as exc:
        raise SignatureRefused(_("Không đọc được tệp PDF đã ký.")) from exc
    if not embedded:
        raise SignatureRefused(_("Tệp PDF chưa có chữ ký số."))
    # Exactly one revision more than ours: a revision that edits the page before the signature
    # would otherwise be covered by it and pass for "our file, signed".
    if reader.total_revisions != before + 1:
        raise SignatureRefused(
            _(
                "Tệp đã ký không phải là văn bản đã chuẩn bị: nội dung đã bị thay đổi. Vui lòng "
                "tải về bản PDF của văn bản và ký đúng tệp đó."
            )
        )
    try:
        checked = _check(embedded[-1], _validation_context())
    except (PdfError, ValueError, KeyError, SigningError) as exc:
        raise SignatureRefused(_("Không kiểm tra được chữ ký số trong tệp.")) from exc
    if not checked.intact:
        raise SignatureRefused(_("Chữ ký số không hợp lệ: nội dung đã bị sửa sau khi ký."))
    if not (checked.whole_file and checked.only_signature_added):
        raise SignatureRefused(
            _(
                "Tệp đã ký không phải là văn bản đã chuẩn bị: nội dung đã bị thay đổi. Vui lòng "
                "tải về bản PDF của văn bản và ký đúng tệp đó."
            )
        )
    if not checked.trusted:
        raise SignatureRefused(
            _(
                "Chứng thư số của người ký không được tin cậy: không thuộc tổ chức cung cấp dịch "
                "vụ chứng thực chữ ký số đã cấu hình."
            )
        )
    person = decider(document)
    fingerprint = _fingerprint(checked.cert)
    if (
        person is None
        or not SigningCertificate.objects.filter(user=person, sha256=fingerprint).exists()
    ):
        raise SignatureRefused(
            _(
                "Văn bản phải do chính người quyết định ký (%(name)s); chứng thư số %(subject)s "
                "chưa được đăng ký cho người này."
            )
            % {
                "name": (person.get_full_name() or person.get_username()) if person else "-",
                "subject": _name(checked.cert),
            }
        )
    with transaction.atomic():
        # Checked again under the lock: the organisation (a mail worker) or another upload may
        # have signed since the checks above, and this file would then hide their signature.
        _lock(document)
        _ensure_unsigned_by_others(document)
        return _store(
            document,
            kind=SignatureKind.PERSONAL,
            data=data,
            cert=checked.cert,
            signed_at=checked.signed_at or timezone.now(),
            signer=person,
            actor=actor,
        )


def _ensure_unsigned_by_others(document: Document) -> None:
    """The leader signs first and once: refused after their own or the organisation's."""
    if document.signatures.filter(kind=SignatureKind.PERSONAL).exists():
        raise SignatureRefused(_("Văn bản này đã có chữ ký của người ký."))
    if _organisation_signature(document) is not None:
        raise SignatureRefused(
            _("Văn bản đã được ký số của cơ quan; người ký phải ký trước văn thư.")
        )


# --- verifying ------------------------------------------------------------------------------


@dataclass
class Verification:
    """The document page's "Kiểm tra chữ ký" result for one embedded signature."""

    field: str
    subject: str
    signed_at: datetime.datetime | None
    ok: bool
    message: str


def signatures_verify(document: Document) -> list[Verification]:
    """Validate every signature of the latest signed file against the configured roots.

    The organisation's certificate, like a leader's, must chain to ``DOCUMENT_SIGNING_TRUST_ROOTS``
    (list the root of the organisation's certificate there too).
    """
    data = signed_pdf(document)
    if data is None:
        return []
    results: list[Verification] = []
    context = _validation_context()
    reader = PdfFileReader(io.BytesIO(data))
    for embedded in reader.embedded_signatures:
        try:
            checked = _check(embedded, context)
        except (PdfError, ValueError, KeyError, SigningError) as exc:
            results.append(Verification(embedded.field_name, "-", None, False, str(exc)))
            continue
        if not checked.intact:
            message = _("Không hợp lệ: nội dung đã bị sửa sau khi ký.")
        elif not checked.trusted:
            message = _("Chứng thư số không được tin cậy.")
        else:
            message = _("Hợp lệ: chữ ký đúng, chứng thư số tin cậy.")
        results.append(
            Verification(
                field=checked.field,
                subject=_name(checked.cert),
                signed_at=checked.signed_at,
                ok=checked.intact and checked.trusted,
                message=message,
            )
        )
    return results
