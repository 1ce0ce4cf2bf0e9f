"""A session service in memory for the session form: the real guardrails and start
gate over fake devices and lots, sign-off with the password "secret"."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.guardrails import Lot, SessionSettings, ToleratedRf, check_session_settings
from clinic_desk.domain.session_record import SessionDraft, copy_settings
from clinic_desk.domain.session_start import ConsentOnFile, StartBlocker, StartCheck
from clinic_desk.domain.setting_findings import SettingsCheck
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import (
    AdverseEventView,
    DeviceView,
    LotView,
    SessionFormData,
    SessionNotStarted,
    SessionView,
    SettingsRefused,
)
from tests.gui.device_fakes import TODAY, FakeRegistry, registry_with_devices, shipped_protocol

PASSWORD = "secret"
NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CONSENT = ConsentOnFile(signed_on=date(2026, 11, 2), covers_rf=True, record_id=1)
NO_CONSENT = StartCheck((StartBlocker(
    "consent_missing", "consent",
    "No signed consent for microneedling: the patient must sign one before treatment."),),
    None)


def device_views(registry: FakeRegistry) -> tuple[DeviceView, ...]:
    return tuple(DeviceView(d.device_id, d.version, d.profile, d.profile.active,
                            d.profile.is_service_overdue(TODAY), NOON)
                 for d in registry.stored.values() if d.profile.active)


def lot_views(registry: FakeRegistry) -> tuple[LotView, ...]:
    return tuple(LotView(lot.lot_id, 1, lot.kind, lot.product, lot.lot_number,
                         lot.expiry_date, True, lot.is_expired) for lot in registry.stored_lots)


@dataclass
class FakeSessionDesk:
    registry: FakeRegistry = field(default_factory=registry_with_devices)
    without_rf: StartCheck = field(default_factory=lambda: StartCheck((), CONSENT))
    with_rf: StartCheck = field(default_factory=lambda: StartCheck((), CONSENT))
    tolerated: tuple[ToleratedRf, ...] = ()
    last: SessionDraft | None = None
    open_events: tuple[AdverseEventView, ...] = ()
    signed: list[SessionView] = field(default_factory=list)
    checks: int = 0

    def form_data(self, actor: SignedInStaff, patient_id: int) -> SessionFormData:
        return SessionFormData(
            patient_id=patient_id, today=TODAY, protocol=shipped_protocol(),
            devices=device_views(self.registry), lots=lot_views(self.registry), courses=(),
            last_session=None, copy_of_last=copy_settings(self.last) if self.last else None,
            open_adverse_events=self.open_events, tolerated_rf=self.tolerated,
            start_without_rf=self.without_rf, start_with_rf=self.with_rf)

    def check(self, actor: SignedInStaff, patient_id: int, draft: SessionDraft) -> SettingsCheck:
        self.checks += 1
        device = self.registry.stored[draft.device_id].profile
        lot = next((Lot(x.product, x.lot_number, x.expiry_date)
                    for x in self.registry.stored_lots if x.lot_id == draft.lot_id), None)
        tolerated = list(self.tolerated)
        spot = draft.test_spot
        if spot is not None and spot.tolerated and device.rf is not None:
            tolerated.append(ToleratedRf(device.model_key, str(device.rf.energy_unit),
                                         spot.rf_energy))
        settings = SessionSettings(TODAY, draft.areas, draft.cartridge_key, lot,
                                   draft.numbing_applied_at, draft.numbing_removed_at)
        return check_session_settings(settings, device, shipped_protocol(), tolerated)

    def sign_off(self, actor: SignedInStaff, patient_id: int, draft: SessionDraft, *,
                 password: str) -> SessionView:
        gate = self.with_rf if draft.uses_rf else self.without_rf
        if not gate.can_start:
            raise SessionNotStarted(gate)
        check = self.check(actor, patient_id, draft)
        if not check.can_save:
            raise SettingsRefused(check)
        if password != PASSWORD:
            raise ValidationError("That is not your password.", field="password")
        device = self.registry.stored[draft.device_id].profile
        view = SessionView(
            session_id=len(self.signed) + 1, patient_id=patient_id, course_id=None,
            session_date=TODAY, started_at=NOON, signed_off_at=NOON, practitioner="Someone",
            device_id=draft.device_id, device_version=1, device_label=device.label,
            cartridge_key=draft.cartridge_key or "", cartridge_label="", lot_id=draft.lot_id,
            lot_number="", lot_expiry=None, protocol_version=1, uses_rf=draft.uses_rf,
            energy_unit="level" if draft.uses_rf else "", settings=draft)
        self.signed.append(view)
        return view


def with_energy(draft: SessionDraft, energy: Decimal) -> SessionDraft:
    return replace(draft, areas=tuple(replace(a, rf_energy=energy) for a in draft.areas))
