"""Session form timings: the settings check the form runs for inline messages, the form's
data, and sign-off, for a patient who already has many signed-off RF sessions (the RF
tolerance history and the timeline read them all).

Not part of the test run (pytest collects only test_*.py). Run it with

    python -m tests.benchmarks.session_benchmark                 # SQLite
    python -m tests.benchmarks.session_benchmark --history 60    # more previous sessions

Prints the median and 95th percentile of each call in milliseconds (fast password
hashing: sign-off's argon2 cost is the password's, measured by sign_in_benchmark).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.conftest import open_core
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import rf_draft, treatment_clinic


def _times(call: Callable[[], object], tries: int) -> list[float]:
    found = []
    for _ in range(tries):
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _print(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{label:<44} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms")


def run(history: int, tries: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock()
        core = open_core(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", Path(folder), clock)
        t = treatment_clinic(core, clock)
        who = t.clinic.practitioner
        for _ in range(history):
            t.sessions.sign_off(who, t.patient_id, rf_draft(t, "4"), password=STAFF_PASSWORD)
        draft = replace(rf_draft(t, "5"), test_spot=None)
        print(f"SQLite, a patient with {history} signed-off RF sessions, {tries} tries each:")
        _print(
            "check (inline messages)",
            _times(lambda: t.sessions.check(who, t.patient_id, draft), tries),
        )
        _print(
            "form_data (open the form)",
            _times(lambda: t.sessions.form_data(who, t.patient_id), tries),
        )
        signed = []
        for _ in range(tries):
            clock.advance(timedelta(seconds=1))
            started = time.perf_counter()
            t.sessions.sign_off(who, t.patient_id, rf_draft(t, "4"), password=STAFF_PASSWORD)
            signed.append((time.perf_counter() - started) * 1000)
        _print("sign_off (gate, guardrails, write, audit)", signed)
        core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=int, default=30)
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    run(args.history, args.tries)


if __name__ == "__main__":
    main()
