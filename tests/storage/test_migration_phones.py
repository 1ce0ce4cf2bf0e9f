"""Migration 0004 on a database with patients: the clinic's country from its time zone,
existing phones in E.164, and search keys for both spellings of each number."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from clinic_desk.domain.search_keys import DIGIT_MARK
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import upgrade_schema, upgrade_to

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _patient(conn: object, patient_id: int, phone: str, emergency: str) -> None:
    conn.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO patient (id, family_name, given_name, preferred_name, date_of_birth, "
            "sex, phone, email, address, emergency_contact_name, emergency_contact_phone, "
            "referring_physician, fitzpatrick_type, notes, is_archived, name_key, "
            "phone_digits, created_at, updated_at, version) VALUES (:id, 'Dubois', 'Léa', '', "
            ":born, NULL, :phone, '', '', '', :emergency, '', NULL, '', :archived, "
            "'dubois\x1flea', :digits, :now, :now, 1)"
        ),
        {"id": patient_id, "born": date(1990, 1, 1), "phone": phone, "emergency": emergency,
         "archived": False, "digits": "".join(c for c in phone if c.isdigit()),
         "now": NOW.replace(tzinfo=None)},
    )
    conn.execute(  # type: ignore[attr-defined]
        text("INSERT INTO patient_search_key (key, rank, sort_key, patient_id, archived) "
             "VALUES ('dubois', 0, 'dubois\x1flea', :id, :archived)"),
        {"id": patient_id, "archived": False},
    )


def test_existing_patients_get_e164_phones_and_both_search_spellings(
    database_url: str, tmp_path: Path
) -> None:
    location = parse_location(database_url)
    engine = create_clinic_engine(location)
    upgrade_to(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO clinic_profile (id, name, address, phone, time_zone, paper_size, "
                 "is_demo, created_at, date_format, intake_max_age_days, version) VALUES "
                 "(1, 'Lumière', 'Paris', '+33 1 23 45 67 89', 'Europe/Paris', 'A4', :demo, "
                 ":now, 'DD/MM/YYYY', 90, 1)"),
            {"demo": False, "now": NOW.replace(tzinfo=None)},
        )
        _patient(conn, 1, "06 12 34 56 78", "+44 20 7946 0018")
        _patient(conn, 2, "12 34", "")
    upgrade_schema(engine, location, backup_dir=tmp_path / "backups")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT country FROM clinic_profile")).scalar_one() == "FR"
        phones = conn.execute(text(
            "SELECT id, phone, phone_e164, emergency_contact_phone_e164 FROM patient ORDER BY id"
        )).all()
        keys = {k for (k,) in conn.execute(
            text("SELECT key FROM patient_search_key WHERE patient_id = 1"))}
        unread_keys = {k for (k,) in conn.execute(
            text("SELECT key FROM patient_search_key WHERE patient_id = 2"))}
    engine.dispose()
    assert [tuple(p) for p in phones] == [
        (1, "06 12 34 56 78", "+33612345678", "+442079460018"),
        (2, "12 34", "", ""),
    ]
    # typed nationally; now also found by the international digits, and still by name
    assert {DIGIT_MARK + "0612345678", DIGIT_MARK + "33612345678", "dubois", "lea"} <= keys
    assert "p000001" in keys
    assert {"dubois", "p000002"} <= unread_keys
