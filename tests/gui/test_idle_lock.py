"""The idle lock through the GUI: after the workstation's idle time every window hides
the patient's details behind a lock screen; forms survive; the services refuse; only the
signed-in person's password unlocks, or sign-out ends it all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import SessionLocked
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.idle_lock import (
    IDLE_MINUTES_KEY,
    IdleLock,
    IdleTimeSetting,
    LockScreen,
    idle_minutes,
)
from clinic_desk.ui.patients.chart import PatientChartWindow
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.session import GuiSession
from clinic_desk.ui.sign_in import SignInDialog
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import ADMIN_PASSWORD, STAFF_PASSWORD, SeededClinic

FAMILY, GIVEN = "Kowalczyk", "Marzena"
SHOTS = Path("/work/team/shots/i9b")


@dataclass
class ManualClock:
    """Seconds on a monotonic clock that only the test moves."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class LockedDesk:
    session: GuiSession
    lock: IdleLock
    clock: ManualClock
    chart: PatientChartWindow
    form: PatientDialog
    patient_id: int
    shots: list[Path] = field(default_factory=list)


def visible_texts(window: QWidget) -> list[str]:
    """Everything a person could read in a window now: its title, and the text of every
    visible widget, cells of visible tables and lists included."""
    texts = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        for getter in ("text", "toPlainText", "currentText", "title", "toolTip"):
            value = getattr(widget, getter, None)
            if callable(value):
                try:
                    result = value()
                except TypeError:
                    continue
                if isinstance(result, str):
                    texts.append(result)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model keeps columnCount private: one column
                columns = 1
            for row in range(model.rowCount(QModelIndex())):
                for column in range(columns):
                    texts.append(str(model.index(row, column).data() or ""))
    return texts


def open_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.isWindow() and not isinstance(w, LockScreen)]


def shows_patient(window: QWidget) -> bool:
    return any(FAMILY in t or GIVEN in t for t in visible_texts(window))


@pytest.fixture
def desk(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
         dialogs: FakeDialogService, ui_settings: QSettings) -> Iterator[LockedDesk]:
    """The practitioner with a chart open and an edit form half filled in."""
    record = services.patients.register(
        seeded.reception, PatientDetails(FAMILY, GIVEN, date(1979, 3, 14), "+48 601 222 333"))
    session = GuiSession(services, dialogs, ui_settings)
    session.open_main_window(seeded.practitioner)
    assert session.main_window is not None and session.idle_lock is not None
    qtbot.addWidget(session.main_window)
    chart = session.main_window.patients_page.charts.open(record.patient_id)
    form = PatientDialog(services.patients, seeded.practitioner, dialogs,
                         date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                         today=chart.today, record=chart.record, parent=chart)
    form.show()
    form.form.notes_edit.setPlainText("Prefers the morning; ask about the holiday.")
    lock = session.idle_lock
    clock = ManualClock()
    lock.clock = clock
    lock.last_activity = clock()
    lock.timer.setInterval(10)
    yield LockedDesk(session, lock, clock, chart, form, record.patient_id)
    lock.stop()
    for window in open_windows():
        window.close()


