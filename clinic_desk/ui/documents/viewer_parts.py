"""Small pieces of the document viewer: its state pages, its buttons, whole-file writes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSizeF, Qt
from PySide6.QtGui import QAction
from PySide6.QtPdfWidgets import QPdfView
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


def shown_zoom(view: QPdfView, page_points: QSizeF, dpi: int) -> float:
    """The scale QPdfView shows a page of this size at, in any zoom mode (QPdfView says
    only the custom factor)."""
    mode = view.zoomMode()
    if mode == QPdfView.ZoomMode.Custom:
        return view.zoomFactor()
    screen = dpi / 72
    margins = view.documentMargins()
    room = view.viewport().size()
    by_width = (room.width() - margins.left() - margins.right()) / (
        page_points.width() * screen)
    if mode == QPdfView.ZoomMode.FitToWidth:
        return by_width
    by_height = (room.height() - margins.top() - margins.bottom()) / (
        page_points.height() * screen)
    return min(by_width, by_height)


@contextmanager
def keeping_place(view: QPdfView) -> Iterator[None]:
    """The spot being read stays in view through a change of zoom: the same fraction of
    the way down the document (QPdfView itself keeps the pixel offset, which at another
    zoom is another page)."""
    bar = view.verticalScrollBar()
    total = bar.maximum() + bar.pageStep()
    fraction = bar.value() / total if total else 0.0
    yield
    bar.setValue(round(fraction * (bar.maximum() + bar.pageStep())))


def application() -> QCoreApplication:
    app = QCoreApplication.instance()
    assert app is not None
    return app
