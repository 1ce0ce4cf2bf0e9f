"""Search-as-you-type benchmark: one keystroke = query + list-model update.

Not part of the test run (pytest collects only test_*.py). Run it with

    python -m tests.benchmarks.search_benchmark                 # SQLite, 100,000 patients
    python -m tests.benchmarks.search_benchmark --postgresql    # the same on PostgreSQL

It fills a throwaway database with demo patients (or reuses one given with --reuse), types
realistic searches one character at a time, and prints for every keystroke's three
measures the median, 95th percentile and maximum, in milliseconds:

- keystroke: PatientSearchModel.set_query(text) — the service call (permission check,
  query) plus the Qt model reset, i.e. what the Patients list does on each key press;
- service:   PatientService.search(text) alone;
- bare SQL:  the same SELECT, compiled beforehand, on a raw DB-API cursor.

Issue 3's figure: on SQLite with 100,000 patients, keystroke p95 <= 16 ms and within 3x
of the bare SQL p95.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clinic_desk.app import ClinicDesk, open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.search_keys import query_terms
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_records import split_birth_date
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.patient_repository import search_statement
from tests.helpers.clinic import fast_hashing

# What reception types: family names with and without accents, given + family in either
# order, phone fragments in several formats, a birth date, a patient number.
SEARCHES = [
    "müller",
    "mueller",
    "zoe",
    "zoë ångström",
    "nguyen thi",
    "dubois laurent",
    "łukasz",
    "wisniewska",
    "o'brien",
    "garcia lopez",
    "06 12",
    "+44 7700",
    "0612 34",
    "p-000042",
    "p-012345",
    "12/03/1985",
    "ste",
    "kov",
    "an",
    "mar",
    "sch",
    "jo",
]
LIMIT = 50


def keystrokes() -> list[str]:
    typed: list[str] = []
    for search in SEARCHES:
        typed.extend(search[:i] for i in range(1, len(search) + 1))
    return typed


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(name: str, samples: list[float]) -> str:
    return (
        f"  {name:<10} p50 {statistics.median(samples):6.2f} ms   "
        f"p95 {percentile(samples, 0.95):6.2f} ms   max {max(samples):6.2f} ms   "
        f"({len(samples)} keystrokes)"
    )


@contextmanager
def throwaway_postgresql(admin_url: str) -> Iterator[str]:
    import psycopg

    name = f"clinic_desk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(admin_url)
    try:
        yield (
            f"postgresql+psycopg://{info.get('user', 'postgres')}@{info.get('host', '127.0.0.1')}"
            f":{info.get('port', '5432')}/{name}"
        )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_core(url: str, data_dir: Path) -> ClinicDesk:
    settings = Settings(location=parse_location(url), data_dir=data_dir, workstation="bench")
    core, _ = open_clinic_desk(
        settings, hashing=fast_hashing(), clock=utc_now, lockout=LockoutPolicy(), create=True
    )
    return core


def fill(core: ClinicDesk, patients: int) -> SignedInStaff:
    if core.clinic.profile() is None:
        core.demo.load_clinic()
    actor = core.demo.reception_account()
    have = core.patients.count(actor)
    if have < patients:
        started = time.perf_counter()
        core.demo.add_patients(actor, patients - have)
        print(
            f"  filled {patients - have:,} demo patients in {time.perf_counter() - started:.1f} s"
        )
    return actor


def bare_sql_runner(core: ClinicDesk, texts: list[str]) -> Callable[[str], int]:
    """Each text's SELECT compiled to SQL text beforehand, run on a raw DB-API cursor."""
    compiled: dict[str, str] = {}
    for text in texts:
        birth_date, rest = split_birth_date(text, DateFormat.DAY_MONTH_YEAR_SLASH)
        terms = query_terms(rest)
        if not terms:
            continue
        statement, params = search_statement(
            terms, birth_date=birth_date, after=None, limit=LIMIT + 1
        )
        compiled[text] = str(
            statement.params(**params).compile(
                dialect=core.engine.dialect, compile_kwargs={"literal_binds": True}
            )
        )
    raw = core.engine.raw_connection()

    def run(text: str) -> int:
        sql = compiled.get(text)
        if sql is None:
            return 0
        cursor = raw.cursor()
        cursor.execute(sql)
        rows = cursor.fetchall()
        cursor.close()
        return len(rows)

    return run


def time_each(texts: list[str], action: Callable[[str], Any], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            action(text)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(core: ClinicDesk, actor: SignedInStaff, rounds: int) -> dict[str, list[float]]:
    from PySide6.QtWidgets import QApplication

    from clinic_desk.ui.patients.search_model import PatientSearchModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    profile = core.clinic.profile()
    assert profile is not None
    model = PatientSearchModel(
        lambda text, after: core.patients.search(actor, text, after=after, limit=LIMIT),
        profile.date_format,
    )
    texts = keystrokes()
    bare = bare_sql_runner(core, texts)
    searched = [t for t in texts if query_terms(split_birth_date(t, profile.date_format)[1])]
    # Warm the caches (page cache, statement cache) once; then measure.
    for text in texts:
        model.set_query(text)
        core.patients.search(actor, text, limit=LIMIT)
        bare(text)
    results = {
        "keystroke": time_each(texts, model.set_query, rounds),
        "service": time_each(texts, lambda t: core.patients.search(actor, t, limit=LIMIT), rounds),
        "bare SQL": time_each(searched, bare, rounds),
    }
    # Qt objects go before the application object does.
    model.deleteLater()
    app.processEvents()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgresql", action="store_true", help="run on PostgreSQL")
    parser.add_argument(
        "--admin-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server to create the throwaway database on",
    )
    parser.add_argument("--reuse", type=Path, help="SQLite file to keep and reuse between runs")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.postgresql:
            context = throwaway_postgresql(args.admin_url)
        else:
            path = args.reuse or Path(tmp) / "bench.sqlite3"
            context = _constant(f"sqlite:///{path}")
        with context as url:
            core = open_core(url, Path(tmp))
            backend = "PostgreSQL" if args.postgresql else "SQLite"
            print(f"Search benchmark: {backend}, {args.patients:,} patients")
            actor = fill(core, args.patients)
            results = measure(core, actor, args.rounds)
            for name, samples in results.items():
                print(summary(name, samples))
            key, bare = results["keystroke"], results["bare SQL"]
            ratio = percentile(key, 0.95) / percentile(bare, 0.95)
            print(f"  keystroke p95 / bare SQL p95 = {ratio:.2f}x")
            print(
                "  keystroke p50 / bare SQL p50 = "
                f"{statistics.median(key) / statistics.median(bare):.2f}x"
            )
            core.close()
    return 0


@contextmanager
def _constant(value: str) -> Iterator[str]:
    yield value


if __name__ == "__main__":
    raise SystemExit(main())
