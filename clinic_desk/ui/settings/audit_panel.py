"""The audit trail for administrators: the latest entries, one patient's access history,
and a check of the whole chain."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_moment
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.services.audit import AuditEntryView, AuditService
from clinic_desk.services.dto import AuditVerification, SignedInStaff
from clinic_desk.services.patient_dto import PatientListRow
from clinic_desk.services.patients import PatientService
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
    def __init__(
        self, time_zone: str, parent: QObject | None = None, *,
        date_format: DateFormat | str = DateFormat.DAY_MONTH_YEAR_SLASH,
    ) -> None:
        super().__init__(
            [tr("When"), tr("Who"), tr("Workstation"), tr("Action"), tr("Record"),
             tr("Patient"), tr("Outcome")],
            parent,
        )
        self._zone = ZoneInfo(time_zone)
        self._date_format = date_format
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
                AuditColumn.WHEN: format_moment(entry.occurred_at, self._zone,
                                                self._date_format, seconds=True),
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


PatientFinder = Callable[[str], list[PatientListRow]]


def patient_finder(patients: PatientService, actor: SignedInStaff) -> PatientFinder:
    """Finds patients by number or name, archived ones too: a former patient may ask."""
    def find(text: str) -> list[PatientListRow]:
        current = patients.search(actor, text, limit=20).rows
        return [*current, *patients.search(actor, text, limit=20, archived=True).rows]
    return find


class AuditPanel(QWidget):
    def __init__(
        self, audit: AuditService, actor: SignedInStaff, time_zone: str,
        find_patients: PatientFinder, parent: QWidget | None = None, *,
        date_format: DateFormat | str = DateFormat.DAY_MONTH_YEAR_SLASH,
    ) -> None:
        super().__init__(parent)
        self._audit = audit
        self._actor = actor
        self._find_patients = find_patients
        self.patient_id: int | None = None
        self.task: BackgroundTask | None = None
        self.banner = NoticeBanner()
        self.model = AuditTableModel(time_zone, self, date_format=date_format)
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
        self.patient_edit = QLineEdit()
        self.patient_edit.setPlaceholderText(tr("Patient number (P-000123) or name"))
        self.patient_edit.setAccessibleName(tr("Patient whose access history to show"))
        self.patient_edit.setClearButtonEnabled(True)
        self.patient_button = QPushButton(icon("search"), tr("Who viewed or changed"))
        self.patient_button.setToolTip(tr(
            "Everyone who opened, changed or was refused this patient's record, newest "
            "first: the accounting of access to hand to a patient who asks. Listing it is "
            "recorded."))
        self.matches = QComboBox()
        self.matches.setAccessibleName(tr("Patients found"))
        self.matches.setVisible(False)
        self.all_button = QPushButton(tr("All entries"))
        self.all_button.setToolTip(tr("Back to the latest entries of the whole log"))
        self.all_button.setVisible(False)
        self.scope = label("", "hint")
        filter_row = QHBoxLayout()
        filter_row.addWidget(label(tr("Patient:"), wrap=False))
        filter_row.addWidget(self.patient_edit, 1)
        filter_row.addWidget(self.matches, 1)
        filter_row.addWidget(self.patient_button)
        filter_row.addWidget(self.all_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.scope, 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.verify_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 12, 12, 12)
        column.addWidget(self.banner)
        column.addLayout(filter_row)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        self.verify_button.clicked.connect(self.verify)
        self.reload_button.clicked.connect(self.reload)
        self.patient_button.clicked.connect(self.find_patient)
        self.patient_edit.returnPressed.connect(self.find_patient)
        self.matches.activated.connect(
            lambda index: self.show_patient(int(self.matches.itemData(index))))
        self.all_button.clicked.connect(self.show_latest)
        self._show_scope()

    def _show_scope(self) -> None:
        if self.patient_id is None:
            self.scope.setText(tr(
                "The latest {count} entries, newest first. Each names the person, the "
                "workstation and the record by number, never a patient's details.").format(
                    count=LATEST))
        else:
            self.scope.setText(tr(
                "Every entry about patient {number}, newest first: {count} entries.").format(
                    number=format_patient_number(self.patient_id), count=self.model.rowCount()))
        self.all_button.setVisible(self.patient_id is not None)

    def reload(self) -> None:
        try:
            if self.patient_id is None:
                self.model.set_entries(self._audit.recent(self._actor, limit=LATEST))
            else:
                self.model.set_entries(self._audit.for_patient(self._actor, self.patient_id))
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
        self._show_scope()

    def find_patient(self) -> None:
        """One match is shown at once; several are offered to choose from."""
        text = self.patient_edit.text().strip()
        self.matches.clear()
        self.matches.setVisible(False)
        if not text:
            self.show_latest()
            return
        try:
            found = self._find_patients(text)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        if not found:
            self.banner.show_message("warning", tr("No patient matches “{text}”.").format(
                text=text))
            return
        if len(found) == 1:
            self.show_patient(found[0].patient_id)
            return
        self.matches.addItem(tr("{count} patients match: choose one").format(
            count=len(found)), None)
        for row in found:
            self.matches.addItem(f"{row.patient_number} · {row.display_name}", row.patient_id)
        self.matches.setVisible(True)
        self.matches.setFocus()

    def show_patient(self, patient_id: int | None) -> None:
        if patient_id is None:
            return
        self.banner.clear()
        self.patient_id = patient_id
        self.reload()

    def show_latest(self) -> None:
        self.banner.clear()
        self.patient_id = None
        self.matches.setVisible(False)
        self.reload()

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
