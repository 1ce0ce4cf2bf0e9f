"""Every import points down: the layers of the architecture, read from the source itself.

Each module's imports are read with `ast` (at module level, inside functions and under
`TYPE_CHECKING` alike), so an upward arrow cannot hide behind a lazy or typing-only import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import clinic_desk

PACKAGE = Path(clinic_desk.__file__).parent
QT = ("PySide6", "shiboken6")
LAYERS = ("domain", "storage", "services", "documents", "ui")
# What each layer must never import (besides Qt, which only ui/ may use).
_ENTRY = ("clinic_desk.app", "clinic_desk.cli", "clinic_desk.cli_maintenance")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": ("clinic_desk.storage", "clinic_desk.services", "clinic_desk.documents",
               "clinic_desk.ui", *_ENTRY),
    "storage": ("clinic_desk.services", "clinic_desk.documents", "clinic_desk.ui", *_ENTRY),
    "services": ("clinic_desk.ui", *_ENTRY),
    "documents": ("clinic_desk.storage", "clinic_desk.ui", *_ENTRY),
    "ui": _ENTRY,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, package: str) -> Iterator[str]:
    """Every module an import in `source` may load, relative imports resolved against
    `package` (the package the file lives in)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                stem = ".".join([*parts, node.module] if node.module else parts)
            else:
                stem = node.module or ""
            yield stem
            # `from clinic_desk import app` loads the module clinic_desk.app.
            yield from (f"{stem}.{alias.name}" for alias in node.names)


def imports_of(path: Path) -> Iterator[str]:
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imported_names(path.read_text(encoding="utf-8"), package)


def reaches(name: str, target: str) -> bool:
    return name == target or name.startswith(target + ".")


def upward_imports(layer: str) -> list[str]:
    found: list[str] = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            targets = FORBIDDEN[layer] + (() if layer == "ui" else QT)
            found.extend(f"{module_name(path)} imports {name}"
                         for target in targets if reaches(name, target))
    return found


def test_the_reader_sees_lazy_typing_only_and_relative_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from clinic_desk.app import ClinicDesk\n"
        "def later() -> None:\n    import PySide6.QtCore\n"
        "from .. import cli\n"
        "from .widgets import label\n"
    )
    names = set(imported_names(source, "clinic_desk.ui"))
    assert {"clinic_desk.app", "PySide6.QtCore", "clinic_desk.cli",
            "clinic_desk.ui.widgets"} <= names


def test_every_layer_is_there() -> None:
    # A renamed folder would otherwise make the checks below pass on nothing.
    for layer in LAYERS:
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
    assert any((PACKAGE / "ui").rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down(layer: str) -> None:
    # ui/ never reaches up to the composition root; nothing below ui/ knows of Qt or ui/.
    assert upward_imports(layer) == []


def test_only_the_composition_root_and_the_command_line_import_the_root() -> None:
    importers = [module_name(path) for path in sorted(PACKAGE.rglob("*.py"))
                 if any(reaches(name, "clinic_desk.app") for name in imports_of(path))]
    # The command line is cli.py and its maintenance, day and session verbs beside it; the
    # `clinic-desk` entry point (desktop.py) opens the database behind the sign-in window.
    assert importers == [
        "clinic_desk.cli", "clinic_desk.cli_day", "clinic_desk.cli_maintenance",
        "clinic_desk.cli_sessions", "clinic_desk.desktop",
    ]


def test_shared_top_level_modules_know_nothing_of_qt_or_ui() -> None:
    # The command line and the catalogues load without Qt; only app.start_gui and the
    # desktop start it hands over to (desktop.py, inside functions) reach it.
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in ("app.py", "desktop.py"):
            continue
        names = list(imports_of(path))
        assert not [n for n in names if any(reaches(n, t) for t in (*QT, "clinic_desk.ui"))], \
            module_name(path)
