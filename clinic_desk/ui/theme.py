"""The look: Fusion style, one calm clinical palette, one style sheet, tinted SVG icons.

Colours live here and in `resources/style.qss` only; widgets ask for roles, never hex values.
Every text/background pair below has a contrast ratio of at least 4.5:1 (checked in tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.resources import icon_svg, icons_dir, read_text


@dataclass(frozen=True, slots=True)
class ClinicPalette:
    window: str = "#F4F6F7"
    base: str = "#FFFFFF"
    alternate_base: str = "#F0F3F4"
    text: str = "#1C2B33"
    muted_text: str = "#51626B"
    disabled_text: str = "#5E6E76"
    disabled_window: str = "#EEF1F2"
    button: str = "#E9EEF0"
    accent: str = "#0B6B6B"
    accent_text: str = "#FFFFFF"
    link: str = "#0B5C8A"
    border: str = "#C5CED3"  # decorative lines: cards, dividers, headers
    control_border: str = "#76858C"  # what outlines a control: 3:1 against the page
    danger: str = "#A3262A"
    success: str = "#1E5E3A"
    warning: str = "#7A4A00"


PALETTE = ClinicPalette()


class Tone(StrEnum):
    """What an icon or message says; each tone pairs a colour with a word and an icon."""

    NORMAL = "normal"
    MUTED = "muted"
    ACCENT = "accent"
    DANGER = "danger"
    SUCCESS = "success"
    WARNING = "warning"
    ON_ACCENT = "on_accent"


_TONE_COLOURS = {
    Tone.NORMAL: PALETTE.text,
    Tone.MUTED: PALETTE.muted_text,
    Tone.ACCENT: PALETTE.accent,
    Tone.DANGER: PALETTE.danger,
    Tone.SUCCESS: PALETTE.success,
    Tone.WARNING: PALETTE.warning,
    Tone.ON_ACCENT: PALETTE.accent_text,
}

CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (
    (PALETTE.text, PALETTE.window),
    (PALETTE.text, PALETTE.base),
    (PALETTE.text, PALETTE.button),
    (PALETTE.muted_text, PALETTE.window),
    (PALETTE.muted_text, PALETTE.base),
    (PALETTE.disabled_text, PALETTE.disabled_window),
    (PALETTE.accent_text, PALETTE.accent),
    (PALETTE.danger, PALETTE.base),
    (PALETTE.danger, PALETTE.window),
    (PALETTE.success, PALETTE.window),
    (PALETTE.warning, PALETTE.base),
    (PALETTE.warning, PALETTE.window),
    (PALETTE.link, PALETTE.base),
)


# Control outlines and focus against what they stand on (WCAG 2.2 non-text: 3:1).
NON_TEXT_CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (
    (PALETTE.control_border, PALETTE.window),
    (PALETTE.control_border, PALETTE.base),
    (PALETTE.control_border, PALETTE.alternate_base),
    (PALETTE.accent, PALETTE.window),
    (PALETTE.accent, PALETTE.base),
    (PALETTE.accent_text, PALETTE.accent),
)


def clinic_palette() -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup

    def put(r: QPalette.ColorRole, colour: str) -> None:
        p.setColor(r, QColor(colour))

    put(role.Window, PALETTE.window)
    put(role.WindowText, PALETTE.text)
    put(role.Base, PALETTE.base)
    put(role.AlternateBase, PALETTE.alternate_base)
    put(role.Text, PALETTE.text)
    put(role.PlaceholderText, PALETTE.muted_text)
    put(role.Button, PALETTE.button)
    put(role.ButtonText, PALETTE.text)
    put(role.BrightText, PALETTE.accent_text)
    put(role.Highlight, PALETTE.accent)
    put(role.HighlightedText, PALETTE.accent_text)
    put(role.Link, PALETTE.link)
    put(role.ToolTipBase, PALETTE.base)
    put(role.ToolTipText, PALETTE.text)
    put(role.Mid, PALETTE.control_border)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor(PALETTE.disabled_text))
    p.setColor(group.Disabled, role.Button, QColor(PALETTE.disabled_window))
    return p


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(clinic_palette())
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)
    icons = icons_dir().as_posix()
    app.setStyleSheet(read_text("style.qss").replace("@ICONS@", icons))


def _pixmap(svg: str, colour: str, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode("utf-8")))
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@cache
def icon(name: str, tone: Tone = Tone.NORMAL) -> QIcon:
    """A Lucide icon drawn in the tone's colour, white when selected, grey when disabled."""
    svg = icon_svg(name)
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen else 1.0
    result = QIcon()
    for size in (16, 20, 24, 32, 48, 64):
        result.addPixmap(_pixmap(svg, _TONE_COLOURS[tone], size, ratio), QIcon.Mode.Normal)
        result.addPixmap(_pixmap(svg, PALETTE.accent_text, size, ratio), QIcon.Mode.Selected)
        result.addPixmap(_pixmap(svg, PALETTE.disabled_text, size, ratio), QIcon.Mode.Disabled)
    return result


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.2 contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
