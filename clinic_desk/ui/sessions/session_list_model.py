"""A patient's signed-off sessions as a read-only table, newest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.services.treatment_dto import SessionView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.record_text import areas_summary
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import Tone, icon


class SessionColumn(IntEnum):
    DATE = 0
    COURSE = 1
    SETTINGS = 2
    DEVICE = 3
    LOT = 4
    NOTES = 5


def notes_text(view: SessionView) -> str:
    parts = []
    if view.adverse_events:
        still_open = sum(1 for e in view.adverse_events if e.is_open)
        parts.append(tr("{count} adverse event(s), {open} open").format(
            count=len(view.adverse_events), open=still_open))
    if view.amendments:
        parts.append(tr("{count} amendment(s)").format(count=len(view.amendments)))
    return "; ".join(parts) or tr("Signed off")


def notes_icon(view: SessionView) -> QIcon:
    if any(e.is_open for e in view.adverse_events):
        return icon("triangle-alert", Tone.WARNING)
    if view.amendments:
        return icon("pencil", Tone.NORMAL)
    return icon("lock", Tone.MUTED)


class SessionListModel(ReadOnlyTableModel):
    def __init__(self, date_format: DateFormat, area_label: Callable[[str], str],
                 parent: QObject | None = None) -> None:
        super().__init__([tr("Date"), tr("Session"), tr("Areas and settings"), tr("Device"),
                          tr("Lot"), tr("Record")], parent)
        self._date_format = date_format
        self._area_label = area_label
        self._sessions: list[SessionView] = []

    def set_sessions(self, sessions: Sequence[SessionView]) -> None:
        self.beginResetModel()
        self._sessions = sorted(sessions, key=lambda s: (s.session_date, s.session_id),
                                reverse=True)
        self.endResetModel()

    def session_at(self, row: int) -> SessionView:
        return self._sessions[row]

    def row_of(self, session_id: int) -> int:
        return next((r for r, s in enumerate(self._sessions) if s.session_id == session_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sessions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        view = self._sessions[index.row()]
        column = SessionColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                SessionColumn.DATE: format_date(view.session_date, self._date_format),
                SessionColumn.COURSE: view.course_label or "—",
                SessionColumn.SETTINGS: areas_summary(view, self._area_label),
                SessionColumn.DEVICE: view.device_label,
                SessionColumn.LOT: view.lot_number or "—",
                SessionColumn.NOTES: notes_text(view),
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == SessionColumn.NOTES:
            return notes_icon(view)
        if role == Qt.ItemDataRole.UserRole:
            return view.session_id
        return None
