"""The clinic's date format and medical-history validity in Settings; the demo's patients."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.ui.context import DEMO_PATIENTS, DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patients.search_model import PatientColumn
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import person, register
from tests.helpers.clinic import SeededClinic


def test_date_format_and_intake_validity_are_edited_in_the_clinic_profile(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given a patient and the main window of an administrator
    register(sqlite_core, seeded.reception, person("Kowalska", "Ewa", date(1980, 5, 17),
                                                   "+48 601 000 111"))
    window = MainWindow(services, seeded.admin, dialogs, ui_settings)
    qtbot.addWidget(window)
    panel = window.settings_page.clinic_panel
    assert panel is not None
    panel.reload()
    form = panel.form
    assert form.date_format_combo.currentData() == DateFormat.DAY_MONTH_YEAR_SLASH.value
    assert form.intake_days_spin.value() == 90
    # When ISO dates and 120 days are chosen and saved
    form.date_format_combo.setCurrentIndex(form.date_format_combo.findData(DateFormat.ISO.value))
    form.intake_days_spin.setValue(120)
    assert panel.save_button.isEnabled()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    # Then the profile holds them, and the patients list shows dates the new way
    profile = sqlite_core.clinic.profile()
    assert profile is not None
    assert profile.date_format is DateFormat.ISO and profile.intake_max_age_days == 120
    model = window.patients_page.model
    assert model.data(model.index(0, PatientColumn.DATE_OF_BIRTH)) == "1980-05-17"


def test_the_demo_clinic_comes_with_demo_patients_once(services: DeskServices) -> None:
    # When the demo clinic is loaded (as the first-start button does), twice
    services.load_demo()
    reception = services.demo.reception_account()
    # (and the two patients on a course of treatment, services/demo_treatment.py)
    assert services.patients.count(reception) == DEMO_PATIENTS + 2
    services.load_demo()
    # Then its patients were added only the first time
    assert services.patients.count(reception) == DEMO_PATIENTS + 2
    assert len(services.patients.search(reception, "").rows) == 50
