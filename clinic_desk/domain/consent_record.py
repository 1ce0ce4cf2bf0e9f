"""The frozen record of one consent, and the content hash that binds it.

A consent record holds what the patient read (the filled `ConsentText`), what they
ticked, who signed it with what meaning and when, and how it relates to earlier
consents. Nothing in it ever changes after signing: a withdrawal or a correction is a
new record that links to this one.

Canonical serialisation (what `content_hash` covers; format "clinic-desk/consent/1"):
- one JSON object, keys sorted, separators "," and ":", no whitespace, encoded as UTF-8
  with non-ASCII characters written as themselves (not \\u escapes);
- no floating-point numbers: ink coordinates are whole hundredths of a pad pixel,
  pressure whole ten-thousandths, times whole milliseconds; dates ISO 8601
  (`YYYY-MM-DD`), instants UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ`;
- the signature image is represented by the SHA-256 of its PNG bytes, so the hash can
  be checked whether or not the image is loaded;
- every field appears, `null` where empty, so no two records share a serialisation.
With only integers, strings, booleans and nulls, and only ASCII keys, this is the same
byte string as RFC 8785 (JSON Canonicalization Scheme) produces, so the hash can be
recomputed outside Clinic Desk.

Ink is rounded to that precision when a signature is made, so a record read back from
its serialisation is equal to the one that was hashed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic_desk.domain.consent_text import (
    Acknowledgement,
    Block,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)
from clinic_desk.domain.signature import (
    InkDevice,
    InkPoint,
    InkStroke,
    SignatureInk,
    SignatureMeaning,
)

CANONICAL_FORMAT = "clinic-desk/consent/1"
INK_SCALE = 100  # coordinates in hundredths of a pad pixel
PRESSURE_SCALE = 10_000
_INSTANT = "%Y-%m-%dT%H:%M:%S.%fZ"


class ConsentStatus(StrEnum):
    SIGNED = "signed"
    DECLINED = "declined"


class LinkKind(StrEnum):
    """How a record relates to an earlier consent (which itself never changes)."""

    WITHDRAWS = "withdraws"
    SUPERSEDES = "supersedes"
    CORRECTS = "corrects"


@dataclass(frozen=True, slots=True)
class ConsentLink:
    kind: LinkKind
    consent_id: int


@dataclass(frozen=True, slots=True)
class PatientIdentity:
    """The patient as identified on the form at signing (a later name change does not
    alter what was signed)."""

    full_name: str
    date_of_birth: date | None
    patient_number: str


def quantised_ink(ink: SignatureInk) -> SignatureInk:
    """The ink at the precision the record keeps (see the module's notes)."""

    def point(p: InkPoint) -> InkPoint:
        pressure = None if p.pressure is None else _to_int(p.pressure, PRESSURE_SCALE)
        return InkPoint(
            x=_to_int(p.x, INK_SCALE) / INK_SCALE,
            y=_to_int(p.y, INK_SCALE) / INK_SCALE,
            t_ms=int(p.t_ms),
            pressure=None if pressure is None else pressure / PRESSURE_SCALE,
        )

    return SignatureInk(
        strokes=tuple(InkStroke(tuple(point(p) for p in s.points)) for s in ink.strokes),
        width=int(ink.width),
        height=int(ink.height),
        device=ink.device,
        pressure_reported=ink.pressure_reported,
    )


def _to_int(value: float, scale: int) -> int:
    return round(value * scale)  # raises for NaN and infinity, which no pad produces


@dataclass(frozen=True, slots=True)
class ConsentSignature:
    """One signature on the record.

    `ink` is None (and so are the image fields) for a countersignature confirmed by
    password alone. Give `image_png` and the SHA-256 is computed; a record read back
    from storage may carry only `image_sha256`.
    """

    meaning: SignatureMeaning
    signer_name: str
    signer_role: str
    signed_at_utc: datetime
    time_zone: str
    ink: SignatureInk | None
    image_sha256: str | None = None
    image_png: bytes | None = None

    def __post_init__(self) -> None:
        offset = self.signed_at_utc.utcoffset()
        if offset is None or offset != timedelta(0):
            raise ValueError("a signature's time must be given in UTC")
        object.__setattr__(self, "signed_at_utc", self.signed_at_utc.astimezone(UTC))
        if self.ink is not None:
            object.__setattr__(self, "ink", quantised_ink(self.ink))
        if self.image_png is not None:
            digest = hashlib.sha256(self.image_png).hexdigest()
            if self.image_sha256 is None:
                object.__setattr__(self, "image_sha256", digest)
            elif self.image_sha256 != digest:
                raise ValueError("the signature image does not match its SHA-256")


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    consent_id: int
    patient_id: int
    patient: PatientIdentity
    template_key: str
    template_version: int
    text: ConsentText
    acknowledged: tuple[str, ...]
    signatures: tuple[ConsentSignature, ...]
    status: ConsentStatus
    reason: str | None = None  # why declined (or why withdrawn or corrected)
    links: tuple[ConsentLink, ...] = ()

    def __post_init__(self) -> None:
        # Ticked is a set of keys: kept sorted, so equal records serialise equally.
        object.__setattr__(self, "acknowledged", tuple(sorted(self.acknowledged)))

    def signature(self, meaning: SignatureMeaning) -> ConsentSignature | None:
        return next((s for s in self.signatures if s.meaning is meaning), None)

    @property
    def signed_at_utc(self) -> datetime | None:
        """When the patient signed (consented or declined); else the first signature."""
        for meaning in (SignatureMeaning.PATIENT_CONSENT, SignatureMeaning.PATIENT_DECLINE):
            found = self.signature(meaning)
            if found is not None:
                return found.signed_at_utc
        return self.signatures[0].signed_at_utc if self.signatures else None

    def canonical_bytes(self) -> bytes:
        return canonical_json(self)

    def content_hash(self) -> str:
        """SHA-256 (hex) of the canonical serialisation."""
        return hashlib.sha256(canonical_json(self)).hexdigest()


def canonical_json(record: ConsentRecord) -> bytes:
    return json.dumps(
        _record_json(record),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def _record_json(r: ConsentRecord) -> dict[str, Any]:
    return {
        "format": CANONICAL_FORMAT,
        "consent_id": r.consent_id,
        "patient_id": r.patient_id,
        "patient": {
            "full_name": r.patient.full_name,
            "date_of_birth": _day(r.patient.date_of_birth),
            "patient_number": r.patient.patient_number,
        },
        "template": {"key": r.template_key, "version": r.template_version},
        "text": _text_json(r.text),
        "acknowledged": sorted(r.acknowledged),
        "signatures": [_signature_json(s) for s in r.signatures],
        "status": r.status.value,
        "reason": r.reason,
        "links": [{"kind": link.kind.value, "consent_id": link.consent_id} for link in r.links],
    }


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _text_json(text: ConsentText) -> dict[str, Any]:
    return {
        "template_key": text.template_key,
        "template_version": text.template_version,
        "title": text.title,
        "sections": [
            {
                "key": s.key,
                "heading": s.heading,
                "blocks": [_block_json(b) for b in s.blocks],
                "acknowledgements": [{"key": a.key, "text": a.text} for a in s.acknowledgements],
            }
            for s in text.sections
        ],
    }


def _block_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"paragraph": block.text}
    return {"bullets": list(block.items)}


def _signature_json(s: ConsentSignature) -> dict[str, Any]:
    ink = None
    if s.ink is not None:
        ink = {
            "width": s.ink.width,
            "height": s.ink.height,
            "device": s.ink.device.value,
            "pressure_reported": s.ink.pressure_reported,
            "strokes": [
                [
                    [
                        _to_int(p.x, INK_SCALE),
                        _to_int(p.y, INK_SCALE),
                        p.t_ms,
                        None if p.pressure is None else _to_int(p.pressure, PRESSURE_SCALE),
                    ]
                    for p in stroke.points
                ]
                for stroke in s.ink.strokes
            ],
        }
    return {
        "meaning": s.meaning.value,
        "signer_name": s.signer_name,
        "signer_role": s.signer_role,
        "signed_at_utc": s.signed_at_utc.strftime(_INSTANT),
        "time_zone": s.time_zone,
        "ink": ink,
        "image_sha256": s.image_sha256,
    }


# Meanings whose signer must draw: only a practitioner may countersign by password alone.
_DRAWN = {
    SignatureMeaning.PATIENT_CONSENT,
    SignatureMeaning.PATIENT_DECLINE,
    SignatureMeaning.WITNESS,
}


def record_problems(record: ConsentRecord) -> list[str]:
    """Why a record could not be frozen as it stands (empty when it can)."""
    problems = []
    r = record
    if (r.text.template_key, r.text.template_version) != (r.template_key, r.template_version):
        problems.append("the text is not from the template the record names")
    keys = [a.key for a in r.text.acknowledgements]
    if len(set(r.acknowledged)) != len(r.acknowledged):
        problems.append("an acknowledgement is ticked twice")
    if unknown := sorted(set(r.acknowledged) - set(keys)):
        problems.append(f"ticked acknowledgements not in the text: {', '.join(unknown)}")
    meanings = [s.meaning for s in r.signatures]
    if any(meanings.count(m) > 1 for m in set(meanings)):
        problems.append("two signatures with the same meaning")
    if r.status is ConsentStatus.SIGNED:
        if missing := [k for k in keys if k not in r.acknowledged]:
            problems.append(f"acknowledgements not ticked: {', '.join(missing)}")
        for needed in (SignatureMeaning.PATIENT_CONSENT, SignatureMeaning.PRACTITIONER):
            if needed not in meanings:
                problems.append(f"no {needed.value} signature")
        if SignatureMeaning.PATIENT_DECLINE in meanings:
            problems.append("a signed consent cannot carry the patient's decline")
    else:
        if not (r.reason or "").strip():
            problems.append("a declined consent needs the reason")
        if SignatureMeaning.PATIENT_CONSENT in meanings:
            problems.append("a declined consent cannot carry the patient's consent signature")
    for s in r.signatures:
        if not s.signer_name.strip() or not s.signer_role.strip():
            problems.append(f"the {s.meaning.value} signature has no signer name or role")
        if s.meaning in _DRAWN and s.ink is None:
            problems.append(f"the {s.meaning.value} signature must be drawn")
        if (s.ink is None) != (s.image_sha256 is None):
            problems.append(f"the {s.meaning.value} signature needs both its strokes and image")
        if not _known_zone(s.time_zone):
            problems.append(f"unknown time zone {s.time_zone!r}")
    if any(link.consent_id == r.consent_id for link in r.links):
        problems.append("a consent cannot link to itself")
    return problems


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def record_from_canonical(data: bytes) -> ConsentRecord:
    """The record a canonical serialisation describes (signature images as hashes only)."""
    raw = json.loads(data.decode("utf-8"))
    if raw.get("format") != CANONICAL_FORMAT:
        raise ValueError(f"not a {CANONICAL_FORMAT} serialisation")
    patient, template, text = raw["patient"], raw["template"], raw["text"]
    return ConsentRecord(
        consent_id=int(raw["consent_id"]),
        patient_id=int(raw["patient_id"]),
        patient=PatientIdentity(
            full_name=patient["full_name"],
            date_of_birth=_parse_day(patient["date_of_birth"]),
            patient_number=patient["patient_number"],
        ),
        template_key=template["key"],
        template_version=int(template["version"]),
        text=ConsentText(
            template_key=text["template_key"],
            template_version=int(text["template_version"]),
            title=text["title"],
            sections=tuple(
                ConsentSection(
                    key=s["key"],
                    heading=s["heading"],
                    blocks=tuple(_parse_block(b) for b in s["blocks"]),
                    acknowledgements=tuple(
                        Acknowledgement(a["key"], a["text"]) for a in s["acknowledgements"]
                    ),
                )
                for s in text["sections"]
            ),
        ),
        acknowledged=tuple(raw["acknowledged"]),
        signatures=tuple(_parse_signature(s) for s in raw["signatures"]),
        status=ConsentStatus(raw["status"]),
        reason=raw["reason"],
        links=tuple(ConsentLink(LinkKind(k["kind"]), int(k["consent_id"])) for k in raw["links"]),
    )


def _parse_day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _parse_block(raw: dict[str, Any]) -> Block:
    if "paragraph" in raw:
        return Paragraph(raw["paragraph"])
    return BulletList(tuple(raw["bullets"]))


def _parse_signature(raw: dict[str, Any]) -> ConsentSignature:
    ink = raw["ink"]
    return ConsentSignature(
        meaning=SignatureMeaning(raw["meaning"]),
        signer_name=raw["signer_name"],
        signer_role=raw["signer_role"],
        signed_at_utc=datetime.strptime(raw["signed_at_utc"], _INSTANT).replace(tzinfo=UTC),
        time_zone=raw["time_zone"],
        ink=None if ink is None else SignatureInk(
            strokes=tuple(
                InkStroke(tuple(
                    InkPoint(
                        x=x / INK_SCALE,
                        y=y / INK_SCALE,
                        t_ms=t,
                        pressure=None if p is None else p / PRESSURE_SCALE,
                    )
                    for x, y, t, p in stroke
                ))
                for stroke in ink["strokes"]
            ),
            width=ink["width"],
            height=ink["height"],
            device=InkDevice(ink["device"]),
            pressure_reported=ink["pressure_reported"],
        ),
        image_sha256=raw["image_sha256"],
    )
