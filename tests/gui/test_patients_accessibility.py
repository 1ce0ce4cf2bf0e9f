"""Every control in the patients area has an accessible name, none alike in one window;
the chart, intake and screening scroll by finger; treatment-room targets are 44 px."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QScroller,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.patients.chart import PatientChartWindow
from clinic_desk.ui.patients.clearance_dialog import ClearanceDialog, RevokeClearanceDialog
from clinic_desk.ui.patients.intake_dialog import IntakeDialog, PatientModeDialog
from clinic_desk.ui.patients.page import PatientsPage
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, clear_answers, register
from tests.helpers.clinic import STAFF_PASSWORD, SeededClinic

TODAY = date(2026, 11, 22)
CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView,
            QAbstractSpinBox, QTabBar)


def accessible_name(widget: QWidget) -> str:
    """The name set for it, else what Qt tells a screen reader (a button's text). On Linux
    Qt reports a combo box's value as its name (its label is a relation), so the name set
    is the one that counts."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return (widget.accessibleName() or interface.text(QAccessible.Text.Name)).strip()


def controls(window: QWidget) -> list[QWidget]:
    """What a person can reach or press: focusable, shown in the window."""
    found: list[QWidget] = [w for w in window.findChildren(QWidget)
             if isinstance(w, CONTROLS) and w.isVisibleTo(window)
             and w.focusPolicy() != Qt.FocusPolicy.NoFocus
             and not w.objectName().startswith("qt_")]
    return found


def assert_named(window: QWidget) -> None:
    names = {w: accessible_name(w) for w in controls(window)}
    unnamed = [type(w).__name__ + ":" + w.objectName() for w, n in names.items() if not n]
    assert unnamed == [], unnamed
    twice = [n for n, count in Counter(names.values()).items() if count > 1]
    assert twice == [], twice


@pytest.fixture
def chart_patient(sqlite_core: ClinicDesk, seeded: SeededClinic) -> int:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    sqlite_core.intake.record(seeded.reception, patient.patient_id, clear_answers(
        sqlite_core, pregnant=True, allergy_metal=True, recent_sun=True,
        other_conditions="Allergic to latex."))
    sqlite_core.screening.clear_finding(
        seeded.practitioner, patient.patient_id, "allergy_metal",
        reason="Titanium cartridge chosen; patient agrees.", password=STAFF_PASSWORD)
    return patient.patient_id


def open_chart(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
               dialogs: FakeDialogService, patient_id: int) -> PatientChartWindow:
    chart = PatientChartWindow(services, seeded.practitioner, dialogs, patient_id=patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw", country="PL")
    qtbot.addWidget(chart)
    chart.show()
    return chart


def test_every_control_of_the_chart_has_its_own_name_on_every_tab(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
    chart_patient: int,
) -> None:
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    for index in range(chart.tabs.count()):
        chart.tabs.setCurrentIndex(index)
        assert_named(chart)
    # the badge is reachable and read as text, with what it is about
    target = chart.badge.focus_target()
    assert target.focusPolicy() == Qt.FocusPolicy.StrongFocus
    interface = QAccessible.queryAccessibleInterface(target)
    assert interface is not None and interface.role() == QAccessible.Role.StaticText
    assert accessible_name(target) == "Screening today: Needs clearance"


def test_the_badge_takes_you_to_the_screening(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
    chart_patient: int,
) -> None:
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    chart.badge.setFocus()
    qtbot.keyClick(chart.badge.focus_target(), Qt.Key.Key_Return)
    assert chart.tabs.currentWidget() is chart.screening


def test_ctrl_tab_switches_chart_sections_from_the_badge(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
    chart_patient: int,
) -> None:
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    chart.activateWindow()
    qtbot.waitUntil(chart.isActiveWindow)
    target = chart.badge.focus_target()
    target.setFocus()
    assert chart.tabs.currentIndex() == 0
    qtbot.keyClick(target, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert chart.tabs.currentIndex() == 1
    assert target.hasFocus()
    back = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(target, Qt.Key.Key_Backtab, back)
    assert chart.tabs.currentIndex() == 0
    # round the start to the last section, as QTabWidget does
    qtbot.keyClick(target, Qt.Key.Key_Backtab, back)
    assert chart.tabs.currentIndex() == chart.tabs.count() - 1


def test_enter_on_a_focused_button_in_the_chart_presses_it(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
    chart_patient: int,
) -> None:
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    chart.activateWindow()
    qtbot.waitUntil(chart.isActiveWindow)
    button = chart.overview.edit_button
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(dialogs.dialogs_run) == 1)
    assert isinstance(dialogs.dialogs_run[0], PatientDialog)


def test_every_dialog_of_the_patients_area_names_its_controls(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService, chart_patient: int,
) -> None:
    page = PatientsPage(services, seeded.reception, dialogs)
    qtbot.addWidget(page)
    page.show()
    assert_named(page)
    record = sqlite_core.patients.get(seeded.reception, chart_patient)
    windows: list[QWidget] = [
        PatientDialog(sqlite_core.patients, seeded.reception, dialogs, today=TODAY,
                      date_format=DateFormat.DAY_MONTH_YEAR_SLASH, country="PL"),
        PatientDialog(sqlite_core.patients, seeded.reception, dialogs, today=TODAY,
                      date_format=DateFormat.DAY_MONTH_YEAR_SLASH, country="PL",
                      record=record),
        IntakeDialog(sqlite_core.intake, seeded.reception, dialogs, patient_id=chart_patient,
                     patient_name="Zoë", date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                     today=TODAY),
    ]
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    card = chart.screening.card_for("pregnancy")
    assert card is not None
    windows.append(ClearanceDialog(
        sqlite_core.screening, seeded.practitioner, patient_id=chart_patient,
        patient_name="Zoë", finding=card.finding, session_date=TODAY, uses_rf=False,
        dialogs=dialogs))
    windows.append(RevokeClearanceDialog(
        sqlite_core.screening, seeded.practitioner, patient_id=chart_patient,
        patient_name="Zoë",
        clearance=sqlite_core.screening.clearances(seeded.practitioner, chart_patient)[0],
        dialogs=dialogs))
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        assert_named(window)
    mode = PatientModeDialog(sqlite_core.intake, seeded.reception, dialogs,
                             patient_id=chart_patient, patient_name="Zoë",
                             date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    qtbot.addWidget(mode)
    mode.show()
    for _ in range(mode.pages.count()):
        assert_named(mode)
        mode.pages.setCurrentIndex(mode.pages.currentIndex() + 1)


def test_the_cold_sore_answers_are_tied_to_their_question(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
    chart_patient: int,
) -> None:
    dialog = IntakeDialog(sqlite_core.intake, seeded.reception, dialogs,
                          patient_id=chart_patient, patient_name="Zoë",
                          date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    qtbot.addWidget(dialog)
    widget = dialog.form.widget_for("cold_sores")
    assert widget is not None
    question = widget.question.text
    for radio in widget.buttons.values():
        assert accessible_name(radio).startswith(question)
        assert radio.accessibleDescription() == question
    assert widget.text_label.buddy() is widget.buttons["never"]


# --- B6: finger scrolling and touch targets ------------------------------------------


def scroll_areas(window: QWidget) -> list[QAbstractScrollArea]:
    return [a for a in window.findChildren(QScrollArea)]


def test_every_scrolling_view_of_the_chart_intake_and_screening_scrolls_by_finger(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService, chart_patient: int,
) -> None:
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    intake = IntakeDialog(sqlite_core.intake, seeded.reception, dialogs,
                          patient_id=chart_patient, patient_name="Zoë",
                          date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    mode = PatientModeDialog(sqlite_core.intake, seeded.reception, dialogs,
                             patient_id=chart_patient, patient_name="Zoë",
                             date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    register_dialog = PatientDialog(sqlite_core.patients, seeded.reception, dialogs,
                                    today=TODAY, date_format=DateFormat.DAY_MONTH_YEAR_SLASH)
    for window in (intake, mode, register_dialog):
        qtbot.addWidget(window)
    areas = [a for w in (chart, intake, mode, register_dialog) for a in scroll_areas(w)]
    assert len(areas) >= 3 + 1 + 7 + 1
    for area in areas:
        viewport = area.viewport()
        assert QScroller.hasScroller(viewport), area
        assert QScroller.grabbedGesture(viewport) != Qt.GestureType(0), area
        # a touch gesture (not the mouse one) makes the view take touch events
        assert viewport.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents), area


def test_the_treatment_room_targets_are_at_least_44_px(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService, chart_patient: int, capsys: pytest.CaptureFixture[str],
) -> None:
    chart = open_chart(qtbot, services, seeded, dialogs, chart_patient)
    chart.resize(1280, 800)
    smallest: dict[str, tuple[int, int]] = {}

    def seen(kind: str, width: int, height: int) -> None:
        old = smallest.get(kind, (width, height))
        smallest[kind] = (min(old[0], width), min(old[1], height))

    for index in range(chart.tabs.count()):
        chart.tabs.setCurrentIndex(index)
        rect = chart.tabs.tabBar().tabRect(index)
        assert rect.height() >= 44 and rect.width() >= 44, index
        seen("chart tabs", rect.width(), rect.height())
        for button in chart.findChildren(QAbstractButton):
            if button.isVisibleTo(chart) and not button.objectName().startswith("qt_"):
                assert button.width() >= 44 and button.height() >= 44, button.text()
                seen("chart buttons", button.width(), button.height())
    field = chart.screening.date_field
    assert field.calendar_button.height() >= 44
    seen("calendar button", field.calendar_button.width(), field.calendar_button.height())
    field.popup.calendar.setSelectedDate(QDate(2026, 11, 22))
    mode = PatientModeDialog(sqlite_core.intake, seeded.reception, dialogs,
                             patient_id=chart_patient, patient_name="Zoë",
                             date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    qtbot.addWidget(mode)
    mode.show()
    for button in mode.findChildren(QAbstractButton):
        if button.isVisibleTo(mode) and not button.objectName().startswith("qt_"):
            assert button.height() >= 44, button.text()
            seen("patient-mode buttons", button.width(), button.height())
    with capsys.disabled():
        print("\n[touch targets] smallest width x height: " + "; ".join(
            f"{kind} {w}x{h}" for kind, (w, h) in smallest.items()))
