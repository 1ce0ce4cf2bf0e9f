"""A5 beyond the patient form: no field cuts a paste silently (staff accounts, the clinic
profile, sign-in): a note says so beside the field, and nothing below it moves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.ui.account_form import AccountForm
from clinic_desk.ui.clinic_form import ClinicProfileForm
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.inline_form import HintOrNote
from clinic_desk.ui.sign_in import SignInDialog
from tests.helpers.clinic import SeededClinic

PASTED = "Ferreira" * 1250  # 10,000 characters


def note(limit: int) -> str:
    return f"This field holds at most {limit} characters; it stopped there."


def paste_and_check(qtbot: QtBot, window: QWidget, edit: QLineEdit, slot: HintOrNote,
                    below: QWidget, limit: int) -> None:
    """Pastes 10,000 characters: the field stops at `limit`, the note beside it says so
    (in its hint's place), `below` stays where it was; a Backspace takes the note away,
    and a value that just fills the field is not told off."""
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    before = below.mapTo(window, below.rect().topLeft())
    assert slot.note_text() == ""
    QGuiApplication.clipboard().setText(PASTED)
    edit.setFocus()
    edit.paste()
    assert len(edit.text()) == limit
    assert slot.note_text() == note(limit)
    assert slot.note.isVisibleTo(window) and not slot.hint.isVisibleTo(window)
    QGuiApplication.processEvents()
    assert below.mapTo(window, below.rect().topLeft()) == before
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert slot.note_text() == "" and slot.hint.isVisibleTo(window)
    edit.setText("a" * limit)
    assert (edit.text(), slot.note_text()) == ("a" * limit, "")


def test_the_account_form_says_when_a_name_was_cut(qtbot: QtBot) -> None:
    form = AccountForm(with_role=True)
    qtbot.addWidget(form)
    assert form.username_edit is not None and form.password_edit is not None
    paste_and_check(qtbot, form, form.full_name_edit, form.notes["full_name"],
                    form.username_edit, 120)
    paste_and_check(qtbot, form, form.username_edit, form.notes["username"],
                    form.password_edit, 32)


def test_the_clinic_form_says_when_its_name_was_cut(qtbot: QtBot) -> None:
    form = ClinicProfileForm()
    qtbot.addWidget(form)
    paste_and_check(qtbot, form, form.name_edit, form.name_note, form.address_edit, 120)


def test_sign_in_says_when_a_user_name_was_cut(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
) -> None:
    dialog = SignInDialog(services)
    qtbot.addWidget(dialog)
    paste_and_check(qtbot, dialog, dialog.username_edit, dialog.username_note,
                    dialog.password_edit, 32)


def test_no_field_of_these_forms_relies_on_qt_cutting_silently(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
) -> None:
    windows: list[QWidget] = [AccountForm(with_role=True), ClinicProfileForm(),
                              SignInDialog(services)]
    for window in windows:
        qtbot.addWidget(window)
        for edit in window.findChildren(QLineEdit):
            if edit.echoMode() is QLineEdit.EchoMode.Normal and edit.isVisibleTo(window):
                assert edit.maxLength() == 32767, (type(window).__name__, edit.text())
