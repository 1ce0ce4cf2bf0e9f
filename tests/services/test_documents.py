"""The documents history: a pre-care sheet made, handed out, listed and reopened byte for
byte; every hand-out audited with the row's hash; the history guarded in the database."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.errors import ClinicDeskError, NotFound
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.record_hashes import HANDED_OUT_DOCUMENT, record_hash
from clinic_desk.services.appointment_dto import AppointmentView, BookingRequest
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.documents import DocumentKind, GeneratedDocument, HandOut
from tests.documents.pdf_text import words_of
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, SeededClinic
from tests.helpers.sessions import D, TreatmentClinic, pen_draft, rf_draft, treatment_clinic


@pytest.fixture
def patient_id(core: ClinicDesk, clinic: SeededClinic) -> int:
    details = PatientDetails("Ångström-Müller", "Zoë", date(1990, 3, 14), "+48 600 100 200")
    return core.patients.register(clinic.reception, details).patient_id



def test_a_pre_care_sheet_is_made_for_the_patient_without_recording_anything(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    entries_before = len(core.audit.recent(clinic.admin, limit=500))
    made = core.documents.precare(clinic.reception, patient_id, uses_rf=True,
                                  first_session="Monday 7 December 2026 at 09:30")
    assert made.kind is DocumentKind.PRECARE and made.template_version == 1
    assert made.source_id is None
    text_ = words_of(made.pdf)
    assert "Zoë Ångström-Müller" in text_
    assert "Monday 7 December 2026 at 09:30" in text_
    assert "Microneedling with radiofrequency (RF)" in text_
    assert "+48 42 123 45 67" in text_  # the clinic's phone
    assert made.file_name.endswith(".pdf") and "Ångström-Müller" in made.file_name
    assert core.documents.history(clinic.reception, patient_id) == []
    # Making a sheet is no hand-out; only looking at the history left an entry.
    after = core.audit.recent(clinic.admin, limit=500)
    assert [e.action for e in after[: len(after) - entries_before]] == ["documents.viewed"]


def test_handing_out_records_who_what_when_how_and_reopens_byte_identical(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    printed = core.documents.record_handout(clinic.reception, made, how=HandOut.PRINTED)
    assert printed.kind is DocumentKind.PRECARE and printed.how is HandOut.PRINTED
    assert printed.handed_by == "Jonas Müller"
    assert printed.handed_at == clock.now
    assert printed.content_sha256 == hashlib.sha256(made.pdf).hexdigest()
    assert printed.size_bytes == len(made.pdf)
    again = core.documents.reopen(clinic.practitioner, printed.document_id)
    assert again.pdf == made.pdf
    assert again.kind is DocumentKind.PRECARE and again.patient_id == patient_id
    # saved again under the name it was made with
    assert made.file_name.startswith("pre-care ")
    assert again.file_name == made.file_name and again.title == made.title


def test_the_history_lists_every_hand_out_newest_first_and_keeps_one_copy(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int, clock: FakeClock
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    first = core.documents.record_handout(clinic.reception, made, how=HandOut.PRINTED)
    clock.advance(timedelta(minutes=3))
    second = core.documents.record_handout(clinic.practitioner, made, how=HandOut.SAVED)
    history = core.documents.history(clinic.reception, patient_id)
    assert [h.document_id for h in history] == [second.document_id, first.document_id]
    assert [h.how for h in history] == [HandOut.SAVED, HandOut.PRINTED]
    with core.units() as uow:
        kept = uow.session.execute(text("SELECT count(*) FROM document_content")).scalar()
    assert kept == 1


def test_each_hand_out_is_audited_with_the_hash_of_its_row(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    view = core.documents.record_handout(clinic.reception, made, how=HandOut.PRINTED)
    entry = core.audit.recent(clinic.admin, limit=1)[0]
    assert entry.action == "document.handed_out"
    assert entry.patient_number.endswith(str(patient_id))
    with core.units() as uow:
        link = uow.session.execute(
            text("SELECT record_hash FROM audit_record WHERE record_type = :t AND record_id = :i"),
            {"t": HANDED_OUT_DOCUMENT.name, "i": view.document_id},
        ).scalar_one()
        row = uow.session.execute(
            text("SELECT * FROM handed_out_document WHERE id = :i"), {"i": view.document_id}
        ).mappings().one()
    assert link == record_hash(HANDED_OUT_DOCUMENT, {
        "id": view.document_id, "patient_id": patient_id, "kind": "precare",
        "template_key": "precare", "template_version": 1, "source_id": None,
        "content_sha256": view.content_sha256, "how": "printed",
        "handed_by": clinic.reception.staff_id, "handed_at": view.handed_at,
    })
    assert row["content_sha256"] == view.content_sha256
    assert verify_audit_log(core.units).ok


def test_the_history_cannot_be_changed_or_deleted_in_the_database(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    view = core.documents.record_handout(clinic.reception, made, how=HandOut.PRINTED)
    for statement in (
        "UPDATE handed_out_document SET how = 'saved'",
        "DELETE FROM handed_out_document",
        "UPDATE document_content SET pdf = pdf",
        "DELETE FROM document_content",
    ):
        with core.units(write=True) as uow, pytest.raises(DBAPIError, match="append-only"):
            uow.session.execute(text(statement))
    assert core.documents.reopen(clinic.reception, view.document_id).pdf == made.pdf


def test_audit_verify_names_a_swapped_pdf(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    core.documents.record_handout(clinic.reception, made, how=HandOut.PRINTED)
    with core.units(write=True) as uow:
        conn = uow.session.connection()
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER document_content_no_update"))
        else:
            conn.execute(text("ALTER TABLE document_content DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE document_content SET pdf = :p"), {"p": made.pdf + b"%edit"})
        uow.commit()
    verdict = verify_audit_log(core.units)
    assert not verdict.ok
    assert any("document_content" in p and "no longer holds" in p for p in verdict.problems)


def test_only_a_pdf_for_a_known_patient_is_recorded(
    core: ClinicDesk, clinic: SeededClinic, patient_id: int
) -> None:
    made = core.documents.precare(clinic.reception, patient_id)
    not_pdf = GeneratedDocument(made.kind, patient_id, made.template_key,
                                made.template_version, None, b"hello", "x", "x.pdf")
    with pytest.raises(ClinicDeskError, match="Only a PDF"):
        core.documents.record_handout(clinic.reception, not_pdf, how=HandOut.SAVED)
    stranger = GeneratedDocument(made.kind, patient_id + 99, made.template_key,
                                 made.template_version, None, made.pdf, "x", "x.pdf")
    with pytest.raises(NotFound):
        core.documents.record_handout(clinic.reception, stranger, how=HandOut.SAVED)
    with pytest.raises(NotFound):
        core.documents.reopen(clinic.reception, 12345)
    assert core.documents.history(clinic.reception, patient_id) == []


# --- aftercare from a signed-off session -------------------------------------------------


def signed_session(core: ClinicDesk, clock: FakeClock, *, rf: bool, areas: tuple[str, ...]
                   ) -> tuple[TreatmentClinic, int]:
    from dataclasses import replace

    t = treatment_clinic(core, clock)
    base = rf_draft(t) if rf else pen_draft(t)
    settings = tuple(replace(base.areas[0], area=a, indication="fine_lines")
                     for a in areas)
    settings = tuple(replace(s, needle_depth_mm=D("0.5")) for s in settings)
    view = t.sessions.sign_off(t.clinic.practitioner, t.patient_id,
                               replace(base, areas=settings), password=STAFF_PASSWORD)
    return t, view.session_id


def test_aftercare_fits_what_was_done_in_the_session(
    core: ClinicDesk, clock: FakeClock
) -> None:
    t, session_id = signed_session(core, clock, rf=True, areas=("cheeks", "forehead"))
    made = core.documents.aftercare(t.clinic.practitioner, session_id)
    assert made.kind is DocumentKind.AFTERCARE and made.source_id == session_id
    words = words_of(made.pdf)
    assert "Zoë Ångström-Müller" in words
    assert "Microneedling with radiofrequency (RF)" in words
    assert "Cheeks, Forehead" in words
    assert "After radiofrequency" in words
    assert "Dr Łucja Wiśniewska" in words
    # No course was planned: the sheet says how the next session is arranged.
    assert "as agreed with your practitioner; call us to book it" in words
    handed = core.documents.record_handout(t.clinic.reception, made, how=HandOut.PRINTED)
    assert handed.source_id == session_id and handed.kind is DocumentKind.AFTERCARE


def test_aftercare_without_rf_leaves_the_rf_advice_out(core: ClinicDesk, clock: FakeClock) -> None:
    t, session_id = signed_session(core, clock, rf=False, areas=("cheeks",))
    words = words_of(core.documents.aftercare(t.clinic.reception, session_id).pdf)
    assert "After radiofrequency" not in words
    assert "Microneedling with radiofrequency" not in words


def test_aftercare_names_the_window_of_the_next_course_session(
    core: ClinicDesk, clock: FakeClock
) -> None:
    t = treatment_clinic(core, clock)
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    view = t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                               password=STAFF_PASSWORD)
    earliest = view.session_date + timedelta(days=plan.interval_min_days)
    latest = view.session_date + timedelta(days=plan.interval_max_days)
    words = words_of(core.documents.aftercare(t.clinic.practitioner, view.session_id).pdf)
    expected = (f"session 2 of {plan.planned_sessions}, between "
                f"{earliest:%d/%m/%Y} and {latest:%d/%m/%Y}; call us to book it")
    assert expected in words


def test_aftercare_gives_the_next_booked_appointment_not_the_window(
    core: ClinicDesk, clock: FakeClock
) -> None:
    t = treatment_clinic(core, clock)
    desk, practitioner = t.clinic.reception, t.clinic.practitioner
    plan = core.courses.defaults(practitioner, "scars")
    course = core.courses.plan(practitioner, t.patient_id, plan)
    view = t.sessions.sign_off(practitioner, t.patient_id, pen_draft(t),
                               password=STAFF_PASSWORD)
    room = core.appointments.add_room(t.clinic.admin, "Room 1").room_id
    zone = ZoneInfo("Europe/Warsaw")  # the seeded clinic's zone

    def book(days: int, hour: int, minute: int = 0) -> AppointmentView:
        start = datetime.combine(view.session_date + timedelta(days=days), time(hour, minute),
                                 tzinfo=zone)
        return core.appointments.book(desk, BookingRequest(
            t.patient_id, practitioner.staff_id, room, start, 60,
            AppointmentKind.MICRONEEDLING, course_id=course.course_id), accept_warnings=True)

    def next_line() -> str:
        words = words_of(core.documents.aftercare(practitioner, view.session_id).pdf)
        return words.split("Your next appointment: ")[1].split(". Questions")[0]

    later_today = book(0, 23)  # the session's own day: not the next appointment
    assert next_line().startswith(f"session 2 of {plan.planned_sessions}, between ")
    first = book(21, 10, 30)
    second = book(42, 9)
    when = first.start
    assert next_line() == (f"{when:%A} {when:%d/%m/%Y} at 10:30 with Dr Łucja Wiśniewska")
    core.appointments.set_status(desk, first.appointment_id, AppointmentStatus.CANCELLED,
                                 expected_version=first.version, reason="Patient unwell")
    when = second.start
    assert next_line() == f"{when:%A} {when:%d/%m/%Y} at 09:00 with Dr Łucja Wiśniewska"
    core.appointments.set_status(desk, second.appointment_id, AppointmentStatus.CANCELLED,
                                 expected_version=second.version, reason="Moved away")
    assert next_line().startswith(f"session 2 of {plan.planned_sessions}, between ")
    assert later_today.status is AppointmentStatus.BOOKED


def test_aftercare_for_an_unknown_session_is_refused(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    with pytest.raises(NotFound, match="no such treatment session"):
        core.documents.aftercare(clinic.reception, 999)


def test_printing_aftercare_on_sign_off_is_a_clinic_setting_off_by_default(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    from dataclasses import replace

    from tests.helpers.clinic import SAMPLE_CLINIC

    profile = core.clinic.profile()
    assert profile is not None and profile.print_aftercare_on_sign_off is False
    changed = core.clinic.update_profile(
        clinic.admin, replace(SAMPLE_CLINIC, print_aftercare_on_sign_off=True),
        expected_version=profile.version)
    assert changed.print_aftercare_on_sign_off is True
    # Left out (None), the stored choice stays.
    kept = core.clinic.update_profile(clinic.admin, SAMPLE_CLINIC,
                                      expected_version=changed.version)
    assert kept.print_aftercare_on_sign_off is True
