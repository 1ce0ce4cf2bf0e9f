"""Message boxes, confirmations and modal dialogs behind one small service.

Widgets never call QMessageBox or `exec()` themselves: they ask a `DialogService`, which
the composition root provides and tests replace with a fake that records calls and
returns scripted answers, so no test ever blocks on a modal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from clinic_desk.ui.i18n import tr
from clinic_desk.ui.window_size import fit_to_screen

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter


class DialogService(Protocol):
    def inform(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def error(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def confirm(
        self, parent: QWidget | None, title: str, text: str, *, confirm_label: str,
        cancel_label: str = "",
    ) -> bool:
        """True if the person chose `confirm_label`; the other button (`cancel_label`,
        "Cancel" by default) and Escape say no."""
        ...

    def run(self, dialog: QDialog) -> bool:
        """Shows a modal form dialog; True if it was accepted."""
        ...

    def choose_save_path(
        self, parent: QWidget | None, title: str, suggested: str, *, filters: str
    ) -> Path | None:
        """Where to save a file (`suggested` is the proposed name); None if cancelled."""
        ...

    def setup_printer(self, parent: QWidget | None, printer: QPrinter) -> bool:
        """The print dialog (printer, copies, pages) for `printer`; True to print."""
        ...

    def choose_open_path(
        self, parent: QWidget | None, title: str, *, filters: str
    ) -> Path | None:
        """A file to open (a consent template to import, say); None if cancelled."""
        ...


class QtDialogService:
    """The real dialogs."""

    def _box(
        self, parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str
    ) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._exec(box)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self._box(parent, QMessageBox.Icon.Information, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self._box(parent, QMessageBox.Icon.Critical, title, text)

    def confirm(
        self, parent: QWidget | None, title: str, text: str, *, confirm_label: str,
        cancel_label: str = "",
    ) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
        )
        yes = box.addButton(confirm_label, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(cancel_label or tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        # The safe choice is the default: Enter does not deactivate anyone by accident.
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        self._exec(box)
        return box.clickedButton() is yes

    def run(self, dialog: QDialog) -> bool:
        return self._exec(dialog) == QDialog.DialogCode.Accepted

    @staticmethod
    def _exec(dialog: QDialog) -> int:
        # Every dialog opens no larger than the screen it is on (1024×768 included).
        fit_to_screen(dialog)
        return dialog.exec()

    def choose_save_path(
        self, parent: QWidget | None, title: str, suggested: str, *, filters: str
    ) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(chosen) if chosen else None

    def setup_printer(self, parent: QWidget | None, printer: QPrinter) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, parent)
        return self._exec(dialog) == QDialog.DialogCode.Accepted

    def choose_open_path(
        self, parent: QWidget | None, title: str, *, filters: str
    ) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return Path(chosen) if chosen else None
