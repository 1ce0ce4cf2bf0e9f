"""Staff accounts for administrators: a table and its actions, with messages on top."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.services.dto import SignedInStaff, StaffSummary
from clinic_desk.services.staff import StaffService
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for, stale_text
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.settings.staff_dialogs import (
    StaffDialog,
    add_staff_dialog,
    edit_staff_dialog,
    reset_password_dialog,
)
from clinic_desk.ui.settings.staff_model import StaffTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import NoticeBanner


def action_button(icon_name: str, text: str, shortcut: str = "") -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    return button


def with_shortcut(text: str, shortcut: str) -> str:
    native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({native})"


class StaffPanel(QWidget):
    def __init__(
        self, staff: StaffService, actor: SignedInStaff, dialogs: DialogService,
        time_zone: str, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._staff = staff
        self._actor = actor
        self._dialogs = dialogs
        self.banner = NoticeBanner()
        self.model = StaffTableModel(time_zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setAccessibleName(tr("Staff accounts"))
        self.add_button = action_button("user-plus", tr("Add staff…"), "Ctrl+N")
        self.edit_button = action_button("user-pen", tr("Edit…"), "F2")
        self.reset_button = action_button("key-round", tr("Reset password…"))
        self.active_button = action_button("user-x", tr("Deactivate…"))
        self.reload_button = action_button("refresh-cw", tr("Reload"), "F5")
        self.add_button.setToolTip(with_shortcut(tr("Add a staff account"), "Ctrl+N"))
        self.reload_button.setToolTip(with_shortcut(tr("Show the current list"), "F5"))
        bar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button,
                       self.active_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.reload_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(10)
        column.addWidget(self.banner)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add_staff)
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button.clicked.connect(self.reset_selected_password)
        self.active_button.clicked.connect(self.toggle_selected_active)
        self.reload_button.clicked.connect(self.reload)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._update_actions()

    def reload(self, select_id: int | None = None) -> None:
        current = self.selected()
        keep = select_id if select_id is not None else (current.staff_id if current else None)
        try:
            staff = self._staff.list_staff(self._actor)
        except ClinicDeskError as exc:
            self.model.set_staff([])
            self.banner.show_message("danger", message_for(exc))
        else:
            self.model.set_staff(staff)
            self.table.resizeColumnsToContents()
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            self.table.selectRow(row)
        self._update_actions()

    def selected(self) -> StaffSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.staff_at(rows[0].row()) if rows else None

    def select_staff(self, staff_id: int) -> None:
        row = self.model.row_of(staff_id)
        if row >= 0:
            self.table.selectRow(row)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        member = self.selected()
        why = tr("Select a staff member in the list first.")
        for button, tip in ((self.edit_button, with_shortcut(tr("Change name and role"), "F2")),
                            (self.reset_button, tr("Set a new temporary password"))):
            button.setEnabled(member is not None)
            button.setToolTip(tip if member else why)
        self.active_button.setEnabled(member is not None)
        if member is not None and not member.is_active:
            self.active_button.setText(tr("Reactivate…"))
            self.active_button.setIcon(icon("user-check"))
            self.active_button.setToolTip(tr("Let this person sign in again"))
        else:
            self.active_button.setText(tr("Deactivate…"))
            self.active_button.setIcon(icon("user-x"))
            self.active_button.setToolTip(
                tr("Stop this person signing in; their records stay") if member else why
            )

    def _show_stale(self) -> None:
        self.banner.show_message(
            "warning", stale_text(), action_text=tr("Reload"), action_icon="refresh-cw",
            action=self.reload,
        )

    def _after_dialog(self, dialog: StaffDialog, done: str) -> None:
        if dialog.stale:
            self._show_stale()
        elif dialog.saved is not None:
            self.reload(select_id=dialog.saved.staff_id)
            self.banner.show_message("success", done.format(name=dialog.saved.full_name))

    def add_staff(self) -> None:
        dialog = add_staff_dialog(self._staff, self._actor, self)
        self._dialogs.run(dialog)
        self._after_dialog(dialog, tr("{name} was added."))

    def edit_selected(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = edit_staff_dialog(self._staff, self._actor, member, self)
        self._dialogs.run(dialog)
        self._after_dialog(dialog, tr("{name}'s details were saved."))

    def reset_selected_password(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = reset_password_dialog(self._staff, self._actor, member, self)
        self._dialogs.run(dialog)
        self._after_dialog(dialog, tr("{name}'s password was reset."))

    def toggle_selected_active(self) -> None:
        member = self.selected()
        if member is None:
            return
        activate = not member.is_active
        if activate:
            title = tr("Reactivate {name}?").format(name=member.full_name)
            text = tr("{name} will be able to sign in again with their password.")
            label, done = tr("Reactivate"), tr("{name} can sign in again.")
        else:
            title = tr("Deactivate {name}?").format(name=member.full_name)
            text = tr("{name} will no longer be able to sign in. Their records stay, and "
                      "you can reactivate the account later.")
            label, done = tr("Deactivate"), tr("{name} was deactivated and can no longer sign in.")
        if not self._dialogs.confirm(self, title, text.format(name=member.full_name),
                                     confirm_label=label):
            return
        try:
            updated = self._staff.set_active(
                self._actor, member.staff_id, expected_version=member.version, active=activate
            )
        except ConcurrentEditError:
            self._show_stale()
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.model.replace(updated)
        self.select_staff(updated.staff_id)
        self._update_actions()
        self.banner.show_message("success", done.format(name=updated.full_name))
