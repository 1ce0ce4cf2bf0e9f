"""The clinic profile form, used at first start and in Settings & staff."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale, Qt, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.clinic_profile import (
    MAX_INTAKE_AGE_DAYS,
    MIN_INTAKE_AGE_DAYS,
    ClinicDetails,
    PaperSize,
    common_time_zones,
)
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.phones import country_for_time_zone, country_names
from clinic_desk.domain.session_start import (
    DEFAULT_CONSENT_VALIDITY_MONTHS,
    MAX_CONSENT_VALIDITY_MONTHS,
    MIN_CONSENT_VALIDITY_MONTHS,
)
from clinic_desk.services.dto import ClinicProfileView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import HintOrNote, InlineForm, stop_at_limit
from clinic_desk.ui.validation import Problems, clinic_problems
from clinic_desk.ui.widgets import address_edit, field_block, label

# How many characters the clinic's name holds (the services refuse more, too).
MAX_CLINIC_NAME = 120


def system_time_zone() -> str:
    return bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace") or "UTC"


def default_date_format() -> DateFormat:
    """The system's order of day and month, as a first guess."""
    short = QLocale.system().dateFormat(QLocale.FormatType.ShortFormat).lower()
    if short.startswith("y"):
        return DateFormat.ISO
    if short.startswith("m"):
        return DateFormat.MONTH_DAY_YEAR
    return DateFormat.DAY_MONTH_YEAR_DOT if "." in short else DateFormat.DAY_MONTH_YEAR_SLASH


def default_paper_size() -> PaperSize:
    imperial = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return PaperSize.LETTER if imperial else PaperSize.A4


class TimeZoneCombo(QComboBox):
    """The IANA time zones; type any part of a name ("paris", "new_y") to find one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        zones = common_time_zones()
        system = system_time_zone()
        if system not in zones:
            zones.insert(0, system)
        self.addItems(zones)
        completer = QCompleter(zones, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.set_zone(system)

    def zone(self) -> str:
        return self.currentText().strip()

    def set_zone(self, zone: str) -> None:
        index = self.findText(zone)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(zone)


class CountryCombo(QComboBox):
    """The clinic's country (how its patients' phone numbers are read and shown); type
    part of a name to find one. Until someone picks one, it follows the time zone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        # As wide as the column gives, not as the longest country name.
        self.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.view().setMinimumWidth(320)
        self.addItem(tr("No country (only numbers written with +)"), "")
        for code, name in country_names().items():
            self.addItem(f"{name} ({code})", code)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.chosen_by_hand = False
        self.activated.connect(lambda _i: setattr(self, "chosen_by_hand", True))

    def country(self) -> str:
        index = self.findText(self.currentText())
        return str(self.itemData(index)) if index >= 0 else self.currentText().strip()

    def set_country(self, code: str) -> None:
        index = self.findData(code.upper())
        self.setCurrentIndex(max(index, 0))

    def follow_time_zone(self, zone: str) -> None:
        if not self.chosen_by_hand:
            self.set_country(country_for_time_zone(zone))


