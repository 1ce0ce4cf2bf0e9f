"""The clinic's treatment protocol: the shipped example values until an administrator
saves a reviewed version; every saved version is kept (sessions name the version they
were checked against) and audited with its hash."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from clinic_desk.catalogue_treatment import CURRENT_PROTOCOL_VERSION, read_exact_json
from clinic_desk.catalogue_treatment import protocol as shipped_protocol
from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.course import CourseDefaults
from clinic_desk.domain.errors import ConcurrentEditError, ValidationError
from clinic_desk.domain.protocol import NOT_OFFERED, DepthLimit, Protocol, parse_protocol
from clinic_desk.domain.quantities import format_quantity
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import ProtocolVersionView
from clinic_desk.shipped import read_resource_text
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_treatment import ProtocolVersion
from clinic_desk.storage.unit_of_work import STALE_MESSAGE, UnitOfWork

PairLimits = Mapping[tuple[str, str], DepthLimit | None]


def _shipped_text(version: int) -> str:
    return read_resource_text("protocol", f"protocol-v{version}.json")


def _decimal_text(value: object) -> str:
    return format_quantity(value)  # type: ignore[arg-type]


def _parse(text: str, where: str) -> Protocol:
    try:
        return parse_protocol(read_exact_json(text, where))
    except CatalogueError as exc:
        raise ValidationError(exc.problem, field=exc.where or None) from None


class ProtocolService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._cache: dict[int, Protocol] = {}

    def current_in(self, uow: UnitOfWork) -> Protocol:
        """The protocol sessions are checked against now (inside a caller's unit of work)."""
        latest = uow.treatment.latest_protocol_version()
        if latest is None:
            return shipped_protocol(CURRENT_PROTOCOL_VERSION)
        return self._stored(latest)

    def version_in(self, uow: UnitOfWork, version: int) -> Protocol:
        """Any version, stored or shipped: a session's protocol as it was checked."""
        row = uow.treatment.protocol_version(version)
        return shipped_protocol(version) if row is None else self._stored(row)

    def _stored(self, row: ProtocolVersion) -> Protocol:
        found = self._cache.get(row.version)
        if found is None:
            found = self._cache[row.version] = _parse(row.protocol_json, "protocol")
        return found

    def current(self, actor: SignedInStaff) -> Protocol:
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="protocol.viewed", entity_type="protocol"
        ) as (uow, _):
            return self.current_in(uow)

    def version(self, actor: SignedInStaff, version: int) -> Protocol:
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="protocol.viewed", entity_type="protocol"
        ) as (uow, _):
            return self.version_in(uow, version)

    def versions(self, actor: SignedInStaff) -> list[ProtocolVersionView]:
        """The shipped version, then every saved one, oldest first."""
        with self._ctx.authorized(
            actor, Permission.VIEW_CLINIC, action="protocol.viewed", entity_type="protocol"
        ) as (uow, _):
            names = {s.id: s.full_name for s in uow.staff.all()}
            shipped = shipped_protocol(CURRENT_PROTOCOL_VERSION)
            views = [
                ProtocolVersionView(
                    CURRENT_PROTOCOL_VERSION,
                    0,
                    "Shipped example values",
                    None,
                    "",
                    shipped.example_values,
                )
            ]
            for row in uow.treatment.protocol_versions():
                views.append(
                    ProtocolVersionView(
                        row.version,
                        row.based_on,
                        row.note,
                        row.recorded_at,
                        names.get(row.recorded_by, "?"),
                        self._stored(row).example_values,
                    )
                )
            return views

    def save(
        self,
        actor: SignedInStaff,
        *,
        based_on: int,
        limits: PairLimits,
        note: str,
        reviewed: bool = False,
        courses: Mapping[str, CourseDefaults] | None = None,
        maintenance_after_months: int | None = None,
    ) -> ProtocolVersionView:
        """Save the protocol with these (area, indication) limits changed as its next
        version. `based_on` is the version the administrator edited: if another one was
        saved meanwhile, nothing is saved (reload). `reviewed` drops the example mark.
        `courses` changes the clinic's course defaults: key "" for every indication, or an
        indication's key for its own (intervals in whole weeks); with
        `maintenance_after_months`, when the recall comes."""
        written = check_text(note, field="note", label="note", kind=TextKind.MULTILINE).strip()
        if not written:
            raise ValidationError("Write what changed and why.", field="note")
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.EDIT_PROTOCOL,
            action="protocol.saved",
            entity_type="protocol",
            write=True,
        ) as (uow, _):
            latest = uow.treatment.latest_protocol_version()
            current_version = latest.version if latest else CURRENT_PROTOCOL_VERSION
            if based_on != current_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            base = latest.protocol_json if latest else _shipped_text(CURRENT_PROTOCOL_VERSION)
            raw: dict[str, Any] = read_exact_json(base, "protocol")
            new_version = current_version + 1
            raw["version"] = new_version
            for (area, indication), limit in limits.items():
                row = raw.get("limits", {}).get(area)
                if not isinstance(row, dict) or indication not in row:
                    raise ValidationError(
                        "Choose an area and indication from the protocol.",
                        field=f"limits.{area}.{indication}",
                    )
                row[indication] = (
                    NOT_OFFERED
                    if limit is None
                    else {"default_mm": limit.default_mm, "max_mm": limit.maximum_mm}
                )
            _set_courses(raw, courses or {}, maintenance_after_months)
            if reviewed:
                raw["example_values"] = False
                raw["notice"] = f"Reviewed by {actor.full_name}: {written}"
            text = json.dumps(raw, ensure_ascii=False, indent=1, default=_decimal_text)
            _parse(text, "protocol")
            row_out = ProtocolVersion(
                version=new_version,
                based_on=current_version,
                protocol_json=text,
                note=written,
                recorded_at=now,
                recorded_by=actor.staff_id,
            )
            uow.treatment.add(row_out)
            uow.audit.append(
                AuditEvent(
                    "protocol.saved",
                    "protocol",
                    new_version,
                    staff_id=actor.staff_id,
                    detail=f"version {new_version} from {current_version}",
                ),
                at=now,
                records=[row_out],
            )
            uow.commit()
            return ProtocolVersionView(
                new_version,
                current_version,
                written,
                now,
                actor.full_name,
                self._stored(row_out).example_values,
            )


def _set_courses(
    raw: dict[str, Any], courses: Mapping[str, CourseDefaults], months: int | None
) -> None:
    table: dict[str, Any] = raw.setdefault("courses", {})
    if months is not None:
        table["maintenance_after_months"] = months
    for indication, defaults in courses.items():
        if defaults.interval_min_days % 7 or defaults.interval_max_days % 7:
            raise ValidationError(
                "Course intervals are set in whole weeks.",
                field=f"courses.{indication or 'default'}.interval_weeks",
            )
        block = (
            table
            if not indication
            else table.setdefault("by_indication", {}).setdefault(indication, {})
        )
        block["sessions"] = {
            "planned": defaults.planned_sessions,
            "min": defaults.min_sessions,
            "max": defaults.max_sessions,
        }
        block["interval_weeks"] = {
            "min": defaults.interval_min_days // 7,
            "max": defaults.interval_max_days // 7,
        }
