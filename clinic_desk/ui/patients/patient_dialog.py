"""Register a new patient or change one's details; never silently a second record."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, ValidationError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import PatientListRow, PatientRecord
from clinic_desk.services.patients import PatientService, PossibleDuplicate
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.patient_form import FIELD_ORDER, PatientForm
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.validation import first_problem
from clinic_desk.ui.widgets import FieldError, icon_label, label, primary_button, repolish


class DuplicateWarning(QFrame):
    """The patients who may be this one, each with a way to open them instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("tone", "warning")
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(14, 10, 14, 12)
        self._column.setSpacing(8)
        self.open_buttons: list[QPushButton] = []
        self.match_lines: list[str] = []
        self.anyway_button = QPushButton()
        self.setVisible(False)

    def show_matches(self, matches: list[PatientListRow], date_format: DateFormat,
                     *, editing: bool) -> list[QPushButton]:
        while self._column.count():
            item = self._column.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(icon_label("triangle-alert", Tone.WARNING))
        heading.addWidget(label(tr("This patient may already be registered"), "sectionTitle"), 1)
        holder = QWidget()
        holder.setLayout(heading)
        self._column.addWidget(holder)
        self._column.addWidget(label(tr(
            "Same name and date of birth, or the same phone number. Open the existing record "
            "if it is the same person; two records for one person split their history.")))
        self.open_buttons = []
        self.match_lines = []
        for match in matches:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = tr("{name} · born {born} · {number} · {phone}").format(
                name=match.display_name, born=format_date(match.date_of_birth, date_format),
                number=match.patient_number, phone=match.phone)
            self.match_lines.append(text)
            line.addWidget(label(text), 1)
            button = QPushButton(icon("folder-open"), tr("Open existing record"))
            button.setProperty("patient_id", match.patient_id)
            line.addWidget(button)
            self.open_buttons.append(button)
            self._column.addWidget(row)
        self.anyway_button = QPushButton(
            tr("Save anyway: a different person") if editing
            else tr("Register anyway: a different person"))
        self._column.addWidget(self.anyway_button, 0, Qt.AlignmentFlag.AlignRight)
        repolish(self)
        self.setVisible(True)
        return self.open_buttons


class PatientDialog(QDialog):
    """Accepted with `saved` set, or with `open_existing` when the person chose a match;
    rejected with `stale` set when another workstation changed the record first."""

    def __init__(
        self,
        patients: PatientService,
        actor: SignedInStaff,
        *,
        date_format: DateFormat,
        today: date,
        record: PatientRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._patients = patients
        self._actor = actor
        self._date_format = date_format
        self._record = record
        self.saved: PatientRecord | None = None
        self.open_existing: int | None = None
        self.stale = False
        editing = record is not None
        title = tr("Edit patient details") if editing else tr("Register a new patient")
        self.setWindowTitle(title)
        self.form = PatientForm(date_format, today)
        if record is not None:
            self.form.set_details(record.details)
        self.duplicates = DuplicateWarning()
        self.error = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Cancel"))
        self.save_button = primary_button(
            tr("Save changes") if editing else tr("Register patient"),
            "save" if editing else "user-plus")
        self.save_button.setDefault(True)
        self.why_label = label("", "hint")
        self.why_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(28, 22, 28, 12)
        inner.setSpacing(12)
        inner.addWidget(label(title, "pageTitle"))
        intro = (tr("{number} · Fields marked * are required.").format(
            number=record.patient_number) if record is not None
            else tr("Fields marked * are required. Everything else can be added later."))
        inner.addWidget(label(intro, "hint"))
        inner.addWidget(self.duplicates)
        inner.addWidget(self.form, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.scroll_area = scroll
        buttons = QHBoxLayout()
        buttons.setContentsMargins(28, 8, 28, 18)
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.why_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(scroll, 1)
        root.addLayout(buttons)
        order = [*self.form.focus_order(), self.save_button, self.cancel_button]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.form.family_edit.setFocus()
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.activated.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(lambda: self.submit())
        self.form.edited.connect(self._edited)
        self.resize(1040, 760)
        self._refresh()

    def _edited(self) -> None:
        # What was typed changed: the earlier duplicate check no longer says anything.
        self.duplicates.setVisible(False)
        self._refresh()

    def _refresh(self) -> None:
        problems = self.form.problems()
        self.save_button.setEnabled(not problems)
        if problems:
            why = first_problem(problems, FIELD_ORDER)
            self.save_button.setToolTip(tr("Not yet: {why}").format(why=why))
            self.why_label.setText(
                tr("Not yet: {why}").format(why=why) if len(problems) == 1
                else tr("Not yet: {count} fields need attention.").format(count=len(problems)))
        else:
            self.save_button.setToolTip(tr("Save (Enter)"))
            self.why_label.setText("")

    def _focus(self, field: str) -> None:
        widget = self.form.field_widget(field)
        if widget is not None:
            self.scroll_area.ensureWidgetVisible(widget)
            widget.setFocus()

    def submit(self, *, confirm_duplicate: bool = False) -> None:
        self.error.clear()
        problems = self.form.problems()
        if problems:
            self.form.touch_all()
            self.form.refresh_problems()
            self._focus(next(f for f in FIELD_ORDER if f in problems))
            return
        try:
            if self._record is None:
                self.saved = self._patients.register(
                    self._actor, self.form.details(), confirm_duplicate=confirm_duplicate)
            else:
                self.saved = self._patients.update(
                    self._actor, self._record.patient_id, self.form.details(),
                    expected_version=self._record.version, confirm_duplicate=confirm_duplicate)
        except PossibleDuplicate as exc:
            self._show_duplicates(exc.matches)
            return
        except ValidationError as exc:
            field = exc.field or ""
            if self.form.show_problem(field, str(exc)):
                self._focus(field)
            else:
                self.error.show_problem(str(exc))
            return
        except ConcurrentEditError:
            self.stale = True
            self.reject()
            return
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            return
        self.accept()

    def _show_duplicates(self, matches: list[PatientListRow]) -> None:
        buttons = self.duplicates.show_matches(matches, self._date_format,
                                               editing=self._record is not None)
        for button in buttons:
            patient_id = int(button.property("patient_id"))
            button.clicked.connect(lambda _c=False, p=patient_id: self._open_existing(p))
        self.duplicates.anyway_button.clicked.connect(
            lambda: self.submit(confirm_duplicate=True))
        self.scroll_area.ensureWidgetVisible(self.duplicates)
        if buttons:
            buttons[0].setFocus()

    def _open_existing(self, patient_id: int) -> None:
        self.open_existing = patient_id
        self.accept()
