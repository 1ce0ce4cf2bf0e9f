"""Book an appointment: who, what, with whom, where and when. Clashes show inline, in the
service's words, before anything is booked; the Book button waits until there are none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.booking import KIND_LABELS, MAX_LENGTH_MINUTES, AppointmentKind
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.appointment_dto import (
    TREATMENT_KINDS,
    BookingCheck,
    BookingRequest,
    CourseProposal,
    PractitionerView,
    RoomView,
)
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.today.grid_model import SLOT_MINUTES
from clinic_desk.ui.touch import touch_buttons, touch_target
from clinic_desk.ui.widgets import FieldError, label

DEFAULT_LENGTHS = {
    AppointmentKind.CONSULTATION: 30, AppointmentKind.MICRONEEDLING: 60,
    AppointmentKind.RF_SESSION: 75, AppointmentKind.REVIEW: 15,
    AppointmentKind.MAINTENANCE: 60,
}

PatientFinder = Callable[[str], Sequence[tuple[int, str]]]
BookingChecker = Callable[[BookingRequest], BookingCheck]
# patient id, practitioner id, length in minutes -> the patient's course proposal or None
CourseProposer = Callable[[int, int, int], CourseProposal | None]
PROPOSALS_PER_ROW = 3


def proposal_words(proposal: CourseProposal, practitioner: str, today: date | None) -> str:
    """The course's next session and its window, and what the proposed times are."""
    window = proposal.window
    if window is None:
        return ""
    if today is not None and window.latest < today:
        text = tr("{session} was due {first:%d %b} – {last:%d %b}: book it as soon as "
                  "possible.")
    elif proposal.slots:
        text = tr("{session} is due {first:%d %b} – {last:%d %b}. Free times inside that "
                  "window with {practitioner} (one click takes one):")
    else:
        text = tr("{session} is due {first:%d %b} – {last:%d %b}. {practitioner} has no free "
                  "time inside that window: choose another practitioner or time.")
    return text.format(session=proposal.session_label, first=window.earliest,
                       last=window.latest, practitioner=practitioner)


