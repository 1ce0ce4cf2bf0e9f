"""The test spot: a small patch treated first at the planned RF settings, and how the
skin took it. The guardrails ask for one (and say why) before a first RF session or an
energy above what the patient tolerated before."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.session_record import TestSpot
from clinic_desk.domain.setting_findings import SettingFinding
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import FieldSlot, SteadyLineEdit, hold_height
from clinic_desk.ui.sessions.area_row import combo, field_column
from clinic_desk.ui.sessions.session_parts import checkbox
from clinic_desk.ui.sessions.stepper import DecimalStepper
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import FieldError, icon_label, label, repolish

SPOT_FIELDS = ("rf_energy", "rf_pulse_duration_ms", "rf_tip", "tolerated")


class TestSpotBox(QFrame):
    __test__ = False  # not a pytest class
    edited = Signal()

    def __init__(self, protocol: Protocol, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testSpot")
        self.why = label(tr("No test spot is needed for these settings."), "hint")
        self.why.setMinimumHeight(3 * self.why.fontMetrics().lineSpacing())
        self.why_icon = icon_label("triangle-alert", Tone.DANGER, 18)
        self.why_icon.setVisible(False)
        why_row = QHBoxLayout()
        why_row.setSpacing(8)
        why_row.addWidget(self.why_icon, 0, Qt.AlignmentFlag.AlignTop)
        why_row.addWidget(self.why, 1)
        self.done_box = checkbox(tr("A test spot was done"))
        self.area_box = combo(tr("Test spot area"))
        for area in protocol.areas:
            self.area_box.addItem(tr(area.label), area.key)
        self.energy = DecimalStepper(tr("Test spot RF energy"))
        self.pulse = DecimalStepper(tr("Test spot pulse duration"), "ms")
        self.tip_box = combo(tr("Test spot RF tip"))
        self.reaction_edit = SteadyLineEdit()
        self.reaction_edit.setAccessibleName(tr("Skin's reaction at the test spot"))
        self.reaction_edit.setPlaceholderText(tr("e.g. even redness, no blistering"))
        hold_height(self.reaction_edit)
        self.tolerated_box = checkbox(tr("Tolerated: the reaction was acceptable"))
        self.errors: dict[str, FieldError] = {}
        self.slots: dict[str, FieldSlot] = {}
        watched: dict[str, QWidget] = {"rf_energy": self.energy.edit,
                                       "rf_pulse_duration_ms": self.pulse.edit,
                                       "rf_tip": self.tip_box, "tolerated": self.tolerated_box}
        for name in SPOT_FIELDS:
            self.errors[name] = FieldError().watch(watched[name])
            self.slots[name] = FieldSlot(self.errors[name], lines=2)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.addWidget(field_column(tr("Area"), self.area_box, FieldSlot(FieldError())), 0, 0)
        grid.addWidget(field_column(tr("RF energy"), self.energy, self.slots["rf_energy"]), 0, 1)
        grid.addWidget(field_column(tr("Pulse duration"), self.pulse,
                                    self.slots["rf_pulse_duration_ms"]), 0, 2)
        grid.addWidget(field_column(tr("RF tip"), self.tip_box, self.slots["rf_tip"]), 1, 0)
        grid.addWidget(field_column(tr("Reaction"), self.reaction_edit, FieldSlot(FieldError())),
                       1, 1, 1, 2)
        grid.addWidget(self.tolerated_box, 2, 0, 1, 3)
        grid.addWidget(self.slots["tolerated"], 3, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.fields = QWidget()
        self.fields.setLayout(grid)
        root = QVBoxLayout(self)
        root.setContentsMargins(14, 10, 14, 10)
        root.addLayout(why_row)
        root.addWidget(self.done_box)
        root.addWidget(self.fields)
        self._enable()
        self.done_box.toggled.connect(lambda _on: self._enable())
        for stepper in (self.energy, self.pulse):
            stepper.value_changed.connect(lambda _v: self.edited.emit())
        self.tip_box.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.area_box.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.reaction_edit.textChanged.connect(lambda _t: self.edited.emit())
        self.tolerated_box.toggled.connect(lambda _on: self.edited.emit())

    def _enable(self) -> None:
        self.fields.setEnabled(self.done_box.isChecked())
        self.edited.emit()

    def set_device(self, device: DeviceProfile | None) -> None:
        rf = device.rf if device else None
        self.energy.set_range(rf.energy if rf else None)
        self.energy.set_unit("" if rf is None else str(rf.energy_unit))
        self.pulse.set_range(rf.pulse_duration_ms if rf else None)
        chosen = self.tip_box.currentData()
        self.tip_box.clear()
        for tip in rf.tips if rf else ():
            self.tip_box.addItem(tip.label, tip.key)
        self.tip_box.setCurrentIndex(max(self.tip_box.findData(chosen), 0))
        self.done_box.setEnabled(rf is not None)

    def test_spot(self) -> TestSpot | None:
        if not self.done_box.isChecked():
            return None
        energy, pulse = self.energy.value(), self.pulse.value()
        area, tip = self.area_box.currentData(), self.tip_box.currentData()
        if energy is None or pulse is None or area is None or tip is None:
            return None
        return TestSpot(area=str(area), rf_energy=energy, rf_pulse_duration_ms=pulse,
                        rf_tip=str(tip), reaction=self.reaction_edit.text().strip(),
                        tolerated=self.tolerated_box.isChecked())

    def local_problems(self) -> dict[str, str]:
        if not self.done_box.isChecked():
            return {}
        problems = {}
        if self.energy.value() is None:
            problems["rf_energy"] = tr("Enter the test spot's RF energy.")
        if self.pulse.value() is None:
            problems["rf_pulse_duration_ms"] = tr("Enter the test spot's pulse duration.")
        if self.tip_box.currentData() is None:
            problems["rf_tip"] = tr("Choose the tip used.")
        return problems

    def show_messages(self, needed: Sequence[SettingFinding], problems: Mapping[str, str],
                      findings: Mapping[str, Sequence[SettingFinding]]) -> None:
        text = " ".join(tr(f.message) for f in needed)
        self.why.setText(text[:1].upper() + text[1:] if needed else tr(
            "No test spot is needed for these settings."))
        self.why_icon.setVisible(bool(needed))
        self.why.setObjectName("fieldError" if needed else "hint")
        repolish(self.why)
        for name in SPOT_FIELDS:
            blocking = [tr(f.message) for f in findings.get(name, ()) if f.blocks_saving]
            self.errors[name].show_problem(problems.get(name) or " ".join(blocking))
            self.slots[name].sync()
