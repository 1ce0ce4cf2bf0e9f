"""The daily backups' rotation at its edges, with the numbers written out (fourteen days,
twelve months): the 14th day kept and the 15th not, the 12th month kept and the 13th not,
and on a day with two backups the later one."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from clinic_desk.services.backups import keep_after_rotation


def _daily(first: date, count: int) -> list[tuple[date, Path]]:
    return [(first + timedelta(days=i), Path(f"day-{i:02d}")) for i in range(count)]


def test_fourteen_days_are_kept_and_the_fifteenth_newest_goes() -> None:
    backups = _daily(date(2026, 1, 1), 16)  # 1 to 16 January, one month
    keep = keep_after_rotation(backups)
    assert keep == {Path(f"day-{i:02d}") for i in range(2, 16)}  # 3 to 16 January


def test_fewer_than_fourteen_days_are_all_kept() -> None:
    backups = _daily(date(2026, 1, 1), 13)
    assert keep_after_rotation(backups) == {p for _, p in backups}


def test_the_newest_of_each_of_twelve_months_is_kept_and_the_thirteenth_goes() -> None:
    # Fourteen backups in December use up the days; then one on the 20th of each of the
    # thirteen months before.
    december = _daily(date(2026, 12, 1), 14)
    months = []
    for back in range(1, 14):
        year, month = divmod(12 - back - 1, 12)
        months.append((date(2026 + year, month + 1, 20), Path(f"month-{back:02d}")))
    keep = keep_after_rotation(december + months)
    kept_months = sorted(p.name for p in keep if p.name.startswith("month-"))
    # December is the first month; the eleven before it make twelve.
    assert kept_months == [f"month-{back:02d}" for back in range(1, 12)]
    assert {p for _, p in december} <= keep
    assert len(keep) == 14 + 11


def test_a_month_keeps_its_newest_backup_and_not_its_first() -> None:
    # The days are used up by later months' backups; November keeps its 30th, not its 2nd.
    later = _daily(date(2026, 12, 1), 14)
    november = [(date(2026, 11, 2), Path("nov-02")), (date(2026, 11, 30), Path("nov-30"))]
    keep = keep_after_rotation(later + november)
    assert Path("nov-30") in keep and Path("nov-02") not in keep


def test_of_two_backups_on_one_day_the_later_named_is_kept() -> None:
    day = date(2026, 3, 5)
    backups = [
        (day, Path("clinic.daily.20260305T091500Z.sqlite3")),
        (day, Path("clinic.daily.20260305T171500Z.sqlite3")),
    ]
    assert keep_after_rotation(backups) == {Path("clinic.daily.20260305T171500Z.sqlite3")}
    assert keep_after_rotation(list(reversed(backups))) == {
        Path("clinic.daily.20260305T171500Z.sqlite3")
    }
