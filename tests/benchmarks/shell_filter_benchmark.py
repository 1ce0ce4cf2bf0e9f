"""What the shell's habits (`clinic_desk.ui.shell`) cost per event.

They watch only the focused button, not every event: an application-wide event filter in
Python, tried first, added about 8 µs to each event this benchmark sends.

Not part of the test run. Run it with

    python -m tests.benchmarks.shell_filter_benchmark          # offscreen Qt

Sends the same stream of events (cursor keys to a text field, plain events to an object)
through the application with and without the filter installed, alternately, and prints
the median time per event and the difference, in microseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from clinic_desk.ui.shell import ShellBehaviour

EVENTS = 20_000
RUNS = 7


def send_stream(edit: QLineEdit, plain: QObject) -> float:
    """Half cursor keys to a field (which the filter must look at), half plain events to
    an object (which it lets pass at once)."""
    start = time.perf_counter()
    for n in range(EVENTS // 2):
        key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Left if n % 2 else Qt.Key.Key_Right,
                        Qt.KeyboardModifier.NoModifier)
        QCoreApplication.sendEvent(edit, key)
        QCoreApplication.sendEvent(plain, QEvent(QEvent.Type.User))
    return (time.perf_counter() - start) / EVENTS * 1e6


def median_per_event(edit: QLineEdit, plain: QObject) -> float:
    return statistics.median(send_stream(edit, plain) for _ in range(RUNS))


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    edit = QLineEdit("a short text")
    edit.show()
    plain = QObject()
    without, with_filter = [], []
    for _ in range(3):  # alternate, so that warming up favours neither
        without.append(median_per_event(edit, plain))
        behaviour = ShellBehaviour(app)
        with_filter.append(median_per_event(edit, plain))
        app.removeEventFilter(behaviour)
        behaviour.deleteLater()
    bare, filtered = statistics.median(without), statistics.median(with_filter)
    print(f"events per run: {EVENTS}, runs: {RUNS} x 3")
    print(f"without the shell filter: {bare:.2f} µs per event")
    print(f"with the shell filter:    {filtered:.2f} µs per event")
    print(f"cost of the filter:       {filtered - bare:.2f} µs per event")
    return 0


if __name__ == "__main__":
    sys.exit(main())
