"""Checking a consent PDF against a database whose record was edited behind the app's
back (services/consent_documents.py check_pdf, consent_listing.py): each case answered
in its own words, and no PDF made from a record that fails its own hash; the signing
certificate listed as registered."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError, SessionLocked
from clinic_desk.services.consent_dto import ConsentDocument, PdfCheck
from tests.helpers.clinic import STAFF_PASSWORD
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign
from tests.helpers.tamper import without_guards
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def _signature_reason(pdf: bytes) -> str:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    [signature] = PdfFileReader(BytesIO(pdf)).embedded_signatures
    return str(signature.sig_object["/Reason"])


def _signed_pdf(core: ClinicDesk, setup: ConsentClinic) -> tuple[int, ConsentDocument]:
    signed = sign(core, setup)
    return signed.consent_id, core.consents.document(setup.clinic.reception, signed.consent_id)


def test_a_record_edited_behind_the_apps_back_is_named_and_gets_no_pdf(
    core: ClinicDesk, setup: ConsentClinic, database_url: str
) -> None:
    consent_id, made = _signed_pdf(core, setup)
    with without_guards(database_url) as conn:
        conn.execute(text("UPDATE consent_record SET canonical_json = canonical_json || ' ' "
                          "WHERE id = :i"), {"i": consent_id})
    assert core.consents.verify_pdf(made.pdf) == PdfCheck(
        False, f"Consent no. {consent_id} in this database no longer matches its own content "
        "hash: run clinic-desk audit verify.", consent_id)
    with refused(ClinicDeskError, f"Consent no. {consent_id} fails its integrity check: its "
                 "PDF is not made. Tell the administrator (clinic-desk audit verify)."):
        core.consents.document(setup.clinic.reception, consent_id)
    [summary] = core.consents.consents_for_patient(setup.clinic.reception, setup.patient_id)
    assert not summary.intact
    standing = core.consents.consent_standing(setup.clinic.practitioner, setup.patient_id,
                                              uses_rf=False, on_date=core.consents.today())
    assert [c.intact for c in standing.consents_on_file] == [False]


def test_a_pdf_whose_hash_differs_from_the_stored_record_says_both(
    core: ClinicDesk, setup: ConsentClinic, database_url: str
) -> None:
    consent_id, made = _signed_pdf(core, setup)
    with core.units() as uow:
        row = uow.consents.record(consent_id)
        assert row is not None
        edited = row.canonical_json + " "
    digest = hashlib.sha256(edited.encode("utf-8")).hexdigest()
    with without_guards(database_url) as conn:
        conn.execute(text("UPDATE consent_record SET canonical_json = :j, content_hash = :h "
                          "WHERE id = :i"), {"j": edited, "h": digest, "i": consent_id})
    assert core.consents.verify_pdf(made.pdf) == PdfCheck(
        False, f"The PDF's content hash {made.content_hash[:16]}… differs from consent no. "
        f"{consent_id} in this database ({digest[:16]}…).", consent_id)


def test_a_pdf_of_a_consent_missing_from_this_database_is_named(
    core: ClinicDesk, setup: ConsentClinic, database_url: str
) -> None:
    consent_id, made = _signed_pdf(core, setup)
    with without_guards(database_url) as conn:
        conn.execute(text("DELETE FROM consent_signature WHERE consent_id = :i"),
                     {"i": consent_id})
        conn.execute(text("DELETE FROM consent_record WHERE id = :i"), {"i": consent_id})
    assert core.consents.verify_pdf(made.pdf) == PdfCheck(
        False, f"Consent no. {consent_id} is not in this database.", consent_id)


def test_the_registered_certificate_is_listed_with_its_subject_and_workstation(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    _, made = _signed_pdf(core, setup)
    [certificate] = core.consents.certificates(setup.clinic.admin)
    assert certificate.kept_here and certificate.origin == "created"
    assert certificate.workstation == core.units.workstation != ""
    profile = core.clinic.profile()
    assert profile is not None and profile.name in certificate.subject
    assert certificate.not_before < certificate.not_after
    assert made.pdf.startswith(b"%PDF")


def test_a_declined_consents_pdf_is_signed_as_declined(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    declined = core.consents.decline(practitioner, draft, reason="Not today, thank you.",
                                     password=STAFF_PASSWORD)
    made = core.consents.document(setup.clinic.reception, declined.consent_id)
    reason = f"Consent no. {declined.consent_id} as declined, SHA-256 {declined.content_hash}"
    assert _signature_reason(made.pdf) == reason
    check = core.consents.verify_pdf(made.pdf)
    assert check.ok and check.message.startswith(
        f"Matches consent no. {declined.consent_id} recorded on "), check.message


def test_making_a_pdf_writes_from_its_first_statement_and_a_refusal_names_the_consent(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    from tests.services.test_consent_form_administration import transactions

    signed = sign(core, setup)
    with transactions(core) as writes:
        core.consents.document(setup.clinic.reception, signed.consent_id)
    assert writes[:1] == [True]
    core.auth.sign_out(setup.clinic.reception)
    before = entry_count(core)
    with pytest.raises(SessionLocked):
        core.consents.document(setup.clinic.reception, signed.consent_id)
    assert entries(core, after=before) == [
        Entry("consent.viewed", "consent_record", str(signed.consent_id),
              setup.clinic.reception.staff_id, None, "denied", "signed out"),
    ]

