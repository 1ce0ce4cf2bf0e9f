"""Registering and editing a patient: inline validation, duplicates, stale edits, archive."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.patients import FitzpatrickType
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.patients.chart import PatientChartWindow
from clinic_desk.ui.patients.page import PatientsPage
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.patients.patient_form import PatientForm
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, person, register
from tests.helpers.clinic import SeededClinic

TODAY = date(2026, 11, 22)


def new_dialog(qtbot: QtBot, core: ClinicDesk, actor: SignedInStaff,
               dialogs: FakeDialogService | None = None) -> PatientDialog:
    dialog = PatientDialog(core.patients, actor, dialogs or FakeDialogService(),
                           date_format=DateFormat.DAY_MONTH_YEAR_SLASH, today=TODAY,
                           country="PL")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill_valid(form: PatientForm) -> None:
    form.family_edit.setText("Wiśniewska-Kowalczyk")
    form.given_edit.setText("Małgorzata")
    form.birth_edit.setText("07/09/1988")
    form.phone_edit.setText("+48 601 234 567")


def test_registering_through_the_dialog_saves_and_opens_the_chart(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given the patients page and a script that fills in the required fields and saves
    page = PatientsPage(services, seeded.reception, dialogs)
    qtbot.addWidget(page)

    def fill_in(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        fill_valid(dialog.form)
        dialog.form.fitzpatrick_combo.setCurrentIndex(
            dialog.form.fitzpatrick_combo.findData(FitzpatrickType.IV.value))
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(fill_in)
    # When Register new patient… is triggered (Ctrl+N on the page)
    page.register_action.trigger()
    # Then the patient exists, the list shows them and their chart is open
    rows = sqlite_core.patients.search(seeded.reception, "malgorzata").rows
    assert [r.family_name for r in rows] == ["Wiśniewska-Kowalczyk"]
    record = sqlite_core.patients.get(seeded.reception, rows[0].patient_id)
    assert record.details.fitzpatrick_type is FitzpatrickType.IV
    assert "was registered as P-" in page.banner.text()
    chart = page.charts.windows[rows[0].patient_id]
    qtbot.addWidget(chart)
    assert chart.name_label.text() == "Małgorzata Wiśniewska-Kowalczyk"
    assert page.register_action.shortcut().toString() == "Ctrl+N"


def test_save_is_disabled_and_says_why_until_the_required_fields_are_filled(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception)
    assert not dialog.save_button.isEnabled()
    assert dialog.save_button.toolTip() == "Not yet: Enter the family name."
    # The required fields are marked in the captions, and no error shows before typing
    assert all(not e.text() for e in dialog.form.errors.values())
    fill_valid(dialog.form)
    assert dialog.save_button.isEnabled()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("family_edit", "", "Enter the family name."),
    ("family_edit", "Müller3", "may contain only letters"),
    ("given_edit", "  ", "Enter the given name."),
    ("preferred_edit", "Zo@", "may contain only letters"),
    ("birth_edit", "", "Enter the date of birth."),
    ("birth_edit", "31/02/1990", "Not a date we can read: write it as DD/MM/YYYY"),
    ("birth_edit", "01/01/2999", "cannot be in the future"),
    ("birth_edit", "01/01/1850", "cannot be before 1900"),
    ("phone_edit", "12", "6 to 15 digits"),
    ("email_edit", "anna@", "does not look like an email address"),
    ("emergency_name_edit", "Mum 2", "may contain only letters"),
    ("emergency_phone_edit", "call me", "6 to 15 digits"),
    ("referring_edit", "Dr. #1", "may contain only letters"),
])
def test_each_invalid_field_shows_its_message_next_to_it(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, field: str, value: str,
    message: str,
) -> None:
    # Given a valid form
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception)
    fill_valid(dialog.form)
    # When one field is made wrong and Save is tried
    getattr(dialog.form, field).setText(value)
    dialog.submit()
    # Then that field, and only it, shows the problem in plain words; nothing is saved
    shown = {name: e.text() for name, e in dialog.form.errors.items() if e.text()}
    assert len(shown) == 1
    assert message in next(iter(shown.values()))
    assert not dialog.save_button.isEnabled()
    assert dialog.save_button.toolTip().startswith("Not yet:")
    assert sqlite_core.patients.count(seeded.reception) == 0
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_the_date_of_birth_shows_the_age_as_it_is_typed(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception)
    qtbot.keyClicks(dialog.form.birth_edit, "23.11.1990")
    assert dialog.form.birth_shown.text() == "23 November 1990 · 35 years old"
    dialog.form.birth_edit.setText("22/11/1990")
    assert dialog.form.birth_shown.text().endswith("· 36 years old")


def test_a_possible_duplicate_is_shown_and_can_be_registered_anyway(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    # Given a registered patient
    existing = register(sqlite_core, seeded.reception, LONG_NAME)
    # When the same person is registered again
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception)
    dialog.form.set_details(LONG_NAME)
    dialog.submit()
    # Then a warning lists the match with exactly two choices, opening it chosen first,
    # and the main button says so; nothing was saved yet
    assert dialog.duplicates.isVisible()
    assert len(dialog.duplicates.open_buttons) == 1
    assert dialog.duplicates.group.buttons() == [
        dialog.duplicates.open_buttons[0], dialog.duplicates.anyway_button]
    assert dialog.duplicates.open_buttons[0].isChecked()
    assert dialog.save_button.text() == "Open existing record"
    assert sqlite_core.patients.count(seeded.reception) == 1
    assert dialog.saved is None
    # When "Register a new patient anyway" is chosen, the main button says that
    qtbot.mouseClick(dialog.duplicates.anyway_button, Qt.MouseButton.LeftButton)
    assert dialog.save_button.text() == "Register anyway"
    assert dialog.saved is None
    # And pressing it again (Enter: it is the default button) does it
    assert dialog.save_button.isDefault()
    qtbot.keyClick(dialog.duplicates.anyway_button, Qt.Key.Key_Return)
    assert dialog.saved is not None and dialog.saved.patient_id != existing.patient_id
    assert sqlite_core.patients.count(seeded.reception) == 2


def test_typing_after_the_duplicate_warning_makes_the_button_save_again(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    register(sqlite_core, seeded.reception, LONG_NAME)
    dialog = new_dialog(qtbot, sqlite_core, seeded.reception)
    dialog.form.set_details(LONG_NAME)
    dialog.submit()
    assert dialog.save_button.text() == "Open existing record"
    dialog.form.given_edit.setText("Zoé")
    assert not dialog.duplicates.isVisible()
    assert dialog.save_button.text() == "Register patient"


def test_a_possible_duplicate_can_open_the_existing_record_instead(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    existing = register(sqlite_core, seeded.reception,
                        person("Müller", "Anna", date(1985, 3, 12), "+49 151 2345 6789"))
    page = PatientsPage(services, seeded.reception, dialogs)
    qtbot.addWidget(page)

    def same_phone(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        fill_valid(dialog.form)
        dialog.form.phone_edit.setText("+49 (151) 2345-6789")
        dialog.submit()
        assert dialog.duplicates.match_lines == [
            "Müller, Anna · born 12/03/1985 · P-000001 · +49 1512 3456789"]
        # The first choice is to open it; the main button does that
        assert dialog.save_button.text() == "Open existing record"
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(same_phone)
    page.register_patient()
    # Then no new record, and the existing patient's chart is open
    assert sqlite_core.patients.count(seeded.reception) == 1
    chart = page.charts.windows[existing.patient_id]
    qtbot.addWidget(chart)


def open_chart(qtbot: QtBot, services: DeskServices, actor: SignedInStaff,
               dialogs: FakeDialogService, patient_id: int) -> PatientChartWindow:
    chart = PatientChartWindow(services, actor, dialogs, patient_id=patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw")
    qtbot.addWidget(chart)
    chart.show()
    return chart


def test_editing_details_from_the_chart(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    record = register(sqlite_core, seeded.reception, LONG_NAME)
    chart = open_chart(qtbot, services, seeded.reception, dialogs, record.patient_id)
    seen: list[int] = []
    chart.patient_changed.connect(seen.append)

    def change_phone(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        assert dialog.form.family_edit.text() == LONG_NAME.family_name
        dialog.form.phone_edit.setText("+33 6 00 00 00 01")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(change_phone)
    qtbot.mouseClick(chart.overview.edit_button, Qt.MouseButton.LeftButton)
    assert chart.overview.values["Contact: Phone"] == "+33 6 00 00 00 01"
    assert chart.banner.text() == "The details were saved."
    assert seen == [record.patient_id]


def test_a_stale_edit_says_so_and_offers_a_reload(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    # Given a chart open here while another workstation changes the patient
    record = register(sqlite_core, seeded.reception, LONG_NAME)
    chart = open_chart(qtbot, services, seeded.reception, dialogs, record.patient_id)
    sqlite_core.patients.update(seeded.admin, record.patient_id,
                                replace(LONG_NAME, email="new@example.org"),
                                expected_version=record.version)

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        dialog.form.notes_edit.setPlainText("Changed here too.")
        dialog.submit()

    dialogs.dialog_scripts.append(edit)
    # When this workstation saves its edit
    chart.edit_details()
    # Then nothing is overwritten: the banner explains and offers a reload
    assert "changed on another workstation" in chart.banner.text()
    assert sqlite_core.patients.get(seeded.admin, record.patient_id).details.notes == \
        LONG_NAME.notes
    qtbot.mouseClick(chart.banner.action_button, Qt.MouseButton.LeftButton)
    assert chart.overview.values["Contact: Email"] == "new@example.org"


def test_archive_and_restore_from_the_chart_after_confirmation(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    record = register(sqlite_core, seeded.reception, LONG_NAME)
    chart = open_chart(qtbot, services, seeded.reception, dialogs, record.patient_id)
    # When archiving is cancelled, nothing happens
    chart.toggle_archived()
    assert dialogs.confirmations[-1][1] == "Archive"
    assert not sqlite_core.patients.get(seeded.reception, record.patient_id).is_archived
    # When it is confirmed, the patient leaves the search but the record stays
    dialogs.confirm_answers.append(True)
    chart.toggle_archived()
    assert sqlite_core.patients.get(seeded.reception, record.patient_id).is_archived
    assert sqlite_core.patients.search(seeded.reception, "zoe").rows == ()
    assert chart.archived_label.isVisibleTo(chart)
    assert chart.overview.archive_button.text() == "Restore…"
    assert not chart.overview.edit_button.isEnabled()
    # And it can be restored the same way
    dialogs.confirm_answers.append(True)
    chart.toggle_archived()
    assert len(sqlite_core.patients.search(seeded.reception, "zoe").rows) == 1
