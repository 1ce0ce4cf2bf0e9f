"""How administrators read the audit log, field by field, and what reading and checking it
record in turn."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import NotFound, PermissionDenied
from clinic_desk.domain.patients import PatientDetails
from tests.helpers.clinic import FakeClock, SeededClinic, seed_clinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused


def _register(core: ClinicDesk, clinic: SeededClinic) -> int:
    details = PatientDetails("Wiśniewska", "Łucja", date(1990, 5, 5), "600 700 800")
    return core.patients.register(clinic.reception, details).patient_id


def test_recent_entries_are_shown_field_by_field_newest_first(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 11, 22, 10, 15, 30, 250000, tzinfo=UTC)
    pid = _register(core, clinic)
    clock.advance(timedelta(seconds=1))
    core.auth.sign_out(clinic.practitioner)
    total = entry_count(core)
    newest, registered = core.audit.recent(clinic.admin, limit=2)
    assert (newest.seq, newest.occurred_at, newest.staff_name, newest.workstation,
            newest.action, newest.entity, newest.patient_number, newest.outcome,
            newest.detail, newest.entity_type, newest.entity_id) == (
        total, datetime(2026, 11, 22, 10, 15, 31, 250000, tzinfo=UTC), "Dr Łucja Wiśniewska",
        "test-workstation", "staff.sign_out", f"staff_account {clinic.practitioner.staff_id}",
        "", "success", "", "staff_account", str(clinic.practitioner.staff_id))
    assert (registered.seq, registered.occurred_at, registered.staff_name, registered.action,
            registered.entity, registered.patient_number, registered.detail) == (
        total - 1, datetime(2026, 11, 22, 10, 15, 30, 250000, tzinfo=UTC), "Jonas Müller",
        "patient.registered", f"patient {pid}", f"P-{pid:06d}", "version 1")
    assert len(core.audit.recent(clinic.admin, limit=5)) == 5
    assert len(core.audit.recent(clinic.admin)) == total  # fewer than 200


def test_entries_without_a_person_or_a_record_say_so(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    from clinic_desk.domain.errors import AuthenticationFailed

    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("nobody", "wrong-password")
    core.audit.verify(clinic.admin)
    verified, unknown = core.audit.recent(clinic.admin, limit=2)
    assert (unknown.staff_name, unknown.entity, unknown.entity_id, unknown.patient_number) == (
        "—", "staff_account", None, "")
    assert (verified.entity, verified.staff_name) == ("audit_entry", "Zoë Ångström-Müller")


def test_checking_the_chain_records_who_checked_and_what_was_found(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    before = entry_count(core)
    result = core.audit.verify(clinic.admin)
    assert (result.ok, result.entries_checked, result.first_bad_row_id, result.first_bad_seq,
            result.problem, result.problems) == (True, before, None, None, "", ())
    assert entries(core, after=before) == [
        Entry("audit.verified", "audit_entry", None, clinic.admin.staff_id, None, "success",
              f"{before} entries checked")]


def test_a_broken_chain_is_recorded_as_failed_naming_the_first_bad_row(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    dialect = core.engine.dialect.name
    with core.engine.begin() as conn:  # an intruder with direct database access
        if dialect == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        conn.execute(text("UPDATE audit_entry SET detail = 'role=reception' WHERE seq = 2"))
        bad_id = conn.execute(text("SELECT id FROM audit_entry WHERE seq = 2")).scalar_one()
    before = entry_count(core)
    result = core.audit.verify(clinic.admin)
    assert (result.ok, result.first_bad_seq, result.first_bad_row_id) == (False, 2, bad_id)
    (entry,) = entries(core, after=before)
    assert entry == Entry("audit.verified", "audit_entry", str(bad_id), clinic.admin.staff_id,
                          None, "failed", f"{result.entries_checked} entries checked")


def test_a_patients_access_history_is_listed_and_the_listing_recorded(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    pid = _register(core, clinic)
    core.patients.get(clinic.practitioner, pid)
    before = entry_count(core)
    history = core.audit.for_patient(clinic.admin, pid)
    assert [(e.action, e.staff_name, e.patient_number) for e in history] == [
        ("patient.viewed", "Dr Łucja Wiśniewska", f"P-{pid:06d}"),
        ("patient.registered", "Jonas Müller", f"P-{pid:06d}"),
    ]
    assert entries(core, after=before) == [
        Entry("audit.listed", "patient", str(pid), clinic.admin.staff_id, pid, "success", "app")]
    # The listing itself shows in the next one.
    assert core.audit.for_patient(clinic.admin, pid)[0].action == "audit.listed"
    with refused(NotFound, "There is no patient P-009999."):
        core.audit.for_patient(clinic.admin, 9999)


@pytest.mark.parametrize("who", ["reception", "practitioner"])
def test_refusals_to_read_the_log_are_recorded_exactly(
    core: ClinicDesk, clinic: SeededClinic, who: str
) -> None:
    pid = _register(core, clinic)
    actor = getattr(clinic, who)
    before = entry_count(core)
    for call in (lambda: core.audit.recent(actor), lambda: core.audit.verify(actor),
                 lambda: core.audit.for_patient(actor, pid)):
        with pytest.raises(PermissionDenied, match="cannot do this"):
            call()
    denied = f"roles={who}"
    sid = actor.staff_id
    assert entries(core, after=before) == [
        Entry("audit.viewed", "audit_entry", None, sid, None, "denied", denied),
        Entry("audit.verified", "audit_entry", None, sid, None, "denied", denied),
        Entry("audit.listed", "patient", str(pid), sid, pid, "denied", denied),
    ]


def test_a_damaged_sqlite_file_is_reported_before_the_chain_is_read(
    sqlite_core: ClinicDesk, seeded_sqlite: SeededClinic, sqlite_url: str
) -> None:
    from pathlib import Path

    from clinic_desk.services.audit import verify_audit_log

    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite_core.engine.connect() as conn:
        root = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master "
                                    "WHERE name = 'patient_search_key'").scalar_one()
        page = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    sqlite_core.engine.dispose()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page] = 0x7F  # not a valid b-tree page type
    path.write_bytes(bytes(data))
    result = verify_audit_log(sqlite_core.units)
    assert (result.ok, result.entries_checked, result.first_bad_row_id, result.first_bad_seq,
            result.problem) == (False, 0, None, None, "")
    assert len(result.problems) == 1
    assert result.problems[0].startswith("the database file is damaged")


@pytest.fixture
def seeded_sqlite(sqlite_core: ClinicDesk) -> SeededClinic:
    return seed_clinic(sqlite_core)


def test_a_clean_check_counts_the_records_and_patients_it_vouched_for(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    from clinic_desk.services.audit import verify_audit_log

    _register(core, clinic)
    result = verify_audit_log(core.units)
    assert (result.ok, result.problems) == (True, ())
    assert (result.records_checked, result.patients_checked) == (1, 1)


def test_a_missing_last_entry_is_caught_by_the_head(
    core: ClinicDesk, clinic: SeededClinic, database_url: str
) -> None:
    from clinic_desk.services.audit import verify_audit_log
    from tests.helpers.tamper import without_guards

    with without_guards(database_url) as conn:  # the head is left as it was
        conn.execute(text("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) "
                          "FROM audit_entry)"))
    result = verify_audit_log(core.units)
    assert not result.ok and result.problem != ""


def test_a_patient_revision_changed_behind_the_app_is_caught(
    core: ClinicDesk, clinic: SeededClinic, database_url: str
) -> None:
    from clinic_desk.services.audit import verify_audit_log
    from tests.helpers.tamper import without_guards

    _register(core, clinic)
    with without_guards(database_url) as conn:
        conn.execute(text("UPDATE patient_revision SET details_json = "
                          "replace(details_json, 'Łucja', 'Lucja')"))
    result = verify_audit_log(core.units)
    assert not result.ok and result.problems != ()
    assert result.entries_checked == entry_count(core)


def test_the_latest_entries_are_two_hundred_unless_asked_otherwise(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    from clinic_desk.domain.roles import Role
    from clinic_desk.services.dto import SignedInStaff, SignInSession

    ghost = SignedInStaff(9999, "ghost", "Nobody", (Role.RECEPTION,), SignInSession())
    for _ in range(201 - entry_count(core)):
        core.auth.sign_out(ghost)
    assert len(core.audit.recent(clinic.admin)) == 200
    assert len(core.audit.recent(clinic.admin, limit=201)) == 201
