"""How soon another workstation's change shows in the Today area, end to end (issue 13:
within 2 s on PostgreSQL through LISTEN/NOTIFY, and on SQLite between windows of one
machine).

    python -m tests.benchmarks.live_gui_benchmark [--runs 20]               # SQLite file
    python -m tests.benchmarks.live_gui_benchmark --postgresql [--runs 20]  # throwaway DB

The demo clinic is loaded (its week of bookings around today). Two workstations run in
processes of their own, offscreen, each with the real main window as the app builds it
(the services, the `ChangeFeed` at its real poll interval, the Today list loading off the
UI thread through `ui/today/loading.py`): reception, showing the whole clinic, and the
treatment room, showing its room's queue. This process is a third workstation: N times,
each after a random pause (so that the change meets the others' polls at any phase), it
books an appointment for today, checks that patient in, and hands them over to the room,
through the services.

A change counts as seen when the workstation's Today model holds it (the row is there,
its status is Arrived, it is ready for the room; in the room's queue, the row is there):
the model's signals are watched, so the figure is the commit, the poll, the load on the
worker thread and the model update; the repaint that follows is not in it. The moment of
the change is taken just before the service call, so its commit is in the figure too.
Both moments are `time.time()` in processes on one machine: the same clock, no skew.
Prints p50 / p95 / max in ms per change and workstation, with `/proc/loadavg`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clinic_desk.app import desk_services
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.roles import Role
from clinic_desk.services.appointment_dto import BookingRequest
from clinic_desk.ui.change_feed import POLL_INTERVAL_MS
from tests.benchmarks.search_benchmark import open_core, percentile, throwaway_postgresql

RUNS = 20
KINDS = ("booked", "checked in", "handed over")
# Who watches what: reception's whole-clinic list sees all three, the room's queue the
# patient handed over to it. Account names are the demo clinic's.
WATCHES = {"reception": KINDS, "practitioner": ("handed over",)}
Seen = tuple[str, str, int, float]  # workstation, kind, appointment id, when (time.time())


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def workstation(url: str, folder: str, account: str, room_id: int, ready: Event, stop: Event,
                seen: Queue[Seen]) -> None:
    """One workstation: its main window on the Today area; reports each change it shows."""
    from PySide6.QtCore import QSettings, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from clinic_desk.ui.areas import Area
    from clinic_desk.ui.main_window import MainWindow
    from tests.gui.fakes import FakeDialogService

    app = QApplication([])
    core = open_core(url, Path(folder))
    settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desk_services(core), core.auth.demo_account(account),
                        FakeDialogService(), settings)
    window.show_area(Area.TODAY)
    window.show()
    today = window.today_page
    deadline = time.monotonic() + 120
    while (today.loading or today.list.day_book is None) and time.monotonic() < deadline:
        app.processEvents()  # the first load, on its worker thread
        time.sleep(0.01)
    if account == "practitioner":
        today.list.show_room(room_id)  # the treatment room's own queue
    model = today.list.model

    def shown() -> set[tuple[str, int]]:
        found = set()
        for row in range(model.rowCount()):
            view = model.view_at(row)
            found.add(("booked", view.appointment_id))
            if view.status is AppointmentStatus.ARRIVED:
                found.add(("checked in", view.appointment_id))
            if view.ready_for_room_id == room_id:
                found.add(("handed over", view.appointment_id))
        return {(kind, i) for kind, i in found if kind in WATCHES[account]}

    noted = shown()  # what the day held before: not reported

    def look(*_args: object) -> None:
        now = time.time()
        for kind, appointment_id in shown() - noted:
            noted.add((kind, appointment_id))
            seen.put((account, kind, appointment_id, now))

    for signal in (model.rowsInserted, model.dataChanged, model.modelReset,
                   model.layoutChanged):
        signal.connect(look)
    stopping = QTimer()
    stopping.timeout.connect(lambda: app.quit() if stop.is_set() else None)
    stopping.start(100)
    ready.set()
    app.exec()
    window.close()
    QThreadPool.globalInstance().waitForDone()  # the last load's thread
    core.close()
    # After 20 runs the interpreter's exit crashed in its collector ("bool_dealloc",
    # PySide6 6.12, Python 3.11), after the figures were sent: leave without it.
    seen.close()
    seen.join_thread()
    os._exit(0)


@contextmanager
def workstations(url: str, folder: Path, room_id: int) -> Iterator[Queue[Seen]]:
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    seen: Queue[Seen] = context.Queue()
    started = []
    for account in WATCHES:
        ready = context.Event()
        process = context.Process(target=workstation, args=(
            url, str(folder / account), account, room_id, ready, stop, seen))
        process.start()
        started.append((process, ready))
    try:
        for _process, ready in started:
            if not ready.wait(180):
                raise RuntimeError("a workstation did not open its Today area in 180 s")
        yield seen
    finally:
        stop.set()
        for process, _ready in started:
            process.join(30)
            if process.is_alive():
                process.terminate()


def measure(url: str, folder: Path, runs: int) -> None:
    core = open_core(url, folder / "here")
    try:
        began = time.perf_counter()
        desk_services(core).load_demo()
        admin = core.auth.demo_account("admin")
        reception = core.demo.reception_account()
        # A practitioner, a room and a patient of the benchmark's own: no clash with the
        # demo's bookings, whatever the time of day.
        practitioner = core.staff.add_staff(
            admin, username="bench", full_name="Dr Zoë Ångström-Müller Ferreira",
            roles=(Role.PRACTITIONER,), password="bench-password-9", temporary=False).staff_id
        room_id = core.appointments.add_room(admin, "Room B").room_id
        patient = core.patients.register(reception, PatientDetails(
            "Kowalska", "Zofia", date(1979, 4, 1), "+48 600 100 200")).patient_id
        today = core.screening.today()
        zone = ZoneInfo(core.clinic.profile().time_zone)  # type: ignore[union-attr]
        print(f"  demo clinic loaded in {time.perf_counter() - began:.1f} s; today has "
              f"{len(core.appointments.day(reception, today).appointments)} appointments; "
              f"the change feed polls every {POLL_INTERVAL_MS} ms")
        acted: dict[tuple[str, int], float] = {}
        rng = random.Random()
        with workstations(url, folder, room_id) as seen:
            print(f"  load before: {loadavg()}")
            for n in range(runs):
                start = datetime.combine(today, datetime.min.time(), tzinfo=zone)
                request = BookingRequest(patient, practitioner, room_id,
                                         start + timedelta(minutes=15 * n), 10,
                                         AppointmentKind.CONSULTATION)
                time.sleep(rng.uniform(0.3, 1.0))
                asked = time.time()
                view = core.appointments.book(reception, request, accept_warnings=True)
                acted["booked", view.appointment_id] = asked
                time.sleep(rng.uniform(0.3, 1.0))
                asked = time.time()
                view = core.appointments.check_in(reception, view.appointment_id,
                                                  expected_version=view.version)
                acted["checked in", view.appointment_id] = asked
                time.sleep(rng.uniform(0.3, 1.0))
                asked = time.time()
                core.appointments.hand_over(reception, view.appointment_id, room_id,
                                            expected_version=view.version)
                acted["handed over", view.appointment_id] = asked
            expected = {(account, kind, i) for kind, i in acted
                        for account, kinds in WATCHES.items() if kind in kinds}
            delays: dict[tuple[str, str], list[float]] = {}
            waiting_until = time.monotonic() + 15
            while expected and time.monotonic() < waiting_until:
                try:
                    account, kind, i, when = seen.get(timeout=waiting_until - time.monotonic())
                except Exception:  # queue.Empty: the deadline passed
                    break
                if (account, kind, i) in expected:
                    expected.discard((account, kind, i))
                    delays.setdefault((account, kind), []).append((when - acted[kind, i]) * 1000)
            print(f"  load after:  {loadavg()}")
        for account, kinds in WATCHES.items():
            where = "reception (whole clinic)" if account == "reception" else "room's queue"
            for kind in kinds:
                values = sorted(delays.get((account, kind), []))
                missed = sum(1 for a, k, _i in expected if (a, k) == (account, kind))
                figures = (f"p50 {values[len(values) // 2]:6.0f} ms   p95 "
                           f"{percentile(values, 0.95):6.0f} ms   max {values[-1]:6.0f} ms"
                           if values else "no figures")
                print(f"  {where:<25} {kind:<12} {figures}   ({len(values)} seen, "
                      f"{missed} not seen within 15 s)")
    finally:
        core.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--admin-url", default=os.environ.get(
        "CLINIC_DESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--runs", type=int, default=RUNS,
                        help="bookings, check-ins and hand-overs each (at most 90)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.postgresql:
            with throwaway_postgresql(args.admin_url) as url:
                print(f"PostgreSQL, another workstation's change in the Today area "
                      f"({args.runs} runs):")
                measure(url, Path(folder), args.runs)
        else:
            print(f"SQLite, another window's change in the Today area ({args.runs} runs):")
            measure(f"sqlite:///{Path(folder) / 'live.sqlite3'}", Path(folder), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
