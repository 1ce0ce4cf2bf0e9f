"""First start: the clinic profile and first administrator, inline validation, the demo."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.demo_accounts import DemoAccountsDialog
from clinic_desk.ui.first_start import FirstStartDialog
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from tests.gui.fakes import FakeDialogService


def first_start(qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService,
                ui_settings: QSettings) -> tuple[GuiSession, FirstStartDialog]:
    session = GuiSession(services, dialogs, ui_settings)
    session.start()
    dialog = session.window
    assert isinstance(dialog, FirstStartDialog)
    qtbot.addWidget(dialog)
    return session, dialog


def fill_valid(dialog: FirstStartDialog) -> None:
    clinic = dialog.clinic_form
    clinic.name_edit.setText("Clinique Zoë Ångström-Müller")
    clinic.address_edit.setPlainText("3 Place de l'Église\n69002 Lyon\nFrance")
    clinic.phone_edit.setText("+33 4 78 00 00 00")
    clinic.time_zone_combo.set_zone("Europe/Paris")
    admin = dialog.admin_form
    admin.full_name_edit.setText("Zoë Ångström-Müller")
    assert admin.username_edit is not None
    admin.username_edit.setText("zoe")
    assert admin.password_edit is not None and admin.confirm_edit is not None
    admin.password_edit.setText("a-long-password")
    admin.confirm_edit.setText("a-long-password")


def test_create_button_is_disabled_and_says_why(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given a new, empty database
    _, dialog = first_start(qtbot, services, dialogs, ui_settings)
    # Then Create is disabled and its tooltip and the hint say what is missing
    assert not dialog.create_button.isEnabled()
    assert "Enter the clinic's name" in dialog.create_button.toolTip()
    assert "Enter the clinic's name" in dialog.why_label.text()
    # And no error shouts at fields not yet visited
    assert dialog.clinic_form.errors["name"].text() == ""


def test_inline_errors_appear_next_to_each_field(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given a filled-in form
    _, dialog = first_start(qtbot, services, dialogs, ui_settings)
    fill_valid(dialog)
    assert dialog.create_button.isEnabled()
    # When the phone is too short and the passwords differ, and the fields are left
    dialog.clinic_form.phone_edit.setText("12")
    assert dialog.admin_form.confirm_edit is not None
    dialog.admin_form.confirm_edit.setText("something-else")
    dialog.clinic_form.touch_all()
    dialog.admin_form.touch_all()
    dialog.clinic_form.refresh_problems()
    dialog.admin_form.refresh_problems()
    # Then each problem is shown under its own field in plain words
    assert "5 to 20 digits" in dialog.clinic_form.errors["phone"].text()
    assert "not the same" in dialog.admin_form.errors["confirm"].text()
    assert dialog.clinic_form.errors["name"].text() == ""
    assert not dialog.create_button.isEnabled()
    assert dialog.clinic_form.phone_edit.property("invalid") is True


def test_unknown_time_zone_is_refused_inline(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    _, dialog = first_start(qtbot, services, dialogs, ui_settings)
    fill_valid(dialog)
    # When a time zone that does not exist is typed
    dialog.clinic_form.time_zone_combo.setEditText("Mars/Olympus_Mons")
    dialog.clinic_form.touch_all()
    dialog.clinic_form.refresh_problems()
    # Then the time zone field says so
    assert "not a known time zone" in dialog.clinic_form.errors["time_zone"].text()


def test_creating_the_clinic_continues_to_sign_in(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
    sqlite_core: ClinicDesk,
) -> None:
    # Given a valid form
    session, dialog = first_start(qtbot, services, dialogs, ui_settings)
    fill_valid(dialog)
    # When Create is clicked
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    # Then the clinic exists and sign-in follows with the administrator's user name
    assert not sqlite_core.auth.needs_first_start()
    profile = sqlite_core.clinic.profile()
    assert profile is not None and profile.time_zone == "Europe/Paris"
    sign_in = session.window
    assert isinstance(sign_in, SignInDialog)
    qtbot.addWidget(sign_in)
    assert sign_in.username_edit.text() == "zoe"
    assert sign_in.clinic_label.text() == "Clinique Zoë Ångström-Müller"


def test_a_service_validation_error_lands_on_its_field(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a form that passes the local checks but a user name the service refuses
    _, dialog = first_start(qtbot, services, dialogs, ui_settings)
    fill_valid(dialog)
    assert dialog.admin_form.username_edit is not None
    dialog.admin_form.username_edit.setText("Zoë")  # not a–z only
    dialog.create_clinic()
    # Then the problem is shown under the user name
    assert "user name" in dialog.admin_form.errors["username"].text()


def test_demo_button_shows_the_accounts_then_sign_in(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
    sqlite_core: ClinicDesk,
) -> None:
    # Given the first-start dialog, and someone who will read the passwords and go on
    session, dialog = first_start(qtbot, services, dialogs, ui_settings)
    shown: list[str] = []

    def read_and_continue(accounts_dialog: QDialog) -> None:
        assert isinstance(accounts_dialog, DemoAccountsDialog)
        shown.append(accounts_dialog.as_text())
        flags = accounts_dialog.secret_labels[1].textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
        qtbot.mouseClick(accounts_dialog.continue_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(read_and_continue)
    # When "Explore a demo clinic instead" is clicked
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    # Then the generated user names and passwords were shown
    assert len(dialog.demo_accounts) == 3
    admin = dialog.demo_accounts[0]
    assert f"{admin.username} / {admin.password}" in shown[0]
    # And sign-in follows, where the shown password works
    sign_in = session.window
    assert isinstance(sign_in, SignInDialog)
    qtbot.addWidget(sign_in)
    profile = sqlite_core.clinic.profile()
    assert profile is not None and profile.is_demo
    sign_in.password_edit.setText(admin.password)
    qtbot.mouseClick(sign_in.sign_in_button, Qt.MouseButton.LeftButton)
    assert session.main_window is not None
    qtbot.addWidget(session.main_window)


def test_the_demo_button_does_not_first_mark_the_empty_clinic_name(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the first-start dialog in front, the cursor in the (empty) clinic name
    _, dialog = first_start(qtbot, services, dialogs, ui_settings)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    assert dialog.clinic_form.name_edit.hasFocus()
    errors_seen: list[str] = []

    def look_then_continue(accounts_dialog: QDialog) -> None:
        # While the demo clinic is shown, nothing in the form is marked as wrong.
        errors_seen.append(dialog.clinic_form.errors["name"].text())
        accounts_dialog.accept()

    dialogs.dialog_scripts.append(look_then_continue)
    # When "Explore a demo clinic instead" is clicked with the mouse
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    # Then the clinic name was never called missing
    assert errors_seen == [""]
    # (and the button is still reached with Tab)
    assert dialog.demo_button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_escape_on_an_empty_form_quits_at_once(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    session, dialog = first_start(qtbot, services, dialogs, ui_settings)
    with qtbot.waitSignal(session.finished) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert finished.args == [0]
    assert dialogs.confirmations == []


def test_escape_after_typing_asks_before_anything_is_lost(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given half a form typed in
    session, dialog = first_start(qtbot, services, dialogs, ui_settings)
    dialog.clinic_form.name_edit.setText("Clinique Zoë")
    quits: list[int] = []
    session.finished.connect(quits.append)
    # When Escape is pressed and the question is answered "Cancel"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    # Then the form stays, with what was typed
    assert dialogs.confirmations[-1][1] == "Quit"
    assert quits == [] and dialog.isVisible()
    assert dialog.clinic_form.name_edit.text() == "Clinique Zoë"
    # And answering "Quit" does quit
    dialogs.confirm_answers.append(True)
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert quits == [0]
