"""The pre-care and aftercare sheets in detail (services/documents.py): the facts printed
on them, their titles and file names, the areas that change the advice, the exact
refusals, and a refused hand-out named in the audit log."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import NotFound, SessionLocked
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.documents import GeneratedDocument, HandOut
from tests.documents.pdf_text import words_of
from tests.helpers.clinic import SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


@pytest.fixture
def patient_id(core: ClinicDesk, clinic: SeededClinic) -> int:
    details = PatientDetails("Ångström-Müller", "Zoë", date(1990, 3, 14), "+48 600 100 200")
    return core.patients.register(clinic.reception, details).patient_id



def test_a_pre_care_sheet_states_the_day_the_treatment_and_its_names(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    today = core.consents.today()
    text = words_of(made.pdf)
    # The sheet prints its fact labels in capitals.
    assert f"FOR Zoë Ångström-Müller GIVEN ON {today:%d/%m/%Y} TREATMENT Microneedling " in text
    assert "FIRST SESSION" not in text and "radiofrequency" not in text
    assert made.title == "Pre-care sheet for Zoë Ångström-Müller"
    assert made.file_name == f"pre-care Ångström-Müller Zoë {today.isoformat()}.pdf"
    assert (made.template_key, made.source_id) == ("precare", None)


def test_naming_the_areas_adds_their_advice_to_the_pre_care_sheet(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    plain = words_of(core.documents.precare(clinic.reception, patient_id).pdf)
    scalp = words_of(core.documents.precare(clinic.reception, patient_id,
                                            areas=("scalp",)).pdf)
    assert scalp != plain and len(scalp) > len(plain)


def test_refusals_of_unknown_sessions_documents_and_patients_are_exact(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    with refused(NotFound, "There is no such treatment session."):
        core.documents.aftercare(clinic.practitioner, 999)
    with refused(NotFound, "There is no such treatment session."):
        core.documents.aftercare_for_command_line(999)
    with refused(NotFound, "There is no such document in the history."):
        core.documents.reopen(clinic.reception, 999)
    with refused(NotFound, "There is no such patient."):
        core.documents.precare(clinic.reception, 999)
    made = core.documents.precare(clinic.reception, patient_id)
    stranger = GeneratedDocument(made.kind, 999, made.template_key, made.template_version,
                                 None, made.pdf, "x", "x.pdf")
    with refused(NotFound, "There is no such patient."):
        core.documents.record_handout(clinic.reception, stranger, how=HandOut.SAVED)


def test_a_refused_hand_out_is_named_in_the_audit_log(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    core.auth.sign_out(clinic.reception)
    before = entry_count(core)
    with pytest.raises(SessionLocked):
        core.documents.record_handout(clinic.reception, made, how=HandOut.PRINTED)
    with pytest.raises(SessionLocked):
        core.documents.precare(clinic.reception, patient_id)
    assert entries(core, after=before) == [
        Entry("document.handed_out", "patient", str(patient_id), clinic.reception.staff_id,
              patient_id, "denied", "signed out"),
        Entry("document.made", "patient", str(patient_id), clinic.reception.staff_id,
              patient_id, "denied", "signed out"),
    ]


def test_a_hand_out_from_the_command_line_is_audited_as_such(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    from tests.services.test_consent_form_administration import transactions

    made = core.documents.precare_for_command_line(patient_id, uses_rf=True)
    text = words_of(made.pdf)
    assert "Microneedling with radiofrequency (RF)" in text and "FIRST SESSION" not in text
    before = entry_count(core)
    with transactions(core) as writes:
        view = core.documents.record_handout_from_command_line(made, how=HandOut.SAVED)
    assert writes[:1] == [True]
    assert view.handed_by == "command line"
    [entry] = entries(core, after=before)
    assert entry == Entry("document.handed_out", "handed_out_document", str(view.document_id),
                          None, patient_id, "success", "precare saved via command line")
    reopened = core.documents.reopen(clinic.reception, view.document_id)
    assert reopened.title == "Pre-care sheet for Zoë Ångström-Müller"
    assert reopened.pdf == made.pdf