class ClinicProfileForm(InlineForm):
    """`practice` adds how long a consent holds and printing aftercare on sign-off: left
    at their defaults on the first start (which must fit a small screen), set in
    Settings."""

    def __init__(self, parent: QWidget | None = None, *, practice: bool = True) -> None:
        super().__init__(parent)
        self.practice = practice
        self.name_edit = QLineEdit()
        # Says so, under the name, when a paste stopped at the limit.
        self.name_note = HintOrNote()
        stop_at_limit(self.name_edit, MAX_CLINIC_NAME, self.name_note.set_note)
        self.address_edit = address_edit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.time_zone_combo = TimeZoneCombo()
        self.paper_combo = QComboBox()
        for size in PaperSize:
            self.paper_combo.addItem(tr(size.value), size.value)
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(default_paper_size().value))
        self.date_format_combo = QComboBox()
        sample = date(1985, 11, 24)
        for fmt in DateFormat:
            self.date_format_combo.addItem(
                tr("{format} (24 November 1985 is {example})").format(
                    format=fmt.value, example=format_date(sample, fmt)), fmt.value)
        self.date_format_combo.setCurrentIndex(
            self.date_format_combo.findData(default_date_format().value))
        self.intake_days_spin = QSpinBox()
        self.intake_days_spin.setRange(MIN_INTAKE_AGE_DAYS, MAX_INTAKE_AGE_DAYS)
        self.intake_days_spin.setValue(90)
        self.intake_days_spin.setSuffix(tr(" days"))
        self.intake_days_spin.setAccelerated(True)
        self.consent_months_spin = QSpinBox()
        self.consent_months_spin.setRange(MIN_CONSENT_VALIDITY_MONTHS,
                                          MAX_CONSENT_VALIDITY_MONTHS)
        self.consent_months_spin.setValue(DEFAULT_CONSENT_VALIDITY_MONTHS)
        self.consent_months_spin.setSuffix(tr(" months"))
        self.print_aftercare_box = QCheckBox(
            tr("Open the print dialog for the aftercare sheet when a session is signed off"))
        self.print_aftercare_box.setAccessibleName(tr("Print aftercare on sign-off"))
        self.country_combo = CountryCombo()
        self.country_combo.follow_time_zone(self.time_zone_combo.zone())
        self.time_zone_combo.currentTextChanged.connect(self.country_combo.follow_time_zone)
        # Wrapped captions and hints get the full width of the form: squeezed into a
        # narrow grid column they were cut off and overlapped the fields under them.
        for spin in (self.intake_days_spin, self.consent_months_spin):
            spin.setMinimumWidth(160)
            spin.setAccelerated(True)
            # The style sheet's padding does not reach a spin box's text (Qt places its
            # field at the left border), so the text gets its margin here.
            spin_text = spin.findChild(QLineEdit)
            if spin_text is not None:
                spin_text.setTextMargins(8, 0, 0, 0)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.addWidget(
            self._name_block(), 0, 0, 1, 2,
        )
        grid.addWidget(
            field_block(tr("Address"), self.address_edit,
                        self.register("address", self.address_edit),
                        tr("As it should appear on printed forms, one line per row.")),
            1, 0, 1, 2,
        )
        grid.addWidget(
            field_block(tr("Phone"), self.phone_edit, self.register("phone", self.phone_edit)),
            2, 0,
        )
        self.country_combo.setToolTip(tr(
            "Proposed from the time zone. Patients' phone numbers are read and shown as this "
            "country writes them."))
        grid.addWidget(
            field_block(tr("Country"), self.country_combo,
                        self.register("country", self.country_combo)),
            2, 1, Qt.AlignmentFlag.AlignTop,
        )
        grid.addWidget(
            field_block(tr("Time zone"), self.time_zone_combo,
                        self.register("time_zone", self.time_zone_combo),
                        tr("Type part of a city to search.")),
            3, 0, Qt.AlignmentFlag.AlignTop,
        )
        grid.addWidget(
            field_block(tr("Paper size"), self.paper_combo,
                        self.register("paper_size", self.paper_combo)),
            3, 1, Qt.AlignmentFlag.AlignTop,
        )
        grid.addWidget(
            field_block(tr("Date format"), self.date_format_combo,
                        self.register("date_format", self.date_format_combo),
                        tr("How dates are shown, typed and printed.")),
            4, 0, 1, 2,
        )
        grid.addWidget(
            field_block(tr("Medical history valid for"), self.intake_days_spin,
                        self.register("intake_max_age_days", self.intake_days_spin),
                        tr("Older than this on the session day, it must be taken again.")),
            5, 0, Qt.AlignmentFlag.AlignTop,
        )
        consent_block = field_block(
            tr("Treatment consent valid for"), self.consent_months_spin,
            self.register("consent_validity_months", self.consent_months_spin),
            tr("After this, the patient signs again."))
        grid.addWidget(consent_block, 5, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.print_aftercare_box, 6, 0, 1, 2)
        consent_block.setVisible(practice)
        self.print_aftercare_box.setVisible(practice)
        self.intake_days_spin.valueChanged.connect(self.edited)
        self.consent_months_spin.valueChanged.connect(self.edited)
        self.print_aftercare_box.toggled.connect(self.edited)
        grid.setRowStretch(7, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)

    def _name_block(self) -> QWidget:
        """The name, with room for its note beside the caption: the first start has no
        height to spare for a line under it."""
        block = QWidget()
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        caption_row = QHBoxLayout()
        caption_row.setSpacing(12)
        caption = label(tr("Clinic name"))
        caption.setBuddy(self.name_edit)
        caption_row.addWidget(caption)
        caption_row.addWidget(self.name_note, 1)
        column.addLayout(caption_row)
        column.addWidget(self.name_edit)
        column.addWidget(self.register("name", self.name_edit))
        return block

    def focus_order(self) -> list[QWidget]:
        practice: list[QWidget] = (
            [self.consent_months_spin, self.print_aftercare_box] if self.practice else [])
        return [self.name_edit, self.address_edit, self.phone_edit, self.time_zone_combo,
                self.paper_combo, self.date_format_combo, self.intake_days_spin,
                *practice, self.country_combo]

    def details(self) -> ClinicDetails:
        return ClinicDetails(
            name=self.name_edit.text(),
            address=self.address_edit.toPlainText(),
            phone=self.phone_edit.text(),
            time_zone=self.time_zone_combo.zone(),
            paper_size=PaperSize(self.paper_combo.currentData()),
            date_format=DateFormat(self.date_format_combo.currentData()),
            intake_max_age_days=self.intake_days_spin.value(),
            country=self.country_combo.country(),
            consent_validity_months=self.consent_months_spin.value() if self.practice else None,
            print_aftercare_on_sign_off=(
                self.print_aftercare_box.isChecked() if self.practice else None),
        )

    def set_profile(self, profile: ClinicProfileView) -> None:
        self.name_edit.setText(profile.name)
        self.address_edit.setPlainText(profile.address)
        self.phone_edit.setText(profile.phone)
        self.time_zone_combo.set_zone(profile.time_zone)
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(profile.paper_size.value))
        self.date_format_combo.setCurrentIndex(
            self.date_format_combo.findData(profile.date_format.value))
        self.intake_days_spin.setValue(profile.intake_max_age_days)
        self.consent_months_spin.setValue(profile.consent_validity_months)
        self.print_aftercare_box.setChecked(profile.print_aftercare_on_sign_off)
        self.country_combo.set_country(profile.country)
        self.country_combo.chosen_by_hand = bool(profile.country)
        self.forget_touches()

    def problems(self) -> Problems:
        return clinic_problems(self.details())
