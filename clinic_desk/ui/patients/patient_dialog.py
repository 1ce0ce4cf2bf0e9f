"""Register a new patient or change one's details; never silently a second record."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, ValidationError
from clinic_desk.domain.search_carry import CarriedSearch
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import PatientListRow, PatientRecord
from clinic_desk.services.patients import PatientService, PossibleDuplicate
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.patient_form import FIELD_ORDER, PatientForm
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.touch import enable_finger_scrolling
from clinic_desk.ui.validation import first_problem
from clinic_desk.ui.widgets import (
    ElidedLabel,
    FieldError,
    icon_label,
    label,
    primary_button,
    repolish,
)


class DuplicateWarning(QFrame):
    """The patients who may be this one, and exactly two kinds of choice: open the
    existing record (one choice per match), or register a new patient anyway. The
    dialog's main button then says which it will do."""

    choice_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("tone", "warning")
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(14, 10, 14, 12)
        self._column.setSpacing(8)
        self.group = QButtonGroup(self)
        self.open_buttons: list[QRadioButton] = []
        self.match_lines: list[str] = []
        self.anyway_button = QRadioButton()
        self.setVisible(False)
        self.group.buttonToggled.connect(self._toggled)

    def _toggled(self, _button: QAbstractButton, on: bool) -> None:
        if on:
            self.choice_changed.emit()

    def show_matches(self, matches: list[PatientListRow], date_format: DateFormat,
                     *, editing: bool) -> None:
        while self._column.count():
            item = self._column.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for button in self.group.buttons():
            self.group.removeButton(button)
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(icon_label("triangle-alert", Tone.WARNING))
        heading.addWidget(label(tr("This patient may already be registered"), "sectionTitle"), 1)
        holder = QWidget()
        holder.setLayout(heading)
        self._column.addWidget(holder)
        self._column.addWidget(label(tr(
            "Same name and date of birth, or the same phone number. If it is the same person, "
            "open the existing record: two records for one person split their history.")))
        self.open_buttons = []
        self.match_lines = []
        for match in matches:
            text = tr("{name} · born {born} · {number} · {phone}").format(
                name=match.display_name, born=format_date(match.date_of_birth, date_format),
                number=match.patient_number, phone=match.phone)
            self.match_lines.append(text)
            # A short choice with the match beside it, wrapping: a long name never
            # widens the dialog.
            radio = QRadioButton(tr("Open the existing record:"))
            radio.setAccessibleName(tr("Open the existing record: {match}").format(match=text))
            radio.setProperty("patient_id", match.patient_id)
            self.group.addButton(radio)
            self.open_buttons.append(radio)
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(radio, 0, Qt.AlignmentFlag.AlignTop)
            details = label(text)
            details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            line.addWidget(details, 1)
            self._column.addWidget(row)
        self.anyway_button = QRadioButton(
            tr("Save anyway: this is a different person") if editing
            else tr("Register a new patient anyway: this is a different person"))
        self.group.addButton(self.anyway_button)
        self._column.addWidget(self.anyway_button)
        self._column.addWidget(label(tr("Then press the main button below (or Enter)."), "hint"))
        if self.open_buttons:
            self.open_buttons[0].setChecked(True)
        repolish(self)
        self.setVisible(True)

    def chosen_patient(self) -> int | None:
        """The existing patient to open, or None for "register anyway"."""
        checked = self.group.checkedButton()
        if checked is None or checked is self.anyway_button:
            return None
        return int(checked.property("patient_id"))


