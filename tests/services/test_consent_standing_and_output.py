"""How consents stand and how they leave the database (services/consent_listing.py,
consent_states.py, consent_documents.py): only a signed treatment consent counts for a
session, re-consent reasons in full words, printing and saving recorded field by field,
the command line's listing audited as the command line, the PDF's file name and the
verification message."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import NotFound
from clinic_desk.services.consent_documents import file_name
from clinic_desk.services.consent_dto import ConsentState
from clinic_desk.services.documents import DocumentKind, HandOut
from tests.helpers.clinic import STAFF_PASSWORD
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def test_a_declined_or_a_photography_consent_is_no_consent_to_treatment(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    today = core.consents.today()
    sign(core, setup, "photography")
    draft = core.consents.prepare(practitioner, setup.patient_id, "microneedling")
    core.consents.decline(practitioner, draft, reason="Not today, thank you.",
                          password=STAFF_PASSWORD)
    standing = core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=False,
                                              on_date=today)
    assert (standing.ok, standing.consent_id, standing.valid_until) == (False, None, None)
    assert standing.consents_on_file == () and standing.validity_months == 12
    assert standing.blocker is not None and standing.blocker.field == "consent"
    signed = sign(core, setup, "microneedling")
    standing = core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=False,
                                              on_date=today)
    assert (standing.ok, standing.consent_id, standing.blocker) == (True, signed.consent_id,
                                                                    None)
    assert standing.valid_until == signed.valid_until == date(2027, 11, 21)
    [on_file] = standing.consents_on_file
    assert (on_file.record_id, on_file.signed_on, on_file.covers_rf, on_file.intact,
            on_file.withdrawn_on) == (signed.consent_id, today, False, True, None)


def test_a_withdrawn_consent_stays_on_file_with_its_withdrawal_day(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    signed = sign(core, setup, "microneedling-rf")
    core.consents.withdraw(practitioner, signed.consent_id, reason="Moving abroad.",
                           password=STAFF_PASSWORD)
    today = core.consents.today()
    standing = core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=True,
                                              on_date=today)
    [on_file] = standing.consents_on_file
    assert (on_file.record_id, on_file.withdrawn_on, on_file.covers_rf) == (
        signed.consent_id, today, True)
    assert not standing.ok and standing.consent_id is None


def test_re_consent_reasons_say_which_version_and_which_day(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    from tests.services.test_consent_form_administration import version_2

    signed = sign(core, setup)
    admin = setup.clinic.admin
    title = core.consents.template(admin, "microneedling", 1).title
    core.consents.import_template(admin, version_2())
    late = date(2027, 11, 22)
    flag = core.consents.reconsent_flags(admin, [setup.patient_id], on_date=late)[
        setup.patient_id]
    assert flag.reasons == (
        f"Version 2 of the form “{title}” replaces version 1: the patient must sign the new "
        "one.",
        "The consent signed on 2026-11-22 was valid until 2027-11-21 (12 months): the "
        "patient must sign again.",
    )
    assert (flag.patient_id, flag.needed, flag.consent_ids) == (
        setup.patient_id, True, (signed.consent_id,))
    [summary] = core.consents.consents_for_patient(admin, setup.patient_id, on_date=late)
    assert summary.state is ConsentState.RECONSENT_NEEDED
    assert summary.state_reasons == flag.reasons
    photos = sign(core, setup, "photography")
    flags = core.consents.reconsent_flags(admin, [setup.patient_id, 999], on_date=late)
    assert flags[999].needed is False and flags[999].reasons == ()
    assert photos.consent_id not in flags[setup.patient_id].consent_ids
    assert photos.valid_until is None


def test_printing_and_saving_are_recorded_field_by_field(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    reception = setup.clinic.reception
    before = entry_count(core)
    core.consents.record_output(reception, signed.consent_id, how="printed",
                                detail="x" * 600)
    core.consents.record_output(reception, signed.consent_id, how="saved",
                                detail="to /home/desk/consent.pdf")
    assert entries(core, after=before) == [
        Entry("consent.printed", "consent_record", str(signed.consent_id), reception.staff_id,
              setup.patient_id, "success", "x" * 500),
        Entry("consent.saved", "consent_record", str(signed.consent_id), reception.staff_id,
              setup.patient_id, "success", "to /home/desk/consent.pdf"),
    ]
    assert core.documents.history(reception, setup.patient_id) == []  # no PDF given
    mark = entry_count(core)
    with pytest.raises(ValueError, match="how is 'printed' or 'saved'"):
        core.consents.record_output(reception, signed.consent_id, how="emailed")
    with refused(NotFound, "There is no consent no. 999."):
        core.consents.record_output(reception, 999, how="printed")
    assert entries(core, after=mark) == []


def test_the_command_line_listing_is_audited_as_the_command_line(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    first = sign(core, setup)
    second = sign(core, setup, "photography")
    before = entry_count(core)
    mine = core.consents.list_for_command_line(setup.patient_id)
    everyone = core.consents.list_for_command_line(None)
    assert [s.consent_id for s in mine] == [second.consent_id, first.consent_id]
    assert [s.consent_id for s in everyone] == [second.consent_id, first.consent_id]
    assert entries(core, after=before) == [
        Entry("consent.listed", "patient", str(setup.patient_id), None, setup.patient_id,
              "success", "command line"),
        Entry("consent.listed", "consent_record", None, None, None, "success", "command line"),
    ]
    with refused(NotFound, "There is no patient P-000999."):
        core.consents.list_for_command_line(999)
    assert entry_count(core) == before + 2


def test_a_summary_names_its_patient_form_and_recorder(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    admin = setup.clinic.admin
    title = core.consents.template(admin, "microneedling", 1).title
    assert (signed.patient_number, signed.title, signed.template_version) == (
        f"P-{setup.patient_id:06d}", title, 1)
    assert signed.recorded_by == setup.clinic.practitioner.full_name
    assert signed.intact and signed.linked_by == () and signed.reason is None
    assert signed.signed_on == core.consents.today()
    assert signed.time_zone == "Europe/Warsaw"
    with core.units() as uow:
        row = uow.consents.record(signed.consent_id)
        assert row is not None
        assert file_name(row) == (
            f"consent-{signed.consent_id}-P-{setup.patient_id:06d}-microneedling-v1.pdf")


def test_a_verified_pdf_says_which_consent_when_and_by_whom(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    made = core.consents.document(setup.clinic.reception, signed.consent_id)
    assert made.file_name == (
        f"consent-{signed.consent_id}-P-{setup.patient_id:06d}-microneedling-v1.pdf")
    check = core.consents.verify_pdf(made.pdf)
    # Signed at 09:00 UTC on 22 November 2026: 10:00 in Warsaw.
    assert check.message.startswith(
        f"Matches consent no. {signed.consent_id} signed on 2026-11-22 at 10:00 Europe/Warsaw "
        f"time (microneedling version 1, patient P-{setup.patient_id:06d}); the PDF is "
        "signed by “"), check.message
    assert check.message.endswith("” and unchanged since.")
    assert (check.ok, check.consent_id) == (True, signed.consent_id)
    not_signed = core.consents.verify_pdf(b"%PDF-1.7\n%%EOF\n")
    assert not not_signed.ok


def test_printing_from_the_command_line_keeps_the_copy_and_audits_it(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    """`clinic-desk print consent ID`: the signed PDF, kept in the patient's documents as
    saved from the command line, with no one signed in."""
    signed = sign(core, setup)
    core.consents.document(setup.clinic.reception, signed.consent_id)  # the key exists
    before = entry_count(core)
    made = core.consents.document_for_command_line(signed.consent_id)
    assert made.file_name == (
        f"consent-{signed.consent_id}-P-{setup.patient_id:06d}-microneedling-v1.pdf")
    assert core.consents.verify_pdf(made.pdf).message.startswith(
        f"Matches consent no. {signed.consent_id} signed on 2026-11-22")
    assert entries(core, after=before) == [
        Entry("consent.saved", "consent_record", str(signed.consent_id), None,
              setup.patient_id, "success", "command line"),
    ]
    [kept] = core.documents.history(setup.clinic.reception, setup.patient_id)
    assert (kept.kind, kept.template_key, kept.template_version, kept.source_id) == (
        DocumentKind.CONSENT, "microneedling", 1, signed.consent_id)
    assert (kept.how, kept.handed_by) == (HandOut.SAVED, "command line")
    assert kept.content_sha256 == hashlib.sha256(made.pdf).hexdigest()
    assert kept.size_bytes == len(made.pdf)
    mark = entry_count(core)
    with refused(NotFound, "There is no consent no. 999."):
        core.consents.document_for_command_line(999)
    assert entries(core, after=mark) == []  # nothing written for a consent not on file