def grab_all(desk: LockedDesk, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for number, window in enumerate(open_windows()):
        window.grab().save(str(SHOTS / f"idle-lock-{name}-{number}.png"))


def test_after_the_idle_time_every_window_hides_the_patient(
    qtbot: QtBot, desk: LockedDesk, services: DeskServices, seeded: SeededClinic,
) -> None:
    # Given the chart and the form on screen, showing the patient
    assert shows_patient(desk.chart) and shows_patient(desk.form)
    # When the workstation is left alone one second short of five minutes, nothing locks
    desk.clock.now += 5 * 60 - 1
    qtbot.wait(50)
    assert not desk.lock.is_locked
    # Then at five minutes every window locks
    desk.clock.now += 1
    qtbot.waitUntil(lambda: desk.lock.is_locked, timeout=5000)
    windows = open_windows()
    assert {desk.chart, desk.form, desk.session.main_window} <= set(windows)
    for window in windows:
        assert not shows_patient(window), window.windowTitle()
        assert window.windowTitle() == "Locked — Clinic Desk"
        screen = desk.lock.covers[window].screen
        assert screen.isVisible()
        assert screen.who.text() == "Signed in: Dr Łucja Wiśniewska (Practitioner)"
    grab_all(desk, "locked")
    # And the services refuse the locked session, whoever calls them
    with pytest.raises(SessionLocked):
        services.patients.get(seeded.practitioner, desk.patient_id)
    # And the half-filled form is still there, only hidden
    assert shiboken6.isValid(desk.form) and not desk.form.form.notes_edit.isVisible()
    assert desk.form.form.notes_edit.toPlainText().startswith("Prefers the morning")


def test_only_the_signed_in_persons_password_unlocks(
    qtbot: QtBot, desk: LockedDesk, services: DeskServices, seeded: SeededClinic,
) -> None:
    desk.session.main_window.lock_action.trigger()  # type: ignore[union-attr]
    assert desk.lock.is_locked
    screen = desk.lock.covers[desk.form].screen
    # Escape and Enter on the lock screen do not reach the form's Cancel or Save
    qtbot.keyClick(screen.password, Qt.Key.Key_Escape)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert desk.form.isVisible() and desk.form.result() == 0
    # Another person's password is refused, on the screen where it was typed
    qtbot.keyClicks(screen.password, ADMIN_PASSWORD)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert desk.lock.is_locked and "not the password of Dr Łucja" in screen.error.text()
    assert not shows_patient(desk.chart)
    # The practitioner's own password opens every window again, the form as it was
    qtbot.keyClicks(screen.password, STAFF_PASSWORD)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert not desk.lock.is_locked and desk.lock.covers == {}
    assert shows_patient(desk.chart) and shows_patient(desk.form)
    assert desk.form.form.notes_edit.isVisible()
    assert desk.form.form.notes_edit.toPlainText().startswith("Prefers the morning")
    assert desk.chart.windowTitle().startswith(f"{GIVEN} {FAMILY}")
    assert services.patients.get(seeded.practitioner, desk.patient_id).details.family_name \
        == FAMILY
    grab_all(desk, "unlocked")


def test_activity_keeps_the_workstation_open(qtbot: QtBot, desk: LockedDesk) -> None:
    desk.clock.now += 4 * 60
    qtbot.keyClick(desk.form.form.notes_edit, Qt.Key.Key_Period)
    desk.clock.now += 4 * 60
    qtbot.wait(50)
    assert not desk.lock.is_locked
    desk.clock.now += 61
    qtbot.waitUntil(lambda: desk.lock.is_locked, timeout=5000)


def test_sign_out_from_the_lock_screen_closes_everything(
    qtbot: QtBot, desk: LockedDesk, services: DeskServices, seeded: SeededClinic,
) -> None:
    desk.lock.lock()
    screen = desk.lock.covers[desk.chart].screen
    qtbot.mouseClick(screen.sign_out_button, Qt.MouseButton.LeftButton)
    assert isinstance(desk.session.window, SignInDialog)
    assert desk.session.actor is None and desk.session.idle_lock is None
    assert not desk.chart.isVisible() and not desk.form.isVisible()
    with pytest.raises(SessionLocked, match="signed out"):
        services.patients.get(seeded.practitioner, desk.patient_id)


def test_the_idle_time_is_this_workstations_setting(
    qtbot: QtBot, ui_settings: QSettings,
) -> None:
    assert idle_minutes(ui_settings) == 5
    setting = IdleTimeSetting(ui_settings)
    qtbot.addWidget(setting)
    setting.minutes.setValue(12)
    assert idle_minutes(ui_settings) == 12
    setting.minutes.setValue(45)  # at most half an hour
    assert idle_minutes(ui_settings) == 30
    ui_settings.setValue(IDLE_MINUTES_KEY, "600")
    assert idle_minutes(ui_settings) == 30
    ui_settings.setValue(IDLE_MINUTES_KEY, "soon")
    assert idle_minutes(ui_settings) == 5


def test_the_lock_card_lays_out_a_long_name_without_overlap(qtbot: QtBot) -> None:
    """The card once got its minimum height: the wrapped name ran into the hint below
    it and the password field touched the buttons."""
    from PySide6.QtWidgets import QFrame, QMainWindow, QPushButton

    from clinic_desk.domain.roles import Role
    from clinic_desk.services.dto import SignedInStaff, SignInSession

    actor = SignedInStaff(1, "zoe", "Zoë Ångström-Müller Ferreira de la Fuente",
                          (Role.RECEPTION,), session=SignInSession.__new__(SignInSession))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1024, 640)
    screen = LockScreen(actor, window)
    window.setCentralWidget(screen)
    window.show()
    qtbot.waitExposed(window)
    card = screen.findChild(QFrame, "card")
    assert card is not None
    who = screen.who
    assert who.height() >= who.heightForWidth(who.width())  # every wrapped line shows
    below = [w for w in card.findChildren(QWidget)
             if w.isVisible() and w.geometry().top() > who.geometry().top()]
    assert all(w.geometry().top() > who.geometry().bottom() for w in below)
    buttons = [b for b in card.findChildren(QPushButton) if b.isVisible()]
    assert len(buttons) == 2
    assert all(b.geometry().top() >= screen.password.geometry().bottom() + 4 for b in buttons)
