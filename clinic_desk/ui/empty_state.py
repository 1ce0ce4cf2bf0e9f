"""A calm page for an area that is not built yet: what will live there, and when."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import icon_label, label


class EmptyStatePage(QWidget):
    def __init__(
        self, icon_name: str, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        # A column of readable width, centred: wrapped text needs a width to wrap to.
        column_widget = QWidget()
        column_widget.setMaximumWidth(560)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        column.addWidget(icon_label(icon_name, Tone.MUTED, 56), 0, Qt.AlignmentFlag.AlignHCenter)
        later_text = tr("This part of Clinic Desk is coming in a later release.")
        for text_shown, name in ((title, "emptyTitle"), (text, "emptyText"),
                                 (later_text, "hint")):
            shown = label(text_shown, name)
            shown.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(shown)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column_widget, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
        self.text = f"{title}\n{text}\n{later_text}"
