"""GUI fixtures: offscreen Qt (set in tests/conftest.py), themed once, isolated per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from clinic_desk.app import ClinicDesk, desk_services
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.shell import install_shell_behaviour
from clinic_desk.ui.theme import apply_theme
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import SeededClinic, seed_clinic

# The offscreen platform says it cannot raise windows or pass size hints to a window
# manager (there is none). Only those exact messages are tolerated; any other warning fails.
OFFSCREEN_LIMITS = r"^This plugin does not support (propagateSizeHints|raise)\(\)$"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_LIMITS, extend=True))


@pytest.fixture(scope="session", autouse=True)
def themed_app(qapp: QApplication) -> QApplication:
    apply_theme(qapp)
    # The application-wide habits (Enter presses buttons, windows fit the screen) as in
    # start_gui, so every window under test behaves as it does for people.
    install_shell_behaviour(qapp)
    return qapp


@pytest.fixture
def dialogs() -> FakeDialogService:
    return FakeDialogService()


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def services(sqlite_core: ClinicDesk) -> DeskServices:
    return desk_services(sqlite_core)


@pytest.fixture
def seeded(sqlite_core: ClinicDesk) -> SeededClinic:
    return seed_clinic(sqlite_core)
