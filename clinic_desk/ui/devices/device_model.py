"""The device registry as a read-only table: one row per device, taken out of use too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.devices import KIND_LABELS, LEVEL, DeviceProfile, SettingRange, with_unit
from clinic_desk.domain.quantities import format_quantity
from clinic_desk.ui.devices.ports import RegisteredDevice
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import Tone, icon


class DeviceColumn(IntEnum):
    DEVICE = 0
    KIND = 1
    SERIAL = 2
    DEPTH = 3
    RF = 4
    SERVICE = 5
    STATUS = 6


def kind_text(profile: DeviceProfile) -> str:
    return tr(KIND_LABELS[profile.kind])


def span(values: SettingRange, unit: str) -> str:
    """"0.25–2.5 mm, step 0.25"; "level 1–10" (the editor shows the long form)."""
    low, high = format_quantity(values.minimum), format_quantity(values.maximum)
    if values.is_fixed:
        return with_unit(values.minimum, unit)
    text = tr("level {low}–{high}").format(low=low, high=high) if unit == LEVEL else \
        f"{low}–{high} {unit}"
    if values.step is not None:
        text += tr(", step {step}").format(step=format_quantity(values.step))
    return text


def rf_text(profile: DeviceProfile) -> str:
    rf = profile.rf
    if rf is None:
        return tr("No RF")
    return tr("RF {energy}; {pulse}").format(
        energy=span(replace(rf.energy, step=None), str(rf.energy_unit)),
        pulse=span(replace(rf.pulse_duration_ms, step=None), "ms"))


def service_text(profile: DeviceProfile, today: date, date_format: DateFormat) -> str:
    due = profile.service_due_on
    if due is None:
        return tr("No date on file")
    shown = format_date(due, date_format)
    if profile.is_service_overdue(today):
        return tr("Overdue since {date}").format(date=shown)
    return tr("Due {date}").format(date=shown)


def status_text(profile: DeviceProfile) -> str:
    return tr("In use") if profile.active else tr("Taken out of use")


class DeviceTableModel(ReadOnlyTableModel):
    def __init__(self, today: date, date_format: DateFormat,
                 parent: QObject | None = None) -> None:
        super().__init__([tr("Device"), tr("Kind"), tr("Serial number"), tr("Needle depth"),
                          tr("Radiofrequency"), tr("Service due"), tr("Status")],
                         parent)
        self._devices: list[RegisteredDevice] = []
        self._today = today
        self._date_format = date_format

    def set_devices(self, devices: Sequence[RegisteredDevice]) -> None:
        self.beginResetModel()
        # In use first, then by name: the list people pick from reads top down.
        self._devices = sorted(devices, key=lambda d: (not d.profile.active,
                                                       d.profile.label.casefold()))
        self.endResetModel()

    def device_at(self, row: int) -> RegisteredDevice:
        return self._devices[row]

    def row_of(self, device_id: int) -> int:
        return next((row for row, d in enumerate(self._devices) if d.device_id == device_id),
                    -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._devices)

    def _text(self, profile: DeviceProfile, column: DeviceColumn) -> str:
        match column:
            case DeviceColumn.DEVICE:
                return profile.name
            case DeviceColumn.KIND:
                return kind_text(profile)
            case DeviceColumn.SERIAL:
                return profile.serial_number or "—"
            case DeviceColumn.DEPTH:
                return span(profile.depth_mm, "mm")
            case DeviceColumn.RF:
                return rf_text(profile)
            case DeviceColumn.SERVICE:
                return service_text(profile, self._today, self._date_format)
        return status_text(profile)

    def _icon(self, profile: DeviceProfile, column: DeviceColumn) -> QIcon | None:
        if column == DeviceColumn.SERVICE and profile.is_service_overdue(self._today):
            return icon("circle-alert", Tone.DANGER)
        if column == DeviceColumn.STATUS:
            return (icon("circle-check", Tone.SUCCESS) if profile.active
                    else icon("archive", Tone.MUTED))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._devices):
            return None
        device = self._devices[index.row()]
        column = DeviceColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(device.profile, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(device.profile, column)
        if role == Qt.ItemDataRole.UserRole:
            return device.device_id
        return None
