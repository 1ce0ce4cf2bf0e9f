"""How a screening status or finding looks: always an icon and a word, colour only adds."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from clinic_desk.domain.screening import (
    NO_INTAKE,
    STATUS_LABELS,
    Finding,
    ScreeningStatus,
    Severity,
)
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
        # Neutral: nothing is wrong with the patient; the history has not been taken yet.
        ScreeningStatus.HISTORY_NEEDED: StatusLook(word, "clipboard-list", Tone.NORMAL),
        ScreeningStatus.DO_NOT_TREAT: StatusLook(word, "octagon-x", Tone.DANGER),
        ScreeningStatus.NEEDS_CLEARANCE: StatusLook(word, "triangle-alert", Tone.WARNING),
        ScreeningStatus.CLEAR_WITH_ADVICE: StatusLook(word, "circle-check", Tone.SUCCESS),
        ScreeningStatus.CLEAR: StatusLook(word, "circle-check", Tone.SUCCESS),
    }[status]


def finding_look(finding: Finding) -> StatusLook:
    if finding.is_cleared:
        return StatusLook(tr("Cleared"), "badge-check", Tone.SUCCESS)
    if finding.rule_id == NO_INTAKE:
        return StatusLook(tr("Medical history needed"), "clipboard-list", Tone.NORMAL)
    if finding.to_review:
        return StatusLook(tr("To review"), "triangle-alert", Tone.WARNING)
    return {
        Severity.DO_NOT_TREAT: StatusLook(tr("Do not treat"), "octagon-x", Tone.DANGER),
        Severity.NEEDS_CLEARANCE: StatusLook(tr("Needs clearance"), "triangle-alert",
                                             Tone.WARNING),
        Severity.ADVICE: StatusLook(tr("Advice"), "info", Tone.NORMAL),
    }[finding.severity]


class StatusBadge(QFrame):
    """A rounded tag: icon plus word, tinted by tone. Large for the chart header, where
    it is `focusable`: Tab stops on its word (a label, so a screen reader meets text to read
    out, with the badge's accessible name, not a bare frame), and Enter, Space or a click
    fire `activated` (the chart then shows the screening)."""

    activated = Signal()

    def __init__(self, *, large: bool = False, focusable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._focusable = focusable
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
        if focusable:
            self._text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setFocusProxy(self._text)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self._text.installEventFilter(self)
        self.setVisible(False)

    def focus_target(self) -> QLabel:
        """What takes the focus and is read out."""
        return self._text

    def text(self) -> str:
        return self._text.text() if not self.isHidden() else ""



    def show_look(self, look: StatusLook, tooltip: str = "") -> None:
        self.setProperty("tone", look.tone.value)
        self._icon.setPixmap(icon(look.icon_name, look.tone).pixmap(self._size, self._size))
        self._text.setText(look.word)
        self.setToolTip(tooltip)
        self.setAccessibleName(look.word)
        self.setAccessibleDescription(tooltip)
        self._text.setAccessibleName(look.word)
        self._text.setAccessibleDescription(tooltip)
        repolish(self)
        repolish(self._text)
        self.setVisible(True)

    # --- keyboard, mouse and the focus ring (the frame's own border is its tone) ----------

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self._text.setAccessibleName(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        elif (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)):
            self.activated.emit()
            return True
        return super().eventFilter(watched, event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._focusable and event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._focusable and self._text.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            inner = QRect(self.rect()).adjusted(3, 3, -3, -3)
            radius = min(inner.height() / 2, 16)
            painter.drawRoundedRect(inner, radius, radius)
