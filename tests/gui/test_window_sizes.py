"""Windows open no larger than the screen and stay usable down to 1024×768.

The tests run on the offscreen platform, whatever its own screen: the one function that
reads the screen's available area is pointed at a 1024×768 (or 1440×900) screen, and the
windows are then opened by their real code paths (the session, the real dialog service,
the chart windows), which fit them to that screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QScrollArea,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.roles import Role
from clinic_desk.services.demo import DemoAccount
from clinic_desk.ui import window_size
from clinic_desk.ui.areas import Area
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.demo_accounts import DemoAccountsDialog
from clinic_desk.ui.dialogs import QtDialogService
from clinic_desk.ui.first_start import FirstStartDialog
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import FIRST_START_SIZE, GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from clinic_desk.ui.window_size import fit_to_screen, fitted_size, open_size, room_on
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, register
from tests.helpers.clinic import SeededClinic

SMALL = QRect(0, 0, 1024, 768)
LARGE = QRect(0, 0, 1440, 900)


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> Callable[[QRect], None]:
    """Sets the available area every window is fitted to (1024×768 unless told)."""

    def use(area: QRect) -> None:
        monkeypatch.setattr(window_size, "available_area", lambda _widget: QRect(area))

    use(SMALL)
    return use


def outside_scroll_areas(window: QWidget) -> Iterator[QAbstractButton]:
    """The buttons a person must see without scrolling (those in a scrolling form may
    need a scroll, which the focus does by itself)."""
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window:
            continue
        parent = button.parentWidget()
        while parent is not None and parent is not window and not isinstance(parent,
                                                                               QScrollArea):
            parent = parent.parentWidget()
        if not isinstance(parent, QScrollArea):
            yield button


def assert_usable_on(window: QWidget, area: QRect = SMALL) -> None:
    """No larger than the screen, never squeezed below its minimum, every button whole."""
    QApplication.processEvents()
    room = room_on(area)
    name = window.windowTitle()
    assert window.width() <= room.width() and window.height() <= room.height(), \
        (name, window.size())
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= room.width() and minimum.height() <= room.height(), \
        (name, minimum)
    assert window.width() >= minimum.width() and window.height() >= minimum.height(), name
    buttons = list(outside_scroll_areas(window))
    assert buttons, name
    for button in buttons:
        where = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert window.rect().contains(where), (name, button.text(), where)
        assert button.height() >= 40, (name, button.text(), button.height())
    for toolbar in window.findChildren(QToolBar):
        if toolbar.isVisibleTo(window):
            for action in toolbar.actions():
                shown = toolbar.widgetForAction(action)
                assert shown is not None and shown.isVisible(), (name, action.text())


def opened(qtbot: QtBot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_window_is_made_to_fit_the_area(qtbot: QtBot) -> None:
    # Given a window larger than a 1024×768 screen
    window = QWidget()
    qtbot.addWidget(window)
    window.setMinimumSize(300, 200)
    window.resize(1200, 900)
    # When it is fitted to that screen
    fit_to_screen(window, SMALL)
    # Then it is as large as the screen allows, less room for the window's frame
    assert window.size() == room_on(SMALL) == QSize(1024 - 16, 768 - 40)
    # But a window that fits is left alone
    window.resize(640, 480)
    fit_to_screen(window, SMALL)
    assert window.size() == QSize(640, 480)
    # And never below its minimum
    assert fitted_size(QSize(1200, 900), QSize(300, 200), QRect(0, 0, 200, 150)) == \
        QSize(300, 200)


def test_the_main_window_fits_1024x768_with_show_archived_in_view(
    qtbot: QtBot, screen: Callable[[QRect], None], services: DeskServices,
    seeded: SeededClinic, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a first launch (nothing saved) of each role's main window on a 1024×768 screen
    for actor in (seeded.reception, seeded.admin):
        window = MainWindow(services, actor, dialogs, ui_settings)
        opened(qtbot, window)
        for area in (Area.PATIENTS, Area.SETTINGS):
            window.show_area(area)
            assert_usable_on(window)
        archived = window.patients_page.toolbar.widgetForAction(
            window.patients_page.archived_action)
        window.show_area(Area.PATIENTS)
        assert archived is not None and archived.isVisible()
        # (not closed here: the geometry it would save is the next window's to restore)


def test_the_chart_opens_at_a_sensible_size_on_both_screens(
    qtbot: QtBot, screen: Callable[[QRect], None], services: DeskServices,
    seeded: SeededClinic, sqlite_core: ClinicDesk, dialogs: FakeDialogService,
    ui_settings: QSettings,
) -> None:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    window = MainWindow(services, seeded.reception, dialogs, ui_settings)
    opened(qtbot, window)
    # On 1440×900 the chart opens at its preferred size, not squeezed
    screen(LARGE)
    chart = window.patients_page.charts.open(patient.patient_id)
    qtbot.waitExposed(chart)
    assert chart.size() == QSize(1100, 780)
    chart.close()
    qtbot.waitUntil(lambda: patient.patient_id not in window.patients_page.charts.windows)
    # On 1024×768 it opens within the screen, everything in it usable
    screen(SMALL)
    chart = window.patients_page.charts.open(patient.patient_id)
    qtbot.waitExposed(chart)
    assert_usable_on(chart)
    for tab in range(chart.tabs.count()):
        chart.tabs.setCurrentIndex(tab)
        assert_usable_on(chart)
    window.close()


def run_and_check(dialogs: FakeDialogService, checked: list[str]) -> None:
    """The next dialog is run by the real dialog service (which fits it to the screen and
    shows it modally); once it shows, it is checked and cancelled."""

    def check(dialog: QDialog) -> None:
        def look() -> None:
            try:
                assert_usable_on(dialog)
                checked.append(type(dialog).__name__)
            finally:
                dialog.done(QDialog.DialogCode.Rejected)

        QTimer.singleShot(0, look)
        QtDialogService().run(dialog)

    dialogs.dialog_scripts.append(check)


def test_every_dialog_fits_1024x768(
    qtbot: QtBot, screen: Callable[[QRect], None], services: DeskServices,
    seeded: SeededClinic, sqlite_core: ClinicDesk, dialogs: FakeDialogService,
    ui_settings: QSettings,
) -> None:
    patient = register(sqlite_core, seeded.practitioner, LONG_NAME)
    checked: list[str] = []
    admin = MainWindow(services, seeded.admin, dialogs, ui_settings)
    opened(qtbot, admin)
    panel = admin.settings_page.staff_panel
    assert panel is not None
    panel.table.selectRow(1)
    for action in (panel.add_action, panel.edit_action, panel.reset_action,
                   admin.change_password_action, admin.patients_page.register_action):
        run_and_check(dialogs, checked)
        action.trigger()
    admin.close()
    practitioner = MainWindow(services, seeded.practitioner, dialogs, ui_settings)
    opened(qtbot, practitioner)
    chart = practitioner.patients_page.charts.open(patient.patient_id)
    for take in (chart.edit_details, chart.take_history):
        run_and_check(dialogs, checked)
        take()
    practitioner.close()
    assert checked == ["StaffDialog", "StaffDialog", "StaffDialog", "ChangePasswordDialog",
                       "PatientDialog", "PatientDialog", "IntakeDialog"]


def test_sign_in_and_the_demo_accounts_fit_1024x768(
    qtbot: QtBot, screen: Callable[[QRect], None], services: DeskServices,
    seeded: SeededClinic, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    session = GuiSession(services, dialogs, ui_settings)
    session.start()
    assert isinstance(session.window, SignInDialog)
    qtbot.addWidget(session.window)
    assert_usable_on(session.window)
    demo = DemoAccountsDialog([
        DemoAccount("admin", "Amélie Dubois-Laurent", Role.ADMINISTRATOR, "demo-x1Y2z3A4"),
        DemoAccount("practitioner", "Dr Łucja Wiśniewska", Role.PRACTITIONER, "demo-Qw3rTy7u"),
        DemoAccount("reception", "Jonas Müller", Role.RECEPTION, "demo-Zx9cV8bN"),
    ])
    opened(qtbot, demo)
    assert_usable_on(demo)


def first_start_on(qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService,
                   ui_settings: QSettings) -> FirstStartDialog:
    session = GuiSession(services, dialogs, ui_settings)
    session.start()
    dialog = session.window
    assert isinstance(dialog, FirstStartDialog)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def assert_hints_clear_of_their_fields(form: QWidget) -> None:
    """No caption, hint or field overlaps another: wrapped text once ran over the fields."""
    from PySide6.QtWidgets import QLabel

    parts = [w for w in form.findChildren(QWidget)
             if w.isVisibleTo(form) and (isinstance(w, QLabel) or w.focusPolicy() != 0)
             and (parent := w.parentWidget()) is not None and parent.parentWidget() is form]
    rects = [(w, QRect(w.mapTo(form, QPoint(0, 0)), w.size())) for w in parts]
    for i, (first, a) in enumerate(rects):
        for second, b in rects[i + 1:]:
            assert not a.intersects(b), (type(first).__name__, type(second).__name__, a, b)


def test_first_start_fits_1024x768_and_nothing_in_it_overlaps(
    qtbot: QtBot, screen: Callable[[QRect], None], services: DeskServices,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    dialog = first_start_on(qtbot, services, dialogs, ui_settings)
    assert_usable_on(dialog)
    assert_hints_clear_of_their_fields(dialog.clinic_form)
    # The spin box keeps its arrows and its whole "90 days"
    spin = dialog.clinic_form.intake_days_spin
    text = spin.fontMetrics().horizontalAdvance(spin.text())
    assert spin.width() >= text + 2 * 30, (spin.width(), text)


def test_first_start_opens_at_its_preferred_size_on_a_large_screen(
    qtbot: QtBot, screen: Callable[[QRect], None], services: DeskServices,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    screen(LARGE)
    dialog = first_start_on(qtbot, services, dialogs, ui_settings)
    assert dialog.size() == open_size(dialog, FIRST_START_SIZE, LARGE) == QSize(1000, 860)
    QApplication.processEvents()
    assert dialog.form_scroll.verticalScrollBar().maximum() == 0  # both cards whole
    assert_hints_clear_of_their_fields(dialog.clinic_form)
