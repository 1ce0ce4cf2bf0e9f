"""Today's appointments for reception, or one treatment room's queue.

Space checks the selected patient in, R hands them to their room ("Ready for room N"),
C opens their consents and S the session form (what the treatment room does next).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.booking import AppointmentStatus, Punctuality
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.services.appointment_dto import AppointmentView, DayBook
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.book_port import AppointmentBook
from clinic_desk.ui.today.day_model import DayColumn, DayModel
from clinic_desk.ui.today.loading import LatestLoad, Runner, run_here
from clinic_desk.ui.touch import enable_finger_scrolling, touch_target
from clinic_desk.ui.widgets import NoticeBanner, label

WHOLE_CLINIC = 0  # the "Show" chooser's first entry; then one entry per room
# Wide enough for the usual words; "Before treatment" takes the rest.
COLUMN_WIDTHS = {DayColumn.TIME: 112, DayColumn.PATIENT: 230, DayColumn.STATUS: 180,
                 DayColumn.TREATMENT: 180, DayColumn.PRACTITIONER: 170, DayColumn.ROOM: 76}


def in_room_queue(view: AppointmentView, room_id: int) -> bool:
    """Handed to the room and waiting, or being treated there."""
    return ((view.status is AppointmentStatus.ARRIVED and view.ready_for_room_id == room_id)
            or (view.status is AppointmentStatus.IN_TREATMENT and view.room_id == room_id))


class TodayList(QWidget):
    def __init__(self, book: AppointmentBook, actor: SignedInStaff, *,
                 open_consents: Callable[[int], object],
                 open_session: Callable[[int], object],
                 today: Callable[[], date | None] = lambda: None,
                 run: Runner = run_here,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayList")
        # The Today page passes run_in_background: the day loads off the UI thread.
        self.loading = LatestLoad(run, self)
        self._book = book
        self._actor = actor
        self._open_consents = open_consents
        self._open_session = open_session
        self._today = today
        self.day_book: DayBook | None = None
        self.banner = NoticeBanner()
        self.show_chooser = QComboBox()
        self.show_chooser.setAccessibleName(tr("Show the whole clinic or one room's queue"))
        self.show_chooser.addItem(icon("users"), tr("Whole clinic"), None)
        self.show_chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.show_chooser.setMinimumContentsLength(11)
        touch_target(self.show_chooser)
        self.subtitle = label("", "hint")
        self.model = DayModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Today's appointments"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DayColumn.READINESS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the tooltip has it all
        enable_finger_scrolling(self.table)
        self.empty = CalmEmptyState("calendar-days", tr("Nothing booked today"), tr(
            "Book from the Day view: click a free time or choose it with the arrow keys "
            "and press Enter."))
        self.queue_empty = CalmEmptyState("user-check", tr("Nobody waiting for this room"), tr(
            "Reception hands patients over with \u201cReady for room\u201d; they appear here "
            "within a second or two."))
        self.stack = QStackedWidget()
        for widget in (self.table, self.empty, self.queue_empty):
            self.stack.addWidget(widget)
        self.check_in_action = self._action("log-in", tr("Check in"), "Space", self.check_in)
        self.hand_over_action = self._action("user-check", tr("Ready for room"), "R",
                                             self.hand_over)
        self.consent_action = self._action("file-signature", tr("Consents"), "C",
                                           self.open_consents)
        self.session_action = self._action("syringe", tr("Session form"), "S",
                                           self.open_session)
        # The treatment room's own steps: the patient comes in, and leaves treated.
        self.start_action = self._action("hand", tr("Start treatment"), "T",
                                         lambda: self._status(AppointmentStatus.IN_TREATMENT))
        self.done_action = self._action("circle-check", tr("Done"), "D",
                                        lambda: self._status(AppointmentStatus.DONE))
        self.no_show_action = self._action("octagon-x", tr("Mark as no-show"), "N",
                                           lambda: self._status(AppointmentStatus.NO_SHOW))
        # Every action is also on the list's context menu (right click or the Menu key).
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(label(tr("Show:"), wrap=False))
        buttons.addWidget(self.show_chooser)
        buttons.addStretch(1)
        self.buttons: dict[QAction, QPushButton] = {}
        for action in (self.check_in_action, self.hand_over_action, self.start_action,
                       self.done_action, self.consent_action, self.session_action):
            button = QPushButton(action.icon(), action.text())
            button.setToolTip(action.toolTip())
            button.setAccessibleName(action.text())
            button.clicked.connect(action.trigger)
            touch_target(button)
            # Whole words on the buttons: the chooser gives way first.
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.buttons[action] = button
            buttons.addWidget(button)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 8, 0, 0)
        root.setSpacing(8)
        root.addLayout(buttons)
        root.addWidget(self.subtitle)
        root.addWidget(self.banner)
        root.addWidget(self.stack, 1)
        self.show_chooser.currentIndexChanged.connect(lambda _i: self._show())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.table.doubleClicked.connect(lambda _index: self.open_session())
        self._enable()

    def _action(self, icon_name: str, text: str, key: str,
                slot: Callable[[], None]) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shortcut})")
        action.triggered.connect(slot)
        self.table.addAction(action)
        return action

    # --- loading -----------------------------------------------------------------------

    def room_id(self) -> int | None:
        data = self.show_chooser.currentData()
        return data if isinstance(data, int) else None

    def show_room(self, room_id: int | None) -> None:
        index = self.show_chooser.findData(room_id) if room_id is not None else WHOLE_CLINIC
        self.show_chooser.setCurrentIndex(max(index, WHOLE_CLINIC))

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Reloads the day (through `run`; the rows shown stay until the new ones
        arrive); only rows that changed repaint and the selection stays. `then` runs once
        this load is shown (not if a newer one overtook it)."""
        self.loading.load(lambda: self._book.day(self._actor, self._today()),
                          lambda book: self._loaded(book, then), self._load_failed)

    def _loaded(self, book: DayBook, then: Callable[[], None] | None) -> None:
        self.day_book = book
        self.banner.clear_problem()
        self._fill_rooms()
        self._show()
        if then is not None:
            then()

    def _load_failed(self, exc: BaseException) -> None:
        self.banner.show_message("danger", message_for(exc) if isinstance(
            exc, ClinicDeskError) else str(exc))

    def _fill_rooms(self) -> None:
        assert self.day_book is not None
        wanted = [(r.room_id, r.name) for r in self.day_book.rooms if r.is_active]
        have = [(self.show_chooser.itemData(i), self.show_chooser.itemText(i))
                for i in range(1, self.show_chooser.count())]
        if wanted == have:
            return
        chosen = self.room_id()
        self.show_chooser.blockSignals(True)
        while self.show_chooser.count() > 1:
            self.show_chooser.removeItem(1)
        for room_id, name in wanted:
            self.show_chooser.addItem(icon("building-2"), tr("Queue: {room}").format(room=name),
                                      room_id)
        self.show_chooser.blockSignals(False)
        self.show_room(chosen)

    def _show(self) -> None:
        if self.day_book is None:
            return
        selected = self.selected()
        room = self.room_id()
        views = [v for v in self.day_book.appointments
                 if room is None or in_room_queue(v, room)]
        in_place = self.model.set_appointments(views)
        if not in_place and selected is not None:
            row = self.model.row_of(selected.appointment_id)
            if row is not None:
                self.table.selectRow(row)
        if room is not None and views and self.selected() is None:
            self.table.selectRow(0)  # the treatment room works on the first in its queue
        empty = self.queue_empty if room is not None else self.empty
        self.stack.setCurrentWidget(self.table if views else empty)
        self.subtitle.setText(self._summary(views))
        self._enable()

    def _summary(self, views: list[AppointmentView]) -> str:
        if self.room_id() is not None:
            return tr("{count} patient(s) waiting or in treatment. S opens the session "
                      "form, C the consents.").format(count=len(views))
        arrived = sum(1 for v in views if v.status is AppointmentStatus.ARRIVED)
        late = sum(1 for v in views
                   if v.punctuality not in (None, Punctuality.EXPECTED))
        return tr("{count} appointment(s), {arrived} arrived, {late} late or not arrived. "
                  "Space checks in, R hands over to the room.").format(
            count=len(views), arrived=arrived, late=late)

    # --- acting ------------------------------------------------------------------------

    def selected(self) -> AppointmentView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.view_at(rows[0].row()) if rows else None

    def select(self, appointment_id: int) -> None:
        row = self.model.row_of(appointment_id)
        if row is not None:
            self.table.selectRow(row)

    def _enable(self) -> None:
        view = self.selected()
        status = view.status if view else None
        self.check_in_action.setEnabled(
            status in (AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW))
        self.hand_over_action.setEnabled(status is AppointmentStatus.ARRIVED)
        self.consent_action.setEnabled(view is not None)
        self.session_action.setEnabled(view is not None)
        at_reception = self.room_id() is None
        self.start_action.setEnabled(not at_reception and status is AppointmentStatus.ARRIVED)
        self.done_action.setEnabled(not at_reception
                                    and status is AppointmentStatus.IN_TREATMENT)
        self.no_show_action.setEnabled(
            at_reception and view is not None and view.punctuality in (
                Punctuality.LATE, Punctuality.LIKELY_NO_SHOW))
        reception_only = (self.check_in_action, self.hand_over_action)
        room_only = (self.start_action, self.done_action)
        for action, button in self.buttons.items():
            button.setEnabled(action.isEnabled())
            # Reception checks in and hands over; the treatment room starts and finishes.
            button.setVisible(action not in (room_only if at_reception else reception_only))
        text = (tr("Ready for {room}").format(room=view.room_name)
                if view is not None and view.status is AppointmentStatus.ARRIVED
                else tr("Ready for room"))
        self.hand_over_action.setText(text)
        self.buttons[self.hand_over_action].setText(text)
        self.buttons[self.hand_over_action].setAccessibleName(text)

    def _run(self, change: Callable[[AppointmentView], AppointmentView], done: str) -> None:
        view = self.selected()
        if view is None:
            return
        try:
            changed = change(view)
        except ConcurrentEditError as exc:
            self.banner.show_message("warning", message_for(exc), action_text=tr("Reload"),
                                     action_icon="refresh-cw", action=self.refresh)
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.banner.show_message("success", done.format(patient=changed.patient_name,
                                                        room=changed.ready_for_room_name))
        self.refresh(then=lambda: self.select(changed.appointment_id))

    def check_in(self) -> None:
        self._run(lambda v: self._book.check_in(self._actor, v.appointment_id,
                                                expected_version=v.version),
                  tr("{patient} is checked in."))

    def hand_over(self) -> None:
        self._run(lambda v: self._book.hand_over(self._actor, v.appointment_id, v.room_id,
                                                 expected_version=v.version),
                  tr("{patient} is ready for {room}."))

    def _status(self, wanted: AppointmentStatus) -> None:
        done = {
            AppointmentStatus.IN_TREATMENT: tr("{patient} is in treatment."),
            AppointmentStatus.DONE: tr("{patient}'s appointment is done."),
        }.get(wanted, tr("{patient} is marked as a no-show."))
        self._run(lambda v: self._book.set_status(self._actor, v.appointment_id, wanted,
                                                  expected_version=v.version), done)

    def open_consents(self) -> None:
        view = self.selected()
        if view is not None:
            self._open_consents(view.patient_id)

    def open_session(self) -> None:
        view = self.selected()
        if view is not None:
            self._open_session(view.patient_id)

    def focus_list(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
