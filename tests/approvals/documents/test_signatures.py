"""Digital signatures: the organisation's (server-side) and the leader's own token (uploaded).

A throwaway CA (``tests/signing.py``) issues every certificate; nothing touches the network.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from approvals.documents import signatures
from approvals.models import (
    AgencyNotification,
    AuditEvent,
    Document,
    DocumentKind,
    DocumentSignature,
    OutboxMessage,
    SigningCertificate,
)
from approvals.notifications import agency_notification_release
from approvals.outbox import message_send
from tests.conftest import PKI, login
from tests.signing import issue, make_ca, sign_external
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_trip(settings: Any, request: Any) -> Any:
    """An approved trip whose agency notifications wait for the văn thư (nobody signed yet)."""
    settings.AGENCY_DISPATCH_AUTO = False
    return request.getfixturevalue("trip")


@pytest.fixture
def decision(held_trip: Any) -> Document:
    return Document.objects.get(
        request_id=held_trip.pk, request_kind="outbound", kind=DocumentKind.OUTBOUND_DECISION
    )


@pytest.fixture
def director_token(test_pki: PKI, director: Any) -> Any:
    """The director's own USB-token certificate, registered on them."""
    leader = issue(test_pki.ca, "Lê Văn Giám Đốc")
    # As ``openssl x509 -noout -fingerprint -sha256`` prints it: "AB:CD:…".
    printed = ":".join(leader.sha256[i : i + 2] for i in range(0, 64, 2)).upper()
    SigningCertificate.objects.create(user=director.user, sha256=printed, subject="GĐ")
    return leader


def _upload(person: Any, document: Document, data: bytes) -> Any:
    upload = io.BytesIO(data)
    upload.name = "da-ky.pdf"
    return login(person).post(f"/van-ban/{document.pk}/tai-len-ban-da-ky/", {"file": upload})


def _refused(person: Any, document: Any, signed: bytes, message: str) -> None:
    """The upload is answered 400 with ``message`` and no signature is recorded."""
    response = _upload(person, document, signed)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not document.signatures.exists()


def _prepared(person: Any, document: Document) -> bytes:
    response = login(person).get(f"/van-ban/{document.pk}/ban-ky/?ban=chuan-bi")
    assert response.status_code == 200
    return response.content


def test_the_decider_signs_with_their_token_and_the_page_shows_it_verified(
    decision, director, director_token, tmp_path
):
    signed = sign_external(_prepared(director, decision), director_token, tmp_path)
    response = _upload(director, decision, signed)
    assert response.status_code == 302
    row = decision.signatures.get()
    assert row.kind == "personal" and row.signer == director.user
    assert row.certificate_sha256 == director_token.sha256
    page = login(director).get(f"/van-ban/{decision.pk}/?kiem-tra=1").content.decode()
    assert "Lê Văn Giám Đốc" in page
    assert "Hợp lệ: chữ ký đúng, chứng thư số tin cậy." in page
    assert AuditEvent.objects.filter(action="document.signed", object_id=str(decision.pk)).exists()


def test_a_signature_by_someone_else_is_refused(
    decision, director, director_token, test_pki, dept_reviewer, tmp_path
):
    other = issue(test_pki.ca, "Chuyên Viên Khác")
    SigningCertificate.objects.create(user=dept_reviewer.user, sha256=other.sha256)
    signed = sign_external(_prepared(director, decision), other, tmp_path)
    _refused(director, decision, signed, "Văn bản phải do chính người quyết định ký")
    assert AuditEvent.objects.filter(action="document.signature_refused").exists()


@pytest.mark.parametrize("how", ["bytes", "revision"])
def test_a_signed_file_whose_content_changed_is_refused(
    decision, director, director_token, tmp_path, how
):
    prepared = _prepared(director, decision)
    if how == "bytes":
        changed = prepared.replace(b"595.28 841.89", b"595.28 841.80", 1)
        assert changed != prepared
    else:  # an incremental revision that edits the document, then the signature over it
        writer = IncrementalPdfFileWriter(io.BytesIO(prepared))
        writer.set_info(None)
        writer.document_meta.title = "Quyết định đã sửa"
        out = io.BytesIO()
        writer.write(out)
        changed = out.getvalue()
    signed = sign_external(changed, director_token, tmp_path)
    _refused(director, decision, signed, "nội dung đã bị thay đổi")


def test_a_certificate_from_an_untrusted_authority_is_refused(decision, director, tmp_path):
    rogue = issue(make_ca("Rogue CA"), "Lê Văn Giám Đốc")
    SigningCertificate.objects.create(user=director.user, sha256=rogue.sha256)
    signed = sign_external(_prepared(director, decision), rogue, tmp_path)
    _refused(director, decision, signed, "không được tin cậy")


def test_not_a_pdf_and_the_refused_persona(decision, director, head_b, teacher_a):
    response = _upload(director, decision, b"hello")
    assert response.status_code == 400
    assert "không phải là tệp PDF" in response.content.decode()
    # A head of another school cannot even see the document; the traveller may not sign it.
    assert _upload(head_b, decision, b"%PDF-1.7").status_code == 404
    assert _upload(teacher_a, decision, b"%PDF-1.7").status_code == 403


