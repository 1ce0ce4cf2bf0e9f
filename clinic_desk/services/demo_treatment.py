"""The demo clinic's treatment room: devices with and without RF, lots (one expired),
two patients on a course of treatment with signed-off sessions with and without RF,
one amendment and one adverse event. Added once; a reloaded demo keeps what it has."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.adverse_events import (
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
)
from clinic_desk.domain.course import plan_course
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.roles import Role
from clinic_desk.domain.session_record import Endpoint, SessionDraft, TestSpot
from clinic_desk.services.consent_dto import MICRONEEDLING_FORM, MICRONEEDLING_RF_FORM
from clinic_desk.services.core import CoreServices
from clinic_desk.services.demo import DemoAccount
from clinic_desk.services.demo_consents import drawn
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import LotDetails

D = Decimal
PEN_LOT = "LOT-24A17"
RF_LOT = "LOT-RF-2409"
EXPIRED_LOT = "LOT-23C02"
RF_PATIENT = PatientDetails(
    "Oyelaran-Villanueva", "Søren Ðorđe", date(1984, 7, 2), "+33 6 12 34 56 70"
)
PEN_PATIENT = PatientDetails("García-Núñez", "Mateo", date(1991, 11, 23), "+33 6 98 76 54 31")


@dataclass(frozen=True, slots=True)
class DemoTreatment:
    devices: int
    lots: int
    sessions: int
    patients: tuple[int, ...]


def _answers(services: CoreServices) -> dict[str, Answer]:
    """Nothing to report: every question answered no, never or blank."""
    plain: dict[QuestionKind, Answer] = {
        QuestionKind.YES_NO: False,
        QuestionKind.CHOICE: "never",
        QuestionKind.TEXT: "",
    }
    return {
        q.id: plain.get(q.kind)
        for section in services.intake.current.sections
        for q in section.questions
    }


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def load_demo_treatment(
    services: CoreServices, accounts: Sequence[DemoAccount]
) -> DemoTreatment | None:
    """Adds the treatment demo to the demo clinic; None when it is there already.
    `accounts` as `load_clinic` returned them: the practitioner signs the consents that
    let a new user record the next session of each course from the GUI."""
    admin = services.auth.demo_account("admin")
    reception = services.auth.demo_account("reception")
    login = next(a for a in accounts if a.role is Role.PRACTITIONER)
    practitioner = services.auth.sign_in(login.username, login.password)
    if services.devices.devices(admin):
        return None
    catalogue = example_devices()
    today = services.screening.today()
    pen = services.devices.add_device(
        practitioner,
        replace(
            catalogue.device("example-pen").profile,
            serial_number="DEMO-PEN-0001",
            service_due_on=today + timedelta(days=120),
        ),
    )
    rf = services.devices.add_device(
        admin,
        replace(
            catalogue.device("example-rf").profile,
            serial_number="DEMO-RF-0001",
            service_due_on=today + timedelta(days=45),
        ),
    )
    services.devices.add_device(
        practitioner,
        replace(catalogue.device("example-roller").profile, serial_number="DEMO-ROLL-0001"),
    )
    lots = {
        number: services.devices.add_lot(practitioner, LotDetails(kind, product, number, expiry))
        for kind, product, number, expiry in (
            ("cartridge", "Sterile 12-needle pen cartridge", PEN_LOT, today + timedelta(days=300)),
            ("cartridge", "Sterile 25-pin RF cartridge", RF_LOT, today + timedelta(days=200)),
            (
                "cartridge",
                "Sterile 16-needle pen cartridge",
                EXPIRED_LOT,
                today - timedelta(days=40),
            ),
        )
    }
    rf_patient = _patient(services, reception, RF_PATIENT)
    pen_patient = _patient(services, reception, PEN_PATIENT)
    for patient_id, form, seed, treatment in (
        (rf_patient, MICRONEEDLING_RF_FORM, 11, "Microneedling with RF of the cheeks"),
        (pen_patient, MICRONEEDLING_FORM, 12, "Microneedling of the forehead and eyes"),
    ):
        draft = services.consents.prepare(practitioner, patient_id, form, treatment_name=treatment)
        services.consents.sign(
            practitioner,
            draft,
            acknowledged=draft.acknowledgement_keys,
            patient_signature=drawn(seed),
            password=login.password,
        )
    services.courses.plan(
        practitioner,
        rf_patient,
        plan_course(services.protocols.current(admin).courses, "scars"),
        started_on=today - timedelta(days=70),
        notes="Rolling acne scars on both cheeks.",
    )
    services.courses.plan(
        practitioner,
        pen_patient,
        plan_course(services.protocols.current(admin).courses, "fine_lines"),
        started_on=today - timedelta(days=95),
        notes="Fine lines around the eyes and forehead.",
    )
    sessions = services.sessions
    tip = "tip-25-insulated"

    def rf_session(days_ago: int, energy: str, depth: str, spot: bool) -> SessionDraft:
        day = today - timedelta(days=days_ago)
        return SessionDraft(
            device_id=rf.device_id,
            cartridge_key="rf-cart-25",
            lot_id=lots[RF_LOT].lot_id,
            session_date=day,
            started_at=_at(day, 9, 30),
            areas=(
                AreaSettings(
                    "cheeks",
                    "scars",
                    D(depth),
                    passes=2,
                    rf_energy=D(energy),
                    rf_pulse_duration_ms=D("150"),
                    rf_tip=tip,
                ),
            ),
            numbing_product="Lidocaine 5% cream",
            numbing_applied_at=_at(day, 9, 0),
            numbing_removed_at=_at(day, 9, 40),
            serums=("Hyaluronic acid serum",),
            test_spot=TestSpot(
                "cheeks",
                D(energy),
                D("150"),
                tip,
                "Mild erythema after 10 minutes, no blanching",
                True,
            )
            if spot
            else None,
            endpoints=(Endpoint.ERYTHEMA,),
            pain_score=4,
            immediate_reactions="Even redness, settled within the hour.",
        )

    first = sessions.record_demo_session(practitioner, rf_patient, rf_session(70, "4", "1.5", True))
    second = sessions.record_demo_session(
        practitioner, rf_patient, rf_session(35, "5", "1.8", True)
    )
    services.adverse_events.record(
        practitioner,
        second.session_id,
        AdverseEventDetails(
            AdverseEventKind.BLISTERING,
            second.session_date + timedelta(days=1),
            EventSeverity.MILD,
            "Three pinhead blisters on the left cheek the next morning.",
            "Reviewed in clinic; cool compresses and a bland emollient; photographs taken.",
        ),
    )
    services.adverse_events.follow_up(
        practitioner,
        services.adverse_events.for_patient(practitioner, rf_patient)[0].event_id,
        FollowUpDetails("Blisters drying at the 3-day review.", reported_to_manufacturer=True),
    )
    sessions.amend(
        practitioner,
        first.session_id,
        correction="Numbing cream was removed at 09:35, not 09:40.",
        reason="Time read from the wrong line of the room sheet.",
    )
    for days_ago, depth in ((95, "0.5"), (63, "0.75")):
        day = today - timedelta(days=days_ago)
        sessions.record_demo_session(
            practitioner,
            pen_patient,
            SessionDraft(
                device_id=pen.device_id,
                cartridge_key="pen-12",
                lot_id=lots[PEN_LOT].lot_id,
                session_date=day,
                started_at=_at(day, 14),
                areas=(
                    AreaSettings("around_eyes", "fine_lines", D("0.25"), passes=2, speed="3"),
                    AreaSettings("forehead", "fine_lines", D(depth), passes=3, speed="4"),
                ),
                numbing_product="Lidocaine 4% cream",
                numbing_applied_at=_at(day, 13, 25),
                numbing_removed_at=_at(day, 13, 55),
                serums=("Hyaluronic acid serum", "Peptide serum"),
                endpoints=(Endpoint.ERYTHEMA,),
                pain_score=2,
            ),
        )
    return DemoTreatment(3, len(lots), 4, (rf_patient, pen_patient))


def _patient(services: CoreServices, reception: SignedInStaff, details: PatientDetails) -> int:
    patient_id = services.patients.register(reception, details).patient_id
    services.intake.record(reception, patient_id, _answers(services))
    return patient_id
