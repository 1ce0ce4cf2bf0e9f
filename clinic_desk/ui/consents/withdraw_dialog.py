"""Withdrawing a consent: a new record, linked to the signed one, which stays as it was."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.consent_model import form_words
from clinic_desk.ui.consents.port import ConsentDesk, ConsentRow
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import FieldError, label, password_edit

MIN_REASON = 3
MAX_REASON = 500


class WithdrawDialog(QDialog):
    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, row: ConsentRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.row = row
        self.withdrawn: ConsentRow | None = None
        self.setWindowTitle(tr("Withdraw consent no. {number}").format(number=row.consent_id))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName(tr("Why the consent is withdrawn"))
        self.reason_edit.setPlaceholderText(tr("In the patient's words, if they gave a reason"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(96)
        self.error = FieldError().watch(self.reason_edit)
        self.password_edit = password_edit()
        self.password_edit.setAccessibleName(tr("Your password"))
        self.password_edit.setMinimumHeight(44)
        self.password_error = FieldError().watch(self.password_edit)
        self.problem = FieldError()
        buttons = QDialogButtonBox()
        self.withdraw_button = buttons.addButton(tr("Withdraw consent"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.withdraw_button.setIcon(icon("undo-2", Tone.DANGER))
        self.withdraw_button.setAccessibleName(tr("Withdraw consent"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))
        for button in (self.withdraw_button, cancel):
            button.setMinimumHeight(44)
        column = QVBoxLayout(self)
        column.setSpacing(10)
        column.addWidget(label(tr(
            "{name} withdraws their consent to {form}, signed {when}. The signed record stays "
            "exactly as it was; the withdrawal is a new record linked to it, and no treatment "
            "is given on it from now on.").format(
                name=row.patient_name, form=form_words(row),
                when=row.signed_at_utc.date().isoformat() if row.signed_at_utc else "—")))
        column.addWidget(label(tr("Reason")))
        column.addWidget(self.reason_edit)
        column.addWidget(self.error)
        column.addWidget(label(tr("Your password, to confirm ({name})").format(
            name=actor.full_name)))
        column.addWidget(self.password_edit)
        column.addWidget(self.password_error)
        column.addWidget(self.problem)
        column.addWidget(buttons)
        self.withdraw_button.clicked.connect(self.withdraw)
        cancel.clicked.connect(self.reject)
        self.reason_edit.textChanged.connect(self.error.clear)
        self.password_edit.textChanged.connect(self.password_error.clear)
        self.setMinimumWidth(520)

    def reason(self) -> str:
        return " ".join(self.reason_edit.toPlainText().split())

    def withdraw(self) -> None:
        reason = self.reason()
        if len(reason) < MIN_REASON:
            self.error.show_problem(tr("Write why, in a few words."))
            return
        if len(reason) > MAX_REASON:
            self.error.show_problem(tr("Keep the reason under {count} characters.")
                                    .format(count=MAX_REASON))
            return
        password = self.password_edit.text()
        if not password:
            self.password_error.show_problem(tr("Enter your password to confirm."))
            return
        try:
            self.withdrawn = self._desk.withdraw(self._actor, self.row.consent_id, reason,
                                                 password)
        except ClinicDeskError as exc:
            self.password_edit.clear()
            self.problem.show_problem(message_for(exc))
            return
        self.accept()
