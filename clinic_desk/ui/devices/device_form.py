"""One device's profile as a form: kind, make and model, serial number, depth range and
step, speeds, cartridges, RF ranges and tips, service date. Problems show beside their
field by the domain's own rules (`device_problems`)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.devices import (
    ENERGY_UNIT_LABELS,
    KIND_LABELS,
    RF_CAPABLE_KINDS,
    Cartridge,
    DeviceKind,
    DeviceProfile,
    EnergyUnit,
    RfCapability,
    RfTip,
    SettingRange,
    device_problems,
)
from clinic_desk.ui.date_field import DateField
from clinic_desk.ui.devices.form_parts import (
    NumberUnreadable,
    block,
    number_edit,
    read_number,
    read_whole,
    section,
    shown_number,
)
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import InlineForm, SteadyComboBox, SteadyLineEdit
from clinic_desk.ui.validation import Problems
from clinic_desk.ui.widgets import label

NANO = "nano"
_ONE = Decimal(1)


def problem_slot(field: str) -> str:
    """Where a domain problem ("depth_mm.step", "rf.energy.maximum") shows on this form."""
    for prefix, slot in (("depth_mm", "depth"), ("speed_settings", "speeds"),
                         ("cartridges", "cartridges"), ("rf.energy", "rf_energy"),
                         ("rf.pulse_duration_ms", "rf_pulse"), ("rf.tips", "rf_tips"),
                         ("rf", "rf_energy")):
        if field.startswith(prefix):
            return slot
    return field


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "tip"


class RangeRow(QWidget):
    """Lowest, highest and step of one setting, side by side."""

    def __init__(self, name: str, unit: str, *, with_step: bool = True) -> None:
        super().__init__()
        self.lowest = number_edit(tr("lowest"))
        self.highest = number_edit(tr("highest"))
        self.step = number_edit(tr("step"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.to_label = label(tr("to"), "hint", wrap=False)
        self.step_label = label(tr("step"), "hint", wrap=False)
        for edit, words in ((self.lowest, tr("lowest")), (self.highest, tr("highest")),
                            (self.step, tr("step"))):
            edit.setAccessibleName(tr("{name}, {which}").format(name=name, which=words))
        # Reads as a sentence: "0.25 to 2.5 mm, step 0.25".
        row.addWidget(self.lowest, 1)
        row.addWidget(self.to_label)
        row.addWidget(self.highest, 1)
        self.unit_label = label(unit, "hint", wrap=False)
        row.addWidget(self.unit_label)
        row.addWidget(self.step_label)
        row.addWidget(self.step, 1)
        self.step.setVisible(with_step)
        self.step_label.setVisible(with_step)

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.lowest, self.highest, self.step)

    def show_range(self, values: SettingRange | None) -> None:
        self.lowest.setText(shown_number(values.minimum) if values else "")
        self.highest.setText(shown_number(values.maximum) if values else "")
        self.step.setText(shown_number(values.step) if values else "")

    def read(self, *, fixed: bool = False) -> SettingRange:
        low = read_number(self.lowest.text())
        assert low is not None
        if fixed:
            return SettingRange.fixed(low)
        high = read_number(self.highest.text())
        assert high is not None
        return SettingRange(low, high, read_number(self.step.text(), required=False))


class DeviceForm(InlineForm):
    def __init__(self, date_format: DateFormat, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._cartridges: tuple[Cartridge, ...] = ()
        self._tips: tuple[RfTip, ...] = ()
        self._active = True
        self.kind_box = SteadyComboBox()
        for kind in DeviceKind:
            self.kind_box.addItem(tr(KIND_LABELS[kind]), kind)
        self.make_edit, self.model_edit = SteadyLineEdit(), SteadyLineEdit()
        self.serial_edit, self.notes_edit = SteadyLineEdit(), SteadyLineEdit()
        self.depth_row = RangeRow(tr("Needle depth"), "mm")
        self.speeds_edit, self.cartridges_edit = SteadyLineEdit(), SteadyLineEdit()
        self.roller_needles_edit = number_edit()
        self.energy_unit_box = SteadyComboBox()
        for unit in EnergyUnit:
            self.energy_unit_box.addItem(tr(ENERGY_UNIT_LABELS[unit]), unit)
        self.energy_row = RangeRow(tr("RF energy"), "")
        self.energy_unit_box.currentIndexChanged.connect(
            lambda _i: self.energy_row.unit_label.setText(self.energy_unit_box.currentText()))
        self.pulse_row = RangeRow(tr("RF pulse duration"), "ms")
        self.insulated_edit, self.plain_tips_edit = SteadyLineEdit(), SteadyLineEdit()
        self.service_field = DateField(date_format, today=today,
                                       accessible_name=tr("Service or calibration due"))
        self.speeds_edit.setPlaceholderText(tr("e.g. 1, 2, 3, 4, 5, 6"))
        self.cartridges_edit.setPlaceholderText(tr("needle counts, e.g. 12, 16, 36, nano"))
        self.insulated_edit.setPlaceholderText(tr("e.g. 25-pin insulated tip"))
        self.plain_tips_edit.setPlaceholderText(tr("e.g. 49-pin non-insulated tip"))
        self._lay_out()
        for edit in (*self.depth_row.edits(), *self.energy_row.edits(), *self.pulse_row.edits(),
                     self.insulated_edit):
            edit.textChanged.connect(self.edited)
        self.energy_unit_box.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.service_field.date_changed.connect(lambda _d: self._show_service())
        self.kind_box.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()

    def _lay_out(self) -> None:
        what, grid = section(tr("The device"))
        grid.addWidget(block(self, tr("Kind"), "kind", self.kind_box), 0, 0)
        grid.addWidget(block(self, tr("Serial number"), "serial_number", self.serial_edit,
                             hint=tr("From the label on the device.")), 0, 1)
        grid.addWidget(block(self, tr("Make"), "make", self.make_edit), 1, 0)
        grid.addWidget(block(self, tr("Model"), "model", self.model_edit), 1, 1)
        self.service_block = block(self, tr("Service or calibration due"), "service_due",
                                   self.service_field.edit, shown=self.service_field,
                                   hint=tr("Sessions warn from the day after this date."))
        grid.addWidget(self.service_block, 2, 0)
        grid.addWidget(block(self, tr("Notes"), "notes", self.notes_edit), 2, 1)
        needles, grid = section(tr("Needles"))
        self.depth_block = block(self, tr("Needle depth range and step"), "depth",
                                 self.depth_row.lowest, shown=self.depth_row)
        grid.addWidget(self.depth_block, 0, 0)
        self.speeds_block = block(self, tr("Speed settings"), "speeds", self.speeds_edit,
                                  hint=tr("As the device labels them, separated by commas."))
        grid.addWidget(self.speeds_block, 0, 1)
        self.cartridges_block = block(self, tr("Cartridges it takes"), "cartridges",
                                      self.cartridges_edit)
        grid.addWidget(self.cartridges_block, 1, 0)
        self.roller_block = block(self, tr("Roller needle count"), "roller_needle_count",
                                  self.roller_needles_edit)
        grid.addWidget(self.roller_block, 1, 1)
        self.rf_section, grid = section(tr("Radiofrequency"))
        grid.addWidget(block(self, tr("Energy unit"), "energy_unit", self.energy_unit_box), 0, 0)
        grid.addWidget(block(self, tr("Energy range and step"), "rf_energy", self.energy_row.lowest,
                             shown=self.energy_row), 0, 1)
        grid.addWidget(block(self, tr("Pulse duration range and step"), "rf_pulse",
                             self.pulse_row.lowest, shown=self.pulse_row), 1, 0)
        tips = QWidget()
        tip_rows = QVBoxLayout(tips)
        tip_rows.setContentsMargins(0, 0, 0, 0)
        tip_rows.addWidget(self.insulated_edit)
        tip_rows.addWidget(label(tr("Non-insulated tips"), "hint"))
        tip_rows.addWidget(self.plain_tips_edit)
        self.plain_tips_edit.setAccessibleName(tr("Non-insulated tips"))
        grid.addWidget(block(self, tr("Insulated tips"), "rf_tips", self.insulated_edit,
                             shown=tips), 1, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        for part in (what, needles, self.rf_section):
            column.addWidget(part)
        column.addStretch(1)

    # --- showing -------------------------------------------------------------------------

    def kind(self) -> DeviceKind:
        return DeviceKind(self.kind_box.currentData())

    def _kind_changed(self) -> None:
        kind = self.kind()
        roller = kind is DeviceKind.DERMA_ROLLER
        for part in (self.depth_row.highest, self.depth_row.step, self.depth_row.to_label,
                     self.depth_row.step_label):
            part.setVisible(not roller)
        self.depth_row.lowest.setPlaceholderText(tr("length") if roller else tr("lowest"))
        self.speeds_block.setVisible(not roller)
        self.cartridges_block.setVisible(not roller)
        self.roller_block.setVisible(roller)
        self.rf_section.setVisible(kind in RF_CAPABLE_KINDS)
        self.edited.emit()

    def _show_service(self) -> None:
        due = self.service_field.date()
        overdue = due is not None and self._today > due
        self.slot("service_due").set_note(
            tr("Overdue: sessions with this device will warn until it is serviced.")
            if overdue else "")
        self.edited.emit()

    def show_profile(self, profile: DeviceProfile) -> None:
        self.kind_box.setCurrentIndex(self.kind_box.findData(profile.kind))
        self.make_edit.setText(profile.make)
        self.model_edit.setText(profile.model)
        self.serial_edit.setText(profile.serial_number)
        self.notes_edit.setText(profile.notes)
        self.depth_row.show_range(profile.depth_mm)
        self.speeds_edit.setText(", ".join(profile.speed_settings))
        self._cartridges = profile.cartridges
        self.cartridges_edit.setText(", ".join(
            NANO if c.nano else str(c.needle_count) for c in profile.cartridges))
        self.roller_needles_edit.setText(shown_number(profile.roller_needle_count))
        rf = profile.rf
        self._tips = rf.tips if rf else ()
        if rf is not None:
            self.energy_unit_box.setCurrentIndex(self.energy_unit_box.findData(rf.energy_unit))
        self.energy_row.show_range(rf.energy if rf else None)
        self.pulse_row.show_range(rf.pulse_duration_ms if rf else None)
        self.insulated_edit.setText(", ".join(t.label for t in self._tips if t.insulated))
        self.plain_tips_edit.setText(", ".join(t.label for t in self._tips if not t.insulated))
        self.service_field.set_date(profile.service_due_on)
        for edit in (self.make_edit, self.model_edit, self.notes_edit):
            edit.setCursorPosition(0)  # long texts show from their start
        self._active = profile.active
        self._kind_changed()

    # --- reading -------------------------------------------------------------------------

    def _cartridge_list(self, problems: Problems) -> tuple[Cartridge, ...]:
        known = {(c.needle_count, c.nano): c for c in self._cartridges}
        found = []
        for part in split_list(self.cartridges_edit.text()):
            nano = part.casefold() == NANO
            count = None
            if not nano:
                try:
                    count = read_whole(part.split()[0])
                except NumberUnreadable:
                    problems.setdefault("cartridges", tr(
                        "List needle counts such as 12, 16, 36, or the word nano."))
                    continue
            existing = known.get((count, nano))
            found.append(existing or Cartridge(
                NANO if nano else f"{count}-needle",
                tr("Nano cartridge") if nano else tr("{count}-needle cartridge").format(
                    count=count), count, nano))
        return tuple(found)

    def _tip_list(self) -> tuple[RfTip, ...]:
        known = {(t.label, t.insulated): t for t in self._tips}
        tips = []
        for edit, insulated in ((self.insulated_edit, True), (self.plain_tips_edit, False)):
            for name in split_list(edit.text()):
                tips.append(known.get((name, insulated)) or RfTip(_key(name), name, insulated))
        return tuple(tips)

    def _range(self, row: RangeRow, slot: str, problems: Problems, *,
               fixed: bool = False) -> SettingRange:
        try:
            return row.read(fixed=fixed)
        except NumberUnreadable as exc:
            problems.setdefault(slot, str(exc))
            return SettingRange(_ONE, _ONE * 2, _ONE)

    def read_profile(self) -> tuple[DeviceProfile, Problems]:
        """The profile as typed, and the problems with it (one per field)."""
        problems: Problems = {}
        kind = self.kind()
        roller = kind is DeviceKind.DERMA_ROLLER
        depth = self._range(self.depth_row, "depth", problems, fixed=roller)
        roller_count = None
        if roller:
            try:
                roller_count = read_whole(self.roller_needles_edit.text())
            except NumberUnreadable as exc:
                problems["roller_needle_count"] = str(exc)
                roller_count = 1
        rf = None
        if kind in RF_CAPABLE_KINDS:
            rf = RfCapability(EnergyUnit(self.energy_unit_box.currentData()),
                              self._range(self.energy_row, "rf_energy", problems),
                              self._range(self.pulse_row, "rf_pulse", problems), self._tip_list())
        if self.service_field.is_unreadable():
            problems["service_due"] = tr("Enter a whole date or leave it empty.")
        profile = DeviceProfile(
            kind=kind, make=self.make_edit.text().strip(), model=self.model_edit.text().strip(),
            serial_number=self.serial_edit.text().strip(), depth_mm=depth,
            speed_settings=() if roller else tuple(split_list(self.speeds_edit.text())),
            cartridges=() if roller else self._cartridge_list(problems),
            roller_needle_count=roller_count, rf=rf,
            service_due_on=self.service_field.date(), active=self._active,
            notes=self.notes_edit.text().strip())
        for problem in device_problems(profile):
            problems.setdefault(problem_slot(problem.field), tr(problem.message))
        return profile, problems

    def problems(self) -> Problems:
        return self.read_profile()[1]
