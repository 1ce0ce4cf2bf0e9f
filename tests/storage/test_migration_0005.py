"""Upgrading a database written before records were hashed: its chain (hash format 1)
stays verifiable, and the rows it already holds are sealed by one new entry."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from clinic_desk.domain.audit_chain import GENESIS_HASH, AuditFields, entry_hash
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import upgrade_schema, upgrade_to
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _old_database(url: str) -> None:
    """Schema 0003 with one patient, a revision, an intake, a clearance and a v1 chain."""
    location = parse_location(url)
    engine = create_clinic_engine(location)
    upgrade_to(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO staff_account (id, username, full_name, role, password_hash, "
            "is_active, must_change_password, failed_sign_ins, created_at, version) VALUES "
            "(1, 'admin', 'Admin', 'administrator', 'x', true, false, 0, :t, 1)"), {"t": NOW})
        conn.execute(text(
            "INSERT INTO patient (id, family_name, given_name, preferred_name, date_of_birth, "
            "phone, email, address, emergency_contact_name, emergency_contact_phone, "
            "referring_physician, notes, is_archived, name_key, phone_digits, created_at, "
            "updated_at, version) VALUES (1, 'Dupont', 'Élise', '', :dob, '0601020304', '', '',"
            " '', '', '', '', false, 'dupont elise', '0601020304', :t, :t, 1)"),
            {"dob": date(1980, 2, 3), "t": NOW})
        details = ('{"address": "", "date_of_birth": "1980-02-03", "email": "", '
                   '"emergency_contact_name": "", "emergency_contact_phone": "", '
                   '"family_name": "Dupont", "fitzpatrick_type": null, "given_name": "Élise", '
                   '"notes": "", "phone": "0601020304", "preferred_name": "", '
                   '"referring_physician": "", "sex": null}')
        conn.execute(text(
            "INSERT INTO patient_revision (id, patient_id, version, details_json, recorded_at, "
            "recorded_by) VALUES (1, 1, 1, :d, :t, 1)"), {"d": details, "t": NOW})
        conn.execute(text(
            "INSERT INTO intake_record (id, patient_id, sequence, questionnaire_version, "
            "answers_json, recorded_on, recorded_at, signed_off_by, taken_by_patient) VALUES "
            "(1, 1, 1, 1, '{}', :d, :t, 1, false)"), {"d": NOW.date(), "t": NOW})
        conn.execute(text(
            "INSERT INTO screening_clearance (id, patient_id, intake_record_id, rule_id, "
            "reason, cleared_by, cleared_at) VALUES (1, 1, 1, 'eczema', 'Only on the hands.', "
            "1, :t)"), {"t": NOW})
        prev = GENESIS_HASH
        for seq, action in enumerate(("clinic.created", "patient.registered",
                                      "intake.recorded"), start=1):
            fields = AuditFields(seq, f"2026-10-01T09:00:0{seq}.000000Z", 1, "old", action,
                                 "patient", "1", 1, "success", "", prev, "", 1)
            prev = entry_hash(fields)
            values = dataclasses.asdict(fields)
            del values["records_digest"], values["hash_format"]
            conn.execute(text(
                "INSERT INTO audit_entry (seq, occurred_at_utc, staff_id, workstation, action, "
                "entity_type, entity_id, patient_id, outcome, detail, prev_hash, entry_hash) "
                "VALUES (:seq, :occurred_at_utc, :staff_id, :workstation, :action, "
                ":entity_type, :entity_id, :patient_id, :outcome, :detail, :prev_hash, :h)"),
                values | {"h": prev})
            conn.execute(text("UPDATE audit_head SET last_seq = :s, last_hash = :h"),
                         {"s": seq, "h": prev})
    engine.dispose()


def test_old_chain_verifies_and_old_rows_are_sealed(database_url: str, tmp_path: Path) -> None:
    _old_database(database_url)
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    report = upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
    assert report.from_revision == "0003"
    units = UnitOfWorkFactory(engine, location, workstation="test")
    verdict = verify_audit_log(units)
    assert verdict.ok, verdict.summary()
    assert verdict.entries_checked == 4 and verdict.records_checked == 3
    assert verdict.patients_checked == 1
    with engine.connect() as conn:
        formats = conn.execute(
            text("SELECT hash_format, action FROM audit_entry ORDER BY seq")).all()
        assert [tuple(r) for r in formats] == [
            (1, "clinic.created"), (1, "patient.registered"), (1, "intake.recorded"),
            (2, "records.sealed")]
        assert conn.execute(text("SELECT count(*) FROM database_identity")).scalar() == 1
    # From here on a change to a sealed row is named.
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER screening_clearance_no_update") if
                     conn.dialect.name == "sqlite" else
                     text("ALTER TABLE screening_clearance DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE screening_clearance SET reason = 'Fine.'"))
    verdict = verify_audit_log(units)
    assert verdict.problems == (
        "screening_clearance row 1 was changed after audit entry 4 recorded it",)
    engine.dispose()
