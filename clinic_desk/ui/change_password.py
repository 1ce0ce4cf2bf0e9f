"""The signed-in person chooses their own password (required after a temporary one)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLayout, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import InlineForm
from clinic_desk.ui.validation import Problems, account_problems, first_problem
from clinic_desk.ui.widgets import FieldError, field_block, label, password_edit, primary_button


class PasswordForm(InlineForm):
    def __init__(self, parent: QWidget | None = None, *, required: bool = False) -> None:
        super().__init__(parent)
        self.current_edit = password_edit()
        self.new_edit = password_edit()
        self.confirm_edit = password_edit()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        current = tr("Temporary password (the one you were given)") if required else tr(
            "Current password")
        column.addWidget(field_block(current, self.current_edit,
                                     self.register("current_password", self.current_edit)))
        column.addWidget(field_block(tr("New password"), self.new_edit,
                                     self.register("new_password", self.new_edit),
                                     tr("At least 8 characters.")))
        column.addWidget(field_block(tr("Type the new password again"), self.confirm_edit,
                                     self.register("confirm", self.confirm_edit)))

    def problems(self) -> Problems:
        problems = account_problems(password=self.new_edit.text(),
                                    confirm=self.confirm_edit.text(),
                                    password_field="new_password")
        if not self.current_edit.text():
            problems["current_password"] = tr("Enter your current password.")
        return problems


class ChangePasswordDialog(QDialog):
    """Accepted with `updated` set once the service has stored the new password."""

    def __init__(
        self, services: DeskServices, actor: SignedInStaff, *, required: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self.updated: SignedInStaff | None = None
        title = tr("Choose your own password") if required else tr("Change my password")
        self.setWindowTitle(title)
        self.form = PasswordForm(required=required)
        self.error = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Sign out") if required else tr("Cancel"))
        self.save_button = primary_button(tr("Save password"))
        self.save_button.setDefault(True)
        root = QVBoxLayout(self)
        # Exactly as big as the content: wrapped text and inline errors never get clipped.
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(12)
        root.addWidget(label(title, "pageTitle"))
        if required:
            root.addWidget(label(tr(
                "{name}, an administrator gave you a temporary password. Choose your own "
                "to continue; only you will know it."
            ).format(name=actor.full_name), "hint"))
        root.addWidget(self.form)
        root.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        root.addLayout(buttons)
        self.form.setMinimumWidth(420)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.form.edited.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        problems = self.form.problems()
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip(
            tr("Not yet: {why}").format(
                why=first_problem(problems, ["current_password", "new_password", "confirm"])
            ) if problems else tr("Save the new password (Enter)")
        )

    def save(self) -> None:
        if self.form.problems():
            self.form.touch_all()
            self.form.refresh_problems()
            return
        try:
            self.updated = self._services.auth.change_own_password(
                self._actor, current_password=self.form.current_edit.text(),
                new_password=self.form.new_edit.text(),
            )
        except ValidationError as exc:
            field = "new_password" if exc.field == "password" else (exc.field or "")
            if not self.form.show_problem(field, str(exc)):
                self.error.show_problem(str(exc))
            return
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            return
        self.accept()
