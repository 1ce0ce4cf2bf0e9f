"""The Today area's GUI figures on p13a's year of bookings (6 practitioners, ~15,000
appointments): opening the Today list, the day view and the week view, and moving to
the next day, each measured as the service call plus the model update (and the view's
spans), with the model update alone beside it.

    python -m tests.benchmarks.today_gui_benchmark                # SQLite
    python -m tests.benchmarks.today_gui_benchmark --postgresql   # PostgreSQL

Prints p50 / p95 / max in ms. Issue 13's target: <= 50 ms p95 for query plus model update.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from clinic_desk.app import ClinicDesk
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.today.book_view import BookView
from clinic_desk.ui.today.day_model import DayModel
from clinic_desk.ui.today.grid_model import BookGridModel, Layout
from clinic_desk.ui.today.today_list import TodayList
from tests.benchmarks.appointments_benchmark import PRACTITIONERS, fill, summary
from tests.benchmarks.search_benchmark import open_core, throwaway_postgresql
from tests.gui.fakes import FakeDialogService

RUNS = 40


def timed(call: Callable[[], object], *, paint: bool = True) -> float:
    """Milliseconds of `call`, and with `paint` of the repaint it caused."""
    QApplication.processEvents()
    started = time.perf_counter()
    call()
    if paint:
        QApplication.processEvents()
    return (time.perf_counter() - started) * 1000


def measure(core: ClinicDesk, actor: SignedInStaff, days: list[date]) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    chosen = random.Random(11).sample(days, RUNS)
    shown = {"day": chosen[0]}
    today_list = TodayList(core.appointments, actor, FakeDialogService(), open_consents=print,
                           open_session=print,
                           today=lambda: shown["day"])
    day_view = BookView(core.appointments, actor, FakeDialogService(), find_patients=lambda t: (),
                        today=lambda: shown["day"])
    week_view = BookView(core.appointments, actor, FakeDialogService(),
                         find_patients=lambda t: (), week=True, today=lambda: shown["day"])
    for widget in (today_list, day_view, week_view):
        widget.resize(1440, 900)
        widget.show()
    today_list.refresh()
    day_view.refresh()
    week_view.refresh()
    samples: dict[str, list[float]] = {k: [] for k in (
        "list open", "day open", "next day", "week open", "svc day", "svc week",
        "day model", "week model", "list model")}
    model = BookGridModel()
    list_model = DayModel()
    for d in chosen:
        shown["day"] = d
        samples["list open"].append(timed(today_list.refresh))
        samples["day open"].append(timed(partial(day_view.go, d)))
        samples["next day"].append(timed(partial(day_view.go, d + timedelta(days=1))))
        samples["week open"].append(timed(partial(week_view.go, d)))
        other = d + timedelta(days=3)  # not the day just opened: no readiness cache
        samples["svc day"].append(timed(partial(core.appointments.day, actor, other),
                                        paint=False))
        samples["svc week"].append(timed(partial(core.appointments.week, actor, other),
                                         paint=False))
        book = core.appointments.day(actor, d)
        samples["day model"].append(timed(partial(model.set_book, book, Layout.PRACTITIONERS,
                                                  None), paint=False))
        week = core.appointments.week(actor, d)
        samples["week model"].append(timed(partial(model.set_book, week, Layout.WEEK,
                                                   week.practitioners[0].staff_id),
                                           paint=False))
        samples["list model"].append(timed(partial(list_model.set_appointments,
                                                   book.appointments), paint=False))
    print(f"  a day shows {today_list.model.rowCount()} rows in the list")
    for name, values in samples.items():
        print(summary(name, values))
    for widget in (today_list, day_view, week_view):  # gone before the application is
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    assert app is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        if args.postgresql:
            with throwaway_postgresql(args.admin_url) as url:
                print(f"PostgreSQL, {PRACTITIONERS} practitioners, a year of bookings (GUI):")
                core = open_core(url, data_dir)
                try:
                    measure(core, *fill(core))
                finally:
                    core.close()
        else:
            print(f"SQLite, {PRACTITIONERS} practitioners, a year of bookings (GUI):")
            core = open_core(f"sqlite:///{data_dir / 'bench.sqlite3'}", data_dir)
            try:
                measure(core, *fill(core))
            finally:
                core.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
