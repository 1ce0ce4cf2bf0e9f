"""Signed consents cannot change in the database, and `audit verify` names a consent
that was changed behind the application's back (one byte, a signature moved to another
consent, a consent deleted), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.consent_dto import ConsentSummary
from tests.helpers.clinic import FakeClock
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign
from tests.helpers.tamper import without_guards


@pytest.fixture
def signed(
    core: ClinicDesk, clock: FakeClock
) -> tuple[ConsentClinic, ConsentSummary, ConsentSummary]:
    setup = consent_clinic(core)
    first = sign(core, setup, "microneedling")
    clock.advance(timedelta(minutes=20))
    second = sign(core, setup, "photography")
    core.consents.retire_template(setup.clinic.admin, "photography", 1)
    assert verify_audit_log(core.units).ok
    return setup, first, second


def _url(core: ClinicDesk) -> str:
    return core.settings.location.url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE consent_record SET status = 'declined' WHERE id = :i",
        "DELETE FROM consent_record WHERE id = :i",
        "UPDATE consent_signature SET consent_id = consent_id WHERE consent_id = :i",
        "DELETE FROM consent_signature WHERE consent_id = :i",
        "UPDATE consent_template SET source = source || ' '",
        "DELETE FROM consent_template",
        "UPDATE signing_certificate SET subject = 'x'",
        "UPDATE consent_template_status SET status = 'retired'",
    ],
)
def test_raw_sql_cannot_change_a_consent(
    core: ClinicDesk, signed: tuple[ConsentClinic, ConsentSummary, ConsentSummary], sql: str
) -> None:
    core.consents.document(signed[0].clinic.practitioner, signed[1].consent_id)  # a cert
    with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
        conn.execute(text(sql), {"i": signed[1].consent_id})
        # a statement that matched no row refuses nothing: make sure something matched
        raise AssertionError("nothing was refused")


def test_truncate_and_replace_are_refused(
    core: ClinicDesk, signed: tuple[ConsentClinic, ConsentSummary, ConsentSummary]
) -> None:
    with core.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            statement = "TRUNCATE consent_record CASCADE"
        else:
            statement = (
                "INSERT OR REPLACE INTO consent_record SELECT * FROM consent_record WHERE id = :i"
            )
    with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
        conn.execute(text(statement), {"i": signed[1].consent_id})


def test_one_changed_byte_is_named(
    core: ClinicDesk, signed: tuple[ConsentClinic, ConsentSummary, ConsentSummary]
) -> None:
    _, first, _ = signed
    with without_guards(_url(core)) as conn:
        conn.execute(
            text("UPDATE consent_record SET canonical_json = "
                 "replace(canonical_json, 'Zoë', 'Zoe') WHERE id = :i"),
            {"i": first.consent_id},
        )
    verdict = verify_audit_log(core.units)
    assert not verdict.ok
    assert verdict.problems[0].startswith(f"consent no. {first.consent_id}: its stored text")


def test_a_signature_moved_to_another_consent_is_named(
    core: ClinicDesk, signed: tuple[ConsentClinic, ConsentSummary, ConsentSummary]
) -> None:
    _, first, second = signed
    with without_guards(_url(core)) as conn:
        conn.execute(text("DELETE FROM consent_signature WHERE consent_id = :b "
                          "AND meaning = 'patient_consent'"), {"b": second.consent_id})
        conn.execute(text("UPDATE consent_signature SET consent_id = :b WHERE consent_id = :a "
                          "AND meaning = 'patient_consent'"),
                     {"a": first.consent_id, "b": second.consent_id})
    verdict = verify_audit_log(core.units)
    assert not verdict.ok
    assert verdict.problems[0].startswith(f"consent no. {first.consent_id}: it has 1 signature")
    assert any(p.startswith(f"consent no. {second.consent_id}: the patient_consent signature")
               for p in verdict.problems)


def test_a_deleted_consent_is_named(
    core: ClinicDesk, signed: tuple[ConsentClinic, ConsentSummary, ConsentSummary]
) -> None:
    _, _, second = signed
    with without_guards(_url(core)) as conn:
        conn.execute(text("DELETE FROM consent_signature WHERE consent_id = :i"),
                     {"i": second.consent_id})
        conn.execute(text("DELETE FROM consent_record WHERE id = :i"), {"i": second.consent_id})
    verdict = verify_audit_log(core.units)
    assert not verdict.ok
    assert verdict.problems[0].startswith(f"consent no. {second.consent_id}, recorded by audit "
                                          "entry")
    assert verdict.problems[0].endswith("was deleted")


def test_a_changed_signature_picture_is_named(
    core: ClinicDesk, signed: tuple[ConsentClinic, ConsentSummary, ConsentSummary]
) -> None:
    _, first, _ = signed
    with without_guards(_url(core)) as conn:
        png = conn.execute(text("SELECT image_png FROM consent_signature WHERE consent_id = :i "
                                "AND meaning = 'patient_consent'"),
                           {"i": first.consent_id}).scalar_one()
        conn.execute(text("UPDATE consent_signature SET image_png = :p WHERE consent_id = :i "
                          "AND meaning = 'patient_consent'"),
                     {"p": bytes(png[:-1]) + bytes([png[-1] ^ 1]), "i": first.consent_id})
    verdict = verify_audit_log(core.units)
    assert not verdict.ok
    assert verdict.problems[0] == (f"consent no. {first.consent_id}: the picture of the "
                                   "patient_consent signature (row 1) was changed")
