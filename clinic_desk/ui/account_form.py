"""A staff account's fields: full name, user name, roles and a new password (twice)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from clinic_desk.domain.roles import ROLE_ORDER, ROLE_TITLES, Role, sorted_roles
from clinic_desk.domain.staff_rules import MAX_USERNAME_LENGTH, MIN_PASSWORD_LENGTH
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import HintOrNote, InlineForm, stop_at_limit
from clinic_desk.ui.validation import Problems, account_problems
from clinic_desk.ui.widgets import field_block, password_edit


def role_title(role: Role) -> str:
    return tr(ROLE_TITLES[role])


def roles_title(roles: Iterable[Role]) -> str:
    """"Practitioner, Administrator": every role held, in the fixed order."""
    return ", ".join(role_title(r) for r in sorted_roles(roles))


def role_descriptions() -> dict[Role, str]:
    return {
        Role.RECEPTION: tr("Registers and finds patients, takes the medical history."),
        Role.PRACTITIONER: tr("All of reception's, plus clearing screening findings, "
                              "treatments and consent signing."),
        Role.ADMINISTRATOR: tr("All of reception's, plus staff accounts, the clinic's "
                               "profile and the audit log."),
    }


# How many characters the account's one-line fields hold (the services refuse more, too).
MAX_FULL_NAME = 120
MAX_USERNAME = MAX_USERNAME_LENGTH


class RolesPicker(QWidget):
    """One check box per role: a person may hold several (the owner is often both
    practitioner and administrator), and may do what any of them allows."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Side by side: three short words, and the staff dialog fits a 1024x768 screen.
        column = QHBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        self.boxes: dict[Role, QCheckBox] = {}
        for role, description in role_descriptions().items():
            box = QCheckBox(role_title(role))
            box.setAccessibleName(tr("Role: {role}").format(role=role_title(role)))
            box.setAccessibleDescription(description)
            box.setToolTip(description)
            box.toggled.connect(self.changed)
            self.boxes[role] = box
            column.addWidget(box)
        column.addStretch(1)
        self.setAccessibleName(tr("Roles"))

    def roles(self) -> tuple[Role, ...]:
        return tuple(r for r in ROLE_ORDER if self.boxes[r].isChecked())

    def set_roles(self, roles: Iterable[Role]) -> None:
        held = set(roles)
        for role, box in self.boxes.items():
            box.setChecked(role in held)


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
        # What a field says when a paste stopped at its limit, in its hint's place.
        self.notes: dict[str, HintOrNote] = {}
        if with_name:
            column.addWidget(field_block(tr("Full name"), self.full_name_edit,
                                         self.register("full_name", self.full_name_edit),
                                         self._limited("full_name", self.full_name_edit,
                                                       MAX_FULL_NAME, tr(
                                             "As it should appear on signed forms."))))
        self.username_edit: QLineEdit | None = None
        if with_username:
            self.username_edit = QLineEdit()
            column.addWidget(field_block(
                tr("User name"), self.username_edit,
                self.register("username", self.username_edit),
                self._limited("username", self.username_edit, MAX_USERNAME,
                              tr("Used to sign in: letters a–z, digits, dots, dashes.")),
            ))
        self.roles_picker: RolesPicker | None = None
        if with_role:
            self.roles_picker = RolesPicker()
            self.roles_picker.set_roles([Role.RECEPTION])
            self.roles_picker.changed.connect(self.edited)
            column.addWidget(field_block(
                tr("Roles"), self.roles_picker, self.register("roles", self.roles_picker),
                tr("Tick every role the person has: they may do what any of them allows."),
            ))
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

    def _limited(self, field: str, edit: QLineEdit, limit: int, hint: str) -> HintOrNote:
        note = self.notes[field] = HintOrNote(hint)
        stop_at_limit(edit, limit, note.set_note)
        return note

    def focus_order(self) -> list[QWidget]:
        name = self.full_name_edit if self._with_name else None
        widgets: list[QWidget | None] = [name, self.username_edit,
                                         *self._role_boxes(), self.password_edit,
                                         self.confirm_edit]
        return [w for w in widgets if w is not None]

    def full_name(self) -> str:
        return self.full_name_edit.text()

    def username(self) -> str:
        return self.username_edit.text() if self.username_edit else ""

    def _role_boxes(self) -> list[QWidget]:
        return list(self.roles_picker.boxes.values()) if self.roles_picker else []

    def roles(self) -> tuple[Role, ...]:
        return self.roles_picker.roles() if self.roles_picker else (Role.RECEPTION,)

    def set_roles(self, roles: Iterable[Role]) -> None:
        if self.roles_picker:
            self.roles_picker.set_roles(roles)

    def password(self) -> str:
        return self.password_edit.text() if self.password_edit else ""

    def problems(self) -> Problems:
        problems = account_problems(
            full_name=self.full_name_edit.text() if self._with_name else None,
            username=self.username_edit.text() if self.username_edit else None,
            password=self.password_edit.text() if self.password_edit else None,
            confirm=self.confirm_edit.text() if self.confirm_edit else None,
        )
        if self.roles_picker is not None and not self.roles_picker.roles():
            problems["roles"] = tr("Tick at least one role.")
        return problems
