"""Treatment sessions: the start gate, the settings check, sign-off, amendments, the
session list and the lot trace.

A session is written once, when the practitioner signs it off with their password: the
form holds the draft until then. The start gate (a valid consent covering this
treatment, and that day's screening neither "do not treat" nor with an uncleared
finding) and every guardrail are checked again inside the transaction that writes it,
whatever the screens showed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from clinic_desk.domain.device_json import profile_from_json
from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.errors import ClinicDeskError, NotFound, ValidationError
from clinic_desk.domain.guardrails import (
    Lot,
    SessionSettings,
    ToleratedRf,
    check_session_settings,
    rf_findings,
)
from clinic_desk.domain.quantities import to_thousandths
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.session_record import (
    MAX_PAIN_SCORE,
    SessionDraft,
    copy_settings,
    record_to_json,
    test_spot_field,
)
from clinic_desk.domain.session_start import (
    ConsentOnFile,
    StartCheck,
    check_session_start,
)
from clinic_desk.domain.setting_findings import SettingFinding, SettingsCheck, refuse
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.consents import consent_validity_months, consents_on_file
from clinic_desk.services.context import ServiceContext, clinic_today
from clinic_desk.services.devices import device_view, lot_view
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.screening import ScreeningService
from clinic_desk.services.session_records import SessionRecords
from clinic_desk.services.session_views import ViewBuilder, tolerated_rf
from clinic_desk.services.treatment_dto import (
    SessionFormData,
    SessionNotStarted,
    SessionView,
    SettingsRefused,
)
from clinic_desk.storage.audit_log import AuditEvent
from clinic_desk.storage.models_treatment import Device, TreatmentSession
from clinic_desk.storage.unit_of_work import UnitOfWork

# Every signed consent of a patient, read inside the caller's unit of work.
ConsentLookup = Callable[[UnitOfWork, int], Sequence[ConsentOnFile]]


class SessionService(SessionRecords):
    def __init__(
        self,
        ctx: ServiceContext,
        protocols: ProtocolService,
        screening: ScreeningService,
        hashing: PasswordHashing,
        consents: ConsentLookup = consents_on_file,
    ) -> None:
        self._ctx = ctx
        self._protocols = protocols
        self._screening = screening
        self._hashing = hashing
        self._consents = consents

    # --- before the form opens --------------------------------------------------------

    def start_check(
        self,
        actor: SignedInStaff,
        patient_id: int,
        *,
        uses_rf: bool,
        session_date: date | None = None,
    ) -> StartCheck:
        """May a session (with or without RF) start on that day? The blockers say why not."""
        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            self._patient(uow, patient_id)
            day = session_date or clinic_today(self._ctx, uow)
            return self._start_check(uow, patient_id, uses_rf, day)

    def _start_check(
        self, uow: UnitOfWork, patient_id: int, uses_rf: bool, day: date
    ) -> StartCheck:
        return check_session_start(
            session_date=day,
            uses_rf=uses_rf,
            consents=self._consents(uow, patient_id),
            screening=self._screening.screening_in(
                uow, patient_id, session_date=day, uses_rf=uses_rf
            ),
            consent_validity_months=consent_validity_months(uow),
        )

    def form_data(
        self, actor: SignedInStaff, patient_id: int, *, session_date: date | None = None
    ) -> SessionFormData:
        """Everything the session form needs: devices and lots to choose from, the protocol,
        the last session (and its settings as a new draft), open adverse events with the
        settings then used, the RF energies tolerated before, and both start gates."""
        from clinic_desk.services.courses import course_views

        with self._ctx.viewing(actor, action="session.viewed", patient_id=patient_id) as uow:
            self._patient(uow, patient_id)
            today = clinic_today(self._ctx, uow)
            day = session_date or today
            treatment = uow.treatment
            rows = treatment.sessions(patient_id)
            events = treatment.adverse_events(patient_id=patient_id)
            builder = ViewBuilder(uow)
            last = builder.sessions(rows[-1:])[0] if rows else None
            protocol = self._protocols.current_in(uow)
            return SessionFormData(
                patient_id=patient_id,
                today=today,
                protocol=protocol,
                devices=tuple(device_view(d, day) for d in treatment.devices() if d.is_active),
                lots=tuple(lot_view(lot, day) for lot in treatment.lots() if lot.is_active),
                courses=tuple(
                    c for c in course_views(uow, protocol, patient_id, today) if not c.is_closed
                ),
                last_session=last,
                copy_of_last=copy_settings(last.settings) if last else None,
                open_adverse_events=tuple(e for e in builder.adverse_events(events) if e.is_open),
                tolerated_rf=tuple(tolerated_rf(rows, events)),
                start_without_rf=self._start_check(uow, patient_id, False, day),
                start_with_rf=self._start_check(uow, patient_id, True, day),
            )

    # --- the settings -----------------------------------------------------------------

    def check(self, actor: SignedInStaff, patient_id: int, draft: SessionDraft) -> SettingsCheck:
        """Every finding on the draft's settings, each with its form field (nothing saved)."""
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="session.checked",
            entity_type="patient",
            entity_id=patient_id,
        ) as (uow, _):
            self._patient(uow, patient_id)
            day = draft.session_date or clinic_today(self._ctx, uow)
            return self._evaluate(uow, patient_id, draft, day)[0]

    def _evaluate(
        self, uow: UnitOfWork, patient_id: int, draft: SessionDraft, day: date
    ) -> tuple[SettingsCheck, Device, DeviceProfile]:
        treatment = uow.treatment
        device_row = treatment.device(draft.device_id)
        if device_row is None:
            raise NotFound("That device is not in the registry.")
        device = profile_from_json(device_row.profile_json)
        device = replace(device, active=device_row.is_active)
        extra: list[SettingFinding] = []
        lot = None
        if draft.lot_id is not None:
            lot_row = treatment.lot(draft.lot_id)
            if lot_row is None:
                raise NotFound("That lot is not recorded.")
            lot = Lot(lot_row.product, lot_row.lot_number, lot_row.expiry_date)
            if not lot_row.is_active:
                extra.append(
                    refuse(
                        "lot_withdrawn",
                        "lot",
                        f"Lot {lot_row.lot_number} was withdrawn: choose another lot.",
                    )
                )
        tolerated: list[ToleratedRf] = tolerated_rf(
            treatment.sessions(patient_id), treatment.adverse_events(patient_id=patient_id)
        )
        spot = draft.test_spot
        if spot is not None:
            extra += [
                SettingFinding(f.code, test_spot_field(f.field), f.severity, f.message)
                for f in rf_findings(spot.as_area(), device.rf)
            ]
            if device.rf is not None and spot.tolerated:
                tolerated.append(
                    ToleratedRf(device.model_key, str(device.rf.energy_unit), spot.rf_energy)
                )
            elif not spot.tolerated:
                extra.append(
                    refuse(
                        "test_spot_not_tolerated",
                        "test_spot.tolerated",
                        "The test spot was not tolerated: do not treat at these settings today.",
                    )
                )
        if draft.pain_score is not None and not 0 <= draft.pain_score <= MAX_PAIN_SCORE:
            extra.append(
                refuse(
                    "pain_out_of_range", "pain_score", f"Pain is scored from 0 to {MAX_PAIN_SCORE}."
                )
            )
        if draft.course_id is not None:
            course = treatment.course(draft.course_id)
            if course is None or course.patient_id != patient_id or course.is_closed:
                extra.append(
                    refuse("course_unknown", "course", "Choose one of this patient's open courses.")
                )
        settings = SessionSettings(
            session_date=day,
            areas=draft.areas,
            cartridge=draft.cartridge_key,
            lot=lot,
            numbing_applied_at=draft.numbing_applied_at,
            numbing_removed_at=draft.numbing_removed_at,
        )
        protocol = self._protocols.current_in(uow)
        found = check_session_settings(settings, device, protocol, tolerated)
        return SettingsCheck(found.findings + tuple(extra)), device_row, device

    # --- sign-off ---------------------------------------------------------------------

    def sign_off(
        self, actor: SignedInStaff, patient_id: int, draft: SessionDraft, *, password: str
    ) -> SessionView:
        """Check the gate and the settings again, confirm the practitioner's password, and
        write the session: from then on it can only be amended, never changed.

        Raises `SessionNotStarted` (no valid consent, screening blocks), `SettingsRefused`
        (a finding that blocks saving), `ValidationError` on "password" (wrong password).
        Each refusal is audited; nothing else is written."""
        now = self._ctx.clock()
        for name in ("numbing_product", "immediate_reactions", "notes"):
            check_text(
                getattr(draft, name),
                field=name,
                label=name.replace("_", " "),
                kind=TextKind.MULTILINE,
            )
        for serum in draft.serums:
            check_text(serum, field="serums", label="serum", kind=TextKind.LINE)
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="session.signed_off",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, account):
            self._patient(uow, patient_id)
            today = clinic_today(self._ctx, uow)
            day = draft.session_date or today
            if day > today:
                raise ValidationError(
                    "A session cannot be dated in the future.", field="session_date"
                )

            def refused(detail: str) -> None:
                uow.audit.append(
                    AuditEvent(
                        "session.signed_off",
                        "patient",
                        patient_id,
                        staff_id=actor.staff_id,
                        patient_id=patient_id,
                        outcome="failed",
                        detail=detail[:500],
                    ),
                    at=now,
                )
                uow.commit()

            start = self._start_check(uow, patient_id, draft.uses_rf, day)
            if not start.can_start:
                refused("not started: " + ",".join(b.code for b in start.blockers))
                raise SessionNotStarted(start)
            check, device_row, device = self._evaluate(uow, patient_id, draft, day)
            if not check.can_save:
                refused("refused: " + ",".join(f.code for f in check.findings if f.blocks_saving))
                raise SettingsRefused(check)
            if not self._hashing.verify(account.password_hash, password):
                refused("wrong password")
                raise ValidationError(
                    "That is not your password. Enter it again to sign the session off.",
                    field="password",
                )
            row = self._write(
                uow,
                actor,
                patient_id,
                draft,
                day,
                device_row,
                device,
                consent_record_id=start.consent.record_id if start.consent else None,
            )
            uow.commit()
            return ViewBuilder(uow).sessions([row])[0]

    def _write(
        self,
        uow: UnitOfWork,
        actor: SignedInStaff,
        patient_id: int,
        draft: SessionDraft,
        day: date,
        device_row: Device,
        device: DeviceProfile,
        *,
        consent_record_id: int | None,
        detail: str = "",
    ) -> TreatmentSession:
        """Write the signed-off session and its audit entry (with the row's hash)."""
        now = self._ctx.clock()
        course_id = draft.course_id
        if course_id is None:
            open_courses = [c for c in uow.treatment.courses(patient_id) if not c.is_closed]
            course_id = open_courses[0].id if len(open_courses) == 1 else None
        lot_row = uow.treatment.lot(draft.lot_id) if draft.lot_id is not None else None
        energies = [a.rf_energy for a in draft.areas if a.rf_energy is not None]
        row = TreatmentSession(
            patient_id=patient_id,
            course_id=course_id,
            practitioner_id=actor.staff_id,
            session_date=day,
            started_at=draft.started_at or now,
            signed_off_at=now,
            device_id=device_row.id,
            device_version=device_row.version,
            device_label=device.label,
            device_model_key=device.model_key,
            cartridge_key=draft.cartridge_key or "",
            lot_id=lot_row.id if lot_row else None,
            lot_number=lot_row.lot_number if lot_row else "",
            lot_expiry=lot_row.expiry_date if lot_row else None,
            protocol_version=self._protocols.current_in(uow).version,
            uses_rf=draft.uses_rf,
            energy_unit=str(device.rf.energy_unit) if device.rf and draft.uses_rf else "",
            highest_rf_milli=to_thousandths(max(energies)) if energies else None,
            consent_record_id=consent_record_id,
            record_json=record_to_json(draft),
        )
        uow.treatment.add(row)
        uow.audit.append(
            AuditEvent(
                "session.signed_off",
                "treatment_session",
                row.id,
                staff_id=actor.staff_id,
                patient_id=patient_id,
                detail=detail or ("with RF" if row.uses_rf else "without RF"),
            ),
            at=now,
            records=[row],
        )
        return row

    def record_demo_session(
        self, actor: SignedInStaff, patient_id: int, draft: SessionDraft
    ) -> SessionView:
        """The demo clinic's treatment history (demo clinic only, refused on any real
        clinic): checked against the guardrails like any session, but written without the
        consent gate or a password, dated in the past, as if signed off on that day."""
        with self._ctx.authorized(
            actor,
            Permission.RECORD_TREATMENT,
            action="session.signed_off",
            entity_type="patient",
            entity_id=patient_id,
            write=True,
        ) as (uow, _):
            profile = uow.clinic.get()
            if profile is None or not profile.is_demo:
                raise ClinicDeskError("Demo sessions can only be added to the demo clinic.")
            self._patient(uow, patient_id)
            day = draft.session_date or clinic_today(self._ctx, uow)
            check, device_row, device = self._evaluate(uow, patient_id, draft, day)
            if not check.can_save:
                raise SettingsRefused(check)
            row = self._write(
                uow,
                actor,
                patient_id,
                draft,
                day,
                device_row,
                device,
                consent_record_id=None,
                detail="demo history",
            )
            uow.commit()
            return ViewBuilder(uow).sessions([row])[0]
