"""The look: contrast, resources from the package, icons, target sizes."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from clinic_desk.ui import resources
from clinic_desk.ui.theme import CONTRAST_PAIRS, contrast_ratio, icon
from clinic_desk.ui.widgets import primary_button

USED_ICONS = ["calendar-days", "users", "file-signature", "syringe", "settings", "user-plus",
              "user-pen", "key-round", "user-x", "user-check", "log-out", "log-in",
              "circle-alert", "circle-check", "info", "refresh-cw", "building-2", "sparkles",
              "save", "shield-check", "lock", "copy", "chevron-down", "chevron-up", "check",
              "x"]


def test_text_contrast_is_at_least_4_5_to_1() -> None:
    for foreground, background in CONTRAST_PAIRS:
        assert contrast_ratio(foreground, background) >= 4.5, (foreground, background)


def test_style_sheet_text_colours_have_enough_contrast() -> None:
    # Each block that sets both a text colour and a background must be readable.
    sheet = resources.read_text("style.qss")
    for block in re.findall(r"\{([^}]*)\}", sheet):
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", block)
        background = re.search(r"background(?:-color)?:\s*(#[0-9A-Fa-f]{6})", block)
        if colour and background:
            assert contrast_ratio(colour.group(1), background.group(1)) >= 4.5, block


def test_icons_and_licence_ship_with_the_resources(qapp: QApplication) -> None:
    icons = resources.icons_dir()
    assert (icons / "LICENSE-lucide.txt").is_file()
    for name in USED_ICONS:
        assert "<svg" in resources.icon_svg(name)
        assert not icon(name).isNull()


def test_style_sheet_and_icons_are_found() -> None:
    assert "QPushButton" in resources.read_text("style.qss")
    assert (resources.icons_dir() / "chevron-down.svg").is_file()


def test_buttons_are_large_enough_to_touch(qtbot: QtBot) -> None:
    for button in (QPushButton("Cancel"), primary_button("Save", "save")):
        qtbot.addWidget(button)
        button.show()
        assert button.sizeHint().height() >= 44