def test_the_office_releases_and_the_mail_carries_both_signatures(
    held_trip, decision, director, director_token, dept_reviewer, test_pki, tmp_path
):
    signed = sign_external(_prepared(director, decision), director_token, tmp_path)
    assert _upload(director, decision, signed).status_code == 302
    police = AgencyNotification.objects.get(request_id=held_trip.pk, agency__code="CATP-PA08")
    message = OutboxMessage.objects.get(notification=police)
    OutboxMessage.objects.filter(pk=message.pk).update(to_address="pa08@ca.test")
    assert police.status == "pending" and message.status == "held"
    assert message_send(message.pk) == "skipped"  # held: nothing goes before the release

    agency_notification_release(notification=police, actor=dept_reviewer.user)
    assert message_send(message.pk) == "sent"
    data = {name.split("-")[0]: body for name, body, _t in mail.outbox[-1].attachments}
    reader = PdfFileReader(io.BytesIO(data["quyet"]))
    found = list(reader.embedded_signatures)
    assert {s.field_name for s in found} == {"Signature1", signatures.ORGANISATION_FIELD}
    context = ValidationContext(trust_roots=[test_pki.ca.asn1()], allow_fetching=False)
    subjects = []
    for embedded in found:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
        assert status.intact and status.valid and status.trusted
        subjects.append(status.signing_cert.subject.human_friendly)
    assert any("Lê Văn Giám Đốc" in s for s in subjects)
    assert any("Sở Giáo dục và Đào tạo" in s for s in subjects)
    assert AuditEvent.objects.filter(
        action="document.signed", actor=dept_reviewer.user, object_id=str(decision.pk)
    ).exists()
    # The record says which bytes the police received: the decision's latest signed file.
    delivered = AuditEvent.objects.get(action="notification.delivered", object_id=str(held_trip.pk))
    assert signatures.latest_signature(decision).pdf_sha256 in delivered.after["attachments_sha256"]
    assert len(delivered.after["attachments_sha256"]) == len(delivered.after["attachments"]) == 2


def test_the_agency_email_names_the_country_and_the_passport_once(held_trip):
    body = OutboxMessage.objects.filter(notification__request_id=held_trip.pk)[0].body_text
    assert "Nơi đến: Nhật Bản (Osaka)" in body
    assert "hộ chiếu phổ thông số" in body
    assert "hộ chiếu hộ chiếu" not in body
    assert "Nơi đến: JP" not in body


def _organisation_signature_valid(document: Document, test_pki: PKI) -> bool:
    data = signatures.signed_pdf(Document.objects.get(pk=document.pk))
    assert data is not None
    [embedded] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    context = ValidationContext(trust_roots=[test_pki.ca.asn1()], allow_fetching=False)
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    return bool(status.intact and status.valid and status.trusted)


def test_organisation_signatures_stay_valid_when_the_room_measured_before_is_too_small(
    held_trip, test_pki, monkeypatch
):
    """The room for the signature is measured once per certificate and reused; when a
    container no longer fits (another certificate chain behind the same fingerprint cannot, but
    a longer one for the same key could), the signature is measured again, not refused."""
    letter, decision = (
        Document.objects.get(request_id=held_trip.pk, kind=kind)
        for kind in (DocumentKind.OUTBOUND_NOTICE, DocumentKind.OUTBOUND_DECISION)
    )
    monkeypatch.setattr(signatures, "_RESERVED", {})
    signatures.organisation_sign(letter, actor=None)
    assert _organisation_signature_valid(letter, test_pki)
    [(fingerprint, measured)] = signatures._RESERVED.items()
    signatures._RESERVED[fingerprint] = 64  # far too small: pyHanko refuses to write it

    signatures.organisation_sign(decision, actor=None)
    assert _organisation_signature_valid(decision, test_pki)
    assert signatures._RESERVED[fingerprint] == measured


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_mail_workers_signing_one_document_at_once_sign_it_once(held_trip, decision):
    """The two agencies' e-mails of one approval go out from two mail processes at once; each
    signs the decision before attaching it. Both must attach the same signed file, and the
    record must hold one organisation signature (it held two, each on the unsigned PDF)."""

    def sign() -> Any:
        return signatures.organisation_sign(Document.objects.get(pk=decision.pk), actor=None)

    first, second = at_once([sign, sign])

    assert isinstance(first, DocumentSignature), first
    assert isinstance(second, DocumentSignature), second
    assert first.pk == second.pk
    assert decision.signatures.count() == 1
    assert (
        AuditEvent.objects.filter(action="document.signed", object_id=str(decision.pk)).count() == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_leader_upload_racing_the_organisation_signature_is_refused_not_stored_beneath(
    held_trip, decision, director, director_token, tmp_path
):
    """The leader signed the prepared (unsigned) PDF; the organisation signs the document while
    the upload is being checked. Stored, the upload would hide the organisation's signature:
    it is refused and the leader is told why."""
    signed = sign_external(_prepared(director, decision), director_token, tmp_path)

    def upload() -> Any:
        return signatures.personal_signature_accept(
            Document.objects.get(pk=decision.pk), data=signed, actor=director.user
        )

    def organisation() -> Any:
        return signatures.organisation_sign(Document.objects.get(pk=decision.pk), actor=None)

    outcomes = at_once([upload, organisation])

    kinds = list(decision.signatures.values_list("kind", flat=True))
    if kinds == ["organisation"]:  # the organisation went first: the upload was refused
        assert "người ký phải ký trước văn thư" in outcomes[0], outcomes
    else:  # the leader went first: the organisation signed on top of the leader's file
        assert kinds == ["personal", "organisation"], kinds
        data = signatures.signed_pdf(Document.objects.get(pk=decision.pk))
        assert data is not None and data.startswith(signed)
