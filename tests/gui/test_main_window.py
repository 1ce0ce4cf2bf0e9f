"""The main window: areas and their shortcuts, menus, status bar, geometry, sign-out."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from clinic_desk import __version__
from clinic_desk.app import ClinicDesk
from clinic_desk.ui.areas import Area
from clinic_desk.ui.change_password import ChangePasswordDialog
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.empty_state import EmptyStatePage
from clinic_desk.ui.main_window import GEOMETRY_KEY, NAV_ROW_HEIGHT, MainWindow
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import ADMIN_PASSWORD, SeededClinic


def open_window(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
                dialogs: FakeDialogService, ui_settings: QSettings) -> MainWindow:
    window = MainWindow(services, seeded.admin, dialogs, ui_settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def test_shortcuts_switch_areas(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the administrator's main window, on their home area
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    assert window.current_area() == Area.SETTINGS
    # When Ctrl+2 and then Ctrl+5 are pressed
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    # Then Patients and then Settings & staff show, with the navigation following
    assert window.current_area() == Area.PATIENTS
    assert window.navigation.currentRow() == Area.PATIENTS
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == Area.SETTINGS
    assert window.pages.currentWidget() is window.settings_page


def test_menus_and_tooltips_show_the_shortcuts(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    assert window.sign_out_action.shortcut() == QKeySequence("Ctrl+Shift+L")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    shortcuts = [window.area_actions[a].shortcut().toString() for a in Area]
    assert shortcuts == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"]
    item = window.navigation.item(Area.CONSENT_FORMS)
    assert item.text() == "Consent forms"
    assert "Ctrl+3" in item.toolTip()
    # Large enough targets for the treatment room
    assert window.navigation.visualItemRect(item).height() >= 44
    assert item.sizeHint().height() == NAV_ROW_HEIGHT


def test_every_area_is_built(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    assert window.pages.widget(Area.CONSENT_FORMS) is window.consents_page
    assert window.pages.widget(Area.DEVICES) is window.devices_page
    assert window.pages.widget(Area.TODAY) is window.today_page
    for area in Area:
        assert not isinstance(window.pages.widget(area), EmptyStatePage)


def test_geometry_is_saved_and_restored(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a window resized, moved and left on Devices
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    assert window.current_area() == Area.SETTINGS
    # (within the offscreen platform's 800×600 screen, which restoring clamps to)
    window.resize(window.minimumSizeHint().width(), 560)
    window.move(QPoint(0, 10))
    window.show_area(Area.DEVICES)
    saved_size = window.size()
    # When it is closed
    window.close()
    # Then its geometry is in the injected settings, and a new window comes back the same
    assert isinstance(ui_settings.value(GEOMETRY_KEY), QByteArray)
    again = MainWindow(services, seeded.reception, dialogs, ui_settings)
    qtbot.addWidget(again)
    assert again.size() == saved_size
    assert again.height() == 560
    # but on the next person's own home area (reception's is Today), not on the
    # previous person's page
    assert again.current_area() == Area.TODAY


def test_sign_out_records_it_and_returns_to_sign_in(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the administrator signed in through the session
    session = GuiSession(services, dialogs, ui_settings)
    session.start()
    assert isinstance(session.window, SignInDialog)
    qtbot.addWidget(session.window)
    session.window.username_edit.setText("admin")
    session.window.password_edit.setText(ADMIN_PASSWORD)
    session.window.sign_in()
    window = session.main_window
    assert window is not None
    # When File > Sign out is chosen
    window.sign_out_action.trigger()
    # Then the window is gone, sign-in is back, and the audit log has the sign-out
    assert session.main_window is None
    assert not window.isVisible()
    assert isinstance(session.window, SignInDialog)
    qtbot.addWidget(session.window)
    with sqlite_core.units() as uow:
        assert uow.audit.recent(1)[0].action == "staff.sign_out"


def test_quit_signs_out_and_finishes(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    session = GuiSession(services, dialogs, ui_settings)
    session.open_main_window(seeded.admin)
    assert session.main_window is not None
    qtbot.addWidget(session.main_window)
    with qtbot.waitSignal(session.finished) as finished:
        session.main_window.quit_action.trigger()
    assert finished.args == [0]


def test_about_names_the_version(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    window.about_action.trigger()
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("inform", "About Clinic Desk")
    assert __version__ in text
    # What this version has, each in words, and nothing it does not have.
    for part in ("medical history", "consent forms", "devices and treatment sessions",
                 "aftercare and pre-care sheets", "appointment book", "audit log"):
        assert part in text, part
    for not_yet in ("photograph", "invoice", "stock"):
        assert not_yet not in text.lower(), not_yet


def test_change_my_password_from_the_file_menu(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the main window, and someone who types a wrong current password first
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    errors: list[str] = []

    def change(dialog: object) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        dialog.form.current_edit.setText("not-my-password")
        dialog.form.new_edit.setText("brand-new-pass")
        dialog.form.confirm_edit.setText("brand-new-pass")
        dialog.save()
        errors.append(dialog.form.errors["current_password"].text())
        dialog.form.current_edit.setText(ADMIN_PASSWORD)
        dialog.save()

    dialogs.dialog_scripts.append(change)
    # When File > Change my password… is used
    window.change_password_action.trigger()
    # Then the wrong password was explained inline, and the new one works
    assert "not right" in errors[0]
    assert sqlite_core.auth.sign_in("admin", "brand-new-pass").username == "admin"
    # And the message stays on screen until the person moves on to another area
    window.change_feed.poll_now()
    assert window.statusBar().currentMessage() == "Your password was changed."
    window.enter_area(Area.PATIENTS)
    assert window.statusBar().currentMessage() == ""


def test_sign_in_tab_order_is_user_name_password_sign_in(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic
) -> None:
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.username_edit.nextInFocusChain() is dialog.password_edit
    assert dialog.password_edit.nextInFocusChain() is dialog.sign_in_button
    assert dialog.sign_in_button.isDefault()
