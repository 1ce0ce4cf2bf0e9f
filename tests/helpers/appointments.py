"""A clinic ready for the appointment book: two practitioners, reception, two rooms,
two registered patients, and the clock on a Monday morning at the clinic (Warsaw)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.roles import Role
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.services.dto import SignedInStaff
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, SeededClinic, seed_clinic

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = date(2026, 11, 23)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    """A wall-clock time at the clinic."""
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


@dataclass(frozen=True)
class BookClinic:
    clinic: SeededClinic
    second_practitioner: SignedInStaff
    practitioner_id: int
    other_practitioner_id: int
    room_1: int
    room_2: int
    anna: int
    zoe: int

    def request(
        self,
        start: datetime,
        minutes: int = 30,
        *,
        patient: int | None = None,
        practitioner: int | None = None,
        room: int | None = None,
        kind: AppointmentKind = AppointmentKind.CONSULTATION,
        course_id: int | None = None,
    ) -> BookingRequest:
        return BookingRequest(
            patient_id=self.anna if patient is None else patient,
            practitioner_id=self.practitioner_id if practitioner is None else practitioner,
            room_id=self.room_1 if room is None else room,
            start=start,
            length_minutes=minutes,
            kind=kind,
            course_id=course_id,
        )


def book_clinic(core: ClinicDesk, clock: FakeClock) -> BookClinic:
    clock.now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Warsaw, a Monday
    clinic = seed_clinic(core)
    core.staff.add_staff(
        clinic.admin,
        username="second",
        full_name="Dr Zoë Ångström-Müller Ferreira de la Fuente",
        roles=(Role.PRACTITIONER,),
        password=STAFF_PASSWORD,
        temporary=False,
    )
    second = core.auth.sign_in("second", STAFF_PASSWORD)
    room_1 = core.appointments.add_room(clinic.admin, "Room 1").room_id
    room_2 = core.appointments.add_room(clinic.admin, "Room 2").room_id
    anna = core.patients.register(
        clinic.reception, PatientDetails("Berg", "Anna", date(1990, 5, 1), "+48 600 100 300")
    ).patient_id
    zoe = core.patients.register(
        clinic.reception,
        PatientDetails("Ångström-Müller", "Zoë", date(1985, 3, 14), "+48 600 100 200"),
    ).patient_id
    return BookClinic(
        clinic,
        second,
        clinic.practitioner.staff_id,
        second.staff_id,
        room_1,
        room_2,
        anna,
        zoe,
    )
