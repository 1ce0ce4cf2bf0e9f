"""Verified copies of a SQLite database, made with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from clinic_desk.domain.errors import DatabaseProblem


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def backup_sqlite(source: Path, target_dir: Path, *, label: str) -> Path:
    """Copy `source` into `target_dir` while it may be in use, then prove the copy is sound.

    The copy must pass `PRAGMA integrity_check` and hold the same tables with the same row
    counts as the source; otherwise it is removed and DatabaseProblem raised.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = target_dir / f"{source.stem}.{label}.{stamp}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = target_dir / f"{source.stem}.{label}.{stamp}-{counter}.sqlite3"
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        dst.commit()
        # The copy stands alone: no WAL beside it.
        dst.execute("PRAGMA journal_mode = DELETE")
        check = dst.execute("PRAGMA integrity_check").fetchall()
        same = _table_counts(src) == _table_counts(dst)
    if check != [("ok",)] or not same:
        target.unlink(missing_ok=True)
        raise DatabaseProblem(
            f"The safety copy of {source} could not be verified, so the database was not "
            "upgraded. Free some disk space or check the disk, then start again."
        )
    return target
