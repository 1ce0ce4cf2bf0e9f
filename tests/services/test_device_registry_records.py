"""The device registry and lots pinned exactly (both engines): each audit entry (added,
changed, deactivated, reactivated, lot added, withdrawn, back in use, refused), what a
device view and a revision hold, the profile's text trimmed and checked with its label,
the service date and a lot's expiry at the clinic's today (one before, on, one after),
the lot refusals' messages, and lookups of unknown devices and lots."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.errors import (
    ClinicDeskError,
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    SessionLocked,
    ValidationError,
)
from clinic_desk.services.devices import DeviceProblems, DeviceService
from clinic_desk.services.treatment_dto import LotDetails, LotKind, LotView
from tests.helpers.clinic import FakeClock, SeededClinic
from tests.services.audit_fields import Entry, entries, entry_count
from tests.services.exact import refused

TODAY = date(2026, 11, 22)  # the fake clock's day at the clinic



def _pen(serial: str = "PEN-9") -> DeviceProfile:
    return replace(example_devices().device("example-pen").profile, serial_number=serial)


def test_lot_kinds_are_cartridge_needle_and_roller() -> None:
    assert (LotKind.CARTRIDGE, LotKind.NEEDLE, LotKind.ROLLER) == ("cartridge", "needle", "roller")
    assert LotKind.ALL == ("cartridge", "needle", "roller")


def test_a_device_is_added_trimmed_and_audited_with_its_version(
    core: ClinicDesk, clinic: SeededClinic, clock: FakeClock
) -> None:
    devices: DeviceService = core.devices
    before = entry_count(core)
    pen = replace(_pen(), make=" Example ", model=" Pen X ", serial_number="  PEN-9 ")
    added = devices.add_device(clinic.practitioner, pen)
    assert (added.profile.make, added.profile.model, added.profile.serial_number) == (
        "Example",
        "Pen X",
        "PEN-9",
    )
    assert (added.version, added.is_active, added.updated_at) == (1, True, clock())
    assert devices.device(clinic.reception, added.device_id) == added
    clock.advance(timedelta(hours=1))
    off = devices.set_device_active(clinic.admin, added.device_id, False, expected_version=1)
    assert (off.version, off.is_active, off.profile.active, off.updated_at) == (
        2,
        False,
        False,
        clock(),
    )
    on = devices.set_device_active(clinic.admin, added.device_id, True, expected_version=2)
    assert on.is_active and on.profile.active
    changed = devices.update_device(
        clinic.practitioner,
        added.device_id,
        replace(on.profile, model="Pen Y", active=False),
        expected_version=3,
    )
    assert (changed.version, changed.profile.model, changed.is_active) == (4, "Pen Y", False)
    device = str(added.device_id)
    who, admin = clinic.practitioner.staff_id, clinic.admin.staff_id
    assert entries(core, after=before) == [
        Entry("device.added", "device", device, who, None, "success", "version 1"),
        Entry("device.changed", "device", device, admin, None, "success", "deactivated"),
        Entry("device.changed", "device", device, admin, None, "success", "reactivated"),
        Entry("device.changed", "device", device, who, None, "success", "version 4"),
    ]
    history = devices.history(clinic.reception, added.device_id)
    assert [(h.version, h.is_active, h.profile.active, h.recorded_by) for h in history] == [
        (1, True, True, "Dr Łucja Wiśniewska"),
        (2, False, False, "Zoë Ångström-Müller"),
        (3, True, True, "Zoë Ångström-Müller"),
        (4, False, False, "Dr Łucja Wiśniewska"),
    ]
    assert history[1].recorded_at == clock() and history[3].profile.model == "Pen Y"


def test_a_profile_with_bad_text_is_refused_by_its_label(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    with refused(
        ValidationError,
        "The serial number contains a null character, which cannot be stored. "
        "Remove it and type the text again.",
    ) as bad:
        core.devices.add_device(clinic.practitioner, _pen("PEN\x009"))
    assert bad.value.field == "serial_number"
    with refused(
        ValidationError,
        "The notes contains a null character, which cannot be stored. "
        "Remove it and type the text again.",
    ) as notes:
        core.devices.add_device(clinic.practitioner, replace(_pen(), notes="a\x00b"))
    assert notes.value.field == "notes"
    with pytest.raises(DeviceProblems) as blank:
        core.devices.add_device(clinic.practitioner, replace(_pen(), make="  "))
    assert blank.value.field == "make"
    assert core.devices.devices(clinic.reception) == []


def test_the_service_date_is_overdue_only_after_the_clinics_today(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    added = core.devices.add_device(clinic.practitioner, _pen())
    version = added.version
    for due, overdue in ((TODAY + timedelta(days=1), False), (TODAY, False)):
        view = core.devices.update_device(
            clinic.practitioner,
            added.device_id,
            replace(added.profile, service_due_on=due),
            expected_version=version,
        )
        version = view.version
        assert view.service_overdue is overdue, due
        assert core.devices.devices(clinic.reception)[0].service_overdue is overdue
    late = core.devices.update_device(
        clinic.practitioner,
        added.device_id,
        replace(added.profile, service_due_on=TODAY - timedelta(days=1)),
        expected_version=version,
    )
    assert late.service_overdue


def test_unknown_devices_and_stale_versions_are_refused(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    added = core.devices.add_device(clinic.practitioner, _pen())
    missing = added.device_id + 1
    for call in (
        lambda: core.devices.device(clinic.reception, missing),
        lambda: core.devices.history(clinic.reception, missing),
        lambda: core.devices.update_device(
            clinic.practitioner, missing, _pen(), expected_version=1
        ),
        lambda: core.devices.set_device_active(
            clinic.practitioner, missing, False, expected_version=1
        ),
    ):
        with refused(NotFound, "That device is not in the registry."):
            call()
    with pytest.raises(ConcurrentEditError):
        core.devices.set_device_active(
            clinic.practitioner, added.device_id, False, expected_version=2
        )
    assert core.devices.device(clinic.reception, added.device_id).version == 1


def test_refusals_name_the_device_action(core: ClinicDesk, clinic: SeededClinic) -> None:
    added = core.devices.add_device(clinic.practitioner, _pen())
    device = str(added.device_id)
    staff = clinic.reception.staff_id
    before = entry_count(core)
    with pytest.raises(PermissionDenied):
        core.devices.add_device(clinic.reception, _pen("PEN-10"))
    with pytest.raises(PermissionDenied):
        core.devices.update_device(clinic.reception, added.device_id, _pen(), expected_version=1)
    with pytest.raises(PermissionDenied):
        core.devices.set_device_active(clinic.reception, added.device_id, False, expected_version=1)
    with pytest.raises(PermissionDenied):
        core.devices.set_lot_active(clinic.reception, 5, False, expected_version=1)
    core.auth.lock_session(clinic.reception)
    for call in (
        lambda: core.devices.devices(clinic.reception),
        lambda: core.devices.device(clinic.reception, added.device_id),
        lambda: core.devices.history(clinic.reception, added.device_id),
        lambda: core.devices.lots(clinic.reception),
    ):
        with pytest.raises(SessionLocked):
            call()
    denied, locked = "roles=reception", "session locked"
    assert entries(core, after=before) == [
        Entry("device.added", "device", None, staff, None, "denied", denied),
        Entry("device.changed", "device", device, staff, None, "denied", denied),
        Entry("device.changed", "device", device, staff, None, "denied", denied),
        Entry("lot.changed", "lot", "5", staff, None, "denied", denied),
        Entry("staff.session_locked", "staff_account", str(staff), staff, None, "success", ""),
        Entry("device.listed", "device", None, staff, None, "denied", locked),
        Entry("device.viewed", "device", device, staff, None, "denied", locked),
        Entry("device.viewed", "device", device, staff, None, "denied", locked),
        Entry("lot.listed", "lot", None, staff, None, "denied", locked),
    ]


def _lot(number: str = "LOT-7", expiry: date = TODAY, kind: str = "needle") -> LotDetails:
    return LotDetails(kind, "Sterile needles 36G", number, expiry)


def test_a_lot_is_added_trimmed_and_audited(core: ClinicDesk, clinic: SeededClinic) -> None:
    before = entry_count(core)
    lot = core.devices.add_lot(
        clinic.practitioner, LotDetails("roller", "  Roller 0.5 mm ", " R-1 ", TODAY)
    )
    assert lot == LotView(lot.lot_id, 1, "roller", "Roller 0.5 mm", "R-1", TODAY, True, False)
    assert entries(core, after=before) == [
        Entry("lot.added", "lot", str(lot.lot_id), clinic.practitioner.staff_id, None, "success",
              "Roller 0.5 mm lot R-1, use by 2026-11-22"),
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):
        core.devices.add_lot(clinic.reception, _lot())
    assert entries(core)[-1] == Entry(
        "lot.added", "lot", None, clinic.reception.staff_id, None, "denied", "roles=reception"
    )


def test_a_lot_expires_the_day_after_its_printed_date(
    core: ClinicDesk, clinic: SeededClinic
) -> None:
    yesterday = core.devices.add_lot(clinic.practitioner, _lot("A", TODAY - timedelta(days=1)))
    today = core.devices.add_lot(clinic.practitioner, _lot("B", TODAY))
    tomorrow = core.devices.add_lot(clinic.practitioner, _lot("C", TODAY + timedelta(days=1)))
    assert (yesterday.is_expired, today.is_expired, tomorrow.is_expired) == (True, False, False)
    listed = {lot.lot_number: lot.is_expired for lot in core.devices.lots(clinic.reception)}
    assert listed == {"A": True, "B": False, "C": False}


def test_lot_refusals_and_their_messages(core: ClinicDesk, clinic: SeededClinic) -> None:
    who = clinic.practitioner
    with refused(ValidationError, "Choose cartridge, needle or roller.") as kind:
        core.devices.add_lot(who, _lot(kind="ampoule"))
    assert kind.value.field == "kind"
    with refused(ValidationError, "Enter the product name.") as product:
        core.devices.add_lot(who, replace(_lot(), product="  "))
    assert product.value.field == "product"
    with refused(ValidationError, "Enter the lot number printed on the box.") as number:
        core.devices.add_lot(who, _lot(" "))
    assert number.value.field == "lot_number"
    with refused(
        ValidationError,
        "The lot number contains a null character, which cannot be stored. "
        "Remove it and type the text again.",
    ):
        core.devices.add_lot(who, _lot("A\x00"))
    with pytest.raises(ValidationError) as two_lines:
        core.devices.add_lot(who, _lot("A-1\nA-2"))
    assert two_lines.value.field == "lot_number"  # one line only
    first = core.devices.add_lot(who, _lot())
    with refused(ValidationError, "Lot LOT-7 of Sterile needles 36G is already recorded."):
        core.devices.add_lot(who, _lot(" LOT-7 "))
    other_product = core.devices.add_lot(who, replace(_lot(), product="Other needles"))
    assert other_product.lot_number == first.lot_number
    before = entry_count(core)
    with refused(ClinicDeskError, "The lot is already in use."):
        core.devices.set_lot_active(who, first.lot_id, True, expected_version=1)
    withdrawn = core.devices.set_lot_active(who, first.lot_id, False, expected_version=1)
    assert (withdrawn.is_active, withdrawn.version) == (False, 2)
    with refused(ClinicDeskError, "The lot is already withdrawn."):
        core.devices.set_lot_active(who, first.lot_id, False, expected_version=2)
    with pytest.raises(ConcurrentEditError):
        core.devices.set_lot_active(who, first.lot_id, True, expected_version=1)
    back = core.devices.set_lot_active(who, first.lot_id, True, expected_version=2)
    assert back.is_active and back.usable
    with refused(NotFound, "That lot is not recorded."):
        core.devices.set_lot_active(who, other_product.lot_id + 1, True, expected_version=1)
    lot = str(first.lot_id)
    assert entries(core, after=before) == [
        Entry("lot.changed", "lot", lot, who.staff_id, None, "success", "withdrawn"),
        Entry("lot.changed", "lot", lot, who.staff_id, None, "success", "back in use"),
    ]
