"""What the patient chart takes from the sessions room: the Sessions tab built on the
desk's services, and the open adverse events shown on the chart header until closed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import AdverseEventView
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.record_text import event_text
from clinic_desk.ui.sessions.session_parts import icon_line
from clinic_desk.ui.sessions.sessions_tab import SessionsTab
from clinic_desk.ui.theme import Tone


def sessions_tab_for(services: DeskServices, actor: SignedInStaff, dialogs: DialogService, *,
                     patient_id: int, patient_name: Callable[[], str],
                     date_format: DateFormat, time_zone: str) -> SessionsTab | None:
    """None when the protocol cannot be read (the chart then keeps its placeholder)."""
    try:
        protocol = services.protocols.current(actor)
    except ClinicDeskError:
        return None
    zone = ZoneInfo(time_zone)
    return SessionsTab(sessions=services.sessions, courses=services.courses,
                       events=services.adverse_events, actor=actor, dialogs=dialogs,
                       patient_id=patient_id, patient_name=patient_name, protocol=protocol,
                       date_format=date_format, time_zone=time_zone,
                       now=lambda: datetime.now(zone))


class AdverseEventsHeader(QWidget):
    """One line per open adverse event, icon and words; hidden when none is open."""

    def __init__(self, date_format: DateFormat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adverseHeader")
        self._date_format = date_format
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(2)
        self.texts: list[str] = []
        self.setVisible(False)

    def show_events(self, events: Sequence[AdverseEventView]) -> None:
        while self._column.count():
            item = self._column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.texts = [tr("Open adverse event after the session of {day}: {text}").format(
            day=format_date(event.session_date, self._date_format),
            text=event_text(event, self._date_format))
            for event in events]
        for text in self.texts:
            self._column.addWidget(icon_line("triangle-alert", Tone.WARNING, text,
                                             "adverseText"))
        self.setAccessibleName(" ".join(self.texts))
        self.setVisible(bool(events))
