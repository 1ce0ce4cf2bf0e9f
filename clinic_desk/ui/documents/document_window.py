"""A document for a patient in the one viewer, in a window of its own: the PDF is made
(or fetched from the documents history) on a worker thread while the viewer shows a busy
bar; each print or save is recorded in the documents history with the exact bytes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.documents import (
    DocumentService,
    GeneratedDocument,
    HandedOutView,
    HandOut,
)
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.background import BackgroundTask, run_in_background
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.documents.printing import PrintJob
from clinic_desk.ui.documents.viewer import DocumentViewer
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.window_size import open_size

DOCUMENT_SIZE = QSize(900, 860)


class PatientDocumentWindow(QWidget):
    """`make` runs on a worker thread and returns the document to show."""

    handed_out = Signal(object)  # HandedOutView

    def __init__(self, documents: DocumentService, actor: SignedInStaff,
                 dialogs: DialogService, *, title: str, busy_text: str,
                 make: Callable[[], GeneratedDocument], print_when_made: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("patientDocument")
        self._documents = documents
        self._actor = actor
        self._dialogs = dialogs
        self._make = make
        self._busy_text = busy_text
        # Straight to the print dialog once the PDF is made ("print aftercare").
        self._print_when_made = print_when_made
        self.title = title
        self.document: GeneratedDocument | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle(title)
        self.viewer = DocumentViewer(dialogs)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.viewer)
        self.viewer.document_printed.connect(self._printed)
        self.viewer.document_saved.connect(self._saved)
        self.resize(open_size(self, DOCUMENT_SIZE))
        self.load()

    def load(self) -> None:
        self.viewer.show_busy(self._busy_text, title=self.title)
        self.task = run_in_background(self._make, on_success=self._made,
                                      on_failure=self._not_made, parent=self)

    def is_busy(self) -> bool:
        return self.viewer.state() == DocumentViewer.BUSY

    def _made(self, document: GeneratedDocument) -> None:
        self.task = None
        self.document = document
        self.title = document.title
        self.setWindowTitle(document.title)
        shown = self.viewer.show_document(document.pdf, document.title,
                                          file_name=document.file_name)
        if shown and self._print_when_made:
            self._print_when_made = False
            self.viewer.print_document()

    def _not_made(self, error: BaseException) -> None:
        self.task = None
        words = message_for(error) if isinstance(error, ClinicDeskError) else tr(
            "The PDF could not be made ({problem}).").format(problem=error)
        self.viewer.show_error(words, title=self.title, retry=self.load)

    def _printed(self, _job: PrintJob) -> None:
        self._record(HandOut.PRINTED)

    def _saved(self, _path: str) -> None:
        self._record(HandOut.SAVED)

    def _record(self, how: HandOut) -> None:
        if self.document is None:
            return
        try:
            view: HandedOutView = self._documents.record_handout(self._actor, self.document,
                                                                 how=how)
        except ClinicDeskError as exc:
            self._dialogs.error(self, tr("Not recorded"), message_for(exc))
            return
        self.handed_out.emit(view)
