"""Book an appointment: who, what, with whom, where and when. Clashes show inline, in the
service's words, before anything is booked; the Book button waits until there are none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.booking import KIND_LABELS, MAX_LENGTH_MINUTES, AppointmentKind
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.appointment_dto import (
    BookingCheck,
    BookingRequest,
    PractitionerView,
    RoomView,
)
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.today.grid_model import SLOT_MINUTES
from clinic_desk.ui.touch import touch_buttons
from clinic_desk.ui.widgets import FieldError, label

DEFAULT_LENGTHS = {
    AppointmentKind.CONSULTATION: 30, AppointmentKind.MICRONEEDLING: 60,
    AppointmentKind.RF_SESSION: 75, AppointmentKind.REVIEW: 15,
    AppointmentKind.MAINTENANCE: 60,
}

PatientFinder = Callable[[str], Sequence[tuple[int, str]]]
BookingChecker = Callable[[BookingRequest], BookingCheck]


class BookingDialog(QDialog):
    def __init__(self, *, start: datetime, practitioners: Sequence[PractitionerView],
                 rooms: Sequence[RoomView], find_patients: PatientFinder,
                 check: BookingChecker, practitioner_id: int | None = None,
                 room_id: int | None = None, patient: tuple[int, str] | None = None,
                 kind: AppointmentKind | None = None, course_id: int | None = None,
                 proposals: Sequence[datetime] = (), proposal_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Book an appointment"))
        self.setObjectName("bookingDialog")
        self._start = start
        self._find = find_patients
        self._check = check
        self._course_id = course_id
        self.request: BookingRequest | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Name, phone or patient number"))
        self.search.setAccessibleName(tr("Find the patient"))
        self.patient = QComboBox()
        self.patient.setAccessibleName(tr("Patient"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(tr("Kind of appointment"))
        for each in AppointmentKind:
            self.kind.addItem(tr(KIND_LABELS[each]), each.value)
        self.length = QSpinBox()
        self.length.setRange(SLOT_MINUTES // 3, MAX_LENGTH_MINUTES)
        self.length.setSingleStep(SLOT_MINUTES)
        self.length.setSuffix(tr(" min"))
        self.length.setAccessibleName(tr("Length in minutes"))
        self.practitioner = QComboBox()
        self.practitioner.setAccessibleName(tr("Practitioner"))
        for p in practitioners:
            self.practitioner.addItem(p.full_name, p.staff_id)
        self.room = QComboBox()
        self.room.setAccessibleName(tr("Room"))
        for r in rooms:
            if r.is_active:
                self.room.addItem(r.name, r.room_id)
        self.time = QTimeEdit(QTime(start.hour, start.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName(tr("Start time"))
        self.note = QLineEdit()
        self.note.setAccessibleName(tr("Note"))
        self.proposals = QComboBox()
        self.proposals.setAccessibleName(tr("Proposed times inside the course's window"))
        for slot in proposals:
            self.proposals.addItem(f"{slot:%a %d %b %H:%M}", slot)
        self.proposal_text = label(proposal_text, "hint")
        self.day_text = label("", "hint")
        self.clash = FieldError()
        self.warning = label("", "hint")
        self.buttons = QDialogButtonBox()
        self.book_button = self.buttons.addButton(tr("Book"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow(tr("Find"), self.search)
        form.addRow(tr("Patient"), self.patient)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Length"), self.length)
        form.addRow(tr("Practitioner"), self.practitioner)
        form.addRow(tr("Room"), self.room)
        if proposals:
            form.addRow(tr("Proposed"), self.proposals)
        form.addRow(tr("Starts at"), self.time)
        form.addRow("", self.day_text)
        form.addRow(tr("Note"), self.note)
        root = QVBoxLayout(self)
        root.addWidget(label(tr("Book an appointment"), "pageTitle"))
        if proposal_text:
            root.addWidget(self.proposal_text)
        root.addLayout(form)
        root.addWidget(self.clash)
        root.addWidget(self.warning)
        root.addWidget(self.buttons)
        touch_buttons(self)
        self._select(self.practitioner, practitioner_id)
        self._select(self.room, room_id)
        if patient is not None:
            self.patient.addItem(patient[1], patient[0])
        # The clinic's usual appointment unless the caller knows better.
        self.kind.setCurrentIndex(
            self.kind.findData((kind or AppointmentKind.MICRONEEDLING).value))
        self._kind_changed()
        self.proposals.currentIndexChanged.connect(lambda _i: self._proposal_chosen())
        self._proposal_chosen()
        self.search.textChanged.connect(self._search)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        for combo in (self.patient, self.practitioner, self.room):
            combo.currentIndexChanged.connect(lambda _i: self.recheck())
        self.length.valueChanged.connect(lambda _v: self.recheck())
        self.time.timeChanged.connect(lambda _t: self.recheck())
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.recheck()

    @staticmethod
    def _select(combo: QComboBox, value: int | None) -> None:
        index = combo.findData(value) if value is not None else -1
        if index >= 0:
            combo.setCurrentIndex(index)

    def _proposal_chosen(self) -> None:
        slot = self.proposals.currentData()
        if isinstance(slot, datetime):
            self._start = slot
            self.time.setTime(QTime(slot.hour, slot.minute))
        self.day_text.setText(f"{self._start:%A %d %B %Y}")
        self.recheck()

    def _kind_changed(self) -> None:
        kind = self.chosen_kind()
        if kind is not None:
            self.length.setValue(DEFAULT_LENGTHS[kind])
        self.recheck()

    def _search(self, text: str) -> None:
        try:
            found = self._find(text)
        except ClinicDeskError as exc:
            self.clash.show_problem(message_for(exc))
            return
        self.patient.blockSignals(True)
        self.patient.clear()
        for patient_id, name in found:
            self.patient.addItem(name, patient_id)
        self.patient.blockSignals(False)
        self.recheck()

    def chosen_kind(self) -> AppointmentKind | None:
        # Qt hands a StrEnum back as a plain str: the value is stored and looked up.
        data = self.kind.currentData()
        return AppointmentKind(data) if isinstance(data, str) and data else None

    def current(self) -> BookingRequest | None:
        patient, practitioner = self.patient.currentData(), self.practitioner.currentData()
        room, kind = self.room.currentData(), self.chosen_kind()
        if not (isinstance(patient, int) and isinstance(practitioner, int)
                and isinstance(room, int) and isinstance(kind, AppointmentKind)):
            return None
        chosen = self.time.time()
        start = self._start.replace(hour=chosen.hour(), minute=chosen.minute())
        return BookingRequest(patient, practitioner, room, start, self.length.value(), kind,
                              note=self.note.text(), course_id=self._course_id)

    def recheck(self) -> None:
        request = self.current()
        self.clash.clear()
        self.warning.setText("")
        if request is None:
            self.book_button.setEnabled(False)
            self.warning.setText(
                tr("The clinic has no room in use: an administrator adds them in Settings, "
                   "Rooms and hours.") if self.room.count() == 0
                else tr("No practitioner yet: add one in Settings, Staff.")
                if self.practitioner.count() == 0
                else tr("Find and choose the patient to book."))
            return
        try:
            found = self._check(request)
        except ClinicDeskError as exc:
            self.clash.show_problem(message_for(exc))
            self.book_button.setEnabled(False)
            return
        if found.clashes:
            self.clash.show_problem(" ".join(found.clashes))
        if found.warnings:
            self.warning.setText(tr("Warning: {text}").format(text=" ".join(found.warnings)))
        self.book_button.setEnabled(not found.clashes)

    def _accept(self) -> None:
        self.request = self.current()
        if self.request is not None and self.book_button.isEnabled():
            self.accept()
