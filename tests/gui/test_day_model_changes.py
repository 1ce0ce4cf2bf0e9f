"""The Today list's model takes a fresh copy of the day the way the change feed needs it:
changed rows repaint, appointments gone are removed and new ones inserted where they
belong (no reset: the selection follows its appointment), and only a change of order
among the rows kept resets the model."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.domain.booking import AppointmentStatus
from clinic_desk.domain.roles import Role
from clinic_desk.services.appointment_dto import AppointmentView
from clinic_desk.ui.today.day_model import DayModel
from clinic_desk.ui.today.today_list import TodayList
from tests.gui.appointment_fakes import FakeAppointmentBook, a_day, at, staff
from tests.gui.fakes import FakeDialogService

RECEPTION = staff(Role.RECEPTION)


def ids(model: DayModel) -> list[int]:
    return [model.view_at(r).appointment_id for r in range(model.rowCount())]


def test_rows_are_inserted_removed_and_repainted_without_a_reset(
    qtmodeltester: ModelTester,
) -> None:
    book = FakeAppointmentBook()
    day = a_day(book)
    model = DayModel()
    model.set_appointments(book.day(RECEPTION).appointments)
    qtmodeltester.check(model, force_py=True)  # watches every signal from here on
    events: list[tuple[str, int]] = []
    model.modelReset.connect(lambda: events.append(("reset", -1)))
    model.rowsInserted.connect(lambda _p, first, _l: events.append(("inserted", first)))
    model.rowsRemoved.connect(lambda _p, first, _l: events.append(("removed", first)))
    model.dataChanged.connect(lambda first, _l: events.append(("changed", first.row())))
    early = book.add(3, at(8, 30))  # before every other row
    late = book.add(2, at(17, 0))  # after them
    del book.booked[day["coming"]]  # gone (third row of four)
    book.set_status(RECEPTION, day["late"], AppointmentStatus.ARRIVED, expected_version=1)
    fresh = book.day(RECEPTION).appointments
    assert model.set_appointments(fresh) is True
    assert ids(model) == [v.appointment_id for v in sorted(
        fresh, key=lambda v: (v.start, v.patient_name, v.appointment_id))]
    assert ids(model) == [early, day["arrived"], day["late"], day["cancelled"], late]
    assert ("reset", -1) not in events
    assert events == [("removed", 2), ("inserted", 0), ("inserted", 4), ("changed", 2)]
    assert model.view_at(2).status is AppointmentStatus.ARRIVED


def test_a_change_of_order_among_the_rows_kept_resets(qtmodeltester: ModelTester) -> None:
    book = FakeAppointmentBook()
    day = a_day(book)
    model = DayModel()
    views = list(book.day(RECEPTION).appointments)
    model.set_appointments(views)
    qtmodeltester.check(model, force_py=True)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    first = next(v for v in views if v.appointment_id == day["arrived"])
    moved: AppointmentView = replace(first, start=at(13, 0), end=at(13, 30))
    assert model.set_appointments([moved if v is first else v for v in views]) is False
    assert resets == [1]
    assert ids(model)[-1] == day["arrived"]


def test_the_selection_follows_its_appointment_when_a_row_arrives_above_it(
    qtbot: QtBot,
) -> None:
    book = FakeAppointmentBook()
    day = a_day(book)
    widget = TodayList(book, RECEPTION, FakeDialogService(),
                       open_consents=print, open_session=print)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    widget.select(day["coming"])
    resets: list[int] = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    book.add(4, at(8, 0))  # another workstation books someone at the start of the day
    widget.refresh()
    assert widget.model.rowCount() == 5
    assert resets == []
    assert widget.selected() is not None
    assert widget.selected().appointment_id == day["coming"]  # type: ignore[union-attr]
