"""Courses pinned exactly (both engines): the view field by field, each audit entry
(planned, changed, closed, refused), the refusals' messages (unknown indication, a
changed indication, an empty reason, a closed or unknown course, a stale version), and
reception's due list in its order (overdue first, then by the day due, then by name),
leaving out archived patients and what is not due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.course import CoursePlan, CourseState
from clinic_desk.domain.errors import (
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.courses import DUE_STATES, CourseService
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, clear_answers, pen_draft
from tests.helpers.sessions import treatment_clinic as make_clinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

SCARS = CoursePlan("scars", 6, 28, 42, 12)


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return make_clinic(core, clock)


def test_the_due_list_holds_overdue_due_and_recall_due_in_that_order() -> None:
    assert DUE_STATES == (CourseState.OVERDUE, CourseState.DUE, CourseState.RECALL_DUE)


def test_defaults_come_from_the_protocol_and_unknown_indications_are_refused(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    courses: CourseService = core.courses
    assert courses.defaults(t.clinic.reception, "scars") == SCARS
    assert courses.defaults(t.clinic.reception, "fine_lines") == CoursePlan(
        "fine_lines", 3, 28, 42, 12
    )
    with refused(ValidationError, "Choose an indication from the protocol.") as unknown:
        courses.defaults(t.clinic.reception, "tattoo")
    assert unknown.value.field == "indication"
    with refused(ValidationError, "Choose an indication from the protocol."):
        courses.plan(t.clinic.practitioner, t.patient_id, replace(SCARS, indication="tattoo"))


def test_a_planned_course_field_by_field_and_its_audit_entry(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    before = entry_count(core)
    started = t.today - timedelta(days=3)
    view = core.courses.plan(
        t.clinic.practitioner, t.patient_id, SCARS, started_on=started, notes="  Boxcar scars \n"
    )
    assert (view.patient_id, view.plan, view.version) == (t.patient_id, SCARS, 1)
    assert view.indication_label == "Acne and other scars"
    assert (view.started_on, view.notes) == (started, "Boxcar scars")
    assert (view.is_closed, view.closed_reason, view.session_ids) == (False, "", ())
    assert view.progress.state is CourseState.NOT_STARTED
    today = core.courses.plan(t.clinic.practitioner, t.patient_id, SCARS)
    assert today.started_on == t.today and today.notes == ""
    staff = t.clinic.practitioner.staff_id
    assert entries(core, after=before) == [
        Entry("course.planned", "course", str(view.course_id), staff, t.patient_id, "success",
              "scars, 6 sessions"),
        Entry("course.planned", "course", str(today.course_id), staff, t.patient_id, "success",
              "scars, 6 sessions"),
    ]  # fmt: skip
    assert core.courses.courses(t.clinic.reception, t.patient_id) == [view, today]


def test_planning_is_refused_for_unknown_patients_bad_plans_and_reception(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    with refused(NotFound, "That patient record does not exist."):
        core.courses.plan(t.clinic.practitioner, t.patient_id + 1, SCARS)
    with refused(ValidationError, "Plan 1 to 12 sessions for a course.") as many:
        core.courses.plan(t.clinic.practitioner, t.patient_id, replace(SCARS, planned_sessions=0))
    assert many.value.field == "planned_sessions"
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        core.courses.plan(t.clinic.reception, t.patient_id, SCARS)
    assert entries(core, after=before) == [
        Entry("course.planned", "patient", str(t.patient_id), t.clinic.reception.staff_id,
              t.patient_id, "denied", "roles=reception"),
    ]  # fmt: skip


def test_a_course_is_changed_then_closed_each_audited(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    view = core.courses.plan(t.clinic.practitioner, t.patient_id, SCARS)
    before = entry_count(core)
    longer = CoursePlan("scars", 8, 30, 45, 6)
    changed = core.courses.update(
        t.clinic.practitioner, view.course_id, longer, notes=" Agreed 8 ", expected_version=1
    )
    assert (changed.plan, changed.notes, changed.version) == (longer, "Agreed 8", 2)
    with refused(ValidationError, "A course keeps its indication: plan a new course.") as kept:
        core.courses.update(
            t.clinic.practitioner,
            view.course_id,
            replace(longer, indication="fine_lines"),
            notes="",
            expected_version=2,
        )
    assert kept.value.field == "indication"
    with refused(ValidationError, "Write why the course ends.") as why:
        core.courses.close(t.clinic.practitioner, view.course_id, reason="  ", expected_version=2)
    assert why.value.field == "reason"
    with pytest.raises(ConcurrentEditError):
        core.courses.close(t.clinic.practitioner, view.course_id, reason="x", expected_version=1)
    closed = core.courses.close(
        t.clinic.practitioner, view.course_id, reason=" Moved abroad ", expected_version=2
    )
    assert (closed.is_closed, closed.closed_reason, closed.version) == (True, "Moved abroad", 3)
    assert closed.plan == longer
    with refused(ValidationError, "This course is closed.") as shut:
        core.courses.update(
            t.clinic.practitioner, view.course_id, longer, notes="", expected_version=3
        )
    assert shut.value.field == "course"
    with refused(NotFound, "That course is not on record."):
        core.courses.close(
            t.clinic.practitioner, view.course_id + 1, reason="x", expected_version=1
        )
    staff = t.clinic.practitioner.staff_id
    course = str(view.course_id)
    assert entries(core, after=before) == [
        Entry("course.changed", "course", course, staff, t.patient_id, "success", ""),
        Entry("course.closed", "course", course, staff, t.patient_id, "success", ""),
    ]
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        core.courses.close(t.clinic.reception, view.course_id, reason="x", expected_version=3)
    assert entries(core, after=before) == [
        Entry("course.closed", "course", course, t.clinic.reception.staff_id, None, "denied",
              "roles=reception"),
    ]  # fmt: skip


def _patient(core: ClinicDesk, t: TreatmentClinic, family: str, given: str, phone: str) -> int:
    details = PatientDetails(family, given, date(1980, 1, 1), phone)
    patient_id = core.patients.register(t.clinic.reception, details).patient_id
    core.intake.record(t.clinic.reception, patient_id, clear_answers(core))
    t.consents.on_file[patient_id] = [ConsentOnFile(signed_on=t.today, covers_rf=True)]
    return patient_id


def test_the_due_list_order_and_what_it_leaves_out(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    practitioner = t.clinic.practitioner
    one_session = replace(SCARS, planned_sessions=1)
    # Zoë: a session today, due from day 28 to day 42.
    zoe = core.courses.plan(practitioner, t.patient_id, SCARS)
    t.sessions.sign_off(practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    # Adam and Bogna: sessions a day later, due from day 29; sorted by name.
    clock.advance(timedelta(days=1))
    bogna = _patient(core, t, "Zielińska", "Bogna", "+48 600 100 401")
    adam = _patient(core, t, "Adamski", "Adam", "+48 600 100 402")
    courses = {}
    for patient_id in (bogna, adam):
        courses[patient_id] = core.courses.plan(practitioner, patient_id, SCARS)
        t.sessions.sign_off(practitioner, patient_id, pen_draft(t), password=STAFF_PASSWORD)
    # Cezary: one planned session, done: recall due twelve months on.
    cezary = _patient(core, t, "Czarnecki", "Cezary", "+48 600 100 403")
    core.courses.plan(practitioner, cezary, one_session)
    t.sessions.sign_off(practitioner, cezary, pen_draft(t), password=STAFF_PASSWORD)
    # Archived: never listed.
    gone = _patient(core, t, "Archiwalna", "Ewa", "+48 600 100 404")
    core.courses.plan(practitioner, gone, SCARS)
    t.sessions.sign_off(practitioner, gone, pen_draft(t), password=STAFF_PASSWORD)
    record = core.patients.get(t.clinic.reception, gone)
    core.patients.set_archived(
        t.clinic.reception, gone, expected_version=record.version, archived=True
    )

    day0 = t.today
    due = core.courses.due_list
    assert due(t.clinic.reception, on=day0 + timedelta(days=27)) == []
    on_28 = due(t.clinic.reception, on=day0 + timedelta(days=28))
    assert [e.patient_id for e in on_28] == [t.patient_id]
    on_29 = due(t.clinic.reception, on=day0 + timedelta(days=29))
    assert [e.patient_name for e in on_29] == [
        "Ångström-Müller, Zoë",
        "Adamski, Adam",
        "Zielińska, Bogna",
    ]
    first = on_29[0]
    assert (first.patient_number, first.phone, first.course_id) == (
        f"P-{t.patient_id:06d}",
        "+48 600 100 200",
        zoe.course_id,
    )
    assert first.indication_label == "Acne and other scars"
    # Day 43: Zoë is overdue (first), the other two still due.
    on_43 = due(t.clinic.reception, on=day0 + timedelta(days=43))
    assert [(e.patient_id, e.progress.state) for e in on_43] == [
        (t.patient_id, CourseState.OVERDUE),
        (adam, CourseState.DUE),
        (bogna, CourseState.DUE),
    ]
    # Overdue before recall due, whatever the dates.
    recall = date(day0.year + 1, day0.month, day0.day + 1)
    later = due(t.clinic.reception, on=recall)
    assert [e.progress.state for e in later] == [CourseState.OVERDUE] * 3 + [CourseState.RECALL_DUE]
    assert later[-1].patient_id == cezary and later[-1].due_from == recall
    clock.advance(timedelta(days=60))
    assert [e.patient_id for e in due(t.clinic.reception)][:1] == [t.patient_id]
