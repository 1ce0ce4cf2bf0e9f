"""What a change of a patient hands back: an unchanged save still shows the phones as
the clinic writes them, and the duplicate warning word for word; on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.patients import PossibleDuplicate
from tests.helpers.clinic import SeededClinic, seed_clinic


@pytest.fixture
def clinic(core: ClinicDesk) -> SeededClinic:
    return seed_clinic(core)  # in Łódź: Polish numbers are shown in the national format


EWA = PatientDetails("Nowak", "Ewa", date(1990, 2, 3), "+48 600 100 200",
                     emergency_contact_phone="+48 601 200 300")


def test_saving_unchanged_details_shows_the_phones_as_the_clinic_writes_them(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    record = core.patients.register(clinic.reception, EWA)
    again = core.patients.update(clinic.reception, record.patient_id, EWA,
                                 expected_version=record.version)
    assert again.version == record.version  # nothing changed, nothing written
    assert (again.phone_shown, again.emergency_contact_phone_shown) == (
        "600 100 200", "601 200 300")


def test_a_likely_duplicate_is_explained_word_for_word(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    core.patients.register(clinic.reception, EWA)
    with pytest.raises(PossibleDuplicate) as caught:
        core.patients.register(clinic.reception, EWA)
    assert str(caught.value) == (
        "This patient may already be registered. Open the existing record, or save anyway "
        "if this is a different person."
    )
