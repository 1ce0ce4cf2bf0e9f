"""Consents as a table: the form, its version, where it stands (icon and word), when.

One model for the chart's Consents tab (one patient) and the Consent forms area (every
patient, with a Patient column).
"""

from __future__ import annotations

from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.ui.consents.port import ConsentRow, ConsentStanding
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.status import StatusLook
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import Tone, icon

CONSENT_ID_ROLE = Qt.ItemDataRole.UserRole


def standing_look(standing: ConsentStanding) -> StatusLook:
    """Never colour alone: each standing has its own icon and word."""
    return {
        ConsentStanding.SIGNED: StatusLook(tr("Signed"), "badge-check", Tone.SUCCESS),
        ConsentStanding.DECLINED: StatusLook(tr("Declined"), "octagon-x", Tone.DANGER),
        ConsentStanding.WITHDRAWN: StatusLook(tr("Withdrawn"), "undo-2", Tone.DANGER),
        ConsentStanding.WITHDRAWAL: StatusLook(tr("Withdrawal"), "undo-2", Tone.MUTED),
        ConsentStanding.SUPERSEDED: StatusLook(tr("Superseded"), "history", Tone.MUTED),
        ConsentStanding.RECONSENT_NEEDED: StatusLook(tr("Re-consent needed"), "refresh-cw",
                                                     Tone.WARNING),
    }[standing]


def signed_words(row: ConsentRow, date_format: DateFormat, *, with_zone: bool = True) -> str:
    """The clinic's local date and time, with its zone ("30/11/2026 10:41 Europe/Paris")."""
    if row.signed_at_utc is None:
        return "—"
    try:
        local = row.signed_at_utc.astimezone(ZoneInfo(row.time_zone))
        zone = row.time_zone
    except (KeyError, ValueError):
        local, zone = row.signed_at_utc, "UTC"
    shown = f"{format_date(local.date(), date_format)} {local:%H:%M}"
    return f"{shown} {zone}" if with_zone else shown


def form_words(row: ConsentRow) -> str:
    return tr("{title} (version {version})").format(title=row.title,
                                                     version=row.template_version)


class ConsentColumn(IntEnum):
    """What a column shows; where it is depends on the list (`column_of`)."""

    NUMBER = 0
    PATIENT = 1
    FORM = 2
    STATUS = 3
    SIGNED = 4
    NOTE = 5


def column_title(column: ConsentColumn) -> str:
    return {ConsentColumn.NUMBER: tr("No."), ConsentColumn.PATIENT: tr("Patient"),
            ConsentColumn.FORM: tr("Form"), ConsentColumn.STATUS: tr("Status"),
            ConsentColumn.SIGNED: tr("Signed"), ConsentColumn.NOTE: tr("Why")}[column]


def note_words(row: ConsentRow) -> str:
    """Why it stands so (withdrawn, superseded, re-consent) and the reason given."""
    return " — ".join(p for p in (row.why_standing, row.reason) if p)


class ConsentListModel(ReadOnlyTableModel):
    def __init__(self, date_format: DateFormat, *, with_patient: bool = False,
                 parent: QObject | None = None) -> None:
        self.columns = [c for c in ConsentColumn
                        if with_patient or c is not ConsentColumn.PATIENT]
        super().__init__([column_title(c) for c in self.columns], parent)
        self._date_format = date_format
        self._rows: list[ConsentRow] = []

    def column_of(self, column: ConsentColumn) -> int:
        return self.columns.index(column) if column in self.columns else -1

    def set_rows(self, rows: list[ConsentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_date_format(self, date_format: DateFormat) -> None:
        self.beginResetModel()
        self._date_format = date_format
        self.endResetModel()

    def rows(self) -> list[ConsentRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ConsentRow:
        return self._rows[row]

    def row_of(self, consent_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.consent_id == consent_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        look = standing_look(row.standing)
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                ConsentColumn.FORM: form_words(row),
                ConsentColumn.STATUS: look.word,
                ConsentColumn.SIGNED: signed_words(row, self._date_format, with_zone=False),
                ConsentColumn.NUMBER: str(row.consent_id),
                ConsentColumn.PATIENT: row.patient_name,
                ConsentColumn.NOTE: note_words(row),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ConsentColumn.STATUS:
                return " — ".join(p for p in (look.word, note_words(row)) if p)
            if column == ConsentColumn.SIGNED:
                return signed_words(row, self._date_format)
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DecorationRole and column == ConsentColumn.STATUS:
            return icon(look.icon_name, look.tone)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == ConsentColumn.STATUS:
            return look.word
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ConsentColumn.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CONSENT_ID_ROLE:
            return row.consent_id
        return None
