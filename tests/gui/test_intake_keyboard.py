"""The medical history by keyboard: Enter never changes an answer, Escape asks before
answers are lost, Tab reaches "No", Y and N answer in one key; the counter follows."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.intake import QuestionKind
from clinic_desk.ui.patients.intake_dialog import IntakeDialog, PatientModeDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, clear_answers, register
from tests.helpers.clinic import SeededClinic

TODAY = date(2026, 11, 22)


@pytest.fixture
def patient_id(sqlite_core: ClinicDesk, seeded: SeededClinic) -> int:
    return register(sqlite_core, seeded.reception, LONG_NAME).patient_id


def staff_dialog(qtbot: QtBot, core: ClinicDesk, seeded: SeededClinic, patient_id: int,
                 dialogs: FakeDialogService) -> IntakeDialog:
    dialog = IntakeDialog(core.intake, seeded.reception, dialogs, patient_id=patient_id,
                          patient_name="Zoë", date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                          today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


class Keys:
    """Presses keys where the focus is, as a person would, and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(focused(), key, modifier)
            self.count += 1


# --- B1: Enter never changes an answer ---------------------------------------------------


def test_the_staff_dialog_has_no_default_button(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    assert [b.text() for b in dialog.findChildren(QPushButton) if b.isDefault()] == []
    assert not any(b.autoDefault() for b in dialog.findChildren(QPushButton))


def test_enter_anywhere_in_the_questionnaire_changes_no_answer(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    form = dialog.form
    form.set_answers(clear_answers(sqlite_core, isotretinoin=True))
    before = form.answers()
    cold_sores = form.widget_for("cold_sores")
    last_dose = form.widget_for("isotretinoin_last_dose")
    pregnant = form.widget_for("pregnant")
    assert cold_sores is not None and last_dose is not None and pregnant is not None
    assert last_dose.date_edit is not None and form.scroll_area is not None
    targets: list[QWidget] = [
        cold_sores.buttons["recurrent"], last_dose.date_edit, form.scroll_area,
        pregnant.buttons["no"], pregnant.buttons["yes"], form.widget_for("eczema").buttons["no"],  # type: ignore[union-attr]
    ]
    for target in targets:
        target.setFocus()
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            qtbot.keyClick(target, key)
        assert form.answers() == before, target
    assert dialog.isVisible() and dialog.saved is None
    assert dialogs.confirmations == []


def test_enter_in_patient_mode_turns_the_page_and_never_presses_an_answer(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = PatientModeDialog(sqlite_core.intake, seeded.reception, dialogs,
                               patient_id=patient_id, patient_name="Zoë",
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.next()
    form = dialog.forms[0]
    toggle = form.questions[1].buttons["yes"]
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Return)
    assert not toggle.isChecked()
    assert all(answer is None for answer in form.answers().values())


# --- A3 and B2: Cancel, Escape and closing the window ask ----------------------------


def test_escape_with_answers_asks_and_keep_editing_keeps_them(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    pregnant = dialog.form.widget_for("pregnant")
    assert pregnant is not None
    qtbot.mouseClick(pregnant.buttons["no"], Qt.MouseButton.LeftButton)
    # Escape: asked, "Keep editing" (the fake's default answer) keeps the dialog open
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert dialogs.confirmations == [("Discard these answers?", "Discard")]
    assert dialogs.cancel_labels == ["Keep editing"]
    assert dialog.isVisible()
    # Cancel asks the same; closing the window too
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    dialog.close()
    assert len(dialogs.confirmations) == 3 and dialog.isVisible()
    # "Discard" closes it
    dialogs.confirm_answers.append(True)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_an_untouched_intake_closes_without_asking(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert dialogs.confirmations == [] and not dialog.isVisible()


def test_escape_in_patient_mode_asks_as_stop_does(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = PatientModeDialog(sqlite_core.intake, seeded.reception, dialogs,
                               patient_id=patient_id, patient_name="Zoë",
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.next_button, Qt.Key.Key_Escape)
    assert dialogs.confirmations == [("Stop the medical history?", "Stop")]
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert dialogs.confirmations[-1] == ("Stop the medical history?", "Stop")
    dialogs.confirm_answers.append(True)
    qtbot.keyClick(dialog.next_button, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


# --- A6: the counter follows the answers ---------------------------------------------


def test_the_counter_follows_the_answers(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    answers = clear_answers(sqlite_core)
    for missing in ("pregnant", "eczema", "rash"):
        del answers[missing]
    dialog.form.set_answers(answers)
    dialog.submit()
    assert dialog.error.text() == "3 questions still need an answer."
    for missing, left in (("pregnant", "2 questions"), ("eczema", "1 question")):
        widget = dialog.form.widget_for(missing)
        assert widget is not None
        qtbot.mouseClick(widget.buttons["no"], Qt.MouseButton.LeftButton)
        assert dialog.error.text().startswith(left)
    # a follow-up that appears is counted, and the count goes when all is answered
    isotretinoin = dialog.form.widget_for("isotretinoin")
    assert isotretinoin is not None
    qtbot.mouseClick(isotretinoin.buttons["yes"], Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "1 question still needs an answer."
    qtbot.mouseClick(isotretinoin.buttons["no"], Qt.MouseButton.LeftButton)
    rash = dialog.form.widget_for("rash")
    assert rash is not None
    qtbot.mouseClick(rash.buttons["yes"], Qt.MouseButton.LeftButton)
    assert dialog.error.text() == ""


# --- B3: Tab reaches No; a yes/no costs one or two keys --------------------------------


def test_tab_reaches_no_and_space_answers_it(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    first = dialog.form.questions[0]
    assert focused() is first.buttons["yes"]
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_Tab)
    assert focused() is first.buttons["no"]
    keys.press(Qt.Key.Key_Space)
    assert first.answer() is False and keys.count == 2
    # Left and Right move within the pair; pressing the chosen answer again keeps it
    keys.press(Qt.Key.Key_Left)
    assert focused() is first.buttons["yes"]
    keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Space)
    assert first.answer() is False


def test_a_whole_intake_by_keyboard_and_its_key_count(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService, capsys: pytest.CaptureFixture[str],
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    keys = Keys(qtbot)
    answered = 0
    for widget in dialog.form.questions:
        kind = widget.question.kind
        assert dialog.form.widget_for(widget.question.id) is widget
        if kind is QuestionKind.YES_NO:
            assert focused() is widget.buttons["yes"], widget.question.id
            keys.press(Qt.Key.Key_N)  # answers No and moves to the next question
        elif kind is QuestionKind.CHOICE:
            assert focused() is widget.buttons["never"]
            keys.press(Qt.Key.Key_Space)
            keys.press(Qt.Key.Key_Tab)
        else:
            assert focused() is widget.text_edit
            keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        answered += 1
    assert dialog.saved is not None
    history = sqlite_core.intake.history(seeded.reception, patient_id)
    assert len(history) == 1 and history[0].answers["cold_sores"] == "never"
    yes_no = sum(1 for w in dialog.form.questions if w.question.kind is QuestionKind.YES_NO)
    # one key per yes/no, two for the choice, one to save
    assert keys.count == yes_no + 2 + 1
    with capsys.disabled():
        print(f"\n[key count] whole intake, {answered} questions: {keys.count} keys "
              f"({yes_no} yes/no answers at 1 key each)")


def test_y_answers_yes_and_opens_the_follow_up_for_its_date(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, patient_id: int,
    dialogs: FakeDialogService,
) -> None:
    dialog = staff_dialog(qtbot, sqlite_core, seeded, patient_id, dialogs)
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_Y)
    follow_up = dialog.form.widget_for("isotretinoin_last_dose")
    assert follow_up is not None and follow_up.date_edit is not None
    assert focused() is follow_up.date_edit
    qtbot.keyClicks(follow_up.date_edit, "01/10/2026")
    assert follow_up.answer() == date(2026, 10, 1)
