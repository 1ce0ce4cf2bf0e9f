"""Builds the Today area from the desk's services: the appointment book, the patient
search for booking, the charts for consents and the session form, the due list's CSV."""

from __future__ import annotations

from collections.abc import Sequence

from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.patients.chart import ChartWindows
from clinic_desk.ui.sessions.due_list import DueListPage
from clinic_desk.ui.today.today_page import TodayPage


def today_page(services: DeskServices, actor: SignedInStaff, dialogs: DialogService, *,
               due: DueListPage, charts: ChartWindows) -> TodayPage:
    def find_patients(text: str) -> Sequence[tuple[int, str]]:
        if not text.strip():
            return ()
        return [(row.patient_id, row.display_name)
                for row in services.patients.search(actor, text, limit=20).rows]

    def open_consents(patient_id: int) -> None:
        window = charts.open(patient_id)
        if window.consents is not None:
            window.tabs.setCurrentWidget(window.consents.panel)

    def open_session(patient_id: int) -> None:
        charts.open(patient_id).start_session()

    return TodayPage(
        services.appointments, actor, dialogs, due=due, find_patients=find_patients,
        open_consents=open_consents, open_session=open_session,
        due_csv=lambda: services.appointments.due_csv(actor, services.courses),
        today=services.screening.today)  # the clinic's date, by the services' clock
