"""The chart's Sessions tab: where the patient is in their course, every signed-off
session with its amendments and adverse events beside it, and the actions on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.roles import Permission
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.courses import CourseService
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.sessions import SessionService
from clinic_desk.services.treatment_dto import AdverseEventView, CourseView, SessionView
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.course_panel import CoursePanel
from clinic_desk.ui.sessions.record_dialogs import (
    AdverseEventDialog,
    AmendDialog,
    EndCourseDialog,
    FollowUpDialog,
    PlanCourseDialog,
)
from clinic_desk.ui.sessions.record_text import areas_summary, event_text
from clinic_desk.ui.sessions.record_view import RecordView
from clinic_desk.ui.sessions.session_list_model import SessionColumn, SessionListModel
from clinic_desk.ui.sessions.session_window import SessionWindow
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import enable_finger_scrolling, touch_buttons
from clinic_desk.ui.widgets import NoticeBanner, label


class SessionsTab(QWidget):
    sessions_changed = Signal()
    # A session was signed off here (SessionView): the chart offers its aftercare sheet.
    session_signed_off = Signal(object)
    # The person asked to print a session's aftercare sheet (its id).
    aftercare_requested = Signal(int)

    def __init__(self, *, sessions: SessionService, courses: CourseService,
                 events: AdverseEventService, actor: SignedInStaff, dialogs: DialogService,
                 patient_id: int, patient_name: Callable[[], str], protocol: Protocol,
                 date_format: DateFormat, time_zone: str, now: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sessions, self._courses, self._events = sessions, courses, events
        self._actor = actor
        self._dialogs = dialogs
        self.patient_id = patient_id
        self._patient_name = patient_name
        self._protocol = protocol
        self._date_format = date_format
        self._time_zone = time_zone
        self._now = now
        self.views: list[SessionView] = []
        self.course_views: list[CourseView] = []
        self.banner = NoticeBanner()
        self.course_panel = CoursePanel(protocol, date_format)
        self.no_course = label(tr("No course of treatment is planned. Plan one to see "
                                  "“session k of N” and when the next session is due."), "hint")
        self.model = SessionListModel(date_format, self.area_label, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Signed-off sessions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SessionColumn.SETTINGS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SessionColumn.DEVICE, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(110)  # a date whole, with the focus frame round it
        self.table.setColumnWidth(SessionColumn.DEVICE, 220)
        enable_finger_scrolling(self.table)
        self.record = RecordView(date_format, time_zone, self.area_label)
        may_treat = actor.may(Permission.RECORD_TREATMENT)
        self.toolbar = QToolBar(tr("Session actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(18, 18))
        self.record_action = self._action("syringe", tr("Record a session…"),
                                          self.record_session, "Ctrl+Shift+S")
        self.plan_action = self._action("calendar-days", tr("Plan a course…"), self.plan_course)
        self.change_course_action = self._action("pencil", tr("Change course…"),
                                                 self.change_course)
        self.end_course_action = self._action("archive", tr("End course…"), self.end_course)
        # The course's own actions sit with the course, above the session list's.
        self.course_bar = QToolBar(tr("Course actions"))
        self.course_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.course_bar.setIconSize(QSize(18, 18))
        for action in (self.plan_action, self.change_course_action, self.end_course_action):
            self.toolbar.removeAction(action)
            if may_treat:
                self.course_bar.addAction(action)
        self.amend_action = self._action("pencil", tr("Amend…"), self.amend_selected)
        self.event_action = self._action("triangle-alert", tr("Report an adverse event…"),
                                         self.report_event)
        self.follow_action = self._action("clipboard-check", tr("Follow up…"),
                                          self.follow_up_event)
        if not may_treat:
            for action in (self.record_action, self.amend_action, self.event_action,
                           self.follow_action, self.plan_action, self.change_course_action,
                           self.end_course_action):
                self.toolbar.removeAction(action)
                action.setVisible(False)
            self.toolbar.addWidget(label(tr("Practitioners record sessions; this view is "
                                            "read-only for you."), "hint"))
        self._lay_out()
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.refresh()

    def _action(self, icon_name: str, text: str, slot: Callable[[], None],
                shortcut: str = "") -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text.rstrip('…')} ({shortcut})")
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def _lay_out(self) -> None:
        detail = QScrollArea()
        detail.setWidgetResizable(True)
        detail.setWidget(self.record)
        enable_finger_scrolling(detail)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([220, 380])  # the record gets the larger share from the start
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.course_panel)
        column.addWidget(self.no_course)
        column.addWidget(self.course_bar)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 8, 0, 0)
        root.setSpacing(8)
        root.addWidget(self.banner)
        root.addWidget(top)
        root.addWidget(self.toolbar)
        root.addWidget(split, 1)
        touch_buttons(self.toolbar)
        touch_buttons(self.course_bar)

    def area_label(self, key: str) -> str:
        try:
            return tr(self._protocol.area(key).label)
        except KeyError:
            return key

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_session()
        try:
            self.views = self._sessions.sessions(self._actor, self.patient_id)
            self.course_views = [c for c in self._courses.courses(self._actor, self.patient_id)
                                 if not c.is_closed]
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.model.set_sessions(self.views)
        course = self.course_views[-1] if self.course_views else None
        if course is not None:
            self.course_panel.show_course(course)
        self.course_panel.setVisible(course is not None)
        for action in (self.change_course_action, self.end_course_action):
            action.setEnabled(course is not None)
        self.no_course.setVisible(course is None)
        row = self.model.row_of(selected.session_id) if selected else (0 if self.views else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._selected()

    def selected_session(self) -> SessionView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.session_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        view = self.selected_session()
        self.record.show_session(view, any_sessions=bool(self.views))
        for action in (self.amend_action, self.event_action):
            action.setEnabled(view is not None)
        self.follow_action.setEnabled(view is not None and
                                      any(e.is_open for e in view.adverse_events))

    def open_events(self) -> list[AdverseEventView]:
        return [e for v in self.views for e in v.adverse_events if e.is_open]

    def _session_words(self, view: SessionView) -> str:
        return tr("{day} ({settings})").format(
            day=format_date(view.session_date, self._date_format),
            settings=areas_summary(view, self.area_label))

    # --- actions -------------------------------------------------------------------------

    def record_session(self) -> None:
        try:
            window = SessionWindow(self._sessions, self._actor, self._dialogs,
                                   patient_id=self.patient_id, patient_name=self._patient_name(),
                                   date_format=self._date_format, time_zone=self._time_zone,
                                   now=self._now, parent=self)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self._dialogs.run(window)
        if window.signed is not None:
            signed = window.signed
            self._changed(tr("The session was signed off and locked."), signed)
            # One click from here to the patient's aftercare sheet.
            self.banner.show_message(
                "success", tr("The session was signed off and locked."),
                action_text=tr("Print aftercare sheet"), action_icon="printer",
                action=lambda: self.aftercare_requested.emit(signed.session_id))
            self.session_signed_off.emit(signed)

    def _changed(self, done: str, view: SessionView | None = None) -> None:
        self.refresh()
        if view is not None:
            self.table.selectRow(self.model.row_of(view.session_id))
        self.banner.show_message("success", done)
        self.sessions_changed.emit()

    def plan_course(self) -> None:
        dialog = PlanCourseDialog(
            self._protocol, lambda indication: self._courses.defaults(self._actor, indication),
            lambda plan: self._courses.plan(self._actor, self.patient_id, plan), parent=self)
        if self._dialogs.run(dialog):
            self._changed(tr("The course was planned."))

    def current_course(self) -> CourseView | None:
        return self.course_views[-1] if self.course_views else None

    def change_course(self) -> None:
        course = self.current_course()
        if course is None:
            return
        dialog = PlanCourseDialog(
            self._protocol, lambda indication: self._courses.defaults(self._actor, indication),
            lambda plan: self._courses.update(self._actor, course.course_id, plan,
                                              notes=course.notes,
                                              expected_version=course.version),
            parent=self, current=course.plan)
        if self._dialogs.run(dialog):
            self._changed(tr("The course was changed."))

    def end_course(self) -> None:
        course = self.current_course()
        if course is None:
            return
        dialog = EndCourseDialog(
            lambda reason: self._courses.close(self._actor, course.course_id, reason=reason,
                                               expected_version=course.version),
            course.indication_label, parent=self)
        if self._dialogs.run(dialog):
            self._changed(tr("The course was ended."))

    def amend_selected(self) -> None:
        view = self.selected_session()
        if view is None:
            return
        dialog = AmendDialog(
            lambda correction, reason: self._sessions.amend(
                self._actor, view.session_id, correction=correction, reason=reason),
            tr("Session of {session}.").format(session=self._session_words(view)), parent=self)
        if self._dialogs.run(dialog):
            self._changed(tr("The amendment was added beside the original."), view)

    def report_event(self) -> None:
        view = self.selected_session()
        if view is None:
            return
        dialog = AdverseEventDialog(
            lambda details: self._events.record(self._actor, view.session_id, details),
            session_words=self._session_words(view), date_format=self._date_format,
            today=self._now().date(), parent=self)
        if self._dialogs.run(dialog):
            self._changed(tr("The adverse event was recorded. It shows on the chart header "
                             "until it is closed."), view)

    def follow_up_event(self) -> None:
        view = self.selected_session()
        event = next((e for e in view.adverse_events if e.is_open), None) if view else None
        if view is None or event is None:
            return
        dialog = FollowUpDialog(
            lambda details: self._events.follow_up(self._actor, event.event_id, details),
            event_text(event, self._date_format), parent=self)
        if self._dialogs.run(dialog):
            self._changed(tr("The follow-up was added."), view)
