"""Parts of the session form: the start gate, open adverse events beside the settings,
the pain scale, the numbing times and the test spot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.adverse_events import SEVERITY_LABELS
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.devices import with_unit
from clinic_desk.domain.numbing import numbing_minutes
from clinic_desk.domain.quantities import format_mm
from clinic_desk.domain.session_record import MAX_PAIN_SCORE
from clinic_desk.domain.session_start import StartCheck
from clinic_desk.services.treatment_dto import AdverseEventView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import SteadyLineEdit, hold_height
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.touch import TOUCH_PX, touch_target
from clinic_desk.ui.widgets import icon_label, label, repolish


def icon_line(icon_name: str, tone: Tone, text: str, object_name: str | None = None) -> QWidget:
    line = QWidget()
    row = QHBoxLayout(line)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    row.addWidget(icon_label(icon_name, tone, 18), 0, Qt.AlignmentFlag.AlignTop)
    words = label(text, object_name)
    row.addWidget(words, 1)
    return line


class GatePanel(QFrame):
    """May the session start? The consent and the screening, as the service says: a
    line per blocker, or what allows it. It keeps the height of the longer of the two
    answers (with and without RF), so switching RF on or off never moves the form."""

    def __init__(self, without_rf: StartCheck, with_rf: StartCheck,
                 date_format: DateFormat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gatePanel")
        self._checks = {False: without_rf, True: with_rf}
        self._date_format = date_format
        self._lines = QVBoxLayout()
        self._lines.setSpacing(4)
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 8, 12, 8)
        root.addLayout(self._lines)
        root.addStretch(1)
        self.uses_rf = False
        self.texts: list[str] = []
        rows = max(len(without_rf.blockers), len(with_rf.blockers), 1) + 1
        self.setMinimumHeight(rows * 26 + 16)
        self.show_for(False)

    @property
    def check(self) -> StartCheck:
        return self._checks[self.uses_rf]

    def show_for(self, uses_rf: bool) -> None:
        self.uses_rf = uses_rf
        while self._lines.count():
            item = self._lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        check = self.check
        treatment = tr("with RF") if uses_rf else tr("without RF")
        if check.can_start:
            self.texts = [tr("Ready to treat {treatment}.").format(treatment=treatment)]
            consent = check.consent
            if consent is not None:
                self.texts.append(tr("Consent signed on {day} covers this treatment; today's "
                                     "screening allows it.").format(
                    day=format_date(consent.signed_on, self._date_format)))
            self._lines.addWidget(icon_line("circle-check", Tone.SUCCESS, self.texts[0],
                                            "gateReady"))
            for text in self.texts[1:]:
                self._lines.addWidget(label(text, "hint"))
        else:
            self.texts = [tr("This session cannot start {treatment}:").format(
                treatment=treatment)] + [tr(b.message) for b in check.blockers]
            self._lines.addWidget(label(self.texts[0], "gateBlocked"))
            for text in self.texts[1:]:
                self._lines.addWidget(icon_line("octagon-x", Tone.DANGER, text))
        self.setProperty("blocked", not check.can_start)
        repolish(self)
        self.setAccessibleName(" ".join(self.texts))


def settings_words(event: AdverseEventView, area_label: Callable[[str], str]) -> str:
    parts = []
    for area in event.settings.areas:
        text = f"{area_label(area.area)} {format_mm(area.needle_depth_mm)}"
        if area.rf_energy is not None:
            text += ", RF " + with_unit(area.rf_energy, "level")
        parts.append(text)
    return "; ".join(parts)


class AdverseEventsPanel(QFrame):
    """Open adverse events with the settings used then, beside this session's settings."""

    def __init__(self, events: Sequence[AdverseEventView], date_format: DateFormat,
                 area_label: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adversePanel")
        self.texts: list[str] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(4)
        for event in events:
            text = tr("Open adverse event: {kind} ({severity}) from {onset}, after the session "
                      "of {day}. Settings then: {settings}; device {device}, lot {lot}.").format(
                kind=tr(event.kind_label), severity=tr(SEVERITY_LABELS[event.severity]).lower(),
                onset=format_date(event.onset_on, date_format),
                day=format_date(event.session_date, date_format),
                settings=settings_words(event, area_label), device=event.device_label,
                lot=event.lot_number or "—")
            self.texts.append(text)
            column.addWidget(icon_line("triangle-alert", Tone.WARNING, text))
        self.setVisible(bool(events))
        self.setAccessibleName(" ".join(self.texts))


class PainScale(QWidget):
    """0 to 10 as eleven buttons of 44 px; none pressed means not asked."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.buttons: list[QPushButton] = []
        for score in range(MAX_PAIN_SCORE + 1):
            button = QPushButton(str(score))
            button.setCheckable(True)
            button.setFixedWidth(TOUCH_PX)
            touch_target(button)
            button.setAccessibleName(tr("Pain {score} of 10").format(score=score))
            self.group.addButton(button, score)
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        self.group.idClicked.connect(self._clicked)

    def _clicked(self, score: int) -> None:
        for other in self.buttons:
            if other is not self.buttons[score]:
                other.setChecked(False)
        self.changed.emit()

    def score(self) -> int | None:
        return next((i for i, b in enumerate(self.buttons) if b.isChecked()), None)

    def set_score(self, score: int | None) -> None:
        for i, button in enumerate(self.buttons):
            button.setChecked(i == score)


class TimeField(QWidget):
    """A time of day typed as hh:mm, or "Now" with one tap."""

    changed = Signal()

    def __init__(self, name: str, now: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.edit = SteadyLineEdit()
        self.edit.setPlaceholderText(tr("hh:mm"))
        self.edit.setAccessibleName(name)
        self.edit.setMaximumWidth(90)
        hold_height(self.edit)
        self.now_button = QPushButton(tr("Now"))
        self.now_button.setAccessibleName(tr("{name}: now").format(name=name))
        touch_target(self.now_button)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.edit)
        row.addWidget(self.now_button)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.now_button.clicked.connect(
            lambda: self.edit.setText(self._now().strftime("%H:%M")))
        self.edit.textChanged.connect(lambda _t: self.changed.emit())

    def time_of_day(self) -> time | None:
        text = self.edit.text().strip()
        try:
            return time.fromisoformat(text) if text else None
        except ValueError:
            return None

    def is_unreadable(self) -> bool:
        return bool(self.edit.text().strip()) and self.time_of_day() is None

    def moment(self, day: date, zone: ZoneInfo) -> datetime | None:
        chosen = self.time_of_day()
        return None if chosen is None else datetime.combine(day, chosen, tzinfo=zone)

    def set_moment(self, moment: datetime | None, zone: ZoneInfo) -> None:
        self.edit.setText("" if moment is None else moment.astimezone(zone).strftime("%H:%M"))


def minutes_text(applied: datetime | None, removed: datetime | None) -> str:
    if applied is None or removed is None or removed <= applied:
        return ""
    return tr("{minutes} minutes on the skin").format(minutes=numbing_minutes(applied, removed))


def checkbox(text: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(text)
    touch_target(box)
    return box
