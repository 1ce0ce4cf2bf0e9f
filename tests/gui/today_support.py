"""Scripts for the Today area's dialogs and a book view to drive, shared by the list and
the book tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.domain.roles import Role
from clinic_desk.ui.today.book_view import BookView
from clinic_desk.ui.today.booking_dialog import BookingDialog
from clinic_desk.ui.today.cancel_dialog import CancelDialog
from clinic_desk.ui.today.grid_model import BookGridModel
from tests.gui.appointment_fakes import TODAY, FakeAppointmentBook, at, staff
from tests.gui.fakes import FakeDialogService


def cancel_with(choice: str, words: str = "") -> Callable[[QDialog], None]:
    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, CancelDialog)
        for button in dialog.choices.buttons():
            if button.text() == choice:
                button.click()
        dialog.details.setText(words)
        dialog.cancel_button.click()
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.reject()
    return script


RECEPTION = staff(Role.RECEPTION)


def make(qtbot: QtBot, book: FakeAppointmentBook, dialogs: FakeDialogService,
         week: bool = False) -> BookView:
    view = BookView(book, RECEPTION, dialogs, week=week, today=lambda: TODAY,
                    find_patients=lambda text: [(i, n) for i, n in book.patients.items()
                                                if text.lower() in n.lower()])
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.refresh()
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    return view


def choose(view: BookView, hour: int, minute: int, column: int) -> None:
    row = BookGridModel.row_of(at(hour, minute))
    view.grid.setFocus()
    view.grid.setCurrentIndex(view.model.index(row, column))


def fill(patient: str) -> Callable[[QDialog], None]:
    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        dialog.search.setText(patient)
        dialog.book_button.click()
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.reject()
    return script
