"""The clinic's PAdES signature: it validates with pyHanko, any change breaks it, and the
check names what is wrong (edited, added to, another certificate, not a PDF, unsigned)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from clinic_desk.documents.signing import (
    KEY_BITS,
    PdfProblem,
    SigningIdentity,
    SigningIdentityError,
    create_signing_identity,
    identity_from_pkcs12,
    identity_to_pkcs12,
    sign_pdf,
    verify_signed_pdf,
)
from clinic_desk.domain.consent_record import ConsentRecord
from tests.documents.conftest import render
from tests.documents.pdf_text import page_texts
from tests.helpers.consent import CLINIC_NAME, signed_record


def now() -> datetime:
    """The time of the call: a session fixture's certificate may be younger than this
    module's import."""
    return datetime.now(UTC)



@pytest.fixture(scope="module")
def record() -> ConsentRecord:
    return signed_record(key="photography")


@pytest.fixture(scope="module")
def unsigned(record: ConsentRecord) -> bytes:
    return render(record)


@pytest.fixture(scope="module")
def signed(unsigned: bytes, identity: SigningIdentity) -> bytes:
    return sign_pdf(unsigned, identity, reason="Consent no. 1042", location=CLINIC_NAME)


def pyhanko_status(pdf: bytes, identity: SigningIdentity) -> tuple[bool, bool, bool, object]:
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(identity.certificate_der)])
    status = validate_pdf_signature(signature, context)
    return status.intact, status.valid, status.trusted, status.coverage


def test_the_signature_validates_with_pyhanko_over_the_whole_file(
    signed: bytes, identity: SigningIdentity
) -> None:
    intact, valid, trusted, coverage = pyhanko_status(signed, identity)
    assert (intact, valid, trusted) == (True, True, True)
    assert coverage is SignatureCoverageLevel.ENTIRE_FILE


def test_the_signature_is_pades(signed: bytes) -> None:
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Consent no. 1042"


def test_verify_accepts_it_and_reads_back_the_consent(
    signed: bytes, identity: SigningIdentity, record: ConsentRecord
) -> None:
    verdict = verify_signed_pdf(signed, identity.certificate_der)
    assert verdict.ok, verdict.message
    assert verdict.problem is None
    assert verdict.consent_id == record.consent_id
    assert verdict.content_hash == record.content_hash()
    assert verdict.signer == CLINIC_NAME
    assert verdict.certificate_fingerprint == identity.fingerprint
    assert verdict.signed_at_utc is not None
    assert abs(verdict.signed_at_utc - datetime.now(UTC)) < timedelta(minutes=10)
    assert verdict.message.startswith(f"Signed by “{CLINIC_NAME}” on ")
    # The visible footer says the same as the signed metadata.
    assert all(record.content_hash() in text for text in page_texts(signed))


def test_a_pem_certificate_and_a_list_of_certificates_are_accepted(
    signed: bytes, identity: SigningIdentity, other_identity: SigningIdentity
) -> None:
    assert verify_signed_pdf(signed, identity.certificate_pem).ok
    assert verify_signed_pdf(signed, [other_identity.certificate_der, identity.certificate_pem]).ok


def _changed_inside_a_page(pdf: bytes) -> bytes:
    start = pdf.index(b"stream\n", pdf.index(b"/Type /Page")) + len(b"stream\n") + 20
    edited = bytearray(pdf)
    edited[start] ^= 0x01
    return bytes(edited)


def test_one_changed_byte_breaks_the_signature(
    signed: bytes, identity: SigningIdentity
) -> None:
    edited = _changed_inside_a_page(signed)
    assert len(edited) == len(signed) and edited != signed
    intact, _valid, _trusted, _coverage = pyhanko_status(edited, identity)
    assert not intact
    verdict = verify_signed_pdf(edited, identity.certificate_der)
    assert not verdict.ok
    assert verdict.problem is PdfProblem.ALTERED
    assert verdict.message == ("The PDF was edited after it was signed: its signature no "
                               "longer matches its content.")


def test_a_changed_byte_in_the_metadata_breaks_it_too(
    signed: bytes, identity: SigningIdentity, record: ConsentRecord
) -> None:
    old = record.content_hash().encode()
    at = signed.index(old)
    edited = signed[:at] + (b"0" if old[:1] != b"0" else b"1") + signed[at + 1:]
    verdict = verify_signed_pdf(edited, identity.certificate_der)
    assert verdict.problem is PdfProblem.ALTERED


def test_a_change_in_the_signature_itself_is_caught(
    signed: bytes, identity: SigningIdentity
) -> None:
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    blob = signed[start:signed.index(b">", start)].rstrip(b"0")
    contents = start + len(blob) - 100  # inside the signature value, at the CMS's end
    edited = bytearray(signed)
    edited[contents] = ord("0") if edited[contents] != ord("0") else ord("1")
    verdict = verify_signed_pdf(bytes(edited), identity.certificate_der)
    assert not verdict.ok
    assert verdict.problem is PdfProblem.ALTERED