class PatientDialog(QDialog):
    """Accepted with `saved` set, or with `open_existing` when the person chose a match;
    rejected with `stale` set when another workstation changed the record first."""

    def __init__(
        self,
        patients: PatientService,
        actor: SignedInStaff,
        dialogs: DialogService,
        *,
        date_format: DateFormat,
        today: date,
        country: str = "",
        record: PatientRecord | None = None,
        carried: CarriedSearch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`carried`: what a search that found nobody typed, to start a registration."""
        super().__init__(parent)
        self._patients = patients
        self._actor = actor
        self._dialogs = dialogs
        self._date_format = date_format
        self._record = record
        self.saved: PatientRecord | None = None
        self.open_existing: int | None = None
        self.stale = False
        editing = record is not None
        title = tr("Edit patient details") if editing else tr("Register a new patient")
        self.setWindowTitle(title)
        self.form = PatientForm(date_format, today, country=country)
        if record is not None:
            self.form.set_details(record.details)
        elif carried is not None:
            self.form.start_with(carried)
        # What the form opened with is not typing to be lost (nor a search carried in).
        self._original = self.form.details()
        self.duplicates = DuplicateWarning()
        self.error = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Cancel"))
        self._save_text = tr("Save changes") if editing else tr("Register patient")
        self._save_icon = "save" if editing else "user-plus"
        self.save_button = primary_button(self._save_text, self._save_icon)
        self.save_button.setDefault(True)
        # One line, shortened if need be (whole text in its tooltip): a long reason, or an
        # emoji in a name, never pushes it over the buttons.
        self.why_label = ElidedLabel("")
        self.why_label.setObjectName("hint")
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
        enable_finger_scrolling(scroll)
        self.scroll_area = scroll
        bottom = QVBoxLayout()
        bottom.setContentsMargins(28, 8, 28, 18)
        bottom.setSpacing(6)
        bottom.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.why_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        bottom.addLayout(buttons)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(scroll, 1)
        root.addLayout(bottom)
        order = [*self.form.focus_order(), self.save_button, self.cancel_button]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        # Carried "Ferreira": the given name is what is left to type.
        first_empty = self.form.given_edit if (
            self.form.family_edit.text() and not self.form.given_edit.text()) else None
        (first_empty or self.form.family_edit).setFocus()
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.activated.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(lambda: self.submit())
        self.form.edited.connect(self._edited)
        self.duplicates.choice_changed.connect(self._show_main_action)
        self.resize(1040, 760)
        self._refresh()

    def _edited(self) -> None:
        # What was typed changed: the earlier duplicate check no longer says anything.
        self.duplicates.setVisible(False)
        self._show_main_action()
        self._refresh()

    def _show_main_action(self) -> None:
        """The main button says what pressing it (or Enter) will do now."""
        if self.duplicates.isHidden():
            text, icon_name = self._save_text, self._save_icon
        elif self.duplicates.chosen_patient() is not None:
            text, icon_name = tr("Open existing record"), "folder-open"
        else:
            text = tr("Save anyway") if self._record is not None else tr("Register anyway")
            icon_name = self._save_icon
        self.save_button.setText(text)
        self.save_button.setIcon(icon(icon_name, Tone.ON_ACCENT))

    def has_changes(self) -> bool:
        """Something typed that Cancel would throw away."""
        return self.form.details() != self._original or (
            self.form.birth_field.is_unreadable())

    def discard_unsaved(self) -> None:
        """Close without asking (the person signed out)."""
        super().reject()

    def reject(self) -> None:
        """Cancel, Escape and closing the window: ask before throwing typing away."""
        if self.has_changes() and not self._dialogs.confirm(
            self, tr("Discard what you typed?"),
            tr("The changes to {name} are not saved yet.").format(
                name=self._record.display_name) if self._record is not None
            else tr("This patient is not registered yet; what you typed will be lost."),
            confirm_label=tr("Discard"), cancel_label=tr("Keep editing"),
        ):
            return
        super().reject()

    def _refresh(self) -> None:
        problems = self.form.problems()
        self.save_button.setEnabled(not problems)
        if problems:
            why = first_problem(problems, FIELD_ORDER)
            self.save_button.setToolTip(tr("Not yet: {why}").format(why=why))
            text = (tr("Not yet: {why}").format(why=why) if len(problems) == 1
                    else tr("Not yet: {count} fields need attention.").format(
                        count=len(problems)))
        else:
            self.save_button.setToolTip(tr("Save (Enter)"))
            text = ""
        self.why_label.setText(text)
        self.why_label.setToolTip(text)
        self.why_label.setAccessibleName(text)

    def _focus(self, field: str) -> None:
        widget = self.form.field_widget(field)
        if widget is not None:
            self.scroll_area.ensureWidgetVisible(widget)
            widget.setFocus()

    def submit(self, *, confirm_duplicate: bool = False) -> None:
        """The main button: save; or, after a duplicate warning, what was chosen there."""
        if not self.duplicates.isHidden() and not confirm_duplicate:
            chosen = self.duplicates.chosen_patient()
            if chosen is not None:
                self._open_existing(chosen)
                return
            confirm_duplicate = True
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
            self.done(QDialog.DialogCode.Rejected.value)  # nothing to ask: it cannot be saved
            return
        except ClinicDeskError as exc:
            self.error.show_problem(message_for(exc))
            return
        self.accept()

    def _show_duplicates(self, matches: list[PatientListRow]) -> None:
        self.duplicates.show_matches(matches, self._date_format,
                                     editing=self._record is not None)
        self._show_main_action()
        self.scroll_area.ensureWidgetVisible(self.duplicates)
        first = self.duplicates.group.checkedButton()
        if first is not None:
            first.setFocus()

    def _open_existing(self, patient_id: int) -> None:
        self.open_existing = patient_id
        self.accept()
