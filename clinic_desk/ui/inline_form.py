"""A form that validates inline: each field's problem is shown under it, in plain words."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from clinic_desk.ui.validation import Problems
from clinic_desk.ui.widgets import FieldError


class InlineForm(QWidget):
    """Problems show for a field once the person has left it (or tried to submit), so
    an empty new form does not start out shouting; after that they update as they type."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, FieldError] = {}
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

    def show_problem(self, field: str, message: str) -> bool:
        """Shows a service's ValidationError under its field; False if no such field here."""
        error = self.errors.get(field)
        if error is None:
            return False
        self._touched.add(field)
        error.show_problem(message)
        return True