def test_an_update_appended_after_signing_is_named(
    signed: bytes, identity: SigningIdentity
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"].get_object()
    info["/ClinicDeskConsentId"] = generic.TextStringObject("9999")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    verdict = verify_signed_pdf(out.getvalue(), identity.certificate_der)
    assert not verdict.ok
    assert verdict.problem is PdfProblem.CHANGED_AFTER_SIGNING
    assert verdict.message == "Something was added to the PDF after it was signed."


def test_another_clinics_certificate_is_named_even_with_the_same_name(
    signed: bytes, other_identity: SigningIdentity
) -> None:
    verdict = verify_signed_pdf(signed, other_identity.certificate_der)
    assert not verdict.ok
    assert verdict.problem is PdfProblem.OTHER_CERTIFICATE
    assert verdict.message == (f"The PDF was signed by “{CLINIC_NAME}”, not with this "
                               "clinic's certificate.")


@pytest.mark.parametrize(
    "data", [b"", b"hello, not a PDF", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64],
    ids=["empty", "text", "png"])
def test_a_file_that_is_not_a_pdf_is_named(data: bytes, identity: SigningIdentity) -> None:
    verdict = verify_signed_pdf(data, identity.certificate_der)
    assert (verdict.ok, verdict.problem, verdict.message) == (
        False, PdfProblem.NOT_A_PDF, "The file is not a PDF.")


def test_a_truncated_pdf_is_not_accepted(signed: bytes, identity: SigningIdentity) -> None:
    verdict = verify_signed_pdf(signed[: len(signed) // 3], identity.certificate_der)
    assert not verdict.ok
    assert verdict.problem in (PdfProblem.NOT_A_PDF, PdfProblem.NO_SIGNATURE)


def test_an_unsigned_pdf_is_named(unsigned: bytes, identity: SigningIdentity) -> None:
    verdict = verify_signed_pdf(unsigned, identity.certificate_der)
    assert (verdict.ok, verdict.problem) == (False, PdfProblem.NO_SIGNATURE)
    assert verdict.message == "The PDF carries no digital signature."


def test_a_certificate_expired_at_signing_time_is_named(unsigned: bytes) -> None:
    old = create_signing_identity(CLINIC_NAME, now=now() - timedelta(days=365 * 11))
    signed = sign_pdf(unsigned, old, reason="test", location="test")
    verdict = verify_signed_pdf(signed, old.certificate_der)
    assert verdict.problem is PdfProblem.CERTIFICATE_NOT_VALID


def test_the_clinics_certificate_is_self_signed_rsa_3072_for_signing_ten_years(
    identity: SigningIdentity,
) -> None:
    certificate = x509.load_der_x509_certificate(identity.certificate_der)
    assert certificate.subject == certificate.issuer
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CLINIC_NAME
    key = certificate.public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == KEY_BITS == 3072
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    years = (certificate.not_valid_after_utc - certificate.not_valid_before_utc).days / 365.25
    assert 9.99 < years < 10.01
    assert certificate.signature_hash_algorithm is not None
    assert certificate.signature_hash_algorithm.name == "sha256"
    assert "PRIVATE" not in repr(identity) and identity.private_key_der.hex() not in repr(identity)


def test_a_long_clinic_name_fits_the_certificate() -> None:
    long_name = "Clinique " + "Très Longue " * 12
    certificate = x509.load_der_x509_certificate(
        create_signing_identity(long_name, now=now()).certificate_der)
    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert isinstance(common_name, str) and 60 < len(common_name.encode()) <= 64
    assert long_name.startswith(common_name)


def test_pkcs12_round_trip(identity: SigningIdentity) -> None:
    data = identity_to_pkcs12(identity, b"correct horse")
    assert identity_from_pkcs12(data, b"correct horse", now=now()) == identity
    with pytest.raises(SigningIdentityError, match="password is wrong"):
        identity_from_pkcs12(data, b"wrong", now=now())
    with pytest.raises(SigningIdentityError, match="not a PKCS#12 file"):
        identity_from_pkcs12(b"not pkcs12", b"x", now=now())


def _pkcs12(key: object, certificate: x509.Certificate | None, password: bytes = b"pw") -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"test", key, certificate, None,  # type: ignore[arg-type]
        serialization.BestAvailableEncryption(password))


def _certificate(key: object, *, days: int = 30, start: datetime | None = None,
                 signing: bool = True) -> x509.Certificate:
    start = start or now()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Imported")])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
               .public_key(key.public_key())  # type: ignore[attr-defined]
               .serial_number(x509.random_serial_number())
               .not_valid_before(start - timedelta(days=1))
               .not_valid_after(start + timedelta(days=days)))
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=signing, content_commitment=False, key_encipherment=not signing,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False), critical=True)
    return builder.sign(key, hashes.SHA256())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_an_imported_identity_with_an_ec_key_signs_and_verifies(unsigned: bytes) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    imported = identity_from_pkcs12(_pkcs12(key, _certificate(key)), b"pw", now=now())
    signed = sign_pdf(unsigned, imported, reason="test", location="test")
    assert verify_signed_pdf(signed, imported.certificate_der).ok


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("certificate only", "both a private key and its certificate"),
        ("expired", "not today"),
        ("not for signing", "not meant for signing documents"),
        ("small key", "at least 2048 bits"),
    ],
)
def test_an_unusable_pkcs12_is_refused_with_the_reason(
    case: str, message: str, rsa_key: rsa.RSAPrivateKey
) -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    data = {
        "certificate only": lambda: pkcs12.serialize_key_and_certificates(
            b"x", None, _certificate(rsa_key), None,
            serialization.BestAvailableEncryption(b"pw")),
        "expired": lambda: _pkcs12(
            rsa_key, _certificate(rsa_key, start=now() - timedelta(days=90))),
        "not for signing": lambda: _pkcs12(rsa_key, _certificate(rsa_key, signing=False)),
        "small key": lambda: _pkcs12(small, _certificate(small)),
    }[case]()
    with pytest.raises(SigningIdentityError, match=message):
        identity_from_pkcs12(data, b"pw", now=now())


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(
    rsa_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cryptography` will not write such a file, other tools may: the reader is made to
    return the mismatched pair that such a file holds."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    monkeypatch.setattr(pkcs12, "load_key_and_certificates",
                        lambda data, password: (other, _certificate(rsa_key), []))
    with pytest.raises(SigningIdentityError, match="does not belong to the certificate"):
        identity_from_pkcs12(b"mismatched", b"pw", now=now())
