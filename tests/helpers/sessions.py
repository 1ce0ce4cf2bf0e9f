"""A clinic ready for treatment sessions: a pen and an RF device, lots, a screened
patient, and consents handed to the session service by a fake lookup."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from clinic_desk.app import ClinicDesk
from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.session_record import SessionDraft, TestSpot
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.sessions import SessionService
from clinic_desk.services.treatment_dto import LotDetails
from clinic_desk.storage.unit_of_work import UnitOfWork
from tests.helpers.clinic import SeededClinic, fast_hashing, seed_clinic

D = Decimal


@dataclass
class FakeConsents:
    """The consents on file per patient, as the consent service would report them."""

    on_file: dict[int, list[ConsentOnFile]] = field(default_factory=dict)

    def __call__(self, uow: UnitOfWork, patient_id: int) -> list[ConsentOnFile]:
        return list(self.on_file.get(patient_id, []))


@dataclass(frozen=True)
class TreatmentClinic:
    clinic: SeededClinic
    patient_id: int
    pen_id: int
    rf_id: int
    lot_id: int
    expired_lot_id: int
    sessions: SessionService
    consents: FakeConsents
    today: date
    events: AdverseEventService


def clear_answers(core: ClinicDesk) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    plain: dict[QuestionKind, Answer] = {
        QuestionKind.YES_NO: False,
        QuestionKind.CHOICE: "never",
        QuestionKind.TEXT: "",
    }
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = plain.get(q.kind)
    return answers


def treatment_clinic(core: ClinicDesk, clock: object) -> TreatmentClinic:
    clinic = seed_clinic(core)
    catalogue = example_devices()
    pen = replace(catalogue.device("example-pen").profile, serial_number="PEN-001")
    rf = replace(catalogue.device("example-rf").profile, serial_number="RF-001")
    pen_id = core.devices.add_device(clinic.practitioner, pen).device_id
    rf_id = core.devices.add_device(clinic.admin, rf).device_id
    today = core.screening.today()
    lot = core.devices.add_lot(
        clinic.practitioner,
        LotDetails("cartridge", "Sterile 12-needle cartridge", "LOT-A1", date(2027, 6, 30)),
    )
    expired = core.devices.add_lot(
        clinic.practitioner,
        LotDetails("cartridge", "Sterile 12-needle cartridge", "LOT-OLD", date(2026, 1, 31)),
    )
    details = PatientDetails("Ångström-Müller", "Zoë", date(1985, 3, 14), "+48 600 100 200")
    patient_id = core.patients.register(clinic.reception, details).patient_id
    core.intake.record(clinic.reception, patient_id, clear_answers(core))
    consents = FakeConsents({patient_id: [ConsentOnFile(signed_on=today, covers_rf=True)]})
    ctx = ServiceContext(units=core.units, clock=clock)  # type: ignore[arg-type]
    sessions = SessionService(ctx, core.protocols, core.screening, fast_hashing(), consents)
    return TreatmentClinic(
        clinic,
        patient_id,
        pen_id,
        rf_id,
        lot.lot_id,
        expired.lot_id,
        sessions,
        consents,
        today,
        core.adverse_events,
    )


def pen_draft(t: TreatmentClinic, **changes: object) -> SessionDraft:
    draft = SessionDraft(
        device_id=t.pen_id,
        cartridge_key="pen-12",
        lot_id=t.lot_id,
        areas=(AreaSettings("cheeks", "scars", D("1.0"), passes=3, speed="4"),),
        numbing_product="Lidocaine 5% cream",
        serums=("Hyaluronic serum",),
        pain_score=3,
        notes="Even erythema reached.",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def rf_draft(t: TreatmentClinic, energy: str = "4", **changes: object) -> SessionDraft:
    draft = SessionDraft(
        device_id=t.rf_id,
        cartridge_key="rf-cart-25",
        lot_id=t.lot_id,
        areas=(
            AreaSettings(
                "cheeks",
                "scars",
                D("1.5"),
                passes=2,
                rf_energy=D(energy),
                rf_pulse_duration_ms=D("150"),
                rf_tip=_first_tip(),
            ),
        ),
        test_spot=TestSpot(
            area="cheeks",
            rf_energy=D(energy),
            rf_pulse_duration_ms=D("150"),
            rf_tip=_first_tip(),
            reaction="Mild erythema, no blistering",
            tolerated=True,
        ),
        pain_score=4,
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def _first_tip() -> str:
    rf = example_devices().device("example-rf").profile.rf
    assert rf is not None
    return rf.tips[0].key


def at(day: date, hour: int, minute: int = 0) -> datetime:
    from datetime import UTC

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
