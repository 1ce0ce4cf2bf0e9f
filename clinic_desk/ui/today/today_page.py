"""The Today area: today's appointments (or one room's queue), the day and week book, and
the patients due or overdue, booked from there in one step or exported as CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.background import run_in_background
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.due_list import DueListPage
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.book_port import AppointmentBook
from clinic_desk.ui.today.book_view import BookView
from clinic_desk.ui.today.booking_dialog import BookingDialog, PatientFinder
from clinic_desk.ui.today.loading import Runner
from clinic_desk.ui.today.today_list import TodayList
from clinic_desk.ui.touch import TouchTabWidget, touch_target
from clinic_desk.ui.widgets import label

DUE_CSV_NAME = "due-and-overdue.csv"


class TodayPage(QWidget):
    def __init__(self, book: AppointmentBook, actor: SignedInStaff, dialogs: DialogService, *,
                 due: DueListPage, find_patients: PatientFinder,
                 open_consents: Callable[[int], object], open_session: Callable[[int], object],
                 due_csv: Callable[[], str], today: Callable[[], date] = date.today,
                 run: Runner = run_in_background,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPage")
        self._book = book
        self._actor = actor
        self._dialogs = dialogs
        self._find_patients = find_patients
        self._due_csv = due_csv
        self._today = today
        # The list and the open book load on worker threads: the window never waits for
        # the database (a newer load wins; the rows shown stay until the new ones come).
        self.list = TodayList(book, actor, dialogs, open_consents=open_consents,
                              open_session=open_session, today=today, run=run)
        self.day_view = BookView(book, actor, dialogs, find_patients=find_patients,
                                 today=today, run=run)
        self.week_view = BookView(book, actor, dialogs, find_patients=find_patients,
                                  week=True, today=today, run=run)
        self.due = due
        self.book_due_button = QPushButton(icon("calendar"), tr("Book the next session"))
        self.book_due_button.setAccessibleName(tr("Book the selected patient's next session"))
        self.export_button = QPushButton(icon("save"), tr("Export as CSV…"))
        self.export_button.setAccessibleName(tr("Export the due list as CSV"))
        for button in (self.book_due_button, self.export_button):
            touch_target(button)
        due_actions = QHBoxLayout()
        due_actions.addStretch(1)
        due_actions.addWidget(self.book_due_button)
        due_actions.addWidget(self.export_button)
        due_box = QWidget()
        due_column = QVBoxLayout(due_box)
        due_column.setContentsMargins(0, 0, 0, 0)
        due_column.addWidget(due, 1)
        due_column.addLayout(due_actions)
        self.tabs = TouchTabWidget()
        self.tabs.setAccessibleName(tr("Today"))
        self.tabs.addTab(self.list, icon("clipboard-list"), tr("Appointments"))
        self.tabs.addTab(self.day_view, icon("calendar-days"), tr("Day"))
        self.tabs.addTab(self.week_view, icon("calendar"), tr("Week"))
        self.tabs.addTab(due_box, icon("hourglass"), tr("Due and overdue"))
        self.date_label = label("", "hint")
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 18)
        root.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.addWidget(label(tr("Today"), "pageTitle", wrap=False))
        title_row.addWidget(self.date_label, 1)
        root.addLayout(title_row)
        root.addWidget(self.tabs, 1)
        self.book_due_button.clicked.connect(self.book_due)
        self.export_button.clicked.connect(self.export_due)
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        self.refresh()

    @property
    def loading(self) -> bool:
        """A list or book load is still running on a worker thread."""
        return any(v.loading.busy for v in (self.list, self.day_view, self.week_view))

    def refresh(self) -> None:
        self.date_label.setText(f"{self._today():%A %d %B %Y}")
        self.list.refresh()
        self._load_current()

    def _load_current(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.day_view or current is self.week_view:
            current.refresh()

    def appointments_changed(self) -> None:
        """Another workstation booked, checked in, handed over or moved: the list repaints
        the rows that changed and the open book reloads; dialogs being filled in stay."""
        self.list.refresh()
        self._load_current()

    def due_changed(self) -> None:
        self.due.refresh()

    def focus_list(self) -> None:
        if self.tabs.currentWidget() is self.list:
            self.list.focus_list()
        elif self.tabs.currentWidget() is self.day_view:
            self.day_view.focus_grid()

    # --- due and overdue ---------------------------------------------------------------

    def book_due(self) -> None:
        rows = self.due.table.selectionModel().selectedRows()
        if not rows:
            self.due.banner.show_message("info", tr("Choose a patient in the list first."))
            return
        entry = self.due.model.entry_at(rows[0].row())
        try:
            book = self._book.day(self._actor, self._today())
            practitioners = book.practitioners
            proposal = (self._book.propose(self._actor, entry.course_id,
                                           practitioners[0].staff_id)
                        if practitioners else None)
        except ClinicDeskError as exc:
            self.due.banner.show_message("danger", message_for(exc))
            return
        slots = proposal.slots if proposal is not None else ()
        zone = ZoneInfo(book.time_zone)
        start = slots[0] if slots else datetime.combine(
            self._today() + timedelta(days=1), time(9, 0), tzinfo=zone)
        text = ""
        if proposal is not None and proposal.window is not None:
            window = proposal.window
            if window.latest < self._today():
                text = tr("{session} was due {first:%d %b} – {last:%d %b}: book it as soon "
                          "as possible.")
            elif slots:
                text = tr("{session}: due {first:%d %b} – {last:%d %b}. The proposed times "
                          "are inside that window.")
            else:
                text = tr("{session}: due {first:%d %b} – {last:%d %b}. No free time inside "
                          "that window: choose another practitioner or time.")
            text = text.format(session=proposal.session_label, first=window.earliest,
                               last=window.latest)
        dialog = BookingDialog(
            start=start, practitioners=practitioners, rooms=book.rooms,
            find_patients=self._find_patients,
            check=lambda request: self._book.check(self._actor, request),
            practitioner_id=practitioners[0].staff_id if practitioners else None,
            patient=(entry.patient_id, entry.patient_name),
            kind=AppointmentKind.MICRONEEDLING, course_id=entry.course_id,
            proposals=slots, proposal_text=text, parent=self)
        if not self._dialogs.run(dialog) or dialog.request is None:
            return
        booked = self.day_view.book(dialog.request)
        if booked is not None:
            self.due.refresh()
            self.due.banner.show_message("success", tr(
                "Booked {patient} on {time:%a %d %b at %H:%M}.").format(
                patient=booked.patient_name, time=booked.start))

    def export_due(self) -> None:
        path = self._dialogs.choose_save_path(self, tr("Export the due list"), DUE_CSV_NAME,
                                              filters=tr("CSV files (*.csv)"))
        if path is None:
            return
        try:
            text = self._due_csv()
            Path(path).write_text(text, encoding="utf-8", newline="")
        except (ClinicDeskError, OSError) as exc:
            problem = message_for(exc) if isinstance(exc, ClinicDeskError) else str(exc)
            self.due.banner.show_message("danger", tr("Not exported: {problem}").format(
                problem=problem))
            return
        self.due.banner.show_message("success", tr("Exported {count} patient(s) to {path}.")
                                     .format(count=max(0, text.count("\n") - 1), path=path))
