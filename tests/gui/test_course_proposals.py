"""The day view on the demo clinic (real services, SQLite): a patient on a course gets
free times inside the next session's window, one click takes one, and the booking joins
the course; Delete cancels with the reason kept and audited."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.domain.roles import Role
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.today.booking_dialog import BookingDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.today_support import cancel_with

DEADLINE_MS = 10_000


def test_the_day_view_proposes_a_course_patients_next_session(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    accounts = services.load_demo()
    account = next(a for a in accounts if a.role is Role.RECEPTION)
    actor = services.auth.sign_in(account.username, account.password)
    window = MainWindow(services, actor, dialogs, ui_settings)
    qtbot.addWidget(window)
    page = window.today_page
    page.tabs.setCurrentWidget(page.day_view)
    view = page.day_view
    view.refresh()
    # The Today page may load off the UI thread: wait for the day to be shown.
    qtbot.waitUntil(lambda: view.day_book is not None and view.model.rowCount() > 0,
                    timeout=DEADLINE_MS)
    free = next(row for row in range(view.model.rowCount())
                if view.model.appointment_at(row, 0) is None)
    seen: dict[str, object] = {}

    def take_the_first_proposal(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        dialog.search.setText("Oyelaran")
        seen["text"] = dialog.proposal_text.text()
        seen["slots"] = list(dialog.proposal_slots)
        assert dialog.proposal_buttons, dialog.warning.text()
        dialog.proposal_buttons[0].click()
        seen["warning"] = dialog.warning.text()
        dialog.book_button.click()

    dialogs.dialog_scripts.append(take_the_first_proposal)
    view.book_at(free, 0)
    qtbot.waitUntil(lambda: "Booked" in view.banner.text(), timeout=DEADLINE_MS)
    assert "Session" in str(seen["text"]) and "one click takes one" in str(seen["text"])
    assert seen["warning"] == ""  # inside the window and the hours: nothing to warn
    slots = seen["slots"]
    assert isinstance(slots, list) and slots
    proposal = services.appointments.propose_for_patient(
        actor, next(iter(services.patients.search(actor, "Oyelaran", limit=1).rows)).patient_id,
        view.model.columns[0].practitioner_id or 0)
    assert proposal is not None and proposal.window is not None
    booked = [a for a in services.appointments.week(actor, slots[0].date()).appointments
              if a.start == slots[0]]
    assert [(a.course_id, a.patient_name.split(",")[0]) for a in booked] == [
        (proposal.course_id, "Oyelaran-Villanueva")]
    assert proposal.window.contains(booked[0].start.date())
    assert "Booked Oyelaran-Villanueva" in view.banner.text()
    window.close()


def test_delete_in_the_day_view_cancels_with_the_reason_kept_and_audited(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    accounts = services.load_demo()
    login = {a.role: a for a in accounts}
    desk = services.auth.sign_in(login[Role.RECEPTION].username,
                                 login[Role.RECEPTION].password)
    window = MainWindow(services, desk, dialogs, ui_settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # a key's shortcut needs a shown, active window
        window.show()
        window.activateWindow()
    page = window.today_page
    page.tabs.setCurrentWidget(page.day_view)
    view = page.day_view
    monday = view.day + timedelta(days=1)  # after the demo's Sunday: all booked
    view.go(monday)
    qtbot.waitUntil(lambda: view.day_book is not None and view.day_book.first_day == monday
                    and bool(view.model.placed), timeout=DEADLINE_MS)
    placed = view.model.placed[0]
    target = placed.view
    assert target.status is AppointmentStatus.BOOKED
    view.grid.setFocus()
    view.grid.setCurrentIndex(view.model.index(placed.row, placed.column))
    dialogs.dialog_scripts.append(cancel_with("Rebooked at another time", "asked by phone"))
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.model.placed_of(target.appointment_id) is None,
                    timeout=DEADLINE_MS)  # its time is free again, once reloaded
    [after] = [a for a in services.appointments.day(desk, target.start.date()).appointments
               if a.appointment_id == target.appointment_id]
    assert after.status is AppointmentStatus.CANCELLED
    assert after.cancel_reason == "Rebooked at another time: asked by phone"
    chief = login[Role.ADMINISTRATOR]
    admin = services.auth.sign_in(chief.username, chief.password)
    entries = [e for e in services.audit.recent(admin, limit=50)
               if e.action == "appointment.status_changed"
               and e.entity_id == str(target.appointment_id)]
    assert [e.detail for e in entries] == ["cancelled"]
    window.close()
