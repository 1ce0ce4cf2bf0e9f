"""The clinic's digital signature on the PDFs it hands out (PAdES, with pyHanko).

The clinic signs with its own identity: a private key and a self-signed X.509
certificate naming the clinic, created with `cryptography` (RSA 3072, SHA-256, valid ten
years, key usage "digital signature" and "non-repudiation"), or an identity an
administrator imports from a PKCS#12 file (for instance one issued by a certificate
authority that PDF readers already trust).

Signatures are PAdES baseline B-B: the signed attributes carry the workstation's clock
as the signing time, and no time-stamp authority vouches for it, because a clinic
workstation cannot be assumed to reach one. B-T would need such a server; the record's
own UTC times and the hash-chained audit log are the clinic's evidence of when.

pyHanko, asn1crypto and cryptography are imported inside the functions, so that merely
importing this module costs nothing at start-up.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from clinic_desk.documents.document_info import INFO_CONSENT_ID, INFO_CONTENT_HASH
from clinic_desk.domain.errors import ClinicDeskError

KEY_BITS = 3072
VALIDITY_YEARS = 10
SIGNATURE_FIELD = "ClinicSignature"
_RESERVED = 16384  # bytes kept for the CMS blob; avoids pyHanko's trial signature


class SigningIdentityError(ClinicDeskError):
    """A signing identity cannot be created, read or used; the message says why."""


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """The clinic's certificate and private key (PKCS#8 DER, unencrypted, in memory only)."""

    certificate_der: bytes
    private_key_der: bytes = field(repr=False)

    @property
    def certificate_pem(self) -> bytes:
        return certificate_pem(self.certificate_der)

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate_der)


def certificate_pem(der: bytes) -> bytes:
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines)
            + "\n-----END CERTIFICATE-----\n").encode("ascii")


def certificate_der(certificate: bytes) -> bytes:
    """DER bytes from a certificate given as DER or PEM."""
    text = certificate.strip()
    if text.startswith(b"-----BEGIN CERTIFICATE-----"):
        body = b"".join(line for line in text.splitlines() if not line.startswith(b"-----"))
        return base64.b64decode(body)
    return certificate


def certificate_fingerprint(certificate: bytes) -> str:
    """SHA-256 of the certificate's DER encoding, as lower-case hex."""
    return hashlib.sha256(certificate_der(certificate)).hexdigest()


def create_signing_identity(clinic_name: str, *, now: datetime) -> SigningIdentity:
    """A new private key and a self-signed certificate for the clinic."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    name = _at_most_64_bytes(" ".join(clinic_name.split())) or "Clinic"
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Clinic Desk document signing"),
    ])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * VALIDITY_YEARS + VALIDITY_YEARS // 4))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(
        certificate_der=certificate.public_bytes(serialization.Encoding.DER),
        private_key_der=key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def _at_most_64_bytes(text: str) -> str:
    """X.509 names allow 64 characters; `cryptography` counts them as UTF-8 bytes."""
    while len(text.encode("utf-8")) > 64:
        text = text[:-1]
    return text.rstrip()


def identity_to_pkcs12(identity: SigningIdentity, password: bytes) -> bytes:
    """The identity as a PKCS#12 file protected by the password (AES-256, PBKDF2)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = serialization.load_der_private_key(identity.private_key_der, password=None)
    return pkcs12.serialize_key_and_certificates(
        b"Clinic Desk signing identity",
        key,  # type: ignore[arg-type]
        x509.load_der_x509_certificate(identity.certificate_der),
        None,
        serialization.BestAvailableEncryption(password),
    )


