"""Protocol versions pinned exactly (both engines): the shipped version and each saved one
in the list, field by field; what a saved version holds (limits changed, a pair withdrawn,
the reviewed notice, course defaults per indication and in whole weeks, the recall); each
audit entry (saved, refused); and every refusal's message with nothing saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.course import CourseDefaults
from clinic_desk.domain.errors import (
    ConcurrentEditError,
    PermissionDenied,
    SessionLocked,
    ValidationError,
)
from clinic_desk.domain.protocol import DepthLimit
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.treatment_dto import ProtocolVersionView
from tests.helpers.clinic import FakeClock, SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

D = Decimal
CHEEKS = ("cheeks", "scars")



def test_the_versions_list_starts_with_the_shipped_one(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    protocols: ProtocolService = core.protocols
    shipped = ProtocolVersionView(1, 0, "Shipped example values", None, "", True)
    assert protocols.versions(clinic.reception) == [shipped]
    clock.advance(timedelta(hours=2))
    saved = protocols.save(
        clinic.admin, based_on=1, limits={CHEEKS: DepthLimit(D("1.25"), D("1.5"))},
        note="  Shallower on cheeks \n",
    )  # fmt: skip
    assert saved == ProtocolVersionView(
        2, 1, "Shallower on cheeks", clock(), "Zoë Ångström-Müller", True
    )
    reviewed = protocols.save(
        clinic.admin, based_on=2, limits={}, note="Checked against our device", reviewed=True
    )
    assert reviewed == ProtocolVersionView(
        3, 2, "Checked against our device", clock(), "Zoë Ångström-Müller", False
    )
    assert protocols.versions(clinic.reception) == [shipped, saved, reviewed]
    current = protocols.current(clinic.reception)
    assert current.version == 3 and not current.example_values
    assert current.notice == "Reviewed by Zoë Ångström-Müller: Checked against our device"
    assert current.limit(*CHEEKS) == DepthLimit(D("1.25"), D("1.5"))
    assert protocols.version(clinic.reception, 2).example_values
    assert protocols.version(clinic.reception, 1).limit(*CHEEKS) == DepthLimit(D("1.5"), D("2"))
    assert protocols.version(clinic.reception, 2).limit(*CHEEKS) == DepthLimit(D("1.25"), D("1.5"))


def test_a_pair_can_be_withdrawn_and_others_are_kept(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    before = core.protocols.current(clinic.reception)
    core.protocols.save(clinic.admin, based_on=1, limits={CHEEKS: None}, note="No scars there")
    after = core.protocols.current(clinic.reception)
    assert after.limit(*CHEEKS) is None
    assert {k: v for k, v in after.limits.items() if k != CHEEKS} == {
        k: v for k, v in before.limits.items() if k != CHEEKS
    }


def test_saving_is_audited_and_refusals_name_the_action(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    before = entry_count(core)
    core.protocols.save(clinic.admin, based_on=1, limits={}, note="First")
    core.protocols.save(clinic.admin, based_on=2, limits={}, note="Second")
    admin = clinic.admin.staff_id
    with pytest.raises(PermissionDenied):
        core.protocols.save(clinic.practitioner, based_on=3, limits={}, note="Mine")
    core.auth.lock_session(clinic.reception)
    with pytest.raises(SessionLocked):
        core.protocols.current(clinic.reception)
    with pytest.raises(SessionLocked):
        core.protocols.versions(clinic.reception)
    with pytest.raises(SessionLocked):
        core.protocols.version(clinic.reception, 1)
    reception = clinic.reception.staff_id
    locked = Entry("protocol.viewed", "protocol", None, reception, None, "denied", "session locked")
    assert entries(core, after=before) == [
        Entry("protocol.saved", "protocol", "2", admin, None, "success", "version 2 from 1"),
        Entry("protocol.saved", "protocol", "3", admin, None, "success", "version 3 from 2"),
        Entry("protocol.saved", "protocol", None, clinic.practitioner.staff_id, None, "denied",
              "roles=practitioner"),
        Entry("staff.session_locked", "staff_account", str(reception), reception, None,
              "success", ""),
        locked,
        locked,
        locked,
    ]  # fmt: skip


def test_each_refusal_saves_nothing(core: ClinicDesk, clinic: SeededClinic) -> None:
    admin = clinic.admin
    with refused(ValidationError, "Write what changed and why.") as note:
        core.protocols.save(admin, based_on=1, limits={}, note=" \n ")
    assert note.value.field == "note"
    with refused(ValidationError, "Choose an area and indication from the protocol.") as pair:
        core.protocols.save(admin, based_on=1, limits={("cheeks", "tattoo"): None}, note="x")
    assert pair.value.field == "limits.cheeks.tattoo"
    with refused(ValidationError, "Choose an area and indication from the protocol.") as area:
        core.protocols.save(admin, based_on=1, limits={("elbow", "scars"): None}, note="x")
    assert area.value.field == "limits.elbow.scars"
    with refused(ValidationError, "Course intervals are set in whole weeks.") as weeks:
        core.protocols.save(
            admin, based_on=1, limits={}, note="x", courses={"": CourseDefaults(5, 3, 6, 22, 42)}
        )
    assert weeks.value.field == "courses.default.interval_weeks"
    with refused(ValidationError, "Course intervals are set in whole weeks.") as upper:
        core.protocols.save(
            admin,
            based_on=1,
            limits={},
            note="x",
            courses={"scars": CourseDefaults(5, 3, 6, 21, 43)},
        )
    assert upper.value.field == "courses.scars.interval_weeks"
    with pytest.raises(ConcurrentEditError):
        core.protocols.save(admin, based_on=2, limits={}, note="x")
    with pytest.raises(ConcurrentEditError):
        core.protocols.save(admin, based_on=0, limits={}, note="x")
    assert [v.version for v in core.protocols.versions(admin)] == [1]


def test_course_defaults_per_indication_and_the_recall(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    core.protocols.save(
        clinic.admin,
        based_on=1,
        limits={},
        note="Scars: 4 sessions 5 to 7 weeks apart",
        courses={"scars": CourseDefaults(4, 2, 5, 35, 49)},
    )
    courses = core.protocols.current(clinic.reception).courses
    scars = courses.for_indication("scars")
    assert (scars.planned_sessions, scars.min_sessions, scars.max_sessions) == (4, 2, 5)
    assert (scars.interval_min_days, scars.interval_max_days) == (35, 49)
    assert courses.for_indication("fine_lines").planned_sessions == 3  # unchanged
    assert courses.maintenance_after_months == 12  # not given: kept
    core.protocols.save(
        clinic.admin, based_on=2, limits={}, note="Recall at 6 months", maintenance_after_months=6
    )
    again = core.protocols.current(clinic.reception).courses
    assert again.maintenance_after_months == 6
    assert again.for_indication("scars").planned_sessions == 4  # kept from version 2
