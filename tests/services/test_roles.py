"""Several roles per person: permissions are the union; the last administrator is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.errors import (
    ClinicDeskError,
    ConcurrentEditError,
    PermissionDenied,
    ValidationError,
)
from clinic_desk.domain.intake import Answer
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.roles import Permission, Role, roles_allow
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import head_revision, upgrade_schema, upgrade_to
from tests.helpers.clinic import ADMIN_PASSWORD, blank_answer, seed_clinic

OWNER_PASSWORD = "owner-password-1"


def _answers(core: ClinicDesk) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = blank_answer(q.kind)
    return answers | {"eczema": True}


def test_permissions_are_the_union_of_the_roles() -> None:
    owner = (Role.PRACTITIONER, Role.ADMINISTRATOR)
    assert roles_allow(owner, Permission.CLEAR_SCREENING)
    assert roles_allow(owner, Permission.MANAGE_STAFF)
    assert not roles_allow((Role.ADMINISTRATOR,), Permission.CLEAR_SCREENING)
    assert not roles_allow((), Permission.VIEW_PATIENTS)


def test_a_practitioner_administrator_clears_a_finding_and_adds_staff(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    core.staff.add_staff(clinic.admin, username="owner", full_name="Dr Inès Moreau",
                         roles=[Role.ADMINISTRATOR, Role.PRACTITIONER],
                         password=OWNER_PASSWORD, temporary=False)
    owner = core.auth.sign_in("owner", OWNER_PASSWORD)
    assert owner.roles == (Role.PRACTITIONER, Role.ADMINISTRATOR)
    patient = core.patients.register(
        owner, PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 200"))
    core.intake.record(owner, patient.patient_id, _answers(core))
    cleared = core.screening.clear_finding(
        owner, patient.patient_id, "eczema", reason="Eczema only on the hands; face is clear.",
        password=OWNER_PASSWORD)
    assert cleared.status is ScreeningStatus.CLEAR
    added = core.staff.add_staff(owner, username="nurse", full_name="Ana Lima",
                                 roles=[Role.RECEPTION], password="temporary-1")
    assert added.roles == (Role.RECEPTION,)
    # The plain administrator still may not make clinical decisions
    with pytest.raises(PermissionDenied, match="administrator account cannot do this"):
        core.screening.clear_finding(clinic.admin, patient.patient_id, "eczema",
                                     reason="Looks fine to me, honestly.",
                                     password=ADMIN_PASSWORD)


def test_roles_are_changed_together_and_the_version_moves(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    member = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    changed = core.staff.change_details(
        clinic.admin, member.staff_id, expected_version=member.version,
        full_name=member.full_name, roles=[Role.RECEPTION, Role.ADMINISTRATOR])
    assert changed.roles == (Role.RECEPTION, Role.ADMINISTRATOR)
    assert changed.version == member.version + 1
    with core.units() as uow:
        detail = uow.audit.recent(1)[0].detail
    assert detail == "roles reception->reception,administrator"
    # A stale copy of the account (another workstation) cannot overwrite the roles
    with pytest.raises(ConcurrentEditError):
        core.staff.change_details(clinic.admin, member.staff_id,
                                  expected_version=member.version,
                                  full_name=member.full_name, roles=[Role.PRACTITIONER])
    with pytest.raises(ValidationError, match="at least one role"):
        core.staff.change_details(clinic.admin, member.staff_id,
                                  expected_version=changed.version,
                                  full_name=member.full_name, roles=[])


def test_the_last_administrator_keeps_the_role(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    me = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "admin")
    # Adding a role is fine; dropping the only administrator's is not
    both = core.staff.change_details(clinic.admin, me.staff_id, expected_version=me.version,
                                     full_name=me.full_name,
                                     roles=[Role.ADMINISTRATOR, Role.PRACTITIONER])
    with pytest.raises(ClinicDeskError, match="only active administrator"):
        core.staff.change_details(clinic.admin, me.staff_id, expected_version=both.version,
                                  full_name=me.full_name, roles=[Role.PRACTITIONER])
    member = next(s for s in core.staff.list_staff(clinic.admin) if s.username == "reception")
    core.staff.change_details(clinic.admin, member.staff_id, expected_version=member.version,
                              full_name=member.full_name, roles=[Role.ADMINISTRATOR])
    # With a second administrator, the first may step down to practitioner only
    fewer = core.staff.change_details(clinic.admin, me.staff_id, expected_version=both.version,
                                      full_name=me.full_name, roles=[Role.PRACTITIONER])
    assert fewer.roles == (Role.PRACTITIONER,)


def test_migration_0006_moves_each_single_role(database_url: str, tmp_path: Path) -> None:
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    try:
        upgrade_to(engine, "0003")
        stamp = datetime(2026, 1, 5, tzinfo=UTC)
        with engine.begin() as conn:
            for number, role in enumerate(("administrator", "practitioner", "reception"), 1):
                conn.execute(text(
                    "INSERT INTO staff_account (id, username, full_name, role, password_hash, "
                    "is_active, must_change_password, failed_sign_ins, created_at, version) "
                    "VALUES (:id, :u, :n, :r, 'x', true, false, 0, :at, 1)"),
                    {"id": number, "u": f"user{number}", "n": f"User {number}", "r": role,
                     "at": stamp})
            conn.execute(text(
                "INSERT INTO audit_entry (seq, occurred_at_utc, staff_id, workstation, action, "
                "entity_type, outcome, detail, prev_hash, entry_hash) VALUES (1, 'x', 2, 'w', "
                "'staff.sign_in', 'staff_account', 'success', '', 'p', 'h')"))
        upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT staff_id, role FROM staff_role ORDER BY staff_id")).all()
            names = conn.execute(text("SELECT username FROM staff_account ORDER BY id")).all()
            columns = conn.execute(text("SELECT * FROM staff_account")).keys()
            staff_of_entry = conn.execute(text("SELECT staff_id FROM audit_entry")).scalar()
        assert [tuple(r) for r in rows] == [(1, "administrator"), (2, "practitioner"),
                                             (3, "reception")]
        assert [n[0] for n in names] == ["user1", "user2", "user3"]
        assert "role" not in list(columns)
        assert staff_of_entry == 2
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                == head_revision()
    finally:
        engine.dispose()
