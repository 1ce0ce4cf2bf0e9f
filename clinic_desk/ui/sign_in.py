"""Sign-in: the clinic's name, a user name and a password. Enter signs in; Escape only
clears the password (as a lock screen does), it never quits: that is Quit or Ctrl+Q.

At start-up the window comes up before the database is open (`waiting`), with the clinic's
name as this workstation last saw it; `attach` gives it the services once they are ready
(a sign-in asked for meanwhile goes ahead then), `show_start_problem` says why they never
will be. Nothing here imports SQLAlchemy or the services: that is what makes it quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.staff_rules import MAX_USERNAME_LENGTH as MAX_USERNAME
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.field_limits import HintOrNote, stop_at_limit
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import FieldError, field_block, icon_label, label, password_edit
from clinic_desk.ui.widgets import primary_button as primary

if TYPE_CHECKING:
    from clinic_desk.services.dto import SignedInStaff
    from clinic_desk.ui.context import DeskServices


class SignInDialog(QDialog):
    """Accepted with `signed_in` set; rejected (Quit, Ctrl+Q, closing the window) to leave
    the application."""

    def __init__(
        self, services: DeskServices | None, *, username: str = "",
        clinic_name: str = "", is_demo: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._sign_in_asked = False
        self.signed_in: SignedInStaff | None = None
        self.setWindowTitle(tr("Sign in — Clinic Desk"))
        if services is not None:
            profile = services.clinic.profile()
            clinic_name = profile.name if profile else ""
            is_demo = bool(profile and profile.is_demo)
        self.clinic_label = label(clinic_name or tr("Clinic Desk"), "pageTitle")
        self.demo_hint = label(tr("Demo clinic: made-up data only."), "hint")
        self.demo_hint.setVisible(is_demo)
        self.username_edit = QLineEdit(username)
        # Room kept for a note, so that a cut paste says so without moving anything.
        self.username_note = HintOrNote()
        stop_at_limit(self.username_edit, MAX_USERNAME, self.username_note.set_note)
        self.password_edit = password_edit()
        self.error = FieldError(object_name="formError")
        self.quit_button = QPushButton(tr("Quit"))
        self.quit_button.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_button.setToolTip(tr("Close Clinic Desk ({shortcut})").format(
            shortcut=QKeySequence("Ctrl+Q").toString(QKeySequence.SequenceFormat.NativeText)))
        self.sign_in_button = primary(tr("Sign in"), "log-in")
        self.sign_in_button.setToolTip(tr("Sign in (Enter)"))
        self.sign_in_button.setDefault(True)

        root = QVBoxLayout(self)
        # Exactly as big as the content: wrapped text and inline errors never get clipped.
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(32, 28, 32, 24)
        root.setSpacing(12)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(icon_label("building-2", Tone.ACCENT, 32), 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.clinic_label, 1)
        root.addLayout(heading)
        root.addWidget(self.demo_hint)
        # While the database opens, this line says so (same place, no layout jump).
        self.status_hint = label(
            tr("Sign in to continue.") if services is not None
            else tr("Opening the clinic's database… You can type meanwhile."), "hint")
        self.status_hint.setAccessibleName(tr("Sign-in status"))
        root.addWidget(self.status_hint)
        root.addWidget(field_block(tr("User name"), self.username_edit, FieldError(),
                                   self.username_note))
        root.addWidget(field_block(tr("Password"), self.password_edit, FieldError()))
        root.addWidget(self.error)
        root.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.sign_in_button)
        root.addLayout(buttons)
        QWidget.setTabOrder(self.username_edit, self.password_edit)
        QWidget.setTabOrder(self.password_edit, self.sign_in_button)
        QWidget.setTabOrder(self.sign_in_button, self.quit_button)

        self.quit_button.clicked.connect(self.reject)
        self.sign_in_button.clicked.connect(self.sign_in)
        (self.password_edit if username else self.username_edit).setFocus()
        self.username_edit.setMinimumWidth(400)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A dialog's Escape would reject it, and rejecting sign-in quits the application.
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.password_edit.clear()
            self.error.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def error_text(self) -> str:
        return self.error.text()

    @property
    def ready(self) -> bool:
        return self._services is not None

    def attach(self, services: DeskServices) -> None:
        """The database is open: the clinic's name as it is now, and a sign-in the person
        already asked for goes ahead."""
        self._services = services
        profile = services.clinic.profile()
        if profile is not None:
            self.clinic_label.setText(profile.name)
        self.demo_hint.setVisible(bool(profile and profile.is_demo))
        self.sign_in_button.setEnabled(True)
        self.status_hint.setText(tr("Sign in to continue."))
        if self._sign_in_asked:
            self._sign_in_asked = False
            self.sign_in()

    def show_start_problem(self, message: str) -> None:
        """The database cannot be opened: say why in one line; only Quit is left."""
        self._sign_in_asked = False
        self.sign_in_button.setEnabled(False)
        self.status_hint.setText(tr("Clinic Desk cannot open its database."))
        self.error.show_problem(message)
        self.quit_button.setFocus()

    def sign_in(self) -> None:
        if not self.username_edit.text().strip():
            self.error.show_problem(tr("Enter your user name."))
            self.username_edit.setFocus()
            return
        if self._services is None:  # still opening: signs in as soon as it is open
            self._sign_in_asked = True
            self.sign_in_button.setEnabled(False)
            self.status_hint.setText(tr("Signing in as soon as the database is open…"))
            return
        try:
            staff = self._services.auth.sign_in(
                self.username_edit.text(), self.password_edit.text()
            )
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.error.clear()
        self.signed_in = staff
        self.accept()
