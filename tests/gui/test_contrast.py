"""Contrast, computed from the style sheet itself (WCAG 2.2): text 4.5:1 against what it is
drawn on; control outlines and focus rings 3:1 against what is next to them.

The style sheet is parsed into rules; each check names the colours it read, so a failure
says which rule to mend.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic_desk.ui import resources
from clinic_desk.ui.theme import NON_TEXT_CONTRAST_PAIRS, PALETTE, contrast_ratio
from clinic_desk.ui.widgets import primary_button

TEXT = 4.5
NON_TEXT = 3.0
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")
# What controls stand on: the page and the white of cards, forms and tables.
PAGES = (PALETTE.window, PALETTE.base)
CONTROLS = ("QPushButton", "QToolButton", "QLineEdit", "QComboBox", "QSpinBox", "QDateEdit",
            "QPlainTextEdit", "::indicator")


@dataclass(frozen=True)
class Rule:
    selector: str
    declarations: dict[str, str]

    def colour(self, *properties: str) -> str | None:
        for name in properties:
            if (value := self.declarations.get(name)) is not None:
                if "transparent" in value:
                    return None
                if found := COLOUR.search(value):
                    return found.group(0).upper()
        return None

    @property
    def background(self) -> str | None:
        value = self.declarations.get("background") or self.declarations.get(
            "background-color", "")
        return None if "gradient" in value else self.colour("background", "background-color")

    @property
    def border(self) -> str | None:
        return self.colour("border", "border-color")

    @property
    def double_ring(self) -> bool:
        # A double border with the page showing between its lines (background-clip).
        return "double" in self.declarations.get("border", "") and \
            self.declarations.get("background-clip") == "padding"


def parse(sheet: str) -> list[Rule]:
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
    rules: list[Rule] = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet):
        declarations = {}
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                declarations[name.strip()] = " ".join(value.split())
        rules.extend(Rule(s.strip(), declarations) for s in selectors.split(","))
    return rules


RULES = parse(resources.read_text("style.qss"))


def rule(selector: str) -> Rule | None:
    # The last rule for a selector wins, as in the style sheet itself.
    return next((r for r in reversed(RULES) if r.selector == selector and r.background), None)


def fill_of(selector: str) -> list[str]:
    """What the control is filled with in this state: its own background, else that of the
    same selector with fewer pseudo-states, else (an item) its view's colours."""
    if (own := rule(selector)) is not None and own.background:
        return [own.background]
    if "::item" in selector:
        view = rule(selector.split("::")[0])
        assert view is not None, selector
        if ":selected" in selector:
            return [view.colour("selection-background-color") or ""]
        return [c for c in (view.background, view.colour("alternate-background-color")) if c]
    stripped = re.sub(r":[a-z-]+$", "", selector)
    if stripped != selector:
        return fill_of(stripped)
    return [PALETTE.base]


def text_pairs() -> Iterator[tuple[str, str, str]]:
    for r in RULES:
        colour = r.colour("color")
        if colour is None or ":disabled" in r.selector:
            continue
        if r.background:
            yield r.selector, colour, r.background
            continue
        # "X Y" with no background of its own stands on X's.
        outer = r.selector.rsplit(" ", 1)[0] if " " in r.selector else None
        backgrounds = fill_of(outer) if outer and rule(outer) else list(PAGES)
        for background in backgrounds:
            yield r.selector, colour, background


def outline_pairs() -> Iterator[tuple[str, str, str]]:
    for r in RULES:
        target = r.selector.split(" ")[-1]
        if not any(c in target for c in CONTROLS) or re.search(
                r":(disabled|focus|hover)|\[link=", r.selector):
            continue
        border = r.border
        if border is None:
            continue
        fill = r.background or fill_of(r.selector)[0]
        # A control filled with the colour of its border shows its edge by its fill.
        edge = fill if border == fill else border
        for page in PAGES:
            yield r.selector, edge, page


def focus_pairs() -> Iterator[tuple[str, str, str]]:
    for r in RULES:
        if ":focus" not in r.selector or not any(k.startswith("border") for k in
                                                   r.declarations):
            continue  # e.g. a sub-control moving aside for the ring
        ring = r.border
        assert ring is not None, f"{r.selector} shows focus without a ring colour"
        unfocused = r.selector.replace(":focus", "")
        fills = fill_of(unfocused)
        if "::item" in r.selector:
            pages = []  # inside its row: only the row's own colour is next to it
        elif "#navigation" in r.selector:
            pages = ["#E9EEF0", PALETTE.window]
        else:
            pages = list(PAGES)
        for page in pages:
            yield r.selector, ring, page
        for fill in fills:
            if r.double_ring:
                # ring | page | ring+fill: the page between them must stand out from both.
                for page in pages:
                    yield r.selector, page, fill
            else:
                yield r.selector, ring, fill


