"""Builders and fakes shared by the test packages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.passwords import PasswordHashing

ADMIN_PASSWORD = "admin-password-1"
STAFF_PASSWORD = "staff-password-1"

SAMPLE_CLINIC = ClinicDetails(
    name="Klinika Łódź — Skóra & Zdrowie",
    address="ul. Piotrkowska 104\n90-001 Łódź\nPoland",
    phone="+48 42 123 45 67",
    time_zone="Europe/Warsaw",
    paper_size=PaperSize.A4,
)


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 22, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def fast_hashing(time_cost: int = 1) -> PasswordHashing:
    """argon2id with tiny costs: the tests exercise the logic, not the hardness."""
    return PasswordHashing(PasswordHasher(time_cost=time_cost, memory_cost=64, parallelism=1))


@dataclass(frozen=True)
class SeededClinic:
    admin: SignedInStaff
    practitioner: SignedInStaff
    reception: SignedInStaff


def seed_clinic(core: ClinicDesk) -> SeededClinic:
    """A clinic with an administrator, a practitioner and a receptionist, all signed in."""
    admin = core.auth.create_clinic(
        SAMPLE_CLINIC,
        admin_username="Admin",
        admin_full_name="Zoë Ångström-Müller",
        admin_password=ADMIN_PASSWORD,
    )
    for username, name, role in (
        ("practitioner", "Dr Łucja Wiśniewska", Role.PRACTITIONER),
        ("reception", "Jonas Müller", Role.RECEPTION),
    ):
        core.staff.add_staff(
            admin,
            username=username,
            full_name=name,
            roles=(role,),
            password=STAFF_PASSWORD,
            temporary=False,
        )
    return SeededClinic(
        admin=admin,
        practitioner=core.auth.sign_in("practitioner", STAFF_PASSWORD),
        reception=core.auth.sign_in("reception", STAFF_PASSWORD),
    )


@dataclass(frozen=True)
class ClinicalHistory:
    clinic: SeededClinic
    patient_id: int
    intake_id: int
    clearance_id: int


def clinic_with_history(core: ClinicDesk) -> ClinicalHistory:
    """A seeded clinic with one patient registered and changed, an intake with a finding
    a practitioner cleared, then two sign-ins (entries that vouch for no record)."""
    from datetime import date

    from sqlalchemy import text

    from clinic_desk.domain.patients import PatientDetails

    clinic = seed_clinic(core)
    details = PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 200")
    record = core.patients.register(clinic.reception, details)
    core.patients.update(
        clinic.reception,
        record.patient_id,
        PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 201"),
        expected_version=record.version,
    )
    answers = {
        q.id: blank_answer(q.kind)
        for section in core.intake.current.sections
        for q in section.questions
    }
    intake = core.intake.record(clinic.reception, record.patient_id, answers | {"eczema": True})
    core.screening.clear_finding(
        clinic.practitioner,
        record.patient_id,
        "eczema",
        reason="Eczema only on the hands; face is clear.",
        password=STAFF_PASSWORD,
    )
    with core.engine.connect() as conn:
        clearance_id = conn.execute(text("SELECT max(id) FROM screening_clearance")).scalar_one()
    core.auth.sign_in("reception", STAFF_PASSWORD)
    core.auth.sign_in("practitioner", STAFF_PASSWORD)
    return ClinicalHistory(clinic, record.patient_id, intake.intake_id, int(clearance_id))


def blank_answer(kind: QuestionKind) -> Answer:
    """An all-clear answer of that kind: no, never, nothing to add; None for a date."""
    blanks: dict[QuestionKind, Answer] = {
        QuestionKind.YES_NO: False, QuestionKind.CHOICE: "never", QuestionKind.TEXT: ""
    }
    return blanks.get(kind)
