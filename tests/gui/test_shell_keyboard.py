"""The shell by keyboard alone: Enter on buttons, shortcuts from wherever the focus is,
menus for every toolbar action, the chart window's keys, focus where work starts."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMenu,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.areas import Area
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.settings.staff_dialogs import StaffDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, register
from tests.helpers.clinic import SeededClinic


def active(qtbot: QtBot, window: QWidget, *, owned: bool = True) -> QWidget:
    if owned:  # a chart is the main window's to close (and deletes itself)
        qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def main_window(qtbot: QtBot, services: DeskServices, actor: SignedInStaff,
                dialogs: FakeDialogService, ui_settings: QSettings) -> MainWindow:
    window = MainWindow(services, actor, dialogs, ui_settings)
    active(qtbot, window)
    return window


def test_enter_presses_the_focused_button_in_any_window(qtbot: QtBot) -> None:
    # Given a plain window (not a dialog, where Qt alone would do it) with two buttons
    window = QWidget()
    first, second = QPushButton("First"), QPushButton("Second")
    column = QVBoxLayout(window)
    column.addWidget(first)
    column.addWidget(second)
    active(qtbot, window)
    pressed: list[str] = []
    first.clicked.connect(lambda: pressed.append("first"))
    second.clicked.connect(lambda: pressed.append("second"))
    # When the second has the focus and Enter, then the keypad's Enter, are pressed
    second.setFocus()
    qtbot.keyClick(second, Qt.Key.Key_Return)
    qtbot.keyClick(second, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    # Then exactly the focused button was pressed, each time
    assert pressed == ["second", "second"]


def test_enter_never_flips_a_toggle_or_presses_a_disabled_button(qtbot: QtBot) -> None:
    # Given a Yes/No style toggle and a disabled button
    window = QWidget()
    toggle, disabled = QPushButton("Yes"), QPushButton("Save")
    toggle.setCheckable(True)
    disabled.setEnabled(False)
    column = QVBoxLayout(window)
    column.addWidget(toggle)
    column.addWidget(disabled)
    active(qtbot, window)
    pressed: list[bool] = []
    disabled.clicked.connect(lambda: pressed.append(True))
    toggle.setFocus()
    # When Enter is pressed on the toggle
    qtbot.keyClick(toggle, Qt.Key.Key_Return)
    # Then the answer is unchanged (Space is the key that answers)
    assert not toggle.isChecked()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert toggle.isChecked()
    qtbot.keyClick(disabled, Qt.Key.Key_Return)
    assert pressed == []


def test_enter_on_a_focused_button_in_the_chart_presses_it(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a patient's chart, opened from the main window, with Edit details focused
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    window = main_window(qtbot, services, seeded.reception, dialogs, ui_settings)
    chart = window.patients_page.charts.open(patient.patient_id)
    active(qtbot, chart, owned=False)
    chart.overview.edit_button.setFocus()
    # When Enter is pressed
    qtbot.keyClick(chart.overview.edit_button, Qt.Key.Key_Return)
    # Then the details dialog was opened, as by a click
    assert [type(d) for d in dialogs.dialogs_run] == [PatientDialog]


def test_ctrl_n_registers_a_patient_from_the_navigation_list_and_any_area(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the administrator on Settings & staff, the focus in the navigation list
    window = main_window(qtbot, services, seeded.admin, dialogs, ui_settings)
    assert window.current_area() == Area.SETTINGS
    window.navigation.setFocus()
    # When Ctrl+N is pressed there
    qtbot.keyClick(window.navigation, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    # Then the registration dialog opened, and the Patients area shows afterwards
    assert [type(d) for d in dialogs.dialogs_run] == [PatientDialog]
    assert window.current_area() == Area.PATIENTS
    # And the Patients menu names the shortcut
    assert window.patients_page.register_action.shortcut() == QKeySequence("Ctrl+N")


def test_every_toolbar_action_is_in_a_menu_or_has_a_shortcut(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the administrator's window, which has every toolbar there is
    window = main_window(qtbot, services, seeded.admin, dialogs, ui_settings)
    in_menus = {a for menu_action in window.menuBar().actions()
                if isinstance(menu := menu_action.menu(), QMenu) for a in menu.actions()}
    toolbars = window.findChildren(QToolBar)
    assert len(toolbars) >= 2
    for toolbar in toolbars:
        for action in toolbar.actions():
            if not action.text():
                continue  # a spacer
            # Then each is in a menu (or has a shortcut), and a shortcut shows in its tooltip
            assert action in in_menus or not action.shortcut().isEmpty(), action.text()
            if not action.shortcut().isEmpty():
                assert action.shortcut().toString(
                    QKeySequence.SequenceFormat.NativeText) in action.toolTip(), action.text()
    names = {a.text() for a in in_menus}
    assert {"Show archived", "Reset password…", "Deactivate…"} <= names


def test_show_archived_by_keyboard_from_another_area(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    window = main_window(qtbot, services, seeded.admin, dialogs, ui_settings)
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.patients_page.showing_archived()
    assert window.current_area() == Area.PATIENTS


def test_staff_menu_actions_show_the_staff_list(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the administrator on Patients, with a staff member selected earlier
    window = main_window(qtbot, services, seeded.admin, dialogs, ui_settings)
    panel = window.settings_page.staff_panel
    assert panel is not None
    panel.table.selectRow(1)
    window.enter_area(Area.PATIENTS)
    # When Staff > Reset password… is chosen (and cancelled)
    panel.reset_action.trigger()
    # Then the dialog opened for the selected person, and the staff list shows
    assert len(dialogs.dialogs_run) == 1 and isinstance(dialogs.dialogs_run[0], StaffDialog)
    assert window.current_area() == Area.SETTINGS
    assert window.settings_page.tabs.currentWidget() is panel


def test_the_chart_answers_find_and_sign_out_and_says_how_it_closes(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a chart window in front of the main window
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    window = main_window(qtbot, services, seeded.reception, dialogs, ui_settings)
    signed_out: list[bool] = []
    window.sign_out_requested.connect(lambda: signed_out.append(True))
    chart = window.patients_page.charts.open(patient.patient_id)
    active(qtbot, chart, owned=False)
    # Then it says on screen that Ctrl+W closes it
    assert chart.close_button.isVisible()
    assert "Ctrl+W" in chart.close_button.text()
    # When Ctrl+F is pressed in the chart
    chart.tabs.setFocus()
    qtbot.keyClick(chart.tabs, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    # Then the main window's patient search has the focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert QApplication.focusWidget() is window.patients_page.search_edit
    # When the sign-out shortcut is pressed in the chart
    with qtbot.waitActive(chart):
        chart.activateWindow()
    qtbot.keyClick(chart.tabs, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    # Then the person is signed out, and no chart is left open
    assert signed_out == [True]
    assert window.patients_page.charts.windows == {} or not chart.isVisible()


def test_entering_patients_puts_the_focus_in_the_search_but_arrows_stay_in_the_list(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the administrator on Settings & staff
    window = main_window(qtbot, services, seeded.admin, dialogs, ui_settings)
    # When Ctrl+2 is pressed
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    # Then the cursor is in the patient search
    assert QApplication.focusWidget() is window.patients_page.search_edit
    # When the navigation list is used with the arrows
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Up)
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    # Then the areas change under the focus, which stays in the list
    assert window.current_area() == Area.PATIENTS
    assert QApplication.focusWidget() is window.navigation
    # And Enter moves into the area
    qtbot.keyClick(window.navigation, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.patients_page.search_edit


def test_no_mnemonic_is_printed_in_the_view_menu(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    window = main_window(qtbot, services, seeded.admin, dialogs, ui_settings)
    settings = window.area_actions[Area.SETTINGS]
    # "&" is Qt's mnemonic marker: the menu must show the "&" itself, underline nothing.
    assert settings.text() == "Settings && staff"
    assert QKeySequence.mnemonic(settings.text()).isEmpty()


def test_dialogs_still_press_their_default_and_focused_buttons(qtbot: QtBot) -> None:
    # Inside a dialog the shell's Enter agrees with Qt's own: the focused button wins.
    dialog = QDialog()
    cancel, save = QPushButton("Cancel"), QPushButton("Save")
    save.setDefault(True)
    column = QVBoxLayout(dialog)
    column.addWidget(cancel)
    column.addWidget(save)
    active(qtbot, dialog)
    pressed: list[str] = []
    cancel.clicked.connect(lambda: pressed.append("cancel"))
    save.clicked.connect(lambda: pressed.append("save"))
    cancel.setFocus()
    qtbot.keyClick(cancel, Qt.Key.Key_Return)
    assert pressed == ["cancel"]


def test_a_focused_control_scrolls_fully_into_view(qtbot: QtBot) -> None:
    # Given a short scroll area holding a long column of fields, inside another one
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QLineEdit, QScrollArea

    outer_content = QWidget()
    outer_column = QVBoxLayout(outer_content)
    inner = QScrollArea()
    inner.setWidgetResizable(True)
    inner.setFixedHeight(150)
    content = QWidget()
    column = QVBoxLayout(content)
    fields = [QLineEdit(f"field {n}") for n in range(20)]
    for field in fields:
        column.addWidget(field)
    inner.setWidget(content)
    outer_column.addSpacing(600)
    outer_column.addWidget(inner)
    outer = QScrollArea()
    outer.setWidgetResizable(True)
    outer.setWidget(outer_content)
    outer.resize(400, 300)
    active(qtbot, outer)
    # When the focus moves (by Tab, or by a shortcut) to a field far below
    fields[15].setFocus(Qt.FocusReason.TabFocusReason)
    # Then both scroll areas moved so that all of the field shows
    qtbot.waitUntil(lambda: fields[15].visibleRegion().boundingRect() == fields[15].rect())
    seen = QRect(fields[15].mapTo(outer, QPoint(0, 0)), fields[15].size())
    assert outer.viewport().geometry().contains(seen)
    assert inner.verticalScrollBar().value() > 0 and outer.verticalScrollBar().value() > 0


def test_escape_keeps_the_demo_passwords_on_screen(qtbot: QtBot) -> None:
    # Given the demo accounts, shown once
    from clinic_desk.domain.roles import Role
    from clinic_desk.services.demo import DemoAccount
    from clinic_desk.ui.demo_accounts import DemoAccountsDialog

    dialog = DemoAccountsDialog([DemoAccount("admin", "Amélie Dubois-Laurent",
                                             Role.ADMINISTRATOR, "demo-x1Y2z3A4")])
    active(qtbot, dialog)
    # When Escape is pressed
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    # Then they are still there; Enter continues
    assert dialog.isVisible() and dialog.result() == 0
    qtbot.keyClick(dialog.continue_button, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
