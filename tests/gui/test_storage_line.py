"""Settings says, read-only, where the data is, whether the connection is encrypted and
where the backups go."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.settings.page import SettingsPage
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import SeededClinic


def test_settings_shows_the_backup_folder_and_the_connection(
    qtbot: QtBot, sqlite_core: ClinicDesk, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, tmp_path: Path,
) -> None:
    for actor in (seeded.admin, seeded.reception):
        page = SettingsPage(services, actor, dialogs)
        qtbot.addWidget(page)
        page.resize(1200, 760)
        page.show()
        text = page.storage_line.text()
        assert page.backup_folder_label.text() == str(tmp_path / "backups")
        assert page.backup_folder_label.toolTip() == str(tmp_path / "backups")
        assert "Connection: No network: a file on this computer" in text
        assert sqlite_core.settings.location.describe() in text
        assert page.storage_line.accessibleName() == "Where the data is kept"
    page.grab().save("/work/team/shots/i9a/settings-storage-line.png")


def test_a_long_backup_folder_never_breaks_mid_path(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    folder = "/srv/" + "/".join(f"Zoë Ångström-Müller {n}" for n in range(12)) + "/backups"
    page = SettingsPage(dataclasses.replace(services, backup_folder=folder), seeded.admin,
                        dialogs)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    shown = page.backup_folder_label
    # the path is not in a wrapping sentence: one line, shortened, whole in its tooltip
    assert folder not in page.storage_line.text()
    assert (shown.text(), shown.toolTip()) == (folder, folder)
    assert shown.height() < 2 * shown.fontMetrics().lineSpacing()
    assert shown.geometry().right() <= page.width()
    assert page.width() == 1024
