"""The contraindication screening: may this patient be treated on this day, and why.

Pure Python. The rules are data (resources/screening/), each naming its inputs, its
severity, its time window, whether it applies only with radiofrequency, and its source.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from clinic_desk.domain.intake import Answers
from clinic_desk.domain.patients import age_on


class Severity(IntEnum):
    """Ordered: the worst finding decides the overall status."""

    ADVICE = 1
    NEEDS_CLEARANCE = 2
    DO_NOT_TREAT = 3


SEVERITY_NAMES = {
    "advice": Severity.ADVICE,
    "needs_clearance": Severity.NEEDS_CLEARANCE,
    "do_not_treat": Severity.DO_NOT_TREAT,
}


class ScreeningStatus(StrEnum):
    CLEAR = "clear"
    CLEAR_WITH_ADVICE = "clear_with_advice"
    NEEDS_CLEARANCE = "needs_clearance"
    DO_NOT_TREAT = "do_not_treat"
    # No medical history yet: nothing can be said, so no treatment, but nothing is wrong.
    HISTORY_NEEDED = "history_needed"


NO_INTAKE = "no_intake"

STATUS_LABELS = {
    ScreeningStatus.CLEAR: "Clear",
    ScreeningStatus.CLEAR_WITH_ADVICE: "Clear (with advice)",
    ScreeningStatus.NEEDS_CLEARANCE: "Needs clearance",
    ScreeningStatus.DO_NOT_TREAT: "Do not treat",
    ScreeningStatus.HISTORY_NEEDED: "Medical history needed",
}


class RuleKind(StrEnum):
    ANSWER = "answer"
    TIME_WINDOW = "time_window"
    AGE = "age"
    INTAKE_AGE = "intake_age"
    # Free text the patient wrote (other illnesses, allergies, medicines): a practitioner
    # reads it before treating.
    TEXT_GIVEN = "text_given"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: RuleKind
    severity: Severity
    rf_only: bool
    inputs: tuple[str, ...]
    title: str
    reason: str
    source: str
    when_answer: str | None = None
    when_equals: Any = None
    window_from_answer: str | None = None
    window_months: int = 0
    reason_without_date: str = ""


@dataclass(frozen=True, slots=True)
class RuleBook:
    version: int
    rules: tuple[Rule, ...]
    intake_max_age_days: int
    minimum_age_years: int
    # "[003]" in a rule's source is shown as this name (resources/screening/sources.json).
    sources: Mapping[str, str] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


_SOURCE_CODE = re.compile(r"\[(\d{3})\]")


def parse_sources(raw: Mapping[str, Any]) -> dict[str, str]:
    """The sources catalogue: code ("003") to the name shown."""
    return {str(code): str(item["name"]) for code, item in raw["sources"].items()}


def source_words(source: str, sources: Mapping[str, str]) -> str:
    """A rule's source in words: "[000] [003]" becomes the two sources' names."""
    codes = _SOURCE_CODE.findall(source)
    named = [sources.get(code, f"source {code}") for code in codes]
    rest = _SOURCE_CODE.sub("", source).strip(" ;,")
    parts = [*named, *([rest] if rest else [])]
    return "; ".join(dict.fromkeys(parts))


def parse_rule_book(
    raw: Mapping[str, Any], sources: Mapping[str, str] | None = None
) -> RuleBook:
    rules = []
    for item in raw["items"]:
        when = item.get("when") or {}
        window = item.get("window") or {}
        rules.append(
            Rule(
                id=str(item["id"]),
                kind=RuleKind(item["kind"]),
                severity=SEVERITY_NAMES[item["severity"]],
                rf_only=bool(item["rf_only"]),
                inputs=tuple(item["inputs"]),
                title=str(item["title"]),
                reason=str(item["reason"]),
                source=str(item["source"]),
                when_answer=when.get("answer"),
                when_equals=when.get("equals"),
                window_from_answer=window.get("from_answer"),
                window_months=int(window.get("months", 0)),
                reason_without_date=str(item.get("reason_without_date", "")),
            )
        )
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError("rule ids must be unique")
    defaults = raw.get("defaults", {})
    return RuleBook(
        version=int(raw["version"]),
        rules=tuple(rules),
        intake_max_age_days=int(defaults.get("intake_max_age_days", 90)),
        minimum_age_years=int(defaults.get("minimum_age_years", 18)),
        sources=dict(sources or {}),
    )


@dataclass(frozen=True, slots=True)
class IntakeSnapshot:
    """The latest medical history the screening reads."""

    version_id: int
    recorded_on: date
    answers: Answers


@dataclass(frozen=True, slots=True)
class PlannedTreatment:
    session_date: date
    uses_rf: bool


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    title: str
    reason: str
    source: str
    # For time windows: the first day on which this finding no longer stands.
    possible_from: date | None = None
    cleared_by: str | None = None
    clearance_reason: str | None = None
    cleared_at: datetime | None = None
    clearance_id: int | None = None
    # The day the medical history behind this finding was taken, where it matters.
    recorded_on: date | None = None
    # Free text for the practitioner to read ("to review"), not a yes/no answer.
    to_review: bool = False

    @property
    def is_cleared(self) -> bool:
        return self.cleared_by is not None


@dataclass(frozen=True, slots=True)
class Clearance:
    """A practitioner's clearance that still stands (revoked ones are not passed in)."""

    rule_id: str
    intake_version_id: int
    cleared_by: str
    reason: str
    cleared_at: datetime | None = None
    clearance_id: int | None = None


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    status: ScreeningStatus
    findings: tuple[Finding, ...]
    on_date: date
    uses_rf: bool

    @property
    def first_possible_date(self) -> date | None:
        """When every blocking finding has a date, the first day treatment is possible."""
        blocking = [f for f in self.findings if f.severity is Severity.DO_NOT_TREAT]
        if not blocking or any(f.possible_from is None for f in blocking):
            return None
        return max(f.possible_from for f in blocking if f.possible_from is not None)


