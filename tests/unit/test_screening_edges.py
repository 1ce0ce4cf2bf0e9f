"""The screening's rule book read from data, and its windows at their edges, on a small
hand-made rule book (never the cached shipped one, so that every run reads it afresh)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from clinic_desk.domain.screening import (
    NO_INTAKE,
    SEVERITY_NAMES,
    STATUS_LABELS,
    Clearance,
    Finding,
    IntakeSnapshot,
    PlannedTreatment,
    RuleBook,
    RuleKind,
    ScreeningResult,
    ScreeningStatus,
    Severity,
    add_months,
    add_years,
    parse_rule_book,
    parse_sources,
    screen,
    source_words,
)
from clinic_desk.shipped import read_resource_json

RAW: dict[str, Any] = {
    "version": 4,
    "defaults": {"intake_max_age_days": 60, "minimum_age_years": 21},
    "items": [
        {"id": "minimum_age", "kind": "age", "severity": "do_not_treat", "rf_only": False,
         "inputs": ["date_of_birth"], "title": "Under age", "reason": "Too young.",
         "source": "[001]"},
        {"id": "stale", "kind": "intake_age", "severity": "needs_clearance", "rf_only": False,
         "inputs": [], "title": "Old history", "reason": "Take it again.",
         "source": "policy"},
        {"id": "retinoid", "kind": "time_window", "severity": "do_not_treat", "rf_only": False,
         "inputs": ["retinoid", "retinoid_stopped"], "title": "Retinoid",
         "reason": "Wait six months.", "source": "[002] [001]",
         "when": {"answer": "retinoid", "equals": True},
         "window": {"from_answer": "retinoid_stopped", "months": 6},
         "reason_without_date": "Give the date."},
        {"id": "pacemaker", "kind": "answer", "severity": "do_not_treat", "rf_only": True,
         "inputs": ["pacemaker"], "title": "Pacemaker", "reason": "No RF.", "source": "x",
         "when": {"answer": "pacemaker", "equals": True}},
        {"id": "eczema", "kind": "answer", "severity": "needs_clearance", "rf_only": False,
         "inputs": ["eczema"], "title": "Eczema", "reason": "Ask.", "source": "y",
         "when": {"answer": "eczema", "equals": "yes"}},
        {"id": "sun", "kind": "answer", "severity": "advice", "rf_only": False,
         "inputs": ["sun"], "title": "Sun", "reason": "Cover up.", "source": "z",
         "when": {"answer": "sun", "equals": True}},
        {"id": "notes", "kind": "text_given", "severity": "needs_clearance", "rf_only": False,
         "inputs": ["notes"], "title": "Notes", "reason": "Read this.", "source": "w",
         "when": {"answer": "notes"}},
    ],
}  # fmt: skip
SOURCES = {"001": "Guide one", "002": "Guide two"}
SESSION = date(2026, 11, 23)
BORN = date(1990, 5, 17)


def _book() -> RuleBook:
    """Parsed in each test, never once at import: a mutant of the parser must show."""
    return parse_rule_book(RAW, SOURCES)


def _screen(
    answers: dict[str, Any] | None = None, *, on: date = SESSION, recorded: date = SESSION,
    rf: bool = False, born: date = BORN, clearances: tuple[Clearance, ...] = (),
    max_age: int | None = None,
) -> ScreeningResult:  # fmt: skip
    intake = IntakeSnapshot(5, recorded, answers or {})
    return screen(
        date_of_birth=born, intake=intake, planned=PlannedTreatment(on, rf), rules=_book(),
        clearances=clearances, intake_max_age_days=max_age,
    )  # fmt: skip


def _ids(result: ScreeningResult) -> list[str]:
    return [f.rule_id for f in result.findings]


def test_rule_book_is_read_field_by_field() -> None:
    book = _book()
    assert (book.version, book.intake_max_age_days, book.minimum_age_years) == (4, 60, 21)
    assert book.sources == SOURCES
    window = book.rule("retinoid")
    assert (window.kind, window.severity, window.rf_only) == (
        RuleKind.TIME_WINDOW, Severity.DO_NOT_TREAT, False,
    )  # fmt: skip
    assert window.inputs == ("retinoid", "retinoid_stopped")
    assert (window.title, window.reason, window.source) == (
        "Retinoid", "Wait six months.", "[002] [001]",
    )  # fmt: skip
    assert (window.when_answer, window.when_equals) == ("retinoid", True)
    assert (window.window_from_answer, window.window_months) == ("retinoid_stopped", 6)
    assert window.reason_without_date == "Give the date."
    plain = book.rule("pacemaker")
    assert plain.rf_only and plain.window_from_answer is None and plain.window_months == 0
    assert plain.reason_without_date == ""
    assert book.rule("sun").severity is Severity.ADVICE
    with pytest.raises(KeyError) as unknown:
        book.rule("nope")
    assert unknown.value.args == ("nope",)


def test_rule_book_defaults_and_duplicates() -> None:
    bare = parse_rule_book({"version": "1", "items": []})
    assert (bare.version, bare.intake_max_age_days, bare.minimum_age_years) == (1, 90, 18)
    assert bare.rules == () and bare.sources == {}
    with pytest.raises(ValueError, match="rule ids must be unique"):
        parse_rule_book(RAW | {"items": [RAW["items"][0], RAW["items"][0]]})


def test_names_and_labels_are_pinned() -> None:
    assert SEVERITY_NAMES == {
        "advice": Severity.ADVICE, "needs_clearance": Severity.NEEDS_CLEARANCE,
        "do_not_treat": Severity.DO_NOT_TREAT,
    }  # fmt: skip
    assert [int(s) for s in Severity] == [1, 2, 3]
    assert [s.value for s in ScreeningStatus] == [
        "clear", "clear_with_advice", "needs_clearance", "do_not_treat", "history_needed",
    ]  # fmt: skip
    assert [k.value for k in RuleKind] == [
        "answer", "time_window", "age", "intake_age", "text_given",
    ]  # fmt: skip
    assert NO_INTAKE == "no_intake"
    assert STATUS_LABELS == {
        ScreeningStatus.CLEAR: "Clear",
        ScreeningStatus.CLEAR_WITH_ADVICE: "Clear (with advice)",
        ScreeningStatus.NEEDS_CLEARANCE: "Needs clearance",
        ScreeningStatus.DO_NOT_TREAT: "Do not treat",
        ScreeningStatus.HISTORY_NEEDED: "Medical history needed",
    }


def test_shipped_rule_book_and_sources_read_afresh() -> None:
    sources = parse_sources(read_resource_json("screening", "sources.json"))
    assert sources and all(len(code) == 3 and code.isdigit() for code in sources)
    book = parse_rule_book(read_resource_json("screening", "rules-v2.json"), sources)
    assert (book.version, book.intake_max_age_days, book.minimum_age_years) == (2, 90, 18)
    assert parse_sources({"sources": {"7": {"name": 5}}}) == {"7": "5"}


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [(date(2026, 5, 15), 6, date(2026, 11, 15)), (date(2026, 6, 15), 6, date(2026, 12, 15)),
     (date(2026, 7, 15), 6, date(2027, 1, 15)), (date(2026, 12, 31), 1, date(2027, 1, 31)),
     (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2028, 1, 31), 1, date(2028, 2, 29)),
     (date(2026, 3, 31), 0, date(2026, 3, 31)), (date(2026, 3, 30), 11, date(2027, 2, 28)),
     (date(2026, 1, 10), 12, date(2027, 1, 10)), (date(2026, 1, 10), 24, date(2028, 1, 10)),
     (date(2026, 11, 30), 1, date(2026, 12, 30))],
)  # fmt: skip
def test_add_months(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end


def test_add_years_moves_29_february_to_1_march() -> None:
    assert add_years(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert add_years(date(2008, 2, 29), 20) == date(2028, 2, 29)
    assert add_years(date(2008, 2, 28), 18) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("on", "blocked"),
    [(date(2011, 5, 16), True), (date(2011, 5, 17), False), (date(2011, 5, 18), False)],
)
def test_minimum_age_from_the_rule_book(on: date, blocked: bool) -> None:
    result = _screen(on=on, recorded=on)
    assert ("minimum_age" in _ids(result)) is blocked
    if blocked:
        assert result.findings[0].possible_from == date(2011, 5, 17)
        assert result.findings[0].reason == "Too young."
        assert result.findings[0].source == "Guide one"


@pytest.mark.parametrize(("age", "stale"), [(59, False), (60, False), (61, True)])
def test_intake_validity_from_the_rule_book(age: int, stale: bool) -> None:
    recorded = date.fromordinal(SESSION.toordinal() - age)
    result = _screen(recorded=recorded)
    assert _ids(result) == (["stale"] if stale else [])
    if stale:
        finding = result.findings[0]
        assert finding.reason == "Take it again. It must be less than 60 days old on the " \
            "session day."  # fmt: skip
        assert finding.recorded_on == recorded and finding.possible_from is None


@pytest.mark.parametrize(("age", "stale"), [(9, False), (10, False), (11, True)])
def test_the_clinic_limit_replaces_the_rule_books(age: int, stale: bool) -> None:
    recorded = date.fromordinal(SESSION.toordinal() - age)
    assert (_ids(_screen(recorded=recorded, max_age=10)) == ["stale"]) is stale


@pytest.mark.parametrize(
    ("on", "blocked"),
    [(date(2026, 11, 14), True), (date(2026, 11, 15), False), (date(2026, 11, 16), False)],
)
def test_time_window_ends_on_the_same_day_months_later(on: date, blocked: bool) -> None:
    answers = {"retinoid": True, "retinoid_stopped": date(2026, 5, 15)}
    result = _screen(answers, on=on, recorded=on)
    assert (_ids(result) == ["retinoid"]) is blocked
    if blocked:
        assert result.findings[0].possible_from == date(2026, 11, 15)
        assert result.first_possible_date == date(2026, 11, 15)
        assert result.findings[0].source == "Guide two; Guide one"
        assert result.status is ScreeningStatus.DO_NOT_TREAT


def test_time_window_without_its_date_or_its_answer() -> None:
    no_date = _screen({"retinoid": True}).findings[0]
    assert (no_date.rule_id, no_date.reason, no_date.possible_from) == (
        "retinoid", "Give the date.", None,
    )  # fmt: skip
    assert _screen({"retinoid": False, "retinoid_stopped": SESSION}).findings == ()
    assert _screen({"retinoid": "yes", "retinoid_stopped": SESSION}).findings == ()


def test_answers_rf_and_text() -> None:
    assert _ids(_screen({"pacemaker": True})) == []
    assert _ids(_screen({"pacemaker": True}, rf=True)) == ["pacemaker"]
    assert _ids(_screen({"eczema": True})) == []  # equals "yes", not True
    assert _ids(_screen({"eczema": "yes"})) == ["eczema"]
    written = _screen({"notes": "  latex  "}).findings[0]
    assert written.reason == "Read this. The patient wrote: “latex”" and written.to_review
    assert _screen({"notes": "   "}).findings == () and _screen({"notes": True}).findings == ()


def test_status_is_the_worst_open_finding() -> None:
    assert _screen().status is ScreeningStatus.CLEAR
    assert _screen({"sun": True}).status is ScreeningStatus.CLEAR_WITH_ADVICE
    eczema = _screen({"eczema": "yes", "sun": True})
    assert eczema.status is ScreeningStatus.NEEDS_CLEARANCE and _ids(eczema) == ["eczema", "sun"]
    assert eczema.first_possible_date is None
    when = datetime(2026, 11, 20, 9, 0)
    granted = Clearance("eczema", 5, "Dr Zoë", "Hands only", when, 77)
    cleared = _screen({"eczema": "yes", "sun": True}, clearances=(granted,))
    assert cleared.status is ScreeningStatus.CLEAR_WITH_ADVICE
    finding = cleared.findings[0]
    assert (finding.cleared_by, finding.clearance_reason) == ("Dr Zoë", "Hands only")
    assert (finding.cleared_at, finding.clearance_id) == (when, 77)
    only_cleared = _screen({"eczema": "yes"}, clearances=(granted,))
    assert only_cleared.status is ScreeningStatus.CLEAR
    wrong_rule = Clearance("sun", 5, "Dr Zoë", "no")
    assert _screen({"sun": True}, clearances=(wrong_rule,)).findings[0].cleared_by is None
    both = _screen({"eczema": "yes", "retinoid": True})
    assert both.status is ScreeningStatus.DO_NOT_TREAT and _ids(both) == ["retinoid", "eczema"]
    assert both.first_possible_date is None  # the blocking finding has no date


def test_no_intake_needs_history_unless_something_else_blocks() -> None:
    def without(born: date) -> ScreeningResult:
        planned = PlannedTreatment(SESSION, False)
        return screen(date_of_birth=born, intake=None, planned=planned, rules=_book())

    alone = without(BORN)
    assert alone.status is ScreeningStatus.HISTORY_NEEDED and _ids(alone) == [NO_INTAKE]
    first = alone.findings[0]
    assert (first.severity, first.title, first.source) == (
        Severity.DO_NOT_TREAT, "No medical history yet", "clinic policy",
    )  # fmt: skip
    assert first.reason.startswith("Take the patient's medical history before any treatment")
    minor = without(date(2010, 1, 1))
    assert minor.status is ScreeningStatus.DO_NOT_TREAT
    assert _ids(minor) == [NO_INTAKE, "minimum_age"]  # by title within a severity
    cleared = Finding("x", Severity.NEEDS_CLEARANCE, "t", "r", "s", cleared_by="Dr")
    assert cleared.is_cleared and not Finding("x", Severity.ADVICE, "t", "r", "s").is_cleared


def test_source_words() -> None:
    assert source_words("[001] [001]; own notes,", SOURCES) == "Guide one; own notes"
    assert source_words("[003]", SOURCES) == "source 003"
    assert source_words("", SOURCES) == ""
