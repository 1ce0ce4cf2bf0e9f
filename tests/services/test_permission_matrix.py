"""Who may call what, through the services: the whole table pinned, role by role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize
from clinic_desk.domain.errors import ClinicDeskError, PermissionDenied
from clinic_desk.domain.intake import Answer, QuestionKind
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import SignedInStaff
from tests.helpers.clinic import ADMIN_PASSWORD, STAFF_PASSWORD, seed_clinic

Call = Callable[[ClinicDesk, SignedInStaff, int], object]


_BLANK: dict[QuestionKind, Answer] = {
    QuestionKind.YES_NO: False, QuestionKind.CHOICE: "never", QuestionKind.TEXT: ""}


def _answers(core: ClinicDesk) -> dict[str, Answer]:
    return {
        q.id: _BLANK.get(q.kind)
        for section in core.intake.current.sections
        for q in section.questions
    } | {"eczema": True}


def _profile(core: ClinicDesk, who: SignedInStaff, _pid: int) -> object:
    current = core.clinic.profile()
    assert current is not None
    details = ClinicDetails("Klinika", "Adres 1", "+48 12 345 67 89", "Europe/Warsaw",
                            PaperSize.A4)
    return core.clinic.update_profile(who, details, expected_version=current.version)


def _clear(core: ClinicDesk, who: SignedInStaff, pid: int) -> object:
    password = ADMIN_PASSWORD if Role.ADMINISTRATOR in who.roles else STAFF_PASSWORD
    return core.screening.clear_finding(who, pid, "eczema", reason="Reviewed, safe today.",
                                        password=password)


CALLS: dict[str, Call] = {
    "search patients": lambda c, w, p: c.patients.search(w, ""),
    "read a patient": lambda c, w, p: c.patients.get(w, p),
    "register a patient": lambda c, w, p: c.patients.register(
        w, PatientDetails("Nowak", "Ewa", date(1980, 1, 1), "+48 600 000 001")),
    "take an intake": lambda c, w, p: c.intake.record(w, p, _answers(c)),
    "screen": lambda c, w, p: c.screening.screen_patient(w, p),
    "list clearances": lambda c, w, p: c.screening.clearances(w, p),
    "clear a finding": _clear,
    "list staff": lambda c, w, p: c.staff.list_staff(w),
    "add staff": lambda c, w, p: c.staff.add_staff(
        w, username="added", full_name="Added", roles=[Role.RECEPTION],
        password=STAFF_PASSWORD),
    "change the clinic profile": _profile,
    "read the audit log": lambda c, w, p: c.audit.recent(w),
    "verify the audit log": lambda c, w, p: c.audit.verify(w),
    "list a patient's access": lambda c, w, p: c.audit.for_patient(w, p),
}

ALLOWED: dict[str, set[str]] = {
    "reception": {"search patients", "read a patient", "register a patient", "take an intake",
                  "screen", "list clearances"},
    "practitioner": {"search patients", "read a patient", "register a patient",
                     "take an intake", "screen", "list clearances", "clear a finding"},
    # Administrators run the clinic, but clinical decisions are not theirs.
    "admin": {"search patients", "read a patient", "register a patient", "take an intake",
              "screen", "list clearances", "list staff", "add staff",
              "change the clinic profile", "read the audit log", "verify the audit log",
              "list a patient's access"},
}


@pytest.mark.parametrize("who", ["reception", "practitioner", "admin"])
def test_the_permission_table_as_the_services_apply_it(core: ClinicDesk, who: str) -> None:
    clinic = seed_clinic(core)
    actor: SignedInStaff = getattr(clinic, who)
    pid = core.patients.register(
        clinic.reception, PatientDetails("Müller", "Zoë", date(1985, 3, 12), "+48 600 100 200")
    ).patient_id
    core.intake.record(clinic.reception, pid, _answers(core))
    allowed = set()
    for name, call in CALLS.items():
        try:
            call(core, actor, pid)
        except PermissionDenied:
            continue
        except ClinicDeskError as exc:  # pragma: no cover - shows which call broke
            raise AssertionError(f"{name}: {exc}") from exc
        allowed.add(name)
    assert allowed == ALLOWED[who]
