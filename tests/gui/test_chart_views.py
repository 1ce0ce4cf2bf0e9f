"""Opening a chart in the GUI leaves its trace: who opened the details, the medical
history, the screening and the sessions, as an administrator then reads it."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.patients.chart import ChartWindows
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import SeededClinic


def test_opening_a_chart_is_on_the_patients_access_history(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    record = services.patients.register(
        seeded.reception, PatientDetails("Kowalczyk", "Marzena", date(1979, 3, 14), "601222333"))
    charts = ChartWindows(services, seeded.practitioner, dialogs,
                          date_format=DateFormat.DAY_MONTH_YEAR_SLASH, time_zone="Europe/Warsaw")
    window = charts.open(record.patient_id)
    qtbot.addWidget(window)
    window.reload()  # a refresh a moment later is part of the same look
    looks = [(e.staff_name, e.action) for e in
             services.audit.for_patient(seeded.admin, record.patient_id)]
    assert looks == [
        ("Dr Łucja Wiśniewska", "screening.viewed"),
        ("Dr Łucja Wiśniewska", "intake.viewed"),
        ("Dr Łucja Wiśniewska", "patient.viewed"),
        ("Dr Łucja Wiśniewska", "session.viewed"),
        ("Jonas Müller", "patient.registered"),
    ]
