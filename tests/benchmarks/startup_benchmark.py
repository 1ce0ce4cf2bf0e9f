"""Time and memory from launching `clinic-desk` to the sign-in window being shown, against
a bare PySide6 dialog with the same fields.

Not part of the test run. Run it with

    python -m tests.benchmarks.startup_benchmark            # offscreen Qt
    xvfb-run -a python -m tests.benchmarks.startup_benchmark --platform xcb   # a real X server

Each run starts a fresh Python process. The app's run goes through the real command line
(`clinic_desk.desktop.main`, what the `clinic-desk` script runs) on a SQLite database
holding the demo clinic, whose name this workstation has seen before (as after any earlier
start: the data folder's last-seen file is written up front); the bare run builds
a QDialog with the same widgets (the clinic's name, user name, password, Sign in, Quit)
and nothing else. The first show event of either dialog ends the process and reports the
time since launch and the process's peak resident memory. The two kinds of run
alternate, so that a slower moment of the machine falls on both. Prints both medians,
both peak memories and the ratios (target: at most 3x the time, 2x the memory), and the
CPU time of each, which a busy machine disturbs less than the wall clock. A third kind of
run, alternating with the two, times `clinic-desk` until the database is open behind the
window (Sign in works): not part of the target, but what a person typing fast waits for.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORT = """
def report(launched):
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    print(f"{(time.time() - launched) * 1000:.1f} {usage.ru_maxrss / 1024:.1f} {cpu_ms:.1f}",
          flush=True)
    os._exit(0)
"""

APP_CHILD = (
    """
import os, sys, time
launched = float(sys.argv[1])
"""
    + REPORT
    + """
# What the `clinic-desk` script imports (desktop.main); Qt when the GUI starts.
from clinic_desk.desktop import main
from clinic_desk.ui import sign_in
if sys.argv[3] == "shown":  # the window is up
    shown = sign_in.SignInDialog.showEvent
    def first_show(self, event):
        shown(self, event)
        report(launched)
    sign_in.SignInDialog.showEvent = first_show
else:  # the database is open behind it: Sign in works
    attach = sign_in.SignInDialog.attach
    def attached(self, services):
        attach(self, services)
        report(launched)
    sign_in.SignInDialog.attach = attached
sys.exit(main(["--database", sys.argv[2]]))
"""
)

BARE_CHILD = (
    """
import os, sys, time
launched = float(sys.argv[1])
"""
    + REPORT
    + """
from PySide6.QtWidgets import (QApplication, QDialog, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout)

class Bare(QDialog):
    def showEvent(self, event):
        super().showEvent(event)
        report(launched)

app = QApplication(sys.argv)
dialog = Bare()
dialog.setWindowTitle("Sign in")
layout = QVBoxLayout(dialog)
layout.addWidget(QLabel("Lumiere Skin & Microneedling Clinic"))
layout.addWidget(QLabel("User name"))
layout.addWidget(QLineEdit())
layout.addWidget(QLabel("Password"))
password = QLineEdit()
password.setEchoMode(QLineEdit.EchoMode.Password)
layout.addWidget(password)
buttons = QHBoxLayout()
buttons.addWidget(QPushButton("Quit"))
buttons.addWidget(QPushButton("Sign in"))
layout.addLayout(buttons)
dialog.show()
sys.exit(app.exec())
"""
)


def _run(code: str, url: str, env: dict[str, str], until: str = "shown"
         ) -> tuple[float, float, float]:
    launched = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, repr(launched), url, until],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    millis, mib, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(millis), float(mib), float(cpu)


def _remember_demo_clinic(data_dir: Path, url: str) -> None:
    """What an earlier start on this workstation leaves: the clinic's name as last seen."""
    from clinic_desk.storage.last_seen import LastSeenClinic, database_key, write_last_seen

    write_last_seen(data_dir, database_key(url),
                    LastSeenClinic("Lumière Skin & Microneedling Clinic", is_demo=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'clinic.sqlite3'}"
        env = dict(os.environ, QT_QPA_PLATFORM=args.platform, CLINIC_DESK_DATA_DIR=tmp)
        # An installed package has its bytecode compiled; so does this run's (the warm-up
        # runs below write it), whatever the shell says.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, "-m", "clinic_desk.cli", "--database", url, "demo"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        _remember_demo_clinic(Path(tmp), url)
        app: list[tuple[float, float, float]] = []
        bare: list[tuple[float, float, float]] = []
        ready: list[tuple[float, float, float]] = []
        _run(BARE_CHILD, url, env)  # warm the file cache for both
        _run(APP_CHILD, url, env)
        for _ in range(args.runs):
            bare.append(_run(BARE_CHILD, url, env))
            app.append(_run(APP_CHILD, url, env))
            ready.append(_run(APP_CHILD, url, env, until="ready"))
    app_ms = statistics.median(t for t, _, _ in app)
    bare_ms = statistics.median(t for t, _, _ in bare)
    app_mib = statistics.median(m for _, m, _ in app)
    bare_mib = statistics.median(m for _, m, _ in bare)
    app_cpu = statistics.median(c for _, _, c in app)
    bare_cpu = statistics.median(c for _, _, c in bare)
    print(f"Launch to sign-in window ({args.platform}, {args.runs} runs each, alternating):")
    app_slowest = max(t for t, _, _ in app)
    bare_slowest = max(t for t, _, _ in bare)
    print(f"  Clinic Desk:       median {app_ms:.0f} ms (slowest {app_slowest:.0f}),"
          f" peak memory {app_mib:.0f} MiB")
    print(f"  bare PySide6 form: median {bare_ms:.0f} ms (slowest {bare_slowest:.0f}),"
          f" peak memory {bare_mib:.0f} MiB")
    print(f"  ratio: time {app_ms / bare_ms:.2f}x (target <= 3x), "
          f"memory {app_mib / bare_mib:.2f}x (target <= 2x)")
    # CPU time (user + system) of each process until its window shows: on a busy
    # machine the wall-clock ratio grows with the load, this one much less.
    print(f"  CPU time: Clinic Desk median {app_cpu:.0f} ms, bare {bare_cpu:.0f} ms, "
          f"ratio {app_cpu / bare_cpu:.2f}x")
    # Not the target, but what the person may wait for: the database opened behind the
    # window (SQLAlchemy, schema check, witness, services) and Sign in working.
    print(f"  database open behind it (Sign in works): median "
          f"{statistics.median(t for t, _, _ in ready):.0f} ms, peak memory "
          f"{statistics.median(m for _, m, _ in ready):.0f} MiB, CPU "
          f"{statistics.median(c for _, _, c in ready):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
