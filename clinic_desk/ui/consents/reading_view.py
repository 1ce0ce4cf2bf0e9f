"""The patient's reading view: the consent form in large type, full screen, by touch.

The patient scrolls to the end and ticks each statement; only then is the signature pad
beside the text enabled. A line above the pad always says, in plain words, what is still
needed. "I do not agree" leads to a decline, with a reason chosen by touch. Nothing here
needs a keyboard, except the practitioner's optional note when declining.

The view only reports what happened (`consent_signed`, `consent_declined`); recording it
is the caller's business.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.consent_text import ConsentText
from clinic_desk.domain.signature import SignatureInk, is_blank
from clinic_desk.ui.consents.decline_panel import DeclinePanel, DeclineReason
from clinic_desk.ui.consents.ink_painting import PngBackground
from clinic_desk.ui.consents.reading_parts import TOUCH_TARGET, ConsentTextPanel, plain_label
from clinic_desk.ui.consents.signature_pad import Clock, SignaturePad
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import icon_label, primary_button, repolish

PAD_MAX_HEIGHT = 360
"""A signature is wide, not tall: past this the pad would only stretch the strokes."""


def still_needed(reached_end: bool, remaining: int) -> str:
    """What the patient still has to do before signing, in plain words ("" when ready)."""
    if remaining == 1:
        ticks = tr("tick the 1 remaining statement")
    else:
        ticks = tr("tick the {count} remaining statements").format(count=remaining)
    if not reached_end and remaining:
        return tr("Before you sign: read to the end, and {ticks}.").format(ticks=ticks)
    if not reached_end:
        return tr("Before you sign: read to the end of the form.")
    if remaining:
        return tr("Before you sign: {ticks}.").format(ticks=ticks)
    return ""


class ConsentReadingView(QWidget):
    """Give it the filled-in `ConsentText` (exactly what is shown is what gets frozen)."""

    consent_signed = Signal(object, object, bytes)  # ack keys (tuple[str, ...]), ink, PNG
    consent_declined = Signal(object)  # DeclineReason
    readiness_changed = Signal(bool)  # the pad was enabled (True) or disabled again

    def __init__(self, text: ConsentText, *, patient_name: str = "",
                 clock: Clock = time.monotonic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentReading")
        self.consent_text = text
        self._finished = False
        self.text_panel = ConsentTextPanel(text)
        self.pad = SignaturePad(clock)
        self.pad.set_hints(ready=tr("Sign here"),
                           disabled=tr("You can sign here once you have read to the end "
                                       "and ticked each statement."))
        self.needs_icon = icon_label("info", Tone.NORMAL, 24)
        self.needs_label = plain_label("", "readingNeeds")
        self.needs_label.setAccessibleName(tr("What is still needed"))
        self.sign_button = primary_button(tr("I agree and sign"), "file-signature")
        self.sign_button.setAccessibleName(tr("I agree and sign"))
        self.decline_button = QPushButton(icon("octagon-x"), tr("I do not agree"))
        self.decline_button.setAccessibleName(tr("I do not agree"))
        for button in (self.sign_button, self.decline_button):
            button.setMinimumHeight(TOUCH_TARGET + 12)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # no focus ring from a touch
        self.pad.setMaximumHeight(PAD_MAX_HEIGHT)
        self.decline_panel = DeclinePanel()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._reading_page(text, patient_name))
        self.pages.addWidget(self._decline_page())
        root = QVBoxLayout(self)
        root.setContentsMargins(36, 24, 36, 24)
        root.addWidget(self.pages)
        self.text_panel.end_reached.connect(self._refresh)
        self.text_panel.ticks_changed.connect(self._refresh)
        self.pad.ink_changed.connect(self._ink_changed)
        self.sign_button.clicked.connect(self.sign)
        self.decline_button.clicked.connect(self.show_decline)
        self.decline_panel.back_requested.connect(self.show_reading)
        self.decline_panel.decline_confirmed.connect(self._declined)
        self._ready = False
        self._refresh()

    def _reading_page(self, text: ConsentText, patient_name: str) -> QWidget:
        reading = QVBoxLayout()
        reading.setSpacing(10)
        reading.addWidget(plain_label(text.title, "pageTitle"))
        if patient_name:
            reading.addWidget(plain_label(tr("For {name}").format(name=patient_name),
                                          "readingFor"))
        reading.addWidget(self.text_panel, 1)
        signing = QFrame()
        signing.setObjectName("signingPanel")
        side = QVBoxLayout(signing)
        side.setContentsMargins(20, 18, 20, 18)
        side.setSpacing(12)
        side.addWidget(plain_label(tr("Your signature"), "sectionTitle"))
        needs = QHBoxLayout()
        needs.setSpacing(10)
        needs.addWidget(self.needs_icon, 0, Qt.AlignmentFlag.AlignTop)
        needs.addWidget(self.needs_label, 1)
        side.addLayout(needs)
        side.addWidget(self.pad, 3)
        side.addWidget(self.sign_button)
        side.addStretch(1)  # the two opposite answers stay apart
        side.addWidget(self.decline_button)
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(28)
        row.addLayout(reading, 3)
        row.addWidget(signing, 2)
        return page

    def _decline_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.decline_panel, 4)
        row.addStretch(1)
        return page

    # --- state ------------------------------------------------------------------------

    def has_reached_end(self) -> bool:
        return self.text_panel.has_reached_end()

    def ticked_keys(self) -> tuple[str, ...]:
        return self.text_panel.ticked_keys()

    def is_ready_to_sign(self) -> bool:
        """Read to the end and every statement ticked: the pad is enabled."""
        return self.has_reached_end() and self.text_panel.remaining() == 0

    def needs_text(self) -> str:
        return self.needs_label.text()

    def _refresh(self) -> None:
        ready = self.is_ready_to_sign() and not self._finished
        self.pad.setEnabled(ready)
        blank = is_blank(self.pad.ink())
        self.sign_button.setEnabled(ready and not blank)
        self.sign_button.setToolTip(
            "" if ready and not blank else tr("Sign in the box first") if ready
            else tr("Read to the end and tick each statement first"))
        self.decline_button.setEnabled(not self._finished)
        for box in self.text_panel.boxes:  # what was ticked is what was signed
            box.setEnabled(not self._finished)
        if self._finished:
            words, name, tone = tr("Signed. Thank you."), "circle-check", Tone.SUCCESS
        elif ready:
            words = tr("Thank you. Please sign in the box, then touch “I agree and sign”.")
            name, tone = "circle-check", Tone.SUCCESS
        else:
            words = still_needed(self.has_reached_end(), self.text_panel.remaining())
            name, tone = "info", Tone.NORMAL
        self.needs_label.setText(words)
        self.needs_label.setProperty("ready", ready or self._finished)
        repolish(self.needs_label)
        self.needs_icon.setPixmap(icon(name, tone).pixmap(24, 24))
        if ready != self._ready:
            self._ready = ready
            self.readiness_changed.emit(ready)

    def _ink_changed(self, _ink: SignatureInk) -> None:
        self._refresh()

    # --- what the patient does --------------------------------------------------------

    def sign(self) -> None:
        """Signs if everything is in place and the mark can count; otherwise the pad says
        why, in plain words."""
        if self._finished or not self.is_ready_to_sign():
            return
        ink = self.pad.accepted_ink()
        if ink is None:
            return
        png = self.pad.png(PngBackground.TRANSPARENT)
        self._finished = True
        self._refresh()
        self.consent_signed.emit(self.ticked_keys(), ink, png)

    def show_decline(self) -> None:
        if not self._finished:
            self.decline_panel.reset()
            self._turn_to(1)

    def show_reading(self) -> None:
        self._turn_to(0)

    def _turn_to(self, page: int) -> None:
        # Drop the focus first, or Qt hands it to the next page's first button, whose
        # focus ring a patient would take for a choice already made.
        focused = self.focusWidget()
        if focused is not None:
            focused.clearFocus()
        self.pages.setCurrentIndex(page)

    def is_declining(self) -> bool:
        return self.pages.currentIndex() == 1

    def _declined(self, reason: DeclineReason) -> None:
        if self._finished:
            return
        self._finished = True
        self._refresh()
        self.decline_panel.setEnabled(False)
        self.consent_declined.emit(reason)
