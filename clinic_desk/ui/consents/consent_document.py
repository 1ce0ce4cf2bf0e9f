"""A signed consent as its PDF, in the one document viewer, in a window of its own.

The PDF is made and signed by the clinic on a worker thread while the viewer shows a
busy bar; printing and saving are recorded through the consent service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.background import BackgroundTask, run_in_background
from clinic_desk.ui.consents.consent_model import form_words
from clinic_desk.ui.consents.port import ConsentDesk, ConsentRow
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.documents.printing import PrintJob
from clinic_desk.ui.documents.viewer import DocumentViewer
from clinic_desk.ui.documents.viewer_parts import application
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.window_size import open_size

DOCUMENT_SIZE = QSize(900, 860)


def pdf_file_name(row: ConsentRow) -> str:
    return f"consent-{row.consent_id}-{row.template_key}-v{row.template_version}.pdf"


class ConsentDocumentWindow(QWidget):
    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, dialogs: DialogService,
                 row: ConsentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("consentDocument")
        self._desk = desk
        self._actor = actor
        self._dialogs = dialogs
        self.row = row
        self.task: BackgroundTask | None = None
        self._closed = False
        self.title = tr("Consent no. {number}: {form} — {patient}").format(
            number=row.consent_id, form=form_words(row), patient=row.patient_name)
        self.setWindowTitle(self.title)
        self.viewer = DocumentViewer(dialogs)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.viewer)
        self.viewer.document_printed.connect(self._printed)
        self.viewer.document_saved.connect(self._saved)
        self.resize(open_size(self, DOCUMENT_SIZE))
        self.load()

    def load(self) -> None:
        """Makes the PDF on a worker thread; the viewer is busy meanwhile."""
        self.viewer.show_busy(tr("Preparing the signed PDF…"), title=self.title)
        desk, actor, consent_id = self._desk, self._actor, self.row.consent_id
        # The task belongs to the application, so that closing this window while the PDF
        # is made cannot delete it under the worker; its answer is then dropped.
        self.task = run_in_background(lambda: desk.pdf(actor, consent_id),
                                      on_success=self._made, on_failure=self._not_made,
                                      parent=application())

    def is_busy(self) -> bool:
        return self.viewer.state() == DocumentViewer.BUSY

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        super().closeEvent(event)

    def _made(self, pdf: bytes) -> None:
        self.task = None
        if self._closed:
            return
        self.viewer.show_document(pdf, self.title, file_name=pdf_file_name(self.row))

    def _not_made(self, error: BaseException) -> None:
        self.task = None
        if self._closed:
            return
        words = message_for(error) if isinstance(error, ClinicDeskError) else tr(
            "The PDF could not be made ({problem}).").format(problem=error)
        self.viewer.show_error(words, title=self.title, retry=self.load)

    def _printed(self, job: PrintJob) -> None:
        pdf = self.viewer.pdf_bytes()
        self._record(lambda: self._desk.record_printed(
            self._actor, self.row.consent_id, printer=job.printer_name, copies=job.copies,
            pdf=pdf))

    def _saved(self, path: str) -> None:
        pdf = self.viewer.pdf_bytes()
        self._record(lambda: self._desk.record_saved(
            self._actor, self.row.consent_id, file_name=Path(path).name, pdf=pdf))

    def _record(self, call: Callable[[], None]) -> None:
        try:
            call()
        except ClinicDeskError as exc:
            self._dialogs.error(self, tr("Not recorded"), message_for(exc))
