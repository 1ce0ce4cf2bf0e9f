"""The Today list and the book load off the UI thread (ui/background.py): a day the user
has already moved past is dropped, the rows shown stay until the new ones arrive, the
selection and scroll position survive a live refresh, and a booking form being typed
loses nothing when another workstation's change reloads the book."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.booking import AppointmentKind, AppointmentStatus
from clinic_desk.domain.roles import Role
from clinic_desk.services.appointment_dto import DayBook
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.background import run_in_background
from clinic_desk.ui.today.book_view import BookView
from clinic_desk.ui.today.booking_dialog import BookingDialog
from clinic_desk.ui.today.grid_model import BookGridModel
from clinic_desk.ui.today.today_list import TodayList
from tests.gui.appointment_fakes import TODAY, FakeAppointmentBook, a_day, at, staff
from tests.gui.fakes import FakeDialogService
from tests.helpers.appointments import MONDAY, book_clinic
from tests.helpers.appointments import at as clinic_at
from tests.helpers.clinic import FakeClock

RECEPTION = staff(Role.RECEPTION)
DEADLINE_MS = 10_000


@dataclass
class SlowBook(FakeAppointmentBook):
    """Holds the listing of any day in `held` until its gate opens, and notes the thread
    each listing ran on."""

    held: dict[date, threading.Event] = field(default_factory=dict)
    threads: list[str] = field(default_factory=list)

    def _wait(self, day: date) -> None:
        self.threads.append(threading.current_thread().name)
        gate = self.held.get(day)
        if gate is not None:
            assert gate.wait(DEADLINE_MS / 1000), "the test never opened the gate"

    def day(self, actor: SignedInStaff, on: date | None = None) -> DayBook:
        self._wait(on or TODAY)
        return super().day(actor, on)

    def week(self, actor: SignedInStaff, on: date | None = None) -> DayBook:
        self._wait(on or TODAY)
        return super().week(actor, on)


def book_view(qtbot: QtBot, book: SlowBook, dialogs: FakeDialogService) -> BookView:
    view = BookView(book, RECEPTION, dialogs, today=lambda: TODAY, run=run_in_background,
                    find_patients=lambda text: [(i, n) for i, n in book.patients.items()
                                                if text.lower() in n.lower()])
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.day_book is not None and not view.loading.busy,
                    timeout=DEADLINE_MS)
    return view


def today_list(qtbot: QtBot, book: SlowBook) -> TodayList:
    widget = TodayList(book, RECEPTION, FakeDialogService(),
                       open_consents=print, open_session=print,
                       run=run_in_background)
    qtbot.addWidget(widget)
    widget.resize(1000, 480)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.day_book is not None and not widget.loading.busy,
                    timeout=DEADLINE_MS)
    return widget


def test_a_day_the_user_has_moved_past_is_dropped_when_it_arrives_late(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = SlowBook()
    a_day(book)
    tomorrow, after = TODAY + timedelta(days=1), TODAY + timedelta(days=2)
    book.add(2, at(15, 0, tomorrow))
    book.add(3, at(16, 0, after))
    view = book_view(qtbot, book, dialogs)
    gate = book.held[tomorrow] = threading.Event()
    view.next_button.click()  # tomorrow: its listing is held up
    view.next_button.click()  # the day after: arrives first
    qtbot.waitUntil(lambda: view.day_book is not None and view.day_book.first_day == after,
                    timeout=DEADLINE_MS)
    assert view.loading.busy  # tomorrow is still on its way
    gate.set()
    qtbot.waitUntil(lambda: not view.loading.busy, timeout=DEADLINE_MS)
    assert view.loading.dropped == 1
    assert view.day_book is not None and view.day_book.first_day == after
    assert [p.view.patient_name for p in view.model.placed] == ["Chidi Okafor"]
    assert after.strftime("%d %B %Y") in view.title.text()
    # Every listing ran on a worker thread, none on the UI thread.
    assert book.threads and threading.main_thread().name not in book.threads


def test_the_rows_shown_stay_while_the_next_load_runs(qtbot: QtBot) -> None:
    book = SlowBook()
    ids = a_day(book)
    widget = today_list(qtbot, book)
    gate = book.held[TODAY] = threading.Event()
    book.set_status(RECEPTION, ids["late"], AppointmentStatus.ARRIVED, expected_version=1)
    widget.refresh()
    assert widget.loading.busy
    # Not emptied, not reset while waiting: the old rows are still there to read.
    assert widget.model.rowCount() == 4
    assert widget.stack.currentWidget() is widget.table
    qtbot.wait(50)  # the event loop runs; the load is held, nothing may change meanwhile
    assert widget.model.rowCount() == 4
    assert widget.model.view_at(1).status is AppointmentStatus.BOOKED
    gate.set()
    qtbot.waitUntil(lambda: widget.model.view_at(1).status is AppointmentStatus.ARRIVED,
                    timeout=DEADLINE_MS)


def test_a_live_refresh_keeps_the_selection_and_the_scroll_position(qtbot: QtBot) -> None:
    book = SlowBook()
    for n in range(30):  # more rows than the table shows at once
        book.add(1 + n % 4, at(8, 0) + timedelta(minutes=15 * n), practitioner_id=3 + n % 2)
    widget = today_list(qtbot, book)
    target = widget.model.view_at(25).appointment_id
    widget.select(target)
    bar = widget.table.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    scrolled = bar.value()
    resets: list[int] = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    # Another workstation checks in the patient of row 27 ...
    other = widget.model.view_at(27).appointment_id
    book.set_status(RECEPTION, other, AppointmentStatus.ARRIVED, expected_version=1)
    widget.refresh()
    qtbot.waitUntil(lambda: widget.model.view_at(27).status is AppointmentStatus.ARRIVED,
                    timeout=DEADLINE_MS)
    assert resets == []
    assert widget.selected() is not None
    assert widget.selected().appointment_id == target  # type: ignore[union-attr]
    assert bar.value() == scrolled
    # ... and books someone new at the end of the day: the rows move, the choice stays.
    book.add(2, at(19, 0))
    widget.refresh()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 31, timeout=DEADLINE_MS)
    assert widget.selected() is not None
    assert widget.selected().appointment_id == target  # type: ignore[union-attr]
    assert bar.value() == scrolled


def test_a_booking_form_being_typed_loses_nothing_in_a_live_refresh(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    book = SlowBook()
    a_day(book)
    view = book_view(qtbot, book, dialogs)
    seen: list[str] = []

    def type_then_refresh_then_book(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        dialog.search.setText("chidi")
        dialog.note.setText("Prefers the window seat; bring the numbing cream")
        # Another workstation books meanwhile: the book reloads behind the open form.
        book.add(4, at(15, 0), practitioner_id=3)
        view.refresh()
        qtbot.waitUntil(lambda: any(p.view.patient_name.startswith("Siobhán")
                                    for p in view.model.placed), timeout=DEADLINE_MS)
        seen.append(dialog.note.text())
        seen.append(dialog.patient.currentText())
        dialog.book_button.click()

    dialogs.dialog_scripts.append(type_then_refresh_then_book)
    view.grid.setFocus()
    view.book_at(BookGridModel.row_of(at(14, 0)), 1)
    assert seen == ["Prefers the window seat; bring the numbing cream", "Chidi Okafor"]
    booked = [b.appointment for b in book.booked.values() if b.appointment.patient_id == 3
              and b.appointment.start == at(14, 0)]
    assert [b.note for b in booked] == ["Prefers the window seat; bring the numbing cream"]
    qtbot.waitUntil(lambda: not view.loading.busy, timeout=DEADLINE_MS)
    assert view.model.appointment_at(BookGridModel.row_of(at(14, 0)), 1) is not None


def test_the_real_book_loads_on_worker_threads_on_both_engines(
    qtbot: QtBot, core: ClinicDesk, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    b = book_clinic(core, clock)
    desk = b.clinic.reception
    first = core.appointments.book(desk, b.request(clinic_at(10), 30,
                                                   kind=AppointmentKind.MICRONEEDLING))
    threads: list[str] = []
    listing = core.appointments.day

    def day_noting_the_thread(actor: SignedInStaff, on: date | None = None) -> DayBook:
        threads.append(threading.current_thread().name)
        return listing(actor, on)

    monkeypatch.setattr(core.appointments, "day", day_noting_the_thread)
    widget = TodayList(core.appointments, desk, FakeDialogService(),
                       open_consents=print, open_session=print,
                       today=lambda: MONDAY, run=run_in_background)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=DEADLINE_MS)
    assert widget.model.view_at(0).missing  # the readiness came with it (no history yet)
    widget.select(first.appointment_id)
    # Another workstation books Zoë at 11:00: the list reloads, the choice stays.
    core.appointments.book(desk, b.request(clinic_at(11), 30, patient=b.zoe))
    widget.refresh()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2, timeout=DEADLINE_MS)
    assert widget.selected() is not None
    assert widget.selected().appointment_id == first.appointment_id  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not widget.loading.busy, timeout=DEADLINE_MS)
    assert widget.loading.dropped == 0
    assert len(threads) == 2 and threading.main_thread().name not in threads
