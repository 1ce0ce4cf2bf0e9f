"""Scripts for the Today area's dialogs, shared by the list and the book tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from clinic_desk.ui.today.cancel_dialog import CancelDialog


def cancel_with(choice: str, words: str = "") -> Callable[[QDialog], None]:
    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, CancelDialog)
        for button in dialog.choices.buttons():
            if button.text() == choice:
                button.click()
        dialog.details.setText(words)
        dialog.cancel_button.click()
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.reject()
    return script
