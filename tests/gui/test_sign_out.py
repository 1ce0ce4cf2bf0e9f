"""After a sign-out the next person sees nothing of the previous person's work."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.ui.areas import Area
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, register
from tests.helpers.clinic import ADMIN_PASSWORD, STAFF_PASSWORD, SeededClinic


def sign_in(qtbot: QtBot, session: GuiSession, username: str, password: str) -> MainWindow:
    dialog = session.window
    assert isinstance(dialog, SignInDialog)
    qtbot.addWidget(dialog)
    assert dialog.username_edit.text() == ""  # nobody's name is left for the next person
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    window = session.main_window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    return window


def visible_windows(besides: list[QWidget]) -> list[QWidget]:
    """The windows on screen now, other than those some earlier test left behind."""
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in besides]


def test_the_next_person_starts_afresh_on_their_own_home_area(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given reception at work: a search typed, a patient selected, a chart open,
    # a message on screen, the window left on Devices
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    earlier = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    session = GuiSession(services, dialogs, ui_settings)
    session.start()
    first = sign_in(qtbot, session, "reception", STAFF_PASSWORD)
    assert first.current_area() == Area.TODAY
    first.enter_area(Area.PATIENTS)
    assert first.focusWidget() is first.patients_page.search_edit
    page = first.patients_page
    page.search_edit.setText("Ångström")
    page.table.selectRow(0)
    chart = page.charts.open(patient.patient_id)
    assert chart.isVisible()
    first.statusBar().showMessage("Your password was changed.")
    first.show_area(Area.DEVICES)
    # When reception signs out and the administrator signs in on the same workstation
    first.sign_out_action.trigger()
    assert not chart.isVisible() and not first.isVisible()
    assert visible_windows(earlier) == [session.window]
    second = sign_in(qtbot, session, "admin", ADMIN_PASSWORD)
    # Then only the administrator's window shows, on their own home area, with nothing
    # typed, selected or said by the previous person
    assert visible_windows(earlier) == [second]
    assert second is not first
    assert second.current_area() == Area.SETTINGS
    assert second.patients_page.search_edit.text() == ""
    assert second.patients_page.selected_patient_id() is None
    assert second.patients_page.charts.windows == {}
    assert second.statusBar().currentMessage() == ""
    assert "Zoë Ångström-Müller" in second.user_label.text()
