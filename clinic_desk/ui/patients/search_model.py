"""Search results as a table (after Qt's address-book table model), fetched page by page.

The first page comes with `set_query`; the view asks for more (`canFetchMore` /
`fetchMore`) only as the person scrolls, so 100,000 patients never load at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.patient_dto import PatientListRow, SearchPage
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import Tone, icon

if TYPE_CHECKING:
    # Only a type: the UI hands the service's opaque cursor back, never builds one.
    from clinic_desk.storage.patient_repository import Cursor

PatientSearch = Callable[[str, "Cursor | None"], SearchPage]
# The patients among these who must sign their consent again, with why (one call a page).
ConsentFlags = Callable[[list[int]], dict[int, tuple[str, ...]]]
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole


class PatientColumn(IntEnum):
    NUMBER = 0
    NAME = 1
    DATE_OF_BIRTH = 2
    AGE = 3
    PHONE = 4
    CONSENT = 5  # only with consent flags


class PatientSearchModel(ReadOnlyTableModel):
    def __init__(
        self, search: PatientSearch, date_format: DateFormat, parent: QObject | None = None,
        *, consent_flags: ConsentFlags | None = None,
    ) -> None:
        # In PatientColumn order.
        headers = [tr("Number"), tr("Name"), tr("Date of birth"), tr("Age"), tr("Phone")]
        super().__init__(headers + ([tr("Consent")] if consent_flags else []), parent)
        self._consent_flags = consent_flags
        self._flags: dict[int, tuple[str, ...]] = {}
        self._search = search
        self._date_format = date_format
        self._text = ""
        self._rows: list[PatientListRow] = []
        self._seen: set[int] = set()
        self._next: Cursor | None = None
        self._hint: str | None = None

    # --- the search -------------------------------------------------------------------

    def query(self) -> str:
        return self._text

    def set_date_format(self, date_format: DateFormat) -> None:
        self._date_format = date_format
        if self._rows:
            self.dataChanged.emit(
                self.index(0, PatientColumn.DATE_OF_BIRTH),
                self.index(len(self._rows) - 1, PatientColumn.DATE_OF_BIRTH),
            )

    def set_query(self, text: str) -> None:
        """Runs the search for the first page and shows it, replacing what was there."""
        page = self._search(text, None)
        self.beginResetModel()
        self._text = text
        self._rows = []
        self._seen = set()
        self._flags = {}
        self._add(page)
        self._hint = page.hint
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._text)

    def _add(self, page: SearchPage) -> list[PatientListRow]:
        fresh = [row for row in page.rows if row.patient_id not in self._seen]
        self._rows.extend(fresh)
        self._seen.update(row.patient_id for row in fresh)
        if self._consent_flags is not None and fresh:
            # If it fails the list still shows; the chart says it again.
            with contextlib.suppress(ClinicDeskError):
                self._flags.update(self._consent_flags([row.patient_id for row in fresh]))
        self._next = page.next_cursor
        return fresh

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._next is not None

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._next is None:
            return
        page = self._search(self._text, self._next)
        # A patient found by two of their keys may come back on a later page: skip them.
        fresh = [row for row in page.rows if row.patient_id not in self._seen]
        while not fresh and page.next_cursor is not None:
            page = self._search(self._text, page.next_cursor)
            fresh = [row for row in page.rows if row.patient_id not in self._seen]
        if not fresh:
            self._next = None
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._add(page)
        self.endInsertRows()

    def hint(self) -> str | None:
        return self._hint

    def row_at(self, row: int) -> PatientListRow:
        return self._rows[row]

    def row_of(self, patient_id: int) -> int:
        for row, patient in enumerate(self._rows):
            if patient.patient_id == patient_id:
                return row
        return -1

    # --- the table ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        patient = self._rows[index.row()]
        column = PatientColumn(index.column())
        if column == PatientColumn.CONSENT:
            return self._consent_data(patient.patient_id, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                PatientColumn.NUMBER: patient.patient_number,
                PatientColumn.NAME: patient.display_name,
                PatientColumn.DATE_OF_BIRTH: format_date(patient.date_of_birth,
                                                         self._date_format),
                PatientColumn.AGE: str(patient.age),
                PatientColumn.PHONE: patient.phone,
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PatientColumn.AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PATIENT_ID_ROLE:
            return patient.patient_id
        return None

    def needs_reconsent(self, patient_id: int) -> bool:
        return patient_id in self._flags

    def _consent_data(self, patient_id: int, role: int) -> object:
        if patient_id not in self._flags:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr("Re-consent needed")
        if role == Qt.ItemDataRole.ToolTipRole:
            return "; ".join(self._flags[patient_id]) or tr("Re-consent needed")
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("refresh-cw", Tone.WARNING)
        return None
