"""The Consent forms area: the clinic's consents, newest first, signing one for any
patient, and the form templates (administered here)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import SearchPage
from clinic_desk.ui.consents.clearance_step import ClearanceRecorder
from clinic_desk.ui.consents.consents_panel import ConsentsPanel
from clinic_desk.ui.consents.port import ConsentDesk
from clinic_desk.ui.consents.templates_panel import TemplatesPanel
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import TouchTabWidget
from clinic_desk.ui.widgets import label

PatientSearch = Callable[[str], SearchPage]


class PatientPickerDialog(QDialog):
    """Whom the consent is for: type part of a name, choose from the list."""

    def __init__(self, search: PatientSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self.chosen: tuple[int, str] | None = None
        self.setWindowTitle(tr("Sign a consent: choose the patient"))
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName(tr("Find a patient"))
        self.search_edit.setPlaceholderText(tr("Name, phone, date of birth or patient number"))
        self.search_edit.setMinimumHeight(44)
        self.results = QListWidget()
        self.results.setAccessibleName(tr("Patients found"))
        self.hint = label("", "hint")
        buttons = QDialogButtonBox()
        self.choose_button = buttons.addButton(tr("Continue"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))
        for button in (self.choose_button, cancel):
            button.setMinimumHeight(44)
        column = QVBoxLayout(self)
        column.addWidget(self.search_edit)
        column.addWidget(self.hint)
        column.addWidget(self.results, 1)
        column.addWidget(buttons)
        self.search_edit.textChanged.connect(self.find_patients)
        self.results.itemActivated.connect(lambda _i: self.choose())
        self.results.currentRowChanged.connect(
            lambda row: self.choose_button.setEnabled(row >= 0))
        self.choose_button.clicked.connect(self.choose)
        cancel.clicked.connect(self.reject)
        self.resize(520, 480)
        self.find_patients("")

    def find_patients(self, text: str) -> None:
        self.results.clear()
        try:
            page = self._search(text)
        except ClinicDeskError as exc:
            self.hint.setText(message_for(exc))
            return
        self.hint.setText(page.hint or "")
        for row in page.rows:
            item = QListWidgetItem(f"{row.display_name} · {row.patient_number}")
            item.setData(Qt.ItemDataRole.UserRole, (row.patient_id,
                                                    f"{row.given_name} {row.family_name}"))
            item.setSizeHint(QSize(0, 44))
            self.results.addItem(item)
        self.choose_button.setEnabled(False)

    def choose(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()


class ConsentFormsPage(QWidget):
    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, dialogs: DialogService, *,
                 search: PatientSearch, date_format: DateFormat,
                 record_clearance: ClearanceRecorder | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._search = search
        self.consents = ConsentsPanel(desk, actor, dialogs, load=lambda: desk.recent(actor),
                                      date_format=date_format,
                                      choose_patient=self.choose_patient,
                                      record_clearance=record_clearance)
        self.templates = TemplatesPanel(desk, actor, dialogs, date_format=date_format)
        self.tabs = TouchTabWidget()
        self.tabs.setAccessibleName(tr("Consent forms"))
        self.tabs.addTab(self.consents, icon("file-signature"), tr("Consents"))
        self.tabs.addTab(self.templates, icon("file-text"), tr("Templates"))
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 18, 24, 18)
        column.addWidget(label(tr("Consent forms"), "pageTitle"))
        column.addWidget(self.tabs, 1)

    def choose_patient(self) -> tuple[int, str] | None:
        dialog = PatientPickerDialog(self._search, self)
        self._dialogs.run(dialog)
        return dialog.chosen

    def refresh(self) -> None:
        self.consents.refresh()
        self.templates.refresh()

    def close_windows(self) -> None:
        self.consents.close_windows()
