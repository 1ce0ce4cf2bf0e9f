"""Time from launching `clinic-desk` to the sign-in window being shown.

Not part of the test run. Run it with

    python -m tests.benchmarks.startup_benchmark            # offscreen Qt
    xvfb-run -a python -m tests.benchmarks.startup_benchmark --platform xcb   # a real X server

Each run starts a fresh Python process that runs the real command line
(`clinic_desk.cli.main`) on a SQLite database holding the demo clinic; the sign-in
dialog's first show event ends the process and reports the time since launch. Prints
the median and the slowest of several runs, in milliseconds.
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

CHILD = """
import os, sys, time
launched = float(sys.argv[1])
from clinic_desk.ui import sign_in
shown = sign_in.SignInDialog.showEvent
def first_show(self, event):
    shown(self, event)
    print(f"{(time.time() - launched) * 1000:.1f}", flush=True)
    os._exit(0)
sign_in.SignInDialog.showEvent = first_show
from clinic_desk.cli import main
sys.exit(main(["--database", sys.argv[2]]))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'clinic.sqlite3'}"
        env = dict(os.environ, QT_QPA_PLATFORM=args.platform, CLINIC_DESK_DATA_DIR=tmp)
        subprocess.run(
            [sys.executable, "-m", "clinic_desk.cli", "--database", url, "demo"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        samples = []
        for _ in range(args.runs):
            launched = time.time()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, repr(launched), url],
                check=True,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            samples.append(float(done.stdout.strip().splitlines()[-1]))
    print(
        f"Launch to sign-in window ({args.platform}, {args.runs} runs): "
        f"median {statistics.median(samples):.0f} ms, slowest {max(samples):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
