"""The patient's registration details at a glance, with edit and archive."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.services.patient_dto import PatientRecord
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.patient_form import fitzpatrick_title, sex_title
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import enable_finger_scrolling
from clinic_desk.ui.widgets import label


def _card(title: str) -> tuple[QFrame, QFormLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    column = QVBoxLayout(frame)
    column.setContentsMargins(18, 12, 18, 14)
    column.setSpacing(8)
    column.addWidget(label(title, "sectionTitle"))
    form = QFormLayout()
    form.setHorizontalSpacing(20)
    form.setVerticalSpacing(6)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    column.addLayout(form)
    column.addStretch(1)
    return frame, form


class OverviewTab(QWidget):
    def __init__(self, date_format: DateFormat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date_format = date_format
        self.values: dict[str, str] = {}
        self.edit_button = QPushButton(icon("user-pen"), tr("Edit details…"))
        self.archive_button = QPushButton(icon("archive"), tr("Archive…"))
        self.grid = QHBoxLayout()
        self.grid.setSpacing(14)
        self._content = QWidget()
        self._columns = QVBoxLayout(self._content)
        self._columns.setContentsMargins(0, 0, 8, 0)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(self.edit_button)
        actions.addStretch(1)
        actions.addWidget(self.archive_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._content)
        enable_finger_scrolling(scroll)
        self.scroll_area = scroll
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(12)
        column.addLayout(actions)
        column.addWidget(scroll, 1)

    def show_record(self, record: PatientRecord) -> None:
        while self._columns.count():
            item = self._columns.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        d = record.details
        none = tr("—")
        groups = [
            (tr("Identity"), [
                (tr("Family name"), d.family_name), (tr("Given name"), d.given_name),
                (tr("Preferred name"), d.preferred_name or none),
                (tr("Date of birth"), format_date(d.date_of_birth, self._date_format)
                 if d.date_of_birth else none),
                (tr("Sex"), sex_title(d.sex)), (tr("Patient number"), record.patient_number)]),
            (tr("Contact"), [(tr("Phone"), record.phone_shown or d.phone),
                             (tr("Email"), d.email or none),
                             (tr("Address"), d.address or none)]),
            (tr("Emergency contact"), [(tr("Name"), d.emergency_contact_name or none),
                                       (tr("Phone"), record.emergency_contact_phone_shown
                                        or d.emergency_contact_phone or none)]),
            (tr("Clinical"), [(tr("Referring physician"), d.referring_physician or none),
                              (tr("Skin type (Fitzpatrick)"),
                               fitzpatrick_title(d.fitzpatrick_type))]),
            (tr("Notes"), [(tr("Notes for the team"), d.notes or none)]),
        ]
        self.values = {}
        row = QHBoxLayout()
        row.setSpacing(14)
        left, right = QVBoxLayout(), QVBoxLayout()
        for spot, (title, pairs) in enumerate(groups):
            card, form = _card(title)
            for caption, value in pairs:
                shown = label(value)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(label(caption, "hint", wrap=False), shown)
                self.values[f"{title}: {caption}"] = value
            (left if spot < 2 else right).addWidget(card)
        left.addStretch(1)
        right.addStretch(1)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self._columns.addWidget(holder)
        self._columns.addStretch(1)
        if record.is_archived:
            self.archive_button.setText(tr("Restore…"))
            self.archive_button.setIcon(icon("archive-restore"))
            self.archive_button.setToolTip(tr("Bring this patient back into the search"))
        else:
            self.archive_button.setText(tr("Archive…"))
            self.archive_button.setIcon(icon("archive"))
            self.archive_button.setToolTip(tr(
                "Take this patient out of the search; nothing is deleted"))
        self.edit_button.setEnabled(not record.is_archived)
        self.edit_button.setToolTip(tr("Restore the record first") if record.is_archived
                                    else tr("Change name, contact and clinical details"))
