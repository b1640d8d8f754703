"""A certification authority of one's own, for the demo and the tests (``cryptography``, offline).

``make demo`` signs documents with a throwaway organisation certificate so that the agencies'
e-mails go out as they would in production, where the Sở's real PKCS#12 is configured instead
(docs/record.md → *Signatures*). :func:`make_ca` gives a root; :func:`issue` a signing
certificate under it; :func:`pkcs12_file` writes one as the product reads the organisation's;
:func:`write_demo_certificate` writes the demo's pair once. Nothing here is fit for production:
the keys are made on the machine and the root is trusted by nobody else.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class Issued:
    key: Any
    cert: x509.Certificate
    chain: list[x509.Certificate]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.cert.public_bytes(serialization.Encoding.DER)).hexdigest()

    def asn1(self) -> Any:
        """The certificate as pyHanko's validator takes it."""
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test CA"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    key: Any, common_name: str, issuer: x509.Name, *, days: int, ca: bool
) -> x509.CertificateBuilder:
    """What a root and a signing certificate share: names, key, serial, validity from yesterday,
    and the key usage of a CA (signs certificates) or of a signer (signs documents)."""
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=not ca, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                crl_sign=ca, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    )  # fmt: skip


def make_ca(common_name: str = "Test Root CA") -> Issued:
    key = _key()
    cert = _certificate(key, common_name, _name(common_name), days=3650, ca=True).sign(
        key, hashes.SHA256()
    )
    return Issued(key, cert, [])


def issue(ca: Issued, common_name: str) -> Issued:
    key = _key()
    cert = (
        _certificate(key, common_name, ca.cert.subject, days=365, ca=False)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert, [ca.cert])


def pkcs12_file(issued: Issued, path: Path, password: str = "") -> Path:
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", issued.key, issued.cert, issued.chain, encryption
        )
    )
    return path


def write_demo_certificate(p12: Path, root: Path, password: str) -> bool:
    """Write the demo organisation's PKCS#12 and its root (PEM) unless both exist already.

    Returns whether anything was written. The files are readable by their owner only.
    """
    if p12.is_file() and root.is_file():
        return False
    ca = make_ca("Demo Root CA (không dùng cho vận hành thật)")
    signer = issue(ca, "Demo - Sở Giáo dục và Đào tạo")
    for path in (p12, root):
        path.parent.mkdir(parents=True, exist_ok=True)
    pkcs12_file(signer, p12, password)
    root.write_bytes(ca.pem())
    p12.chmod(0o600)
    return True
