"""A workstation killed in the middle of business writes leaves a sound database.

A child process adds staff accounts in a loop (each one: a staff row and its
"staff.created" audit entry in one transaction). The parent kills it with SIGKILL at
an unpredictable moment, several times over, and each time checks that SQLite's file is
intact, the audit chain verifies (by the installed `clinic-desk audit verify`, as a
clinic would check it) and every transaction is all or nothing.

The writer runs in the venv's interpreter in isolated mode (-I) from the test's own
folder, so it imports the installed package, never the checkout.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from clinic_desk.app import open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.storage.location import parse_location
from tests.cli.support import installed_command
from tests.helpers.clinic import fast_hashing
from tests.helpers.waiting import read_line

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems"
)

KILLS = 4
WRITES_BEFORE_KILL = 50
# The longest a write may take before the writer counts as stalled (a loaded machine).
WRITE_DEADLINE_S = 60.0

# The child: opens the clinic (creating it on the first run), then adds staff until killed.
WRITER = """
import sys
from pathlib import Path
from argon2 import PasswordHasher
from clinic_desk.app import open_clinic_desk, utc_now
from clinic_desk.config import Settings
from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize
from clinic_desk.domain.roles import Role
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.services.passwords import PasswordHashing
from clinic_desk.storage.location import parse_location

path, round_no = Path(sys.argv[1]), int(sys.argv[2])
settings = Settings(parse_location(f"sqlite:///{path}"), data_dir=path.parent,
                    workstation="crash")
hashing = PasswordHashing(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
core, _ = open_clinic_desk(settings, hashing=hashing, clock=utc_now,
                           lockout=LockoutPolicy(), create=True)
if core.auth.needs_first_start():
    core.auth.create_clinic(
        ClinicDetails("Crash Test Clinic", "1 Main St", "+1 555 0100", "UTC", PaperSize.A4),
        admin_username="admin", admin_full_name="Ada Admin", admin_password="admin-pass-1")
admin = core.auth.sign_in("admin", "admin-pass-1")
n = 0
while True:
    n += 1
    core.staff.add_staff(admin, username=f"r{round_no}-{n}", full_name=f"Staff {round_no} {n}",
                         roles=[Role.RECEPTION], password="staff-pass-1")
    print(n, flush=True)
"""


def _check_database(path: Path) -> tuple[int, int]:
    """Integrity, audit chain and all-or-nothing; returns (staff rows, audit entries)."""
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        staff_ids = {str(r[0]) for r in conn.execute("SELECT id FROM staff_account")}
        created = [
            r[0]
            for r in conn.execute(
                "SELECT entity_id FROM audit_entry WHERE action = 'staff.created'"
            )
        ]
        entries = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    assert len(created) == len(set(created)), "a staff account was recorded twice"
    assert set(created) == staff_ids, (
        f"staff without their audit entry: {sorted(staff_ids - set(created))}; "
        f"audit entries without their staff row: {sorted(set(created) - staff_ids)}"
    )

    settings = Settings(parse_location(f"sqlite:///{path}"), data_dir=path.parent,
                        workstation="checker")
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=utc_now,
                               lockout=LockoutPolicy(), create=False)
    try:
        verdict = verify_audit_log(core.units)
    finally:
        core.close()
    assert verdict.ok, verdict.summary()
    assert verdict.entries_checked == entries
    done = subprocess.run(
        [installed_command(), "--database", f"sqlite:///{path}", "audit", "verify"],
        cwd=path.parent, env=os.environ | {"CLINIC_DESK_DATA_DIR": str(path.parent)},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return len(staff_ids), entries


def _run_and_kill(path: Path, round_no: int, rng: random.Random) -> int:
    """Start the writer, let it commit enough, kill it mid-loop; returns writes seen."""
    with subprocess.Popen(
        [sys.executable, "-I", "-c", WRITER, str(path), str(round_no)],
        cwd=path.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen"},
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        seen = 0
        while seen < WRITES_BEFORE_KILL:
            line = read_line(child.stdout, WRITE_DEADLINE_S)
            if not line:
                child.kill()
                child.wait(timeout=10)
                pytest.fail(f"the writer stopped or stalled: {child.stderr.read().decode()}")
            seen = int(line)
        # Land the kill at a random point inside a later transaction.
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        child.stdout.read()
        child.stderr.read()
    return seen


def test_killing_a_writer_never_leaves_half_a_transaction(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    rng = random.Random(20261122)
    last_entries = 0
    for round_no in range(1, KILLS + 1):
        seen = _run_and_kill(path, round_no, rng)
        staff, entries = _check_database(path)
        # Everything the child reported as committed survived the kill.
        assert entries >= last_entries + seen
        assert staff >= 1 + round_no * WRITES_BEFORE_KILL
        last_entries = entries
