"""A patient registered with only the required details: every optional field starts empty
and the details validate as they are."""

from __future__ import annotations

from datetime import date

from clinic_desk.domain.patients import PatientDetails, validate_patient


def test_only_the_required_details_leave_every_optional_field_empty() -> None:
    details = PatientDetails("Ångström-Müller Ferreira", "Zoë", date(1987, 3, 14), "06 12 34 56 78")
    optional = (
        details.preferred_name,
        details.email,
        details.address,
        details.emergency_contact_name,
        details.emergency_contact_phone,
        details.referring_physician,
        details.notes,
    )
    assert optional == ("", "", "", "", "", "", "")
    assert details.sex is None and details.fitzpatrick_type is None
    assert validate_patient(details, date(2026, 11, 30)) == details
