"""Sign-in: the clinic's name, a user name and a password. Enter signs in; Escape only
clears the password (as a lock screen does), it never quits: that is Quit or Ctrl+Q."""

from __future__ import annotations

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
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.account_form import MAX_USERNAME
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import HintOrNote, stop_at_limit
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import FieldError, field_block, icon_label, label, password_edit
from clinic_desk.ui.widgets import primary_button as primary


class SignInDialog(QDialog):
    """Accepted with `signed_in` set; rejected (Quit, Ctrl+Q, closing the window) to leave
    the application."""

    def __init__(
        self, services: DeskServices, *, username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.signed_in: SignedInStaff | None = None
        self.setWindowTitle(tr("Sign in — Clinic Desk"))
        profile = services.clinic.profile()
        clinic_name = profile.name if profile else tr("Clinic Desk")
        self.clinic_label = label(clinic_name, "pageTitle")
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
        if profile and profile.is_demo:
            root.addWidget(label(tr("Demo clinic: made-up data only."), "hint"))
        root.addWidget(label(tr("Sign in to continue."), "hint"))
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

    def sign_in(self) -> None:
        if not self.username_edit.text().strip():
            self.error.show_problem(tr("Enter your user name."))
            self.username_edit.setFocus()
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
