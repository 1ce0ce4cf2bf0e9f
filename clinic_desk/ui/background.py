"""The one way to run long work (a whole-log check, an import) off the UI thread.

The work runs on Qt's global thread pool; its result or error comes back as a signal,
delivered on the UI thread, so widgets are only ever touched there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from clinic_desk.domain.errors import ClinicDeskError


class BackgroundTask(QObject):
    """Emits exactly one of `succeeded(result)` or `failed(error)`, then `finished`."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def start(self) -> None:
        QThreadPool.globalInstance().start(_Runner(self))

    def _run(self) -> None:  # on a pool thread
        try:
            result = self._work()
        except ClinicDeskError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # report it in the window rather than lose it
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


def run_in_background(
    work: Callable[[], Any],
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    parent: QObject,
) -> BackgroundTask:
    task = BackgroundTask(work, parent)
    task.succeeded.connect(on_success)
    task.failed.connect(on_failure)
    task.finished.connect(task.deleteLater)
    task.start()
    return task
