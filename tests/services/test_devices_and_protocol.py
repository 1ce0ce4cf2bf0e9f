"""The device registry, lots and the protocol through the services (both engines): who
may edit, every change a new audited version, deactivate never delete, stale writes,
and the history tables refusing UPDATE and DELETE in the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.app import ClinicDesk
from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.devices import DeviceProfile, SettingRange
from clinic_desk.domain.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desk.domain.protocol import DepthLimit
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.devices import DeviceProblems
from clinic_desk.services.treatment_dto import LotDetails
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, SeededClinic
from tests.helpers.sessions import TreatmentClinic, pen_draft, rf_draft, treatment_clinic

D = Decimal



def _pen(serial: str = "PEN-9") -> DeviceProfile:
    return replace(example_devices().device("example-pen").profile, serial_number=serial)


def test_devices_are_versioned_audited_and_never_deleted(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    added = core.devices.add_device(clinic.practitioner, _pen())
    assert added.version == 1 and added.is_active
    changed = core.devices.update_device(
        clinic.admin,
        added.device_id,
        replace(added.profile, service_due_on=date(2026, 11, 1)),
        expected_version=added.version,
    )
    assert changed.version == 2 and changed.service_overdue  # the clinic's today is 22 Nov
    with pytest.raises(ConcurrentEditError):
        core.devices.update_device(
            clinic.practitioner, added.device_id, added.profile, expected_version=1
        )
    retired = core.devices.set_device_active(
        clinic.practitioner, added.device_id, False, expected_version=changed.version
    )
    assert not retired.is_active and not retired.profile.active
    assert [d.device_id for d in core.devices.devices(clinic.reception)] == [added.device_id]
    assert core.devices.devices(clinic.reception, include_inactive=False) == []
    history = core.devices.history(clinic.reception, added.device_id)
    assert [(h.version, h.is_active) for h in history] == [(1, True), (2, True), (3, False)]
    assert history[0].recorded_by == "Dr Łucja Wiśniewska"
    assert verify_audit_log(core.units).ok


def test_reception_reads_the_registry_but_cannot_edit_it(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    with pytest.raises(PermissionDenied):
        core.devices.add_device(clinic.reception, _pen())
    with pytest.raises(PermissionDenied):
        core.devices.add_lot(
            clinic.reception, LotDetails("cartridge", "Cartridge", "L1", date(2027, 1, 1))
        )
    assert core.devices.lots(clinic.reception) == []


def test_an_invalid_profile_names_every_field(core: ClinicDesk, clinic: SeededClinic) -> None:
    pen = replace(
        _pen(),
        serial_number="",
        depth_mm=SettingRange(D("0.25"), D("2.6"), D("0.25")),
    )
    with pytest.raises(DeviceProblems) as refused:
        core.devices.add_device(clinic.practitioner, pen)
    assert [p.field for p in refused.value.problems] == ["serial_number", "depth_mm.step"]
    assert refused.value.field == "serial_number"
    assert core.devices.devices(clinic.practitioner) == []


def test_lots_are_unique_per_product_and_can_be_withdrawn(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    details = LotDetails("cartridge", "Sterile cartridge", " LOT-7 ", date(2026, 11, 22))
    lot = core.devices.add_lot(clinic.practitioner, details)
    assert lot.lot_number == "LOT-7" and lot.usable  # usable on its expiry day itself
    with pytest.raises(ValidationError) as twice:
        core.devices.add_lot(clinic.admin, details)
    assert twice.value.field == "lot_number"
    withdrawn = core.devices.set_lot_active(
        clinic.practitioner, lot.lot_id, False, expected_version=lot.version
    )
    assert not withdrawn.usable and not withdrawn.is_expired


def test_the_protocol_is_edited_by_administrators_as_new_versions(
    core: ClinicDesk, clock: FakeClock
) -> None:
    t: TreatmentClinic = treatment_clinic(core, clock)
    admin, practitioner = t.clinic.admin, t.clinic.practitioner
    shipped = core.protocols.current(practitioner)
    assert shipped.version == 1 and shipped.example_values
    limit = {("cheeks", "scars"): DepthLimit(D("1.25"), D("1.5"))}
    with pytest.raises(PermissionDenied):
        core.protocols.save(practitioner, based_on=1, limits=limit, note="Shallower")
    with pytest.raises(ValidationError) as invalid:
        core.protocols.save(
            admin, based_on=1, limits={("cheeks", "scars"): DepthLimit(D("1"), D("4"))},
            note="Too deep",
        )
    assert invalid.value.field == "limits.cheeks.scars.max_mm"
    saved = core.protocols.save(admin, based_on=1, limits=limit, note="Shallower on cheeks",
                                reviewed=True)
    assert saved.version == 2 and not saved.example_values
    with pytest.raises(ConcurrentEditError):
        core.protocols.save(admin, based_on=1, limits=limit, note="Stale")
    assert [v.version for v in core.protocols.versions(admin)] == [1, 2]
    assert core.protocols.version(admin, 1).limit("cheeks", "scars") == DepthLimit(
        D("1.5"), D("2")
    )
    # Sessions are now checked against version 2, and record it.
    check = t.sessions.check(practitioner, t.patient_id, pen_draft(t))
    assert check.can_save
    deeper = pen_draft(t, areas=(replace(pen_draft(t).areas[0], needle_depth_mm=D("1.75")),))
    check = t.sessions.check(practitioner, t.patient_id, deeper)
    assert "above_area_maximum" in check.codes
    view = t.sessions.sign_off(practitioner, t.patient_id, pen_draft(t), password=STAFF_PASSWORD)
    assert view.protocol_version == 2
    assert verify_audit_log(core.units).ok


HISTORY_TABLES = (
    "device_revision",
    "protocol_version",
    "treatment_session",
    "session_amendment",
    "adverse_event",
    "adverse_event_followup",
)


def test_every_history_table_refuses_update_and_delete(
    core: ClinicDesk, clock: FakeClock
) -> None:
    from clinic_desk.domain.adverse_events import (
        AdverseEventDetails,
        AdverseEventKind,
        EventSeverity,
        FollowUpDetails,
    )

    t = treatment_clinic(core, clock)
    core.protocols.save(t.clinic.admin, based_on=1,
                        limits={("cheeks", "scars"): DepthLimit(D("1.5"), D("2"))}, note="Same")
    view = t.sessions.sign_off(t.clinic.practitioner, t.patient_id, rf_draft(t),
                               password=STAFF_PASSWORD)
    t.sessions.amend(t.clinic.practitioner, view.session_id, correction="Passes were 3",
                     reason="Miscounted at the time")
    event = t.events.record(
        t.clinic.practitioner, view.session_id,
        AdverseEventDetails(AdverseEventKind.BURN, t.today, EventSeverity.MILD,
                            "Small burn", "Cooled"),
    )
    t.events.follow_up(t.clinic.practitioner, event.event_id, FollowUpDetails("Healing"))
    for table in HISTORY_TABLES:
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
                conn.execute(text(statement))
        if core.engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="append-only"), core.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {table} CASCADE"))
        with core.engine.connect() as conn:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() >= 1, table


def test_the_clinics_course_defaults_are_edited_in_the_protocol(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    from clinic_desk.domain.course import CourseDefaults

    core.protocols.save(
        clinic.admin,
        based_on=1,
        limits={},
        note="Our courses: 5 sessions, 3 to 6 weeks apart, recall after 9 months",
        courses={"": CourseDefaults(5, 3, 6, 21, 42)},
        maintenance_after_months=9,
    )
    plan = core.courses.defaults(clinic.practitioner, "large_pores")
    assert (plan.planned_sessions, plan.interval_min_days, plan.interval_max_days) == (5, 21, 42)
    assert plan.maintenance_after_months == 9
    scars = core.courses.defaults(clinic.practitioner, "scars")
    assert (scars.planned_sessions, scars.interval_min_days) == (6, 21)  # its own count
    with pytest.raises(ValidationError) as weeks:
        core.protocols.save(
            clinic.admin, based_on=2, limits={}, note="Ten days",
            courses={"scars": CourseDefaults(6, 3, 6, 10, 42)},
        )
    assert weeks.value.field == "courses.scars.interval_weeks"
