"""Text that cannot be stored faithfully is refused with one clear message, the same on
SQLite and PostgreSQL, by every service that stores text, and nothing is written.

Every text field of every service gets: a lone surrogate and a NUL (refused anywhere),
and, in names, user names, phone numbers and e-mail addresses, a control character and
a bidi override. Passwords take only what can be encoded: the first two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.clinic_profile import ClinicDetails
from clinic_desk.domain.errors import AuthenticationFailed, ValidationError
from clinic_desk.domain.intake import Answer
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.roles import Role
from clinic_desk.domain.text_checks import BIDI_CONTROLS
from clinic_desk.storage.models import (
    AuditEntry,
    ClinicProfile,
    IntakeRecord,
    Patient,
    PatientRevision,
    ScreeningClearance,
    StaffAccount,
)
from tests.helpers.clinic import (
    ADMIN_PASSWORD,
    SAMPLE_CLINIC,
    STAFF_PASSWORD,
    SeededClinic,
    blank_answer,
    seed_clinic,
)

SURROGATE = "\ud800"
NUL = "\x00"
CONTROL = "\x07"
OVERRIDE = "\u202e"
EVERYWHERE = {"surrogate": SURROGATE, "nul": NUL}
IDENTITY = EVERYWHERE | {"control": CONTROL, "bidi override": OVERRIDE}
EXPECTED = {
    SURROGATE: "an unpaired surrogate character (U+D800)",
    NUL: "a null character",
    CONTROL: "a control character (U+0007)",
    OVERRIDE: "an invisible text-direction character (U+202E)",
}
PATIENT = PatientDetails("Nowak", "Agnieszka", date(1988, 5, 4), "+48 600 100 200")


@dataclass(frozen=True)
class World:
    core: ClinicDesk
    clinic: SeededClinic
    patient_id: int


Store = Callable[[World, str], object]


def _answers(core: ClinicDesk, **extra: Answer) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for section in core.intake.current.sections:
        for q in section.questions:
            answers[q.id] = blank_answer(q.kind)
    return answers | extra


def _staff_version(w: World, username: str) -> tuple[int, int]:
    found = next(s for s in w.core.staff.list_staff(w.clinic.admin) if s.username == username)
    return found.staff_id, found.version


def _plausible(field: str, bad: str) -> str:
    """A value that would be accepted but for the bad character in it."""
    if "phone" in field:
        return f"+48 600 1{bad}00 200"
    if field == "email":
        return f"ann{bad}@example.org"
    return f"An{bad}na"


def _patient(field: str) -> Store:
    def register(w: World, bad: str) -> object:
        details = replace(PATIENT, **{field: _plausible(field, bad)})  # type: ignore[arg-type]
        return w.core.patients.register(w.clinic.reception, details, confirm_duplicate=True)
    return register


def _patient_update(field: str) -> Store:
    def update(w: World, bad: str) -> object:
        details = replace(PATIENT, **{field: _plausible(field, bad)})  # type: ignore[arg-type]
        return w.core.patients.update(w.clinic.reception, w.patient_id, details,
                                      expected_version=1)
    return update


def _clinic(field: str) -> Store:
    def update(w: World, bad: str) -> object:
        profile = w.core.clinic.profile()
        assert profile is not None
        details = replace(SAMPLE_CLINIC, **{field: getattr(SAMPLE_CLINIC, field) + bad})
        return w.core.clinic.update_profile(w.clinic.admin, details,
                                            expected_version=profile.version)
    return update


def _first_start(field: str) -> Store:
    def create(w: World, bad: str) -> object:
        args: dict[str, Any] = {"admin_username": "second", "admin_full_name": "Second Admin",
                "admin_password": ADMIN_PASSWORD}
        details: ClinicDetails = SAMPLE_CLINIC
        if field.startswith("admin_"):
            args[field] += bad
        else:
            details = replace(SAMPLE_CLINIC, **{field: getattr(SAMPLE_CLINIC, field) + bad})
        return w.core.auth.create_clinic(details, **args)
    return create


def _add_staff(field: str) -> Store:
    def add(w: World, bad: str) -> object:
        args: dict[str, Any] = {
            "username": "newcomer", "full_name": "Ana Lima", "password": "temporary-1"
        }
        args[field] += bad
        return w.core.staff.add_staff(w.clinic.admin, roles=[Role.RECEPTION], **args)
    return add


def _change_staff_name(w: World, bad: str) -> object:
    staff_id, version = _staff_version(w, "reception")
    return w.core.staff.change_details(w.clinic.admin, staff_id, expected_version=version,
                                       full_name=f"Jonas{bad} Müller", roles=[Role.RECEPTION])


def _reset_password(w: World, bad: str) -> object:
    staff_id, version = _staff_version(w, "reception")
    return w.core.staff.reset_password(w.clinic.admin, staff_id, expected_version=version,
                                       new_password=f"new-pass{bad}word")


def _own_password(w: World, bad: str) -> object:
    return w.core.auth.change_own_password(w.clinic.reception, current_password=STAFF_PASSWORD,
                                           new_password=f"new-pass{bad}word")


def _intake_answer(w: World, bad: str) -> object:
    answers = _answers(w.core, other_conditions=f"Mild hay{bad} fever")
    return w.core.intake.record(w.clinic.reception, w.patient_id, answers)


def _eczema_on_record(w: World) -> None:
    w.core.intake.record(w.clinic.reception, w.patient_id, _answers(w.core, eczema=True))


def _clearance_reason(w: World, bad: str) -> object:
    return w.core.screening.clear_finding(
        w.clinic.practitioner, w.patient_id, "eczema", password=STAFF_PASSWORD,
        reason=f"Eczema only on the hands{bad}; the face is clear.")


# (service and field, how it is stored, the form field named, which inputs are refused)
FIELDS: list[tuple[str, Store, str, dict[str, str]]] = [
    *[(f"patients.register {f}", _patient(f), f, IDENTITY)
      for f in ("family_name", "given_name", "preferred_name", "phone", "email",
                "emergency_contact_name", "emergency_contact_phone", "referring_physician")],
    *[(f"patients.register {f}", _patient(f), f, EVERYWHERE) for f in ("address", "notes")],
    *[(f"patients.update {f}", _patient_update(f), f, IDENTITY)
      for f in ("family_name", "email")],
    ("patients.update notes", _patient_update("notes"), "notes", EVERYWHERE),
    *[(f"clinic.update_profile {f}", _clinic(f), f, EVERYWHERE)
      for f in ("name", "address", "time_zone")],
    ("clinic.update_profile phone", _clinic("phone"), "phone", IDENTITY),
    *[(f"auth.create_clinic {f}", _first_start(f), f, EVERYWHERE) for f in ("name", "address")],
    ("auth.create_clinic admin_username", _first_start("admin_username"), "username", IDENTITY),
    ("auth.create_clinic admin_full_name", _first_start("admin_full_name"), "full_name",
     IDENTITY),
    ("auth.create_clinic admin_password", _first_start("admin_password"), "password",
     EVERYWHERE),
    ("staff.add_staff username", _add_staff("username"), "username", IDENTITY),
    ("staff.add_staff full_name", _add_staff("full_name"), "full_name", IDENTITY),
    ("staff.add_staff password", _add_staff("password"), "password", EVERYWHERE),
    ("staff.change_details full_name", _change_staff_name, "full_name", IDENTITY),
    ("staff.reset_password", _reset_password, "password", EVERYWHERE),
    ("auth.change_own_password", _own_password, "password", EVERYWHERE),
    ("intake.record text answer", _intake_answer, "other_conditions", EVERYWHERE),
    ("screening.clear_finding reason", _clearance_reason, "reason", EVERYWHERE),
]
def _counts(core: ClinicDesk) -> tuple[int, ...]:
    with core.units() as uow:
        return tuple(
            uow.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (AuditEntry, ClinicProfile, StaffAccount, Patient, PatientRevision,
                          IntakeRecord, ScreeningClearance)
        )


def _what_went_wrong(world: World, store: Store, field: str, bad: str) -> str | None:
    """None when the input was refused as it should be, else what happened instead."""
    before = _counts(world.core)
    try:
        store(world, bad)
    except ValidationError as refused:
        message = str(refused)
        expected = ("cannot be used in a password" if field == "password"
                    else f"contains {EXPECTED[bad]}, which cannot be stored")
        if refused.field != field or expected not in message or bad in message:
            return f"refused as {refused.field!r}: {message!r}"
    except Exception as exc:  # the very thing this test is here to catch
        return f"escaped as {type(exc).__name__}: {exc!r}"[:300]
    else:
        return "stored"
    if _counts(world.core) != before:
        return "refused, but something was written"
    return None


def test_bad_text_is_refused_in_plain_words_and_nothing_is_stored(core: ClinicDesk) -> None:
    """Every field, every bad input, on one clinic per engine (one database each: the
    refusals write nothing, so the cases cannot disturb one another)."""
    clinic = seed_clinic(core)
    world = World(core, clinic, core.patients.register(clinic.reception, PATIENT).patient_id)
    _eczema_on_record(world)  # a finding for the clearance case to clear
    problems = [
        f"{name} · {kind}: {problem}"
        for name, store, field, refused in FIELDS
        for kind, bad in refused.items()
        if (problem := _what_went_wrong(world, store, field, bad)) is not None
    ]
    assert problems == []
    assert sum(len(refused) for *_, refused in FIELDS) == 92  # every case was tried


@pytest.mark.parametrize("bad", [SURROGATE, NUL, CONTROL, OVERRIDE])
def test_bad_text_at_sign_in_and_in_a_search_is_only_a_wrong_answer(
    core: ClinicDesk, bad: str
) -> None:
    clinic = seed_clinic(core)
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in(f"reception{bad}", STAFF_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        core.auth.sign_in("reception", f"{STAFF_PASSWORD}{bad}")
    page = core.patients.search(clinic.reception, f"Now{bad}ak")
    assert page.rows == ()


def test_line_breaks_and_tabs_stay_allowed_where_text_has_lines(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    details = replace(PATIENT, address="ul. Długa 5\n\t00-001 Warszawa",
                      notes="Prefers mornings.\nAllergic to latex.")
    saved = core.patients.register(clinic.reception, details)
    assert saved.details.notes == "Prefers mornings.\nAllergic to latex."
    assert all(ch not in BIDI_CONTROLS for ch in saved.details.family_name)
