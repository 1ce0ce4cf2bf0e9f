"""A PDF for a patient in the one viewer, in a window of its own.

`DocumentWindow` is the shared part: the PDF is made (or fetched from the documents
history) on a worker thread while the viewer shows a busy bar, a failure is shown with
Retry, and each print or save is handed to `_record_printed` / `_record_saved`, which the
subclass records with the exact bytes. `PatientDocumentWindow` shows care sheets and
reopened hand-outs (recorded in the documents history); the signed consent's window is in
`ui/consents/consent_document.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
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
from clinic_desk.ui.documents.viewer_parts import application
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.window_size import open_size

DOCUMENT_SIZE = QSize(900, 860)


class DocumentWindow(QWidget):
    """`make` runs on a worker thread; `_show` receives what it returns."""

    def __init__(self, dialogs: DialogService, *, object_name: str, title: str,
                 busy_text: str, make: Callable[[], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName(object_name)
        self._dialogs = dialogs
        self._make = make
        self._busy_text = busy_text
        self._closed = False
        self.title = title
        self.task: BackgroundTask | None = None
        self.setWindowTitle(title)
        self.viewer = DocumentViewer(dialogs)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.viewer)
        self.viewer.document_printed.connect(self._record_printed)
        self.viewer.document_saved.connect(self._record_saved)
        self.resize(open_size(self, DOCUMENT_SIZE))
        self.load()

    def load(self) -> None:
        """Makes the PDF on a worker thread; the viewer is busy meanwhile."""
        self.viewer.show_busy(self._busy_text, title=self.title)
        # The task belongs to the application, so that closing this window while the PDF
        # is made cannot delete it under the worker; its answer is then dropped.
        self.task = run_in_background(self._make, on_success=self._made,
                                      on_failure=self._not_made, parent=application())

    def is_busy(self) -> bool:
        return self.viewer.state() == DocumentViewer.BUSY

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        super().closeEvent(event)

    def _made(self, made: Any) -> None:
        self.task = None
        if not self._closed:
            self._show(made)

    def _not_made(self, error: BaseException) -> None:
        self.task = None
        if self._closed:
            return
        words = message_for(error) if isinstance(error, ClinicDeskError) else tr(
            "The PDF could not be made ({problem}).").format(problem=error)
        self.viewer.show_error(words, title=self.title, retry=self.load)

    def _show(self, made: Any) -> None:
        raise NotImplementedError

    def _record_printed(self, job: PrintJob) -> None:
        raise NotImplementedError

    def _record_saved(self, path: str) -> None:
        raise NotImplementedError

    def _recording(self, call: Callable[[], Any]) -> Any:
        """Runs a service call that records a print or save; a refusal is shown, not
        raised (the paper or file exists either way). Returns the call's answer or None."""
        try:
            return call()
        except ClinicDeskError as exc:
            self._dialogs.error(self, tr("Not recorded"), message_for(exc))
            return None


class PatientDocumentWindow(DocumentWindow):
    """A care sheet or a reopened hand-out; prints and saves go into the history."""

    handed_out = Signal(object)  # HandedOutView

    def __init__(self, documents: DocumentService, actor: SignedInStaff,
                 dialogs: DialogService, *, title: str, busy_text: str,
                 make: Callable[[], GeneratedDocument], print_when_made: bool = False,
                 parent: QWidget | None = None) -> None:
        self._documents = documents
        self._actor = actor
        # Straight to the print dialog once the PDF is made ("print aftercare").
        self._print_when_made = print_when_made
        self.document: GeneratedDocument | None = None
        super().__init__(dialogs, object_name="patientDocument", title=title,
                         busy_text=busy_text, make=make, parent=parent)

    def _show(self, made: Any) -> None:
        document: GeneratedDocument = made
        self.document = document
        self.title = document.title
        self.setWindowTitle(document.title)
        shown = self.viewer.show_document(document.pdf, document.title,
                                          file_name=document.file_name)
        if shown and self._print_when_made:
            self._print_when_made = False
            self.viewer.print_document()

    def _record_printed(self, _job: PrintJob) -> None:
        self._hand_out(HandOut.PRINTED)

    def _record_saved(self, _path: str) -> None:
        self._hand_out(HandOut.SAVED)

    def _hand_out(self, how: HandOut) -> None:
        document = self.document
        if document is None:
            return
        view: HandedOutView | None = self._recording(
            lambda: self._documents.record_handout(self._actor, document, how=how))
        if view is not None:
            self.handed_out.emit(view)
