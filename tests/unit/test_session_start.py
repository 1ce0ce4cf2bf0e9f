"""Pre-conditions to start a session: consent (RF or not, expiry), screening that day."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.screening import Finding, ScreeningResult, ScreeningStatus, Severity
from clinic_desk.domain.session_start import (
    DEFAULT_CONSENT_VALIDITY_MONTHS,
    ConsentOnFile,
    StartCheck,
    check_session_start,
    consent_last_valid_day,
)

DAY = date(2026, 11, 23)
CLEAR = ScreeningResult(ScreeningStatus.CLEAR, (), DAY, False)
CLEAR_RF = ScreeningResult(ScreeningStatus.CLEAR, (), DAY, True)
CONSENT = ConsentOnFile(signed_on=date(2026, 6, 1), covers_rf=False, record_id=1)
RF_CONSENT = ConsentOnFile(signed_on=date(2026, 6, 1), covers_rf=True, record_id=2)


def start(
    *consents: ConsentOnFile,
    rf: bool = False,
    screening: ScreeningResult | None = None,
    on: date = DAY,
    months: int = DEFAULT_CONSENT_VALIDITY_MONTHS,
) -> StartCheck:
    if screening is None:
        screening = ScreeningResult(ScreeningStatus.CLEAR, (), on, rf)
    return check_session_start(
        session_date=on, uses_rf=rf, consents=consents, screening=screening,
        consent_validity_months=months,
    )


def codes(check: StartCheck) -> list[str]:
    return [b.code for b in check.blockers]


def test_consent_and_clear_screening_allow_the_start() -> None:
    result = start(CONSENT)
    assert result.can_start and result.blockers == () and result.consent == CONSENT


def test_no_consent() -> None:
    result = start()
    assert codes(result) == ["consent_missing"] and not result.can_start
    assert result.blockers[0].field == "consent"
    assert result.consent is None
    assert "No signed consent for microneedling:" in result.blockers[0].message
    assert "microneedling with radiofrequency" in start(rf=True).blockers[0].message


def test_a_consent_signed_after_the_session_day_does_not_count() -> None:
    later = ConsentOnFile(signed_on=date(2026, 11, 24), covers_rf=True)
    assert codes(start(later)) == ["consent_missing"]
    same_day = ConsentOnFile(signed_on=DAY, covers_rf=False)
    assert start(same_day).can_start


def test_rf_session_needs_a_consent_that_covers_rf() -> None:
    result = start(CONSENT, rf=True)
    assert codes(result) == ["consent_without_rf"]
    assert "without RF only" in result.blockers[0].message
    assert start(CONSENT, RF_CONSENT, rf=True).consent == RF_CONSENT
    assert start(RF_CONSENT).can_start  # an RF consent covers a session without RF


def test_consent_last_valid_day() -> None:
    assert DEFAULT_CONSENT_VALIDITY_MONTHS == 12
    assert consent_last_valid_day(date(2026, 1, 15), 12) == date(2027, 1, 14)
    assert consent_last_valid_day(date(2028, 2, 29), 12) == date(2029, 2, 27)
    assert consent_last_valid_day(date(2026, 1, 31), 1) == date(2026, 2, 27)


@pytest.mark.parametrize(
    ("on", "valid"),
    [(date(2027, 1, 13), True), (date(2027, 1, 14), True), (date(2027, 1, 15), False)],
)
def test_consent_expiry_day_before_of_and_after(on: date, valid: bool) -> None:
    consent = ConsentOnFile(signed_on=date(2026, 1, 15), covers_rf=False)
    result = start(consent, on=on)
    assert result.can_start is valid
    if not valid:
        assert codes(result) == ["consent_expired"]
        assert result.blockers[0].message == (
            "The consent signed on 2026-01-15 was valid until 2027-01-14 (12 months): "
            "the patient must sign again."
        )


def test_the_clinic_sets_the_validity_period() -> None:
    consent = ConsentOnFile(signed_on=date(2026, 1, 15), covers_rf=False)
    assert start(consent, on=date(2026, 7, 14), months=6).can_start
    assert codes(start(consent, on=date(2026, 7, 15), months=6)) == ["consent_expired"]
    for months in (1, 60):
        start(consent, on=date(2026, 1, 15), months=months)
    for months in (0, 61):
        with pytest.raises(ValueError):
            start(consent, months=months)


def test_newest_valid_consent_is_used_and_an_old_one_does_not_block() -> None:
    old = ConsentOnFile(signed_on=date(2024, 1, 1), covers_rf=False, record_id=9)
    assert start(old, CONSENT).consent == CONSENT
    newer = ConsentOnFile(signed_on=date(2026, 9, 1), covers_rf=False, record_id=3)
    assert start(CONSENT, newer).consent == newer


def test_expired_rf_consent_names_the_newest_covering_one() -> None:
    old_rf = ConsentOnFile(signed_on=date(2025, 1, 10), covers_rf=True)
    result = start(CONSENT, old_rf, rf=True)
    assert codes(result) == ["consent_expired"]
    assert "signed on 2025-01-10" in result.blockers[0].message


def test_altered_or_withdrawn_consent_does_not_count() -> None:
    altered = ConsentOnFile(signed_on=date(2026, 6, 1), covers_rf=False, intact=False)
    assert codes(start(altered)) == ["consent_not_intact"]
    withdrawn = ConsentOnFile(signed_on=date(2026, 6, 1), covers_rf=False, withdrawn_on=DAY)
    assert codes(start(withdrawn)) == ["consent_withdrawn"]
    withdrawn_later = ConsentOnFile(signed_on=date(2026, 6, 1), covers_rf=False,
                                    withdrawn_on=date(2026, 11, 24))
    assert start(withdrawn_later).can_start
    assert start(altered, CONSENT).consent == CONSENT


# ---- screening ---------------------------------------------------------------------


def finding(rule: str, severity: Severity, cleared: bool = False) -> Finding:
    return Finding(rule, severity, rule.replace("_", " ").title(), "why", "[000]",
                   cleared_by="Dr Lee" if cleared else None)


def test_no_screening_or_another_day() -> None:
    result = check_session_start(session_date=DAY, uses_rf=False, consents=(CONSENT,),
                                 screening=None)
    assert codes(result) == ["screening_missing"]
    assert result.blockers[0].field == "screening"
    yesterday = ScreeningResult(ScreeningStatus.CLEAR, (), date(2026, 11, 22), False)
    result = start(CONSENT, screening=yesterday)
    assert codes(result) == ["screening_not_today"]
    assert "for 2026-11-22: screen again for 2026-11-23" in result.blockers[0].message


def test_screening_must_be_for_the_same_treatment() -> None:
    assert codes(start(RF_CONSENT, rf=True, screening=CLEAR)) == ["screening_other_treatment"]
    assert codes(start(RF_CONSENT, rf=False, screening=CLEAR_RF)) == [
        "screening_other_treatment"
    ]
    assert start(RF_CONSENT, rf=True, screening=CLEAR_RF).can_start


def test_blocked_screening() -> None:
    blocked = ScreeningResult(
        ScreeningStatus.DO_NOT_TREAT,
        (finding("active_acne", Severity.DO_NOT_TREAT), finding("advice", Severity.ADVICE)),
        DAY, False,
    )
    result = start(CONSENT, screening=blocked)
    assert codes(result) == ["screening_do_not_treat"]
    assert result.blockers[0].message == "The screening says do not treat: Active Acne."


def test_every_uncleared_finding_blocks_and_cleared_ones_do_not() -> None:
    needs = ScreeningResult(
        ScreeningStatus.NEEDS_CLEARANCE,
        (
            finding("blood_thinners", Severity.NEEDS_CLEARANCE),
            finding("cold_sore_recurrent", Severity.NEEDS_CLEARANCE),
            finding("pregnancy", Severity.NEEDS_CLEARANCE, cleared=True),
        ),
        DAY, False,
    )
    result = start(CONSENT, screening=needs)
    assert codes(result) == ["not_cleared:blood_thinners", "not_cleared:cold_sore_recurrent"]
    assert result.blockers[0].message == (
        "“Blood Thinners” needs a practitioner's clearance before treatment."
    )
    all_cleared = ScreeningResult(
        ScreeningStatus.CLEAR_WITH_ADVICE,
        (finding("pregnancy", Severity.NEEDS_CLEARANCE, cleared=True),),
        DAY, False,
    )
    assert start(CONSENT, screening=all_cleared).can_start


def test_consent_and_screening_blockers_are_reported_together() -> None:
    blocked = ScreeningResult(ScreeningStatus.DO_NOT_TREAT,
                              (finding("open_wound", Severity.DO_NOT_TREAT),), DAY, True)
    result = start(CONSENT, rf=True, screening=blocked)
    assert codes(result) == ["consent_without_rf", "screening_do_not_treat"]


# ---- every blocker, whole: code, field and words -----------------------------------

OLD_RF = ConsentOnFile(signed_on=date(2025, 1, 10), covers_rf=True)
OLDER_RF = ConsentOnFile(signed_on=date(2024, 5, 1), covers_rf=True)


@pytest.mark.parametrize(
    ("consents", "rf", "screening", "expected"),
    [
        ((), False, CLEAR, ("consent_missing", "consent",
                            "No signed consent for microneedling: the patient must sign one "
                            "before treatment.")),
        ((), True, CLEAR_RF, ("consent_missing", "consent",
                              "No signed consent for microneedling with radiofrequency: the "
                              "patient must sign one before treatment.")),
        ((ConsentOnFile(date(2026, 6, 1), False, intact=False),), False, CLEAR,
         ("consent_not_intact", "consent",
          "The signed consent fails its integrity check: have the patient sign again and tell "
          "the administrator.")),
        ((ConsentOnFile(date(2026, 6, 1), False, withdrawn_on=DAY),), False, CLEAR,
         ("consent_withdrawn", "consent", "The patient withdrew consent: do not treat.")),
        ((CONSENT,), True, CLEAR_RF,
         ("consent_without_rf", "consent",
          "The signed consent covers microneedling without RF only: the patient must sign the "
          "RF consent before an RF session.")),
        ((OLDER_RF, OLD_RF), True, CLEAR_RF,
         ("consent_expired", "consent",
          "The consent signed on 2025-01-10 was valid until 2026-01-09 (12 months): the "
          "patient must sign again.")),
        ((OLD_RF, OLDER_RF), True, CLEAR_RF,
         ("consent_expired", "consent",
          "The consent signed on 2025-01-10 was valid until 2026-01-09 (12 months): the "
          "patient must sign again.")),
        ((CONSENT,), False, None,
         ("screening_missing", "screening", "Screen the patient for today's session first.")),
        ((CONSENT,), False, ScreeningResult(ScreeningStatus.CLEAR, (), date(2026, 11, 24), False),
         ("screening_not_today", "screening",
          "The screening is for 2026-11-24: screen again for 2026-11-23.")),
        ((RF_CONSENT,), True, CLEAR,
         ("screening_other_treatment", "screening",
          "The screening was for a different treatment: screen again for a session with RF.")),
        ((RF_CONSENT,), False, CLEAR_RF,
         ("screening_other_treatment", "screening",
          "The screening was for a different treatment: screen again for a session "
          "without RF.")),
        ((CONSENT,), False,
         ScreeningResult(ScreeningStatus.DO_NOT_TREAT,
                         (finding("open_wound", Severity.DO_NOT_TREAT),
                          finding("skin_infection", Severity.DO_NOT_TREAT),
                          finding("eczema", Severity.NEEDS_CLEARANCE, cleared=True)), DAY, False),
         ("screening_do_not_treat", "screening",
          "The screening says do not treat: Open Wound, Skin Infection.")),
        ((CONSENT,), False,
         ScreeningResult(ScreeningStatus.NEEDS_CLEARANCE,
                         (finding("eczema", Severity.NEEDS_CLEARANCE),), DAY, False),
         ("not_cleared:eczema", "screening",
          "“Eczema” needs a practitioner's clearance before treatment.")),
    ],
)
def test_each_blocker_in_full(
    consents: tuple[ConsentOnFile, ...],
    rf: bool,
    screening: ScreeningResult | None,
    expected: tuple[str, str, str],
) -> None:
    result = check_session_start(session_date=DAY, uses_rf=rf, consents=consents,
                                 screening=screening)
    assert [(b.code, b.field, b.message) for b in result.blockers] == [expected]


def test_validity_bounds_message() -> None:
    with pytest.raises(ValueError, match=r"^consent validity must be 1 to 60 months$"):
        start(CONSENT, months=0)