class BookingDialog(QDialog):
    def __init__(self, *, start: datetime, practitioners: Sequence[PractitionerView],
                 rooms: Sequence[RoomView], find_patients: PatientFinder,
                 check: BookingChecker, practitioner_id: int | None = None,
                 room_id: int | None = None, patient: tuple[int, str] | None = None,
                 kind: AppointmentKind | None = None, course_id: int | None = None,
                 proposals: Sequence[datetime] = (), proposal_text: str = "",
                 propose: CourseProposer | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Book an appointment"))
        self.setObjectName("bookingDialog")
        self._start = start
        self._find = find_patients
        self._check = check
        self._course_id = course_id
        # The caller chose the course (the due list); else it follows the chosen patient.
        self._propose = propose if course_id is None else None
        self._today = today
        self.proposal: CourseProposal | None = None
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
        # A patient on a course: free times inside the next session's window, one click
        # takes one.
        self.proposal_box = QWidget()
        self.proposal_box.setObjectName("proposals")
        self.proposal_text = label(proposal_text, "hint")
        self.proposal_grid = QGridLayout()
        self.proposal_grid.setContentsMargins(0, 0, 0, 0)
        self.proposal_grid.setSpacing(6)
        self.proposal_buttons: list[QPushButton] = []
        self.proposal_slots: list[datetime] = []
        box = QVBoxLayout(self.proposal_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.proposal_text)
        box.addLayout(self.proposal_grid)
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
        form.addRow(tr("Starts at"), self.time)
        form.addRow("", self.day_text)
        form.addRow(tr("Note"), self.note)
        root = QVBoxLayout(self)
        root.addWidget(label(tr("Book an appointment"), "pageTitle"))
        root.addWidget(self.proposal_box)
        root.addLayout(form)
        root.addWidget(self.clash)
        root.addWidget(self.warning)
        root.addWidget(self.buttons)
        touch_buttons(self)
        for field in (self.search, self.time, self.note):
            touch_target(field)  # as tall as the choosers beside them
        # Wide enough for three proposals a row and a clash named on two lines.
        self.setMinimumWidth(PROPOSALS_PER_ROW * 190)
        self._select(self.practitioner, practitioner_id)
        self._select(self.room, room_id)
        if patient is not None:
            self.patient.addItem(patient[1], patient[0])
        # The clinic's usual appointment unless the caller knows better.
        self.kind.setCurrentIndex(
            self.kind.findData((kind or AppointmentKind.MICRONEEDLING).value))
        self._kind_changed()
        self._show_proposals(tuple(proposals), proposal_text)
        if proposals:
            self.take(proposals[0])
        else:
            self._show_day()
        self.search.textChanged.connect(self._search)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        for combo in (self.patient, self.practitioner):
            combo.currentIndexChanged.connect(lambda _i: self._who_changed())
        self.room.currentIndexChanged.connect(lambda _i: self.recheck())
        self.length.valueChanged.connect(lambda _v: self.recheck())
        self.time.timeChanged.connect(lambda _t: self.recheck())
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.repropose()
        self.recheck()

    @staticmethod
    def _select(combo: QComboBox, value: int | None) -> None:
        index = combo.findData(value) if value is not None else -1
        if index >= 0:
            combo.setCurrentIndex(index)

    # --- course proposals --------------------------------------------------------------

    def take(self, slot: datetime) -> None:
        """One click on a proposal: its day and time become the booking's."""
        self._start = slot
        self.time.blockSignals(True)
        self.time.setTime(QTime(slot.hour, slot.minute))
        self.time.blockSignals(False)
        self._show_day()
        self.recheck()

    def _show_day(self) -> None:
        self.day_text.setText(f"{self._start:%A %d %B %Y}")

    def _show_proposals(self, slots: tuple[datetime, ...], text: str) -> None:
        for button in self.proposal_buttons:
            button.deleteLater()
        self.proposal_buttons, self.proposal_slots = [], list(slots)
        for number, slot in enumerate(slots):
            button = QPushButton(icon("calendar"), f"{slot:%a %d %b, %H:%M}")
            button.setCheckable(True)
            button.setAccessibleName(tr("Take {time}").format(time=f"{slot:%A %d %B %H:%M}"))
            touch_target(button)
            button.clicked.connect(lambda _c=False, s=slot: self.take(s))
            self.proposal_grid.addWidget(button, number // PROPOSALS_PER_ROW,
                                         number % PROPOSALS_PER_ROW)
            self.proposal_buttons.append(button)
        self.proposal_text.setText(text)
        self.proposal_box.setVisible(bool(text or slots))
        if self.isVisible():
            self.adjustSize()  # grows for the proposals rather than squeezing the form

    def repropose(self) -> None:
        """For a patient on a course (and a treatment), the next session's window and the
        free times inside it with the chosen practitioner; the booking joins the course,
        so a time outside the window warns."""
        if self._propose is None:
            return
        patient, practitioner = self.patient.currentData(), self.practitioner.currentData()
        kind = self.chosen_kind()
        proposal = None
        if (isinstance(patient, int) and isinstance(practitioner, int)
                and kind in TREATMENT_KINDS):
            try:
                proposal = self._propose(patient, practitioner, self.length.value())
            except ClinicDeskError as exc:
                self.warning.setText(message_for(exc))
        self.proposal = proposal
        self._course_id = proposal.course_id if proposal is not None else None
        if proposal is None:
            self._show_proposals((), "")
            return
        self._show_proposals(proposal.slots, proposal_words(
            proposal, self.practitioner.currentText(), self._today))

    def _who_changed(self) -> None:
        self.repropose()
        self.recheck()

    def _kind_changed(self) -> None:
        kind = self.chosen_kind()
        if kind is not None:
            self.length.setValue(DEFAULT_LENGTHS[kind])
        self.repropose()
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
        self._who_changed()

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
        for button, slot in zip(self.proposal_buttons, self.proposal_slots, strict=True):
            taken = request is not None and slot == request.start
            button.setChecked(taken)
            # The time taken shows a tick, not just a pressed look.
            button.setIcon(icon("circle-check", Tone.ACCENT) if taken else icon("calendar"))
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
