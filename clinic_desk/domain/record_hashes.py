"""Canonical forms and SHA-256 hashes of the clinical records the audit log vouches for.

Each audit entry for a clinical write names the rows it wrote with the hash of each row
over a canonical serialisation, so `audit verify` can recompute every hash and name a
history row that was changed, deleted, replaced or added behind the application's back.

A record type is a table name, a format number and the columns that make the record, in
order, each with its kind. A format never changes once released: a new column is a new
format, and the stored links say which format each hash used, so old hashes stay
checkable. A later feature (consents, treatment records) registers its record type with
`RECORD_TYPES.register(...)` in this module, next to the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum


class FieldKind(StrEnum):
    INTEGER = "integer"
    TEXT = "text"
    BOOLEAN = "boolean"
    DATE = "date"
    UTC_TIME = "utc_time"


@dataclass(frozen=True, slots=True)
class HashedRecordType:
    """One format of one kind of clinical record; `fields` starts with the row id."""

    name: str
    format: int
    fields: tuple[tuple[str, FieldKind], ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)


class RecordCanonicalError(ValueError):
    """A value does not fit the kind its record type declares."""


def _canonical_value(kind: FieldKind, value: object, name: str) -> object:
    if value is None:
        return None
    if kind is FieldKind.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is FieldKind.TEXT and isinstance(value, str):
        return value
    if kind is FieldKind.BOOLEAN and isinstance(value, bool):
        return value
    if kind is FieldKind.DATE and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if kind is FieldKind.UTC_TIME and isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    raise RecordCanonicalError(f"{name}: {type(value).__name__} is not a {kind.value}")


def canonical_record(record_type: HashedRecordType, values: Mapping[str, object]) -> bytes:
    """The bytes hashed: a compact JSON array naming the type and format, then the values.

    Keys are never part of it (their order is the type's), strings are kept as they are
    (UTF-8, no escaping beyond JSON's), dates are ISO 8601, times UTC to the microsecond.
    """
    items = [
        _canonical_value(kind, values[name], f"{record_type.name}.{name}")
        for name, kind in record_type.fields
    ]
    text = json.dumps(
        ["clinic-desk-record", record_type.name, record_type.format, items],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return text.encode("utf-8")


def record_hash(record_type: HashedRecordType, values: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_record(record_type, values)).hexdigest()


@dataclass(frozen=True, slots=True, order=True)
class RecordLink:
    """An audit entry's statement: record `record_id` of this type had this hash."""

    record_type: str
    record_id: int
    record_format: int
    record_hash: str


def records_digest(links: Iterable[RecordLink]) -> str:
    """One hash over every record an audit entry vouches for ("" when it vouches for none);
    part of the entry's own hash, so a link cannot be changed without breaking the chain."""
    ordered = sorted(links)
    if not ordered:
        return ""
    text = json.dumps(
        [[k.record_type, k.record_id, k.record_format, k.record_hash] for k in ordered],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RecordTypes:
    """The registry of hashed record types: every format ever released, and the current one."""

    def __init__(self) -> None:
        self._formats: dict[tuple[str, int], HashedRecordType] = {}
        self._current: dict[str, HashedRecordType] = {}

    def register(self, record_type: HashedRecordType) -> HashedRecordType:
        key = (record_type.name, record_type.format)
        if key in self._formats:
            raise ValueError(f"{record_type.name} format {record_type.format} is registered")
        if not record_type.fields or record_type.fields[0] != ("id", FieldKind.INTEGER):
            raise ValueError("a hashed record's first field is its integer id")
        self._formats[key] = record_type
        current = self._current.get(record_type.name)
        if current is None or current.format < record_type.format:
            self._current[record_type.name] = record_type
        return record_type

    def format_of(self, name: str, record_format: int) -> HashedRecordType:
        return self._formats[(name, record_format)]

    def current(self, name: str) -> HashedRecordType:
        return self._current[name]

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._current))

    def __contains__(self, name: object) -> bool:
        return name in self._current


_I, _T, _B, _D, _U = (
    FieldKind.INTEGER,
    FieldKind.TEXT,
    FieldKind.BOOLEAN,
    FieldKind.DATE,
    FieldKind.UTC_TIME,
)

RECORD_TYPES = RecordTypes()

PATIENT_REVISION = RECORD_TYPES.register(
    HashedRecordType(
        "patient_revision",
        1,
        (
            ("id", _I),
            ("patient_id", _I),
            ("version", _I),
            ("details_json", _T),
            ("recorded_at", _U),
            ("recorded_by", _I),
        ),
    )
)
INTAKE_RECORD = RECORD_TYPES.register(
    HashedRecordType(
        "intake_record",
        1,
        (
            ("id", _I),
            ("patient_id", _I),
            ("sequence", _I),
            ("questionnaire_version", _I),
            ("answers_json", _T),
            ("recorded_on", _D),
            ("recorded_at", _U),
            ("signed_off_by", _I),
            ("taken_by_patient", _B),
        ),
    )
)
SCREENING_CLEARANCE = RECORD_TYPES.register(
    HashedRecordType(
        "screening_clearance",
        1,
        (
            ("id", _I),
            ("patient_id", _I),
            ("intake_record_id", _I),
            ("rule_id", _T),
            ("reason", _T),
            ("cleared_by", _I),
            ("cleared_at", _U),
        ),
    )
)

CLEARANCE_REVOCATION = RECORD_TYPES.register(
    HashedRecordType(
        "clearance_revocation",
        1,
        (
            ("id", _I),
            ("clearance_id", _I),
            ("patient_id", _I),
            ("reason", _T),
            ("revoked_by", _I),
            ("revoked_at", _U),
        ),
    )
)

# --- consent forms (migration 0007) -----------------------------------------------------

CONSENT_TEMPLATE = RECORD_TYPES.register(
    HashedRecordType(
        "consent_template",
        1,
        (
            ("id", _I),
            ("form_key", _T),
            ("version", _I),
            ("title", _T),
            ("radiofrequency", _B),
            ("for_treatment", _B),
            ("source", _T),
            ("source_sha256", _T),
            ("origin", _T),
            ("registered_at", _U),
            ("registered_by", _I),
        ),
    )
)
CONSENT_TEMPLATE_STATUS = RECORD_TYPES.register(
    HashedRecordType(
        "consent_template_status",
        1,
        (
            ("id", _I),
            ("template_id", _I),
            ("status", _T),
            ("changed_at", _U),
            ("changed_by", _I),
        ),
    )
)
CONSENT_RECORD = RECORD_TYPES.register(
    HashedRecordType(
        "consent_record",
        1,
        (
            ("id", _I),
            ("patient_id", _I),
            ("template_id", _I),
            ("template_key", _T),
            ("template_version", _I),
            ("status", _T),
            ("for_treatment", _B),
            ("covers_rf", _B),
            ("signed_at", _U),
            ("signed_on", _D),
            ("time_zone", _T),
            ("recorded_by", _I),
            ("link_kind", _T),
            ("linked_consent_id", _I),
            ("canonical_json", _T),
            ("content_hash", _T),
        ),
    )
)
# The picture itself is checked against image_sha256 (audit verify), not hashed again.
CONSENT_SIGNATURE = RECORD_TYPES.register(
    HashedRecordType(
        "consent_signature",
        1,
        (
            ("id", _I),
            ("consent_id", _I),
            ("position", _I),
            ("meaning", _T),
            ("signer_name", _T),
            ("signer_role", _T),
            ("signer_staff_id", _I),
            ("signed_at", _U),
            ("time_zone", _T),
            ("strokes_json", _T),
            ("image_sha256", _T),
        ),
    )
)
# A certificate slipped in behind the application's back would make forged PDFs pass.
SIGNING_CERTIFICATE = RECORD_TYPES.register(
    HashedRecordType(
        "signing_certificate",
        1,
        (
            ("id", _I),
            ("fingerprint", _T),
            ("subject", _T),
            ("certificate_pem", _T),
            ("not_before", _U),
            ("not_after", _U),
            ("origin", _T),
            ("workstation", _T),
            ("registered_at", _U),
            ("registered_by", _I),
        ),
    )
)

# Devices and treatment sessions (schema 0008).
DEVICE_REVISION = RECORD_TYPES.register(
    HashedRecordType(
        "device_revision",
        1,
        (
            ("id", _I),
            ("device_id", _I),
            ("version", _I),
            ("profile_json", _T),
            ("is_active", _B),
            ("recorded_at", _U),
            ("recorded_by", _I),
        ),
    )
)
PROTOCOL_VERSION = RECORD_TYPES.register(
    HashedRecordType(
        "protocol_version",
        1,
        (
            ("id", _I),
            ("version", _I),
            ("based_on", _I),
            ("protocol_json", _T),
            ("note", _T),
            ("recorded_at", _U),
            ("recorded_by", _I),
        ),
    )
)
TREATMENT_SESSION = RECORD_TYPES.register(
    HashedRecordType(
        "treatment_session",
        1,
        (
            ("id", _I),
            ("patient_id", _I),
            ("course_id", _I),
            ("practitioner_id", _I),
            ("session_date", _D),
            ("started_at", _U),
            ("signed_off_at", _U),
            ("device_id", _I),
            ("device_version", _I),
            ("device_label", _T),
            ("device_model_key", _T),
            ("cartridge_key", _T),
            ("lot_id", _I),
            ("lot_number", _T),
            ("lot_expiry", _D),
            ("protocol_version", _I),
            ("uses_rf", _B),
            ("energy_unit", _T),
            ("highest_rf_milli", _I),
            ("consent_record_id", _I),
            ("record_json", _T),
        ),
    )
)
SESSION_AMENDMENT = RECORD_TYPES.register(
    HashedRecordType(
        "session_amendment",
        1,
        (
            ("id", _I),
            ("session_id", _I),
            ("patient_id", _I),
            ("correction", _T),
            ("reason", _T),
            ("amended_by", _I),
            ("amended_at", _U),
        ),
    )
)
ADVERSE_EVENT = RECORD_TYPES.register(
    HashedRecordType(
        "adverse_event",
        1,
        (
            ("id", _I),
            ("session_id", _I),
            ("patient_id", _I),
            ("kind", _T),
            ("description", _T),
            ("onset_on", _D),
            ("severity", _T),
            ("action_taken", _T),
            ("recorded_by", _I),
            ("recorded_at", _U),
        ),
    )
)
ADVERSE_EVENT_FOLLOWUP = RECORD_TYPES.register(
    HashedRecordType(
        "adverse_event_followup",
        1,
        (
            ("id", _I),
            ("adverse_event_id", _I),
            ("patient_id", _I),
            ("note", _T),
            ("outcome", _T),
            ("reported_to_manufacturer", _B),
            ("reported_to_authority", _B),
            ("closes_event", _B),
            ("recorded_by", _I),
            ("recorded_at", _U),
        ),
    )
)

# The documents history (schema 0009).
HANDED_OUT_DOCUMENT = RECORD_TYPES.register(
    HashedRecordType(
        "handed_out_document",
        1,
        (
            ("id", _I),
            ("patient_id", _I),
            ("kind", _T),
            ("template_key", _T),
            ("template_version", _I),
            ("source_id", _I),
            ("content_sha256", _T),
            ("how", _T),
            ("handed_by", _I),
            ("handed_at", _U),
        ),
    )
)

# The appointment book's history (schema 0010).
APPOINTMENT_CHANGE = RECORD_TYPES.register(
    HashedRecordType(
        "appointment_change",
        1,
        (
            ("id", _I),
            ("appointment_id", _I),
            ("patient_id", _I),
            ("change", _T),
            ("status", _T),
            ("starts_at", _U),
            ("length_minutes", _I),
            ("practitioner_id", _I),
            ("room_id", _I),
            ("detail", _T),
            ("changed_by", _I),
            ("changed_at", _U),
        ),
    )
)

# Audit actions that store clinical records: a successful entry of one of these (in hash
# format 2) must vouch for at least one record of the type named, else it is a forgery.
CLINICAL_WRITES: dict[str, str] = {
    "patient.registered": PATIENT_REVISION.name,
    "patient.changed": PATIENT_REVISION.name,
    "intake.recorded": INTAKE_RECORD.name,
    "screening.cleared": SCREENING_CLEARANCE.name,
    "screening.clearance_revoked": CLEARANCE_REVOCATION.name,
    "consent.signed": CONSENT_RECORD.name,
    "consent.declined": CONSENT_RECORD.name,
    "consent.withdrawn": CONSENT_RECORD.name,
    "consent.template_imported": CONSENT_TEMPLATE.name,
    "consent.template_retired": CONSENT_TEMPLATE_STATUS.name,
    "consent.template_published": CONSENT_TEMPLATE_STATUS.name,
    "signing.certificate_registered": SIGNING_CERTIFICATE.name,
    "device.added": DEVICE_REVISION.name,
    "device.changed": DEVICE_REVISION.name,
    "protocol.saved": PROTOCOL_VERSION.name,
    "session.signed_off": TREATMENT_SESSION.name,
    "session.amended": SESSION_AMENDMENT.name,
    "adverse_event.recorded": ADVERSE_EVENT.name,
    "adverse_event.followed_up": ADVERSE_EVENT_FOLLOWUP.name,
    "document.handed_out": HANDED_OUT_DOCUMENT.name,
    "appointment.booked": APPOINTMENT_CHANGE.name,
    "appointment.moved": APPOINTMENT_CHANGE.name,
    "appointment.status_changed": APPOINTMENT_CHANGE.name,
    "appointment.handed_over": APPOINTMENT_CHANGE.name,
}
