"""Calm empty states: what belongs here, and the first action when there is one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import icon_label, label, primary_button


class CalmEmptyState(QWidget):
    """An icon, a title, what will live here; optionally one primary action under it."""

    def __init__(
        self, icon_name: str, title: str, text: str, *, later: bool = False,
        action_text: str = "", action_icon: str | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # A column of readable width, centred: wrapped text needs a width to wrap to.
        column_widget = QWidget()
        column_widget.setMaximumWidth(560)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        column.addWidget(icon_label(icon_name, Tone.MUTED, 56), 0, Qt.AlignmentFlag.AlignHCenter)
        later_text = tr("This part of Clinic Desk is coming in a later release.") if later else ""
        for text_shown, name in ((title, "emptyTitle"), (text, "emptyText"),
                                 (later_text, "hint")):
            if not text_shown:
                continue
            shown = label(text_shown, name)
            shown.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(shown)
        self.action_button: QPushButton | None = None
        if action_text:
            self.action_button = primary_button(action_text, action_icon)
            column.addSpacing(6)
            column.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column_widget, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
        self.text = "\n".join(t for t in (title, text, later_text) if t)


class EmptyStatePage(CalmEmptyState):
    """A main-window area that is not built yet."""

    def __init__(
        self, icon_name: str, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(icon_name, title, text, later=True, parent=parent)
