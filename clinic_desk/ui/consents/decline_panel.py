"""Saying no: the patient may decline to sign, with a reason chosen by touch if they wish,
and a note the practitioner may add in their own words."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.consents.reading_parts import TOUCH_TARGET, plain_label
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import icon_label, primary_button

STAFF_NOTE_LIMIT = 500
"""The practitioner's note is a line or two, not a report."""

DECLINE_REASONS: tuple[tuple[str, str], ...] = (
    ("more_time", "I would like more time to think about it"),
    ("questions", "I have questions I want answered first"),
    ("not_wanted", "I do not want this treatment"),
    ("cost_or_time", "The cost or the number of sessions does not suit me"),
    ("not_said", "I prefer not to say"),
)
"""Reasons a patient can choose by touch: (stable key, plain words)."""


@dataclass(frozen=True, slots=True)
class DeclineReason:
    """What was said when the patient declined; every part may be empty."""

    reason_key: str | None
    reason_text: str
    staff_note: str

    @property
    def text(self) -> str:
        """One line for the record: the reason, then the practitioner's note."""
        return " — ".join(part for part in (self.reason_text, self.staff_note) if part)


class DeclinePanel(QWidget):
    """Shown instead of the form when the patient touches "I do not agree"."""

    decline_confirmed = Signal(object)  # DeclineReason
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declinePanel")
        self.reason_group = QButtonGroup(self)
        self.reason_group.setExclusive(False)  # none chosen is a valid answer
        self.reason_buttons: dict[str, QPushButton] = {}
        reasons = QVBoxLayout()
        reasons.setSpacing(10)
        for key, words in DECLINE_REASONS:
            button = QPushButton(tr(words))
            button.setObjectName("declineReason")
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH_TARGET + 12)
            button.setAccessibleName(tr(words))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # no focus ring from a touch
            self.reason_group.addButton(button)
            self.reason_buttons[key] = button
            reasons.addWidget(button)
        self.reason_group.buttonToggled.connect(self._one_at_most)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("staffNote")
        self.note_edit.setAccessibleName(tr("Note by the practitioner"))
        self.note_edit.setPlaceholderText(tr("For staff: anything the patient said, in a few "
                                             "words (optional)"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(92)
        self.back_button = QPushButton(icon("chevron-left"), tr("Back to the form"))
        self.back_button.setAccessibleName(tr("Back to the form"))
        self.confirm_button = primary_button(tr("Confirm: I do not agree"), "octagon-x")
        self.confirm_button.setAccessibleName(tr("Confirm that I do not agree"))
        for button in (self.back_button, self.confirm_button):
            button.setMinimumHeight(TOUCH_TARGET + 12)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        title = QHBoxLayout()
        title.setSpacing(14)
        title.addWidget(icon_label("hand", Tone.ACCENT, 40))
        title.addWidget(plain_label(tr("You have chosen not to sign"), "pageTitle"), 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addLayout(title)
        column.addWidget(plain_label(tr(
            "That is your right, and nothing is done without your consent. If you wish, "
            "touch the reason that fits best; it is written in your record. You can also "
            "go back to the form."), "readingBody"))
        column.addLayout(reasons)
        column.addWidget(plain_label(tr("For staff"), "sectionTitle"))
        column.addWidget(self.note_edit)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        column.addLayout(buttons)
        self.back_button.clicked.connect(self.back_requested)
        self.confirm_button.clicked.connect(self._confirm)

    def _one_at_most(self, button: QPushButton, checked: bool) -> None:
        # The tick is shown as well as the fill: the choice never rests on colour alone.
        button.setIcon(icon("circle-check", Tone.ON_ACCENT) if checked else QIcon())
        if not checked:
            return
        for other in self.reason_group.buttons():
            if other is not button and other.isChecked():
                other.setChecked(False)

    def chosen(self) -> DeclineReason:
        key = next((k for k, b in self.reason_buttons.items() if b.isChecked()), None)
        words = self.reason_buttons[key].text() if key is not None else ""
        note = " ".join(self.note_edit.toPlainText().split())[:STAFF_NOTE_LIMIT]
        return DeclineReason(key, words, note)

    def reset(self) -> None:
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.note_edit.clear()

    def _confirm(self) -> None:
        self.decline_confirmed.emit(self.chosen())
