"""The registration form: messages that never move it, no silent truncation, a gentle word
for a phone number it cannot read, and Cancel, Escape or closing asking first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.patients.patient_form import LIMITS, PatientForm
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, register
from tests.helpers.clinic import SeededClinic

TODAY = date(2026, 11, 22)


def new_dialog(qtbot: QtBot, core: ClinicDesk, actor: SignedInStaff,
               dialogs: FakeDialogService, **more: object) -> PatientDialog:
    dialog = PatientDialog(core.patients, actor, dialogs,
                           date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY,
                           country="PL", **more)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.resize(1040, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill_valid(form: PatientForm) -> None:
    form.family_edit.setText("Wiśniewska-Kowalczyk")
    form.given_edit.setText("Małgorzata")
    form.birth_edit.setText("07/09/1988")
    form.phone_edit.setText("+48 601 234 567")


def geometries(dialog: PatientDialog) -> dict[str, QRect]:
    fields: dict[str, QRect] = {}
    for widget in dialog.form.focus_order():
        top_left = widget.mapTo(dialog.form, QPoint(0, 0))
        fields[widget.accessibleName()] = QRect(top_left, widget.size())
    return fields


# --- A4: messages never move the fields ---------------------------------------------


def test_messages_appearing_never_move_a_field(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    fill_valid(dialog.form)
    qtbot.wait(1)  # let the layout settle once
    before = geometries(dialog)
    # When several fields get a message at once (one of them long)
    dialog.form.family_edit.setText("Müller 😀")
    dialog.form.birth_edit.setText("31/02/1990")
    dialog.form.email_edit.setText("not-an-email")
    dialog.form.emergency_phone_edit.setText("call me")
    dialog.submit()
    shown = {f for f, e in dialog.form.errors.items() if e.text()}
    assert shown == {"family_name", "date_of_birth", "email", "emergency_contact_phone"}
    qtbot.wait(1)
    # Then every field is exactly where it was
    assert geometries(dialog) == before
    # And when the messages go away again, still nothing moves
    fill_valid(dialog.form)
    dialog.form.email_edit.setText("")
    dialog.form.emergency_phone_edit.setText("")
    qtbot.wait(1)
    assert not any(e.text() for e in dialog.form.errors.values())
    assert geometries(dialog) == before


def test_an_emoji_in_a_name_keeps_the_message_clear_of_the_buttons(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    fill_valid(dialog.form)
    dialog.form.given_edit.setFocus()
    dialog.form.given_edit.insert("😀🎉")  # typed: QTest cannot type a character past U+FFFF
    dialog.form.given_edit.clearFocus()
    qtbot.wait(1)
    assert "not “😀”" in dialog.why_label.text()
    why = dialog.why_label.geometry()
    for button in (dialog.cancel_button, dialog.save_button):
        assert not why.intersects(button.geometry()), button.text()
    assert why.height() <= dialog.cancel_button.height()
    assert dialog.why_label.toolTip() == dialog.why_label.text()


# --- A5: no silent truncation --------------------------------------------------------


def test_pasting_past_a_limit_says_so_beside_the_field(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    fill_valid(dialog.form)
    slot = dialog.form.slots["family_name"]
    assert slot.note_text() == ""
    QGuiApplication.clipboard().setText("Ferreira" * 1250)  # 10,000 characters
    dialog.form.family_edit.clear()
    dialog.form.family_edit.paste()
    assert len(dialog.form.family_edit.text()) == 100
    assert slot.note_text() == "This field holds at most 100 characters; it stopped there."
    # typing back under the limit takes the note away
    qtbot.keyClick(dialog.form.family_edit, Qt.Key.Key_Backspace)
    assert slot.note_text() == ""


def test_every_one_line_field_says_when_it_reaches_its_limit(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    for field, slot in dialog.form.slots.items():
        edit = dialog.form.field_widget(field)
        if not isinstance(edit, QLineEdit):
            continue
        edit.setText("9" * 20_000)
        limit = LIMITS[field]
        assert len(edit.text()) == limit, field
        assert slot.note_text() == (
            f"This field holds at most {limit} characters; it stopped there."), field


def test_a_value_that_just_fills_a_field_is_not_told_off(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    """A whole date typed (10 characters of 10) is no cut; an 11th key is refused, said."""
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    edit, slot = dialog.form.birth_edit, dialog.form.slots["date_of_birth"]
    edit.setFocus()
    qtbot.keyClicks(edit, "04/05/1988")
    assert edit.text() == "04/05/1988" and slot.note_text() == ""
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClicks(edit, "7")
    assert edit.text() == "04/05/1988" and edit.cursorPosition() == 0
    assert "at most 10 characters" in slot.note_text()
    # Pasted into the middle of a part-filled field: the end of the paste goes
    family = dialog.form.family_edit
    family.setText("A" * 95 + "Z")
    family.setCursorPosition(95)
    QGuiApplication.clipboard().setText("0123456789")
    family.paste()
    assert family.text() == "A" * 95 + "0123" + "Z" and family.cursorPosition() == 99
    assert "at most 100" in dialog.form.slots["family_name"].note_text()


def test_the_services_still_refuse_too_long_values(
    sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    try:
        sqlite_core.patients.register(seeded.reception, PatientDetails(
            "A" * 101, "Ewa", date(1990, 1, 1), "600 100 200"))
    except ValidationError as exc:
        assert exc.field == "family_name"
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("a 101-character family name was accepted")


# --- A1: a number that cannot be read is kept, with a gentle word --------------------


def test_an_unreadable_phone_is_kept_as_typed_with_a_gentle_note(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    fill_valid(dialog.form)
    slot = dialog.form.slots["phone"]
    assert slot.note_text() == ""
    dialog.form.phone_edit.setText("123 456 7")
    assert slot.note_text().startswith("Not recognised as a phone number in Poland")
    assert dialog.save_button.isEnabled()  # a note, not a refusal
    dialog.submit()
    assert dialog.saved is not None and dialog.saved.details.phone == "123 456 7"
    assert dialog.saved.phone_shown == "123 456 7"


# --- A3: Cancel, Escape and closing ask before typing is lost --------------------------


def test_cancel_escape_and_close_ask_before_discarding(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    qtbot.keyClicks(dialog.form.family_edit, "Nowak")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.form.family_edit, Qt.Key.Key_Escape)
    dialog.close()
    assert dialogs.confirmations == [("Discard what you typed?", "Discard")] * 3
    assert dialogs.cancel_labels == ["Keep editing"] * 3
    assert dialog.isVisible() and dialog.form.family_edit.text() == "Nowak"
    dialogs.confirm_answers.append(True)
    qtbot.keyClick(dialog.form.family_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.saved is None


def test_an_untouched_form_closes_without_asking(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    qtbot.keyClick(dialog.form.family_edit, Qt.Key.Key_Escape)
    assert dialogs.confirmations == [] and not dialog.isVisible()
    record = register(sqlite_core, seeded.reception, LONG_NAME)
    edit = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs, record=record)
    qtbot.mouseClick(edit.cancel_button, Qt.MouseButton.LeftButton)
    assert dialogs.confirmations == [] and not edit.isVisible()
    edit = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs, record=record)
    edit.form.notes_edit.setPlainText("Changed")
    qtbot.mouseClick(edit.cancel_button, Qt.MouseButton.LeftButton)
    assert dialogs.confirmations == [("Discard what you typed?", "Discard")]
    assert edit.isVisible()


# --- B5: the two phone fields have names of their own --------------------------------


def test_each_field_has_its_own_accessible_name(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception, dialogs)
    names = [w.accessibleName() for w in dialog.form.focus_order()]
    assert "Patient's phone" in names and "Emergency contact's phone" in names
    assert len(set(names)) == len(names) and all(names)
    labels: list[QWidget] = [dialog.form.phone_edit, dialog.form.emergency_phone_edit]
    assert labels[0].accessibleName() != labels[1].accessibleName()
