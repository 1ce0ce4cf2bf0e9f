"""For reception: the patients due or overdue for their next session, or for their yearly
maintenance recall, most urgent first. Enter or a double-click opens the chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.course import CourseProgress
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import DueEntry
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.course_panel import state_look, when_text
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import enable_finger_scrolling, touch_target
from clinic_desk.ui.widgets import NoticeBanner, label


class DueColumn(IntEnum):
    # What reception acts on first, so it shows on the smallest screen too.
    PATIENT = 0
    STATE = 1
    WHEN = 2
    PHONE = 3
    NUMBER = 4
    COURSE = 5


class DueListModel(ReadOnlyTableModel):
    def __init__(self, date_format: DateFormat, parent: QObject | None = None) -> None:
        super().__init__([tr("Patient"), tr("Status"), tr("When"), tr("Phone"),
                          tr("Number"), tr("Course")], parent)
        self._date_format = date_format
        self._entries: list[DueEntry] = []

    def set_entries(self, entries: Sequence[DueEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def _when(self, progress: CourseProgress) -> str:
        """The dates alone (the status says what they are for)."""
        window = progress.next_window
        if window is not None:
            return tr("{earliest} to {latest}").format(
                earliest=format_date(window.earliest, self._date_format),
                latest=format_date(window.latest, self._date_format))
        if progress.recall_on is not None:
            return tr("from {day}").format(day=format_date(progress.recall_on,
                                                           self._date_format))
        return when_text(progress, self._date_format)

    def entry_at(self, row: int) -> DueEntry:
        return self._entries[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = DueColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            progress = entry.progress
            return {
                DueColumn.PATIENT: entry.patient_name,
                DueColumn.NUMBER: entry.patient_number,
                DueColumn.PHONE: entry.phone,
                DueColumn.COURSE: tr("{indication}: {done} of {planned} done").format(
                    indication=entry.indication_label, done=progress.sessions_done,
                    planned=progress.planned_sessions),
                DueColumn.STATE: state_look(progress.state).word,
                DueColumn.WHEN: self._when(progress),
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == DueColumn.STATE:
            look = state_look(entry.progress.state)
            return icon(look.icon_name, look.tone)
        if role == Qt.ItemDataRole.UserRole:
            return entry.patient_id
        return None


class DueListPage(QWidget):
    def __init__(self, due_list: Callable[[SignedInStaff], list[DueEntry]],
                 actor: SignedInStaff, *, date_format: DateFormat,
                 open_chart: Callable[[int], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueListPage")
        self._due_list = due_list
        self._actor = actor
        self._open_chart = open_chart
        self._date_format = date_format
        self.banner = NoticeBanner()
        self.model = DueListModel(date_format, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Patients due or overdue for a session"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DueColumn.PATIENT, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(DueColumn.PATIENT, 220)
        enable_finger_scrolling(self.table)
        self.empty = CalmEmptyState("calendar-days", tr("Nobody is due today"), tr(
            "Patients whose next session of a course is due or overdue, or whose yearly "
            "maintenance session is due, are listed here. Plan a course from the Sessions "
            "tab of a patient's chart."))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.subtitle = label("", "hint")
        self.refresh_button = QPushButton(icon("refresh-cw"), tr("Refresh"))
        self.refresh_button.setAccessibleName(tr("Refresh the list"))
        touch_target(self.refresh_button)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 18)
        root.setSpacing(10)
        root.addWidget(label(tr("Due for a session"), "pageTitle"))
        root.addWidget(self.subtitle)
        root.addWidget(self.banner)
        root.addWidget(self.stack, 1)
        root.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.banner.clear_problem()
        try:
            entries = self._due_list(self._actor)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.model.set_entries(entries)
        overdue = sum(1 for e in entries if e.progress.state.value in ("overdue", "recall_due"))
        self.subtitle.setText(tr("{count} patient(s) to contact, {overdue} overdue or due for "
                                 "their recall. Enter opens the chart.").format(
            count=len(entries), overdue=overdue))
        self.stack.setCurrentWidget(self.table if entries else self.empty)

    def open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self._open_chart(self.model.entry_at(row).patient_id)

    def focus_list(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)


def due_list_page(services: DeskServices, actor: SignedInStaff, *,
                  open_chart: Callable[[int], object]) -> DueListPage:
    try:
        profile = services.clinic.profile()
    except ClinicDeskError:
        profile = None
    date_format = profile.date_format if profile else DateFormat.DAY_MONTH_YEAR_SLASH
    return DueListPage(lambda who: services.courses.due_list(who), actor,
                       date_format=date_format, open_chart=open_chart)
