"""Every treatment and appointment write opens its unit of work as a writer (on SQLite
BEGIN IMMEDIATE: the write lock is taken before anything is read, so two workstations
never both read, then collide on the upgrade), and the reads stay readers. The services
are built here on a factory that notes each unit's `write` flag (both engines)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import (
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
)
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.working_hours import DayHours, WorkingHours
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.services.appointments import AppointmentService
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.courses import CourseService
from clinic_desk.services.devices import DeviceService
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.sessions import SessionService
from clinic_desk.services.treatment_dto import LotDetails
from clinic_desk.storage.unit_of_work import UnitOfWork
from tests.helpers.appointments import WARSAW
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, fast_hashing
from tests.helpers.sessions import TreatmentClinic, pen_draft, treatment_clinic


@dataclass
class Recording:
    """A units factory that notes the `write` flag of every unit it opens."""

    inner: Callable[..., UnitOfWork]
    flags: list[bool] = field(default_factory=list)

    def __call__(self, *, write: bool = False) -> UnitOfWork:
        self.flags.append(write)
        return self.inner(write=write)

    def taken(self, call: Callable[[], object]) -> list[bool]:
        self.flags.clear()
        call()
        return list(self.flags)


@dataclass
class Services:
    units: Recording
    sessions: SessionService
    events: AdverseEventService
    courses: CourseService
    devices: DeviceService
    protocols: ProtocolService
    book: AppointmentService


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


@pytest.fixture
def s(core: ClinicDesk, clock: FakeClock, t: TreatmentClinic) -> Services:
    units = Recording(core.units)
    ctx = ServiceContext(units=units, clock=clock)  # type: ignore[arg-type]
    protocols = ProtocolService(ctx)
    return Services(
        units,
        SessionService(ctx, protocols, core.screening, fast_hashing(), t.consents),
        AdverseEventService(ctx),
        CourseService(ctx, protocols),
        DeviceService(ctx),
        protocols,
        AppointmentService(ctx, core.screening, protocols),
    )


WRITE, READ = [True], [False]


def test_session_and_adverse_event_writes(t: TreatmentClinic, s: Services) -> None:
    who = t.clinic.practitioner
    signed = s.sessions.sign_off(who, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    taken = s.units.taken
    assert (
        taken(lambda: s.sessions.sign_off(who, t.patient_id, pen_draft(t), password=STAFF_PASSWORD))
        == WRITE
    )
    assert taken(
        lambda: s.sessions.amend(who, signed.session_id, correction="Two passes.",
                                 reason="Miscounted at the time")
    ) == WRITE  # fmt: skip
    assert taken(lambda: s.sessions.list_sessions(who, patient_id=t.patient_id)) == WRITE
    assert taken(lambda: s.sessions.lot_trace(who, "LOT-A1")) == WRITE
    assert taken(lambda: s.sessions.check(who, t.patient_id, pen_draft(t))) == READ
    details = AdverseEventDetails(
        AdverseEventKind.BURN, t.today, EventSeverity.MILD, "Small burn", "Cooled"
    )
    event = s.events.record(who, signed.session_id, details)
    assert taken(lambda: s.events.record(who, signed.session_id, details)) == WRITE
    assert taken(
        lambda: s.events.follow_up(who, event.event_id, FollowUpDetails("Healing"))
    ) == WRITE  # fmt: skip


def test_course_device_lot_and_protocol_writes(t: TreatmentClinic, s: Services) -> None:
    who, admin, taken = t.clinic.practitioner, t.clinic.admin, s.units.taken
    plan = s.courses.defaults(who, "scars")
    course = s.courses.plan(who, t.patient_id, plan)
    assert taken(lambda: s.courses.plan(who, t.patient_id, plan)) == WRITE
    assert taken(
        lambda: s.courses.update(who, course.course_id, plan, notes="", expected_version=1)
    ) == WRITE  # fmt: skip
    assert taken(lambda: s.courses.due_list(t.clinic.reception)) == READ
    device = s.devices.device(who, t.pen_id)
    changed = replace(device.profile, service_due_on=date(2027, 5, 1))
    assert taken(
        lambda: s.devices.update_device(who, t.pen_id, changed, expected_version=1)
    ) == WRITE  # fmt: skip
    assert taken(
        lambda: s.devices.set_device_active(who, t.pen_id, False, expected_version=2)
    ) == WRITE  # fmt: skip
    other = replace(device.profile, serial_number="PEN-002")
    assert taken(lambda: s.devices.add_device(who, other)) == WRITE
    lot = LotDetails("needle", "Needles", "N-1", date(2027, 1, 31))
    added = s.devices.add_lot(who, lot)
    second = LotDetails("needle", "Needles", "N-2", date(2027, 1, 31))
    assert taken(lambda: s.devices.add_lot(who, second)) == WRITE
    assert taken(
        lambda: s.devices.set_lot_active(who, added.lot_id, False, expected_version=1)
    ) == WRITE  # fmt: skip
    assert taken(lambda: s.protocols.save(admin, based_on=1, limits={}, note="Same")) == WRITE
    assert taken(lambda: s.protocols.versions(admin)) == READ


def test_appointment_writes(t: TreatmentClinic, s: Services) -> None:
    admin, desk, taken = t.clinic.admin, t.clinic.reception, s.units.taken
    room = s.book.add_room(admin, "Room 1")
    assert taken(lambda: s.book.add_room(admin, "Room 2")) == WRITE
    assert taken(
        lambda: s.book.change_room(admin, room.room_id, name="Room A", is_active=True,
                                   expected_version=room.version)
    ) == WRITE  # fmt: skip
    who = t.clinic.practitioner.staff_id
    hours = WorkingHours((DayHours(0, time(9), time(17)),))
    assert taken(lambda: s.book.set_working_hours(admin, who, hours)) == WRITE
    start = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)
    request = BookingRequest(t.patient_id, who, room.room_id, start, 30,
                             AppointmentKind.CONSULTATION)  # fmt: skip
    booked = s.book.book(desk, request)
    assert taken(
        lambda: s.book.book(desk, BookingRequest(t.patient_id, who, room.room_id,
                                                 start.replace(hour=11), 30,
                                                 AppointmentKind.CONSULTATION))
    ) == WRITE  # fmt: skip
    assert taken(
        lambda: s.book.set_status(desk, booked.appointment_id, AppointmentStatus.CANCELLED,
                                  expected_version=1, reason="Ill")
    ) == WRITE  # fmt: skip
    assert taken(lambda: s.book.week(desk)) == READ
