"""The idle lock: a workstation left alone hides every patient detail until the person
who is signed in comes back and types their password (or someone signs them out).

Every window of the application (the main window, open charts, dialogs half filled in)
keeps its state but shows only a lock screen: its own contents are hidden, not closed,
so an unsaved form is there again after unlocking. The auth service marks the sign-in
session locked first, so that even a window this lock did not know about can no longer
read or change anything through the services.

How long is "idle" is a setting of this workstation (QSettings), from 1 to 30 minutes,
5 by default: the treatment room is where a chart is most often left open.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.auth import AuthService
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.account_form import roles_title
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.unsaved import close_without_asking
from clinic_desk.ui.widgets import FieldError, icon_label, label, password_edit, primary_button

IDLE_MINUTES_KEY = "workstation/idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 30
CHECK_EVERY_MS = 5000
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.InputMethod,
})
_WINDOW_TYPES = frozenset({Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet})
_LARGEST = 16_777_215  # QWIDGETSIZE_MAX


def idle_minutes(settings: QSettings) -> int:
    """This workstation's idle time, within 1 to 30 minutes whatever the file says."""
    try:
        minutes = int(str(settings.value(IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES)))
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, minutes))


class IdleTimeSetting(QWidget):
    """Settings → This workstation: minutes before the idle lock (saved at once)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.minutes = QSpinBox()
        self.minutes.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.minutes.setSuffix(tr(" minutes"))
        self.minutes.setValue(idle_minutes(settings))
        self.minutes.setAccessibleName(tr("Lock after this many idle minutes"))
        self.minutes.setMinimumHeight(44)
        self.minutes.setMaximumWidth(220)
        self.minutes.valueChanged.connect(self._save)
        form = QFormLayout()
        form.addRow(label(tr("Lock after"), wrap=False), self.minutes)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 20)
        column.setSpacing(12)
        column.addWidget(label(tr("Idle lock"), "sectionTitle"))
        column.addWidget(label(tr(
            "When nobody touches this workstation for this long, every window hides the "
            "patients' details behind a lock screen. Only the person signed in can unlock "
            "it, with their password; unsaved forms are kept. This setting belongs to this "
            "workstation only (5 minutes suits a treatment room; at most 30)."), "hint"))
        column.addLayout(form)
        column.addStretch(1)

    def _save(self, minutes: int) -> None:
        self._settings.setValue(IDLE_MINUTES_KEY, minutes)
        self._settings.sync()


CARD_WIDTH = 440


class LockScreen(QFrame):
    """What a locked window shows: who is signed in, their password, or sign out."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, actor: SignedInStaff, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setAccessibleName(tr("Workstation locked"))
        self.who = label(tr("Signed in: {name} ({roles})").format(
            name=actor.full_name, roles=roles_title(actor.roles)), "sectionTitle")
        self.password = password_edit()
        self.password.setAccessibleName(tr("Password of {name}").format(name=actor.full_name))
        self.password.setPlaceholderText(tr("Password"))
        self.password.setMinimumHeight(44)
        self.error = FieldError()
        self.unlock_button = primary_button(tr("Unlock"), "lock")
        self.unlock_button.setMinimumSize(QSize(120, 44))
        self.unlock_button.setAccessibleName(tr("Unlock"))
        self.sign_out_button = QPushButton(icon("log-out"), tr("Sign out"))
        self.sign_out_button.setMinimumSize(QSize(120, 44))
        self.sign_out_button.setAccessibleName(tr("Sign out"))
        self.sign_out_button.setToolTip(tr("Anyone else: sign {name} out (unsaved forms are "
                                           "lost), then sign in.").format(name=actor.full_name))
        heading = QHBoxLayout()
        heading.addWidget(icon_label("lock", Tone.ACCENT, 32))
        heading.addWidget(label(tr("Locked"), "pageTitle"), 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        card = QFrame()
        card.setObjectName("card")
        # A fixed width, and its height set from the wrapped lines when shown: left to
        # the column, the centred card was given its minimum height, and the wrapped
        # name and the fields overlapped.
        card.setFixedWidth(CARD_WIDTH)
        self.card = card
        inner = QVBoxLayout(card)
        self._card_layout = inner
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(8)
        inner.addLayout(heading)
        inner.addWidget(self.who)
        inner.addWidget(label(tr("Only they can unlock, with their password."), "hint"))
        inner.addWidget(self.password)
        inner.addWidget(self.error)
        inner.addLayout(buttons)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.addStretch(1)
        column.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.unlock_button.clicked.connect(self._unlock)
        self.password.returnPressed.connect(self._unlock)
        self.sign_out_button.clicked.connect(self.sign_out_requested)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._card_layout.activate()
        self.card.setFixedHeight(self._card_layout.totalHeightForWidth(CARD_WIDTH))

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter and Escape stop here: a dialog underneath must not take them for its
        # own default button or for Cancel, and lose the form it holds.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            event.accept()
            return
        super().keyPressEvent(event)

    def refused(self, message: str) -> None:
        self.password.clear()
        self.error.show_problem(message)
        self.password.setFocus()


@dataclass
class _Cover:
    """One locked window and what to give back when it is unlocked."""

    screen: LockScreen
    title: str
    hidden: list[QWidget] = field(default_factory=list)
    focus: QWidget | None = None
    sizes: tuple[QSize, QSize, QSize] | None = None  # minimum, maximum, size
    actions: list[QAction] = field(default_factory=list)  # shortcuts switched off


class IdleLock(QObject):
    """Watches this application's input; after the idle time, locks every window."""

    locked = Signal()
    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(
        self, auth: AuthService, actor: SignedInStaff, *, idle_minutes: Callable[[], int],
        clock: Callable[[], float] = time.monotonic, check_every_ms: int = CHECK_EVERY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self.actor = actor
        self._idle_minutes = idle_minutes
        self.clock = clock
        self.last_activity = clock()
        self.covers: dict[QWidget, _Cover] = {}
        self.is_locked = False
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(check_every_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY and not self.is_locked:
            self.last_activity = self.clock()
        elif kind == QEvent.Type.Show and self.is_locked and isinstance(watched, QWidget):
            self._cover_if_window(watched)
        elif kind == QEvent.Type.Resize and watched in self.covers:
            assert isinstance(watched, QWidget)
            self.covers[watched].screen.setGeometry(watched.rect())
        elif kind == QEvent.Type.Close and watched in self.covers:
            event.ignore()  # a locked window keeps its unsaved form: sign out to close it
            return True
        return False

    def check(self) -> None:
        if not self.is_locked and self.clock() - self.last_activity >= self._idle_minutes() * 60:
            self.lock()

    def lock(self) -> None:
        if self.is_locked:
            return
        self.is_locked = True
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        # The session is marked locked before the audit entry is written: a database
        # that cannot be reached does not keep the services open.
        with suppress(ClinicDeskError):
            self._auth.lock_session(self.actor)
        for window in QApplication.topLevelWidgets():
            self._cover_if_window(window)
        self.locked.emit()

    def _cover_if_window(self, window: QWidget) -> None:
        if (window in self.covers or not window.isWindow() or not window.isVisible()
                or window.windowType() not in _WINDOW_TYPES or isinstance(window, LockScreen)):
            return
        cover = _Cover(LockScreen(self.actor, window), window.windowTitle(),
                       focus=window.focusWidget())
        layout = window.layout()
        if layout is not None:
            layout.setEnabled(False)  # hidden contents must not shrink a fixed-size dialog
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for child in window.findChildren(QWidget, options=direct):
            if child is not cover.screen and not child.isWindow() and child.isVisible():
                child.hide()
                cover.hidden.append(child)
        hint = cover.screen.minimumSizeHint()
        if window.width() < hint.width() or window.height() < hint.height():
            cover.sizes = (window.minimumSize(), window.maximumSize(), window.size())
            window.setMinimumSize(0, 0)
            window.setMaximumSize(_LARGEST, _LARGEST)
            window.resize(window.size().expandedTo(hint))
        for action in window.findChildren(QAction):
            if action.isEnabled():  # its shortcut would still work on a hidden menu
                action.setEnabled(False)
                cover.actions.append(action)
        window.setWindowTitle(tr("Locked — Clinic Desk"))
        cover.screen.setGeometry(window.rect())
        cover.screen.show()
        cover.screen.raise_()
        cover.screen.unlock_requested.connect(lambda text, s=cover.screen: self.unlock(text, s))
        cover.screen.sign_out_requested.connect(self.sign_out_requested)
        window.destroyed.connect(lambda _o=None, w=window: self.covers.pop(w, None))
        window.installEventFilter(self)
        self.covers[window] = cover
        if window.isActiveWindow() or QApplication.activeWindow() is None:
            cover.screen.password.setFocus()

    def unlock(self, password: str, screen: LockScreen | None = None) -> bool:
        """True when the signed-in person's password opened it again."""
        try:
            self._auth.unlock_session(self.actor, password)
        except ClinicDeskError as exc:
            if screen is not None:
                screen.refused(message_for(exc))
            return False
        self.is_locked = False
        self.last_activity = self.clock()
        for window, cover in list(self.covers.items()):
            if shiboken6.isValid(window):
                self._uncover(window, cover)
        self.covers.clear()
        self.unlocked.emit()
        return True

    def _uncover(self, window: QWidget, cover: _Cover) -> None:
        window.removeEventFilter(self)
        cover.screen.hide()
        cover.screen.deleteLater()
        for child in cover.hidden:
            if shiboken6.isValid(child):
                child.show()
        if cover.sizes is not None:
            minimum, maximum, size = cover.sizes
            window.resize(size)
            window.setMinimumSize(minimum)
            window.setMaximumSize(maximum)
        layout = window.layout()
        if layout is not None:
            layout.setEnabled(True)
            layout.activate()
        for action in cover.actions:
            if shiboken6.isValid(action):
                action.setEnabled(True)
        window.setWindowTitle(cover.title)
        if cover.focus is not None and shiboken6.isValid(cover.focus):
            cover.focus.setFocus()

    def stop(self) -> None:
        """Signed out: stop watching; windows still covered are closed, never shown again."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        windows = list(self.covers)
        self.covers.clear()
        for window in windows:
            if shiboken6.isValid(window):
                close_without_asking(window)

