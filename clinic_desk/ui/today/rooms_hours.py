"""Settings for administrators: the clinic's treatment rooms and each practitioner's
weekly working hours (with one break a day), as the appointment book uses them."""

from __future__ import annotations

import calendar
from datetime import time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointments import AppointmentService
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import touch_buttons
from clinic_desk.ui.widgets import NoticeBanner, label, primary_button


def _time_edit(value: time, name: str) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    return edit


class DayRow:
    """One weekday: works or not, from, to, and an optional break."""

    def __init__(self, weekday: int) -> None:
        name = calendar.day_name[weekday]
        self.weekday = weekday
        self.works = QCheckBox(name)
        self.start = _time_edit(time(9, 0), tr("{day} from").format(day=name))
        self.end = _time_edit(time(17, 0), tr("{day} until").format(day=name))
        self.rest = QCheckBox(tr("Break"))
        self.rest.setAccessibleName(tr("{day} has a break").format(day=name))
        self.rest_start = _time_edit(time(12, 30), tr("{day} break from").format(day=name))
        self.rest_end = _time_edit(time(13, 0), tr("{day} break until").format(day=name))

    def show(self, day: DayHours | None) -> None:
        self.works.setChecked(day is not None)
        if day is None:
            return
        self.start.setTime(QTime(day.start.hour, day.start.minute))
        self.end.setTime(QTime(day.end.hour, day.end.minute))
        self.rest.setChecked(bool(day.breaks))
        if day.breaks:
            first = day.breaks[0]
            self.rest_start.setTime(QTime(first.start.hour, first.start.minute))
            self.rest_end.setTime(QTime(first.end.hour, first.end.minute))

    def hours(self) -> DayHours | None:
        if not self.works.isChecked():
            return None

        def clock(edit: QTimeEdit) -> time:
            return time(edit.time().hour(), edit.time().minute())

        breaks = ((Period(clock(self.rest_start), clock(self.rest_end)),)
                  if self.rest.isChecked() else ())
        return DayHours(self.weekday, clock(self.start), clock(self.end), breaks)


class RoomsAndHours(QWidget):
    def __init__(self, appointments: AppointmentService, actor: SignedInStaff,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomsAndHours")
        self._service = appointments
        self._actor = actor
        self.banner = NoticeBanner()
        self.rooms = QListWidget()
        self.rooms.setAccessibleName(tr("Treatment rooms (ticked rooms are in use)"))
        self.room_name = QLineEdit()
        self.room_name.setAccessibleName(tr("New room's name"))
        self.room_name.setPlaceholderText(tr("e.g. Room 3"))
        self.add_button = QPushButton(icon("building-2"), tr("Add the room"))
        self.practitioner = QComboBox()
        self.practitioner.setAccessibleName(tr("Practitioner whose hours these are"))
        self.days = [DayRow(n) for n in range(7)]
        self.save_button = primary_button(tr("Save the hours"), "save")
        grid = QGridLayout()
        for row, day in enumerate(self.days):
            for column, widget in enumerate((day.works, day.start, day.end, day.rest,
                                             day.rest_start, day.rest_end)):
                grid.addWidget(widget, row, column)
        add_row = QHBoxLayout()
        add_row.addWidget(self.room_name, 1)
        add_row.addWidget(self.add_button)
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.addWidget(self.banner)
        root.addWidget(label(tr("Treatment rooms"), "sectionTitle"))
        root.addWidget(label(tr("Untick a room that is no longer used: its past appointments "
                                "keep its name."), "hint"))
        root.addWidget(self.rooms)
        root.addLayout(add_row)
        root.addWidget(label(tr("Working hours"), "sectionTitle"))
        root.addWidget(self.practitioner)
        root.addLayout(grid)
        root.addWidget(self.save_button)
        root.addStretch(1)
        touch_buttons(self)
        self.add_button.clicked.connect(self.add_room)
        self.rooms.itemChanged.connect(self._room_ticked)
        self.practitioner.currentIndexChanged.connect(lambda _i: self._show_hours())
        self.save_button.clicked.connect(self.save_hours)
        self.refresh()

    def refresh(self) -> None:
        try:
            rooms = self._service.rooms(self._actor)
            practitioners = self._service.day(self._actor).practitioners
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.rooms.blockSignals(True)
        self.rooms.clear()
        for room in rooms:
            item = QListWidgetItem(icon("building-2"), room.name)
            item.setData(Qt.ItemDataRole.UserRole, (room.room_id, room.version, room.name))
            item.setCheckState(_checked(room.is_active))
            self.rooms.addItem(item)
        self.rooms.blockSignals(False)
        chosen = self.practitioner.currentData()
        self.practitioner.blockSignals(True)
        self.practitioner.clear()
        for p in practitioners:
            self.practitioner.addItem(icon("user-round"), p.full_name, p.staff_id)
        self.practitioner.setCurrentIndex(max(self.practitioner.findData(chosen), 0))
        self.practitioner.blockSignals(False)
        self._show_hours()

    def add_room(self) -> None:
        try:
            added = self._service.add_room(self._actor, self.room_name.text())
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.room_name.clear()
        self.refresh()
        self.banner.show_message("success", tr("{room} was added.").format(room=added.name))

    def _room_ticked(self, item: QListWidgetItem) -> None:
        room_id, version, name = item.data(Qt.ItemDataRole.UserRole)
        try:
            self._service.change_room(self._actor, room_id, name=name,
                                      is_active=item.checkState() == _checked(True),
                                      expected_version=version)
        except ConcurrentEditError as exc:
            self.banner.show_message("warning", message_for(exc), action_text=tr("Reload"),
                                     action_icon="refresh-cw", action=self.refresh)
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
        self.refresh()

    def _show_hours(self) -> None:
        staff_id = self.practitioner.currentData()
        if not isinstance(staff_id, int):
            return
        try:
            hours = self._service.working_hours(self._actor, staff_id)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        for row in self.days:
            row.show(None if hours is None else
                     next((d for d in hours.days if d.weekday == row.weekday), None))

    def save_hours(self) -> None:
        staff_id = self.practitioner.currentData()
        if not isinstance(staff_id, int):
            return
        days = tuple(d for d in (row.hours() for row in self.days) if d is not None)
        try:
            self._service.set_working_hours(self._actor, staff_id, WorkingHours(days))
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.banner.show_message("success", tr("The hours of {name} were saved.").format(
            name=self.practitioner.currentText()))


def scrolling(panel: QWidget) -> QScrollArea:
    """The panel in a scroll area, so that Settings still fits a 1024 x 768 screen."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def _checked(on: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
