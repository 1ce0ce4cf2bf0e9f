"""Registering, changing, archiving and finding patients."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    AccountInactive,
    ConcurrentEditError,
    ValidationError,
)
from clinic_desk.domain.patients import FitzpatrickType, PatientDetails, Sex
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.patients import SEARCH_HINT, PossibleDuplicate
from tests.helpers.clinic import SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count


def person(family: str = "Müller", given: str = "Zoë", **more: object) -> PatientDetails:
    values: dict[str, object] = {
        "family_name": family,
        "given_name": given,
        "date_of_birth": date(1985, 3, 12),
        "phone": "+33 6 12 34 56 78",
    }
    values.update(more)
    return PatientDetails(**values)  # type: ignore[arg-type]


def names(page: object) -> list[str]:
    return [r.display_name for r in page.rows]  # type: ignore[attr-defined]


def test_register_gives_a_number_and_keeps_every_detail(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    details = person(
        preferred_name="Zo",
        sex=Sex.FEMALE,
        email="zoe@example.org",
        address="12 Rue des Lilas\n75011 Paris",
        emergency_contact_name="Anaïs Müller",
        emergency_contact_phone="06 98 76 54 32",
        referring_physician="Dr. Ōtsuka",
        fitzpatrick_type=FitzpatrickType.III,
        notes="Prefers afternoon appointments",
    )
    record = core.patients.register(clinic.reception, details)
    assert record.patient_number == f"P-{record.patient_id:06d}"
    assert record.details == details
    assert record.age == 41  # on 22 November 2026
    again = core.patients.get(clinic.practitioner, record.patient_id)
    assert again == record


def test_registration_refuses_bad_input_next_to_the_field(
    core: ClinicDesk, clinic: SeededClinic, clock: object
) -> None:
    cases = {
        "family_name": person(family="   "),
        "given_name": person(given="😀"),
        "date_of_birth": person(date_of_birth=date(2026, 11, 23)),
        "phone": person(phone="call me"),
        "email": person(email="zoe@"),
        "notes": person(notes="x" * 10_000),
    }
    for field, details in cases.items():
        with pytest.raises(ValidationError) as caught:
            core.patients.register(clinic.reception, details)
        assert caught.value.field == field, field
    assert core.patients.search(clinic.reception, "").rows == ()


def test_right_to_left_and_quoted_names_are_kept_literally(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    hebrew = core.patients.register(clinic.reception, person("כהן", "שרה", phone="0501234567"))
    irish = core.patients.register(clinic.reception, person("O'Brien", "Aoife", phone="0871234567"))
    assert core.patients.get(clinic.reception, hebrew.patient_id).details.family_name == "כהן"
    assert names(core.patients.search(clinic.reception, "כהן")) == ["כהן, שרה"]
    assert names(core.patients.search(clinic.reception, "o'brien")) == ["O'Brien, Aoife"]
    assert irish.details.family_name == "O'Brien"


def test_likely_duplicate_is_warned_then_can_be_confirmed(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    first = core.patients.register(clinic.reception, person())
    with pytest.raises(PossibleDuplicate) as same_name:
        core.patients.register(clinic.reception, person("MULLER", "Zoe", phone="0700000000"))
    assert [m.patient_id for m in same_name.value.matches] == [first.patient_id]
    with pytest.raises(PossibleDuplicate):
        core.patients.register(clinic.reception, person("Other", "Person", phone="+33612345678"))
    second = core.patients.register(
        clinic.reception, person("Muller", "Zoe", phone="0700000000"), confirm_duplicate=True
    )
    assert second.patient_id != first.patient_id


def test_every_edit_is_a_new_revision_and_audited(core: ClinicDesk, clinic: SeededClinic) -> None:
    record = core.patients.register(clinic.reception, person())
    changed = core.patients.update(
        clinic.reception,
        record.patient_id,
        person(phone="+33 7 00 00 00 01"),
        expected_version=record.version,
    )
    assert changed.version == record.version + 1
    revisions = core.patients.revisions(clinic.admin, record.patient_id)
    assert [r.version for r in revisions] == [1, 2]
    assert revisions[0].details.phone == "+33 6 12 34 56 78"
    assert revisions[1].details.phone == "+33 7 00 00 00 01"
    assert revisions[1].recorded_by == "Jonas Müller"
    with pytest.raises(ConcurrentEditError):
        core.patients.update(
            clinic.reception,
            record.patient_id,
            person(given="Zoé"),
            expected_version=record.version,
        )
    assert verify_audit_log(core.units).ok
    with core.engine.connect() as conn:
        details = conn.execute(text("SELECT detail FROM audit_entry")).scalars().all()
    assert not any("Müller" in d or "Zoë" in d for d in details)  # no patient details as text


def test_archive_hides_from_search_but_keeps_the_record(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    record = core.patients.register(clinic.reception, person())
    archived = core.patients.set_archived(
        clinic.reception, record.patient_id, expected_version=record.version, archived=True
    )
    assert archived.is_archived
    assert core.patients.search(clinic.reception, "muller").rows == ()
    assert core.patients.get(clinic.reception, record.patient_id).is_archived
    # still findable on purpose, among the archived
    assert names(core.patients.search(clinic.reception, "muller", archived=True)) == [
        "Müller, Zoë"
    ]
    assert names(core.patients.search(clinic.reception, "", archived=True)) == ["Müller, Zoë"]
    assert names(core.patients.search(clinic.reception, "12/03/1985", archived=True)) == [
        "Müller, Zoë"
    ]
    assert core.patients.count(clinic.reception, archived=True) == 1
    core.patients.set_archived(
        clinic.reception, record.patient_id, expected_version=archived.version, archived=False
    )
    assert names(core.patients.search(clinic.reception, "muller")) == ["Müller, Zoë"]


@pytest.fixture
def registered(core: ClinicDesk, clinic: SeededClinic) -> dict[str, int]:
    people = {
        "zoe": person(),
        "anna": person(
            "Dubois-Laurent", "Anna", date_of_birth=date(1990, 7, 1), phone="020 7946 0018"
        ),
        "annabel": person("Annan", "Kofi", date_of_birth=date(1970, 1, 2), phone="555 0100"),
        "lukasz": person(
            "Łukasiewicz", "Łukasz", date_of_birth=date(2001, 12, 31), phone="+48 42 123 45 67"
        ),
        "muller2": person(
            "Mullerová", "Jana", date_of_birth=date(1999, 9, 9), phone="+420 601 123 456"
        ),
    }
    return {
        key: core.patients.register(clinic.reception, d, confirm_duplicate=True).patient_id
        for key, d in people.items()
    }


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [
        ("muller", "Müller, Zoë"),
        ("MÜLLER", "Müller, Zoë"),
        ("mueller", "Müller, Zoë"),
        ("zoe muller", "Müller, Zoë"),
        ("muller zoe", "Müller, Zoë"),
        ("lukasz", "Łukasiewicz, Łukasz"),
        ("laurent", "Dubois-Laurent, Anna"),
        ("06 12 34", "Müller, Zoë"),
        ("0612345678", "Müller, Zoë"),
        ("(020) 7946-0018", "Dubois-Laurent, Anna"),
        ("7946", "Dubois-Laurent, Anna"),
        ("12/03/1985", "Müller, Zoë"),
        ("12.03.1985", "Müller, Zoë"),
        ("1985-03-12", "Müller, Zoë"),
        ("muller 12/03/1985", "Müller, Zoë"),
    ],
)
def test_search_finds_by_name_phone_and_birth_date(
    core: ClinicDesk,
    clinic: SeededClinic,
    registered: dict[str, int],
    typed: str,
    expected_first: str,
) -> None:
    page = core.patients.search(clinic.reception, typed)
    assert names(page)[0] == expected_first


def test_exact_matches_rank_before_prefix_matches(
    core: ClinicDesk, clinic: SeededClinic, registered: dict[str, int]
) -> None:
    assert names(core.patients.search(clinic.reception, "muller")) == [
        "Müller, Zoë",
        "Mullerová, Jana",
    ]
    assert names(core.patients.search(clinic.reception, "anna"))[0] == "Dubois-Laurent, Anna"


def test_search_by_patient_number(
    core: ClinicDesk, clinic: SeededClinic, registered: dict[str, int]
) -> None:
    number = f"P-{registered['lukasz']:06d}"
    assert names(core.patients.search(clinic.reception, number)) == ["Łukasiewicz, Łukasz"]


def _stray(ch: str) -> str:
    return f"No name, phone or patient number contains “{ch}”."


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        # A character no name, phone or number holds: named back, never a wildcard.
        ("%", _stray("%")),
        ("_", _stray("_")),
        ("%%", _stray("%")),
        ("' OR 1=1 --", _stray("=")),
        ('"; DROP TABLE patient; --', _stray('"')),
        ("😀", _stray("😀")),
        ("mül%", _stray("%")),
        ("m_ller", _stray("_")),
        # Only separators: nothing to look for.
        ("--//..", SEARCH_HINT),
        ("-", SEARCH_HINT),
        # Searchable, but nobody is called that: no rows and no hint.
        ("x" * 10_000, None),
        ("zzz", None),
    ],
)
def test_odd_input_is_a_literal_match_or_a_hint(
    core: ClinicDesk, clinic: SeededClinic, registered: dict[str, int], typed: str,
    hint: str | None,
) -> None:
    page = core.patients.search(clinic.reception, typed)
    assert page.rows == ()
    assert page.hint == hint
    assert page.next_cursor is None
    assert core.patients.count(clinic.reception) == 5


def test_nothing_typed_lists_everyone_alphabetically(
    core: ClinicDesk, clinic: SeededClinic, registered: dict[str, int]
) -> None:
    for typed in ("", "   ", "\t"):
        page = core.patients.search(clinic.reception, typed)
        assert names(page) == [
            "Annan, Kofi",
            "Dubois-Laurent, Anna",
            "Łukasiewicz, Łukasz",
            "Müller, Zoë",
            "Mullerová, Jana",
        ]
        assert page.hint is None and page.next_cursor is None


def test_pages_continue_where_the_last_stopped(core: ClinicDesk, clinic: SeededClinic) -> None:
    for i in range(25):
        core.patients.register(
            clinic.reception,
            person(
                "Martin",
                f"Léa{chr(97 + i)}",
                phone=f"06 00 00 {i:02d} 00",
                date_of_birth=date(1980, 1, 1) + timedelta(days=i),
            ),
        )
    seen: list[str] = []
    page = core.patients.search(clinic.reception, "mart", limit=10)
    seen += names(page)
    while page.next_cursor is not None:
        page = core.patients.search(clinic.reception, "mart", after=page.next_cursor, limit=10)
        seen += names(page)
    assert len(seen) == 25 == len(set(seen))
    everyone = core.patients.search(clinic.reception, "", limit=7)
    total = list(names(everyone))
    while everyone.next_cursor is not None:
        everyone = core.patients.search(clinic.reception, "", after=everyone.next_cursor, limit=7)
        total += names(everyone)
    assert total == sorted(total, key=lambda n: n.casefold()) and len(total) == 25


def test_deactivated_staff_cannot_search(core: ClinicDesk, clinic: SeededClinic) -> None:
    summary = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.set_active(
        clinic.admin, summary.staff_id, expected_version=summary.version, active=False
    )
    before = entry_count(core)
    with pytest.raises(AccountInactive, match="no longer active"):
        core.patients.search(clinic.reception, "muller")
    assert entries(core, after=before) == [
        Entry("patient.searched", "patient", None, clinic.reception.staff_id, None,
              "denied", "inactive account")
    ]
