"""``make demo`` signs with a throwaway organisation certificate, so agency e-mails go out.

The Makefile names ``var/demo-signing/`` in the signing settings; ``seed_demo`` writes the pair
there once. Here the same settings point into a temporary folder.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from approvals.documents.signatures import organisation_sign, signatures_verify
from approvals.models import Document, DocumentKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_signing(settings: Any, tmp_path: Any) -> Any:
    settings.DEBUG = True
    settings.DOCUMENT_SIGNING_P12 = str(tmp_path / "demo-signing" / "organisation.p12")
    settings.DOCUMENT_SIGNING_P12_PASSWORD = "demo-signing"
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = [str(tmp_path / "demo-signing" / "root.pem")]
    return tmp_path / "demo-signing"


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--without-history", stdout=out)
    return out.getvalue()


def test_seed_demo_writes_the_demo_certificate_once_and_only_its_owner_reads_the_key(demo_signing):
    assert "chứng thư số demo" in _seed()
    p12 = demo_signing / "organisation.p12"
    first = p12.read_bytes()
    assert p12.stat().st_mode & 0o077 == 0
    assert b"BEGIN CERTIFICATE" in (demo_signing / "root.pem").read_bytes()
    assert "chứng thư số demo" not in _seed()
    assert p12.read_bytes() == first  # a second run keeps the key documents were signed with


def test_a_document_signed_with_the_demo_certificate_verifies(settings, demo_signing, request):
    _seed()
    settings.AGENCY_DISPATCH_AUTO = False  # nobody signed yet: sign it here with the demo's key
    trip = request.getfixturevalue("trip")
    decision = Document.objects.get(
        request_id=trip.pk, request_kind="outbound", kind=DocumentKind.OUTBOUND_DECISION
    )
    organisation_sign(decision, actor=None)
    [verified] = signatures_verify(decision)
    assert verified.ok, verified.message
    assert "Demo" in verified.subject


def test_without_signing_settings_seed_demo_writes_no_certificate(settings, tmp_path):
    settings.DEBUG = True
    settings.DOCUMENT_SIGNING_P12 = ""
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = []
    assert "chứng thư số demo" not in _seed()
