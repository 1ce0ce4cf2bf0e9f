"""The patient's details as a form: identity, contact, emergency contact, clinical, notes."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patients import (
    FITZPATRICK_DESCRIPTIONS,
    MAX_NAME,
    FitzpatrickType,
    PatientDetails,
    Sex,
    age_on,
    validate_patient,
)
from clinic_desk.domain.phones import country_names, read_phone
from clinic_desk.domain.search_carry import CarriedSearch
from clinic_desk.ui.date_field import DateField
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import InlineForm, SteadyComboBox, SteadyLineEdit, hold_height
from clinic_desk.ui.validation import Problems
from clinic_desk.ui.widgets import address_edit, label

FIELD_ORDER = [
    "family_name", "given_name", "preferred_name", "date_of_birth", "sex", "phone", "email",
    "address", "emergency_contact_name", "emergency_contact_phone", "referring_physician",
    "fitzpatrick_type", "notes",
]

_GOOD = PatientDetails(family_name="A", given_name="A", date_of_birth=date(1990, 1, 1),
                       phone="123456")

SEX_TITLES = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other"}


def sex_title(sex: Sex | None) -> str:
    return tr(SEX_TITLES[sex]) if sex else tr("Not recorded")


def fitzpatrick_title(skin: FitzpatrickType | None) -> str:
    if skin is None:
        return tr("Not recorded")
    return tr("Type {numeral} — {description}").format(
        numeral=skin.value, description=tr(FITZPATRICK_DESCRIPTIONS[skin]))


def date_example(date_format: DateFormat) -> str:
    return format_date(date(1985, 11, 24), date_format)


def long_date(day: date) -> str:
    return QLocale.system().toString(QDate(day.year, day.month, day.day), "d MMMM yyyy")


def patient_problems(details: PatientDetails, today: date) -> Problems:
    """Every field's first problem, by the domain's own rules (they stop at the first)."""
    problems: Problems = {}
    current = details
    for _ in FIELD_ORDER:
        try:
            validate_patient(current, today)
        except ValidationError as exc:
            field = exc.field or "family_name"
            if field in problems:
                break
            problems[field] = str(exc)
            current = dataclasses.replace(current, **{field: getattr(_GOOD, field)})
        else:
            break
    return problems


def section(title: str) -> tuple[QFrame, QGridLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    column = QVBoxLayout(frame)
    column.setContentsMargins(18, 14, 18, 16)
    column.setSpacing(10)
    column.addWidget(label(title, "sectionTitle"))
    grid = QGridLayout()
    grid.setHorizontalSpacing(14)
    grid.setVerticalSpacing(10)
    grid.setColumnStretch(0, 1)
    grid.setColumnStretch(1, 1)
    column.addLayout(grid)
    column.addStretch(1)
    return frame, grid


# How many characters each one-line field holds (the services refuse more, too).
LIMITS = {"family_name": MAX_NAME, "given_name": MAX_NAME, "preferred_name": MAX_NAME,
          "date_of_birth": 10, "phone": 40, "email": 254, "emergency_contact_name": MAX_NAME,
          "emergency_contact_phone": 40, "referring_physician": MAX_NAME}


class PatientForm(InlineForm):
    def __init__(
        self, date_format: DateFormat, today: date, parent: QWidget | None = None,
        *, country: str = "",
    ) -> None:
        super().__init__(parent)
        self._date_format = date_format
        self._today = today
        self._country = country
        self._widgets: dict[str, QWidget] = {}
        self.family_edit = SteadyLineEdit()
        self.given_edit = SteadyLineEdit()
        self.preferred_edit = SteadyLineEdit()
        self.birth_field = DateField(date_format)
        self.birth_edit = self.birth_field.edit
        self.birth_shown = label("", "birthShown", wrap=False)
        # The same height with or without a date to show: the form never moves.
        self.birth_shown.ensurePolished()
        self.birth_shown.setFixedHeight(self.birth_shown.fontMetrics().height() + 4)
        self.sex_combo = SteadyComboBox()
        for sex in (None, *Sex):
            self.sex_combo.addItem(sex_title(sex), sex.value if sex else None)
        self.phone_edit = SteadyLineEdit()
        self.phone_edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.email_edit = SteadyLineEdit()
        self.email_edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.address_edit = address_edit()
        self.emergency_name_edit = SteadyLineEdit()
        self.emergency_phone_edit = SteadyLineEdit()
        self.emergency_phone_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.referring_edit = SteadyLineEdit()
        self.fitzpatrick_combo = SteadyComboBox()
        for skin in (None, *FitzpatrickType):
            self.fitzpatrick_combo.addItem(fitzpatrick_title(skin), skin.value if skin else None)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(96)
        self._lay_out()
        for field, limit in LIMITS.items():
            edit = self._widgets[field]
            assert isinstance(edit, QLineEdit)
            self.watch_limit(field, edit, limit)
        self.birth_edit.textChanged.connect(self._show_birth_date)
        self.phone_edit.textChanged.connect(lambda _t: self._note_phone("phone"))
        self.emergency_phone_edit.textChanged.connect(
            lambda _t: self._note_phone("emergency_contact_phone"))
        self._show_birth_date()

    def _block(self, caption: str, field: str, widget: QWidget, *, required: bool = False,
               hint: str = "", below: QWidget | None = None, accessible: str = "",
               shown: QWidget | None = None) -> QWidget:
        """A field with its caption, hint and reserved space for its message. `shown` is
        what the layout holds when it is not the input itself (a date field's row)."""
        self.register(field, widget)
        self._widgets[field] = widget
        block = QWidget()
        # Columns share the width evenly whatever the blocks hold (a long message, a date
        # shown in words), so no message ever makes a neighbour jump sideways.
        block.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        block.setMinimumWidth(180)
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        title = label(tr("{caption} *").format(caption=caption) if required else caption)
        title.setBuddy(widget)
        if required:
            title.setToolTip(tr("Required"))
        widget.setAccessibleName(accessible or caption)
        if isinstance(widget, (QLineEdit, QComboBox)):
            hold_height(widget)
        column.addWidget(title)
        column.addWidget(shown or widget)
        if hint:
            column.addWidget(label(hint, "hint"))
        if below is not None:
            column.addWidget(below)
        column.addWidget(self.slot(field, lines=3))
        column.addStretch(1)
        return block

    def _lay_out(self) -> None:
        identity, grid = section(tr("Identity"))
        grid.addWidget(self._block(tr("Family name"), "family_name", self.family_edit,
                                   required=True), 0, 0, 1, 2)
        grid.addWidget(self._block(tr("Given name"), "given_name", self.given_edit,
                                   required=True), 1, 0)
        grid.addWidget(self._block(tr("Preferred name"), "preferred_name", self.preferred_edit,
                                   hint=tr("If not the given name.")), 1, 1)
        grid.addWidget(self._block(
            tr("Date of birth"), "date_of_birth", self.birth_edit, required=True,
            hint=tr("As {format}").format(format=self._date_format.value),
            below=self.birth_shown, shown=self.birth_field), 2, 0)
        self.birth_field.set_accessible_name(tr("Date of birth"))
        grid.addWidget(self._block(tr("Sex"), "sex", self.sex_combo), 2, 1)
        contact, grid = section(tr("Contact"))
        grid.addWidget(self._block(tr("Phone"), "phone", self.phone_edit, required=True,
                                   accessible=tr("Patient's phone")), 0, 0)
        grid.addWidget(self._block(tr("Email"), "email", self.email_edit), 0, 1)
        grid.addWidget(self._block(tr("Address"), "address", self.address_edit), 1, 0, 1, 2)
        emergency, grid = section(tr("Emergency contact"))
        grid.addWidget(self._block(tr("Name"), "emergency_contact_name",
                                   self.emergency_name_edit,
                                   accessible=tr("Emergency contact's name")), 0, 0)
        grid.addWidget(self._block(tr("Phone"), "emergency_contact_phone",
                                   self.emergency_phone_edit,
                                   accessible=tr("Emergency contact's phone")), 0, 1)
        clinical, grid = section(tr("Clinical"))
        grid.addWidget(self._block(tr("Referring physician"), "referring_physician",
                                   self.referring_edit), 0, 0, 1, 2)
        grid.addWidget(self._block(
            tr("Skin type (Fitzpatrick)"), "fitzpatrick_type", self.fitzpatrick_combo,
            hint=tr("How the skin reacts to sun; it guides needle depth and aftercare.")),
            1, 0, 1, 2)
        notes, grid = section(tr("Notes"))
        grid.addWidget(self._block(tr("Notes for the team"), "notes", self.notes_edit),
                       0, 0, 1, 2)
        left = QVBoxLayout()
        left.setSpacing(14)
        left.addWidget(identity)
        left.addWidget(contact, 1)
        right = QVBoxLayout()
        right.setSpacing(14)
        right.addWidget(emergency)
        right.addWidget(clinical)
        right.addWidget(notes, 1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(14)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

    def focus_order(self) -> list[QWidget]:
        return [self.family_edit, self.given_edit, self.preferred_edit, self.birth_edit,
                self.sex_combo, self.phone_edit, self.email_edit, self.address_edit,
                self.emergency_name_edit, self.emergency_phone_edit, self.referring_edit,
                self.fitzpatrick_combo, self.notes_edit]

    def field_widget(self, field: str) -> QWidget | None:
        return self._widgets.get(field)

    # --- values ------------------------------------------------------------------------

    def birth_date(self) -> date | None:
        return self.birth_field.date()

    def _note_phone(self, field: str) -> None:
        """A number that cannot be read is kept as typed: say so gently, without blocking
        (unless the field's limit has something to say)."""
        edit = self._widgets[field]
        assert isinstance(edit, QLineEdit)
        text = edit.text()
        if len(text) >= LIMITS[field]:
            return
        read = read_phone(text, self._country)
        country = country_names().get(self._country, "")
        note = "" if not read.typed or read.is_recognised else (
            tr("Not recognised as a phone number in {country} or abroad: it will be kept as "
               "typed. Check it with the patient.").format(country=country) if country
            else tr("Not recognised as a phone number: it will be kept as typed. Check it "
                    "with the patient."))
        self.slot(field).set_note(note)

    def has_input(self) -> bool:
        """Anything typed or chosen at all (a new registration that would be lost)."""
        return self.details() != PatientDetails(
            family_name="", given_name="", date_of_birth=None, phone="") \
            or bool(self.birth_edit.text().strip())

    def _show_birth_date(self) -> None:
        day = self.birth_date()
        if day is None or day > self._today:
            self.birth_shown.setText("")
            return
        self.birth_shown.setText(tr("{date} · {age} years old").format(
            date=long_date(day), age=age_on(day, self._today)))

    def details(self) -> PatientDetails:
        sex = self.sex_combo.currentData()
        skin = self.fitzpatrick_combo.currentData()
        return PatientDetails(
            family_name=self.family_edit.text(),
            given_name=self.given_edit.text(),
            preferred_name=self.preferred_edit.text(),
            date_of_birth=self.birth_date(),
            sex=Sex(sex) if sex else None,
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            address=self.address_edit.toPlainText(),
            emergency_contact_name=self.emergency_name_edit.text(),
            emergency_contact_phone=self.emergency_phone_edit.text(),
            referring_physician=self.referring_edit.text(),
            fitzpatrick_type=FitzpatrickType(skin) if skin else None,
            notes=self.notes_edit.toPlainText(),
        )

    def start_with(self, carried: CarriedSearch) -> None:
        """A new registration starts with what the search typed (editable as ever)."""
        for edit, text in ((self.family_edit, carried.family_name),
                           (self.given_edit, carried.given_name),
                           (self.phone_edit, carried.phone),
                           (self.birth_edit, carried.date_of_birth)):
            if text:
                edit.setText(text)
        self.forget_touches()

    def set_details(self, details: PatientDetails) -> None:
        self.family_edit.setText(details.family_name)
        self.given_edit.setText(details.given_name)
        self.preferred_edit.setText(details.preferred_name)
        self.birth_edit.setText(format_date(details.date_of_birth, self._date_format)
                                if details.date_of_birth else "")
        self.sex_combo.setCurrentIndex(
            self.sex_combo.findData(details.sex.value) if details.sex else 0)
        self.phone_edit.setText(details.phone)
        self.email_edit.setText(details.email)
        self.address_edit.setPlainText(details.address)
        self.emergency_name_edit.setText(details.emergency_contact_name)
        self.emergency_phone_edit.setText(details.emergency_contact_phone)
        self.referring_edit.setText(details.referring_physician)
        self.fitzpatrick_combo.setCurrentIndex(
            self.fitzpatrick_combo.findData(details.fitzpatrick_type.value)
            if details.fitzpatrick_type else 0)
        self.notes_edit.setPlainText(details.notes)
        self.forget_touches()

    def problems(self) -> Problems:
        details = self.details()
        unreadable = bool(self.birth_edit.text().strip()) and details.date_of_birth is None
        if unreadable:
            details = dataclasses.replace(details, date_of_birth=_GOOD.date_of_birth)
        problems = patient_problems(details, self._today)
        if unreadable:
            problems["date_of_birth"] = tr(
                "Not a date we can read: write it as {format} ({example})."
            ).format(format=self._date_format.value, example=date_example(self._date_format))
        return problems
