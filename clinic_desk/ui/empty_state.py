"""A calm page for an area that is not built yet: what will live there, and when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import icon_label, label


class EmptyStatePage(QWidget):
    def __init__(
        self, icon_name: str, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(48, 48, 48, 48)
        column.setSpacing(14)
        column.addStretch(2)
        column.addWidget(icon_label(icon_name, Tone.MUTED, 56), 0, Qt.AlignmentFlag.AlignHCenter)
        heading = label(title, "emptyTitle")
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(heading)
        body = label(text, "emptyText")
        body.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body.setMaximumWidth(560)
        column.addWidget(body, 0, Qt.AlignmentFlag.AlignHCenter)
        later = label(tr("This part of Clinic Desk is coming in a later release."), "hint")
        later.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(later, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)
        self.text = f"{title}\n{text}\n{later.text()}"
