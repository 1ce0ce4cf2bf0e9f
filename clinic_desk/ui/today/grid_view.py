"""The grid's table: appointments spanned over their length, moved and resized by drag
or by keyboard (Alt+arrows move, Alt+Shift+Up/Down shorten or lengthen by a quarter
hour), a free slot booked by a click-and-Enter or a double-click."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from clinic_desk.domain.working_hours import WorkingHours
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import PALETTE
from clinic_desk.ui.today.grid_model import (
    APPOINTMENT_ROLE,
    FIRST_HOUR,
    SLOT_MINUTES,
    BookGridModel,
    Placed,
)
from clinic_desk.ui.today.hours_shading import (
    DAY_MINUTES,
    Shade,
    ShadedSpan,
    covering,
    shaded_spans,
)

ROW_PX = 26
SHORT_ROWS = 2  # up to half an hour
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
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        # The style sheet draws the names bold; the header measures for its "…" with its
        # own font, so that font is bold too (else a long name was cut with no "…").
        bold = self.horizontalHeader().font()
        bold.setBold(True)
        self.horizontalHeader().setFont(bold)
        self._press: tuple[int, int, bool] | None = None  # appointment id, row, resizing
        self._hours: Mapping[int, WorkingHours] = {}
        self._shading: dict[int, tuple[ShadedSpan, ...]] = {}
        self.setItemDelegate(ShadingDelegate(self))
        model.modelReset.connect(self.apply_spans)
        model.modelReset.connect(self._shading.clear)

    # --- working hours -----------------------------------------------------------------

    def set_hours(self, hours: Mapping[int, WorkingHours]) -> None:
        """The practitioners' hours: time outside them (and the break) is shaded."""
        self._hours = hours
        self._shading.clear()
        self.viewport().update()

    def shading(self, column: int) -> tuple[ShadedSpan, ...]:
        if column not in self._shading:
            where = self.grid.columns[column]
            self._shading[column] = shaded_spans(where.day, where.practitioner_id, self._hours)
        return self._shading[column]

    def shaded_at(self, row: int, column: int) -> list[tuple[ShadedSpan, int, int]]:
        """The shaded parts of a free cell, as (span, from, to) minutes from midnight."""
        if not 0 <= column < len(self.grid.columns):
            return []
        start = FIRST_HOUR * 60 + row * SLOT_MINUTES
        return covering(self.shading(column), start, start + SLOT_MINUTES)

    def why_shaded(self, row: int, column: int) -> str:
        parts = self.shaded_at(row, column)
        if not parts:
            return ""
        span = parts[0][0]
        if span.kind is Shade.BREAK:
            return tr("Break {hours}: booking here asks first.").format(hours=span.hours)
        if span.start == 0 and span.end == DAY_MINUTES:
            return tr("Not working on this day: booking here asks first.")
        if self.grid.columns[column].practitioner_id is None:
            return tr("Outside the clinic's opening hours ({hours}).").format(hours=span.hours)
        return tr("Outside working hours ({hours}): booking here asks first.").format(
            hours=span.hours)

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


class ShadingDelegate(QStyledItemDelegate):
    """Paints a free cell's time outside working hours hatched (so it does not rest on
    colour alone), names the break and a day off, and explains both in the tooltip."""

    def __init__(self, view: GridView) -> None:
        super().__init__(view)
        self._view = view
        self._fill = QColor(PALETTE.disabled_window)
        self._hatch = QBrush(QColor(PALETTE.border), Qt.BrushStyle.BDiagPattern)
        self._words = QColor(PALETTE.muted_text)

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        # The status icon beside the first line, not floating in a long appointment.
        option.decorationAlignment = (
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        appointment = index.data(APPOINTMENT_ROLE)
        placed = (self._view.grid.placed_of(appointment) if isinstance(appointment, int)
                  else None)
        if placed is not None and placed.rows <= SHORT_ROWS and self._view.grid.compact:
            # A half hour in a narrow week column: each line shortened on its own
            # ("09:00 Ångström-Mü…" over "Booked"); wrapping the name would push the
            # status out of sight. Longer appointments wrap the whole name.
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(APPOINTMENT_ROLE) is None:
            self._shade(painter, option.rect, index.row(), index.column())
        super().paint(painter, option, index)

    def _shade(self, painter: QPainter, rect: QRect, row: int, column: int) -> None:
        slot_start = FIRST_HOUR * 60 + row * SLOT_MINUTES
        for span, low, high in self._view.shaded_at(row, column):
            top = rect.top() + round((low - slot_start) * rect.height() / SLOT_MINUTES)
            bottom = rect.top() + round((high - slot_start) * rect.height() / SLOT_MINUTES)
            part = QRect(rect.left(), top, rect.width(), max(1, bottom - top))
            painter.fillRect(part, self._fill)
            painter.fillRect(part, self._hatch)
            words = ""
            if span.kind is Shade.BREAK and span.start == low:
                words = tr("Break")
            elif span.start == 0 and span.end == DAY_MINUTES and low % 120 == 0:
                words = tr("Not working")
            if words:
                painter.save()
                painter.setPen(self._words)
                painter.drawText(part.adjusted(6, 0, -4, 0),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 words)
                painter.restore()

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        if index.isValid() and index.data(APPOINTMENT_ROLE) is None:
            why = self._view.why_shaded(index.row(), index.column())
            if why:
                QToolTip.showText(event.globalPos(), why, view)
                return True
        return super().helpEvent(event, view, option, index)


def minutes_of(rows: int) -> int:
    return rows * SLOT_MINUTES
