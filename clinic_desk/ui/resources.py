"""Where the shipped resources are: inside the installed package, or in a source checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_SOURCE_TREE = Path(__file__).parents[2] / "resources"


@cache
def resource_root() -> Traversable:
    """`clinic_desk.resources` when installed; the checkout's `resources/` otherwise.

    An editable install maps the package through a finder that may not expose the
    folder, so the source tree is the fallback rather than an error.
    """
    try:
        root = resources.files("clinic_desk.resources")
        if root.joinpath("style.qss").is_file():
            return root
    except (ModuleNotFoundError, TypeError):
        pass
    return _SOURCE_TREE


def icons_dir() -> Path:
    """A real folder for the style sheet's url(): installed wheels unpack to files."""
    candidate = Path(str(resource_root())) / "icons"
    return candidate if candidate.is_dir() else _SOURCE_TREE / "icons"


def read_text(*parts: str) -> str:
    return resource_root().joinpath(*parts).read_text(encoding="utf-8")


def icon_svg(name: str) -> str:
    """The SVG text of one icon from `resources/icons/` (the Lucide set, ISC licence)."""
    return read_text("icons", f"{name}.svg")
