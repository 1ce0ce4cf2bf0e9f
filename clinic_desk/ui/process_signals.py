"""The desktop process and its surroundings: quitting cleanly when the system asks, and
saying which window is up when someone (a test, a kiosk script) wants to know.

- SIGTERM (a logout, a shutdown, `kill`) quits the application as the Quit action
  does: the sign-out is recorded, the event loop ends, the database is closed, the exit
  status is 0. Python runs
  signal handlers only between its own bytecodes, so a short timer wakes the interpreter
  while Qt's event loop waits; the quit is queued, so that a signal arriving before the
  loop starts is kept (the entry-point test caught that race).
- With CLINIC_DESK_ANNOUNCE_WINDOWS=1 in the environment, each window the session shows
  is announced on stdout as one line, `window shown: <class name>`.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator, Mapping
from types import FrameType

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QWidget

from clinic_desk.ui.session import GuiSession

ENV_ANNOUNCE_WINDOWS = "CLINIC_DESK_ANNOUNCE_WINDOWS"
# How often the interpreter wakes so that a pending signal handler runs.
WAKE_INTERVAL_MS = 200


@contextlib.contextmanager
def quit_on_sigterm(app: QCoreApplication, session: GuiSession) -> Iterator[None]:
    """While inside, SIGTERM ends `session` as Quit does; the default comes back after."""

    def on_sigterm(_signum: int, _frame: FrameType | None) -> None:
        # Queued, not called: a signal that lands before the event loop runs (while the
        # first window is being shown) would otherwise be lost and the app never quit.
        QTimer.singleShot(0, session.quit)

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    wake = QTimer(app)
    wake.setInterval(WAKE_INTERVAL_MS)
    wake.timeout.connect(lambda: None)
    wake.start()
    try:
        yield
    finally:
        wake.stop()
        signal.signal(signal.SIGTERM, previous)


def announce_windows(session: GuiSession, environment: Mapping[str, str]) -> None:
    """Announces each shown window on stdout when the environment asks for it."""
    if environment.get(ENV_ANNOUNCE_WINDOWS) != "1":
        return

    def announce(window: QWidget) -> None:
        with contextlib.suppress(OSError):  # nobody listening any more: not our concern
            print(f"window shown: {type(window).__name__}", file=sys.stdout, flush=True)

    session.window_shown.connect(announce)
