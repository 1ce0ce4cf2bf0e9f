"""May this session start? The pre-conditions, as one pure function over plain inputs.

A session starts only with a signed, intact consent that covers this treatment (with or
without RF) and is still valid on the session day, and a screening for that day and
that treatment that is not "do not treat" and has every "needs clearance" cleared.
The services enforce it; the screens show the same blockers beside the Start button.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from clinic_desk.domain.screening import ScreeningResult, ScreeningStatus, Severity, add_months

DEFAULT_CONSENT_VALIDITY_MONTHS = 12
MIN_CONSENT_VALIDITY_MONTHS = 1
MAX_CONSENT_VALIDITY_MONTHS = 60


@dataclass(frozen=True, slots=True)
class ConsentOnFile:
    """What the start check needs to know of one signed consent record."""

    signed_on: date
    covers_rf: bool
    # False when its content hash no longer matches: it cannot be relied on.
    intact: bool = True
    withdrawn_on: date | None = None
    record_id: int | None = None


def consent_last_valid_day(signed_on: date, validity_months: int) -> date:
    """Valid through the day before the same date `validity_months` later."""
    return add_months(signed_on, validity_months) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StartBlocker:
    code: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class StartCheck:
    blockers: tuple[StartBlocker, ...]
    consent: ConsentOnFile | None

    @property
    def can_start(self) -> bool:
        return not self.blockers


def check_session_start(
    *,
    session_date: date,
    uses_rf: bool,
    consents: Sequence[ConsentOnFile],
    screening: ScreeningResult | None,
    consent_validity_months: int = DEFAULT_CONSENT_VALIDITY_MONTHS,
) -> StartCheck:
    if not MIN_CONSENT_VALIDITY_MONTHS <= consent_validity_months <= MAX_CONSENT_VALIDITY_MONTHS:
        raise ValueError("consent validity must be 1 to 60 months")
    consent, consent_blocker = _consent(session_date, uses_rf, consents, consent_validity_months)
    blockers = [consent_blocker] if consent_blocker else []
    blockers += _screening_blockers(session_date, uses_rf, screening)
    return StartCheck(tuple(blockers), consent)


def _consent(
    day: date, uses_rf: bool, consents: Sequence[ConsentOnFile], months: int
) -> tuple[ConsentOnFile | None, StartBlocker | None]:
    """The newest consent that allows the session, or the blocker that says why none does.

    The candidates are narrowed one condition at a time, so that the message names the
    condition that left none."""
    treatment = "microneedling with radiofrequency" if uses_rf else "microneedling"
    candidates = [c for c in consents if c.signed_on <= day]
    if not candidates:
        return None, StartBlocker(
            "consent_missing", "consent",
            f"No signed consent for {treatment}: the patient must sign one before treatment.",
        )
    intact = [c for c in candidates if c.intact]
    if not intact:
        return None, StartBlocker(
            "consent_not_intact", "consent",
            "The signed consent fails its integrity check: have the patient sign again and "
            "tell the administrator.",
        )
    standing = [c for c in intact if c.withdrawn_on is None or c.withdrawn_on > day]
    if not standing:
        return None, StartBlocker(
            "consent_withdrawn", "consent", "The patient withdrew consent: do not treat."
        )
    covering = [c for c in standing if c.covers_rf or not uses_rf]
    if not covering:
        return None, StartBlocker(
            "consent_without_rf", "consent",
            "The signed consent covers microneedling without RF only: the patient must sign "
            "the RF consent before an RF session.",
        )
    valid = [c for c in covering if day <= consent_last_valid_day(c.signed_on, months)]
    if not valid:
        newest = max(covering, key=lambda c: c.signed_on)
        last = consent_last_valid_day(newest.signed_on, months)
        return None, StartBlocker(
            "consent_expired", "consent",
            f"The consent signed on {newest.signed_on.isoformat()} was valid until "
            f"{last.isoformat()} ({months} months): the patient must sign again.",
        )
    return max(valid, key=lambda c: c.signed_on), None


def _screening_blockers(
    day: date, uses_rf: bool, screening: ScreeningResult | None
) -> list[StartBlocker]:
    if screening is None:
        return [StartBlocker("screening_missing", "screening",
                             "Screen the patient for today's session first.")]
    if screening.on_date != day:
        return [StartBlocker("screening_not_today", "screening",
                             f"The screening is for {screening.on_date.isoformat()}: screen "
                             f"again for {day.isoformat()}.")]
    if screening.uses_rf != uses_rf:
        wanted = "with RF" if uses_rf else "without RF"
        return [StartBlocker("screening_other_treatment", "screening",
                             f"The screening was for a different treatment: screen again for "
                             f"a session {wanted}.")]
    open_findings = [f for f in screening.findings if not f.is_cleared]
    blockers = []
    if screening.status is ScreeningStatus.DO_NOT_TREAT:
        titles = ", ".join(f.title for f in open_findings if f.severity is Severity.DO_NOT_TREAT)
        blockers.append(StartBlocker("screening_do_not_treat", "screening",
                                     f"The screening says do not treat: {titles}."))
    blockers += [
        StartBlocker(f"not_cleared:{f.rule_id}", "screening",
                     f"“{f.title}” needs a practitioner's clearance before treatment.")
        for f in open_findings
        if f.severity is Severity.NEEDS_CLEARANCE
    ]
    return blockers
