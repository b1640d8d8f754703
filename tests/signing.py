"""A throwaway certification authority for the signature tests (no network).

The CA itself is the demo's (:mod:`org.demo_signing`); :func:`sign_external` signs a PDF with a
certificate of it as a leader's own tool would (an incremental PAdES signature).
"""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from org.demo_signing import Issued, issue, make_ca, pkcs12_file

__all__ = ["Issued", "issue", "make_ca", "pkcs12_file", "sign_external"]


def sign_external(pdf: bytes, issued: Issued, tmp_path: Path, field: str = "Signature1") -> bytes:
    """Sign a PDF as the leader's own tool would: an incremental PAdES signature."""
    p12 = pkcs12_file(issued, tmp_path / f"{issued.sha256[:8]}.p12")
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=None)
    assert signer is not None
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    return out.getvalue()
