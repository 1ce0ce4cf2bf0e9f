"""The appointment book as a grid: one row per quarter hour, one column per practitioner
or room (day view) or per day (week view). An appointment fills the cell of its start;
the view spans it over its length (`spans`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from clinic_desk.services.appointment_dto import AppointmentView, DayBook
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.looks import status_look

SLOT_MINUTES = 15
FIRST_HOUR, LAST_HOUR = 7, 20  # the grid shows 07:00 to 20:00
APPOINTMENT_ROLE = Qt.ItemDataRole.UserRole


class Layout(StrEnum):
    PRACTITIONERS = "practitioners"
    ROOMS = "rooms"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class GridColumn:
    title: str
    day: date
    practitioner_id: int | None = None
    room_id: int | None = None

    def holds(self, view: AppointmentView) -> bool:
        return (view.start.date() == self.day
                and (self.practitioner_id is None or view.practitioner_id == self.practitioner_id)
                and (self.room_id is None or view.room_id == self.room_id))


@dataclass(frozen=True, slots=True)
class Placed:
    row: int
    column: int
    rows: int
    view: AppointmentView


_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole, APPOINTMENT_ROLE,
})


def slot_count() -> int:
    return (LAST_HOUR - FIRST_HOUR) * 60 // SLOT_MINUTES


class BookGridModel(ReadOnlyTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self.columns: list[GridColumn] = []
        self.placed: list[Placed] = []
        self._at: dict[tuple[int, int], Placed] = {}
        self._starts: dict[tuple[int, int], Placed] = {}
        self._zone = ZoneInfo("UTC")
        self.compact = False  # the week: narrow columns, time, name and status only

    # --- filling -----------------------------------------------------------------------

    def set_book(self, book: DayBook, layout: Layout, practitioner_id: int | None) -> None:
        self.beginResetModel()
        self._zone = ZoneInfo(book.time_zone)
        self.columns = self._columns(book, layout, practitioner_id)
        self.compact = layout is Layout.WEEK
        self._column_headers = [c.title for c in self.columns]
        self._place([a for a in book.appointments if a.takes_time])
        self.endResetModel()

    @staticmethod
    def _columns(book: DayBook, layout: Layout, practitioner_id: int | None) -> list[GridColumn]:
        if layout is Layout.PRACTITIONERS:
            return [GridColumn(p.full_name, book.first_day, practitioner_id=p.staff_id)
                    for p in book.practitioners]
        if layout is Layout.ROOMS:
            return [GridColumn(r.name, book.first_day, room_id=r.room_id)
                    for r in book.rooms if r.is_active]
        days = (book.last_day - book.first_day).days + 1
        return [GridColumn(f"{d:%a %d}", d, practitioner_id=practitioner_id)
                for d in (book.first_day + timedelta(days=n) for n in range(days))]

    def _place(self, views: Sequence[AppointmentView]) -> None:
        self.placed, self._at, self._starts = [], {}, {}
        # Each view meets only the columns of its day (a week's 300 views, 7 columns).
        by_day: dict[date, list[AppointmentView]] = {}
        for view in sorted(views, key=lambda v: v.start):
            by_day.setdefault(view.start.date(), []).append(view)
        for column, grid_column in enumerate(self.columns):
            for view in (v for v in by_day.get(grid_column.day, ()) if grid_column.holds(v)):
                row = self.row_of(view.start)
                rows = max(1, -(-view.length_minutes // SLOT_MINUTES))
                row = min(max(row, 0), slot_count() - 1)
                rows = min(rows, slot_count() - row)
                cells = [(r, column) for r in range(row, row + rows)]
                if any(cell in self._at for cell in cells):
                    continue  # an overlap the service refused elsewhere: first one shown
                placed = Placed(row, column, rows, view)
                self.placed.append(placed)
                self._starts[(row, column)] = placed
                for cell in cells:
                    self._at[cell] = placed

    # --- where and when ----------------------------------------------------------------

    @staticmethod
    def row_of(moment: datetime) -> int:
        minutes = (moment.hour - FIRST_HOUR) * 60 + moment.minute
        return minutes // SLOT_MINUTES

    def start_of(self, row: int, column: int) -> datetime:
        """The clinic-zone time of a cell."""
        day = self.columns[column].day
        minutes = FIRST_HOUR * 60 + row * SLOT_MINUTES
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self._zone)

    def appointment_at(self, row: int, column: int) -> AppointmentView | None:
        placed = self._at.get((row, column))
        return placed.view if placed else None

    def placed_of(self, appointment_id: int) -> Placed | None:
        return next((p for p in self.placed if p.view.appointment_id == appointment_id), None)

    # --- Qt ----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.columns else slot_count()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            minutes = FIRST_HOUR * 60 + section * SLOT_MINUTES
            return f"{minutes // 60:02d}:{minutes % 60:02d}" if minutes % 30 == 0 else ""
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role not in _ROLES or not index.isValid()
                or not 0 <= index.column() < len(self.columns)):
            return None  # painting asks for many roles per cell: the others cost nothing
        cell = (index.row(), index.column())
        placed = self._starts.get(cell)
        covering = self._at.get(cell)
        if role == APPOINTMENT_ROLE:
            return covering.view.appointment_id if covering else None
        if placed is None:
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                when = self.start_of(*cell)
                return (tr("Taken") if covering else
                        tr("Free at {time}, {column}: Enter books").format(
                            time=f"{when:%H:%M}", column=self.columns[index.column()].title))
            return None
        view = placed.view
        look = status_look(view)
        if role == Qt.ItemDataRole.DisplayRole:
            if self.compact:
                return f"{view.start:%H:%M} {view.patient_name}\n{look.word}"
            return (f"{view.start:%H:%M}–{view.end:%H:%M} {view.patient_name}\n"
                    f"{view.kind_label} · {look.word}")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return tr("{time} {patient}, {kind}, {practitioner}, {room}: {status}").format(
                time=f"{view.start:%H:%M}–{view.end:%H:%M}", patient=view.patient_name,
                kind=view.kind_label, practitioner=view.practitioner_name,
                room=view.room_name, status=look.word)
        if role == Qt.ItemDataRole.DecorationRole and not self.compact:
            return icon(look.icon_name, look.tone)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor("#DCEFEF")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None
