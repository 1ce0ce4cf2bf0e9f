"""The Today area's figures on a year of bookings (6 practitioners, ~15,000
appointments): opening a day for the first time (the Today list's readiness read for the
day's patients), reopening it, moving to the next day, and opening the week, each as the
service call alone and as the service call plus the model update (the Today list's and
the day view's models, or the week's, attached to their views), with the bare SQL beside
them, measured alternately day by day so that each meets the same load; then the widgets
reloading with their repaint.

    python -m tests.benchmarks.today_gui_benchmark [--runs 120]               # SQLite
    python -m tests.benchmarks.today_gui_benchmark --postgresql [--runs 120]  # PostgreSQL

Prints p50 / p95 / max in ms. Issue 13's target: <= 50 ms p95 for query plus model update.
In the window the query runs on a worker thread (ui/today/loading.py): the UI thread only
updates the model and paints.
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
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from clinic_desk.app import ClinicDesk
from clinic_desk.services.appointment_dto import DayBook
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.today.book_view import BookView
from clinic_desk.ui.today.grid_model import Layout
from clinic_desk.ui.today.today_list import TodayList
from tests.benchmarks.appointments_benchmark import PRACTITIONERS, bare_sql, fill, summary
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


def split(listing: Callable[[], DayBook], update: Callable[[DayBook], object]
          ) -> tuple[float, float, float]:
    """(service, service plus model update, CPU time of both) in ms, in one go: the query
    on its own and the query with the models (attached to their views, spans and all)
    brought up to date. The paint that follows is left to the event loop (the "painted"
    lines). The CPU time is this thread's: on a loaded machine the wall clock also counts
    the time other processes held the cores."""
    QApplication.processEvents()
    cpu = time.thread_time()
    started = time.perf_counter()
    book = listing()
    queried = time.perf_counter()
    update(book)
    done = time.perf_counter()
    used = time.thread_time() - cpu
    return (queried - started) * 1000, (done - started) * 1000, used * 1000


def measure(core: ClinicDesk, actor: SignedInStaff, days: list[date], runs: int) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    chosen = random.Random(11).sample(days, runs)
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
    QApplication.processEvents()
    zone = ZoneInfo(core.clinic.profile().time_zone)  # type: ignore[union-attr]
    bare = bare_sql(core, zone)
    apps = core.appointments
    names = ("day first", "day again", "next day", "week")
    service: dict[str, list[float]] = {k: [] for k in names}
    with_model: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    other: dict[str, list[float]] = {k: [] for k in (
        "bare day", "bare week", "list painted", "day painted", "week painted")}
    practitioner = week_view.day_book.practitioners[0].staff_id  # type: ignore[union-attr]

    def day_models(book: DayBook) -> None:
        today_list.model.set_appointments(book.appointments)
        day_view.model.set_book(book, Layout.PRACTITIONERS, None)

    def week_model(book: DayBook) -> None:
        week_view.model.set_book(book, Layout.WEEK, practitioner)

    # Alternating, day by day: each figure and its bare SQL meet the same load.
    for d in chosen:
        for name, listing, update in (
                ("day first", partial(apps.day, actor, d), day_models),
                ("day again", partial(apps.day, actor, d), day_models),
                ("next day", partial(apps.day, actor, d + timedelta(days=1)), day_models),
                ("week", partial(apps.week, actor, d), week_model)):
            alone, total, used = split(listing, update)
            service[name].append(alone)
            with_model[name].append(total)
            cpu[name].append(used)
        other["bare day"].append(timed(partial(bare, d, 1), paint=False))
        other["bare week"].append(timed(partial(bare, d - timedelta(days=d.weekday()), 7),
                                        paint=False))
        # What the person sees: the widgets reloading (in place here) and painting.
        shown["day"] = d
        other["list painted"].append(timed(today_list.refresh))
        other["day painted"].append(timed(partial(day_view.go, d)))
        other["week painted"].append(timed(partial(week_view.go, d)))
    print(f"  a day shows {today_list.model.rowCount()} rows in the list")
    print("  service alone:")
    for name in names:
        print(summary(name, service[name]))
    print("  service plus model update (issue 13's figure):")
    for name in names:
        print(summary(name, with_model[name]))
    print("  service plus model update, CPU time of the thread (the work, without the waits):")
    for name in names:
        print(summary(name, cpu[name]))
    print("  the bare SQL, and the widgets reloading with their repaint:")
    for name, values in other.items():
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
    parser.add_argument("--runs", type=int, default=RUNS, help="days measured (at most ~250)")
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        if args.postgresql:
            with throwaway_postgresql(args.admin_url) as url:
                print(f"PostgreSQL, {PRACTITIONERS} practitioners, a year of bookings (GUI):")
                core = open_core(url, data_dir)
                try:
                    measure(core, *fill(core), args.runs)
                finally:
                    core.close()
        else:
            print(f"SQLite, {PRACTITIONERS} practitioners, a year of bookings (GUI):")
            core = open_core(f"sqlite:///{data_dir / 'bench.sqlite3'}", data_dir)
            try:
                measure(core, *fill(core), args.runs)
            finally:
                core.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
