"""Small building blocks shared by the forms and pages: inline errors, banners, buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.theme import Tone, icon

ICON_PX = 20


def repolish(widget: QWidget) -> None:
    """Re-applies the style sheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def primary_button(
    text: str, icon_name: str | None = None, parent: QWidget | None = None
) -> QPushButton:
    """The one button that does what the dialog is for: accent colour, white text."""
    button = QPushButton(text, parent)
    button.setProperty("primary", True)
    if icon_name:
        button.setIcon(icon(icon_name, Tone.ON_ACCENT))
    return button


def label(text: str, object_name: str | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    if object_name:
        widget.setObjectName(object_name)
    return widget


def icon_label(name: str, tone: Tone = Tone.NORMAL, size: int = ICON_PX) -> QLabel:
    widget = QLabel()
    widget.setPixmap(icon(name, tone).pixmap(size, size))
    widget.setFixedSize(size, size)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


class FieldError(QWidget):
    """The plain-words problem with one field, shown right under it, with an icon so that
    it never relies on colour alone. Hidden when there is nothing to say."""

    def __init__(self, parent: QWidget | None = None, *, object_name: str = "fieldError") -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self._icon = icon_label("circle-alert", Tone.DANGER, 16)
        self._text = label("", object_name)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(False)
        self._field: QWidget | None = None

    def watch(self, field: QWidget) -> FieldError:
        """The input whose border turns red (with this text) while there is a problem."""
        self._field = field
        return self

    def text(self) -> str:
        return self._text.text() if not self.isHidden() else ""

    def show_problem(self, message: str) -> None:
        self._text.setText(message)
        self.setVisible(bool(message))
        if self._field is not None:
            self._field.setProperty("invalid", bool(message))
            self._field.setAccessibleDescription(message)
            repolish(self._field)

    def clear(self) -> None:
        self.show_problem("")


class NoticeBanner(QFrame):
    """A message across the top of a page: icon, words and, if useful, one action."""

    _ICONS: ClassVar[dict[str, str]] = {
        "danger": "circle-alert", "warning": "circle-alert", "success": "circle-check",
        "info": "info",
    }
    _TONES: ClassVar[dict[str, Tone]] = {
        "danger": Tone.DANGER, "warning": Tone.NORMAL, "success": Tone.SUCCESS,
        "info": Tone.NORMAL,
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        row.setSpacing(10)
        self._icon = QLabel()
        self._icon.setFixedSize(ICON_PX, ICON_PX)
        self._text = label("")
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setVisible(False)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self._text, 1)
        row.addWidget(self.action_button, 0)
        self.setVisible(False)

    def text(self) -> str:
        return self._text.text() if not self.isHidden() else ""

    def tone(self) -> str:
        """"danger", "warning", "success" or "info"; "" while nothing is shown."""
        return str(self.property("tone") or "") if not self.isHidden() else ""

    def show_message(
        self,
        tone: str,
        text: str,
        *,
        action_text: str | None = None,
        action_icon: str | None = None,
        action: Callable[[], None] | None = None,
    ) -> None:
        self.setProperty("tone", tone)
        self._icon.setPixmap(icon(self._ICONS[tone], self._TONES[tone]).pixmap(ICON_PX, ICON_PX))
        self._text.setText(text)
        self.setAccessibleName(text)
        self._action = action
        self.action_button.setVisible(action is not None)
        if action is not None:
            self.action_button.setText(action_text or "")
            if action_icon:
                self.action_button.setIcon(icon(action_icon))
        repolish(self)
        for child in self.findChildren(QLabel):
            repolish(child)
        self.setVisible(True)

    def clear(self) -> None:
        self._action = None
        self.setVisible(False)

    def clear_problem(self) -> None:
        """For refreshes that nobody asked for (another workstation's change, a reload):
        a problem they may have solved goes, but a success message stays until the person
        does something next, so that it can be read, and read out, in full."""
        if self.tone() != "success":
            self.clear()

    def _run_action(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()


class ElidedLabel(QLabel):
    """One line of text that shortens itself in the middle ("/home/…/clinic.sqlite3") rather
    than forcing its window wider; the whole text stays in the tooltip."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect().adjusted(self.margin(), 0, -self.margin(), 0)
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle,
                                              rect.width())
        painter.drawText(rect, int(self.alignment()), shown)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 520), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(120, super().minimumSizeHint().height())


def field_block(title: str, field: QWidget, error: FieldError,
                hint: str | QWidget = "") -> QWidget:
    """A labelled input with its hint (words, or a widget such as a HintOrNote) and its
    inline error, stacked."""
    block = QWidget()
    column = QVBoxLayout(block)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    caption = label(title)
    caption.setBuddy(field)
    column.addWidget(caption)
    column.addWidget(field)
    if isinstance(hint, QWidget):
        column.addWidget(hint)
    elif hint:
        column.addWidget(label(hint, "hint"))
    column.addWidget(error)
    return block


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhSensitiveData
    )
    return edit


def address_edit() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(96)
    return edit
