"""The pieces of the patient's reading view: the consent text in large type, with its
statements as large tick boxes, in a finger-scrollable area that knows when the end
has been reached."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.consent_text import (
    Acknowledgement,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import icon_label, repolish

TOUCH_TARGET = 44
END_TOLERANCE_PX = 4
"""The end counts as reached this close to the bottom (a finger rarely stops exactly)."""
TAP_SLOP_PX = 12
"""A press and release further apart than this is a scroll, not a tap on a statement."""


def plain_label(text: str, object_name: str) -> QLabel:
    """Consent words and names are never markup: a name like "<b>A & B</b>" shows as typed."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    widget.setObjectName(object_name)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class _TapLabel(QLabel):
    """The statement's words; a tap on them ticks the box, a finger scroll does not."""

    tapped = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._pressed_at: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        start, self._pressed_at = self._pressed_at, None
        if start is not None and (event.position().toPoint() - start).manhattanLength() \
                <= TAP_SLOP_PX and self.rect().contains(event.position().toPoint()):
            self.tapped.emit()
        event.accept()


class AcknowledgementBox(QFrame):
    """One statement to tick: a 44 px box and its words, the whole row a target."""

    toggled = Signal(bool)

    def __init__(self, acknowledgement: Acknowledgement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.acknowledgement = acknowledgement
        self.setObjectName("ackRow")
        self.setProperty("ticked", False)
        self.box = QCheckBox()
        self.box.setObjectName("ackBox")
        self.box.setMinimumSize(TOUCH_TARGET, TOUCH_TARGET)
        self.box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.box.setAccessibleName(acknowledgement.text)
        self.box.setAccessibleDescription(tr("Tick to confirm this statement"))
        self.words = _TapLabel(acknowledgement.text)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setWordWrap(True)
        self.words.setObjectName("ackText")
        self.words.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 14, 6)
        row.setSpacing(12)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)
        self.words.tapped.connect(self.box.toggle)
        self.box.toggled.connect(self._toggled)

    @property
    def key(self) -> str:
        return self.acknowledgement.key

    def is_ticked(self) -> bool:
        return self.box.isChecked()

    def _toggled(self, ticked: bool) -> None:
        self.setProperty("ticked", ticked)
        repolish(self)
        self.toggled.emit(ticked)


def _bullets(block: BulletList) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(8, 0, 0, 0)
    column.setSpacing(6)
    for item in block.items:
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(plain_label("•", "readingBullet"), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(plain_label(item, "readingBody"), 1)
        column.addLayout(row)
    return holder


def section_widget(section: ConsentSection) -> tuple[QWidget, list[AcknowledgementBox]]:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(12)
    column.addWidget(plain_label(section.heading, "readingHeading"))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            column.addWidget(plain_label(block.text, "readingBody"))
        else:
            column.addWidget(_bullets(block))
    boxes = [AcknowledgementBox(ack) for ack in section.acknowledgements]
    for box in boxes:
        column.addWidget(box)
    return holder, boxes


class ConsentTextPanel(QScrollArea):
    """The whole text, scrolled by finger (kinetic), wheel or bar. `end_reached` fires
    once, the first time the last line has been on screen; scrolling back up does not
    take it back."""

    end_reached = Signal()
    ticks_changed = Signal()

    def __init__(self, text: ConsentText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentTextPanel")
        self.setAccessibleName(tr("Consent form text"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("consentTextContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 18, 24)
        column.setSpacing(28)
        self.boxes: list[AcknowledgementBox] = []
        for section in text.sections:
            widget, boxes = section_widget(section)
            column.addWidget(widget)
            self.boxes += boxes
        end = QHBoxLayout()
        end.setSpacing(10)
        end.addStretch(1)
        end.addWidget(icon_label("circle-check", Tone.MUTED, 24))
        end.addWidget(plain_label(tr("End of the form"), "readingEnd"))
        end.addStretch(1)
        column.addLayout(end)
        column.addStretch(1)
        self.setWidget(content)
        self._content = content
        for box in self.boxes:
            box.toggled.connect(self.ticks_changed)
        self._reached_end = False
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._check_end)
        bar.rangeChanged.connect(self._check_end)
        self._kinetic()

    def _kinetic(self) -> None:
        viewport = self.viewport()
        QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
        scroller = QScroller.scroller(viewport)
        properties = scroller.scrollerProperties()
        # No rubber band at the ends: the text stops where it ends.
        off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
        scroller.setScrollerProperties(properties)

    def has_reached_end(self) -> bool:
        return self._reached_end

    def ticked_keys(self) -> tuple[str, ...]:
        return tuple(box.key for box in self.boxes if box.is_ticked())

    def remaining(self) -> int:
        return sum(1 for box in self.boxes if not box.is_ticked())

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._check_end()

    def _check_end(self) -> None:
        if self._reached_end or not self.isVisible() or self._content.height() == 0:
            return
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum() - END_TOLERANCE_PX:
            self._reached_end = True
            self.end_reached.emit()
