"""The appointment book: a day (one column per practitioner or room) or a week (one
column per day for one practitioner). Book a free slot, move or resize by drag or by
keyboard; a clash is refused with the clash named, a time outside working hours asks
first, and a stale move offers Reload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.services.appointment_dto import (
    AppointmentView,
    BookingRequest,
    DayBook,
    OutsideWorkingHours,
)
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.book_port import AppointmentBook
from clinic_desk.ui.today.booking_dialog import BookingDialog, PatientFinder
from clinic_desk.ui.today.grid_model import SLOT_MINUTES, BookGridModel, Layout
from clinic_desk.ui.today.grid_view import GridView
from clinic_desk.ui.today.loading import LatestLoad, Runner, run_here
from clinic_desk.ui.today.status_steps import StatusSteps, Step, menu_for, step_look
from clinic_desk.ui.touch import touch_target
from clinic_desk.ui.widgets import NoticeBanner, label

OPENING = datetime(2000, 1, 1, 8, 0)  # only its time is used: where the grid opens


class BookView(QWidget):
    def __init__(self, book: AppointmentBook, actor: SignedInStaff, dialogs: DialogService, *,
                 find_patients: PatientFinder, week: bool = False,
                 today: Callable[[], date] = date.today,
                 run: Runner = run_here,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weekView" if week else "dayView")
        # The Today page passes run_in_background: the book loads off the UI thread.
        self.loading = LatestLoad(run, self)
        self._book = book
        self._actor = actor
        self._dialogs = dialogs
        self._find_patients = find_patients
        self._today = today
        self.week = week
        self.day = today()
        self.day_book: DayBook | None = None
        self.banner = NoticeBanner()
        self.previous_button = QPushButton(icon("chevron-left"), "")
        self.previous_button.setAccessibleName(tr("Previous week") if week else tr("Previous day"))
        self.today_button = QPushButton(tr("Today"))
        self.next_button = QPushButton(icon("chevron-right"), "")
        self.next_button.setAccessibleName(tr("Next week") if week else tr("Next day"))
        self.title = label("", "sectionTitle", wrap=False)
        self.columns = QComboBox()
        self.columns.setAccessibleName(tr("Columns") if not week else tr("Practitioner"))
        if not week:
            self.columns.addItem(icon("users"), tr("By practitioner"), Layout.PRACTITIONERS.value)
            self.columns.addItem(icon("building-2"), tr("By room"), Layout.ROOMS.value)
        for widget in (self.previous_button, self.today_button, self.next_button, self.columns):
            touch_target(widget)
        self.today_button.setMinimumWidth(self.today_button.sizeHint().width() + 8)
        # A long practitioner's name shortens in the chooser rather than squeezing the row.
        self.columns.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.columns.setMinimumContentsLength(16)
        self.title.setMinimumWidth(120)
        self.model = BookGridModel(self)
        self.grid = GridView(self.model)
        self.grid.horizontalHeader().setMinimumSectionSize(64 if week else 120)
        self._scrolled = False
        row = QHBoxLayout()
        row.addWidget(self.previous_button)
        row.addWidget(self.today_button)
        row.addWidget(self.next_button)
        row.addWidget(self.title, 1)
        row.addWidget(self.columns)
        hint = label(tr("Double-click or Enter on a free time books it. Drag to move, drag "
                        "the lower edge to resize; Alt+arrows move, Alt+Shift+Up/Down "
                        "resize."), "hint")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 8, 0, 0)
        root.addLayout(row)
        root.addWidget(hint)
        root.addWidget(self.grid, 1)
        # Under the grid, not above it: a message appearing must not move the time slots
        # under the pointer (a click after a booking landed one row lower).
        root.addWidget(self.banner)
        days = 7 if week else 1
        self.previous_button.clicked.connect(lambda: self.go(self.day - timedelta(days=days)))
        self.next_button.clicked.connect(lambda: self.go(self.day + timedelta(days=days)))
        self.today_button.clicked.connect(lambda: self.go(self._today()))
        self.columns.currentIndexChanged.connect(lambda _i: self._show())
        self.grid.book_requested.connect(self.book_at)
        self.grid.move_requested.connect(self.move_appointment)
        # The status steps as in the Today list: the same keys on the selected
        # appointment, and all of them on its context menu (right click or Menu key).
        self.steps = StatusSteps(book, actor, dialogs, banner=self.banner,
                                 refresh=self.refresh, changed=self._changed, today=today,
                                 parent=self)
        self.step_actions: dict[Step, QAction] = {}
        for each in Step:
            look = step_look(each)
            action = QAction(icon(look.icon_name), look.text, self.grid)
            action.setShortcut(QKeySequence(look.key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _c=False, s=each: self.run_step(s))
            self.grid.addAction(action)
            self.step_actions[each] = action
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._context_menu)
        self.menu: QMenu | None = None

    # --- showing -----------------------------------------------------------------------

    def go(self, day: date) -> None:
        self.day = day
        self.refresh()

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Loads `self.day` (through `run`); the grid keeps what it shows until the new
        day arrives, and a day the user has already moved past is never shown. `then`
        runs once this load is shown."""
        day, listing = self.day, self._book.week if self.week else self._book.day
        self.loading.load(lambda: listing(self._actor, day),
                          lambda book: self._loaded(book, then), self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.banner.show_message("danger", message_for(exc) if isinstance(
            exc, ClinicDeskError) else str(exc))

    def _loaded(self, book: DayBook, then: Callable[[], None] | None) -> None:
        self.day_book = book
        self.banner.clear_problem()
        if self.week and self.columns.count() != len(self.day_book.practitioners):
            chosen = self.columns.currentData()
            self.columns.blockSignals(True)
            self.columns.clear()
            for p in self.day_book.practitioners:
                self.columns.addItem(icon("user-round"), p.full_name, p.staff_id)
            index = self.columns.findData(chosen)
            self.columns.setCurrentIndex(max(index, 0))
            self.columns.blockSignals(False)
        self._show()
        if then is not None:
            then()

    def _show(self) -> None:
        if self.day_book is None:
            return
        book = self.day_book
        current = self.grid.currentIndex()
        if self.week:
            chosen = self.columns.currentData()
            self.model.set_book(book, Layout.WEEK, chosen if isinstance(chosen, int) else None)
            self.title.setText(tr("Week of {first:%d %b} – {last:%d %b %Y}").format(
                first=book.first_day, last=book.last_day))
        else:
            layout = self.columns.currentData()
            self.model.set_book(book, Layout(layout) if isinstance(layout, str)
                                else Layout.PRACTITIONERS, None)
            self.title.setText(f"{book.first_day:%A %d %B %Y}")
        self.grid.set_hours(book.hours())
        if current.isValid():
            self.grid.setCurrentIndex(self.model.index(current.row(), current.column()))
        elif not self._scrolled:
            # Open on the morning (or on the first appointment if it is earlier).
            rows = [p.row for p in self.model.placed] + [BookGridModel.row_of(OPENING)]
            self.grid.scrollTo(self.model.index(min(rows), 0),
                               QAbstractItemView.ScrollHint.PositionAtTop)
            self._scrolled = True

    # --- booking -----------------------------------------------------------------------

    def book_at(self, row: int, column: int) -> None:
        if self.day_book is None:
            return
        where = self.model.columns[column]
        dialog = BookingDialog(
            start=self.model.start_of(row, column), practitioners=self.day_book.practitioners,
            rooms=self.day_book.rooms, find_patients=self._find_patients,
            check=lambda request: self._book.check(self._actor, request),
            practitioner_id=where.practitioner_id, room_id=where.room_id,
            propose=lambda patient, practitioner, minutes: self._book.propose_for_patient(
                self._actor, patient, practitioner, minutes),
            today=self._today(), parent=self)
        if not self._dialogs.run(dialog) or dialog.request is None:
            return
        self.book(dialog.request)

    def book(self, request: BookingRequest) -> AppointmentView | None:
        try:
            try:
                booked = self._book.book(self._actor, request)
            except OutsideWorkingHours as warning:
                if not self._confirm_outside(warning):
                    return None
                booked = self._book.book(self._actor, request, accept_warnings=True)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return None
        shown = self.day_book.first_day <= booked.start.date() <= self.day_book.last_day if (
            self.day_book is not None) else False
        text = (tr("Booked {patient} at {time:%H:%M}.") if shown
                else tr("Booked {patient} on {time:%a %d %b} at {time:%H:%M}."))
        self.banner.show_message("success", text.format(patient=booked.patient_name,
                                                        time=booked.start))
        self.refresh()
        return booked

    def _confirm_outside(self, warning: OutsideWorkingHours) -> bool:
        return self._dialogs.confirm(self, tr("Outside working hours"), " ".join(
            warning.warnings), confirm_label=tr("Book anyway"))

    # --- moving ------------------------------------------------------------------------

    def move_appointment(self, appointment_id: int, row: int, column: int, rows: int) -> None:
        placed = self.model.placed_of(appointment_id)
        if placed is None or not 0 <= column < len(self.model.columns):
            return
        row = max(0, min(row, self.model.rowCount() - rows))
        view, where = placed.view, self.model.columns[column]
        start = self.model.start_of(row, column)
        length = view.length_minutes if rows == placed.rows else rows * SLOT_MINUTES

        def moving(accept: bool) -> AppointmentView:
            return self._book.move(
                self._actor, appointment_id, start=start, length_minutes=length,
                expected_version=view.version, practitioner_id=where.practitioner_id,
                room_id=where.room_id, accept_warnings=accept)

        try:
            try:
                moved = moving(False)
            except OutsideWorkingHours as warning:
                if not self._dialogs.confirm(self, tr("Outside working hours"), " ".join(
                        warning.warnings), confirm_label=tr("Move anyway")):
                    return
                moved = moving(True)
        except ConcurrentEditError as exc:
            self.banner.show_message("warning", message_for(exc), action_text=tr("Reload"),
                                     action_icon="refresh-cw", action=self.refresh)
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.banner.show_message("success", tr("Moved {patient} to {time:%H:%M}.").format(
            patient=moved.patient_name, time=moved.start))

        def select_moved() -> None:
            moved_to = self.model.placed_of(moved.appointment_id)
            if moved_to is not None:
                self.grid.setCurrentIndex(self.model.index(moved_to.row, moved_to.column))

        self.refresh(then=select_moved)

    # --- status steps ------------------------------------------------------------------

    def selected(self) -> AppointmentView | None:
        index = self.grid.currentIndex()
        if not index.isValid():
            return None
        return self.model.appointment_at(index.row(), index.column())

    def run_step(self, step: Step) -> AppointmentView | None:
        return self.steps.run(step, self.selected())

    def _changed(self, view: AppointmentView) -> None:
        placed = self.model.placed_of(view.appointment_id)
        if placed is not None:
            self.grid.setCurrentIndex(self.model.index(placed.row, placed.column))

    def _context_menu(self, point: QPoint) -> None:
        index = self.grid.indexAt(point)
        if not index.isValid():
            return
        self.grid.setCurrentIndex(index)
        view = self.model.appointment_at(index.row(), index.column())
        if view is None:
            when = self.model.start_of(index.row(), index.column())
            why = self.grid.why_shaded(index.row(), index.column())
            book = QAction(icon("calendar"), (
                tr("Book at {time:%H:%M} (outside working hours)…") if why
                else tr("Book at {time:%H:%M}…")).format(time=when), self)
            book.setToolTip(why)
            book.triggered.connect(lambda: self.book_at(index.row(), index.column()))
            self.menu = QMenu(self)
            self.menu.addAction(book)
        else:
            self.menu = menu_for(view, self.steps, parent=self)
        self.menu.popup(self.grid.viewport().mapToGlobal(point))

    def focus_grid(self) -> None:
        self.grid.setFocus()
