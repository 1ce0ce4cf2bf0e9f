"""Today's appointments in time order: one row each, status in words and icon.

`set_appointments` refreshes only what changed: changed rows are repainted, appointments
gone are removed and new ones inserted where they belong (the selection and the scroll
position stay); only when the rows kept change order does the model reset, and the page
reselects by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, Qt

from clinic_desk.services.appointment_dto import AppointmentView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.looks import (
    Look,
    readiness_look,
    status_look,
    treatment_text,
)

APPOINTMENT_ID_ROLE = Qt.ItemDataRole.UserRole


class DayColumn(IntEnum):
    # Who and how they are first: at 1024 px the rest scrolls into view.
    TIME = 0
    PATIENT = 1
    STATUS = 2
    TREATMENT = 3
    PRACTITIONER = 4
    ROOM = 5
    READINESS = 6  # the screening for the planned treatment and what is still missing


class DayModel(ReadOnlyTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Time"), tr("Patient"), tr("Status"), tr("Treatment"),
                          tr("Practitioner"), tr("Room"), tr("Before treatment")], parent)
        self._views: list[AppointmentView] = []

    def set_appointments(self, views: Sequence[AppointmentView]) -> bool:
        """True when the rows were updated where they stand (no reset): changed rows
        repaint, rows gone are removed and new ones inserted, so the view keeps its
        selection and scroll position. A reset only when the rows kept changed order."""
        fresh = sorted(views, key=lambda v: (v.start, v.patient_name, v.appointment_id))
        new_ids = [v.appointment_id for v in fresh]
        kept = set(new_ids) & {v.appointment_id for v in self._views}
        if [v.appointment_id for v in self._views if v.appointment_id in kept] != [
                i for i in new_ids if i in kept]:
            self.beginResetModel()
            self._views = fresh
            self.endResetModel()
            return False
        for row in reversed(range(len(self._views))):
            if self._views[row].appointment_id not in kept:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._views[row]
                self.endRemoveRows()
        # What is left is `fresh` without its new rows, in the same order.
        for row, view in enumerate(fresh):
            if row >= len(self._views) or self._views[row].appointment_id != view.appointment_id:
                self.beginInsertRows(QModelIndex(), row, row)
                self._views.insert(row, view)
                self.endInsertRows()
        last = self.columnCount() - 1
        for row, view in enumerate(fresh):
            if view != self._views[row]:
                self._views[row] = view
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        return True

    def view_at(self, row: int) -> AppointmentView:
        return self._views[row]

    def row_of(self, appointment_id: int) -> int | None:
        return next((row for row, v in enumerate(self._views)
                     if v.appointment_id == appointment_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._views)

    def _look(self, view: AppointmentView, column: DayColumn) -> Look | None:
        if column == DayColumn.STATUS:
            return status_look(view)
        if column == DayColumn.READINESS:
            return readiness_look(view)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._views):
            return None
        view = self._views[index.row()]
        column = DayColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            look = self._look(view, column)
            if look is not None and column == DayColumn.READINESS and role != (
                    Qt.ItemDataRole.DisplayRole):
                return "\n".join((view.screening_label, *view.missing))
            if look is not None:
                return look.word
            if column == DayColumn.READINESS:
                return "—" if role == Qt.ItemDataRole.DisplayRole else None
            return {
                DayColumn.TIME: f"{view.start:%H:%M}–{view.end:%H:%M}",
                DayColumn.PATIENT: view.patient_name,
                DayColumn.TREATMENT: treatment_text(view),
                DayColumn.PRACTITIONER: view.practitioner_name,
                DayColumn.ROOM: view.room_name,
            }[column]
        if role == Qt.ItemDataRole.DecorationRole:
            look = self._look(view, column)
            return icon(look.icon_name, look.tone) if look is not None else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.headerData(column, Qt.Orientation.Horizontal)}: " + str(
                self.data(index, Qt.ItemDataRole.DisplayRole))
        if role == APPOINTMENT_ID_ROLE:
            return view.appointment_id
        return None
