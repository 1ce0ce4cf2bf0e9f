"""A form that validates inline: each field's problem is shown under it, in plain words."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.field_limits import HintOrNote, stop_at_limit
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.validation import Problems
from clinic_desk.ui.widgets import FieldError, icon_label, label, repolish

# HintOrNote and stop_at_limit live in field_limits (the sign-in window uses them
# without loading the validation rules); they are named here for the forms.
__all__ = ["FieldSlot", "HintOrNote", "InlineForm", "hold_height", "stop_at_limit"]


def _steady(hint: QSize, widget: QWidget) -> QSize:
    steady = widget.property("steadyHeight")
    return QSize(hint.width(), max(hint.height(), int(steady))) if steady else hint


class SteadyLineEdit(QLineEdit):
    """A line edit that keeps one height (see `hold_height`)."""

    def sizeHint(self) -> QSize:
        return _steady(super().sizeHint(), self)

    def minimumSizeHint(self) -> QSize:
        return _steady(super().minimumSizeHint(), self)


class SteadyComboBox(QComboBox):
    """A combo box that keeps one height (see `hold_height`)."""

    def sizeHint(self) -> QSize:
        return _steady(super().sizeHint(), self)

    def minimumSizeHint(self) -> QSize:
        return _steady(super().minimumSizeHint(), self)


def hold_height(widget: QWidget) -> None:
    """The field keeps one height whether its border is thin, or thick for focus or a
    problem (the style sheet draws those 2 px wide), so nothing below it moves. Works on
    the Steady* widgets, which size themselves by the height measured here."""
    heights = []
    for invalid in (True, False):
        widget.setProperty("invalid", invalid)
        repolish(widget)
        heights.append(widget.sizeHint().height())
    widget.setProperty("steadyHeight", max(heights))
    widget.updateGeometry()


class FieldSlot(QWidget):
    """The space under a field, reserved whether or not anything shows in it, so that a
    message appearing never moves the fields below (the next click lands where aimed).

    It shows the field's problem (icon and words) or, when there is none, a gentle note
    that does not block saving ("kept as typed", "stopped at 100 characters")."""

    def __init__(self, error: FieldError, *, lines: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self._lines = lines
        self._note_text = label("", "hint")
        self._note_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QWidget()
        row = QHBoxLayout(self.note)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(icon_label("info", Tone.NORMAL, 16), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._note_text, 1)
        self.note.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(error)
        column.addWidget(self.note)
        column.addStretch(1)
        # The words wrap within the width the form gives; they never widen a column.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self._height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.setFixedHeight(self._height())

    def _height(self) -> int:
        spacing = max(self._note_text.fontMetrics().lineSpacing(),
                      self.error.fontMetrics().lineSpacing(), 16)
        return self._lines * spacing + 4

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._height())

    def note_text(self) -> str:
        return self._note_text.text() if not self.note.isHidden() else ""

    def set_note(self, text: str) -> None:
        self._note_text.setText(text)
        self.sync()

    def sync(self) -> None:
        self.note.setVisible(bool(self._note_text.text()) and not self.error.text())
        # Should a message ever need more than the lines kept for it, it is whole here.
        self.setToolTip(self.error.text() or self.note_text())


class InlineForm(QWidget):
    """Problems show for a field once the person has left it (or tried to submit), so
    an empty new form does not start out shouting; after that they update as they type."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, FieldError] = {}
        self.slots: dict[str, FieldSlot] = {}
        self._fields: dict[QObject, str] = {}
        self._touched: set[str] = set()
        self.edited.connect(self.refresh_problems)

    def register(self, field: str, widget: QWidget) -> FieldError:
        error = FieldError().watch(widget)
        self.errors[field] = error
        self._fields[widget] = field
        widget.installEventFilter(self)
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            widget.textChanged.connect(self.edited)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self.edited)
        return error

    def slot(self, field: str, *, lines: int = 2) -> FieldSlot:
        """The registered field's problem in reserved space (see FieldSlot)."""
        found = self.slots.get(field)
        if found is None:
            found = self.slots[field] = FieldSlot(self.errors[field], lines=lines)
        return found

    def watch_limit(self, field: str, edit: QLineEdit, limit: int) -> None:
        """The field stops at `limit` characters and says so in its slot when typed or
        pasted text went past it (see `stop_at_limit`)."""
        stop_at_limit(edit, limit, lambda note: self.slot(field).set_note(note))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self._fields:
            self._touched.add(self._fields[watched])
            self.refresh_problems()
        return super().eventFilter(watched, event)

    def problems(self) -> Problems:
        raise NotImplementedError

    def refresh_problems(self) -> None:
        self.show_problems(self.problems(), only_touched=True)

    def touch_all(self) -> None:
        self._touched.update(self.errors)

    def forget_touches(self) -> None:
        self._touched.clear()
        self.show_problems({})

    def show_problems(self, problems: Problems, *, only_touched: bool = False) -> None:
        for field, error in self.errors.items():
            visible = not only_touched or field in self._touched
            error.show_problem(problems.get(field, "") if visible else "")
            if field in self.slots:
                self.slots[field].sync()

    def show_problem(self, field: str, message: str) -> bool:
        """Shows a service's ValidationError under its field; False if no such field here."""
        error = self.errors.get(field)
        if error is None:
            return False
        self._touched.add(field)
        error.show_problem(message)
        if field in self.slots:
            self.slots[field].sync()
        return True
