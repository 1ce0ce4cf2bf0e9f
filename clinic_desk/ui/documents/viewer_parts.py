"""Small pieces of the document viewer: its state pages, its buttons, whole-file writes."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget

from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import icon_label, label

TOUCH_TARGET = 44


class StatePage(QWidget):
    """A centred icon and words (and perhaps a bar or a button): empty, busy or error."""

    def __init__(self, icon_name: str, tone: Tone, extra: QWidget | None = None, *,
                 text: str = "") -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(icon_label(icon_name, tone, 48), 0, Qt.AlignmentFlag.AlignHCenter)
        self.words = label(text, "viewerState")
        self.words.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.words)
        if extra is not None:
            column.addWidget(extra, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)


def tool_button(action: QAction, *, with_text: bool = False) -> QToolButton:
    """A 44 px button for one action, named for screen readers after the action."""
    button = QToolButton()
    button.setDefaultAction(action)
    button.setAccessibleName(action.text().rstrip("…"))
    button.setMinimumSize(TOUCH_TARGET, TOUCH_TARGET)
    if with_text:
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return button


def write_whole(path: Path, data: bytes) -> None:
    """All or nothing: a half-written PDF never takes the name."""
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
