"""A staff account's fields: full name, user name, role and a new password (twice)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from clinic_desk.domain.roles import ROLE_TITLES, Role
from clinic_desk.domain.staff_rules import MIN_PASSWORD_LENGTH
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import InlineForm
from clinic_desk.ui.validation import Problems, account_problems
from clinic_desk.ui.widgets import field_block, password_edit


def role_title(role: Role) -> str:
    return tr(ROLE_TITLES[role])


def role_combo() -> QComboBox:
    combo = QComboBox()
    for role in (Role.RECEPTION, Role.PRACTITIONER, Role.ADMINISTRATOR):
        combo.addItem(role_title(role), role.value)
    return combo


class AccountForm(InlineForm):
    """Any group of fields can be left out: name, user name, role, password."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        with_name: bool = True,
        with_username: bool = True,
        with_role: bool = False,
        with_password: bool = True,
        password_title: str | None = None,
    ) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        self._with_name = with_name
        self.full_name_edit = QLineEdit()
        self.full_name_edit.setMaxLength(120)
        if with_name:
            column.addWidget(field_block(tr("Full name"), self.full_name_edit,
                                         self.register("full_name", self.full_name_edit),
                                         tr("As it should appear on signed forms.")))
        self.username_edit: QLineEdit | None = None
        if with_username:
            self.username_edit = QLineEdit()
            self.username_edit.setMaxLength(32)
            column.addWidget(field_block(
                tr("User name"), self.username_edit,
                self.register("username", self.username_edit),
                tr("Used to sign in: letters a–z, digits, dots, dashes."),
            ))
        self.role_combo: QComboBox | None = None
        if with_role:
            self.role_combo = role_combo()
            column.addWidget(field_block(tr("Role"), self.role_combo,
                                         self.register("role", self.role_combo)))
        self.password_edit: QLineEdit | None = None
        self.confirm_edit: QLineEdit | None = None
        if with_password:
            self.password_edit = password_edit()
            self.confirm_edit = password_edit()
            column.addWidget(field_block(
                password_title or tr("Password"), self.password_edit,
                self.register("password", self.password_edit),
                tr("At least {count} characters.").format(count=MIN_PASSWORD_LENGTH),
            ))
            column.addWidget(field_block(tr("Type the password again"), self.confirm_edit,
                                         self.register("confirm", self.confirm_edit)))
        column.addStretch(1)

    def focus_order(self) -> list[QWidget]:
        name = self.full_name_edit if self._with_name else None
        widgets: list[QWidget | None] = [name, self.username_edit,
                                         self.role_combo, self.password_edit, self.confirm_edit]
        return [w for w in widgets if w is not None]

    def full_name(self) -> str:
        return self.full_name_edit.text()

    def username(self) -> str:
        return self.username_edit.text() if self.username_edit else ""

    def role(self) -> Role:
        return Role(self.role_combo.currentData()) if self.role_combo else Role.RECEPTION

    def set_role(self, role: Role) -> None:
        if self.role_combo:
            self.role_combo.setCurrentIndex(self.role_combo.findData(role.value))

    def password(self) -> str:
        return self.password_edit.text() if self.password_edit else ""

    def problems(self) -> Problems:
        return account_problems(
            full_name=self.full_name_edit.text() if self._with_name else None,
            username=self.username_edit.text() if self.username_edit else None,
            password=self.password_edit.text() if self.password_edit else None,
            confirm=self.confirm_edit.text() if self.confirm_edit else None,
        )
