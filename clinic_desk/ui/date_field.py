"""One date field for the whole app: type the date at once in the clinic's format (or paste
it), or pick it from a calendar sized for a finger."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date, parse_date, relative_day
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import SteadyLineEdit, hold_height
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import TOUCH_PX, touch_target
from clinic_desk.ui.widgets import label

Day = date  # the type, where a method named `date` hides it

# Wide enough for "DD/MM/YYYY" in a large font, with room for the caret.
_EDIT_WIDTH = 150


def day_in_words(day: date, today: date, date_format: DateFormat) -> str:
    """How a date is written in a sentence: the clinic's format, and how far it is from
    today in words ("03/11/2026 (3 weeks ago)"). Never ISO unless the clinic chose it."""
    return tr("{date} ({relative})").format(date=format_date(day, date_format),
                                            relative=tr(relative_day(day, today)))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


class CalendarPopup(QFrame):
    """The month calendar under the field: every day cell and arrow at least 44 px."""

    picked = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendarPopup")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setAccessibleName(tr("Calendar"))
        for name in ("qt_calendar_prevmonth", "qt_calendar_nextmonth"):
            arrow = self.calendar.findChild(QToolButton, name)
            if arrow is not None:
                touch_target(arrow)
                arrow.setIconSize(QSize(24, 24))
                arrow.setAccessibleName(
                    tr("Previous month") if "prev" in name else tr("Next month"))
        # 7 columns and 7 rows (the day names and up to six weeks) of at least 44 px.
        self.calendar.setMinimumSize(7 * (TOUCH_PX + 4), 7 * (TOUCH_PX + 2) + 2 * TOUCH_PX)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.calendar)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)

    def day_view(self) -> QTableView | None:
        return self.calendar.findChild(QTableView, "qt_calendar_calendarview")

    def _pick(self, chosen: QDate) -> None:
        self.picked.emit(_day(chosen))
        self.hide()


class DateField(QWidget):
    """`date_changed` fires with the date once a whole, real date is typed (at once or
    key by key) or picked, and with None when the text stops being one."""

    date_changed = Signal(object)  # date | None

    def __init__(self, date_format: DateFormat, *, today: date | None = None,
                 accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._format = date_format
        self._today = today
        self._date: date | None = None
        self.edit = SteadyLineEdit()
        hold_height(self.edit)
        self.edit.setPlaceholderText(date_format.value)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self.edit.setMinimumWidth(_EDIT_WIDTH)
        self.edit.setMaximumWidth(_EDIT_WIDTH + 60)
        self.calendar_button = QToolButton()
        self.calendar_button.setIcon(icon("calendar-days"))
        self.calendar_button.setIconSize(QSize(20, 20))
        touch_target(self.calendar_button)
        self.calendar_button.setToolTip(tr("Pick the date from a calendar (Alt+Down)"))
        # "today", "in 3 weeks": how far the typed date is, where that helps.
        self.relative_label = label("", "hint", wrap=False)
        self.set_accessible_name(accessible_name)
        self.popup = CalendarPopup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        row.addWidget(self.relative_label)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._typed)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.popup.picked.connect(self.set_date)
        open_calendar = QShortcut(QKeySequence("Alt+Down"), self.edit)
        open_calendar.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_calendar.activated.connect(self.open_calendar)

    def set_accessible_name(self, name: str) -> None:
        if not name:
            return
        self.edit.setAccessibleName(name)
        self.edit.setAccessibleDescription(tr("A date as {format}").format(
            format=self._format.value))
        self.calendar_button.setAccessibleName(tr("{name}: calendar").format(name=name))

    # --- value ---------------------------------------------------------------------------

    def date(self) -> Day | None:
        return self._date

    def text(self) -> str:
        return self.edit.text()

    def is_unreadable(self) -> bool:
        """Something is typed that is not (yet) a date."""
        return bool(self.edit.text().strip()) and self._date is None

    def set_date(self, day: Day | None) -> None:
        self.edit.setText(format_date(day, self._format) if day else "")

    def set_date_format(self, date_format: DateFormat) -> None:
        day = self._date
        self._format = date_format
        self.edit.setPlaceholderText(date_format.value)
        self.set_date(day)

    def _typed(self, text: str) -> None:
        day = parse_date(text, self._format)
        self.relative_label.setText(
            tr(relative_day(day, self._today)) if day and self._today else "")
        if day != self._date:
            self._date = day
            self.date_changed.emit(day)

    # --- calendar ----------------------------------------------------------------------

    def open_calendar(self) -> None:
        shown = self._date or self._today or date.today()
        self.popup.calendar.setSelectedDate(_qdate(shown))
        self.popup.adjustSize()
        where = self.edit.mapToGlobal(QPoint(0, self.edit.height()))
        self.popup.move(where)
        self.popup.show()
        self.popup.calendar.setFocus()
