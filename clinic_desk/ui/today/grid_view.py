"""The grid's table: appointments spanned over their length, moved and resized by drag
or by keyboard (Alt+arrows move, Alt+Shift+Up/Down shorten or lengthen by a quarter
hour), a free slot booked by a click-and-Enter or a double-click."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from clinic_desk.ui.i18n import tr
from clinic_desk.ui.today.grid_model import SLOT_MINUTES, BookGridModel, Placed

ROW_PX = 26
RESIZE_GRIP_PX = 6


class GridView(QTableView):
    # appointment id, new first row, new column, new number of rows
    move_requested = Signal(int, int, int, int)
    book_requested = Signal(int, int)  # row, column of a free slot

    def __init__(self, model: BookGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = model
        self.setModel(model)
        self.setAccessibleName(tr("Appointment book"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.verticalHeader().setDefaultSectionSize(ROW_PX)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(120)
        # A long name keeps its start in view rather than losing both ends.
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._press: tuple[int, int, bool] | None = None  # appointment id, row, resizing
        model.modelReset.connect(self.apply_spans)

    def apply_spans(self) -> None:
        self.clearSpans()
        for placed in self.grid.placed:
            if placed.rows > 1:
                self.setSpan(placed.row, placed.column, placed.rows, 1)

    # --- keyboard ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        arrows = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0),
                  Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}
        if index.isValid() and alt and key in arrows:
            placed = self._placed_at(index)
            if placed is not None:
                rows, columns = arrows[Qt.Key(key)]
                if shift and columns == 0:
                    self.move_requested.emit(placed.view.appointment_id, placed.row,
                                             placed.column, max(1, placed.rows + rows))
                elif not shift:
                    self.move_requested.emit(placed.view.appointment_id, placed.row + rows,
                                             placed.column + columns, placed.rows)
                event.accept()
                return
        if (index.isValid() and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.grid.appointment_at(index.row(), index.column()) is None):
            self.book_requested.emit(index.row(), index.column())
            event.accept()
            return
        super().keyPressEvent(event)

    def _placed_at(self, index: QModelIndex) -> Placed | None:
        view = self.grid.appointment_at(index.row(), index.column())
        return None if view is None else self.grid.placed_of(view.appointment_id)

    # --- mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        index = self.indexAt(event.position().toPoint())
        view = self.grid.appointment_at(index.row(), index.column()) if index.isValid() else None
        self._press = None
        if view is not None and event.button() == Qt.MouseButton.LeftButton:
            placed = self.grid.placed_of(view.appointment_id)
            assert placed is not None
            last = self.visualRect(self.model().index(placed.row, placed.column))
            bottom = last.bottom()
            resizing = bottom - event.position().y() <= RESIZE_GRIP_PX
            self._press = (view.appointment_id, index.row() - placed.row, resizing)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._press = self._press, None
        if pressed is None:
            return
        self.drop_at(pressed, event.position().toPoint())

    def drop_at(self, pressed: tuple[int, int, bool], point: QPoint) -> None:
        """Ends a drag: a move keeps the grabbed offset, a resize sets the last row."""
        appointment_id, offset, resizing = pressed
        index = self.indexAt(point)
        placed = self.grid.placed_of(appointment_id)
        if not index.isValid() or placed is None:
            return
        if resizing:
            rows = max(1, index.row() - placed.row + 1)
            if rows != placed.rows:
                self.move_requested.emit(appointment_id, placed.row, placed.column, rows)
            return
        row = index.row() - offset
        if (row, index.column()) != (placed.row, placed.column):
            self.move_requested.emit(appointment_id, row, index.column(), placed.rows)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and self.grid.appointment_at(index.row(), index.column()) is None:
            self.book_requested.emit(index.row(), index.column())
            return
        super().mouseDoubleClickEvent(event)


def minutes_of(rows: int) -> int:
    return rows * SLOT_MINUTES
