"""Which day it is for the services: the clinic's own date in its time zone, and the
workstation's date before any clinic is set up; on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from clinic_desk.app import ClinicDesk
from tests.helpers.clinic import FakeClock, seed_clinic


def test_before_a_clinic_is_set_up_today_is_the_workstations_date(
    core: ClinicDesk, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert core.clinic.profile() is None
    assert core.screening.today() == clock.now.astimezone().date()


def test_the_clinic_day_turns_at_midnight_where_the_clinic_is(
    core: ClinicDesk, clock: FakeClock
) -> None:
    seed_clinic(core)  # in Łódź: Europe/Warsaw, one hour ahead of UTC in November
    clock.now = datetime(2026, 11, 22, 22, 59, tzinfo=UTC)
    assert core.screening.today() == date(2026, 11, 22)
    clock.now = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert core.screening.today() == date(2026, 11, 23)
