"""Loading the Today list and the book off the UI thread, the newest request winning.

Each load runs through `ui/background.py`; its result comes back on the UI thread and is
shown only if no newer load was asked for meanwhile (the user moved on to another day,
or another workstation's change asked for a fresher copy). Nothing is cleared while a
load runs: the table keeps what it shows until the new rows arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject


class Runner(Protocol):
    """`run_in_background`'s shape: work, then where its result or error goes."""

    def __call__(
        self,
        work: Callable[[], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        parent: QObject,
    ) -> object: ...


def run_here(
    work: Callable[[], Any],
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    parent: QObject,
) -> None:
    """The same contract on the calling thread: for widgets built on their own in tests
    and for screenshots, where the next line expects the rows already shown."""
    try:
        result = work()
    except Exception as exc:  # reported like the background runner reports it
        on_failure(exc)
    else:
        on_success(result)


@dataclass(frozen=True, slots=True)
class _Outcome:
    ticket: int
    result: Any = None
    error: BaseException | None = None


class LatestLoad(QObject):
    """Runs one load at a time per view; a result older than the newest request is
    dropped (`dropped` counts them, for tests and figures)."""

    def __init__(self, run: Runner, parent: QObject) -> None:
        super().__init__(parent)
        self._run = run
        self._asked = 0
        self._running = 0
        self.dropped = 0
        self._handlers: dict[int, tuple[Callable[[Any], None],
                                        Callable[[BaseException], None]]] = {}

    @property
    def busy(self) -> bool:
        """Some load is still running (a result to show or one to drop)."""
        return self._running > 0

    def load(self, work: Callable[[], Any], on_loaded: Callable[[Any], None],
             on_failed: Callable[[BaseException], None]) -> None:
        self._asked += 1
        self._running += 1
        ticket = self._asked
        self._handlers = {ticket: (on_loaded, on_failed)}  # older ones will be dropped

        def attempt() -> _Outcome:
            try:
                return _Outcome(ticket, work())
            except Exception as exc:  # handed back to the UI thread with its ticket
                return _Outcome(ticket, error=exc)

        # The task belongs to the application, not to this view: a view closed while
        # its load runs drops the result (the connection to `_arrived` goes with it)
        # rather than deleting the task under the worker thread.
        owner = QCoreApplication.instance() or self
        self._run(attempt, on_success=self._arrived, on_failure=self._crashed, parent=owner)

    def _arrived(self, outcome: _Outcome) -> None:
        self._running -= 1
        handlers = self._handlers.pop(outcome.ticket, None)
        if handlers is None:
            self.dropped += 1
            return
        on_loaded, on_failed = handlers
        if outcome.error is not None:
            on_failed(outcome.error)
        else:
            on_loaded(outcome.result)

    def _crashed(self, error: BaseException) -> None:  # attempt() catches; only a bug lands
        raise error
