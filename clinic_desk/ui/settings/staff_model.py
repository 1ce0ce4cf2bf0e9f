"""The staff accounts as a read-only table (after Qt's address-book table model).

Changes go through the staff service; the model only shows the DTOs it is given.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon

from clinic_desk.domain.dates import DateFormat, format_moment
from clinic_desk.services.dto import StaffSummary
from clinic_desk.ui.account_form import roles_title
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import Tone, icon


class StaffColumn(IntEnum):
    NAME = 0
    USERNAME = 1
    ROLE = 2
    STATUS = 3
    LAST_SIGN_IN = 4


def status_text(staff: StaffSummary) -> str:
    if not staff.is_active:
        return tr("Inactive")
    if staff.is_locked:
        return tr("Locked")
    return tr("Active")


def status_icon(staff: StaffSummary) -> QIcon:
    if not staff.is_active:
        return icon("user-x", Tone.MUTED)
    if staff.is_locked:
        return icon("lock", Tone.DANGER)
    return icon("circle-check", Tone.SUCCESS)


class StaffTableModel(ReadOnlyTableModel):
    def __init__(
        self, time_zone: str = "UTC", parent: QObject | None = None, *,
        date_format: DateFormat | str = DateFormat.DAY_MONTH_YEAR_SLASH,
    ) -> None:
        # In StaffColumn order.
        super().__init__(
            [tr("Name"), tr("User name"), tr("Roles"), tr("Status"), tr("Last signed in")],
            parent,
        )
        self._staff: list[StaffSummary] = []
        self._zone = ZoneInfo(time_zone)
        self._date_format = date_format

    def set_time_zone(self, time_zone: str) -> None:
        self._zone = ZoneInfo(time_zone)

    def set_staff(self, staff: list[StaffSummary]) -> None:
        self.beginResetModel()
        self._staff = list(staff)
        self.endResetModel()

    def staff_at(self, row: int) -> StaffSummary:
        return self._staff[row]

    def row_of(self, staff_id: int) -> int:
        for row, staff in enumerate(self._staff):
            if staff.staff_id == staff_id:
                return row
        return -1

    def replace(self, updated: StaffSummary) -> None:
        row = self.row_of(updated.staff_id)
        if row < 0:
            return
        self._staff[row] = updated
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(StaffColumn) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._staff)

    def _when(self, moment: datetime | None) -> str:
        if moment is None:
            return tr("Never")
        return format_moment(moment, self._zone, self._date_format)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._staff):
            return None
        staff = self._staff[index.row()]
        column = StaffColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                StaffColumn.NAME: staff.full_name,
                StaffColumn.USERNAME: staff.username,
                StaffColumn.ROLE: roles_title(staff.roles),
                StaffColumn.STATUS: status_text(staff),
                StaffColumn.LAST_SIGN_IN: self._when(staff.last_sign_in_at),
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == StaffColumn.STATUS:
            return status_icon(staff)
        if role == Qt.ItemDataRole.UserRole:
            return staff.staff_id
        return None
