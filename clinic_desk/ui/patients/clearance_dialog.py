"""A practitioner clears one "needs clearance" finding: a written reason and their password."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.screening import Finding, ScreeningResult
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import ClearanceView
from clinic_desk.services.screening import MIN_CLEARANCE_REASON, ScreeningService
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.unsaved import may_discard
from clinic_desk.ui.widgets import FieldError, field_block, label, password_edit, primary_button


class ClearanceDialog(QDialog):
    """Accepted with `result` (the screening after the clearance)."""

    def __init__(self, screening: ScreeningService, actor: SignedInStaff, *, patient_id: int,
                 patient_name: str, finding: Finding, session_date: date, uses_rf: bool,
                 dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._screening = screening
        self._actor = actor
        self._patient_id = patient_id
        self._finding = finding
        self._session_date = session_date
        self._uses_rf = uses_rf
        self.result_screening: ScreeningResult | None = None
        self.setWindowTitle(tr("Clear a finding"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(110)
        self.reason_edit.setPlaceholderText(tr(
            "For example: spoke with her GP on 20/11; INR stable, low-risk to treat."))
        self.password_edit = password_edit()
        self.reason_error = FieldError().watch(self.reason_edit)
        self.password_error = FieldError().watch(self.password_edit)
        self.error = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Cancel"))
        self.clear_button = primary_button(tr("Clear finding"), "badge-check")
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(12)
        root.addWidget(label(tr("Clear “{title}”").format(title=finding.title), "pageTitle"))
        root.addWidget(label(tr("For {name}. {reason}").format(
            name=patient_name, reason=finding.reason), "hint"))
        root.addWidget(field_block(
            tr("Why it is safe to treat"), self.reason_edit, self.reason_error,
            tr("Written into the patient's record with your name. At least {count} "
               "characters.").format(count=MIN_CLEARANCE_REASON)))
        root.addWidget(field_block(
            tr("Your password, {name}").format(name=actor.full_name), self.password_edit,
            self.password_error, tr("You sign the clearance by entering it again.")))
        root.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.clear_button)
        root.addLayout(buttons)
        for widget in (self.reason_edit, self.password_edit):
            widget.setMinimumWidth(480)
        self.reason_edit.textChanged.connect(self._refresh)
        self.password_edit.textChanged.connect(self._refresh)
        self.cancel_button.clicked.connect(self.reject)
        self.clear_button.clicked.connect(self.submit)
        self.clear_button.setDefault(True)
        self._refresh()

    def discard_unsaved(self) -> None:
        """Close without asking (the person signed out)."""
        super().reject()

    def reject(self) -> None:
        """Cancel, Escape and closing the window: ask before throwing a reason away."""
        if self.reason_edit.toPlainText().strip() and not may_discard(
            self._dialogs, self, tr("The reason you wrote is not saved yet.")
        ):
            return
        super().reject()

    def reason(self) -> str:
        return " ".join(self.reason_edit.toPlainText().split())

    def _problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if len(self.reason()) < MIN_CLEARANCE_REASON:
            problems["reason"] = tr("Write why it is safe to treat (at least {count} "
                                    "characters).").format(count=MIN_CLEARANCE_REASON)
        if not self.password_edit.text():
            problems["password"] = tr("Enter your password to sign the clearance.")
        return problems

    def _refresh(self) -> None:
        problems = self._problems()
        self.clear_button.setEnabled(not problems)
        self.clear_button.setToolTip(
            tr("Not yet: {why}").format(why=next(iter(problems.values())))
            if problems else tr("Record the clearance, signed by you"))
        for field, error in (("reason", self.reason_error), ("password", self.password_error)):
            if error.text() and field not in problems:
                error.clear()

    def submit(self) -> None:
        self.error.clear()
        problems = self._problems()
        for field, error in (("reason", self.reason_error), ("password", self.password_error)):
            error.show_problem(problems.get(field, ""))
        if problems:
            return
        try:
            self.result_screening = self._screening.clear_finding(
                self._actor, self._patient_id, self._finding.rule_id, reason=self.reason(),
                password=self.password_edit.text(), session_date=self._session_date,
                uses_rf=self._uses_rf)
        except ValidationError as exc:
            target = {"reason": self.reason_error, "password": self.password_error}.get(
                exc.field or "", self.error)
            target.show_problem(str(exc))
            if exc.field == "password":
                self.password_edit.selectAll()
                self.password_edit.setFocus()
            return
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            return
        self.accept()


class RevokeClearanceDialog(QDialog):
    """A practitioner withdraws a clearance: a written reason. The clearance stays on record
    with the withdrawal beside it. No default button: Enter never withdraws by accident."""

    def __init__(self, screening: ScreeningService, actor: SignedInStaff, *, patient_id: int,
                 patient_name: str, clearance: ClearanceView, dialogs: DialogService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._screening = screening
        self._actor = actor
        self._patient_id = patient_id
        self._clearance = clearance
        self.revoked = False
        self.setWindowTitle(tr("Withdraw a clearance"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(110)
        self.reason_edit.setMinimumWidth(480)
        self.reason_edit.setPlaceholderText(tr(
            "For example: her GP advises waiting until the new medicine is settled."))
        self.reason_error = FieldError().watch(self.reason_edit)
        self.error = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Keep the clearance"))
        self.revoke_button = primary_button(tr("Withdraw clearance"), "x")
        for button in (self.cancel_button, self.revoke_button):
            button.setAutoDefault(False)
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(12)
        root.addWidget(label(tr("Withdraw the clearance of “{title}”").format(
            title=clearance.title), "pageTitle"))
        root.addWidget(label(tr("For {name}. Cleared by {who}: {reason}").format(
            name=patient_name, who=clearance.cleared_by, reason=clearance.reason), "hint"))
        root.addWidget(field_block(
            tr("Why it is withdrawn"), self.reason_edit, self.reason_error,
            tr("Written into the patient's record with your name. The clearance stays on "
               "record; the screening no longer counts it. At least {count} characters.")
            .format(count=MIN_CLEARANCE_REASON)))
        root.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.revoke_button)
        root.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.revoke_button.clicked.connect(self.submit)
        self.reason_edit.setFocus()

    def discard_unsaved(self) -> None:
        """Close without asking (the person signed out)."""
        super().reject()

    def reject(self) -> None:
        """Cancel, Escape and closing the window: ask before throwing a reason away."""
        if self.reason_edit.toPlainText().strip() and not may_discard(
            self._dialogs, self, tr("The reason you wrote is not saved yet.")
        ):
            return
        super().reject()

    def submit(self) -> None:
        self.error.clear()
        self.reason_error.clear()
        try:
            self._screening.revoke_clearance(
                self._actor, self._patient_id, self._clearance.clearance_id,
                reason=self.reason_edit.toPlainText())
        except ValidationError as exc:
            (self.reason_error if exc.field == "reason" else self.error).show_problem(str(exc))
            return
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            return
        self.revoked = True
        self.accept()
