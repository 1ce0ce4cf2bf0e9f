"""`audit verify` for consents: each stored consent against its own content hash, its
columns against its frozen record, and each signature row against the record's
signatures (a signature changed, moved to another consent or removed is named), each
signature picture against its SHA-256, and every consent the audit log vouches for still
present. The audit chain's record links (integrity.check_records) come on top."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from clinic_desk.storage.integrity import Findings
from clinic_desk.storage.models import AuditRecord
from clinic_desk.storage.models_consents import ConsentRecordRow, ConsentSignatureRow

_INSTANT = "%Y-%m-%dT%H:%M:%S.%fZ"
_BATCH = 500


def check_consents(conn: Connection, findings: Findings) -> int:
    """Returns how many consents were checked."""
    checked = 0
    seen: set[int] = set()
    for row, signatures in _consents_with_signatures(conn):
        checked += 1
        seen.add(row.id)
        for problem in consent_problems(row, signatures):
            findings.add(f"consent no. {row.id}: {problem}")
    vouched = conn.execute(
        select(AuditRecord.record_id, AuditRecord.seq).where(
            AuditRecord.record_type == "consent_record"
        )
    ).all()
    for consent_id, seq in sorted(vouched):
        if consent_id not in seen:
            findings.add(f"consent no. {consent_id}, recorded by audit entry {seq}, was deleted")
    orphans = conn.execute(
        select(ConsentSignatureRow.id, ConsentSignatureRow.consent_id)
        .where(ConsentSignatureRow.consent_id.not_in(select(ConsentRecordRow.id)))
    ).all()
    for signature_id, consent_id in orphans:
        findings.add(f"signature row {signature_id} names consent no. {consent_id}, which "
                     "does not exist")
    return checked


def _consents_with_signatures(
    conn: Connection,
) -> Iterator[tuple[Any, list[Any]]]:
    last = 0
    while True:
        rows = conn.execute(
            select(ConsentRecordRow.__table__).where(ConsentRecordRow.id > last)
            .order_by(ConsentRecordRow.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        ids = [r.id for r in rows]
        by_consent: dict[int, list[Any]] = {i: [] for i in ids}
        for signature in conn.execute(
            select(ConsentSignatureRow.__table__)
            .where(ConsentSignatureRow.consent_id.in_(ids))
            .order_by(ConsentSignatureRow.consent_id, ConsentSignatureRow.position)
        ):
            by_consent[signature.consent_id].append(signature)
        for row in rows:
            yield row, by_consent[row.id]
        last = ids[-1]


def consent_problems(row: Any, signatures: list[Any]) -> list[str]:
    digest = hashlib.sha256(row.canonical_json.encode("utf-8")).hexdigest()
    if digest != row.content_hash:
        return ["its stored text no longer matches its content hash: it was changed "
                "after signing"]
    try:
        raw = json.loads(row.canonical_json)
    except ValueError:
        return ["its stored text is not a consent record"]
    problems = []
    columns = {
        "consent_id": (raw.get("consent_id"), row.id),
        "patient": (raw.get("patient_id"), row.patient_id),
        "form": ((raw.get("template") or {}).get("key"), row.template_key),
        "form version": ((raw.get("template") or {}).get("version"), row.template_version),
        "status": (raw.get("status"), row.status),
    }
    for name, (frozen, stored) in columns.items():
        if frozen != stored:
            problems.append(f"its {name} column ({stored}) differs from the signed record "
                            f"({frozen})")
    link = (raw.get("links") or [{}])[0] if raw.get("links") else {}
    if (link.get("kind"), link.get("consent_id")) != (row.link_kind, row.linked_consent_id):
        problems.append("its link to an earlier consent differs from the signed record")
    frozen_signatures = raw.get("signatures") or []
    if len(signatures) != len(frozen_signatures):
        problems.append(
            f"it has {len(signatures)} signature rows but was signed with "
            f"{len(frozen_signatures)}: a signature was moved, added or removed")
        return problems
    for stored, frozen in zip(signatures, frozen_signatures, strict=True):
        problems.extend(_signature_problems(stored, frozen))
    return problems


def _signature_problems(stored: Any, frozen: dict[str, Any]) -> list[str]:
    meaning = frozen.get("meaning")
    ink = frozen.get("ink")
    strokes = None if ink is None else json.dumps(
        ink, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    when = stored.signed_at.strftime(_INSTANT) if stored.signed_at is not None else None
    same = (
        stored.meaning == meaning
        and stored.signer_name == frozen.get("signer_name")
        and stored.signer_role == frozen.get("signer_role")
        and when == frozen.get("signed_at_utc")
        and stored.time_zone == frozen.get("time_zone")
        and stored.strokes_json == strokes
        and stored.image_sha256 == frozen.get("image_sha256")
    )
    problems = []
    if not same:
        problems.append(f"the {meaning} signature (row {stored.id}) differs from the signed "
                        "record: it was changed or moved from another consent")
    if stored.image_png is not None and (
        hashlib.sha256(stored.image_png).hexdigest() != stored.image_sha256
    ):
        problems.append(f"the picture of the {stored.meaning} signature (row {stored.id}) "
                        "was changed")
    return problems
