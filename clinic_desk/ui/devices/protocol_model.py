"""The treatment protocol as a table: one row per area, one column per indication, each
cell the default and maximum needle depth ("not offered" where the pair is not)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.quantities import format_quantity
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex


def limit_text(protocol: Protocol, area: str, indication: str) -> str:
    limit = protocol.limit(area, indication)
    if limit is None:
        return tr("not offered")
    return tr("{default} mm (max {maximum})").format(
        default=format_quantity(limit.default_mm), maximum=format_quantity(limit.maximum_mm))


class ProtocolTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._protocol: Protocol | None = None

    def set_protocol(self, protocol: Protocol) -> None:
        self.beginResetModel()
        self._protocol = protocol
        self.endResetModel()

    @property
    def protocol(self) -> Protocol | None:
        return self._protocol

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._protocol is None else len(self._protocol.areas)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._protocol is None:
            return 0
        return len(self._protocol.indications)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        protocol = self._protocol
        if role != Qt.ItemDataRole.DisplayRole or protocol is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(protocol.indications):
                return tr(protocol.indications[section].label)
            return None
        if 0 <= section < len(protocol.areas):
            return tr(protocol.areas[section].label)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flag = Qt.ItemFlag
        return flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren

    def pair_at(self, index: AnyIndex) -> tuple[str, str] | None:
        protocol = self._protocol
        if protocol is None or not index.isValid():
            return None
        return protocol.areas[index.row()].key, protocol.indications[index.column()].key

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        pair = self.pair_at(index)
        if pair is None or self._protocol is None:
            return None
        if not (0 <= index.row() < self.rowCount() and 0 <= index.column() < self.columnCount()):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return limit_text(self._protocol, *pair)
        if role == Qt.ItemDataRole.ForegroundRole:
            return None
        return None
