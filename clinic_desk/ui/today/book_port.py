"""What the Today area and the appointment book ask of the appointment service.

`services.appointments` (p13a's AppointmentService) satisfies it; tests give a fake.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.services.appointment_dto import (
    AppointmentView,
    BookingCheck,
    BookingRequest,
    CourseProposal,
    DayBook,
    RoomView,
)
from clinic_desk.services.dto import SignedInStaff


class AppointmentBook(Protocol):
    def day(self, actor: SignedInStaff, on: date | None = None) -> DayBook: ...

    def week(self, actor: SignedInStaff, on: date | None = None) -> DayBook: ...

    def rooms(self, actor: SignedInStaff) -> list[RoomView]: ...

    def check(self, actor: SignedInStaff, request: BookingRequest,
              appointment_id: int | None = None) -> BookingCheck: ...

    def book(self, actor: SignedInStaff, request: BookingRequest, *,
             accept_warnings: bool = False) -> AppointmentView: ...

    def move(self, actor: SignedInStaff, appointment_id: int, *, start: object,
             length_minutes: int, expected_version: int, practitioner_id: int | None = None,
             room_id: int | None = None, accept_warnings: bool = False) -> AppointmentView: ...

    def set_status(self, actor: SignedInStaff, appointment_id: int, wanted: AppointmentStatus,
                   *, expected_version: int, reason: str = "") -> AppointmentView: ...

    def check_in(self, actor: SignedInStaff, appointment_id: int, *,
                 expected_version: int) -> AppointmentView: ...

    def hand_over(self, actor: SignedInStaff, appointment_id: int, room_id: int, *,
                  expected_version: int) -> AppointmentView: ...

    def propose(self, actor: SignedInStaff, course_id: int, practitioner_id: int,
                length_minutes: int = 60) -> CourseProposal: ...

    def propose_for_patient(self, actor: SignedInStaff, patient_id: int,
                            practitioner_id: int, length_minutes: int = 60
                            ) -> CourseProposal | None: ...