def identity_from_pkcs12(data: bytes, password: bytes, *, now: datetime) -> SigningIdentity:
    """Read a PKCS#12 file and check that it can sign now; plain-worded errors otherwise."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise SigningIdentityError(
            "The file is not a PKCS#12 file, or the password is wrong.") from None
    if key is None or certificate is None:
        raise SigningIdentityError(
            "The PKCS#12 file must hold both a private key and its certificate.")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningIdentityError("Only RSA and elliptic-curve keys can sign PDFs here.")
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size < 2048:
        raise SigningIdentityError("An RSA key must have at least 2048 bits.")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != (
        certificate.public_key().public_bytes(serialization.Encoding.DER, public)
    ):
        raise SigningIdentityError("The private key does not belong to the certificate.")
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise SigningIdentityError(
            f"The certificate is valid from {certificate.not_valid_before_utc:%Y-%m-%d} "
            f"to {certificate.not_valid_after_utc:%Y-%m-%d}, not today.")
    _check_key_usage(certificate)
    return SigningIdentity(
        certificate_der=certificate.public_bytes(serialization.Encoding.DER),
        private_key_der=key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def _check_key_usage(certificate: Any) -> None:
    from cryptography import x509

    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningIdentityError("The certificate is not meant for signing documents.")


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str) -> bytes:
    """The PDF with the clinic's PAdES B-B signature appended (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=_signer(identity), bytes_reserved=_RESERVED)
    return bytes(out.getvalue())


@lru_cache(maxsize=4)
def _signer(identity: SigningIdentity) -> Any:
    """A pyHanko signer holding the key already loaded.

    pyHanko's SimpleSigner parses the private key again for every signature, and
    OpenSSL's RSA consistency check makes that cost ~0.3 s. The key is loaded once here,
    without repeating that check: every identity comes from `create_signing_identity`
    or from `identity_from_pkcs12`, whose loading has already checked it.
    """
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    key = serialization.load_der_private_key(
        identity.private_key_der, password=None, unsafe_skip_rsa_key_validation=True)

    class LoadedKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            digest = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, padding.PKCS1v15(), digest)
            if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(digest))
            return bytes(super().sign_raw(data, digest_algorithm))

    certificate = x509.Certificate.load(identity.certificate_der)
    return LoadedKeySigner(
        signing_cert=certificate,
        signing_key=keys.PrivateKeyInfo.load(identity.private_key_der),
        # Empty: the signer's certificate is embedded anyway, and once is enough.
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )


class PdfProblem(StrEnum):
    NOT_A_PDF = "not_a_pdf"
    NO_SIGNATURE = "no_signature"
    ALTERED = "altered"
    CHANGED_AFTER_SIGNING = "changed_after_signing"
    OTHER_CERTIFICATE = "other_certificate"
    CERTIFICATE_NOT_VALID = "certificate_not_valid"


@dataclass(frozen=True, slots=True)
class SignedPdfVerdict:
    """What checking a signed PDF found; `message` is one plain line either way."""

    ok: bool
    message: str
    problem: PdfProblem | None = None
    signer: str | None = None
    certificate_fingerprint: str | None = None
    signed_at_utc: datetime | None = None  # as the signing workstation's clock claimed
    consent_id: int | None = None
    content_hash: str | None = None


def verify_signed_pdf(
    pdf: bytes, trusted_certificate: bytes | Sequence[bytes]
) -> SignedPdfVerdict:
    """Is the PDF intact, signed over its whole length, by one of the given certificates
    (DER or PEM)? Also reads back the consent id and content hash it carries."""
    from clinic_desk.documents.signing_check import check_signed_pdf

    trusted = [trusted_certificate] if isinstance(trusted_certificate, bytes) else list(
        trusted_certificate)
    return check_signed_pdf(pdf, [certificate_der(c) for c in trusted])


__all__ = [
    "INFO_CONSENT_ID",
    "INFO_CONTENT_HASH",
    "PdfProblem",
    "SignedPdfVerdict",
    "SigningIdentity",
    "SigningIdentityError",
    "certificate_fingerprint",
    "certificate_pem",
    "create_signing_identity",
    "identity_from_pkcs12",
    "identity_to_pkcs12",
    "sign_pdf",
    "verify_signed_pdf",
]
