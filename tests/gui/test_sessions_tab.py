"""The chart's Sessions tab on the real services: recording RF and non-RF sessions from
the GUI alone, the course timeline, amendments beside the original, an adverse event on
the chart header and beside the next session's settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.roles import Role
from clinic_desk.ui.areas import Area
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patients.chart import ChartWindows
from clinic_desk.ui.patients.page import PatientsPage
from clinic_desk.ui.sessions.due_list import DueColumn, DueListPage
from clinic_desk.ui.sessions.record_dialogs import (
    AdverseEventDialog,
    AmendDialog,
    EndCourseDialog,
    FollowUpDialog,
    PlanCourseDialog,
)
from clinic_desk.ui.sessions.session_window import SessionWindow, SignOffDialog
from clinic_desk.ui.sessions.sessions_tab import SessionsTab
from clinic_desk.ui.sessions.timeline_model import TimelineModel
from tests.gui.fakes import DialogScript, FakeDialogService
from tests.gui.test_patients_accessibility import assert_named
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, rf_draft, treatment_clinic

FORMAT = DateFormat.DAY_MONTH_YEAR_SLASH


@pytest.fixture
def t(sqlite_core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(sqlite_core, clock)


def tab(qtbot: QtBot, core: ClinicDesk, t: TreatmentClinic, dialogs: FakeDialogService,
        clock: FakeClock) -> SessionsTab:
    shown = SessionsTab(sessions=t.sessions, courses=core.courses, events=t.events,
                        actor=t.clinic.practitioner, dialogs=dialogs, patient_id=t.patient_id,
                        patient_name=lambda: "Zoë Ångström-Müller",
                        protocol=core.protocols.current(t.clinic.practitioner),
                        date_format=FORMAT, time_zone="UTC", now=clock)
    qtbot.addWidget(shown)
    return shown


def sign(dialog: QDialog) -> None:
    assert isinstance(dialog, SignOffDialog)
    dialog.password_edit.setText(STAFF_PASSWORD)
    dialog.sign_button.click()


def pen_session(t: TreatmentClinic) -> DialogScript:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SessionWindow)
        form = dialog.form
        form.device_box.setCurrentIndex(form.device_box.findData(t.pen_id))
        form.lot_box.setCurrentIndex(form.lot_box.findData(t.lot_id))
        row = form.rows[0]
        row.area_box.setCurrentIndex(row.area_box.findData("cheeks"))
        row.indication_box.setCurrentIndex(row.indication_box.findData("scars"))
        row.passes.set_value(3)
        form.run_check()
        assert dialog.sign_button.isEnabled(), dialog.why_label.text()
        dialog.sign_button.click()
    return fill


def rf_session(t: TreatmentClinic, energy: int, *, test_spot: bool) -> DialogScript:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SessionWindow)
        form = dialog.form
        form.device_box.setCurrentIndex(form.device_box.findData(t.rf_id))
        form.lot_box.setCurrentIndex(form.lot_box.findData(t.lot_id))
        row = form.rows[0]
        row.area_box.setCurrentIndex(row.area_box.findData("cheeks"))
        row.indication_box.setCurrentIndex(row.indication_box.findData("scars"))
        row.energy.set_value(energy)
        row.pulse.set_value(150)
        row.tip_box.setCurrentIndex(1)
        form.run_check()
        assert form.gate.uses_rf and form.gate.check.can_start
        if test_spot:
            assert "first RF treatment" in form.test_spot.why.text()
            spot = form.test_spot
            spot.done_box.setChecked(True)
            spot.energy.set_value(energy)
            spot.pulse.set_value(150)
            spot.reaction_edit.setText("Mild erythema")
            spot.tolerated_box.setChecked(True)
            form.run_check()
        assert dialog.sign_button.isEnabled(), dialog.why_label.text()
        dialog.sign_button.click()
    return fill


def test_a_course_with_a_pen_and_an_rf_session_recorded_from_the_gui_alone(
    qtbot: QtBot, sqlite_core: ClinicDesk, t: TreatmentClinic, dialogs: FakeDialogService,
    clock: FakeClock,
) -> None:
    shown = tab(qtbot, sqlite_core, t, dialogs, clock)
    assert shown.no_course.isVisibleTo(shown) and not shown.course_panel.isVisibleTo(shown)

    def plan(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanCourseDialog)
        dialog.indication_box.setCurrentIndex(dialog.indication_box.findData("scars"))
        dialog.sessions_spin.setValue(4)
        dialog.save_button.click()

    dialogs.dialog_scripts.append(plan)
    shown.plan_action.trigger()
    assert shown.course_panel.where.text().startswith("Session 1 of 4 next")
    dialogs.dialog_scripts += [pen_session(t), sign]
    shown.record_action.trigger()
    assert shown.banner.text() == "The session was signed off and locked."
    clock.advance(timedelta(days=35))
    dialogs.dialog_scripts += [rf_session(t, 4, test_spot=True), sign]
    shown.record_action.trigger()
    assert [v.uses_rf for v in t.sessions.sessions(t.clinic.practitioner, t.patient_id)] == \
        [False, True]
    assert shown.course_panel.where.text().startswith("Session 3 of 4 next · 2 done")
    assert "Next session between" in shown.course_panel.when.text()
    timeline = shown.course_panel.model
    assert [timeline.index(r, 0).data() for r in range(2)] == ["Session 1 of 4",
                                                               "Session 2 of 4"]
    assert timeline.index(0, 2).data() == "1.5 mm"
    assert timeline.index(1, 2).data() == "1.5 mm · RF level 4"
    assert "RF level 4" in shown.model.index(0, 2).data()  # newest first


def test_an_amendment_shows_beside_the_unchanged_original(
    qtbot: QtBot, sqlite_core: ClinicDesk, t: TreatmentClinic, dialogs: FakeDialogService,
    clock: FakeClock,
) -> None:
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                        password=STAFF_PASSWORD)
    shown = tab(qtbot, sqlite_core, t, dialogs, clock)
    before = list(shown.record.texts)

    def amend(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendDialog)
        dialog.correction_edit.setPlainText("Cheeks: 3 passes, not 2")
        dialog.reason_edit.setPlainText("short")
        dialog.save_button.click()
        assert "at least 10" in dialog.errors["reason"].text()
        dialog.reason_edit.setPlainText("Miscounted during the session")
        dialog.save_button.click()

    dialogs.dialog_scripts.append(amend)
    shown.amend_action.trigger()
    assert shown.record.texts == before  # the original, byte for byte
    assert "Cheeks: 3 passes, not 2" in shown.record.amendment_texts[0]
    assert "Miscounted" in shown.record.amendment_texts[0]


def test_an_adverse_event_is_on_the_chart_header_and_beside_the_next_sessions_settings(
    qtbot: QtBot, sqlite_core: ClinicDesk, services: DeskServices, t: TreatmentClinic,
    dialogs: FakeDialogService, clock: FakeClock,
) -> None:
    view = t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                               password=STAFF_PASSWORD)
    clock.advance(timedelta(days=2))
    charts = ChartWindows(services, t.clinic.practitioner, dialogs, date_format=FORMAT,
                          time_zone="UTC")
    chart = charts.open(t.patient_id)
    qtbot.addWidget(chart)
    assert chart.sessions is not None and chart.adverse_header.isHidden()

    def report(dialog: QDialog) -> None:
        assert isinstance(dialog, AdverseEventDialog)
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("blistering"))
        dialog.severity_box.setCurrentIndex(dialog.severity_box.findData("moderate"))
        dialog.onset_field.set_date(t.today + timedelta(days=1))
        dialog.description_edit.setPlainText("Two small blisters on the left cheek")
        dialog.action_edit.setPlainText("Cooled, non-adherent dressing")
        dialog.save_button.click()

    dialogs.dialog_scripts.append(report)
    chart.sessions.event_action.trigger()
    assert not chart.adverse_header.isHidden()
    assert "Blistering (moderate)" in chart.adverse_header.texts[0]
    # The next session's form shows it beside the settings used then.
    window = SessionWindow(t.sessions, t.clinic.practitioner, dialogs, patient_id=t.patient_id,
                           patient_name="Zoë", date_format=FORMAT, time_zone="UTC",
                           now=lambda: datetime(2026, 12, 2, 10, tzinfo=UTC))
    qtbot.addWidget(window)
    beside = window.form.adverse
    assert not beside.isHidden()
    assert "Blistering" in beside.texts[0] and "Cheeks 1.5 mm, RF level 4" in beside.texts[0]
    assert "LOT-A1" in beside.texts[0]

    def close(dialog: QDialog) -> None:
        assert isinstance(dialog, FollowUpDialog)
        dialog.note_edit.setPlainText("Healed")
        dialog.outcome_edit.setPlainText("Healed without scarring")
        dialog.manufacturer_box.setChecked(True)
        dialog.closes_box.setChecked(True)
        dialog.save_button.click()

    chart.sessions.table.selectRow(chart.sessions.model.row_of(view.session_id))
    dialogs.dialog_scripts.append(close)
    chart.sessions.follow_action.trigger()
    assert chart.adverse_header.isHidden()
    assert "Reported to the manufacturer" in " ".join(chart.sessions.record.texts)


def test_the_session_and_timeline_models_pass_the_model_tester(
    qtbot: QtBot, sqlite_core: ClinicDesk, t: TreatmentClinic, dialogs: FakeDialogService,
    clock: FakeClock, qtmodeltester: object,
) -> None:
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                        password=STAFF_PASSWORD)
    shown = tab(qtbot, sqlite_core, t, dialogs, clock)
    qtmodeltester.check(shown.model)  # type: ignore[attr-defined]
    course = sqlite_core.courses.plan(
        t.clinic.practitioner, t.patient_id,
        sqlite_core.courses.defaults(t.clinic.practitioner, "scars"))
    timeline = TimelineModel(FORMAT, str)
    timeline.set_progression(course.timeline)
    qtmodeltester.check(timeline)  # type: ignore[attr-defined]


def test_reception_sees_who_is_due_or_overdue_and_opens_their_chart(
    qtbot: QtBot, sqlite_core: ClinicDesk, t: TreatmentClinic, clock: FakeClock,
    qtmodeltester: object,
) -> None:
    courses = sqlite_core.courses
    courses.plan(t.clinic.practitioner, t.patient_id,
                 courses.defaults(t.clinic.practitioner, "scars"))
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                        password=STAFF_PASSWORD)
    opened: list[int] = []
    page = DueListPage(lambda who: courses.due_list(who), t.clinic.reception,
                       date_format=FORMAT, open_chart=opened.append)
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.empty  # the next session is not due yet
    clock.advance(timedelta(days=80))
    page.refresh_button.click()
    assert page.model.rowCount() == 1
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert page.model.index(0, DueColumn.STATE).data() == "Next session overdue"
    assert page.model.index(0, DueColumn.PATIENT).data() == "Ångström-Müller, Zoë"
    page.focus_list()
    page.open_row(0)
    assert opened == [t.patient_id]


def test_a_session_is_started_from_the_patients_row(
    qtbot: QtBot, services: DeskServices, t: TreatmentClinic, dialogs: FakeDialogService,
) -> None:
    page = PatientsPage(services, t.clinic.practitioner, dialogs)
    qtbot.addWidget(page)
    page.search("Ångström")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.table.selectRow(0)
    assert page.session_action.isVisible()
    page.session_action.trigger()
    window = dialogs.dialogs_run[-1]
    assert isinstance(window, SessionWindow)
    assert "Zoë" in window.windowTitle()
    chart = page.charts.windows[t.patient_id]
    qtbot.addWidget(chart)
    assert chart.tabs.currentWidget() is chart.sessions
    # Without a consent on file (the desk's own lookup) the form says so and stops.
    assert "No signed consent" in " ".join(window.form.gate.texts)
    assert not window.sign_button.isEnabled()


def test_reception_has_no_record_a_session_action(
    qtbot: QtBot, services: DeskServices, t: TreatmentClinic, dialogs: FakeDialogService,
) -> None:
    page = PatientsPage(services, t.clinic.reception, dialogs)
    qtbot.addWidget(page)
    assert not page.session_action.isVisible()


def test_every_dialog_of_the_sessions_tab_names_its_controls(
    qtbot: QtBot, sqlite_core: ClinicDesk, t: TreatmentClinic, dialogs: FakeDialogService,
    clock: FakeClock,
) -> None:
    t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                        password=STAFF_PASSWORD)
    shown = tab(qtbot, sqlite_core, t, dialogs, clock)
    shown.show()
    assert_named(shown)
    seen: list[QDialog] = []

    def look(dialog: QDialog) -> None:
        dialog.show()
        assert_named(dialog)
        seen.append(dialog)
        dialog.reject()

    dialogs.dialog_scripts += [look, look, look]
    for action in (shown.plan_action, shown.amend_action, shown.event_action):
        action.trigger()
    assert [type(d).__name__ for d in seen] == ["PlanCourseDialog", "AmendDialog",
                                                "AdverseEventDialog"]


def test_in_the_demo_clinic_a_new_user_records_the_next_session_from_the_gui_alone(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    """The real consent lookup and screening: the demo patient signed a consent today."""
    accounts = services.load_demo()
    account = next(a for a in accounts if a.role is Role.PRACTITIONER)
    actor = services.auth.sign_in(account.username, account.password)
    window = MainWindow(services, actor, dialogs, ui_settings)
    qtbot.addWidget(window)
    window.show_area(Area.TODAY)
    window.today_page.refresh()
    due = window.today_page.due  # the Today area's "Due and overdue" part
    overdue = [due.model.entry_at(r) for r in range(due.model.rowCount())]
    assert any(e.progress.state.value == "overdue" for e in overdue)
    patient_id = next(e.patient_id for e in overdue if e.progress.state.value == "overdue")
    due.open_row([e.patient_id for e in overdue].index(patient_id))
    chart = window.patients_page.charts.windows[patient_id]
    qtbot.addWidget(chart)
    before = len(services.sessions.sessions(actor, patient_id))

    def record(dialog: QDialog) -> None:
        assert isinstance(dialog, SessionWindow)
        assert dialog.form.gate.check.can_start, dialog.form.gate.texts
        dialog.form.copy_button.click()
        dialog.form.pain.buttons[2].click()
        dialog.form.run_check()
        assert dialog.sign_button.isEnabled(), dialog.why_label.text()
        dialog.sign_button.click()

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignOffDialog)
        dialog.password_edit.setText(account.password)
        dialog.sign_button.click()

    dialogs.dialog_scripts += [record, sign]
    chart.start_session()
    assert len(services.sessions.sessions(actor, patient_id)) == before + 1
    assert chart.sessions is not None
    assert chart.sessions.banner.text() == "The session was signed off and locked."


def test_a_course_is_changed_and_ended_from_the_tab(
    qtbot: QtBot, sqlite_core: ClinicDesk, t: TreatmentClinic, dialogs: FakeDialogService,
    clock: FakeClock,
) -> None:
    courses = sqlite_core.courses
    courses.plan(t.clinic.practitioner, t.patient_id,
                 courses.defaults(t.clinic.practitioner, "scars"))
    shown = tab(qtbot, sqlite_core, t, dialogs, clock)

    def six_sessions(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanCourseDialog)
        assert not dialog.indication_box.isEnabled()
        dialog.sessions_spin.setValue(6)
        dialog.save_button.click()

    def end(dialog: QDialog) -> None:
        assert isinstance(dialog, EndCourseDialog)
        dialog.save_button.click()
        assert "Write why" in dialog.errors["reason"].text()
        dialog.reason_edit.setPlainText("Moved abroad")
        dialog.save_button.click()

    dialogs.dialog_scripts += [six_sessions, end]
    shown.change_course_action.trigger()
    assert "course of 6 sessions" in shown.course_panel.title.text()
    shown.end_course_action.trigger()
    assert shown.course_panel.isHidden() and not shown.change_course_action.isEnabled()
    assert courses.courses(t.clinic.practitioner, t.patient_id)[0].closed_reason == \
        "Moved abroad"
