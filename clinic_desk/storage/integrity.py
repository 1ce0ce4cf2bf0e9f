"""Checks beyond the chain itself: the records it vouches for, the current patient rows,
and (SQLite) the file's own structure. Each finding names the row concerned, by id."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

from clinic_desk.domain.record_hashes import (
    CLINICAL_WRITES,
    RECORD_TYPES,
    RecordLink,
    record_hash,
    records_digest,
)
from clinic_desk.storage.models import AuditEntry, AuditRecord, Patient, PatientRevision
from clinic_desk.storage.models_documents import DocumentContent
from clinic_desk.storage.record_store import stream_records

MAX_NAMED = 20
# The registration details a patient_revision holds, as columns of the patient row.
PATIENT_DETAIL_COLUMNS = (
    "family_name",
    "given_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "referring_physician",
    "fitzpatrick_type",
    "notes",
)


@dataclass
class Findings:
    """What a check found: the first MAX_NAMED named, and how many in all."""

    named: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, problem: str) -> None:
        self.count += 1
        if len(self.named) < MAX_NAMED:
            self.named.append(problem)

    def lines(self) -> list[str]:
        more = self.count - len(self.named)
        return self.named + ([f"… and {more} more"] if more > 0 else [])


def quick_check(conn: Connection) -> list[str]:
    """SQLite's own structural check (`PRAGMA quick_check`); [] when the file is sound."""
    if conn.dialect.name != "sqlite":
        return []
    try:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    except DBAPIError as exc:
        return [f"the database file is damaged ({str(exc.orig).strip()})"]
    if rows == ["ok"]:
        return []
    return [f"the database file is damaged: {'; '.join(rows[:5])}"]


def check_link_digests(conn: Connection, findings: Findings) -> None:
    """Each entry's stored records_digest matches the links stored for it, and each
    clinical write vouches for a record of the type it writes."""
    claimed = dict(
        conn.execute(
            select(AuditEntry.seq, AuditEntry.records_digest).where(AuditEntry.records_digest != "")
        ).all()
    )
    writes = dict(
        conn.execute(
            select(AuditEntry.seq, AuditEntry.action).where(
                AuditEntry.action.in_(CLINICAL_WRITES),
                AuditEntry.outcome == "success",
                AuditEntry.hash_format >= 2,
            )
        ).all()
    )
    for seq, links in _links_by_seq(conn):
        digest = records_digest(links)
        if claimed.pop(seq, "") != digest:
            findings.add(
                f"the records vouched for by audit entry {seq} were altered "
                "(links added, changed or removed)"
            )
        action = writes.pop(seq, None)
        if action is not None and not any(k.record_type == CLINICAL_WRITES[action] for k in links):
            findings.add(f"audit entry {seq} ({action}) vouches for no {CLINICAL_WRITES[action]}")
    for seq, action in sorted(writes.items()):
        findings.add(
            f"audit entry {seq} says {action} but vouches for no record: it was forged "
            "or its records were removed"
        )
    for seq in sorted(claimed):
        findings.add(f"the records vouched for by audit entry {seq} were removed")


def _links_by_seq(conn: Connection) -> Iterator[tuple[int, list[RecordLink]]]:
    a = AuditRecord
    rows = conn.execute(
        select(a.seq, a.record_type, a.record_id, a.record_format, a.record_hash).order_by(
            a.seq, a.record_type, a.record_id
        )
    )
    current_seq: int | None = None
    group: list[RecordLink] = []
    for seq, record_type, record_id, record_format, hash_ in rows:
        if seq != current_seq:
            if current_seq is not None:
                yield current_seq, group
            current_seq, group = seq, []
        group.append(RecordLink(record_type, record_id, record_format, hash_))
    if current_seq is not None:
        yield current_seq, group


