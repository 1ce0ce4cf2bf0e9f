"""Devices, lots, courses and sessions as the PostgreSQL workstation role: everything the
app does works with `db grant`'s rights, and nothing more does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.domain.adverse_events import AdverseEventDetails, AdverseEventKind, EventSeverity
from clinic_desk.services.audit import verify_audit_log
from tests.conftest import open_core
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.pg_roles import RoleUrls
from tests.helpers.sessions import rf_draft, treatment_clinic

pytestmark = pytest.mark.postgresql

REFUSED = [
    "UPDATE treatment_session SET record_json = '{}'",
    "DELETE FROM treatment_session",
    "TRUNCATE treatment_session CASCADE",
    "UPDATE device_revision SET profile_json = '{}'",
    "DELETE FROM device",
    "DELETE FROM consumable_lot",
    "DELETE FROM course",
    "UPDATE adverse_event SET severity = 'mild'",
    "DELETE FROM session_amendment",
    "UPDATE protocol_version SET note = 'x'",
]


def test_sessions_work_as_the_workstation_role_and_the_guards_hold(
    least_privilege: RoleUrls, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(least_privilege.workstation, tmp_path, clock)
    t = treatment_clinic(core, clock)
    plan = core.courses.defaults(t.clinic.practitioner, "scars")
    course = core.courses.plan(t.clinic.practitioner, t.patient_id, plan)
    view = t.sessions.sign_off(
        t.clinic.practitioner, t.patient_id, rf_draft(t), password=STAFF_PASSWORD
    )
    t.sessions.amend(t.clinic.practitioner, view.session_id, correction="Two passes",
                     reason="Miscounted at the time")
    clock.advance(timedelta(days=1))
    t.events.record(
        t.clinic.practitioner, view.session_id,
        AdverseEventDetails(AdverseEventKind.BURN, t.today, EventSeverity.MILD, "Red patch",
                            "Cooled"),
    )
    core.courses.close(t.clinic.practitioner, course.course_id, reason="Moved away",
                       expected_version=course.version)
    device = core.devices.device(t.clinic.admin, t.pen_id)
    core.devices.set_device_active(t.clinic.admin, t.pen_id, False,
                                   expected_version=device.version)
    assert verify_audit_log(core.units).ok
    for statement in REFUSED:
        with (
            pytest.raises(DBAPIError, match=r"permission denied|append-only"),
            core.engine.begin() as conn,
        ):
            conn.execute(text(statement))
    assert verify_audit_log(core.units).ok
    core.close()
