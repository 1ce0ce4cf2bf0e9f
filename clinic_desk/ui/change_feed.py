"""Polls the database for what other windows and workstations committed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_desk.storage.changes import Change, ChangeWatcher

# A poll with nothing new is one cheap call (SQLite's `PRAGMA data_version` on a held
# connection, PostgreSQL's queued notifications): four a second keeps another
# workstation's change within the 2 s the Today area promises, with time to spare for
# reloading the view on a busy machine (at 1 s, a loaded machine took 2-2.5 s).
POLL_INTERVAL_MS = 250


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
