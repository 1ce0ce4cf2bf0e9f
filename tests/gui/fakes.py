"""A dialog service that never blocks: it records what was asked and answers from a script."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QWidget

DialogScript = Callable[[QDialog], None]
PrinterScript = Callable[[QPrinter], bool]


@dataclass
class FakeDialogService:
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    confirmations: list[tuple[str, str]] = field(default_factory=list)
    confirm_answers: list[bool] = field(default_factory=list)
    cancel_labels: list[str] = field(default_factory=list)
    dialog_scripts: list[DialogScript] = field(default_factory=list)
    dialogs_run: list[QDialog] = field(default_factory=list)
    save_answers: list[Path | None] = field(default_factory=list)
    save_requests: list[tuple[str, str]] = field(default_factory=list)
    printer_scripts: list[PrinterScript] = field(default_factory=list)
    printers_offered: list[QPrinter] = field(default_factory=list)
    open_answers: list[Path | None] = field(default_factory=list)
    open_requests: list[str] = field(default_factory=list)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append(("inform", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append(("error", title, text))

    def confirm(
        self, parent: QWidget | None, title: str, text: str, *, confirm_label: str,
        cancel_label: str = "",
    ) -> bool:
        self.confirmations.append((title, confirm_label))
        self.cancel_labels.append(cancel_label)
        return self.confirm_answers.pop(0) if self.confirm_answers else False

    def run(self, dialog: QDialog) -> bool:
        """Plays the next script against the real dialog (filling it in, clicking its
        buttons); with no script left, the dialog is cancelled."""
        self.dialogs_run.append(dialog)
        if self.dialog_scripts:
            self.dialog_scripts.pop(0)(dialog)
        else:
            dialog.reject()
        return dialog.result() == QDialog.DialogCode.Accepted

    def choose_save_path(
        self, parent: QWidget | None, title: str, suggested: str, *, filters: str
    ) -> Path | None:
        """The next scripted path; with none left, the person cancelled."""
        self.save_requests.append((title, suggested))
        return self.save_answers.pop(0) if self.save_answers else None

    def setup_printer(self, parent: QWidget | None, printer: QPrinter) -> bool:
        """Plays the next script on the real printer (choosing a PDF file, copies...);
        with no script left, the person cancelled."""
        self.printers_offered.append(printer)
        return self.printer_scripts.pop(0)(printer) if self.printer_scripts else False

    def choose_open_path(
        self, parent: QWidget | None, title: str, *, filters: str
    ) -> Path | None:
        """The next scripted file; with none left, the person cancelled."""
        self.open_requests.append(title)
        return self.open_answers.pop(0) if self.open_answers else None
