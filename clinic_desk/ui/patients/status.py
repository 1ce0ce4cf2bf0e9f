"""How a screening status or finding looks: always an icon and a word, colour only adds."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from clinic_desk.domain.screening import STATUS_LABELS, Finding, ScreeningStatus, Severity
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import repolish


@dataclass(frozen=True, slots=True)
class StatusLook:
    word: str
    icon_name: str
    tone: Tone


def status_look(status: ScreeningStatus) -> StatusLook:
    word = tr(STATUS_LABELS[status])
    return {
        ScreeningStatus.DO_NOT_TREAT: StatusLook(word, "octagon-x", Tone.DANGER),
        ScreeningStatus.NEEDS_CLEARANCE: StatusLook(word, "triangle-alert", Tone.WARNING),
        ScreeningStatus.CLEAR_WITH_ADVICE: StatusLook(word, "circle-check", Tone.SUCCESS),
        ScreeningStatus.CLEAR: StatusLook(word, "circle-check", Tone.SUCCESS),
    }[status]


def finding_look(finding: Finding) -> StatusLook:
    if finding.is_cleared:
        return StatusLook(tr("Cleared"), "badge-check", Tone.SUCCESS)
    return {
        Severity.DO_NOT_TREAT: StatusLook(tr("Do not treat"), "octagon-x", Tone.DANGER),
        Severity.NEEDS_CLEARANCE: StatusLook(tr("Needs clearance"), "triangle-alert",
                                             Tone.WARNING),
        Severity.ADVICE: StatusLook(tr("Advice"), "info", Tone.NORMAL),
    }[finding.severity]


class StatusBadge(QFrame):
    """A rounded tag: icon plus word, tinted by tone. Large for the chart header."""

    def __init__(self, *, large: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadge")
        self.setProperty("large", large)
        self._size = 22 if large else 16
        row = QHBoxLayout(self)
        row.setContentsMargins(12 if large else 8, 4, 14 if large else 10, 4)
        row.setSpacing(8 if large else 6)
        self._icon = QLabel()
        self._icon.setFixedSize(self._size, self._size)
        self._text = QLabel()
        self._text.setObjectName("badgeText")
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self._text, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setVisible(False)

    def text(self) -> str:
        return self._text.text() if not self.isHidden() else ""

    def show_look(self, look: StatusLook, tooltip: str = "") -> None:
        self.setProperty("tone", look.tone.value)
        self._icon.setPixmap(icon(look.icon_name, look.tone).pixmap(self._size, self._size))
        self._text.setText(look.word)
        self.setToolTip(tooltip)
        self.setAccessibleName(look.word)
        repolish(self)
        repolish(self._text)
        self.setVisible(True)
