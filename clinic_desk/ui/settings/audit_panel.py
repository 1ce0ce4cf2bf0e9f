"""The audit trail for administrators: the latest entries, and a check of the whole chain."""

from __future__ import annotations

from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.audit import AuditEntryView, AuditService
from clinic_desk.services.dto import AuditVerification, SignedInStaff
from clinic_desk.ui.background import BackgroundTask, run_in_background
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.settings.audit_words import AuditWords
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import NoticeBanner, label, primary_button

LATEST = 200


class AuditColumn(IntEnum):
    WHEN = 0
    WHO = 1
    WORKSTATION = 2
    ACTION = 3
    RECORD = 4
    PATIENT = 5
    OUTCOME = 6


class AuditTableModel(ReadOnlyTableModel):
    def __init__(self, time_zone: str, parent: QObject | None = None) -> None:
        super().__init__(
            [tr("When"), tr("Who"), tr("Workstation"), tr("Action"), tr("Record"),
             tr("Patient"), tr("Outcome")],
            parent,
        )
        self._zone = ZoneInfo(time_zone)
        self._entries: list[AuditEntryView] = []
        self._words = AuditWords()

    def set_entries(self, entries: list[AuditEntryView]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry_at(self, row: int) -> AuditEntryView:
        return self._entries[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                AuditColumn.WHEN: entry.occurred_at.astimezone(self._zone).strftime(
                    "%d %b %Y, %H:%M:%S"),
                AuditColumn.WHO: entry.staff_name,
                AuditColumn.WORKSTATION: entry.workstation,
                AuditColumn.ACTION: self._words.action(entry),
                AuditColumn.RECORD: self._words.record(entry),
                AuditColumn.PATIENT: entry.patient_number,
                AuditColumn.OUTCOME: self._words.outcome(entry),
            }[AuditColumn(index.column())]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._words.detail(entry)
        return None


class AuditPanel(QWidget):
    def __init__(
        self, audit: AuditService, actor: SignedInStaff, time_zone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._audit = audit
        self._actor = actor
        self.task: BackgroundTask | None = None
        self.banner = NoticeBanner()
        self.model = AuditTableModel(time_zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(tr("Latest audit entries"))
        self.verify_button = primary_button(tr("Check the whole audit log"), "shield-check")
        self.verify_button.setToolTip(tr(
            "Recomputes every entry's hash: shows the first entry that was altered, deleted "
            "or reordered, if any. The check itself is recorded."))
        self.reload_button = QPushButton(icon("refresh-cw"), tr("Reload"))
        buttons = QHBoxLayout()
        buttons.addWidget(label(tr(
            "The latest {count} entries, newest first. Each names the person, the "
            "workstation and the record by number, never a patient's details.").format(
                count=LATEST), "hint"), 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.verify_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 12, 12, 12)
        column.addWidget(self.banner)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        self.verify_button.clicked.connect(self.verify)
        self.reload_button.clicked.connect(self.reload)

    def reload(self) -> None:
        try:
            self.model.set_entries(self._audit.recent(self._actor, limit=LATEST))
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))

    def verify(self) -> None:
        """Runs off the UI thread: a large log takes a while, and the window stays live."""
        self.verify_button.setEnabled(False)
        self.banner.show_message("info", tr("Checking the audit log…"))
        actor = self._actor
        self.task = run_in_background(
            lambda: self._audit.verify(actor),
            on_success=self._verified,
            on_failure=self._failed,
            parent=self,
        )

    def _verified(self, result: AuditVerification) -> None:
        self.verify_button.setEnabled(True)
        self.task = None
        if result.ok:
            self.banner.show_message("success", tr(
                "Intact: all {count} entries check out.").format(count=result.entries_checked))
        else:
            self.banner.show_message("danger", tr(
                "Broken: {summary} Tell the clinic's data protection lead.").format(
                    summary=result.summary()))
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.task = None
        text = message_for(error) if isinstance(error, ClinicDeskError) else str(error)
        self.banner.show_message("danger", text)
