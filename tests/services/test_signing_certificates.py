"""The clinic's signing identity: made on first use and registered (public part only),
replaced by an administrator's PKCS#12 file; PDFs signed before and after both verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.documents.signing import create_signing_identity, identity_to_pkcs12
from clinic_desk.domain.errors import PermissionDenied, ValidationError
from clinic_desk.services.audit import verify_audit_log
from tests.helpers.clinic import FakeClock
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def test_the_key_stays_on_the_workstation_and_the_certificate_is_registered(
    core: ClinicDesk, setup: ConsentClinic, tmp_path: Path
) -> None:
    assert core.consents.certificates(setup.clinic.admin) == []
    made = core.consents.ensure_signing_identity(setup.clinic.admin)
    assert made.kept_here and made.origin == "created"
    assert (tmp_path / "signing-key" / "clinic-signing-key.p12").is_file()
    again = core.consents.ensure_signing_identity(setup.clinic.practitioner)
    assert again.fingerprint == made.fingerprint
    with core.engine.connect() as conn:
        from sqlalchemy import text

        stored = " ".join(str(v) for row in conn.execute(
            text("SELECT * FROM signing_certificate")) for v in row)
    assert "PRIVATE KEY" not in stored and "BEGIN CERTIFICATE" in stored


def test_an_imported_identity_signs_from_then_on_and_old_pdfs_still_verify(
    core: ClinicDesk, setup: ConsentClinic, clock: FakeClock
) -> None:
    signed = sign(core, setup)
    before = core.consents.document(setup.clinic.reception, signed.consent_id).pdf
    identity = create_signing_identity("Klinika Łódź", now=clock.now)
    pkcs12 = identity_to_pkcs12(identity, b"import-password")
    with pytest.raises(PermissionDenied):
        core.consents.import_signing_identity(setup.clinic.practitioner, pkcs12,
                                              "import-password")
    with pytest.raises(ValidationError, match="password is wrong") as wrong:
        core.consents.import_signing_identity(setup.clinic.admin, pkcs12, "nope")
    assert wrong.value.field == "pkcs12"
    imported = core.consents.import_signing_identity(setup.clinic.admin, pkcs12,
                                                     "import-password")
    assert imported.fingerprint == identity.fingerprint and imported.origin == "imported"
    certificates = core.consents.certificates(setup.clinic.admin)
    assert len(certificates) == 2 and [c.kept_here for c in certificates] == [False, True]
    after = core.consents.document(setup.clinic.reception, signed.consent_id).pdf
    assert core.consents.verify_pdf(before).ok and core.consents.verify_pdf(after).ok
    assert "Klinika Łódź" in core.consents.verify_pdf(after).message
    assert verify_audit_log(core.units).ok
