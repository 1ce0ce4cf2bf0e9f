"""Cancel an appointment, saying why: one of the clinic's common reasons or one's own
words (both may be given). The reason is required; it is kept with the appointment's
history and shown in the day and the list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.booking import MAX_REASON_CHARS
from clinic_desk.services.appointment_dto import AppointmentView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.touch import touch_buttons, touch_target
from clinic_desk.ui.widgets import FieldError, label


def common_reasons() -> tuple[str, ...]:
    return (tr("Patient cancelled"), tr("Patient unwell"), tr("Rebooked at another time"),
            tr("Practitioner unavailable"), tr("Booked by mistake"))


class CancelDialog(QDialog):
    def __init__(self, view: AppointmentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setWindowTitle(tr("Cancel the appointment"))
        self.reason = ""
        self.choices = QButtonGroup(self)
        self.choices.setExclusive(True)
        self.details = QLineEdit()
        self.details.setMaxLength(MAX_REASON_CHARS)
        self.details.setAccessibleName(tr("Why, in your own words"))
        self.details.setPlaceholderText(tr("e.g. moved abroad; will call to rebook"))
        touch_target(self.details)
        self.problem = FieldError().watch(self.details)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(
            tr("Cancel the appointment"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button.setObjectName("dangerButton")
        self.keep_button = self.buttons.addButton(tr("Keep it"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        root = QVBoxLayout(self)
        root.setSpacing(8)
        root.addWidget(label(tr("Cancel the appointment"), "pageTitle"))
        root.addWidget(label(tr("{time} {patient}, {kind}, {practitioner}, {room}").format(
            time=f"{view.start:%a %d %b %H:%M}", patient=view.patient_name,
            kind=view.kind_label, practitioner=view.practitioner_name, room=view.room_name)))
        root.addWidget(label(tr("Why is it cancelled?"), "sectionTitle"))
        for number, reason in enumerate(common_reasons()):
            radio = QRadioButton(reason)
            radio.setAccessibleName(reason)
            touch_target(radio)
            self.choices.addButton(radio, number)
            root.addWidget(radio)
        root.addWidget(label(tr("In your own words (required when no reason above fits)"),
                             "hint"))
        root.addWidget(self.details)
        root.addWidget(self.problem)
        root.addStretch(1)
        root.addWidget(self.buttons)
        touch_buttons(self)
        self.choices.idToggled.connect(lambda _i, _on: self._check())
        self.details.textChanged.connect(lambda _t: self._check())
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.keep_button.setDefault(True)  # Enter keeps the appointment: cancelling is chosen
        self.setMinimumWidth(460)
        self._check()

    def written(self) -> str:
        """The reason as it will be kept: the common reason, then the own words."""
        chosen = self.choices.checkedButton()
        words = " ".join(self.details.text().split())
        parts = [chosen.text() if chosen is not None else "", words]
        return ": ".join(p for p in parts if p)

    def _check(self) -> None:
        ready = bool(self.written())
        self.cancel_button.setEnabled(ready)
        self.cancel_button.setToolTip(
            "" if ready else tr("Choose a reason or write one: a cancellation keeps its reason."))

    def _accept(self) -> None:
        if not self.written():
            self.problem.show_problem(tr("Choose a reason or write why it is cancelled."))
            self.details.setFocus()
            return
        self.reason = self.written()
        self.accept()
