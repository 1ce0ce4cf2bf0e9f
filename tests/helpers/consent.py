"""Consent values, signatures and records for the consent tests: real templates, real
rule book, ink drawn as a person would (a name-like scribble), PNGs rendered from it."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import UTC, date, datetime

from clinic_desk.catalogue import consent_templates, consent_wording, rule_book
from clinic_desk.domain.consent_fill import ConsentValues
from clinic_desk.domain.consent_record import (
    ConsentLink,
    ConsentRecord,
    ConsentSignature,
    ConsentStatus,
    LinkKind,
    PatientIdentity,
)
from clinic_desk.domain.consent_text import ConsentText
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.signature import (
    InkDevice,
    InkPoint,
    InkStroke,
    SignatureInk,
    SignatureMeaning,
)

LONG_NAME = "Zoë Ångström-Müller Ferreira de la Fuente"
MARKUP_NAME = '<font color="red">A & B</font>'
CLINIC_NAME = "Clinique Lumière & Peau"
CLINIC_ADDRESS = "12 Rue de l'Élysée\n75008 Paris\nFrance"
CLINIC_PHONE = "+33 1 42 65 00 00"
PRACTITIONER = "Dr Amélie Dubois-Nakamura"
SIGNED_AT = datetime(2026, 11, 30, 9, 41, 27, 123456, tzinfo=UTC)


def values(
    *, patient_name: str = LONG_NAME, treatment: str = "Microneedling of the full face"
) -> ConsentValues:
    return ConsentValues(
        patient_full_name=patient_name,
        patient_date_of_birth=date(1987, 3, 14),
        patient_number="P-000417",
        clinic_name=CLINIC_NAME,
        clinic_address=CLINIC_ADDRESS,
        clinic_phone=CLINIC_PHONE,
        practitioner_name=PRACTITIONER,
        treatment_name=treatment,
        consent_date=date(2026, 11, 30),
        date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
    )


def filled_text(key: str = "microneedling-rf", version: int = 1, **kwargs: str) -> ConsentText:
    template = consent_templates().get(key, version)
    return template.render(values(**kwargs), rules=rule_book(), wording=consent_wording())


def scribble(
    *, seed: int = 1, width: int = 600, height: int = 200, pressure: bool = True
) -> SignatureInk:
    """A signature-like ink: a few looping strokes across the pad."""
    strokes = []
    t = 0
    for s in range(3):
        points = []
        for i in range(60):
            u = i / 59
            x = 40 + s * 170 + u * 150
            y = height / 2 + math.sin(u * math.pi * (3 + seed + s)) * (height / 4) * (1 - u / 2)
            points.append(
                InkPoint(x=x, y=y, t_ms=t, pressure=(0.35 + 0.5 * math.sin(u * math.pi))
                         if pressure else None)
            )
            t += 8
        t += 120
        strokes.append(InkStroke(tuple(points)))
    return SignatureInk(
        strokes=tuple(strokes),
        width=width,
        height=height,
        device=InkDevice.STYLUS if pressure else InkDevice.TOUCH,
        pressure_reported=pressure,
    )


def png_of(ink: SignatureInk) -> bytes:
    """The ink rendered as a PNG, as the signature pad would save it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (ink.width, ink.height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for stroke in ink.strokes:
        xy = [(p.x, p.y) for p in stroke.points]
        draw.line(xy, fill=(20, 30, 60, 255), width=4, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature(
    meaning: SignatureMeaning,
    name: str,
    role: str,
    *,
    seed: int = 1,
    drawn: bool = True,
    minutes_later: int = 0,
) -> ConsentSignature:
    ink = scribble(seed=seed) if drawn else None
    return ConsentSignature(
        meaning=meaning,
        signer_name=name,
        signer_role=role,
        signed_at_utc=SIGNED_AT.replace(minute=SIGNED_AT.minute + minutes_later),
        time_zone="Europe/Paris",
        ink=ink,
        image_png=png_of(ink) if ink is not None else None,
    )


def signed_record(
    *,
    consent_id: int = 1042,
    patient_name: str = LONG_NAME,
    key: str = "microneedling-rf",
    witness: bool = True,
) -> ConsentRecord:
    text = filled_text(key, patient_name=patient_name)
    signatures = [
        signature(SignatureMeaning.PATIENT_CONSENT, patient_name, "Patient", seed=1),
        signature(SignatureMeaning.PRACTITIONER, PRACTITIONER, "Practitioner",
                  drawn=False, minutes_later=1),
    ]
    if witness:
        signatures.append(
            signature(SignatureMeaning.WITNESS, "Øystein Łukasiewicz", "Witness (reception)",
                      seed=2, minutes_later=2)
        )
    return ConsentRecord(
        consent_id=consent_id,
        patient_id=417,
        patient=PatientIdentity(patient_name, date(1987, 3, 14), "P-000417"),
        template_key=key,
        template_version=1,
        text=text,
        acknowledged=tuple(a.key for a in text.acknowledgements),
        signatures=tuple(signatures),
        status=ConsentStatus.SIGNED,
    )


def declined_record(*, consent_id: int = 1043) -> ConsentRecord:
    record = signed_record(consent_id=consent_id, witness=False)
    decline = signature(SignatureMeaning.PATIENT_DECLINE, LONG_NAME, "Patient", seed=3)
    return replace(
        record,
        acknowledged=record.acknowledged[:3],
        signatures=(decline, record.signatures[1]),
        status=ConsentStatus.DECLINED,
        reason="Would like to think about it over the holidays.",
    )


def correcting_record(*, consent_id: int = 1044, corrects: int = 1042) -> ConsentRecord:
    return replace(
        signed_record(consent_id=consent_id),
        reason="The date of birth was typed wrongly on the first form.",
        links=(ConsentLink(LinkKind.CORRECTS, corrects),),
    )
