"""Add a staff member, edit their name and role, reset their password."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, ValidationError
from clinic_desk.services.dto import SignedInStaff, StaffSummary
from clinic_desk.services.staff import StaffService
from clinic_desk.ui.account_form import AccountForm
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.unsaved import may_discard
from clinic_desk.ui.validation import first_problem
from clinic_desk.ui.widgets import FieldError, label, primary_button

FIELD_ORDER = ["full_name", "username", "role", "password", "confirm"]


class StaffDialog(QDialog):
    """Accepted with `saved` set; closed with `stale` set if another workstation changed
    the account first (the page then offers a reload)."""

    def __init__(
        self,
        *,
        title: str,
        intro: str,
        form: AccountForm,
        save_label: str,
        save: Callable[[StaffDialog], StaffSummary],
        dialogs: DialogService,
        extra: QCheckBox | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = form
        self.extra = extra
        self._dialogs = dialogs
        self._save = save
        self.saved: StaffSummary | None = None
        self.stale = False
        self.error = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Cancel"))
        self.save_button = primary_button(save_label)
        self.save_button.setDefault(True)
        root = QVBoxLayout(self)
        # Exactly as big as the content: wrapped text and inline errors never get clipped.
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(12)
        root.addWidget(label(title, "pageTitle"))
        if intro:
            root.addWidget(label(intro, "hint"))
        root.addWidget(form)
        if extra is not None:
            root.addWidget(extra)
        root.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        root.addLayout(buttons)
        form.setMinimumWidth(420)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.submit)
        form.edited.connect(self._refresh)
        self._refresh()
        self._as_opened = self._typed()

    def _typed(self) -> tuple[object, ...]:
        form, extra = self.form, self.extra
        return (form.full_name(), form.username(), form.roles(), form.password(),
                form.confirm_edit.text() if form.confirm_edit else "",
                extra.isChecked() if extra is not None else None)

    def has_changes(self) -> bool:
        """Something typed or ticked that Cancel would throw away."""
        return self._typed() != self._as_opened

    def discard_unsaved(self) -> None:
        """Close without asking (the person signed out)."""
        super().reject()

    def reject(self) -> None:
        """Cancel, Escape and closing the window: ask before throwing typing away."""
        if self.has_changes() and not may_discard(
            self._dialogs, self, tr("Nothing here is saved yet; what you typed will be lost.")
        ):
            return
        super().reject()

    def _refresh(self) -> None:
        problems = self.form.problems()
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip(
            tr("Not yet: {why}").format(why=first_problem(problems, FIELD_ORDER))
            if problems else tr("Save (Enter)")
        )

    def submit(self) -> None:
        self.error.clear()
        if self.form.problems():
            self.form.touch_all()
            self.form.refresh_problems()
            return
        try:
            self.saved = self._save(self)
        except ValidationError as exc:
            if not self.form.show_problem(exc.field or "", str(exc)):
                self.error.show_problem(str(exc))
            return
        except ConcurrentEditError:
            self.stale = True
            super().reject()  # the page offers a reload; nothing here can be saved now
            return
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            return
        self.accept()


def add_staff_dialog(
    staff: StaffService, actor: SignedInStaff, dialogs: DialogService,
    parent: QWidget | None = None,
) -> StaffDialog:
    form = AccountForm(with_role=True, password_title=tr("Temporary password"))
    temporary = QCheckBox(tr("They choose their own password when they first sign in"))
    temporary.setChecked(True)

    def save(dialog: StaffDialog) -> StaffSummary:
        return staff.add_staff(
            actor, username=form.username(), full_name=form.full_name(), roles=form.roles(),
            password=form.password(), temporary=temporary.isChecked(),
        )

    return StaffDialog(
        title=tr("Add staff"),
        intro=tr("Give the new person their user name and temporary password in person."),
        form=form, save_label=tr("Add staff"), save=save, dialogs=dialogs, extra=temporary,
        parent=parent,
    )


def edit_staff_dialog(
    staff: StaffService, actor: SignedInStaff, member: StaffSummary, dialogs: DialogService,
    parent: QWidget | None = None,
) -> StaffDialog:
    form = AccountForm(with_username=False, with_role=True, with_password=False)
    form.full_name_edit.setText(member.full_name)
    form.set_roles(member.roles)

    def save(dialog: StaffDialog) -> StaffSummary:
        return staff.change_details(
            actor, member.staff_id, expected_version=member.version,
            full_name=form.full_name(), roles=form.roles(),
        )

    return StaffDialog(
        title=tr("Edit staff member"),
        intro=tr("User name: {username}. User names cannot be changed.").format(
            username=member.username),
        form=form, save_label=tr("Save changes"), save=save, dialogs=dialogs, parent=parent,
    )


def reset_password_dialog(
    staff: StaffService, actor: SignedInStaff, member: StaffSummary, dialogs: DialogService,
    parent: QWidget | None = None,
) -> StaffDialog:
    form = AccountForm(with_name=False, with_username=False,
                       password_title=tr("New temporary password"))
    temporary = QCheckBox(tr("They choose their own password when they next sign in"))
    temporary.setChecked(member.staff_id != actor.staff_id)
    temporary.setVisible(member.staff_id != actor.staff_id)

    def save(dialog: StaffDialog) -> StaffSummary:
        return staff.reset_password(
            actor, member.staff_id, expected_version=member.version,
            new_password=form.password(), temporary=temporary.isChecked(),
        )

    return StaffDialog(
        title=tr("Reset password"),
        intro=tr("For {name} ({username}). This also unlocks the account.").format(
            name=member.full_name, username=member.username),
        form=form, save_label=tr("Reset password"), save=save, dialogs=dialogs, extra=temporary,
        parent=parent,
    )
