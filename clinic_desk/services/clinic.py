"""The clinic profile: read by everyone, changed by administrators."""

from __future__ import annotations

from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize, validate_clinic_details
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ConcurrentEditError, NotFound
from clinic_desk.domain.roles import Permission
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.dto import ClinicProfileView, SignedInStaff
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models import ClinicProfile
from clinic_desk.storage.unit_of_work import STALE_MESSAGE


def _view(profile: ClinicProfile) -> ClinicProfileView:
    return ClinicProfileView(
        name=profile.name,
        address=profile.address,
        phone=profile.phone,
        time_zone=profile.time_zone,
        paper_size=PaperSize(profile.paper_size),
        date_format=DateFormat(profile.date_format),
        intake_max_age_days=profile.intake_max_age_days,
        is_demo=profile.is_demo,
        version=profile.version,
        country=profile.country,
        consent_validity_months=profile.consent_validity_months,
        print_aftercare_on_sign_off=profile.print_aftercare_on_sign_off,
    )


class ClinicService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def profile(self) -> ClinicProfileView | None:
        """The clinic's name and address are shown before sign-in, so no actor is needed."""
        with self._ctx.units() as uow:
            found = uow.clinic.get()
            return _view(found) if found else None

    def update_profile(
        self, actor: SignedInStaff, details: ClinicDetails, *, expected_version: int
    ) -> ClinicProfileView:
        clean = validate_clinic_details(details)
        now = self._ctx.clock()
        with self._ctx.authorized(
            actor,
            Permission.EDIT_CLINIC_PROFILE,
            action="clinic.changed",
            entity_type="clinic_profile",
            write=True,
        ) as (uow, _):
            profile = uow.clinic.get()
            if profile is None:
                raise NotFound("This database has no clinic profile.")
            if profile.version != expected_version:
                raise ConcurrentEditError(STALE_MESSAGE)
            profile.name = clean.name
            profile.address = clean.address
            profile.phone = clean.phone
            profile.time_zone = clean.time_zone
            profile.paper_size = clean.paper_size.value
            profile.date_format = clean.date_format.value
            profile.intake_max_age_days = clean.intake_max_age_days
            profile.country = clean.country
            if clean.print_aftercare_on_sign_off is not None:
                profile.print_aftercare_on_sign_off = clean.print_aftercare_on_sign_off
            if clean.consent_validity_months is not None:
                profile.consent_validity_months = clean.consent_validity_months
            uow.audit.append(
                AuditEvent("clinic.changed", "clinic_profile", profile.id, staff_id=actor.staff_id),
                at=now,
            )
            uow.flush()
            uow.commit()
            return _view(profile)
