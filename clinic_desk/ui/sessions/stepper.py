"""A stepper for touch and keyboard: − and + buttons of 44 px around a value that can
also be typed. Steps follow the device (0.25 mm from 0.25, level 1 to 10...); a typed
value off the steps is kept as typed, so the guardrails can say why it is refused."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from clinic_desk.domain.devices import SettingRange
from clinic_desk.domain.quantities import QuantityError, exact, format_quantity
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import SteadyLineEdit, hold_height
from clinic_desk.ui.touch import TOUCH_PX, touch_target
from clinic_desk.ui.widgets import label


class DecimalStepper(QWidget):
    value_changed = Signal(object)  # Decimal | None

    def __init__(self, name: str, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._range: SettingRange | None = None
        self._free_step = Decimal(1)
        self.down_button = QPushButton("−")
        self.up_button = QPushButton("+")
        self.edit = SteadyLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setMinimumWidth(64)
        self.edit.setMaximumWidth(96)
        self.edit.setMinimumHeight(TOUCH_PX)
        hold_height(self.edit)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.unit_label = label(unit, "hint", wrap=False)
        for button, words in ((self.down_button, tr("{name}: one step less")),
                              (self.up_button, tr("{name}: one step more"))):
            touch_target(button)
            button.setFixedWidth(TOUCH_PX)
            button.setAccessibleName(words.format(name=name))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys step from the value
            button.setAutoRepeat(True)
        self.edit.setAccessibleName(name)
        self.edit.setToolTip(tr("Type a value, or use Up and Down (or − and +) to step."))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.down_button)
        row.addWidget(self.edit)
        row.addWidget(self.up_button)
        row.addWidget(self.unit_label)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.down_button.clicked.connect(lambda: self.step_by(-1))
        self.up_button.clicked.connect(lambda: self.step_by(1))
        self.edit.textChanged.connect(lambda _t: self.value_changed.emit(self.value()))
        self.edit.installEventFilter(self)

    def set_unit(self, unit: str) -> None:
        self.unit_label.setText(unit)

    def set_range(self, allowed: SettingRange | None, *, free_step: Decimal | None = None) -> None:
        """The device's settings; None for a free value (passes) stepping by `free_step`."""
        self._range = allowed
        if free_step is not None:
            self._free_step = free_step
        fixed = allowed is not None and allowed.is_fixed
        self.down_button.setEnabled(not fixed)
        self.up_button.setEnabled(not fixed)

    def value(self) -> Decimal | None:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return exact(text)
        except QuantityError:
            return None

    def is_unreadable(self) -> bool:
        return bool(self.edit.text().strip()) and self.value() is None

    def set_value(self, value: Decimal | int | None) -> None:
        self.edit.setText("" if value is None else format_quantity(Decimal(value)))

    def step_by(self, direction: int) -> None:
        current = self.value()
        allowed = self._range
        if allowed is not None and allowed.step is not None and not allowed.is_fixed:
            settings = allowed.settings()
            if current is None:
                chosen = settings[0]
            elif direction > 0:
                chosen = next((s for s in settings if s > current), settings[-1])
            else:
                chosen = next((s for s in reversed(settings) if s < current), settings[0])
        elif allowed is not None and allowed.is_fixed:
            chosen = allowed.minimum
        else:
            start = current if current is not None else (
                allowed.minimum if allowed else Decimal(0))
            chosen = start + self._free_step * direction if current is not None else start
            if allowed is not None:
                chosen = min(max(chosen, allowed.minimum), allowed.maximum)
            chosen = max(chosen, Decimal(0))
        self.set_value(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_Plus: 1,
                     Qt.Key.Key_Minus: -1}
            if event.key() in steps:
                self.step_by(steps[Qt.Key(event.key())])
                return True
        return super().eventFilter(watched, event)
