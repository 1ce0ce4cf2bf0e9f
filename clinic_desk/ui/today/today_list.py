"""Today's appointments for reception, or one treatment room's queue.

Space checks the selected patient in, R hands them to their room ("Ready for room N"),
Delete cancels (with a reason), C opens their consents and S the session form (what the
treatment room does next); the context menu has every status step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.booking import AppointmentStatus, Punctuality
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.appointment_dto import AppointmentView, DayBook
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.book_port import AppointmentBook
from clinic_desk.ui.today.day_model import DayColumn, DayModel
from clinic_desk.ui.today.loading import LatestLoad, Runner, run_here
from clinic_desk.ui.today.status_steps import (
    StatusSteps,
    Step,
    menu_for,
    shortcut_text,
    step_look,
    step_text,
)
from clinic_desk.ui.touch import enable_finger_scrolling, touch_target
from clinic_desk.ui.widgets import NoticeBanner, label

WHOLE_CLINIC = 0  # the "Show" chooser's first entry; then one entry per room
# Wide enough for the usual words; "Before treatment" takes the rest.
COLUMN_WIDTHS = {DayColumn.TIME: 112, DayColumn.PATIENT: 230, DayColumn.STATUS: 180,
                 DayColumn.TREATMENT: 190, DayColumn.PRACTITIONER: 170, DayColumn.ROOM: 140}


def in_room_queue(view: AppointmentView, room_id: int) -> bool:
    """Handed to the room and waiting, or being treated there."""
    return ((view.status is AppointmentStatus.ARRIVED and view.ready_for_room_id == room_id)
            or (view.status is AppointmentStatus.IN_TREATMENT and view.room_id == room_id))


class TodayList(QWidget):
    def __init__(self, book: AppointmentBook, actor: SignedInStaff, dialogs: DialogService, *,
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
        self.steps = StatusSteps(book, actor, dialogs, banner=self.banner,
                                 refresh=self.refresh, changed=self._changed, today=today,
                                 parent=self)
        self.step_actions = {step: self._step_action(step) for step in Step}
        self.check_in_action = self.step_actions[Step.CHECK_IN]
        self.hand_over_action = self.step_actions[Step.HAND_OVER]
        # The treatment room's own steps: the patient comes in, and leaves treated.
        self.start_action = self.step_actions[Step.START]
        self.done_action = self.step_actions[Step.DONE]
        self.no_show_action = self.step_actions[Step.NO_SHOW]
        self.cancel_action = self.step_actions[Step.CANCEL]
        self.consent_action = self._action("file-signature", tr("Consents"), "C",
                                           self.open_consents)
        self.session_action = self._action("syringe", tr("Session form"), "S",
                                           self.open_session)
        # Every step is also on the list's context menu (right click or the Menu key),
        # the ones that do not apply greyed out with the reason beside them.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.menu: QMenu | None = None
        # The chooser and the day's summary on one row, the steps on the next: whole
        # words on every button down to a 1024-pixel screen.
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(label(tr("Show:"), wrap=False))
        top.addWidget(self.show_chooser)
        top.addSpacing(8)
        top.addWidget(self.subtitle, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.buttons: dict[QAction, QPushButton] = {}
        for action in (self.check_in_action, self.hand_over_action, self.start_action,
                       self.done_action, self.cancel_action, self.consent_action,
                       self.session_action):
            button = QPushButton(action.icon(), action.text())
            button.setToolTip(action.toolTip())
            button.setAccessibleName(action.text())
            button.clicked.connect(action.trigger)
            touch_target(button)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.buttons[action] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 8, 0, 0)
        root.setSpacing(8)
        root.addLayout(top)
        root.addLayout(buttons)
        root.addWidget(self.banner)
        root.addWidget(self.stack, 1)
        self.show_chooser.currentIndexChanged.connect(lambda _i: self._show())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.table.doubleClicked.connect(lambda _index: self.open_session())
        self._enable()

    def _step_action(self, step: Step) -> QAction:
        look = step_look(step)
        return self._action(look.icon_name, look.text, look.key,
                            lambda: self.run_step(step))

    def _action(self, icon_name: str, text: str, key: str,
                slot: Callable[[], object]) -> QAction:
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
                  "Space checks in, R hands over to the room, Delete cancels.").format(
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
        at_reception = self.room_id() is None
        # Where each step is taken: reception checks in, hands over, marks a no-show and
        # cancels; the treatment room starts and finishes. The context menu has them all.
        room_only = (Step.START, Step.DONE)
        for step, action in self.step_actions.items():
            here = (step not in room_only) if at_reception else (step in room_only)
            # A key on an appointment the step does not apply to says why in the banner.
            action.setEnabled(view is not None and here)
            refused = None if view is None else self.steps.refusal(step, view)
            text = step_text(step, view if view is not None
                             and view.status is AppointmentStatus.ARRIVED else None)
            action.setText(text)
            button = self.buttons.get(action)
            if button is None:
                continue
            # "Cancel…" on the button (its tooltip and the menu say what is cancelled).
            button.setText(tr("Cancel…") if step is Step.CANCEL else text)
            button.setAccessibleName(text)
            button.setEnabled(view is not None and refused is None)
            shortcut = shortcut_text(step_look(step).key)
            button.setToolTip(refused if refused is not None
                              else f"{text} ({shortcut})")
            button.setVisible(here)
        self.consent_action.setEnabled(view is not None)
        self.session_action.setEnabled(view is not None)
        for action in (self.consent_action, self.session_action):
            self.buttons[action].setEnabled(action.isEnabled())

    def run_step(self, step: Step) -> AppointmentView | None:
        return self.steps.run(step, self.selected())

    def _changed(self, view: AppointmentView) -> None:
        self.select(view.appointment_id)

    def _context_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if index.isValid():
            self.table.selectRow(index.row())
        view = self.selected()
        if view is None:
            return
        if not index.isValid():  # the Menu key: at the selected row
            point = self.table.visualRect(
                self.model.index(self.model.row_of(view.appointment_id) or 0, 0)).center()
        self.menu = menu_for(view, self.steps,
                             extra=(self.consent_action, self.session_action), parent=self)
        self.menu.popup(self.table.viewport().mapToGlobal(point))

    def check_in(self) -> None:
        self.run_step(Step.CHECK_IN)

    def hand_over(self) -> None:
        self.run_step(Step.HAND_OVER)

    def cancel(self) -> None:
        self.run_step(Step.CANCEL)

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
