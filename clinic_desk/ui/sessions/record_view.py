"""One signed-off session as recorded, with its amendments and adverse events beside it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from clinic_desk.domain.dates import DateFormat
from clinic_desk.services.treatment_dto import SessionView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.record_text import (
    AreaLabel,
    amendment_text,
    event_text,
    record_lines,
)
from clinic_desk.ui.sessions.session_parts import icon_line
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import label


def clear(layout: QVBoxLayout | QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class RecordView(QWidget):
    def __init__(self, date_format: DateFormat, time_zone: str, area_label: AreaLabel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date_format = date_format
        self._zone = ZoneInfo(time_zone)
        self._area_label = area_label
        self.texts: list[str] = []
        self.amendment_texts: list[str] = []
        self.original = QFrame()
        self.original.setObjectName("recordCard")
        self.lines = QGridLayout(self.original)
        self.lines.setHorizontalSpacing(14)
        self.lines.setVerticalSpacing(6)
        self.beside = QFrame()
        self.beside.setObjectName("recordCard")
        self.beside_lines = QVBoxLayout(self.beside)
        self.beside_lines.setSpacing(8)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.original, 3)
        row.addWidget(self.beside, 2)
        self.show_session(None)

    def show_session(self, view: SessionView | None, *, any_sessions: bool = True) -> None:
        clear(self.lines)
        clear(self.beside_lines)
        self.texts, self.amendment_texts = [], []
        if view is None:
            self.lines.addWidget(label(
                tr("Choose a session to see its record.") if any_sessions else
                tr("No session has been recorded yet. Record a session signs it off and "
                   "locks it; it then shows here with its amendments and adverse events."),
                "hint"), 0, 0)
            self.beside.setVisible(False)
            return
        self.lines.addWidget(label(tr("As signed off"), "sectionTitle"), 0, 0, 1, 2)
        for number, (caption, text) in enumerate(
                record_lines(view, self._area_label, self._date_format, self._zone), start=1):
            caption_label = label(caption, "hint", wrap=False)
            value = label(text)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.lines.addWidget(caption_label, number, 0, Qt.AlignmentFlag.AlignTop)
            self.lines.addWidget(value, number, 1)
            self.texts.append(f"{caption}: {text}")
        self.lines.setColumnStretch(1, 1)
        self.lines.setRowStretch(self.lines.rowCount(), 1)
        self.beside.setVisible(True)
        self.beside_lines.addWidget(label(tr("Amendments"), "sectionTitle"))
        if not view.amendments:
            self.beside_lines.addWidget(label(tr("None: the record stands as signed off."),
                                              "hint"))
        for amendment in view.amendments:
            text = amendment_text(amendment, self._zone, self._date_format)
            self.amendment_texts.append(text)
            self.beside_lines.addWidget(icon_line("pencil", Tone.NORMAL, text))
        self.beside_lines.addWidget(label(tr("Adverse events"), "sectionTitle"))
        if not view.adverse_events:
            self.beside_lines.addWidget(label(tr("None reported."), "hint"))
        for event in view.adverse_events:
            text = event_text(event, self._date_format)
            self.texts.append(text)
            tone = Tone.WARNING if event.is_open else Tone.MUTED
            self.beside_lines.addWidget(icon_line("triangle-alert", tone, text))
        self.beside_lines.addStretch(1)
