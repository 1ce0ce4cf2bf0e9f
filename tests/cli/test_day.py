"""`clinic-desk day [DATE] [--json]` on the demo clinic's booked week, and its refusals."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.cli.support import CliRunner, file_digest


def test_day_lists_the_demo_week_in_text_and_json(run_cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    url = f"sqlite:///{path}"
    made = run_cli("--database", url, "demo")
    assert made.returncode == 0, made.stderr
    assert "Booked a demo week: " in made.stdout and "1 no-show, 1 cancelled" in made.stdout
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    statuses: list[str] = []
    for offset in range(-3, 5):
        day = today + timedelta(days=offset)
        listed = run_cli("--database", url, "day", day.isoformat(), "--json")
        assert listed.returncode == 0, listed.stderr
        document = json.loads(listed.stdout)
        assert document["date"] == day.isoformat()
        assert document["time_zone"] == "Europe/Paris"
        rows = document["appointments"]
        assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
        assert all(r["start"].startswith(day.isoformat()) for r in rows)
        statuses += [r["status"] for r in rows]
        if day.weekday() == 6:
            assert rows == []
    assert {"done", "no_show", "cancelled", "booked"} <= set(statuses)
    assert len(statuses) >= 40
    # Text, for a working day in the clinic's own order (DD/MM/YYYY) and in ISO order.
    workday = next(today + timedelta(days=n) for n in range(1, 4)
                   if (today + timedelta(days=n)).weekday() < 5)
    iso = run_cli("--database", url, "day", workday.isoformat())
    ours = run_cli("--database", url, "day", f"{workday:%d/%m/%Y}")
    assert iso.returncode == ours.returncode == 0, iso.stderr + ours.stderr
    assert iso.stdout == ours.stdout
    first, *lines = iso.stdout.splitlines()
    assert first == f"{workday:%A} {workday:%d/%m/%Y}: 7 appointments (Europe/Paris)."
    assert lines[0].startswith("09:00–09:30  P-")
    assert any("Booked" in line or "Cancelled" in line for line in lines)
    # Without DATE: today at the clinic.
    plain = run_cli("--database", url, "day")
    assert plain.returncode == 0 and plain.stdout.startswith(f"{today:%A} ")


def test_day_refuses_a_bad_date_in_one_line_and_changes_nothing(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "demo.sqlite3"
    url = f"sqlite:///{path}"
    assert run_cli("--database", url, "demo").returncode == 0
    before = file_digest(path)
    for text in ("2026-13-45", "31/02/2026", "tomorrow"):
        refused = run_cli("--database", url, "day", text)
        assert refused.returncode == 2
        assert f"“{text}” is not a date" in refused.error_line
        assert refused.stdout == ""
    # A real date in another order than the clinic's (it writes DD/MM/YYYY): exit 1.
    wrong_order = run_cli("--database", url, "day", "12/31/2026", "--json")
    assert wrong_order.returncode == 1
    assert "not a date in the clinic's order (DD/MM/YYYY)" in wrong_order.error_line
    assert file_digest(path) == before
    assert date(2026, 12, 31).isoformat() not in wrong_order.stdout
