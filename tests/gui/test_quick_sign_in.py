"""Start-up: the sign-in window comes up before the database is open, and the session
makes it whole (or switches to the first start, or says why not) once the database is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from clinic_desk.app import desk_services
from clinic_desk.desktop import Launch, Opening
from clinic_desk.ui.background import run_in_background
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.first_start import FirstStartDialog
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import ADMIN_PASSWORD, FakeClock, SeededClinic, seed_clinic

LONG_NAME = "Zoë Ångström-Müller Ferreira de la Fuente Skin Clinic"


def waiting(qtbot: QtBot, dialogs: FakeDialogService, ui_settings: QSettings,
            name: str = LONG_NAME, *, is_demo: bool = False) -> tuple[GuiSession, SignInDialog]:
    session = GuiSession(None, dialogs, ui_settings)
    session.start_waiting(name, is_demo=is_demo)
    dialog = session.window
    assert isinstance(dialog, SignInDialog)
    qtbot.addWidget(dialog)
    return session, dialog


def test_the_window_shows_the_name_last_seen_and_says_the_database_is_opening(
    qtbot: QtBot, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given a session started before the database is open
    _session, dialog = waiting(qtbot, dialogs, ui_settings, is_demo=True)
    # Then the window is up, with the clinic's name as last seen, and says it is opening
    assert dialog.isVisible()
    assert dialog.clinic_label.text() == LONG_NAME
    assert not dialog.demo_hint.isHidden()
    assert not dialog.ready
    assert "Opening" in dialog.status_hint.text()
    assert dialog.focusWidget() is dialog.username_edit


def test_enter_typed_before_the_database_is_open_signs_in_once_it_is(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given the waiting sign-in window and a name that has changed since last seen
    session, dialog = waiting(qtbot, dialogs, ui_settings, "Old name", is_demo=True)
    # When the administrator types and presses Enter before the database is open
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText(ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    # Then nothing is lost: the window says it will sign in as soon as it can
    assert session.main_window is None
    assert "as soon as" in dialog.status_hint.text()
    assert not dialog.sign_in_button.isEnabled()
    # And when the database is open, the name is corrected and the sign-in goes ahead
    session.services_ready(services)
    assert dialog.clinic_label.text() == "Klinika Łódź — Skóra & Zdrowie"
    assert dialog.demo_hint.isHidden()
    window = session.main_window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert "Zoë Ångström-Müller" in window.user_label.text()


def test_ready_enables_sign_in_and_shows_start_warnings_first(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    session, dialog = waiting(qtbot, dialogs, ui_settings)
    session.services_ready(services, ["The database file can be read by others."])
    assert dialog.ready and dialog.sign_in_button.isEnabled()
    assert session.window is dialog
    assert dialog.status_hint.text() == "Sign in to continue."
    assert dialogs.messages == [
        ("error", "Clinic Desk needs your attention", "The database file can be read by others.")
    ]


def test_a_database_without_a_clinic_switches_to_the_first_start(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given a waiting sign-in window, when the database turns out to hold no clinic
    session, _dialog = waiting(qtbot, dialogs, ui_settings)
    session.services_ready(services)
    # Then the first-start window takes its place
    assert isinstance(session.window, FirstStartDialog)
    qtbot.addWidget(session.window)


def test_a_database_that_cannot_be_opened_is_said_in_the_window_and_quit_exits_1(
    qtbot: QtBot, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given the waiting sign-in window
    session, dialog = waiting(qtbot, dialogs, ui_settings)
    dialog.username_edit.setText("admin")
    # When the database cannot be opened
    session.start_failed("There is no database at /nowhere/clinic.sqlite3.", 1)
    # Then the one line shows in the window, Sign in is off, and Quit leaves with status 1
    assert dialog.error_text() == "There is no database at /nowhere/clinic.sqlite3."
    assert not dialog.sign_in_button.isEnabled()
    assert dialogs.messages == []
    with qtbot.waitSignal(session.finished, timeout=5000) as quit_signal:
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert quit_signal.args == [1]


def test_a_failure_before_any_window_is_a_message_then_the_end(
    qtbot: QtBot, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given a first start expected (no window yet), when opening fails
    session = GuiSession(None, dialogs, ui_settings)
    with qtbot.waitSignal(session.finished, timeout=5000) as ended:
        session.start_failed("“x://” is not a database URL.", 2)
    assert ended.args == [2]
    assert dialogs.messages == [
        ("error", "Clinic Desk cannot open its database", "“x://” is not a database URL.")
    ]


def test_the_database_opened_on_a_pool_thread_serves_the_sign_in_asked_for_early(
    qtbot: QtBot, tmp_path: Path, dialogs: FakeDialogService, ui_settings: QSettings
) -> None:
    # Given a clinic's database, opened the way `clinic-desk` opens it: on a pool thread
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    core = open_core(url, tmp_path / "seed", FakeClock())
    seed_clinic(core)
    core.close()
    opening = Opening(Launch.from_environment(url, {"CLINIC_DESK_DATA_DIR": str(tmp_path)}))
    session, dialog = waiting(qtbot, dialogs, ui_settings, "")
    # When the administrator signs in before it is open
    dialog.username_edit.setText("admin")
    dialog.password_edit.setText(ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    failures: list[BaseException] = []
    try:
        run_in_background(
            opening.started().open,
            on_success=lambda opened: session.services_ready(desk_services(opened)),
            on_failure=failures.append, parent=session)
        # Then, once the database is open, the main window opens on the UI thread
        qtbot.waitUntil(lambda: session.main_window is not None or bool(failures),
                        timeout=60_000)
        assert failures == []
        assert isinstance(session.main_window, MainWindow)
        qtbot.addWidget(session.main_window)
        assert "Zoë Ångström-Müller" in session.main_window.user_label.text()
    finally:
        QThreadPool.globalInstance().waitForDone()
        opening.close()
