"""A signed consent as its PDF, in the one document viewer, in a window of its own.

The PDF is made and signed by the clinic on a worker thread while the viewer shows a
busy bar (the shared `DocumentWindow`); printing and saving are recorded through the
consent service with the exact bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.consent_model import form_words
from clinic_desk.ui.consents.port import ConsentDesk, ConsentRow
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.documents.document_window import DocumentWindow
from clinic_desk.ui.documents.printing import PrintJob
from clinic_desk.ui.i18n import tr


def pdf_file_name(row: ConsentRow) -> str:
    return f"consent-{row.consent_id}-{row.template_key}-v{row.template_version}.pdf"


class ConsentDocumentWindow(DocumentWindow):
    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, dialogs: DialogService,
                 row: ConsentRow, parent: QWidget | None = None) -> None:
        self._desk = desk
        self._actor = actor
        self.row = row
        consent_id = row.consent_id
        super().__init__(
            dialogs, object_name="consentDocument",
            title=tr("Consent no. {number}: {form} — {patient}").format(
                number=consent_id, form=form_words(row), patient=row.patient_name),
            busy_text=tr("Preparing the signed PDF…"),
            make=lambda: desk.pdf(actor, consent_id), parent=parent)

    def _show(self, made: Any) -> None:
        pdf: bytes = made
        self.viewer.show_document(pdf, self.title, file_name=pdf_file_name(self.row))

    def _record_printed(self, job: PrintJob) -> None:
        pdf = self.viewer.pdf_bytes()
        self._recording(lambda: self._desk.record_printed(
            self._actor, self.row.consent_id, printer=job.printer_name, copies=job.copies,
            pdf=pdf))

    def _record_saved(self, path: str) -> None:
        pdf = self.viewer.pdf_bytes()
        self._recording(lambda: self._desk.record_saved(
            self._actor, self.row.consent_id, file_name=Path(path).name, pdf=pdf))
