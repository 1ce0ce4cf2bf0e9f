"""What another workstation saves shows up here without anyone pressing Reload."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk, desk_services
from clinic_desk.domain.roles import Role
from clinic_desk.ui.main_window import MainWindow
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import person, register
from tests.helpers.clinic import SAMPLE_CLINIC, FakeClock, SeededClinic


@pytest.fixture
def other_desk(sqlite_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[ClinicDesk]:
    """A second workstation on the same clinic database."""
    desk = open_core(sqlite_url, tmp_path, clock, workstation="reception-2")
    yield desk
    desk.close()


@pytest.fixture
def window(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
    ui_settings: QSettings,
) -> MainWindow:
    main = MainWindow(desk_services(sqlite_core), seeded.admin, dialogs, ui_settings)
    qtbot.addWidget(main)
    main.show()
    return main


# How long another workstation's commit may take to show here.
DEADLINE_MS = 5000


def show_changes_until(qtbot: QtBot, window: MainWindow, condition: Callable[[], bool]) -> None:
    """Polls the change feed (as its timer would) until `condition` holds, with a deadline."""

    def shown() -> None:
        window.change_feed.poll_now()
        assert condition()

    qtbot.waitUntil(shown, timeout=DEADLINE_MS)


def names_listed(window: MainWindow) -> list[str]:
    model = window.patients_page.model
    return [model.row_at(row).display_name for row in range(model.rowCount())]


def test_a_patient_registered_elsewhere_appears_in_the_list(
    qtbot: QtBot, window: MainWindow, other_desk: ClinicDesk, seeded: SeededClinic
) -> None:
    assert names_listed(window) == []
    register(other_desk, seeded.reception, person("Kowalska", "Zofia", date(1979, 4, 1),
                                                   "600 100 200"))
    show_changes_until(qtbot, window, lambda: names_listed(window) == ["Kowalska, Zofia"])


def test_an_open_chart_shows_an_edit_made_elsewhere(
    qtbot: QtBot, window: MainWindow, other_desk: ClinicDesk, seeded: SeededClinic
) -> None:
    record = register(other_desk, seeded.reception,
                      person("Kowalska", "Zofia", date(1979, 4, 1), "600 100 200"))
    show_changes_until(qtbot, window, lambda: names_listed(window) == ["Kowalska, Zofia"])
    chart = window.patients_page.charts.open(record.patient_id)
    changed = dataclasses.replace(record.details, given_name="Zofia Maria")
    other_desk.patients.update(seeded.reception, record.patient_id, changed,
                               expected_version=record.version)
    show_changes_until(
        qtbot, window,
        lambda: chart.record is not None and chart.record.details.given_name == "Zofia Maria",
    )
    assert "Zofia Maria" in chart.name_label.text()


def test_staff_added_elsewhere_appears_for_the_administrator(
    qtbot: QtBot, window: MainWindow, other_desk: ClinicDesk, seeded: SeededClinic
) -> None:
    panel = window.settings_page.staff_panel
    assert panel is not None
    before = panel.model.rowCount()
    other_desk.staff.add_staff(seeded.admin, username="nadia", full_name="Nadia Benali",
                               roles=[Role.PRACTITIONER], password="temporary-9")
    show_changes_until(qtbot, window, lambda: panel.model.rowCount() == before + 1)


def _rename_elsewhere(other_desk: ClinicDesk, seeded: SeededClinic, name: str) -> None:
    profile = other_desk.clinic.profile()
    assert profile is not None
    details = dataclasses.replace(SAMPLE_CLINIC, name=name)
    other_desk.clinic.update_profile(seeded.admin, details, expected_version=profile.version)


def test_clinic_profile_saved_elsewhere_is_shown_when_nothing_is_being_edited(
    qtbot: QtBot, window: MainWindow, other_desk: ClinicDesk, seeded: SeededClinic
) -> None:
    _rename_elsewhere(other_desk, seeded, "Klinika Łódź Południe")
    panel = window.settings_page.clinic_panel
    assert panel is not None
    show_changes_until(
        qtbot, window, lambda: panel.form.name_edit.text() == "Klinika Łódź Południe"
    )
    assert window.windowTitle().startswith("Klinika Łódź Południe")


def test_unsaved_edits_survive_a_change_made_elsewhere(
    qtbot: QtBot, window: MainWindow, other_desk: ClinicDesk, seeded: SeededClinic
) -> None:
    panel = window.settings_page.clinic_panel
    assert panel is not None
    panel.form.name_edit.setText("My unsaved name")
    _rename_elsewhere(other_desk, seeded, "Klinika Łódź Południe")
    show_changes_until(
        qtbot, window, lambda: "changed on another workstation" in panel.banner.text()
    )
    assert panel.form.name_edit.text() == "My unsaved name"
