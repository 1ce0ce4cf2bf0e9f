"""A success message stays until the person's next action: a refresh from the change
feed (this or another workstation's commit arriving a second later) never wipes it."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.widgets import NoticeBanner
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, register
from tests.helpers.clinic import SeededClinic


def open_window(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
                dialogs: FakeDialogService, ui_settings: QSettings) -> MainWindow:
    window = MainWindow(services, seeded.reception, dialogs, ui_settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_registered_message_outlives_the_change_feed(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given reception registers a patient from the Patients area
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    page = window.patients_page

    def fill_in(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        dialog.form.family_edit.setText("Wiśniewska-Kowalczyk")
        dialog.form.given_edit.setText("Małgorzata")
        dialog.form.birth_edit.setText("07/09/1988")
        dialog.form.phone_edit.setText("+48 601 234 567")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(fill_in)
    page.register_action.trigger()
    said = page.banner.text()
    assert "was registered as P-" in said
    for chart in list(page.charts.windows.values()):
        chart.close()
    # When the change feed brings the registration back a moment later
    assert window.change_feed.poll_now(), "the feed saw the registration"
    # Then the message is still there, word for word
    assert page.banner.text() == said
    # And the person's next action (typing a new search) is what clears it
    page.search_edit.setText("someone else")
    assert page.banner.text() == ""


def test_the_archived_message_in_a_chart_outlives_the_change_feed(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a chart in which reception archives the patient (and confirms)
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    window = open_window(qtbot, services, seeded, dialogs, ui_settings)
    window.change_feed.poll_now()
    chart = window.patients_page.charts.open(patient.patient_id)
    dialogs.confirm_answers.append(True)
    chart.toggle_archived()
    assert chart.banner.text() == "Zoë Ångström-Müller Ferreira de la Fuente (Zozo) was archived."
    # When the feed reloads the chart with what was just committed
    assert window.change_feed.poll_now()
    # Then the message stays, while the chart shows the archived record
    assert chart.banner.text().endswith("was archived.")
    assert chart.record is not None and chart.record.is_archived


def test_a_refresh_clears_a_problem_but_keeps_a_success(qtbot: QtBot) -> None:
    banner = NoticeBanner()
    qtbot.addWidget(banner)
    banner.show_message("danger", "The database could not be reached.")
    banner.clear_problem()
    assert banner.text() == "" and banner.tone() == ""
    banner.show_message("success", "The details were saved.")
    banner.clear_problem()
    assert banner.text() == "The details were saved." and banner.tone() == "success"
    assert banner.accessibleName() == "The details were saved."
