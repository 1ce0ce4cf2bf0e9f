"""Cartridge and needle lots as a read-only table: expired and withdrawn ones marked."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.ui.devices.ports import RegisteredLot
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import Tone, icon

LOT_KIND_LABELS = {"cartridge": "Cartridge", "needle": "Needles", "roller": "Roller"}


class LotColumn(IntEnum):
    PRODUCT = 0
    LOT_NUMBER = 1
    KIND = 2
    EXPIRY = 3
    STATUS = 4


def lot_status(lot: RegisteredLot) -> str:
    if not lot.is_active:
        return tr("Withdrawn: cannot be chosen")
    if lot.is_expired:
        return tr("Expired: cannot be chosen")
    return tr("In date")


def lot_icon(lot: RegisteredLot) -> QIcon:
    if not lot.is_active:
        return icon("archive", Tone.MUTED)
    if lot.is_expired:
        return icon("octagon-x", Tone.DANGER)
    return icon("circle-check", Tone.SUCCESS)


class LotTableModel(ReadOnlyTableModel):
    def __init__(self, date_format: DateFormat, parent: QObject | None = None) -> None:
        super().__init__([tr("Product"), tr("Lot number"), tr("Kind"), tr("Use by"),
                          tr("Status")], parent)
        self._lots: list[RegisteredLot] = []
        self._date_format = date_format

    def set_lots(self, lots: Sequence[RegisteredLot]) -> None:
        self.beginResetModel()
        self._lots = list(lots)
        self.endResetModel()

    def lot_at(self, row: int) -> RegisteredLot:
        return self._lots[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lots)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._lots):
            return None
        lot = self._lots[index.row()]
        column = LotColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                LotColumn.PRODUCT: lot.product,
                LotColumn.LOT_NUMBER: lot.lot_number,
                LotColumn.KIND: tr(LOT_KIND_LABELS.get(lot.kind, lot.kind)),
                LotColumn.EXPIRY: format_date(lot.expiry_date, self._date_format),
                LotColumn.STATUS: lot_status(lot),
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == LotColumn.STATUS:
            return lot_icon(lot)
        if role == Qt.ItemDataRole.UserRole:
            return lot.lot_id
        return None
