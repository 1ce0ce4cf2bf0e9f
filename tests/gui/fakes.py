"""A dialog service that never blocks: it records what was asked and answers from a script."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import QDialog, QWidget

DialogScript = Callable[[QDialog], None]


@dataclass
class FakeDialogService:
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    confirmations: list[tuple[str, str]] = field(default_factory=list)
    confirm_answers: list[bool] = field(default_factory=list)
    cancel_labels: list[str] = field(default_factory=list)
    dialog_scripts: list[DialogScript] = field(default_factory=list)
    dialogs_run: list[QDialog] = field(default_factory=list)

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
