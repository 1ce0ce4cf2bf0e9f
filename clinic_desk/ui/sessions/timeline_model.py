"""A course's sessions at a glance: one row per session, one column per treated area,
each cell the needle depth (and its change since the last time) and the RF energy."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from clinic_desk.domain.course import Progression, TimelineEntry
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.devices import with_unit
from clinic_desk.domain.quantities import format_quantity
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex

FIXED_COLUMNS = 2  # session, date


def depth_change(change: Decimal | None) -> str:
    if change is None or change == 0:
        return ""
    sign = "+" if change > 0 else "−"
    return f" ({sign}{format_quantity(abs(change))})"


def cell_text(entry: TimelineEntry, area: str) -> str:
    depth = entry.depth_mm.get(area)
    if depth is None:
        return "—"
    text = tr("{depth} mm{change}").format(depth=format_quantity(depth),
                                           change=depth_change(entry.depth_change_mm.get(area)))
    energy = entry.rf_energy.get(area)
    if energy is not None:
        text += " · " + tr("RF {energy}").format(
            energy=with_unit(energy, entry.energy_unit or "level"))
    return text


class TimelineModel(QAbstractTableModel):
    def __init__(self, date_format: DateFormat, area_label: Callable[[str], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._date_format = date_format
        self._area_label = area_label
        self._progression = Progression((), ())

    def set_progression(self, progression: Progression) -> None:
        self.beginResetModel()
        self._progression = progression
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._progression.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self._progression.areas)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if 0 <= section < self.rowCount() else None
        if section == 0:
            return tr("Session")
        if section == 1:
            return tr("Date")
        areas = self._progression.areas
        index = section - FIXED_COLUMNS
        return self._area_label(areas[index]) if 0 <= index < len(areas) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flag = Qt.ItemFlag
        return flag.ItemIsEnabled | flag.ItemIsSelectable | flag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if not 0 <= index.column() < self.columnCount():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self._progression.entries[index.row()]
        if index.column() == 0:
            return tr(entry.label)
        if index.column() == 1:
            return format_date(entry.on, self._date_format)
        return cell_text(entry, self._progression.areas[index.column() - FIXED_COLUMNS])
