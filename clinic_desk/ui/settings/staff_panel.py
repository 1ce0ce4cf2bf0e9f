"""Staff accounts for administrators: a table and its actions, with messages on top."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
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


def with_shortcut(text: str, shortcut: str) -> str:
    native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({native})"


class StaffPanel(QWidget):
    def __init__(
        self, staff: StaffService, actor: SignedInStaff, dialogs: DialogService,
        time_zone: str, parent: QWidget | None = None, *,
        date_format: DateFormat | str = DateFormat.DAY_MONTH_YEAR_SLASH,
    ) -> None:
        super().__init__(parent)
        self._staff = staff
        self._actor = actor
        self._dialogs = dialogs
        self.banner = NoticeBanner()
        self.model = StaffTableModel(time_zone, self, date_format=date_format)
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
        self.toolbar = QToolBar(tr("Staff actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(18, 18))
        # Ctrl+N is "Register new patient" everywhere in the main window.
        self.add_action = self._action("user-plus", tr("Add staff…"), self.add_staff,
                                       "Ctrl+Shift+N")
        self.add_action.setToolTip(with_shortcut(tr("Add a staff account"), "Ctrl+Shift+N"))
        self.edit_action = self._action("user-pen", tr("Edit…"), self.edit_selected, "F2")
        self.reset_action = self._action("key-round", tr("Reset password…"),
                                         self.reset_selected_password)
        self.active_action = self._action("user-x", tr("Deactivate…"),
                                          self.toggle_selected_active)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.reload_action = self._action("refresh-cw", tr("Reload"), self.reload, "F5")
        self.reload_action.setToolTip(with_shortcut(tr("Reload the list"), "F5"))
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 12, 12, 12)
        column.setSpacing(10)
        column.addWidget(self.banner)
        column.addWidget(self.toolbar)
        column.addWidget(self.table, 1)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._update_actions()

    def _action(
        self, icon_name: str, text: str, slot: Callable[[], None], shortcut: str = ""
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setIconText(text)  # keeps the "…" that says a dialog follows
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the staff list is on screen, so F2 and Ctrl+N stay free elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def toolbar_actions(self) -> list[QAction]:
        """Every action of the toolbar, for the main window's Staff menu."""
        return [a for a in self.toolbar.actions() if not a.isSeparator() and a.text()]

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
        for action, tip in ((self.edit_action, with_shortcut(tr("Change name and role"), "F2")),
                            (self.reset_action, tr("Set a new temporary password"))):
            action.setEnabled(member is not None)
            action.setToolTip(tip if member else f"{tip}. {why}")
        self.active_action.setEnabled(member is not None)
        if member is not None and not member.is_active:
            self.active_action.setText(tr("Reactivate…"))
            self.active_action.setIconText(tr("Reactivate…"))
            self.active_action.setIcon(icon("user-check"))
            self.active_action.setToolTip(tr("Let this person sign in again"))
        else:
            self.active_action.setText(tr("Deactivate…"))
            self.active_action.setIconText(tr("Deactivate…"))
            self.active_action.setIcon(icon("user-x"))
            self.active_action.setToolTip(
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
        dialog = add_staff_dialog(self._staff, self._actor, self._dialogs, self)
        self._dialogs.run(dialog)
        self._after_dialog(dialog, tr("{name} was added."))

    def edit_selected(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = edit_staff_dialog(self._staff, self._actor, member, self._dialogs, self)
        self._dialogs.run(dialog)
        self._after_dialog(dialog, tr("{name}'s details were saved."))

    def reset_selected_password(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = reset_password_dialog(self._staff, self._actor, member, self._dialogs,
                                       self)
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
