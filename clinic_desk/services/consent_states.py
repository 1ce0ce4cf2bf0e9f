"""How each consent stands now, worked out from the frozen records of one patient (or
many): withdrawn, superseded, re-consent needed; and the consents a session may rely on.

Nothing here writes: the records never change, so their standing is always derived from
the later records that name them, the form versions the clinic has now and the day.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date

from clinic_desk.domain.consent_record import ConsentStatus, LinkKind
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.session_start import ConsentOnFile, consent_last_valid_day
from clinic_desk.services.consent_dto import (
    ConsentState,
    ConsentSummary,
    ReconsentFlag,
    SignatureView,
)
from clinic_desk.services.consent_forms import FormShelf
from clinic_desk.storage.models_consents import ConsentRecordRow, ConsentSignatureRow


def is_intact(row: ConsentRecordRow) -> bool:
    """The stored bytes still hash to the stored content hash."""
    digest = hashlib.sha256(row.canonical_json.encode("utf-8")).hexdigest()
    return digest == row.content_hash


def links_to(rows: Iterable[ConsentRecordRow]) -> dict[int, list[tuple[LinkKind, int]]]:
    """For each consent named by a later record: (how, the later record's id)."""
    found: dict[int, list[tuple[LinkKind, int]]] = {}
    for row in rows:
        if row.link_kind is not None and row.linked_consent_id is not None:
            found.setdefault(row.linked_consent_id, []).append(
                (LinkKind(row.link_kind), row.id)
            )
    return found


def _reconsent_reasons(
    row: ConsentRecordRow, shelf: FormShelf, today: date, months: int
) -> list[str]:
    reasons = []
    current = shelf.current(row.template_key)
    if current is not None and current.template.version > row.template_version:
        reasons.append(
            f"Version {current.template.version} of the form “{current.template.title}” "
            f"replaces version {row.template_version}: the patient must sign the new one."
        )
    if row.for_treatment:
        last = consent_last_valid_day(row.signed_on, months)
        if today > last:
            reasons.append(
                f"The consent signed on {row.signed_on.isoformat()} was valid until "
                f"{last.isoformat()} ({months} months): the patient must sign again."
            )
    return reasons


def state_of(
    row: ConsentRecordRow,
    later: Sequence[tuple[LinkKind, int]],
    shelf: FormShelf,
    today: date,
    months: int,
) -> tuple[ConsentState, tuple[str, ...]]:
    if row.link_kind == LinkKind.WITHDRAWS.value:
        return ConsentState.WITHDRAWAL, (
            f"Withdraws consent no. {row.linked_consent_id}.",
        )
    if row.status == ConsentStatus.DECLINED.value:
        return ConsentState.DECLINED, ()
    withdrawals = [i for kind, i in later if kind is LinkKind.WITHDRAWS]
    if withdrawals:
        return ConsentState.WITHDRAWN, (f"Withdrawn by record no. {withdrawals[0]}.",)
    replaced = [(kind, i) for kind, i in later if kind is not LinkKind.WITHDRAWS]
    if replaced:
        kind, other = replaced[0]
        how = "Corrected" if kind is LinkKind.CORRECTS else "Replaced"
        return ConsentState.SUPERSEDED, (f"{how} by consent no. {other}.",)
    reasons = _reconsent_reasons(row, shelf, today, months)
    if reasons:
        return ConsentState.RECONSENT_NEEDED, tuple(reasons)
    return ConsentState.SIGNED, ()


def summary_of(
    row: ConsentRecordRow,
    later: Sequence[tuple[LinkKind, int]],
    shelf: FormShelf,
    today: date,
    months: int,
    names: dict[int, str],
    signatures: Sequence[ConsentSignatureRow] = (),
) -> ConsentSummary:
    state, reasons = state_of(row, later, shelf, today, months)
    raw = json.loads(row.canonical_json)
    valid_until = None
    if row.for_treatment and row.status == ConsentStatus.SIGNED.value and not row.link_kind:
        valid_until = consent_last_valid_day(row.signed_on, months)
    return ConsentSummary(
        consent_id=row.id,
        patient_id=row.patient_id,
        patient_number=format_patient_number(row.patient_id),
        patient_name=str(raw.get("patient", {}).get("full_name", "")),
        template_key=row.template_key,
        template_version=row.template_version,
        title=str(raw.get("text", {}).get("title", row.template_key)),
        status=ConsentStatus(row.status),
        state=state,
        state_reasons=reasons,
        signed_at=row.signed_at,
        signed_on=row.signed_on,
        time_zone=row.time_zone,
        valid_until=valid_until,
        for_treatment=row.for_treatment,
        covers_rf=row.covers_rf,
        link_kind=LinkKind(row.link_kind) if row.link_kind else None,
        linked_consent_id=row.linked_consent_id,
        linked_by=tuple(later),
        reason=raw.get("reason"),
        content_hash=row.content_hash,
        recorded_by=names.get(row.recorded_by, "?"),
        intact=is_intact(row),
        signatures=tuple(
            SignatureView(
                meaning=s.meaning,
                signer_name=s.signer_name,
                signer_role=s.signer_role,
                signed_at=s.signed_at,
                time_zone=s.time_zone,
                drawn=s.strokes_json is not None,
            )
            for s in signatures
        ),
    )


def standing_consent(
    rows: Sequence[ConsentRecordRow], form_key: str
) -> ConsentRecordRow | None:
    """The newest signed consent of this form that nothing withdrew or replaced."""
    later = links_to(rows)
    standing = [
        r for r in rows
        if r.template_key == form_key
        and r.status == ConsentStatus.SIGNED.value
        and r.link_kind != LinkKind.WITHDRAWS.value
        and r.id not in later
    ]
    return standing[-1] if standing else None


def reconsent_flag(
    patient_id: int, rows: Sequence[ConsentRecordRow], shelf: FormShelf, today: date,
    months: int,
) -> ReconsentFlag:
    later = links_to(rows)
    reasons: list[str] = []
    concerned: list[int] = []
    for row in rows:
        state, why = state_of(row, later.get(row.id, ()), shelf, today, months)
        if state is ConsentState.RECONSENT_NEEDED:
            reasons.extend(why)
            concerned.append(row.id)
    return ReconsentFlag(patient_id, bool(concerned), tuple(reasons), tuple(concerned))


def consents_on_file_of(rows: Sequence[ConsentRecordRow]) -> list[ConsentOnFile]:
    """The signed treatment consents a session-start check weighs (domain/session_start):
    a replaced one is left out (its replacement is on file), a withdrawn one carries the
    day of its withdrawal, one whose bytes no longer match its hash is not intact."""
    later = links_to(rows)
    by_id = {r.id: r for r in rows}
    on_file = []
    for row in rows:
        if not row.for_treatment or row.status != ConsentStatus.SIGNED.value:
            continue
        if row.link_kind == LinkKind.WITHDRAWS.value:
            continue
        links = later.get(row.id, [])
        if any(kind is not LinkKind.WITHDRAWS for kind, _ in links):
            continue
        withdrawn = [by_id[i].signed_on for kind, i in links if kind is LinkKind.WITHDRAWS]
        on_file.append(
            ConsentOnFile(
                signed_on=row.signed_on,
                covers_rf=row.covers_rf,
                intact=is_intact(row),
                withdrawn_on=min(withdrawn) if withdrawn else None,
                record_id=row.id,
            )
        )
    return on_file
