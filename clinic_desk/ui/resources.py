"""The UI's resources: the style sheet and the icons, via the shared `clinic_desk.shipped`
(installed package first, the checkout's `resources/` as fallback)."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from clinic_desk.shipped import resource_root


def _find(*parts: str) -> Traversable:
    # One part per joinpath: Python 3.11's MultiplexedPath accepts only one.
    found = resource_root()
    for part in parts:
        found = found.joinpath(part)
    return found


def read_text(*parts: str) -> str:
    return _find(*parts).read_text(encoding="utf-8")


def icon_svg(name: str) -> str:
    """The SVG text of one icon from `resources/icons/` (the Lucide set, ISC licence)."""
    return read_text("icons", f"{name}.svg")


def icons_dir() -> Path:
    """A real folder for the style sheet's url(): installed and checked-out resources
    are both plain files."""
    return Path(str(_find("icons")))
