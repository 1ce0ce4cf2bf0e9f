"""Checking a consent PDF against a database whose record was edited behind the app's
back (services/consent_documents.py check_pdf, consent_listing.py): each case answered
in its own words, and no PDF made from a record that fails its own hash; the signing
certificate listed as registered."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.consent_dto import ConsentDocument, PdfCheck
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign
from tests.helpers.tamper import without_guards
from tests.services.exact import refused


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


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
