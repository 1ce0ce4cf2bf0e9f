"""Freezing a consent: the record built from what was shown, signed and ticked, checked,
and written as rows the database will never let change (with the audit entry's links).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from clinic_desk.domain.consent_record import (
    ConsentRecord,
    ConsentSignature,
    record_problems,
)
from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.signature import SignatureMeaning, trivial_mark_reason
from clinic_desk.domain.text_checks import TextKind, check_text
from clinic_desk.services.consent_dto import DrawnSignature
from clinic_desk.storage.models_consents import ConsentRecordRow, ConsentSignatureRow
from clinic_desk.storage.unit_of_work import UnitOfWork

MIN_REASON = 5
MAX_REASON = 2000
PATIENT_ROLE = "Patient"
PRACTITIONER_ROLE = "Practitioner"
WITNESS_ROLE = "Witness"


def written_reason(reason: str, *, what: str) -> str:
    checked = check_text(reason, field="reason", label="reason", kind=TextKind.MULTILINE)
    written = " ".join(checked.split())
    if len(written) < MIN_REASON:
        raise ValidationError(
            f"Write why {what} (at least {MIN_REASON} characters).", field="reason"
        )
    if len(written) > MAX_REASON:
        raise ValidationError(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    return written


def check_drawn(drawn: DrawnSignature, *, field: str) -> None:
    """Refuse an empty or trivial mark, in the words the pad shows."""
    problem = trivial_mark_reason(drawn.ink)
    if problem is not None:
        raise ValidationError(problem, field=field)
    if not drawn.image_png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError("The signature's picture is not a PNG image.", field=field)


def drawn_signature(
    meaning: SignatureMeaning,
    drawn: DrawnSignature,
    *,
    name: str,
    role: str,
    at: datetime,
    zone: str,
) -> ConsentSignature:
    return ConsentSignature(
        meaning=meaning,
        signer_name=name,
        signer_role=role,
        signed_at_utc=at,
        time_zone=zone,
        ink=drawn.ink,
        image_png=drawn.image_png,
    )


def password_signature(name: str, *, at: datetime, zone: str) -> ConsentSignature:
    """The practitioner's countersignature, confirmed by re-entering their password."""
    return ConsentSignature(
        meaning=SignatureMeaning.PRACTITIONER,
        signer_name=name,
        signer_role=PRACTITIONER_ROLE,
        signed_at_utc=at,
        time_zone=zone,
        ink=None,
    )


def witness_of(drawn: DrawnSignature, *, at: datetime, zone: str) -> ConsentSignature:
    name = " ".join(
        check_text(drawn.signer_name, field="witness_name", label="witness's name").split()
    )
    if not name:
        raise ValidationError("Enter the witness's name.", field="witness_name")
    if len(name) > 200:
        raise ValidationError("The witness's name is too long.", field="witness_name")
    role = " ".join(drawn.signer_role.split())[:100] or WITNESS_ROLE
    check_drawn(drawn, field="witness_signature")
    return drawn_signature(SignatureMeaning.WITNESS, drawn, name=name, role=role, at=at,
                           zone=zone)


def _ink_json(entry: Mapping[str, object]) -> str | None:
    ink = entry.get("ink")
    if ink is None:
        return None
    return json.dumps(ink, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def store(
    uow: UnitOfWork,
    record: ConsentRecord,
    *,
    template_id: int,
    for_treatment: bool,
    covers_rf: bool,
    signed_on: date,
    recorded_by: int,
    staff_ids: Mapping[SignatureMeaning, int],
) -> tuple[ConsentRecordRow, list[ConsentSignatureRow]]:
    """Write the frozen record and its signatures; refuses a record that could not be
    frozen as it stands (domain/consent_record.record_problems)."""
    problems = record_problems(record)
    if problems:
        raise ClinicDeskError("This consent cannot be recorded: " + "; ".join(problems) + ".")
    canonical = record.canonical_bytes()
    entries: Sequence[Mapping[str, object]] = json.loads(canonical)["signatures"]
    link = record.links[0] if record.links else None
    first = record.signed_at_utc
    assert first is not None  # record_problems asks for a signature
    zone = record.signatures[0].time_zone
    row = ConsentRecordRow(
        id=record.consent_id,
        patient_id=record.patient_id,
        template_id=template_id,
        template_key=record.template_key,
        template_version=record.template_version,
        status=record.status.value,
        for_treatment=for_treatment,
        covers_rf=covers_rf,
        signed_at=first,
        signed_on=signed_on,
        time_zone=zone,
        recorded_by=recorded_by,
        link_kind=None if link is None else link.kind.value,
        linked_consent_id=None if link is None else link.consent_id,
        canonical_json=canonical.decode("utf-8"),
        content_hash=record.content_hash(),
    )
    uow.consents.add(row)
    signature_rows = []
    for position, (signature, entry) in enumerate(
        zip(record.signatures, entries, strict=True), start=1
    ):
        signature_row = ConsentSignatureRow(
            consent_id=record.consent_id,
            position=position,
            meaning=signature.meaning.value,
            signer_name=signature.signer_name,
            signer_role=signature.signer_role,
            signer_staff_id=staff_ids.get(signature.meaning),
            signed_at=signature.signed_at_utc,
            time_zone=signature.time_zone,
            strokes_json=_ink_json(entry),
            image_sha256=signature.image_sha256,
            image_png=signature.image_png,
        )
        uow.consents.add(signature_row)
        signature_rows.append(signature_row)
    return row, signature_rows
