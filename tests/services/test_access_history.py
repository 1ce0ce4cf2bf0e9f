"""Who looked at what: views of a patient's record are audited (ids only, a burst is one
entry), and an administrator can list everyone who viewed or changed one record."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import Connection, event, select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import NotFound, PermissionDenied
from clinic_desk.domain.intake import Answer
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.storage.engine import WRITE_INTENT
from clinic_desk.storage.models import AuditEntry
from tests.helpers.clinic import (
    STAFF_PASSWORD,
    FakeClock,
    SeededClinic,
    blank_answer,
)

VIEWS = ("patient.viewed", "intake.viewed", "screening.viewed")



@pytest.fixture
def patient_id(core: ClinicDesk, clinic: SeededClinic) -> int:
    details = PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 200",
                             email="agnieszka@example.org")
    return core.patients.register(clinic.reception, details).patient_id


def _answers(core: ClinicDesk) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = blank_answer(q.kind)
    return answers | {"eczema": True}


def _entries(core: ClinicDesk) -> list[AuditEntry]:
    with core.units() as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _open_chart(core: ClinicDesk, clinic: SeededClinic, patient_id: int) -> None:
    """What the chart window loads: details, medical history, today's screening."""
    core.patients.get(clinic.practitioner, patient_id)
    core.intake.history(clinic.practitioner, patient_id)
    core.screening.screen_patient(clinic.practitioner, patient_id)


def test_opening_a_chart_records_each_view_with_ids_only(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    before = len(_entries(core))
    _open_chart(core, clinic, patient_id)
    views = _entries(core)[before:]
    assert [e.action for e in views] == list(VIEWS)
    for entry in views:
        assert (entry.staff_id, entry.patient_id, entry.entity_id, entry.outcome) == (
            clinic.practitioner.staff_id, patient_id, str(patient_id), "success")
        assert entry.detail == ""
        assert "Nowak" not in entry.workstation + entry.detail
    assert verify_audit_log(core.units).ok


def test_a_burst_of_views_is_one_entry_and_a_later_look_another(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    before = len(_entries(core))
    for _ in range(5):
        _open_chart(core, clinic, patient_id)
        clock.advance(timedelta(seconds=50))
    assert len(_entries(core)) - before == 3
    # Someone else looking is their own entry, burst or not
    core.patients.get(clinic.reception, patient_id)
    assert _entries(core)[-1].staff_id == clinic.reception.staff_id
    # Five minutes after the first look of the burst, a look is recorded again
    clock.advance(timedelta(minutes=1))
    core.patients.get(clinic.practitioner, patient_id)
    last = _entries(core)[-1]
    assert (last.action, last.staff_id) == ("patient.viewed", clinic.practitioner.staff_id)
    assert len(_entries(core)) - before == 5


def test_reopening_a_chart_within_the_burst_writes_nothing(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    """Reading is a read transaction; only a look that starts a burst writes, once."""
    writes: list[bool] = []

    def on_begin(conn: Connection) -> None:
        writes.append(bool(conn.get_execution_options().get(WRITE_INTENT)))

    event.listen(core.units.engine, "begin", on_begin)
    try:
        _open_chart(core, clinic, patient_id)
        assert writes.count(True) == 3  # one short write per kind of look, first time
        writes.clear()
        for _ in range(3):
            clock.advance(timedelta(seconds=30))
            _open_chart(core, clinic, patient_id)
        assert writes and not any(writes)
    finally:
        event.remove(core.units.engine, "begin", on_begin)


def test_the_clearance_entry_does_not_name_the_finding(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    core.intake.record(clinic.reception, patient_id, _answers(core))
    with pytest.raises(Exception, match="not your password"):
        core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                     reason="Eczema only on the hands; face is clear.",
                                     password="wrong-password")
    core.screening.clear_finding(clinic.practitioner, patient_id, "eczema",
                                 reason="Eczema only on the hands; face is clear.",
                                 password=STAFF_PASSWORD)
    cleared = [e for e in _entries(core) if e.action == "screening.cleared"]
    assert [(e.outcome, e.detail) for e in cleared] == [("failed", "wrong password"),
                                                        ("success", "")]
    assert all("eczema" not in e.detail for e in _entries(core))


def test_an_administrator_lists_everyone_who_viewed_or_changed_a_record(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    other = core.patients.register(
        clinic.reception, PatientDetails("Kowal", "Jan", date(1970, 1, 2), "+48 600 999 888"))
    _open_chart(core, clinic, patient_id)
    core.patients.get(clinic.reception, other.patient_id)
    with pytest.raises(PermissionDenied):
        core.audit.for_patient(clinic.reception, patient_id)  # refused, and recorded
    history = core.audit.for_patient(clinic.admin, patient_id)
    seen = [(e.staff_name, e.action, e.outcome) for e in history]
    assert seen == [
        ("Jonas Müller", "audit.listed", "denied"),
        ("Dr Łucja Wiśniewska", "screening.viewed", "success"),
        ("Dr Łucja Wiśniewska", "intake.viewed", "success"),
        ("Dr Łucja Wiśniewska", "patient.viewed", "success"),
        ("Jonas Müller", "patient.registered", "success"),
    ]
    assert {e.patient_number for e in history} == {"P-000001"}
    # The listing itself is the newest entry about the patient next time
    again = core.audit.for_patient(clinic.admin, patient_id)
    assert (again[0].staff_name, again[0].action) == ("Zoë Ångström-Müller", "audit.listed")
    with pytest.raises(NotFound):
        core.audit.for_patient(clinic.admin, 999)


def test_other_workstations_are_not_told_about_mere_views(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    watcher = core.watch_changes()
    try:
        _open_chart(core, clinic, patient_id)
        core.audit.for_patient(clinic.admin, patient_id)
        core.patients.set_archived(clinic.reception, patient_id, expected_version=1,
                                   archived=True)
        # The watcher reads every entry after the last one it saw; the change arrives
        # (NOTIFY on PostgreSQL) within a deadline, and the views before it are left out.
        seen: list[str] = []
        deadline = time.monotonic() + 10
        while "patient.archived" not in seen and time.monotonic() < deadline:
            seen += [c.action for c in watcher.poll()]
        assert seen == ["patient.archived"]
    finally:
        watcher.close()