def add_months(day: date, months: int) -> date:
    """Same day of the month, `months` later; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: the birthday is 1 March
        return date(day.year + years, 3, 1)


def screen(
    *,
    date_of_birth: date,
    intake: IntakeSnapshot | None,
    planned: PlannedTreatment,
    rules: RuleBook,
    clearances: Sequence[Clearance] = (),
    intake_max_age_days: int | None = None,
) -> ScreeningResult:
    """Every rule that applies on the session date, with a plain reason each."""
    findings: list[Finding] = []
    max_age_days = intake_max_age_days or rules.intake_max_age_days
    for rule in rules.rules:
        if rule.rf_only and not planned.uses_rf:
            continue
        finding = _apply(rule, date_of_birth, intake, planned, rules, max_age_days)
        if finding is not None:
            findings.append(finding)
    if intake is None:
        findings.append(
            Finding(
                NO_INTAKE,
                Severity.DO_NOT_TREAT,
                "No medical history yet",
                "Take the patient's medical history before any treatment; the screening "
                "reads it.",
                "clinic policy",
            )
        )
    findings = [_with_clearance(f, intake, clearances) for f in findings]
    if rules.sources:
        findings = [replace(f, source=source_words(f.source, rules.sources)) for f in findings]
    findings.sort(key=lambda f: (-f.severity, f.is_cleared, f.title))
    return ScreeningResult(
        _status(findings), tuple(findings), planned.session_date, planned.uses_rf
    )


def _apply(
    rule: Rule,
    date_of_birth: date,
    intake: IntakeSnapshot | None,
    planned: PlannedTreatment,
    rules: RuleBook,
    max_age_days: int,
) -> Finding | None:
    day = planned.session_date
    match rule.kind:
        case RuleKind.AGE:
            adult_on = add_years(date_of_birth, rules.minimum_age_years)
            if age_on(date_of_birth, day) < rules.minimum_age_years:
                return _finding(rule, possible_from=adult_on)
            return None
        case RuleKind.INTAKE_AGE:
            if intake is None:
                return None
            if (day - intake.recorded_on).days > max_age_days:
                return replace(
                    _finding(
                        rule,
                        reason=f"{rule.reason} It must be less than {max_age_days} days old "
                        "on the session day.",
                    ),
                    recorded_on=intake.recorded_on,
                )
            return None
        case RuleKind.TEXT_GIVEN:
            written = intake.answers.get(rule.when_answer or "") if intake else None
            if isinstance(written, str) and written.strip():
                return replace(
                    _finding(rule, reason=f"{rule.reason} The patient wrote: “{written.strip()}”"),
                    to_review=True,
                )
            return None
        case RuleKind.ANSWER:
            if (
                intake is not None
                and intake.answers.get(rule.when_answer or "") == rule.when_equals
            ):
                return _finding(rule)
            return None
        case RuleKind.TIME_WINDOW:
            if intake is None or intake.answers.get(rule.when_answer or "") != rule.when_equals:
                return None
            start = intake.answers.get(rule.window_from_answer or "")
            if not isinstance(start, date):
                return _finding(rule, reason=rule.reason_without_date or rule.reason)
            until = add_months(start, rule.window_months)
            if day < until:
                return _finding(rule, possible_from=until)
            return None
    return None  # pragma: no cover - every kind is handled above


def _finding(
    rule: Rule, *, reason: str | None = None, possible_from: date | None = None
) -> Finding:
    return Finding(
        rule.id,
        rule.severity,
        rule.title,
        reason or rule.reason,
        rule.source,
        possible_from=possible_from,
    )


def _with_clearance(
    finding: Finding, intake: IntakeSnapshot | None, clearances: Sequence[Clearance]
) -> Finding:
    """A clearance counts only for a "needs clearance" finding and the intake it was given on."""
    if finding.severity is not Severity.NEEDS_CLEARANCE or intake is None:
        return finding
    for clearance in clearances:
        if (
            clearance.rule_id == finding.rule_id
            and clearance.intake_version_id == intake.version_id
        ):
            return replace(
                finding,
                cleared_by=clearance.cleared_by,
                clearance_reason=clearance.reason,
                cleared_at=clearance.cleared_at,
                clearance_id=clearance.clearance_id,
            )
    return finding


def _status(findings: Sequence[Finding]) -> ScreeningStatus:
    open_findings = [f for f in findings if not f.is_cleared]
    if any(f.severity is Severity.DO_NOT_TREAT and f.rule_id != NO_INTAKE for f in open_findings):
        return ScreeningStatus.DO_NOT_TREAT
    if any(f.rule_id == NO_INTAKE for f in open_findings):
        return ScreeningStatus.HISTORY_NEEDED
    if any(f.severity is Severity.NEEDS_CLEARANCE for f in open_findings):
        return ScreeningStatus.NEEDS_CLEARANCE
    if any(f.severity is Severity.ADVICE for f in findings):
        return ScreeningStatus.CLEAR_WITH_ADVICE
    return ScreeningStatus.CLEAR
