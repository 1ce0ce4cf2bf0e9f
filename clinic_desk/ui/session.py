"""One run of the GUI: first start, sign-in, the main window, sign-out and back again.

Each step is a window shown without blocking, so tests drive the whole flow with qtbot;
`finished` carries the exit code when the person quits; `window_shown` names each window
as it comes up (the entry-point test waits on it through `announce_windows`).

At start-up the session may begin before the database is open: `start_waiting` shows the
sign-in window from Qt alone, then `services_ready` (or `start_failed`) follows once the
database has been opened off the UI thread.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QSize, Signal
from PySide6.QtWidgets import QWidget

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sign_in import SignInDialog
from clinic_desk.ui.window_size import fit_to_screen, open_size

# Tall enough to show both cards whole where the screen allows (1440×900 and up).
FIRST_START_SIZE = QSize(1000, 860)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from clinic_desk.services.dto import SignedInStaff
    from clinic_desk.ui.context import DeskServices

    # Imported when first needed: the sign-in window comes up without them (start-up).
    from clinic_desk.ui.idle_lock import IdleLock
    from clinic_desk.ui.main_window import MainWindow


class GuiSession(QObject):
    finished = Signal(int)
    window_shown = Signal(QWidget)

    def __init__(
        self, services: DeskServices | None, dialogs: DialogService, ui_settings: QSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._optional_services = services
        self._exit_code = 0
        self._dialogs = dialogs
        self._ui_settings = ui_settings
        self.window: QWidget | None = None
        self.main_window: MainWindow | None = None
        self.actor: SignedInStaff | None = None
        self.idle_lock: IdleLock | None = None

    @property
    def _services(self) -> DeskServices:
        services = self._optional_services
        if services is None:
            raise RuntimeError("the session's services are not ready yet")
        return services

    def start_waiting(self, clinic_name: str = "", *, is_demo: bool = False) -> None:
        """The sign-in window before the database is open: the clinic's name as this
        workstation last saw it; the person can type while the database opens."""
        self._show(self._sign_in_dialog(
            SignInDialog(None, clinic_name=clinic_name, is_demo=is_demo)))

    def services_ready(self, services: DeskServices, warnings: Sequence[str] = ()) -> None:
        """The database is open: what the person must know first, then the waiting sign-in
        window gets the services (or the first-start window replaces it)."""
        self._optional_services = services
        for warning in warnings:  # loud, but the clinic keeps its data
            self._dialogs.error(self.window, tr("Clinic Desk needs your attention"), warning)
        waiting = self.window
        if not isinstance(waiting, SignInDialog) or waiting.ready:
            self.start()
            return
        try:
            first = services.auth.needs_first_start()
        except ClinicDeskError as exc:
            self.start_failed(message_for(exc))
            return
        if first:
            self.show_first_start()
        else:
            waiting.attach(services)

    def start_failed(self, message: str, code: int = 1) -> None:
        """The database cannot be opened: said in the waiting sign-in window (Quit then
        leaves with `code`), or in a message before leaving if no window is up yet."""
        self._exit_code = code
        waiting = self.window
        if isinstance(waiting, SignInDialog) and not waiting.ready:
            waiting.show_start_problem(message)
            return
        self._dialogs.error(None, tr("Clinic Desk cannot open its database"), message)
        self.finished.emit(code)

    def start(self) -> None:
        try:
            first = self._services.auth.needs_first_start()
        except ClinicDeskError as exc:
            self._dialogs.error(None, tr("Clinic Desk cannot start"), message_for(exc))
            self.finished.emit(1)
            return
        if first:
            self.show_first_start()
        else:
            self.show_sign_in()

    def _show(self, window: QWidget) -> None:
        old = self.window
        self.window = window
        fit_to_screen(window)
        window.show()
        window.raise_()
        window.activateWindow()
        if old is not None and old is not window:
            old.deleteLater()
        self.window_shown.emit(window)

    def show_first_start(self) -> None:
        from clinic_desk.ui.first_start import FirstStartDialog

        dialog = FirstStartDialog(self._services, self._dialogs)
        dialog.accepted.connect(lambda: self.show_sign_in(dialog.username))
        dialog.rejected.connect(lambda: self.finished.emit(0))
        dialog.resize(open_size(dialog, FIRST_START_SIZE))
        self._show(dialog)

    def show_sign_in(self, username: str = "") -> None:
        self._show(self._sign_in_dialog(SignInDialog(self._services, username=username)))

    def _sign_in_dialog(self, dialog: SignInDialog) -> SignInDialog:
        dialog.accepted.connect(lambda: self._signed_in(dialog.signed_in))
        dialog.rejected.connect(lambda: self.finished.emit(self._exit_code))
        return dialog

    def _signed_in(self, actor: SignedInStaff | None) -> None:
        if actor is None:
            return
        self.actor = actor
        if not actor.must_change_password:
            self.open_main_window(actor)
            return
        from clinic_desk.ui.change_password import ChangePasswordDialog

        dialog = ChangePasswordDialog(self._services, actor, required=True)
        dialog.accepted.connect(lambda: self.open_main_window(dialog.updated or actor))
        dialog.rejected.connect(self._back_to_sign_in)
        self._show(dialog)

    def open_main_window(self, actor: SignedInStaff) -> None:
        self.actor = actor
        from clinic_desk.ui.main_window import MainWindow

        window = MainWindow(self._services, actor, self._dialogs, self._ui_settings)
        window.sign_out_requested.connect(self._back_to_sign_in)
        window.quit_requested.connect(self._quit)
        self.main_window = window
        self._show(window)
        self._watch_idle(actor, window)

    def _watch_idle(self, actor: SignedInStaff, window: MainWindow) -> None:
        """Every window locks after this workstation's idle time (or File → Lock)."""
        from clinic_desk.ui.idle_lock import IdleLock, idle_minutes

        lock = IdleLock(self._services.auth, actor, parent=window,
                        idle_minutes=lambda: idle_minutes(self._ui_settings))
        lock.sign_out_requested.connect(self._back_to_sign_in)
        window.lock_requested.connect(lock.lock)
        self.idle_lock = lock

    def _record_sign_out(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.stop()
            self.idle_lock = None
        if self.actor is None:
            return
        # Leaving must never fail; at worst the audit log lacks the sign-out entry.
        with suppress(ClinicDeskError):
            self._services.auth.sign_out(self.actor)
        self.actor = None

    def _back_to_sign_in(self) -> None:
        self._record_sign_out()
        self.main_window = None
        self.show_sign_in()

    def _quit(self) -> None:
        self._record_sign_out()
        self.finished.emit(0)

    def quit(self) -> None:
        """Ends the session as the Quit action does (the system asked: SIGTERM)."""
        self._quit()
