"""Due and overdue, in the demo clinic: reception books a patient's next session from the
list in one step (the proposed time inside the course's window) and exports the list as
CSV through the save-path chooser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QTime
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.domain.roles import Role
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.today.booking_dialog import BookingDialog
from tests.gui.fakes import FakeDialogService


def test_reception_books_from_the_due_list_and_exports_it(
    qtbot: QtBot, services: DeskServices, dialogs: FakeDialogService, ui_settings: QSettings,
    tmp_path: Path,
) -> None:
    accounts = services.load_demo()
    account = next(a for a in accounts if a.role is Role.RECEPTION)
    actor = services.auth.sign_in(account.username, account.password)
    window = MainWindow(services, actor, dialogs, ui_settings)
    qtbot.addWidget(window)
    page = window.today_page
    due = page.due
    page.tabs.setCurrentIndex(page.tabs.count() - 1)  # Due and overdue
    assert due.model.rowCount() > 0
    entry = due.model.entry_at(0)
    due.table.selectRow(0)
    seen: list[str] = []

    def accept_the_proposal(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        seen.append(dialog.patient.currentText())
        seen.append(dialog.proposal_text.text())
        hour = 7
        while not dialog.book_button.isEnabled() and hour < 20:  # past any demo booking
            dialog.time.setTime(QTime(hour, 0))
            hour += 1
        dialog.book_button.click()

    dialogs.dialog_scripts.append(accept_the_proposal)
    dialogs.confirm_answers.append(True)
    page.book_due_button.click()
    assert seen[0] == entry.patient_name
    assert "Session" in seen[1]  # the course's window, in words
    assert "Booked" in due.banner.text(), (page.day_view.banner.text(), seen)
    rows = services.appointments.due(actor, services.courses)
    booked = next(r for r in rows if r.entry.course_id == entry.course_id)
    assert booked.next_booked is not None
    # Export: the chooser's path gets the CSV, header first
    target = tmp_path / "due.csv"
    dialogs.save_answers.append(target)
    page.export_button.click()
    assert dialogs.save_requests[-1] == ("Export the due list", "due-and-overdue.csv")
    assert target.read_text(encoding="utf-8").startswith("patient_number,patient_name,")
    assert "Exported" in due.banner.text()
    window.close()
