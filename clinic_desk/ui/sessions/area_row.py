"""One treated area of a session: area and indication, needle depth (a stepper on the
device's steps), passes, speed and, with RF, energy, pulse duration and tip; the written
reason when the depth goes above the protocol's maximum. Every field keeps room for its
message, so a finding appearing never moves anything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.devices import DeviceProfile, SettingRange, with_unit
from clinic_desk.domain.guardrails import MAX_PASSES, AreaSettings
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.quantities import format_mm, format_quantity
from clinic_desk.domain.setting_findings import SettingFinding
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import FieldSlot, SteadyComboBox, SteadyLineEdit, hold_height
from clinic_desk.ui.sessions.stepper import DecimalStepper
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import touch_target
from clinic_desk.ui.widgets import FieldError, label, repolish

PASSES = SettingRange(Decimal(1), Decimal(MAX_PASSES), Decimal(1))
FIELD_WORDS = {"needle_depth_mm": "needle depth", "passes": "passes", "speed": "speed",
               "rf_energy": "RF energy", "rf_pulse_duration_ms": "RF pulse duration",
               "rf_tip": "RF tip", "indication": "indication"}
AREA_FIELDS = ("area", "needle_depth_mm", "passes", "speed", "rf_energy",
               "rf_pulse_duration_ms", "rf_tip", "above_maximum_reason")


def combo(name: str) -> SteadyComboBox:
    box = SteadyComboBox()
    box.setAccessibleName(name)
    box.setMinimumHeight(44)
    # Long device and lot names never widen the form: the list shows them whole.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    hold_height(box)
    return box


def field_column(caption: str, widget: QWidget, slot: FieldSlot,
                 hint: QWidget | None = None) -> QWidget:
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    holder.setMinimumWidth(150)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    title = label(caption, wrap=False)
    title.setBuddy(widget.focusProxy() or widget)
    column.addWidget(title)
    column.addWidget(widget)
    if hint is not None:
        column.addWidget(hint)
    column.addWidget(slot)
    column.addStretch(1)  # side by side, the captions line up at the top
    return holder


class AreaRow(QFrame):
    edited = Signal()
    remove_requested = Signal(object)  # AreaRow

    def __init__(self, protocol: Protocol, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("areaCard")
        self._protocol = protocol
        self._device: DeviceProfile | None = None
        self._filled_depth: Decimal | None = None
        self.area_box = combo(tr("Treated area"))
        self.area_box.addItem(tr("Choose the area…"), None)
        for area in protocol.areas:
            self.area_box.addItem(tr(area.label), area.key)
        self.indication_box = combo(tr("Indication"))
        self.depth_stepper = DecimalStepper(tr("Needle depth"), "mm")
        self.passes = DecimalStepper(tr("Passes"))
        self.passes.set_range(PASSES)
        self.speed_box = combo(tr("Speed"))
        self.energy = DecimalStepper(tr("RF energy"))
        self.pulse = DecimalStepper(tr("RF pulse duration"), "ms")
        self.tip_box = combo(tr("RF tip"))
        self.reason_edit = SteadyLineEdit()
        self.reason_edit.setAccessibleName(tr("Reason for going above the area's maximum"))
        self.reason_edit.setPlaceholderText(tr(
            "Needed only above the protocol's maximum for this area"))
        hold_height(self.reason_edit)
        self.remove_button = QPushButton(icon("x"), tr("Remove area"))
        touch_target(self.remove_button)
        self.limit_hint = label("", "hint", wrap=False)
        self.errors: dict[str, FieldError] = {}
        self.slots: dict[str, FieldSlot] = {}
        watched: dict[str, QWidget] = {
            "area": self.area_box, "needle_depth_mm": self.depth_stepper.edit,
            "passes": self.passes.edit, "speed": self.speed_box, "rf_energy": self.energy.edit,
            "rf_pulse_duration_ms": self.pulse.edit, "rf_tip": self.tip_box,
            "above_maximum_reason": self.reason_edit}
        for name in AREA_FIELDS:
            error = FieldError().watch(watched[name])
            self.errors[name] = error
            self.slots[name] = FieldSlot(error, lines=2)
        self._lay_out()
        self.area_box.currentIndexChanged.connect(lambda _i: self._area_changed())
        self.indication_box.currentIndexChanged.connect(lambda _i: self._limits_changed())
        for stepper in (self.depth_stepper, self.passes, self.energy, self.pulse):
            stepper.value_changed.connect(lambda _v: self.edited.emit())
        for box in (self.speed_box, self.tip_box):
            box.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.reason_edit.textChanged.connect(lambda _t: self.edited.emit())
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def _lay_out(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        s = self.slots
        grid.addWidget(field_column(tr("Area"), self.area_box, s["area"]), 0, 0)
        grid.addWidget(field_column(tr("Indication"), self.indication_box, FieldSlot(
            FieldError(), lines=2)), 0, 1)
        top_right = QHBoxLayout()
        top_right.addStretch(1)
        top_right.addWidget(self.remove_button)
        grid.addLayout(top_right, 0, 2)
        grid.addWidget(field_column(tr("Needle depth"), self.depth_stepper, s["needle_depth_mm"],
                                    self.limit_hint), 1, 0)
        grid.addWidget(field_column(tr("Passes"), self.passes, s["passes"]), 1, 1)
        grid.addWidget(field_column(tr("Speed"), self.speed_box, s["speed"]), 1, 2)
        grid.addWidget(field_column(tr("RF energy"), self.energy, s["rf_energy"]), 2, 0)
        grid.addWidget(field_column(tr("RF pulse duration"), self.pulse,
                                    s["rf_pulse_duration_ms"]), 2, 1)
        grid.addWidget(field_column(tr("RF tip"), self.tip_box, s["rf_tip"]), 2, 2)
        grid.addWidget(field_column(tr("Reason for going deeper than the protocol's maximum"),
                                    self.reason_edit, s["above_maximum_reason"]), 3, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        root = QVBoxLayout(self)
        root.setContentsMargins(14, 10, 14, 6)
        root.addLayout(grid)

    def set_number(self, number: int) -> None:
        """Each control says which area it belongs to ("Area 2: needle depth"), so a
        screen reader (and a test) tells two areas apart."""
        for widget, words in (
                (self.area_box, tr("treated area")), (self.indication_box, tr("indication")),
                (self.depth_stepper.edit, tr("needle depth")), (self.passes.edit, tr("passes")),
                (self.speed_box, tr("speed")), (self.energy.edit, tr("RF energy")),
                (self.pulse.edit, tr("RF pulse duration")), (self.tip_box, tr("RF tip")),
                (self.reason_edit, tr("reason for going above the maximum")),
                (self.remove_button, tr("remove"))):
            widget.setAccessibleName(tr("Area {number}: {what}").format(number=number,
                                                                       what=words))

    # --- choices -------------------------------------------------------------------------

    def area_key(self) -> str | None:
        data = self.area_box.currentData()
        return str(data) if data else None

    def indication_key(self) -> str | None:
        data = self.indication_box.currentData()
        return str(data) if data else None

    def _area_changed(self) -> None:
        key = self.area_key()
        chosen = self.indication_key()
        self.indication_box.blockSignals(True)
        self.indication_box.clear()
        if key is not None:
            for indication in self._protocol.indications_for(key):
                self.indication_box.addItem(tr(indication.label), indication.key)
            found = self.indication_box.findData(chosen)
            self.indication_box.setCurrentIndex(max(found, 0))
        self.indication_box.blockSignals(False)
        self._limits_changed()

    def _limits_changed(self) -> None:
        area, indication = self.area_key(), self.indication_key()
        limit = (self._protocol.limit(area, indication)
                 if area is not None and indication is not None else None)
        if limit is None:
            self.limit_hint.setText("")
        else:
            self.limit_hint.setText(tr("Protocol: usually {default}, at most {maximum}").format(
                default=format_mm(limit.default_mm), maximum=format_mm(limit.maximum_mm)))
            current = self.depth_stepper.value()
            untouched = current is None or current == self._filled_depth
            if untouched and not self.depth_stepper.is_unreadable():
                # The protocol's default until the practitioner sets a depth themselves.
                self._filled_depth = self._nearest_setting(limit.default_mm)
                self.depth_stepper.set_value(self._filled_depth)
        self.edited.emit()

    def _nearest_setting(self, depth: Decimal) -> Decimal:
        """The protocol's default, on the device's steps (the deepest not above it)."""
        if self._device is None:
            return depth
        settings = self._device.depth_mm.settings()
        fitting = [s for s in settings if s <= depth]
        return fitting[-1] if fitting else (settings[0] if settings else depth)

    def set_device(self, device: DeviceProfile | None) -> None:
        self._device = device
        self.depth_stepper.set_range(device.depth_mm if device else None, free_step=Decimal("0.1"))
        rf = device.rf if device else None
        self.energy.set_range(rf.energy if rf else None)
        self.energy.set_unit("" if rf is None else str(rf.energy_unit))
        self.pulse.set_range(rf.pulse_duration_ms if rf else None, free_step=Decimal(10))
        for box, items in (
            (self.speed_box, [(s, s) for s in (device.speed_settings if device else ())]),
            (self.tip_box, [(t.label, t.key) for t in (rf.tips if rf else ())]),
        ):
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(tr("Not recorded") if box is self.speed_box else tr("No RF"), None)
            for text, data in items:
                box.addItem(text, data)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            box.blockSignals(False)
        no_rf = rf is None
        for widget in (self.energy, self.pulse, self.tip_box):
            widget.setToolTip(tr("This device has no radiofrequency.") if no_rf else "")
        self.edited.emit()

    # --- values --------------------------------------------------------------------------

    def local_problems(self) -> dict[str, str]:
        """What the form can say before asking the service: nothing chosen, unreadable."""
        problems = {}
        if self.area_key() is None:
            problems["area"] = tr("Choose the treated area.")
        for name, stepper in (("needle_depth_mm", self.depth_stepper), ("passes", self.passes),
                              ("rf_energy", self.energy), ("rf_pulse_duration_ms", self.pulse)):
            if stepper.is_unreadable():
                problems[name] = tr("Enter a number such as 1.5.")
        if "needle_depth_mm" not in problems and self.depth_stepper.value() is None:
            problems["needle_depth_mm"] = tr("Enter the needle depth.")
        passes = self.passes.value()
        if passes is not None and passes != passes.to_integral_value():
            problems["passes"] = tr("Passes are whole numbers.")
        return problems

    def settings(self) -> AreaSettings | None:
        area, depth = self.area_key(), self.depth_stepper.value()
        if area is None or depth is None or self.local_problems():
            return None
        passes = self.passes.value()
        return AreaSettings(
            area=area, indication=self.indication_key() or "", needle_depth_mm=depth,
            above_maximum_reason=self.reason_edit.text().strip(),
            passes=None if passes is None else int(passes),
            speed=self.speed_box.currentData(), rf_energy=self.energy.value(),
            rf_pulse_duration_ms=self.pulse.value(), rf_tip=self.tip_box.currentData())

    def set_settings(self, settings: AreaSettings) -> None:
        self._filled_depth = None
        self.area_box.setCurrentIndex(max(self.area_box.findData(settings.area), 0))
        self.indication_box.setCurrentIndex(
            max(self.indication_box.findData(settings.indication), 0))
        self.depth_stepper.set_value(settings.needle_depth_mm)
        self.passes.set_value(settings.passes)
        self.speed_box.setCurrentIndex(max(self.speed_box.findData(settings.speed), 0))
        self.energy.set_value(settings.rf_energy)
        self.pulse.set_value(settings.rf_pulse_duration_ms)
        self.tip_box.setCurrentIndex(max(self.tip_box.findData(settings.rf_tip), 0))
        self.reason_edit.setText(settings.above_maximum_reason)

    # --- messages ------------------------------------------------------------------------

    def show_messages(self, problems: Mapping[str, str],
                      findings: Mapping[str, Sequence[SettingFinding]]) -> None:
        """Local problems first, then the guardrails' findings: blocking ones as problems,
        warnings as notes (they let the session be signed off)."""
        for name in AREA_FIELDS:
            found = findings.get(name, ())
            blocking = [f.message for f in found if f.blocks_saving]
            notes = [f.message for f in found if not f.blocks_saving]
            message = problems.get(name) or " ".join(tr(m) for m in blocking)
            self.errors[name].show_problem(message)
            self.slots[name].set_note(" ".join(tr(m) for m in notes))
        needs_reason = any(f.code == "above_area_maximum"
                           for f in findings.get("above_maximum_reason", ()))
        self.reason_edit.setProperty("needed", needs_reason)
        repolish(self.reason_edit)

    def mark_changed(self, names: frozenset[str], before: AreaSettings | None) -> list[str]:
        """Highlights the fields that differ from the last session; returns them in words."""
        widgets = {"needle_depth_mm": self.depth_stepper.edit, "passes": self.passes.edit,
                   "speed": self.speed_box, "rf_energy": self.energy.edit,
                   "rf_pulse_duration_ms": self.pulse.edit, "rf_tip": self.tip_box,
                   "indication": self.indication_box}
        said = []
        for name, widget in widgets.items():
            changed = name in names
            widget.setProperty("changed", changed)
            repolish(widget)
            if changed and before is not None:
                was = getattr(before, name)
                shown = ("—" if was is None else format_quantity(was)
                         if isinstance(was, Decimal) else str(was))
                widget.setToolTip(tr("Changed since the last session (was {value}).").format(
                    value=shown))
                said.append(FIELD_WORDS.get(name, name))
            elif not changed:
                widget.setToolTip("")
        return said

    def describe(self, energy_unit: str) -> str:
        """"Cheeks 1.5 mm, RF level 4" for summaries."""
        settings = self.settings()
        if settings is None:
            return ""
        text = f"{self.area_box.currentText()} {format_mm(settings.needle_depth_mm)}"
        if settings.rf_energy is not None:
            text += ", RF " + with_unit(settings.rf_energy, energy_unit)
        return text