def check_records(conn: Connection, findings: Findings) -> int:
    """Recompute every vouched-for record's hash; name changed, deleted and added rows.
    Returns how many records were checked."""
    checked = 0
    for name in RECORD_TYPES.names():
        a = AuditRecord
        links: dict[int, tuple[int, str, int]] = {
            record_id: (record_format, hash_, seq)
            for record_id, record_format, hash_, seq in conn.execute(
                select(a.record_id, a.record_format, a.record_hash, a.seq).where(
                    a.record_type == name
                )
            )
        }
        current = RECORD_TYPES.current(name)
        formats = {fmt for fmt, _, _ in links.values()} | {current.format}
        seen: set[int] = set()
        for record_format in sorted(formats):
            record_type = RECORD_TYPES.format_of(name, record_format)
            for values in stream_records(conn, record_type):
                record_id = int(values["id"])  # type: ignore[call-overload]
                link = links.get(record_id)
                if link is None:
                    if record_format == current.format:
                        findings.add(
                            f"{name} row {record_id} was added without an audit entry "
                            "vouching for it"
                        )
                    continue
                if link[0] != record_format:
                    continue
                seen.add(record_id)
                checked += 1
                if record_hash(record_type, values) != link[1]:
                    findings.add(
                        f"{name} row {record_id} was changed after audit entry {link[2]} "
                        "recorded it"
                    )
        for record_id in sorted(links.keys() - seen):
            findings.add(
                f"{name} row {record_id}, recorded by audit entry {links[record_id][2]}, "
                "was deleted"
            )
    return checked


def check_document_contents(conn: Connection, findings: Findings) -> int:
    """Each kept PDF still has the SHA-256 it is filed under (the handed-out rows, which
    the chain vouches for, name that hash)."""
    checked = 0
    for sha, pdf in conn.execute(
        select(DocumentContent.content_sha256, DocumentContent.pdf)
        .order_by(DocumentContent.content_sha256)
    ):
        checked += 1
        if hashlib.sha256(pdf).hexdigest() != sha:
            findings.add(f"document_content {sha[:12]}… no longer holds the PDF handed out")
    return checked


def check_patients(conn: Connection, findings: Findings) -> int:
    """Each current patient row holds the details of its latest revision."""
    latest = (
        select(PatientRevision.patient_id, func.max(PatientRevision.version).label("version"))
        .group_by(PatientRevision.patient_id)
        .subquery()
    )
    r = PatientRevision
    query = (
        select(
            Patient.id,
            Patient.version,
            *(getattr(Patient, c) for c in PATIENT_DETAIL_COLUMNS),
            r.version,
            r.details_json,
        )
        .select_from(Patient)
        .outerjoin(latest, latest.c.patient_id == Patient.id)
        .outerjoin(r, (r.patient_id == latest.c.patient_id) & (r.version == latest.c.version))
        .order_by(Patient.id)
    )
    checked = 0
    for row in conn.execute(query):
        checked += 1
        patient_id, version = row[0], row[1]
        current = dict(zip(PATIENT_DETAIL_COLUMNS, row[2:-2], strict=True))
        revision_version, details_json = row[-2], row[-1]
        if details_json is None:
            findings.add(f"patient row {patient_id} has no recorded revision")
            continue
        if version < revision_version or _details(current) != _revision(details_json):
            findings.add(
                f"patient row {patient_id} differs from its latest revision "
                f"(version {revision_version}): it was changed without a revision"
            )
    return checked


def _details(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()
    }


def _revision(details_json: str) -> dict[str, Any]:
    try:
        raw = json.loads(details_json)
    except ValueError:
        return {}
    return {k: raw.get(k) for k in PATIENT_DETAIL_COLUMNS} if isinstance(raw, dict) else {}


def database_identity(conn: Connection) -> str | None:
    """The random id this database was given at creation (None before schema 0005)."""
    try:
        return conn.execute(text("SELECT database_id FROM database_identity WHERE id = 1")).scalar()
    except DBAPIError:
        return None
