"""Small pieces shared by the device and session forms: a captioned block with reserved
space for its message, a section heading, exact numbers read from what was typed."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.quantities import QuantityError, exact, format_quantity
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import InlineForm, SteadyLineEdit, hold_height
from clinic_desk.ui.widgets import label


class NumberUnreadable(ValueError):
    """What was typed is not a number this form can use; the message says why."""


def read_number(text: str, *, required: bool = True) -> Decimal | None:
    """"0.25", "0,25" → Decimal; blank → None (or a problem when required)."""
    if not text.strip():
        if required:
            raise NumberUnreadable(tr("Enter a number."))
        return None
    try:
        value = exact(text)
    except QuantityError:
        raise NumberUnreadable(tr("Enter a number such as 0.25 (at most three decimals).")) \
            from None
    if value < 0:
        raise NumberUnreadable(tr("Enter a number of 0 or more."))
    return value


def read_whole(text: str, *, required: bool = True) -> int | None:
    value = read_number(text, required=required)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NumberUnreadable(tr("Enter a whole number."))
    return int(value)


def shown_number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return format_quantity(Decimal(value))


def number_edit(placeholder: str = "", width: int = 90) -> SteadyLineEdit:
    edit = SteadyLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(width)
    hold_height(edit)
    return edit


def block(form: InlineForm, caption: str, field: str, widget: QWidget, *,
          hint: str = "", shown: QWidget | None = None, lines: int = 2,
          accessible: str = "") -> QWidget:
    """A captioned input with its hint and reserved room for its message (no jumps)."""
    form.register(field, widget)
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    holder.setMinimumWidth(160)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    title = label(caption)
    title.setBuddy(widget)
    widget.setAccessibleName(accessible or caption)
    if isinstance(widget, (QLineEdit, QComboBox)) and widget.property("steadyHeight") is None:
        hold_height(widget)
    column.addWidget(title)
    column.addWidget(shown or widget)
    if hint:
        column.addWidget(label(hint, "hint"))
    column.addWidget(form.slot(field, lines=lines))
    column.addStretch(1)
    return holder


def section(title: str) -> tuple[QWidget, QGridLayout]:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(8)
    column.addWidget(label(title, "sectionTitle"))
    grid = QGridLayout()
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(4)
    column.addLayout(grid)
    return box, grid
