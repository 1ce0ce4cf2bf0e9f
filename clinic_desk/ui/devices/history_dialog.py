"""Every saved version of a device, newest first: who saved it, when, and what it said."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.ui.devices.device_model import kind_text, rf_text, span
from clinic_desk.ui.devices.ports import DeviceRevision
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.touch import enable_finger_scrolling, touch_target
from clinic_desk.ui.widgets import label


def revision_text(revision: DeviceRevision, date_format: DateFormat, zone: ZoneInfo) -> str:
    p = revision.profile
    when = revision.recorded_at.astimezone(zone)
    service = format_date(p.service_due_on, date_format) if p.service_due_on else "—"
    return tr("Version {version} · {day} {time} · {who}\n{name} ({kind}), serial {serial}; "
              "{depth}; {rf}; service due {service}; {state}").format(
        version=revision.version, day=format_date(when.date(), date_format),
        time=when.strftime("%H:%M"), who=revision.recorded_by,
        name=f"{p.make} {p.model}", kind=kind_text(p), serial=p.serial_number or "—",
        depth=span(p.depth_mm, "mm"), rf=rf_text(p), service=service,
        state=tr("in use") if revision.is_active else tr("taken out of use"))


class DeviceHistoryDialog(QDialog):
    def __init__(self, revisions: Sequence[DeviceRevision], *, date_format: DateFormat,
                 time_zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Device history"))
        zone = ZoneInfo(time_zone)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Saved versions of the device"))
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        enable_finger_scrolling(self.list)
        for revision in sorted(revisions, key=lambda r: r.version, reverse=True):
            self.list.addItem(revision_text(revision, date_format, zone))
        close = QPushButton(tr("Close"))
        touch_target(close)
        close.clicked.connect(self.accept)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 16)
        root.addWidget(label(tr("Device history"), "pageTitle"))
        root.addWidget(label(tr("Every change is kept as a version and in the audit log; "
                                "sessions record the version they used."), "hint"))
        root.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        root.addLayout(row)
        self.resize(760, 520)
