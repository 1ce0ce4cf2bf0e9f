"""Polls the database for what other windows and workstations committed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_desk.storage.changes import Change, ChangeWatcher

POLL_INTERVAL_MS = 1000


class ChangeFeed(QObject):
    """Emits `changes_arrived` on the UI thread with the changes since the last poll."""

    changes_arrived = Signal(list)

    def __init__(self, watcher: ChangeWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = watcher
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self.poll_now)
        self._timer.start()

    def poll_now(self) -> list[Change]:
        changes = self._watcher.poll()
        if changes:
            self.changes_arrived.emit(changes)
        return changes

    def stop(self) -> None:
        self._timer.stop()
        self._watcher.close()
