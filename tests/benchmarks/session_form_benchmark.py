"""How quickly the session form answers: the settings check it asks the session service
after each edit (then shown beside the fields), and the data it loads when it opens.

Not part of the test run (pytest collects only test_*.py). Run it with

    python -m tests.benchmarks.session_form_benchmark                 # SQLite
    python -m tests.benchmarks.session_form_benchmark --postgresql    # PostgreSQL

It prints the median, 95th percentile and maximum in milliseconds. The form waits
120 ms after the last keystroke before asking, so a check well under that keeps the
messages feeling immediate.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from tests.conftest import open_core
from tests.helpers.clinic import FakeClock
from tests.helpers.sessions import rf_draft, treatment_clinic

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def timed(work: Callable[[], object], tries: int) -> list[float]:
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def report(name: str, times: list[float]) -> None:
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{name}: median {statistics.median(times):.1f} ms, 95th percentile {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms ({len(times)} runs)")


def run(url: str, folder: Path, tries: int) -> None:
    clock = FakeClock()
    core = open_core(url, folder, clock)
    try:
        t = treatment_clinic(core, clock)
        who, draft = t.clinic.practitioner, rf_draft(t)
        report("settings check (each edit)",
               timed(lambda: t.sessions.check(who, t.patient_id, draft), tries))
        report("form data (opening the form)",
               timed(lambda: t.sessions.form_data(who, t.patient_id), tries))
    finally:
        core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--tries", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if not args.postgresql:
            run(f"sqlite:///{folder}/session-form.sqlite3", Path(folder), args.tries)
            return
        import psycopg

        name = f"clinic_desk_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", Path(folder),
                args.tries)
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
