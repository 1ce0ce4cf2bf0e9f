"""Demo patients: varied enough that every screening rule has patients to show it."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.patients import PatientDetails, Sex
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.demo_names import NAME_POOLS
from tests.helpers.clinic import seed_clinic


def test_demo_patients_cover_every_rule_and_status(core: ClinicDesk) -> None:
    core.demo.load_clinic()
    reception = core.demo.reception_account()
    assert core.demo.add_patients(reception, 300) == 300
    rule_ids: set[str] = set()
    statuses: set[ScreeningStatus] = set()
    page = core.patients.search(reception, "", limit=500)
    assert len(page.rows) == 300
    ages = [row.age for row in page.rows]
    assert min(ages) < 18 and max(ages) <= 80
    assert any(not row.display_name.isascii() for row in page.rows)
    for row in page.rows:
        for uses_rf in (False, True):
            result = core.screening.screen_patient(reception, row.patient_id, uses_rf=uses_rf)
            statuses.add(result.status)
            rule_ids.update(f.rule_id for f in result.findings)
    assert rule_ids >= {r.id for r in core.screening.rules.rules} | {"no_intake"}
    assert statuses == set(ScreeningStatus)


def test_demo_patients_are_found_by_search(core: ClinicDesk) -> None:
    core.demo.load_clinic()
    reception = core.demo.reception_account()
    core.demo.add_patients(reception, 50)
    first = core.patients.search(reception, "", limit=1).rows[0]
    found = core.patients.search(reception, f"{first.family_name} {first.given_name}")
    assert first.patient_id in {r.patient_id for r in found.rows}
    by_number = core.patients.search(reception, first.patient_number)
    assert [r.patient_id for r in by_number.rows] == [first.patient_id]
    # a second batch continues the numbering
    core.demo.add_patients(reception, 5)
    assert core.patients.count(reception) == 55
    # and registering by hand afterwards takes the next free number (PostgreSQL's
    # sequence was moved past the bulk-loaded ids)
    registered = core.patients.register(
        reception, PatientDetails("Nowak", "Ewa", date(1990, 1, 1), "+48 600 000 001")
    )
    assert registered.patient_number == "P-000056"


def test_demo_patients_only_go_into_the_demo_clinic(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    with pytest.raises(ClinicDeskError, match="only be added to the demo clinic"):
        core.demo.add_patients(clinic.reception, 10)
    assert core.patients.count(clinic.reception) == 0


def test_demo_given_names_match_the_sex_and_phones_are_valid_and_grouped(
    core: ClinicDesk,
) -> None:
    core.demo.load_clinic()
    reception = core.demo.reception_account()
    core.demo.add_patients(reception, 80)
    female = {n for pool in NAME_POOLS.values() for n in pool.female}
    male = {n for pool in NAME_POOLS.values() for n in pool.male}
    regions: set[str] = set()
    for row in core.patients.search(reception, "", limit=100).rows:
        record = core.patients.get(reception, row.patient_id)
        details = record.details
        if details.sex is Sex.FEMALE:
            assert details.given_name in female, details
        elif details.sex is Sex.MALE:
            assert details.given_name in male, details
        number = phonenumbers.parse(details.phone, "FR")
        assert phonenumbers.is_valid_number(number), details.phone
        region = phonenumbers.region_code_for_number(number)
        assert region is not None, details.phone
        regions.add(region)
        # typed as people there write it: nationally at home (the demo clinic is in
        # Paris), internationally from abroad, and shown the same way
        style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == "FR"
                 else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        assert details.phone == phonenumbers.format_number(number, style)
        assert record.phone_shown == details.phone
    assert len(regions) >= 5
