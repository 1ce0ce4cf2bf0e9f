"""Where a patient stands in their course: "session k of N", the window for the next
session or the maintenance recall, and every session's settings at a glance."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.course import (
    STATE_LABELS,
    CoursePlan,
    CourseProgress,
    CourseState,
    Progression,
)
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.protocol import Protocol as TreatmentProtocol
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.status import StatusBadge, StatusLook
from clinic_desk.ui.sessions.timeline_model import TimelineModel
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.touch import enable_finger_scrolling
from clinic_desk.ui.widgets import label


class CourseLike(Protocol):
    @property
    def indication_label(self) -> str: ...
    @property
    def plan(self) -> CoursePlan: ...
    @property
    def progress(self) -> CourseProgress: ...
    @property
    def timeline(self) -> Progression: ...
    @property
    def started_on(self) -> date: ...


def state_look(state: CourseState) -> StatusLook:
    word = tr(STATE_LABELS[state])
    return {
        CourseState.NOT_STARTED: StatusLook(word, "hourglass", Tone.NORMAL),
        CourseState.NOT_YET_DUE: StatusLook(word, "calendar-days", Tone.NORMAL),
        CourseState.DUE: StatusLook(word, "calendar-days", Tone.SUCCESS),
        CourseState.OVERDUE: StatusLook(word, "triangle-alert", Tone.WARNING),
        CourseState.COMPLETE: StatusLook(word, "circle-check", Tone.SUCCESS),
        CourseState.RECALL_DUE: StatusLook(word, "refresh-cw", Tone.WARNING),
    }[state]


def where_text(progress: CourseProgress) -> str:
    """"Session 3 of 4 next" / "4 of 4 sessions done"."""
    if progress.next_label:
        return tr("{label} next · {done} done").format(label=tr(progress.next_label),
                                                      done=progress.sessions_done)
    return tr("{done} of {planned} sessions done").format(done=progress.sessions_done,
                                                          planned=progress.planned_sessions)


def when_text(progress: CourseProgress, date_format: DateFormat) -> str:
    window = progress.next_window
    if window is not None:
        return tr("Next session between {earliest} and {latest}").format(
            earliest=format_date(window.earliest, date_format),
            latest=format_date(window.latest, date_format))
    if progress.recall_on is not None:
        return tr("Maintenance recall from {day}").format(
            day=format_date(progress.recall_on, date_format))
    return tr("The first session can be booked now.")


class CoursePanel(QFrame):
    def __init__(self, protocol: TreatmentProtocol, date_format: DateFormat,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coursePanel")
        self._date_format = date_format
        self._protocol = protocol
        self.title = label("", "sectionTitle")
        self.where = label("", "courseWhere", wrap=False)
        self.when = label("", None)
        self.badge = StatusBadge()
        self.model = TimelineModel(date_format, self._area_label, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Settings used in each session of the course"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Read at a glance; the same settings are in the session list, which takes the keys.
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        enable_finger_scrolling(self.table)
        head = QHBoxLayout()
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.title)
        words.addWidget(self.where)
        words.addWidget(self.when)
        head.addLayout(words, 1)
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        root = QVBoxLayout(self)
        root.setContentsMargins(14, 12, 14, 12)
        root.addLayout(head)
        root.addWidget(self.table, 1)

    def _area_label(self, key: str) -> str:
        try:
            return tr(self._protocol.area(key).label)
        except KeyError:
            return key

    def set_protocol(self, protocol: TreatmentProtocol) -> None:
        self._protocol = protocol

    def show_course(self, course: CourseLike) -> None:
        plan = course.plan
        self.title.setText(tr("{indication}: course of {planned} sessions, every {low} to "
                              "{high} weeks").format(
            indication=course.indication_label, planned=plan.planned_sessions,
            low=plan.interval_min_days // 7, high=plan.interval_max_days // 7))
        self.where.setText(where_text(course.progress))
        self.when.setText(when_text(course.progress, self._date_format))
        look = state_look(course.progress.state)
        self.badge.show_look(look, look.word)
        self.badge.setAccessibleName(tr("Course: {state}").format(state=look.word))
        self.model.set_progression(course.timeline)
        self.table.setVisible(bool(course.timeline.entries))
        # As tall as its sessions (up to six rows; it scrolls beyond), no taller.
        rows = min(max(len(course.timeline.entries), 1), 6)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows * 36 + 2 * self.table.frameWidth() + 2)
