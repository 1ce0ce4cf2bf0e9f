"""What registering, changing, archiving, reading and finding patients store and record,
field by field; the duplicate check on both registering and changing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    ConcurrentEditError,
    NotFound,
    SessionLocked,
    ValidationError,
)
from clinic_desk.domain.patients import FitzpatrickType, PatientDetails, Sex
from clinic_desk.services.patients import PossibleDuplicate
from clinic_desk.storage.models import Patient
from clinic_desk.storage.unit_of_work import STALE_MESSAGE
from tests.helpers.clinic import FakeClock, SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


def person(family: str = "Müller", given: str = "Zoë", **more: object) -> PatientDetails:
    values: dict[str, object] = {
        "family_name": family,
        "given_name": given,
        "date_of_birth": date(1985, 3, 12),
        "phone": "+33 6 12 34 56 78",
    }
    values.update(more)
    return PatientDetails(**values)  # type: ignore[arg-type]


def _patient_entry(action: str, patient_id: int, actor: int, detail: str = "",
                   outcome: str = "success") -> Entry:
    return Entry(action, "patient", str(patient_id), actor, patient_id, outcome, detail)


def _row(core: ClinicDesk, patient_id: int) -> Patient:
    with core.units() as uow:
        found = uow.patients.get(patient_id)
        assert found is not None
        return found


FULL = person(
    preferred_name="Zo", sex=Sex.FEMALE, email="zoe@example.org",
    address="12 Rue des Lilas\n75011 Paris", emergency_contact_name="Anaïs Müller",
    emergency_contact_phone="+44 20 7946 0018", referring_physician="Dr. Ōtsuka",
    fitzpatrick_type=FitzpatrickType.III, notes="Prefers afternoon appointments",
)


def test_registering_stores_every_column_and_records_the_revision(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    before = entry_count(core)
    record = core.patients.register(clinic.reception, FULL)
    pid = record.patient_id
    row = _row(core, pid)
    assert (row.family_name, row.given_name, row.preferred_name, row.date_of_birth, row.sex,
            row.phone, row.email, row.address, row.emergency_contact_name,
            row.emergency_contact_phone, row.referring_physician, row.fitzpatrick_type,
            row.notes) == (
        "Müller", "Zoë", "Zo", date(1985, 3, 12), "female", "+33 6 12 34 56 78",
        "zoe@example.org", "12 Rue des Lilas\n75011 Paris", "Anaïs Müller",
        "+44 20 7946 0018", "Dr. Ōtsuka", "III", "Prefers afternoon appointments")
    assert (row.phone_digits, row.phone_e164, row.emergency_contact_phone_e164) == (
        "33612345678", "+33612345678", "+442079460018")
    assert (row.is_archived, row.created_at, row.updated_at) == (False, clock.now, clock.now)
    assert (record.patient_number, record.age, record.is_archived, record.version,
            record.created_at, record.updated_at) == (
        f"P-{pid:06d}", 41, False, row.version, clock.now, clock.now)
    # The clinic is in Poland: foreign numbers are shown in the international format.
    assert (record.phone_shown, record.emergency_contact_phone_shown) == (
        "+33 6 12 34 56 78", "+44 20 7946 0018")
    assert record.details == FULL
    assert entries(core, after=before) == [
        _patient_entry("patient.registered", pid, clinic.reception.staff_id,
                       f"version {row.version}")]
    revisions = core.patients.revisions(clinic.admin, pid)
    assert [(r.version, r.recorded_at, r.recorded_by, r.details) for r in revisions] == [
        (row.version, clock.now, "Jonas Müller", FULL)]


def test_a_minimal_patient_keeps_its_empty_optional_fields(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    record = core.patients.register(clinic.reception, person())
    assert record.details == person()
    assert (record.details.sex, record.details.fitzpatrick_type) == (None, None)
    row = _row(core, record.patient_id)
    assert (row.sex, row.fitzpatrick_type, row.emergency_contact_phone_e164) == (None, None, "")
    assert record.emergency_contact_phone_shown == ""
    assert core.patients.revisions(clinic.admin, record.patient_id)[0].details == person()


def test_a_change_records_a_new_revision_and_nothing_when_nothing_changed(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    record = core.patients.register(clinic.reception, person())
    pid = record.patient_id
    clock.advance(timedelta(hours=1))
    before = entry_count(core)
    same = core.patients.update(clinic.reception, pid, person(), expected_version=record.version)
    assert same == record and entry_count(core) == before
    changed = core.patients.update(clinic.practitioner, pid, FULL,
                                   expected_version=record.version)
    assert changed.details == FULL and changed.version == record.version + 1
    assert (changed.created_at, changed.updated_at) == (record.created_at, clock.now)
    assert _row(core, pid).updated_at == clock.now
    assert entries(core, after=before) == [
        _patient_entry("patient.changed", pid, clinic.practitioner.staff_id,
                       f"version {changed.version}")]
    revisions = core.patients.revisions(clinic.admin, pid)
    assert [(r.version, r.recorded_by, r.details) for r in revisions] == [
        (record.version, "Jonas Müller", person()),
        (changed.version, "Dr Łucja Wiśniewska", FULL)]
    # The search finds the patient under the new details only.
    assert [r.patient_id for r in core.patients.search(clinic.reception, "zo").rows] == [pid]
    moved = core.patients.update(clinic.reception, pid, person("Nowak", "Ewa"),
                                 expected_version=changed.version)
    assert core.patients.search(clinic.reception, "muller").rows == ()
    assert [r.patient_id for r in core.patients.search(clinic.reception, "nowak").rows] == [pid]
    assert moved.version == changed.version + 1


def test_the_duplicate_check_also_guards_a_change(core: ClinicDesk, clinic: SeededClinic) -> None:
    first = core.patients.register(clinic.reception, person())
    other = core.patients.register(clinic.reception, person("Nowak", "Ewa", phone="0700000000"))
    # Changing another patient into the first one's name and birth date is warned of,
    with pytest.raises(PossibleDuplicate) as caught:
        core.patients.update(clinic.reception, other.patient_id,
                             person(phone="0700000000"), expected_version=other.version)
    assert [m.patient_id for m in caught.value.matches] == [first.patient_id]
    match = caught.value.matches[0]
    assert (match.patient_number, match.display_name, match.date_of_birth, match.age) == (
        f"P-{first.patient_id:06d}", "Müller, Zoë", date(1985, 3, 12), 41)
    assert core.patients.get(clinic.reception, other.patient_id).details.family_name == "Nowak"
    # as is taking the first one's phone;
    with pytest.raises(PossibleDuplicate):
        core.patients.update(clinic.reception, other.patient_id,
                             person("Nowak", "Ewa", phone="+33612345678"),
                             expected_version=other.version)
    # a patient is never a duplicate of itself,
    mine = core.patients.update(clinic.reception, first.patient_id,
                                person(email="zoe@example.org"),
                                expected_version=first.version)
    assert mine.details.email == "zoe@example.org"
    # and a confirmed change goes through.
    confirmed = core.patients.update(clinic.reception, other.patient_id,
                                     person(phone="0700000000"),
                                     expected_version=other.version, confirm_duplicate=True)
    assert confirmed.details.family_name == "Müller"


def test_archiving_and_restoring_record_once_each(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    record = core.patients.register(clinic.reception, person())
    pid, sid = record.patient_id, clinic.reception.staff_id
    clock.advance(timedelta(minutes=5))
    before = entry_count(core)
    archived = core.patients.set_archived(clinic.reception, pid,
                                          expected_version=record.version, archived=True)
    assert (archived.is_archived, archived.updated_at) == (True, clock.now)
    assert archived.version == record.version + 1
    again = core.patients.set_archived(clinic.reception, pid,
                                       expected_version=archived.version, archived=True)
    assert again.version == archived.version  # already archived: nothing recorded
    clock.advance(timedelta(minutes=5))
    restored = core.patients.set_archived(clinic.reception, pid,
                                          expected_version=archived.version, archived=False)
    assert (restored.is_archived, restored.updated_at) == (False, clock.now)
    assert entries(core, after=before) == [
        _patient_entry("patient.archived", pid, sid),
        _patient_entry("patient.restored", pid, sid),
    ]
    assert core.patients.count(clinic.reception) == 1
    assert core.patients.count(clinic.reception, archived=True) == 0


@pytest.mark.parametrize("call", ["update", "set_archived"])
def test_edits_of_a_missing_or_stale_patient_are_refused(
    core: ClinicDesk, clinic: SeededClinic, call: str
) -> None:
    record = core.patients.register(clinic.reception, person())
    extras: dict[str, dict[str, object]] = {"update": {"details": person(given="Ewa")},
                                "set_archived": {"archived": True}}
    extra = extras[call]
    method = getattr(core.patients, call)
    before = entry_count(core)
    with refused(NotFound, "That patient record does not exist."):
        method(clinic.reception, 9999, expected_version=1, **extra)
    with refused(ConcurrentEditError, STALE_MESSAGE):
        method(clinic.reception, record.patient_id, expected_version=record.version + 1,
               **extra)
    assert entry_count(core) == before
    assert core.patients.get(clinic.reception, record.patient_id) == record


def test_reading_a_record_is_recorded_once_per_five_minutes(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    record = core.patients.register(clinic.reception, person())
    pid, sid = record.patient_id, clinic.practitioner.staff_id
    before = entry_count(core)
    core.patients.get(clinic.practitioner, pid)
    clock.advance(timedelta(minutes=4, seconds=59))
    core.patients.revisions(clinic.practitioner, pid)
    core.patients.get(clinic.practitioner, pid)
    clock.advance(timedelta(seconds=2))
    core.patients.get(clinic.practitioner, pid)
    assert entries(core, after=before) == [
        _patient_entry("patient.viewed", pid, sid), _patient_entry("patient.viewed", pid, sid)]
    with refused(NotFound, "That patient record does not exist."):
        core.patients.get(clinic.practitioner, 9999)


def test_invalid_details_are_refused_before_anything_is_written(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    before = entry_count(core)
    with pytest.raises(ValidationError) as caught:
        core.patients.register(clinic.reception, person(phone="call me"))
    assert caught.value.field == "phone" and entry_count(core) == before
    assert core.patients.count(clinic.reception) == 0


def test_search_pages_carry_the_row_details_and_stop_at_the_limit(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    ids = [
        core.patients.register(
            clinic.reception,
            person("Martin", f"Léa{chr(97 + i)}", phone=f"+33 6 00 00 {i:02d} 00",
                   date_of_birth=date(1980, 1, 1) + timedelta(days=i)),
        ).patient_id
        for i in range(3)
    ]
    first = core.patients.search(clinic.reception, "martin", limit=2)
    assert [r.patient_id for r in first.rows] == ids[:2] and first.next_cursor is not None
    row = first.rows[0]
    assert (row.patient_number, row.family_name, row.given_name, row.preferred_name,
            row.date_of_birth, row.age, row.phone) == (
        f"P-{ids[0]:06d}", "Martin", "Léaa", "", date(1980, 1, 1), 46, "+33 6 00 00 00 00")
    rest = core.patients.search(clinic.reception, "martin", after=first.next_cursor, limit=2)
    assert [r.patient_id for r in rest.rows] == ids[2:] and rest.next_cursor is None
    exact = core.patients.search(clinic.reception, "martin", limit=3)
    assert len(exact.rows) == 3 and exact.next_cursor is None
    browse = core.patients.search(clinic.reception, "", limit=3)
    assert len(browse.rows) == 3 and browse.next_cursor is None
    by_date = core.patients.search(clinic.reception, "02/01/1980")
    assert [r.patient_id for r in by_date.rows] == [ids[1]]
    both = core.patients.search(clinic.reception, "lé 03/01/1980")
    assert [r.patient_id for r in both.rows] == [ids[2]]


def test_refusals_name_the_patient_they_were_about(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    record = core.patients.register(clinic.reception, person())
    pid, sid = record.patient_id, clinic.reception.staff_id
    core.auth.lock_session(clinic.reception)
    before = entry_count(core)
    for call in (
        lambda: core.patients.search(clinic.reception, "muller"),
        lambda: core.patients.count(clinic.reception),
        lambda: core.patients.get(clinic.reception, pid),
        lambda: core.patients.register(clinic.reception, person("Nowak", "Ewa")),
        lambda: core.patients.update(clinic.reception, pid, person(given="Ewa"),
                                     expected_version=record.version),
        lambda: core.patients.set_archived(clinic.reception, pid,
                                           expected_version=record.version, archived=True),
        lambda: core.patients.set_archived(clinic.reception, pid,
                                           expected_version=record.version, archived=False),
    ):
        with pytest.raises(SessionLocked):
            call()
    denied = "session locked"
    assert entries(core, after=before) == [
        Entry("patient.searched", "patient", None, sid, None, "denied", denied),
        Entry("patient.searched", "patient", None, sid, None, "denied", denied),
        _patient_entry("patient.viewed", pid, sid, denied, "denied"),
        Entry("patient.registered", "patient", None, sid, None, "denied", denied),
        _patient_entry("patient.changed", pid, sid, denied, "denied"),
        _patient_entry("patient.archived", pid, sid, denied, "denied"),
        _patient_entry("patient.restored", pid, sid, denied, "denied"),
    ]
    assert core.patients.count(clinic.admin) == 1
