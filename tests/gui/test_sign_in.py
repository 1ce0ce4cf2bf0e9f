"""Signing in: wrong passwords, locked and inactive accounts, temporary passwords."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.roles import Role
from clinic_desk.ui.change_password import ChangePasswordDialog
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import ADMIN_PASSWORD, STAFF_PASSWORD, SeededClinic


def started(qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService,
            ui_settings: QSettings) -> GuiSession:
    session = GuiSession(services, dialogs, ui_settings)
    session.start()
    assert session.window is not None
    qtbot.addWidget(session.window)
    return session


def sign_in_with(qtbot: QtBot, dialog: SignInDialog, username: str, password: str) -> None:
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_wrong_password_shows_an_error_and_opens_nothing(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the sign-in dialog of a clinic
    session = started(qtbot, services, dialogs, ui_settings)
    dialog = session.window
    assert isinstance(dialog, SignInDialog)
    assert dialog.clinic_label.text() == "Klinika Łódź — Skóra & Zdrowie"
    # When reception types a wrong password
    sign_in_with(qtbot, dialog, "reception", "not-the-password")
    # Then a plain error shows, the password is cleared, focus is back, nothing opened
    assert "not right" in dialog.error_text()
    assert dialog.password_edit.text() == ""
    assert dialog.focusWidget() is dialog.password_edit
    assert session.main_window is None
    assert session.window is dialog and dialog.isVisible()


def test_right_password_opens_the_main_window(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the sign-in dialog
    session = started(qtbot, services, dialogs, ui_settings)
    dialog = session.window
    assert isinstance(dialog, SignInDialog)
    # When the administrator signs in by pressing Enter in the password field
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText(ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    # Then the main window opens and names who is signed in, in which role, and where
    window = session.main_window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.isVisible()
    assert "Zoë Ångström-Müller" in window.user_label.text()
    assert "Administrator" in window.user_label.text()
    assert "SQLite file" in window.database_label.text()


def test_escape_on_sign_in_never_quits(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the sign-in dialog, with a password typed and an error showing
    session = started(qtbot, services, dialogs, ui_settings)
    dialog = session.window
    assert isinstance(dialog, SignInDialog)
    sign_in_with(qtbot, dialog, "reception", "wrong-password")
    dialog.username_edit.setText("reception")
    dialog.password_edit.setText("half-typed")
    finished: list[int] = []
    session.finished.connect(finished.append)
    # When Escape is pressed, in the password field and on the dialog itself
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Escape)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    # Then the application goes on: sign-in stays, only the password and error are cleared
    assert finished == []
    assert session.window is dialog and dialog.isVisible()
    assert dialog.result() == 0 and dialog.signed_in is None
    assert dialog.password_edit.text() == ""
    assert dialog.error_text() == ""
    assert dialog.username_edit.text() == "reception"


def test_quit_on_sign_in_quits_with_ctrl_q_or_the_button(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    session = started(qtbot, services, dialogs, ui_settings)
    dialog = session.window
    assert isinstance(dialog, SignInDialog)
    assert "Ctrl+Q" in dialog.quit_button.toolTip()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    with qtbot.waitSignal(session.finished) as quit_signal:
        qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert quit_signal.args == [0]


def test_locked_account_says_so(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic
) -> None:
    # Given five wrong passwords for reception
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    for _ in range(5):
        sign_in_with(qtbot, dialog, "reception", "wrong-password")
    # When the right password is then used
    sign_in_with(qtbot, dialog, "reception", STAFF_PASSWORD)
    # Then the account is reported locked, and no one is signed in
    assert "locked" in dialog.error_text()
    assert dialog.signed_in is None


def test_inactive_account_says_so(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk
) -> None:
    # Given reception was deactivated by the administrator
    reception = next(s for s in sqlite_core.staff.list_staff(seeded.admin)
                     if s.username == "reception")
    sqlite_core.staff.set_active(seeded.admin, reception.staff_id,
                                 expected_version=reception.version, active=False)
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    # When reception signs in with the right password
    sign_in_with(qtbot, dialog, "reception", STAFF_PASSWORD)
    # Then they are told the account is deactivated
    assert "deactivated" in dialog.error_text()
    assert dialog.signed_in is None


def test_temporary_password_must_be_replaced_before_the_main_window(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a new practitioner with a temporary password
    sqlite_core.staff.add_staff(seeded.admin, username="newbie", full_name="Ana Núñez",
                                roles=[Role.PRACTITIONER], password="temporary-1")
    session = started(qtbot, services, dialogs, ui_settings)
    assert isinstance(session.window, SignInDialog)
    # When they sign in
    sign_in_with(qtbot, session.window, "newbie", "temporary-1")
    # Then they must choose their own password first
    chooser = session.window
    assert isinstance(chooser, ChangePasswordDialog)
    qtbot.addWidget(chooser)
    assert session.main_window is None
    assert not chooser.save_button.isEnabled()
    chooser.form.current_edit.setText("temporary-1")
    chooser.form.new_edit.setText("my-own-secret")
    chooser.form.confirm_edit.setText("my-own-secret")
    qtbot.mouseClick(chooser.save_button, Qt.MouseButton.LeftButton)
    # And then the main window opens, and the new password works
    assert isinstance(session.main_window, MainWindow)
    qtbot.addWidget(session.main_window)
    assert not sqlite_core.auth.sign_in("newbie", "my-own-secret").must_change_password
