"""The Today list: statuses in words, check-in with Space, hand-over with R, the room's
queue opening the session form, stale changes offering Reload, and the day model."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.domain.roles import Role
from clinic_desk.ui.today.cancel_dialog import CancelDialog
from clinic_desk.ui.today.day_model import DayColumn, DayModel
from clinic_desk.ui.today.status_steps import Step, refusal
from clinic_desk.ui.today.today_list import TodayList
from tests.gui.appointment_fakes import TODAY, FakeAppointmentBook, a_day, at, staff
from tests.gui.fakes import FakeDialogService
from tests.gui.today_support import cancel_with

RECEPTION = staff(Role.RECEPTION, name="Øystein Łukasiewicz")


def make(qtbot: QtBot, book: FakeAppointmentBook,
         opened: list[tuple[str, int]] | None = None,
         dialogs: FakeDialogService | None = None) -> TodayList:
    seen = opened if opened is not None else []
    widget = TodayList(book, RECEPTION, dialogs or FakeDialogService(),
                       open_consents=lambda p: seen.append(("consents", p)),
                       open_session=lambda p: seen.append(("session", p)))
    qtbot.addWidget(widget)
    widget.refresh()
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def cell(widget: TodayList, row: int, column: DayColumn) -> str:
    return str(widget.model.index(row, column).data())


def test_the_day_reads_in_time_order_with_status_in_words_and_icons(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    a_day(book)
    widget = make(qtbot, book)
    assert [cell(widget, r, DayColumn.TIME) for r in range(4)] == [
        "09:00–09:30", "09:50–10:20", "11:00–11:45", "12:00–12:30"]
    assert [cell(widget, r, DayColumn.STATUS) for r in range(4)] == [
        "Arrived", "Late", "Booked", "Cancelled"]
    for row in range(4):
        assert widget.model.index(row, DayColumn.STATUS).data(
            Qt.ItemDataRole.DecorationRole) is not None
    assert cell(widget, 1, DayColumn.TREATMENT) == "RF microneedling session"
    assert cell(widget, 2, DayColumn.READINESS) == "Consent missing"
    assert cell(widget, 1, DayColumn.READINESS) == "Clear, nothing missing"
    assert cell(widget, 3, DayColumn.READINESS) == "—"
    assert "1 late or not arrived" in widget.subtitle.text()


def test_space_checks_in_and_r_hands_over_to_the_room(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    widget = make(qtbot, book)
    widget.focus_list()
    widget.select(ids["late"])
    qtbot.keyClick(widget.table, Qt.Key.Key_Space)
    assert book.booked[ids["late"]].appointment.status is AppointmentStatus.ARRIVED
    assert "checked in" in widget.banner.text()
    assert widget.selected() is not None
    assert widget.selected().appointment_id == ids["late"]  # type: ignore[union-attr]
    assert widget.hand_over_action.text() == "Ready for Room 2"
    qtbot.keyClick(widget.table, Qt.Key.Key_R)
    assert book.booked[ids["late"]].ready_for_room_id == 2
    assert cell(widget, 1, DayColumn.STATUS) == "Ready for Room 2"


def test_a_cancelled_appointment_cannot_be_checked_in(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    widget = make(qtbot, book)
    widget.focus_list()
    widget.select(ids["cancelled"])
    button = widget.buttons[widget.check_in_action]
    assert not button.isEnabled()
    assert button.toolTip() == "A cancelled appointment cannot be checked in: book a new one."
    qtbot.keyClick(widget.table, Qt.Key.Key_Space)  # the key says why instead of nothing
    assert widget.banner.text() == button.toolTip()
    assert book.booked[ids["cancelled"]].appointment.status is AppointmentStatus.CANCELLED
    assert not [c for c in book.calls if c.startswith("status")]


def test_a_stale_check_in_offers_reload(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    widget = make(qtbot, book)
    widget.select(ids["coming"])
    book.touch_elsewhere(ids["coming"])
    widget.check_in()
    assert book.booked[ids["coming"]].appointment.status is AppointmentStatus.BOOKED
    assert "another workstation" in widget.banner.text()
    assert widget.banner.action_button.text() == "Reload"
    widget.banner.action_button.click()
    widget.check_in()
    assert book.booked[ids["coming"]].appointment.status is AppointmentStatus.ARRIVED


def test_the_treatment_room_sees_its_queue_and_opens_the_session_form(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    book.booked[ids["arrived"]].ready_for_room_id = 1
    opened: list[tuple[str, int]] = []
    widget = make(qtbot, book, opened)
    widget.show_room(1)
    assert widget.model.rowCount() == 1
    assert cell(widget, 0, DayColumn.PATIENT) == "Anna Berg"
    widget.show_room(2)
    assert widget.stack.currentWidget() is widget.queue_empty
    widget.show_room(1)
    widget.focus_list()
    qtbot.keyClick(widget.table, Qt.Key.Key_S)
    qtbot.keyClick(widget.table, Qt.Key.Key_C)
    assert opened == [("session", 2), ("consents", 2)]


def test_a_refresh_repaints_changed_rows_only_and_keeps_the_selection(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    widget = make(qtbot, book)
    widget.select(ids["coming"])
    resets: list[int] = []
    changed: list[int] = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    widget.model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    book.set_status(RECEPTION, ids["late"], AppointmentStatus.ARRIVED, expected_version=1)
    widget.refresh()
    assert resets == []
    assert changed == [1]
    assert widget.selected().appointment_id == ids["coming"]  # type: ignore[union-attr]


def test_the_day_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    book = FakeAppointmentBook()
    a_day(book)
    model = DayModel()
    model.set_appointments(book.day(RECEPTION).appointments)
    qtmodeltester.check(model, force_py=True)
    model.set_appointments(())
    qtmodeltester.check(model, force_py=True)


def test_the_treatment_room_starts_and_finishes_the_treatment(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    book.booked[ids["arrived"]].ready_for_room_id = 1
    widget = make(qtbot, book)
    assert not widget.buttons[widget.start_action].isVisibleTo(widget)  # reception
    widget.show_room(1)
    assert widget.buttons[widget.start_action].isVisibleTo(widget)
    assert not widget.buttons[widget.check_in_action].isVisibleTo(widget)
    widget.focus_list()
    qtbot.keyClick(widget.table, Qt.Key.Key_T)
    assert book.booked[ids["arrived"]].appointment.status is AppointmentStatus.IN_TREATMENT
    assert cell(widget, 0, DayColumn.STATUS) == "In treatment"
    qtbot.keyClick(widget.table, Qt.Key.Key_D)
    assert book.booked[ids["arrived"]].appointment.status is AppointmentStatus.DONE
    assert widget.stack.currentWidget() is widget.queue_empty


def test_a_late_patient_can_be_marked_as_a_no_show_with_n(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    widget = make(qtbot, book)
    widget.focus_list()
    widget.select(ids["coming"])  # 11:00, not started yet at 10:05
    qtbot.keyClick(widget.table, Qt.Key.Key_N)
    assert "not late yet" in widget.banner.text()
    assert book.booked[ids["coming"]].appointment.status is AppointmentStatus.BOOKED
    widget.select(ids["late"])
    qtbot.keyClick(widget.table, Qt.Key.Key_N)
    assert book.booked[ids["late"]].appointment.status is AppointmentStatus.NO_SHOW
    assert cell(widget, 1, DayColumn.STATUS) == "No-show"


def test_delete_cancels_with_the_reason_chosen_and_written(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    dialogs = FakeDialogService()
    widget = make(qtbot, book, dialogs=dialogs)
    widget.focus_list()
    widget.select(ids["coming"])
    dialogs.dialog_scripts.append(cancel_with("Patient unwell", "  flu,   rebooks  next week "))
    qtbot.keyClick(widget.table, Qt.Key.Key_Delete)
    cancelled = book.booked[ids["coming"]].appointment
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert cancelled.cancel_reason == "Patient unwell: flu, rebooks next week"
    assert cell(widget, 2, DayColumn.STATUS) == "Cancelled"
    assert widget.banner.text() == (
        "Cancelled the 11:00 appointment of Chidi Okafor (Patient unwell: flu, rebooks next week).")
    assert widget.selected().appointment_id == ids["coming"]  # type: ignore[union-attr]


def test_a_cancellation_needs_a_reason_and_keep_it_changes_nothing(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    dialogs = FakeDialogService()
    widget = make(qtbot, book, dialogs=dialogs)
    widget.select(ids["coming"])
    seen: list[tuple[bool, str]] = []

    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, CancelDialog)
        seen.append((dialog.cancel_button.isEnabled(), dialog.cancel_button.toolTip()))
        dialog.details.setText("   ")  # blanks are no reason
        seen.append((dialog.cancel_button.isEnabled(), ""))
        dialog.keep_button.click()

    dialogs.dialog_scripts.append(script)
    widget.cancel()
    assert seen[0][0] is False and "Choose a reason" in seen[0][1]
    assert seen[1][0] is False
    assert book.booked[ids["coming"]].appointment.status is AppointmentStatus.BOOKED
    assert not [c for c in book.calls if c.startswith("status")]
    dialogs.dialog_scripts.append(cancel_with("", "moved abroad"))  # own words alone do
    widget.cancel()
    assert book.booked[ids["coming"]].appointment.cancel_reason == "moved abroad"


# A popped-up menu grabs the keyboard, which the offscreen platform cannot do.
POPUP = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


@POPUP
def test_the_context_menu_has_every_step_with_refusals_in_words(qtbot: QtBot) -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    widget = make(qtbot, book)
    row = widget.model.row_of(ids["cancelled"])
    assert row is not None
    point = widget.table.visualRect(widget.model.index(row, 1)).center()
    widget.table.customContextMenuRequested.emit(point)
    assert widget.menu is not None
    steps = {a.objectName(): a for a in widget.menu.actions() if a.objectName()}
    assert set(steps) == {f"step_{s.value}" for s in Step}
    assert not any(a.isEnabled() for a in steps.values())  # a cancelled one takes none
    assert widget.menu.actions()[0].text() == "12:00 Siobhán Ní Bhriain, cancelled: ill"
    assert steps["step_check_in"].text() == (
        "Check in — A cancelled appointment cannot be checked in: book a new one.")
    assert widget.consent_action in widget.menu.actions()
    widget.menu.close()
    row = widget.model.row_of(ids["arrived"])
    assert row is not None
    widget.table.customContextMenuRequested.emit(
        widget.table.visualRect(widget.model.index(row, 1)).center())
    steps = {a.objectName(): a for a in widget.menu.actions() if a.objectName()}
    assert [n for n, a in steps.items() if a.isEnabled()] == [
        "step_hand_over", "step_start", "step_cancel"]
    # The ones that apply first; the others under a heading that says so in words.
    order = [a.text() if a.isSeparator() else a.objectName() for a in widget.menu.actions()]
    assert order[:6] == ["09:00 Anna Berg", "step_hand_over", "step_start", "step_cancel",
                         "Not now", "step_check_in"]
    steps["step_start"].trigger()  # the room's step, reachable from reception's menu
    assert book.booked[ids["arrived"]].appointment.status is AppointmentStatus.IN_TREATMENT
    widget.menu.close()


def test_the_refusals_beyond_the_status_table_are_in_words() -> None:
    book = FakeAppointmentBook()
    ids = a_day(book)
    tomorrow = book.add(2, at(9, 0, TODAY + timedelta(days=1)))
    views = {v.appointment_id: v for v in book.week(RECEPTION).appointments}
    assert refusal(Step.CHECK_IN, views[tomorrow], TODAY) == (
        "This appointment is on Tue 01 Dec: check in on that day only.")
    assert refusal(Step.CHECK_IN, views[ids["coming"]], TODAY) is None
    assert refusal(Step.HAND_OVER, views[ids["coming"]], TODAY) == (
        "Check the patient in before handing them to a room.")
    assert refusal(Step.HAND_OVER, views[ids["arrived"]], TODAY) is None
    book.booked[ids["arrived"]].ready_for_room_id = 1
    handed = book.day(RECEPTION).appointments[0]
    assert refusal(Step.HAND_OVER, handed, TODAY) == "Anna Berg is already ready for Room 1."
    assert refusal(Step.NO_SHOW, views[ids["coming"]], TODAY) == (
        "The patient is not late yet: a no-show is marked once they are late.")
    assert refusal(Step.NO_SHOW, views[ids["late"]], TODAY) is None
    assert refusal(Step.CANCEL, views[ids["cancelled"]], TODAY) == (
        "This appointment was cancelled and can no longer change: book a new one.")
