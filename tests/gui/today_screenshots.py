"""Today, the day view, the week view and a room's queue, on a booked Monday, at
1440x900 and 1024x768: python -m tests.gui.today_screenshots [DIR]

Uses the platform Qt is given (run under Xvfb with QT_QPA_PLATFORM=xcb to see real
windows, or offscreen); a throwaway SQLite database.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.app import ClinicDesk, desk_services
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.working_hours import DayHours, Period, WorkingHours
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.ui.areas import Area
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.theme import apply_theme
from clinic_desk.ui.today.today_page import TodayPage
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.helpers.appointments import at, book_clinic
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.waiting import wait_until

SIZES = ((1440, 900), (1024, 768))
PATIENTS = (
    ("Berg", "Anna"), ("Okafor", "Chidi"), ("Ní Bhriain", "Siobhán"), ("Nowak", "Piotr"),
    ("Lindqvist", "Jörg"), ("Dubois", "Amélie"), ("Kowalska", "Zofia"), ("Rossi", "Giulia"),
)


def book_a_monday(core: ClinicDesk, clock: FakeClock) -> tuple[int, int]:
    clinic = book_clinic(core, clock)
    reception = clinic.clinic.reception
    ids = [clinic.zoe, clinic.anna] + [
        core.patients.register(reception, PatientDetails(
            family, given, date(1980 + n, 1 + n, 10), f"+48 600 200 {300 + n}")).patient_id
        for n, (family, given) in enumerate(PATIENTS[1:])]
    plan = [  # hour, minute, length, patient index, practitioner, room, kind
        (8, 30, 60, 0, 0, 0, AppointmentKind.RF_SESSION),
        (9, 0, 30, 1, 1, 1, AppointmentKind.CONSULTATION),
        (9, 45, 45, 2, 0, 0, AppointmentKind.MICRONEEDLING),
        (10, 0, 60, 3, 1, 1, AppointmentKind.MICRONEEDLING),
        (11, 0, 30, 4, 0, 0, AppointmentKind.REVIEW),
        (11, 30, 60, 5, 1, 1, AppointmentKind.MAINTENANCE),
        (13, 0, 75, 6, 0, 0, AppointmentKind.RF_SESSION),
        (14, 30, 30, 7, 1, 1, AppointmentKind.CONSULTATION),
        (15, 0, 60, 1, 0, 1, AppointmentKind.MICRONEEDLING),
    ]
    practitioners = (clinic.practitioner_id, clinic.other_practitioner_id)
    rooms = (clinic.room_1, clinic.room_2)
    # Hours to shade: one with a lunch break on weekdays, one from ten, Tuesday off.
    lunch = (Period(time(13, 30), time(14, 15)),)
    core.appointments.set_working_hours(clinic.clinic.admin, practitioners[0], WorkingHours(
        tuple(DayHours(d, time(8, 30), time(17, 30), lunch) for d in range(5))))
    core.appointments.set_working_hours(clinic.clinic.admin, practitioners[1], WorkingHours(
        tuple(DayHours(d, time(9), time(16)) for d in (0, 2, 3, 4))))
    booked = []
    for day_offset in range(0, 5):
        day = at(0, 0).date() + timedelta(days=day_offset)
        for n, (hour, minute, length, who, by, room, kind) in enumerate(plan):
            if day_offset and (n + day_offset) % 3 == 0:
                continue
            view = core.appointments.book(reception, BookingRequest(
                ids[(who + day_offset) % len(ids)], practitioners[by], rooms[room],
                at(hour, minute, day), length, kind), accept_warnings=True)
            if day_offset == 0:
                booked.append(view)
    clock.now = datetime(2026, 11, 23, 9, 20, tzinfo=UTC)  # 10:20 in Warsaw
    first, second, third = booked[0], booked[1], booked[3]
    core.appointments.check_in(reception, first.appointment_id, expected_version=first.version)
    arrived = core.appointments.check_in(reception, third.appointment_id,
                                         expected_version=third.version)
    core.appointments.hand_over(reception, third.appointment_id, clinic.room_2,
                                expected_version=arrived.version)
    core.appointments.set_status(reception, second.appointment_id, AppointmentStatus.NO_SHOW,
                                 expected_version=second.version)
    last = booked[-1]
    core.appointments.set_status(reception, last.appointment_id, AppointmentStatus.CANCELLED,
                                 expected_version=last.version, reason="Unwell, will call back")
    return clinic.room_2, clinic.clinic.reception.staff_id


def shoot(widget: QWidget, out: Path, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))
    print(f"{name}: {widget.width()}x{widget.height()}")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()
        core = open_core(f"sqlite:///{tmp}/clinic.sqlite3", Path(tmp), clock)
        room_2, _ = book_a_monday(core, clock)
        reception = core.auth.sign_in("reception", STAFF_PASSWORD)
        services = desk_services(core)
        for width, height in SIZES:
            window = MainWindow(services, reception, FakeDialogService(),
                                QSettings(f"{tmp}/ui-{width}.ini", QSettings.Format.IniFormat))
            window.resize(width, height)
            window.show()
            window.enter_area(Area.TODAY)
            page = window.today_page

            def loaded(page: TodayPage = page) -> None:
                """The Today area loads on worker threads: shoot what arrived."""
                wait_until(lambda: (QApplication.processEvents(), not page.loading)[1],
                           what="the Today area to load")

            loaded()
            shoot(window, out, f"today-{width}")
            page.tabs.setCurrentWidget(page.day_view)
            loaded()
            page.day_view.grid.scrollTo(page.day_view.model.index(4, 0))
            shoot(window, out, f"day-{width}")
            page.day_view.columns.setCurrentIndex(1)
            shoot(window, out, f"day-rooms-{width}")
            page.tabs.setCurrentWidget(page.week_view)
            loaded()
            page.week_view.grid.scrollTo(page.week_view.model.index(4, 0))
            shoot(window, out, f"week-{width}")
            page.tabs.setCurrentWidget(page.list)
            page.list.show_room(room_2)
            loaded()
            shoot(window, out, f"room-queue-{width}")
            page.list.show_room(None)
            window.change_feed.stop()
            window.close()
        core.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("shots"))
