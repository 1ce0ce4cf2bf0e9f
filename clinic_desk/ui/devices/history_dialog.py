"""Every saved version of a device, newest first: who saved it, when, and what it said."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.ui.devices.device_model import kind_text, rf_text, span
from clinic_desk.ui.devices.ports import DeviceRevision, ProtocolVersion
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
        name=p.name, kind=kind_text(p), serial=p.serial_number or "—",
        depth=span(p.depth_mm, "mm"), rf=rf_text(p), service=service,
        state=tr("in use") if revision.is_active else tr("taken out of use"))


def version_text(version: ProtocolVersion, date_format: DateFormat, zone: ZoneInfo) -> str:
    if version.recorded_at is None:
        saved = tr("shipped with Clinic Desk")
    else:
        when = version.recorded_at.astimezone(zone)
        saved = tr("{day} {time} · {who} · from version {base}").format(
            day=format_date(when.date(), date_format), time=when.strftime("%H:%M"),
            who=version.recorded_by, base=version.based_on)
    mark = tr("example values") if version.example_values else tr("reviewed by the clinic")
    return tr("Version {version} · {saved} · {mark}\n{note}").format(
        version=version.version, saved=saved, mark=mark, note=version.note)


class HistoryDialog(QDialog):
    """Saved versions, newest first, as plain lines a screen reader reads whole."""

    def __init__(self, title: str, intro: str, lines: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Saved versions"))
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        enable_finger_scrolling(self.list)
        self.list.addItems(list(lines))
        close = QPushButton(tr("Close"))
        touch_target(close)
        close.clicked.connect(self.accept)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 16)
        root.addWidget(label(title, "pageTitle"))
        root.addWidget(label(intro, "hint"))
        root.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        root.addLayout(row)
        self.resize(760, 520)


class DeviceHistoryDialog(HistoryDialog):
    def __init__(self, revisions: Sequence[DeviceRevision], *, date_format: DateFormat,
                 time_zone: str, parent: QWidget | None = None) -> None:
        zone = ZoneInfo(time_zone)
        super().__init__(
            tr("Device history"), tr("Every change is kept as a version and in the audit "
                                     "log; sessions record the version they used."),
            [revision_text(r, date_format, zone)
             for r in sorted(revisions, key=lambda r: r.version, reverse=True)], parent)


class ProtocolVersionsDialog(HistoryDialog):
    def __init__(self, versions: Sequence[ProtocolVersion], *, date_format: DateFormat,
                 time_zone: str, parent: QWidget | None = None) -> None:
        zone = ZoneInfo(time_zone)
        super().__init__(
            tr("Protocol versions"), tr("Each session records the protocol version it was "
                                        "checked against."),
            [version_text(v, date_format, zone)
             for v in sorted(versions, key=lambda v: v.version, reverse=True)], parent)
