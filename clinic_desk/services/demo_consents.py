"""Demo consents: signed (with a witness, with RF, photography), declined, withdrawn and
superseded, so that every state shows in the demo clinic. Signed through the consent
service as a practitioner would, on demo patients whose screening allows it (or, in a
demo without patients, on four named ones registered for it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.domain.consent_record import LinkKind
from clinic_desk.domain.intake import Answer, QuestionKind, Questionnaire
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.signature import InkDevice, InkPoint, InkStroke, SignatureInk
from clinic_desk.services.consent_dto import (
    MICRONEEDLING_FORM,
    MICRONEEDLING_RF_FORM,
    PHOTOGRAPHY_FORM,
    DrawnSignature,
)
from clinic_desk.services.consents import ConsentService
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.patients import PatientService

DEMO_CONSENT_PATIENTS = (
    PatientDetails("Ångström-Müller Ferreira de la Fuente", "Zoë", date(1987, 3, 14),
                   "+33 6 12 34 56 78"),
    PatientDetails("Nørgaard", "Åsa", date(1979, 11, 2), "+33 6 98 76 54 32"),
    PatientDetails("Wójcik-Sánchez", "Małgorzata", date(1991, 6, 30), "+33 7 11 22 33 44"),
    PatientDetails("Lefèvre", "Jean-Baptiste", date(1968, 1, 21), "+33 6 55 44 33 22"),
)
WITNESS = ("Jonas Müller", "Witness (reception)")


@dataclass(frozen=True, slots=True)
class DemoStaff:
    practitioner: SignedInStaff
    practitioner_password: str
    reception: SignedInStaff


def demo_ink(seed: int, width: int = 640, height: int = 220) -> SignatureInk:
    """A hand-like scribble: three looping strokes, as a finger would draw them."""
    import math

    strokes = []
    t = 0
    for s in range(3):
        points = []
        for i in range(48):
            u = i / 47
            x = 50 + s * 180 + u * 160
            y = height / 2 + math.sin(u * math.pi * (2.5 + seed + s)) * height / 4 * (1 - u / 3)
            points.append(InkPoint(x=x, y=y, t_ms=t))
            t += 9
        t += 140
        strokes.append(InkStroke(tuple(points)))
    return SignatureInk(tuple(strokes), width, height, InkDevice.TOUCH, False)


def _png(ink: SignatureInk) -> bytes:
    """A small PNG of the strokes (pure Python: the demo must not need Qt or Pillow)."""
    import struct
    import zlib

    scale = 4
    w, h = ink.width // scale, ink.height // scale
    pixels = [[255] * w for _ in range(h)]
    for stroke in ink.strokes:
        for a, b in zip(stroke.points, stroke.points[1:], strict=False):
            steps = max(1, int(max(abs(b.x - a.x), abs(b.y - a.y)) / scale))
            for k in range(steps + 1):
                x = int((a.x + (b.x - a.x) * k / steps) / scale)
                y = int((a.y + (b.y - a.y) * k / steps) / scale)
                if 0 <= x < w and 0 <= y < h:
                    pixels[y][x] = 30
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def drawn(seed: int, name: str = "", role: str = "") -> DrawnSignature:
    ink = demo_ink(seed)
    return DrawnSignature(ink=ink, image_png=_png(ink), signer_name=name, signer_role=role)


def _clear(questionnaire: Questionnaire) -> dict[str, Answer]:
    defaults: dict[QuestionKind, Answer] = {
        QuestionKind.YES_NO: False, QuestionKind.CHOICE: "never", QuestionKind.TEXT: "",
    }
    return {q.id: defaults.get(q.kind) for s in questionnaire.sections for q in s.questions}


def _patients_for_consents(
    staff: DemoStaff, patients: PatientService, intake: IntakeService,
    consents: ConsentService, questionnaire: Questionnaire,
) -> list[int]:
    """Three demo patients whose screening allows signing today and one more; registered
    for the purpose when the demo has too few."""
    rows = patients.search(staff.reception, "", limit=60).rows
    signable = []
    for row in rows:
        if consents.consents_for_patient(staff.reception, row.patient_id):
            continue  # another part of the demo gave this patient consents already
        draft = consents.prepare(staff.practitioner, row.patient_id, MICRONEEDLING_RF_FORM)
        if draft.can_sign:
            signable.append(row.patient_id)
        if len(signable) == 4:
            return signable
    found = []
    for details in DEMO_CONSENT_PATIENTS:
        patient = patients.register(staff.reception, details, confirm_duplicate=True)
        intake.record(staff.reception, patient.patient_id, _clear(questionnaire))
        found.append(patient.patient_id)
    return found


def sign_demo_consent(
    consents: ConsentService,
    staff: DemoStaff,
    patient_id: int,
    form: str,
    *,
    seed: int = 1,
    treatment: str | None = None,
    witness: bool = False,
) -> int:
    """One demo consent signed today as the demo practitioner (for other parts of the
    demo, e.g. patients whose next session is recorded in the demo); returns its number.
    Raises when the patient's screening does not allow it."""
    draft = consents.prepare(staff.practitioner, patient_id, form, treatment_name=treatment)
    return consents.sign(
        staff.practitioner, draft, acknowledged=draft.acknowledgement_keys,
        patient_signature=drawn(seed), password=staff.practitioner_password,
        witness=drawn(seed + 7, *WITNESS) if witness else None,
    ).consent_id


def load_demo_consents(
    staff: DemoStaff, patients: PatientService, intake: IntakeService,
    consents: ConsentService, questionnaire: Questionnaire,
) -> int:
    """Adds the demo consents once (a withdrawal on record says they were added: only
    this demo writes one); returns how many records were written."""
    if any(c.link_kind is LinkKind.WITHDRAWS
           for c in consents.all_consents(staff.practitioner, limit=10_000)):
        return 0
    first, second, third, fourth = _patients_for_consents(
        staff, patients, intake, consents, questionnaire)
    who, password = staff.practitioner, staff.practitioner_password
    written = 0

    def sign(patient_id: int, form: str, seed: int, *, treatment: str | None = None,
             witness: bool = False) -> int:
        nonlocal written
        written += 1
        return sign_demo_consent(consents, staff, patient_id, form, seed=seed,
                                 treatment=treatment, witness=witness)

    sign(first, MICRONEEDLING_RF_FORM, 1, witness=True,
         treatment="Microneedling with RF of the full face and neck")
    sign(first, PHOTOGRAPHY_FORM, 1)
    withdrawn = sign(second, MICRONEEDLING_FORM, 2, treatment="Microneedling of the full face")
    consents.withdraw(who, withdrawn, password=password,
                      reason="Moving abroad for a year; will sign again on return.")
    sign(third, MICRONEEDLING_FORM, 3, treatment="Microneedling of the full face")
    sign(third, MICRONEEDLING_FORM, 3, treatment="Microneedling of the face and neck")
    draft = consents.prepare(who, fourth, MICRONEEDLING_RF_FORM)
    consents.decline(who, draft, password=password, patient_signature=drawn(4),
                     reason="Would rather try microneedling without RF first.")
    return written + 2
