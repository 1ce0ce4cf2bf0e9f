"""The services' plain values and small helpers, with no database: sign-in sessions, the
verdict's words, patient rows as the lists show them, a revision's stored JSON, what the
search box accepts, and the witness's dates."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.patients import FitzpatrickType, PatientDetails, Sex
from clinic_desk.domain.phones import e164_of
from clinic_desk.domain.roles import Role
from clinic_desk.domain.search_keys import sort_key
from clinic_desk.services.context import patient_of
from clinic_desk.services.core import CoreServices
from clinic_desk.services.dto import (
    AuditVerification,
    ClinicProfileView,
    SessionState,
    SignedInStaff,
    SignInSession,
)
from clinic_desk.services.patient_dto import ClearanceView, PatientListRow, PatientRecord
from clinic_desk.services.patient_records import (
    apply_details,
    details_from_json,
    details_of,
    details_to_json,
    list_row,
    split_birth_date,
    unsearchable_character,
)
from clinic_desk.services.witnessing import WitnessReport, readable
from clinic_desk.storage.models import Patient
from clinic_desk.storage.patient_repository import SearchHit

AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


# --- sign-in sessions ------------------------------------------------------------------


def test_a_session_opens_locks_and_unlocks_and_each_move_returns_the_state_before() -> None:
    session = SignInSession()
    seen = [session.state]
    seen += [session.move_to(SessionState.LOCKED), session.state]
    seen += [session.move_to(SessionState.OPEN), session.state]
    assert seen == [SessionState.OPEN, SessionState.OPEN, SessionState.LOCKED,
                    SessionState.LOCKED, SessionState.OPEN]


def test_an_ended_session_stays_ended_whatever_is_asked_after() -> None:
    session = SignInSession()
    assert session.move_to(SessionState.ENDED) is SessionState.OPEN
    assert session.move_to(SessionState.OPEN) is SessionState.ENDED
    assert session.move_to(SessionState.LOCKED) is SessionState.ENDED
    assert session.state is SessionState.ENDED


def test_the_session_states_keep_the_words_the_audit_log_records() -> None:
    # auth writes "session <state>" into the refusal entries: the words are stored data.
    assert [s.value for s in SessionState] == ["open", "locked", "ended"]


def test_only_a_locked_session_counts_as_locked() -> None:
    who = SignedInStaff(1, "anna", "Anna", (Role.RECEPTION,), SignInSession())
    assert not who.is_locked
    who.session.move_to(SessionState.LOCKED)
    assert who.is_locked
    who.session.move_to(SessionState.ENDED)
    assert not who.is_locked


def test_a_sign_in_is_the_same_person_whatever_its_session_and_needs_no_new_password() -> None:
    first = SignedInStaff(3, "jonas", "Jonas Müller", (Role.RECEPTION,), SignInSession())
    again = SignedInStaff(3, "jonas", "Jonas Müller", (Role.RECEPTION,), SignInSession())
    assert first == again
    assert first.must_change_password is False
    assert "session" not in repr(first)


def test_a_clinic_profile_view_defaults_to_no_country_a_year_of_consent_and_no_printing() -> None:
    view = ClinicProfileView("Klinika", "ul. 1", "+48", "Europe/Warsaw", PaperSize.A4,
                             DateFormat.DAY_MONTH_YEAR_DOT, 90, False, 1)
    assert (view.country, view.consent_validity_months, view.print_aftercare_on_sign_off) == (
        "", 12, False)


# --- the audit verdict's words -----------------------------------------------------------


def test_a_verdict_defaults_to_nothing_else_checked() -> None:
    verdict = AuditVerification(True, 3, None, None, "")
    assert (verdict.problems, verdict.records_checked, verdict.patients_checked,
            verdict.notes, verdict.consents_checked) == ((), 0, 0, (), 0)
    assert verdict.summary() == "Audit log intact: 3 entries checked."


def test_the_verdict_counts_the_consents_checked_only_when_there_were_some() -> None:
    verdict = AuditVerification(True, 9, None, None, "", consents_checked=4)
    assert verdict.summary() == (
        "Audit log intact: 9 entries checked.\n"
        "Consents checked against their content hash and signatures: 4.")
    records_only = AuditVerification(True, 9, None, None, "", records_checked=1)
    assert records_only.summary() == (
        "Audit log intact: 9 entries checked.\n"
        "Records checked against their audit entries: 1; patient rows against their "
        "latest revision: 0.")


def test_a_broken_chain_at_row_zero_still_names_the_row() -> None:
    assert AuditVerification(False, 2, 0, 1, "hash mismatch").summary() == (
        "Audit log broken at row id 0 (entry 1): hash mismatch.")


def test_a_witness_report_is_ok_only_without_disputes() -> None:
    calm = WitnessReport(None, ())
    assert calm.ok and calm.new_disputes == () and calm.first_sight is False
    assert not WitnessReport(None, ("replaced",)).ok


@pytest.mark.parametrize(("stamp", "shown"), [
    ("2026-11-30T10:54:23.635369Z", "2026-11-30 10:54 UTC"),
    ("2026-11-30T10:54", "2026-11-30 10:54 UTC"),  # 16 characters: just enough
    ("2026-11-30T10:5", "2026-11-30T10:5"),  # 15: shown as it is
    ("", "an earlier day"),
])
def test_the_witness_writes_its_times_to_the_minute(stamp: str, shown: str) -> None:
    assert readable(stamp) == shown


# --- patients as the lists show them --------------------------------------------------------


def row(preferred: str) -> PatientListRow:
    return PatientListRow(7, "P-000007", "Ångström-Müller", "Zoë", preferred,
                          date(1990, 1, 2), 36, "600 100 200")


def test_a_list_row_names_the_patient_family_name_first_with_any_preferred_name() -> None:
    assert row("").display_name == "Ångström-Müller, Zoë"
    assert row("Zo").display_name == "Ångström-Müller, Zoë (Zo)"


def test_a_record_names_the_patient_given_name_first_and_shows_no_phone_by_default() -> None:
    details = PatientDetails("Ångström-Müller", "Zoë", date(1990, 1, 2), "")
    record = PatientRecord(7, "P-000007", details, 36, False, 1, AT, AT)
    assert record.display_name == "Zoë Ångström-Müller"
    assert (record.phone_shown, record.emergency_contact_phone_shown) == ("", "")


def test_a_clearance_is_withdrawn_only_once_it_has_a_withdrawal_time() -> None:
    given = ClearanceView(1, "eczema", "Eczema", "Only on the hands.", "Dr Ł", AT, 1, True)
    assert not given.is_revoked
    assert (given.revoked_by, given.revoked_at, given.revocation_reason) == (None, None, None)
    assert ClearanceView(1, "eczema", "Eczema", "r", "Dr Ł", AT, 1, True, revoked_at=AT).is_revoked


FULL = PatientDetails(
    family_name="Ångström-Müller Ferreira",
    given_name="Zoë",
    date_of_birth=date(1988, 5, 4),
    phone="+48 600 100 200",
    preferred_name="Zo",
    sex=Sex.FEMALE,
    email="zoe@example.org",
    address="ul. Piotrkowska 104\n90-001 Łódź",
    emergency_contact_name="Jan Nowak",
    emergency_contact_phone="601 200 300",
    referring_physician="Dr Kowalska",
    fitzpatrick_type=FitzpatrickType.III,
    notes="Prefers mornings.",
)


def test_a_revision_keeps_the_details_as_sorted_unescaped_json() -> None:
    # Revisions are stored and vouched for by the audit chain: the form is pinned.
    plain = PatientDetails("Müller", "Zoë", date(1990, 1, 2), "600")
    assert details_to_json(plain) == (
        '{"address": "", "date_of_birth": "1990-01-02", "email": "", '
        '"emergency_contact_name": "", "emergency_contact_phone": "", '
        '"family_name": "Müller", "fitzpatrick_type": null, "given_name": "Zoë", '
        '"notes": "", "phone": "600", "preferred_name": "", "referring_physician": "", '
        '"sex": null}')


def test_a_revision_without_a_birth_date_stores_null() -> None:
    undated = PatientDetails("Müller", "Zoë", None, "")
    assert json.loads(details_to_json(undated))["date_of_birth"] is None


def test_every_detail_comes_back_from_a_revision() -> None:
    stored = details_to_json(FULL)
    assert json.loads(stored)["sex"] == "female"
    assert json.loads(stored)["fitzpatrick_type"] == "III"
    back = details_from_json(stored)
    assert back == FULL
    assert type(back.sex) is Sex and type(back.fitzpatrick_type) is FitzpatrickType


def test_a_revision_with_no_sex_or_skin_type_reads_back_as_none() -> None:
    plain = PatientDetails("Müller", "Zoë", date(1990, 1, 2), "")
    raw = json.loads(details_to_json(plain)) | {"sex": "", "fitzpatrick_type": ""}
    assert details_from_json(json.dumps(raw)) == plain
    del raw["sex"], raw["fitzpatrick_type"]
    assert details_from_json(json.dumps(raw)) == plain


def test_details_go_onto_the_row_with_their_search_keys_and_come_back_unchanged() -> None:
    patient = Patient(id=12)
    apply_details(patient, FULL, "PL")
    assert (patient.sex, patient.fitzpatrick_type) == ("female", "III")
    assert patient.name_key == sort_key(FULL.family_name, FULL.given_name)
    assert patient.phone_digits == "48600100200"
    assert patient.phone_e164 == "+48600100200"
    assert patient.emergency_contact_phone_e164 == e164_of("601 200 300", "PL") == "+48601200300"
    assert details_of(patient) == FULL


def test_details_without_sex_or_skin_type_leave_them_empty_on_the_row() -> None:
    patient = Patient(id=12)
    plain = PatientDetails("Nowak", "Ewa", date(1990, 1, 1), "600 100 200")
    apply_details(patient, plain, "PL")
    assert (patient.sex, patient.fitzpatrick_type) == (None, None)
    assert patient.phone_e164 == "+48600100200"
    assert patient.emergency_contact_phone_e164 == ""
    assert details_of(patient) == plain


@pytest.mark.parametrize(("today", "age"), [
    (date(2026, 5, 3), 37),  # the day before the birthday
    (date(2026, 5, 4), 38),  # on it
])
def test_a_list_row_from_a_record_or_a_search_hit_says_the_same(today: date, age: int) -> None:
    patient = Patient(id=12)
    apply_details(patient, FULL, "PL")
    from_record = list_row(patient, today, "PL")
    hit = SearchHit(("k", 0, "s", 12), 12, FULL.family_name, FULL.given_name,
                    FULL.preferred_name, date(1988, 5, 4), FULL.phone, "+48600100200")
    assert list_row(hit, today, "PL") == from_record == PatientListRow(
        12, "P-000012", "Ångström-Müller Ferreira", "Zoë", "Zo", date(1988, 5, 4), age,
        "600 100 200")


# --- what the search box accepts -----------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Zoë Ångström-Müller", "O’Brien (Jr.), +48: 1/2", "o'neill", "a\tb", "Ŝ̌", "٣٤",
])
def test_names_phones_dates_and_numbers_hold_every_character_typed(text: str) -> None:
    assert unsearchable_character(text) is None


@pytest.mark.parametrize(("text", "stray"), [
    ("50%", "%"), ("a_b", "_"), ("#1", "#"), ("müller*", "*"), ("a;b%", ";"),
])
def test_the_first_character_no_record_holds_is_named(text: str, stray: str) -> None:
    assert unsearchable_character(text) == stray


@pytest.mark.parametrize(("text", "found"), [
    ("müller 12.03.1985", (date(1985, 3, 12), "müller")),
    ("12.03.1985", (date(1985, 3, 12), "")),
    ("12 03 1985", (date(1985, 3, 12), "")),  # the whole text is one date
    ("12.03.1985 anna 13.03.1985", (date(1985, 3, 12), "anna 13.03.1985")),
    ("anna   nowak", (None, "anna nowak")),
    ("31.02.1985 anna", (None, "31.02.1985 anna")),
])
def test_a_birth_date_anywhere_in_the_search_filters_by_it(
    text: str, found: tuple[date | None, str]
) -> None:
    assert split_birth_date(text, DateFormat.DAY_MONTH_YEAR_DOT) == found


# --- whose record a refusal belongs to --------------------------------------------------------


@pytest.mark.parametrize(("entity_type", "entity_id", "patient"), [
    ("patient", 5, 5), ("patient", "7", 7), ("patient", None, None),
    ("patient", "P-7", None), ("staff", 5, None), ("consent", "5", None),
])
def test_a_refusal_belongs_to_a_patient_only_when_it_is_about_one(
    entity_type: str, entity_id: str | int | None, patient: int | None
) -> None:
    assert patient_of(entity_type, entity_id) == patient


# --- the services handed on to a front end ---------------------------------------------------


def test_a_front_end_is_handed_every_service_under_its_own_name() -> None:
    given: dict[str, Any] = {f.name: object() for f in fields(CoreServices)}
    handed = CoreServices(**given).core_services()
    assert list(handed) == [
        "auth", "staff", "clinic", "patients", "intake", "screening", "demo", "audit",
        "devices", "protocols", "sessions", "adverse_events", "courses", "consents",
        "documents", "appointments",
    ]
    assert all(handed[name] is service for name, service in given.items())