@pytest.mark.parametrize(("selector", "colour", "background"), list(text_pairs()))
def test_text_is_readable(selector: str, colour: str, background: str) -> None:
    assert contrast_ratio(colour, background) >= TEXT, (selector, colour, background)


@pytest.mark.parametrize(("selector", "edge", "page"), list(outline_pairs()))
def test_control_outlines_stand_out(selector: str, edge: str, page: str) -> None:
    assert contrast_ratio(edge, page) >= NON_TEXT, (selector, edge, page)


@pytest.mark.parametrize(("selector", "ring", "next_to"), list(focus_pairs()))
def test_focus_rings_stand_out(selector: str, ring: str, next_to: str) -> None:
    assert contrast_ratio(ring, next_to) >= NON_TEXT, (selector, ring, next_to)


def test_everything_that_takes_the_focus_shows_it() -> None:
    focused = {r.selector for r in RULES if ":focus" in r.selector}
    for selector in ('QPushButton:focus', 'QPushButton[primary="true"]:focus',
                     "QPushButton#answerToggle:checked:focus", "QLineEdit:focus",
                     "QSpinBox:focus", "QPlainTextEdit:focus", "QCheckBox:focus",
                     "QRadioButton:focus", "QListWidget#navigation:focus",
                     "QTabBar::tab:focus", "QScrollArea:focus", "QTableView::item:focus",
                     "QTableView::item:selected:focus", "QToolButton:focus"):
        assert selector in focused, selector


def test_the_checks_read_what_they_should() -> None:
    # The parser found the colours the checks are about (else they would pass on nothing).
    assert len(list(focus_pairs())) >= 30
    assert len(list(outline_pairs())) >= 10
    assert rule('QPushButton[primary="true"]') is not None
    assert fill_of("QTableView::item:selected") == ["#0B6B6B"]
    assert fill_of("QPushButton#answerToggle:checked") == ["#0B6B6B"]
    # And the contrast formula is WCAG's: black on white 21:1, a colour on itself 1:1.
    assert round(contrast_ratio("#000000", "#FFFFFF"), 2) == 21.0
    assert contrast_ratio("#0B6B6B", "#0B6B6B") == 1.0


@pytest.mark.parametrize(("edge", "background"), NON_TEXT_CONTRAST_PAIRS)
def test_palette_outlines_stand_out(edge: str, background: str) -> None:
    # The palette Fusion draws with (frames, the parts the style sheet leaves to it).
    assert contrast_ratio(edge, background) >= NON_TEXT, (edge, background)


def ring_pixels(widget: QWidget, colour: str) -> int:
    """How many pixels of `colour` the widget shows, grabbed from its window as on screen
    (what shows through around and inside it included)."""
    window = widget.window()
    image = window.grab(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())).toImage()
    wanted = QColor(colour).rgb()
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixel(x, y) == wanted)


def test_the_focus_rings_are_really_drawn(qtbot: QtBot) -> None:
    # A selector the style sheet engine does not know is silently ignored: so each ring
    # is looked for in the pixels, focused against unfocused.
    window = QWidget()
    column = QVBoxLayout(window)
    navigation = QListWidget()
    navigation.setObjectName("navigation")
    navigation.addItems(["Today", "Patients"])
    tabs = QTabWidget()
    tabs.addTab(QLabel("one"), "Overview")
    tabs.addTab(QLabel("two"), "Medical history")
    scroll = QScrollArea()
    scroll.setWidget(QLabel("a long text\n" * 30))
    field, button, check = QLineEdit("text"), QPushButton("Cancel"), QCheckBox("Temporary")
    primary = primary_button("Save")
    catcher = QPushButton("elsewhere")
    for part in (navigation, tabs, scroll, field, button, check, primary, catcher):
        column.addWidget(part)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    targets: tuple[tuple[QWidget, str], ...] = (
                           (navigation, PALETTE.accent), (tabs.tabBar(), PALETTE.accent),
                           (scroll, PALETTE.accent), (field, PALETTE.accent),
                           (button, PALETTE.accent), (check, PALETTE.accent),
                           (primary, PALETTE.window))
    for widget, colour in targets:
        catcher.setFocus(Qt.FocusReason.TabFocusReason)
        unfocused = ring_pixels(widget, colour)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        assert widget.hasFocus()
        focused = ring_pixels(widget, colour)
        # at least a line around most of it
        assert focused - unfocused >= widget.width(), (type(widget).__name__, unfocused,
                                                       focused)
