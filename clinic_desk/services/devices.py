"""The device registry and the consumable lots: administrators and practitioners edit,
everyone reads. Every device change is a new revision, audited with its hash; devices
are deactivated, never deleted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.catalogue_data import FieldProblem
from clinic_desk.domain.device_catalogue import DeviceCatalogue
from clinic_desk.domain.device_json import profile_from_json, profile_to_json
from clinic_desk.domain.devices import DeviceProfile, device_problems
from clinic_desk.domain.errors import (
    ClinicDeskError,
    ConcurrentEditError,
    NotFound,
    ValidationError,
)
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import (
    DeviceRevisionView,
    DeviceView,
    LotDetails,
    LotKind,
    LotView,
)
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_treatment import ConsumableLot, Device, DeviceRevision
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork


class DeviceProblems(ValidationError):
    """A profile that cannot be saved: every problem, each with its field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = tuple(problems)


def device_view(row: Device, today: date) -> DeviceView:
    profile = replace(profile_from_json(row.profile_json), active=row.is_active)
    return DeviceView(
        device_id=row.id,
        version=row.version,
        profile=profile,
        is_active=row.is_active,
        service_overdue=profile.is_service_overdue(today),
        updated_at=row.updated_at,
    )


def lot_view(row: ConsumableLot, today: date) -> LotView:
    return LotView(
        lot_id=row.id,
        version=row.version,
        kind=row.kind,
        product=row.product,
        lot_number=row.lot_number,
        expiry_date=row.expiry_date,
        is_active=row.is_active,
        is_expired=today > row.expiry_date,
    )


class DeviceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def example_devices(self) -> DeviceCatalogue:
        """The shipped example profiles to start a new device from (clearly marked)."""
        return example_devices()

    @staticmethod
    def problems(profile: DeviceProfile) -> list[FieldProblem]:
        """Every problem with a profile, for inline messages as it is typed (no database)."""
        return device_problems(profile)

    # --- devices ----------------------------------------------------------------------

    def devices(self, actor: SignedInStaff, *, include_inactive: bool = True) -> list[DeviceView]:
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="device.listed", entity_type="device"
        ) as (uow, _):
            today = clinic_today(self._ctx, uow)
            return [
                device_view(d, today)
                for d in uow.treatment.devices()
                if include_inactive or d.is_active
            ]

    def device(self, actor: SignedInStaff, device_id: int) -> DeviceView:
        with self._ctx.authorized(
            actor,
            Permission.VIEW_CLINIC,
            action="device.viewed",
            entity_type="device",
            entity_id=device_id,
        ) as (uow, _):
            return device_view(self._get(uow, device_id), clinic_today(self._ctx, uow))

    def history(self, actor: SignedInStaff, device_id: int) -> list[DeviceRevisionView]:
        """Every saved version of a device, oldest first."""
        with self._ctx.authorized(
            actor,
            Permission.VIEW_CLINIC,
            action="device.viewed",
            entity_type="device",
            entity_id=device_id,
        ) as (uow, _):
            self._get(uow, device_id)
            names = {s.id: s.full_name for s in uow.staff.all()}
            return [
                DeviceRevisionView(
                    version=r.version,
                    profile=replace(profile_from_json(r.profile_json), active=r.is_active),
                    is_active=r.is_active,
                    recorded_at=r.recorded_at,
                    recorded_by=names.get(r.recorded_by, "?"),
                )
                for r in uow.treatment.device_revisions(device_id)
            ]

    def add_device(self, actor: SignedInStaff, profile: DeviceProfile) -> DeviceView:
        now = self._ctx.clock()
        profile = _checked(profile)
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_DEVICES,
            action="device.added",
            entity_type="device",
            write=True,
        ) as (uow, _):
            row = Device(
                kind=profile.kind.value,
                make=profile.make,
                model=profile.model,
                serial_number=profile.serial_number,
                profile_json=profile_to_json(profile),
                is_active=profile.active,
                service_due_on=profile.service_due_on,
                created_at=now,
                updated_at=now,
            )
            uow.treatment.add(row)
            self._revise(uow, actor, row, "device.added")
            uow.commit()
            return device_view(row, clinic_today(self._ctx, uow))

    def update_device(
        self, actor: SignedInStaff, device_id: int, profile: DeviceProfile, *, expected_version: int
    ) -> DeviceView:
        """Save a changed profile (its `active` flag included) as the device's next version."""
        profile = _checked(profile)
        with self._changing(actor, device_id, expected_version) as (uow, row):
            row.kind = profile.kind.value
            row.make, row.model = profile.make, profile.model
            row.serial_number = profile.serial_number
            row.profile_json = profile_to_json(profile)
            row.is_active = profile.active
            row.service_due_on = profile.service_due_on
            row.updated_at = self._ctx.clock()
            uow.flush()
            self._revise(uow, actor, row, "device.changed")
            uow.commit()
            return device_view(row, clinic_today(self._ctx, uow))

    def set_device_active(
        self, actor: SignedInStaff, device_id: int, active: bool, *, expected_version: int
    ) -> DeviceView:
        """Deactivate (or bring back) a device; its sessions keep pointing at it."""
        with self._changing(actor, device_id, expected_version) as (uow, row):
            row.is_active = active
            row.updated_at = self._ctx.clock()
            uow.flush()
            self._revise(
                uow, actor, row, "device.changed", detail="reactivated" if active else "deactivated"
            )
            uow.commit()
            return device_view(row, clinic_today(self._ctx, uow))

    @contextmanager
    def _changing(
        self, actor: SignedInStaff, device_id: int, expected_version: int
    ) -> Iterator[tuple[UnitOfWork, Device]]:
        """The device row to change, in a write unit of work audited as
        "device.changed", refused when another workstation saved it first."""
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_DEVICES,
            action="device.changed",
            entity_type="device",
            entity_id=device_id,
            write=True,
        ) as (uow, _):
            row = self._get(uow, device_id)
            if row.version != expected_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            yield uow, row

    def _revise(
        self, uow: UnitOfWork, actor: SignedInStaff, row: Device, action: str, detail: str = ""
    ) -> None:
        now = self._ctx.clock()
        revision = DeviceRevision(
            device_id=row.id,
            version=row.version,
            profile_json=row.profile_json,
            is_active=row.is_active,
            recorded_at=now,
            recorded_by=actor.staff_id,
        )
        uow.treatment.add(revision)
        uow.audit.append(
            AuditEvent(
                action,
                "device",
                row.id,
                staff_id=actor.staff_id,
                detail=detail or f"version {row.version}",
            ),
            at=now,
            records=[revision],
        )

    @staticmethod
    def _get(uow: UnitOfWork, device_id: int) -> Device:
        row = uow.treatment.device(device_id)
        if row is None:
            raise NotFound("That device is not in the registry.")
        return row

    # --- lots -------------------------------------------------------------------------

    def lots(self, actor: SignedInStaff) -> list[LotView]:
        """Every lot, soonest expiry first; expired and withdrawn ones marked (not usable)."""
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="lot.listed", entity_type="lot"
        ) as (uow, _):
            today = clinic_today(self._ctx, uow)
            return [lot_view(lot, today) for lot in uow.treatment.lots()]

    def add_lot(self, actor: SignedInStaff, details: LotDetails) -> LotView:
        product = check_text(
            details.product, field="product", label="product", kind=TextKind.LINE
        ).strip()
        number = check_text(
            details.lot_number, field="lot_number", label="lot number", kind=TextKind.LINE
        ).strip()
        if details.kind not in LotKind.ALL:
            raise ValidationError("Choose cartridge, needle or roller.", field="kind")
        if not product:
            raise ValidationError("Enter the product name.", field="product")
        if not number:
            raise ValidationError("Enter the lot number printed on the box.", field="lot_number")
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor, Permission.MANAGE_DEVICES, action="lot.added", entity_type="lot", write=True
        ) as (uow, _):
            if uow.treatment.lot_by_number(product, number) is not None:
                raise ValidationError(
                    f"Lot {number} of {product} is already recorded.", field="lot_number"
                )
            row = ConsumableLot(
                kind=details.kind,
                product=product,
                lot_number=number,
                expiry_date=details.expiry_date,
                is_active=True,
                created_at=now,
                created_by=actor.staff_id,
            )
            uow.treatment.add(row)
            uow.audit.append(
                AuditEvent(
                    "lot.added",
                    "lot",
                    row.id,
                    staff_id=actor.staff_id,
                    detail=f"{product} lot {number}, use by {details.expiry_date}",
                ),
                at=now,
            )
            uow.commit()
            return lot_view(row, clinic_today(self._ctx, uow))

    def set_lot_active(
        self, actor: SignedInStaff, lot_id: int, active: bool, *, expected_version: int
    ) -> LotView:
        """Withdraw a lot (recall, damaged box) or bring it back; it stays traceable."""
        with self._ctx.authorized(
            actor,
            Permission.MANAGE_DEVICES,
            action="lot.changed",
            entity_type="lot",
            entity_id=lot_id,
            write=True,
        ) as (uow, _):
            row = uow.treatment.lot(lot_id)
            if row is None:
                raise NotFound("That lot is not recorded.")
            if row.version != expected_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            if row.is_active == active:
                raise ClinicDeskError(
                    "The lot is already " + ("in use." if active else "withdrawn.")
                )
            row.is_active = active
            uow.flush()
            uow.audit.append(
                AuditEvent(
                    "lot.changed",
                    "lot",
                    lot_id,
                    staff_id=actor.staff_id,
                    detail="back in use" if active else "withdrawn",
                ),
                at=self._ctx.clock(),
            )
            uow.commit()
            return lot_view(row, clinic_today(self._ctx, uow))


def _checked(profile: DeviceProfile) -> DeviceProfile:
    for name in ("make", "model", "serial_number"):
        check_text(
            getattr(profile, name), field=name, label=name.replace("_", " "), kind=TextKind.LINE
        )
    check_text(profile.notes, field="notes", label="notes", kind=TextKind.MULTILINE)
    problems = device_problems(profile)
    if problems:
        raise DeviceProblems(problems)
    return replace(
        profile,
        make=profile.make.strip(),
        model=profile.model.strip(),
        serial_number=profile.serial_number.strip(),
    )
