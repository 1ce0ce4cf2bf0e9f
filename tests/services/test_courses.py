"""Courses of treatment through the services (both engines): defaults from the protocol,
"session k of N", the next window's ends, overdue, the maintenance recall, the timeline
of settings and reception's due list."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.course import CourseState
from clinic_desk.domain.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.screening import add_months
from clinic_desk.domain.session_start import ConsentOnFile
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import D, TreatmentClinic, pen_draft, treatment_clinic


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


def _session(t: TreatmentClinic, depth: str) -> None:
    draft = pen_draft(t, areas=(AreaSettings("cheeks", "scars", D(depth), passes=3, speed="4"),))
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, draft, password=STAFF_PASSWORD)


def test_a_course_from_the_protocols_defaults(core: ClinicDesk, t: TreatmentClinic) -> None:
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    assert (plan.planned_sessions, plan.interval_min_days, plan.interval_max_days) == (6, 28, 42)
    assert plan.maintenance_after_months == 12
    course = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    assert course.progress.state is CourseState.NOT_STARTED
    assert course.progress.next_label == "Session 1 of 6"
    with pytest.raises(PermissionDenied):
        core.courses.plan(t.clinic.reception, t.patient_id, plan)
    with pytest.raises(ValidationError) as bad:
        core.courses.plan(t.clinic.practitioner, t.patient_id, replace(plan, planned_sessions=0))
    assert bad.value.field == "planned_sessions"


def test_windows_due_overdue_and_the_due_list(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    course = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    _session(t, "1")
    day0 = t.today
    [view] = core.courses.courses(t.clinic.reception, t.patient_id)
    assert view.progress.state is CourseState.NOT_YET_DUE
    assert view.progress.next_window is not None
    assert view.progress.next_window.earliest == day0 + timedelta(days=28)
    assert view.progress.next_window.latest == day0 + timedelta(days=42)
    assert view.progress.next_label == "Session 2 of 6"
    due = core.courses.due_list
    assert due(t.clinic.reception, on=day0 + timedelta(days=27)) == []
    [entry] = due(t.clinic.reception, on=day0 + timedelta(days=28))
    assert entry.progress.state is CourseState.DUE and entry.patient_id == t.patient_id
    assert entry.patient_name == "Ångström-Müller, Zoë"
    assert due(t.clinic.reception, on=day0 + timedelta(days=42))[0].progress.state is (
        CourseState.DUE
    )
    assert due(t.clinic.reception, on=day0 + timedelta(days=43))[0].progress.state is (
        CourseState.OVERDUE
    )
    core.courses.close(t.clinic.practitioner, course.course_id, reason="Moved abroad",
                       expected_version=course.version)
    assert due(t.clinic.reception, on=day0 + timedelta(days=43)) == []
    with pytest.raises(ConcurrentEditError):
        core.courses.close(t.clinic.practitioner, course.course_id, reason="again",
                           expected_version=course.version)


def test_the_maintenance_recall_after_the_last_planned_session(
    core: ClinicDesk, t: TreatmentClinic
) -> None:
    plan = replace(core.courses.defaults(t.clinic.practitioner, "scars"), planned_sessions=1)
    core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    _session(t, "1")
    [view] = core.courses.courses(t.clinic.practitioner, t.patient_id)
    recall = add_months(t.today, 12)
    assert view.progress.state is CourseState.COMPLETE and view.progress.recall_on == recall
    assert core.courses.due_list(t.clinic.reception, on=recall - timedelta(days=1)) == []
    [entry] = core.courses.due_list(t.clinic.reception, on=recall)
    assert entry.progress.state is CourseState.RECALL_DUE and entry.due_from == recall


def test_the_timeline_shows_the_progression_of_settings(
    core: ClinicDesk, t: TreatmentClinic, clock: FakeClock
) -> None:
    core.courses.plan(t.clinic.practitioner, t.patient_id,
                      core.courses.defaults(t.clinic.practitioner, "scars"))
    _session(t, "1")
    clock.advance(timedelta(days=30))
    t.consents.on_file[t.patient_id] = [ConsentOnFile(signed_on=t.today, covers_rf=True)]
    _session(t, "1.25")
    [view] = core.courses.courses(t.clinic.practitioner, t.patient_id)
    labels = [e.label for e in view.timeline.entries]
    assert labels == ["Session 1 of 6", "Session 2 of 6"]
    assert view.timeline.depth_series("cheeks") == (
        (t.today, D("1")),
        (t.today + timedelta(days=30), D("1.25")),
    )
    assert view.timeline.entries[1].depth_change_mm == {"cheeks": D("0.25")}
    sessions = t.sessions.sessions(t.clinic.practitioner, t.patient_id)
    assert [s.course_label for s in sessions] == ["Session 1 of 6", "Session 2 of 6"]
