"""The signature pad: finger, stylus or mouse; Undo stroke and Clear; the ink as data.

Split as in Qt's stardelegate example: the value (`SignatureInk`, pure domain data) is
separate from the editor widget that edits it. `SignatureCanvas` (in `ink_canvas`) takes
the input and paints; `SignaturePad` adds the buttons and the room kept for a refusal.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.signature import (
    MARK_PROBLEM_TEXTS,
    MarkProblem,
    SignatureInk,
    is_blank,
    trivial_mark,
)
from clinic_desk.ui.consents.ink_canvas import Clock, SignatureCanvas
from clinic_desk.ui.consents.ink_painting import PngBackground, signature_png
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import FieldError

__all__ = ["Clock", "SignatureCanvas", "SignaturePad", "mark_problem_text"]

TOUCH_TARGET = 44


def mark_problem_text(problem: MarkProblem) -> str:
    return tr(MARK_PROBLEM_TEXTS[problem])


class SignaturePad(QWidget):
    """The canvas with Undo stroke and Clear above it (44 px targets) and, below it, room
    kept for the plain words that say why a mark cannot count."""

    ink_changed = Signal(object)  # SignatureInk

    def __init__(self, clock: Clock = time.monotonic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.canvas = SignatureCanvas(clock)
        self.undo_button = QPushButton(icon("undo-2"), tr("Undo stroke"))
        self.undo_button.setAccessibleName(tr("Undo the last stroke"))
        self.clear_button = QPushButton(icon("eraser"), tr("Clear"))
        self.clear_button.setAccessibleName(tr("Clear the signature"))
        for button in (self.undo_button, self.clear_button):
            button.setObjectName("padButton")
            button.setMinimumSize(TOUCH_TARGET * 2, TOUCH_TARGET)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.problem = FieldError(object_name="padProblem")
        policy = self.problem.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the line is reserved: nothing jumps
        self.problem.setSizePolicy(policy)
        self.problem.setAccessibleName(tr("Signature problem"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(self.clear_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addLayout(row)
        column.addWidget(self.canvas, 1)
        column.addWidget(self.problem)
        self.undo_button.clicked.connect(self.canvas.undo_stroke)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.canvas.stroke_started.connect(self.problem.clear)
        self.canvas.ink_changed.connect(self._ink_changed)
        self._refresh_buttons()

    def ink(self) -> SignatureInk:
        return self.canvas.ink()

    def is_blank(self) -> bool:
        return is_blank(self.canvas.ink())

    def clear(self) -> None:
        self.canvas.clear()

    def undo_stroke(self) -> None:
        self.canvas.undo_stroke()

    def set_hints(self, *, ready: str | None = None, disabled: str | None = None) -> None:
        """The words on the empty pad ("Sign here") and on the disabled pad (why not yet)."""
        if ready is not None:
            self.canvas.hint = ready
        if disabled is not None:
            self.canvas.disabled_hint = disabled
        self.canvas.update()

    def refusal(self) -> str | None:
        """Why the mark cannot count, in plain translated words; None when it can."""
        problem = trivial_mark(self.canvas.ink())
        return None if problem is None else mark_problem_text(problem)

    def accepted_ink(self) -> SignatureInk | None:
        """The ink if it can count as a signature; otherwise None, and the reason is
        shown under the pad."""
        reason = self.refusal()
        if reason is not None:
            self.problem.show_problem(reason)
            return None
        self.problem.clear()
        return self.canvas.ink()

    def png(self, background: PngBackground = PngBackground.TRANSPARENT) -> bytes:
        return signature_png(self.canvas.ink(), background=background)

    def problem_text(self) -> str:
        return self.problem.text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.EnabledChange:
            self._refresh_buttons()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        # Two lines are kept free under the pad for a refusal, in the font the style
        # sheet gives it, so the pad never shrinks when one appears.
        words = self.problem.findChild(QLabel, "padProblem")
        if words is not None:
            words.ensurePolished()
            self.problem.setMinimumHeight(2 * words.fontMetrics().lineSpacing() + 4)
        super().showEvent(event)

    def _ink_changed(self, ink: SignatureInk) -> None:
        self._refresh_buttons()
        self.ink_changed.emit(ink)

    def _refresh_buttons(self) -> None:
        blank = self.is_blank()
        for button in (self.undo_button, self.clear_button):
            button.setEnabled(self.isEnabled() and not blank)
            button.setToolTip(tr("Nothing is drawn yet") if blank else "")
