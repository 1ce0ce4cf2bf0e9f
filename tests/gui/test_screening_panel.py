"""Screening in the chart: the status in words and icon, findings, and clearance."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.intake import Answer
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.patients.chart import PatientChartWindow
from clinic_desk.ui.patients.clearance_dialog import ClearanceDialog, RevokeClearanceDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, clear_answers, register
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, SeededClinic


def chart_with(qtbot: QtBot, services: DeskServices, core: ClinicDesk, seeded: SeededClinic,
               dialogs: FakeDialogService, actor: SignedInStaff,
               answers: dict[str, Answer] | None) -> PatientChartWindow:
    patient = register(core, seeded.reception, LONG_NAME)
    if answers is not None:
        core.intake.record(seeded.reception, patient.patient_id, answers)
    chart = PatientChartWindow(services, actor, dialogs, patient_id=patient.patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw")
    qtbot.addWidget(chart)
    chart.show()
    return chart


@pytest.mark.parametrize(("changes", "word", "why"), [
    (None, "Medical history needed", "Because: No medical history yet"),
    ({"active_acne": True}, "Do not treat", "Because: Active acne in the area"),
    ({"pregnant": True}, "Needs clearance", "Because: Pregnant or possibly pregnant"),
    ({"recent_sun": True}, "Clear (with advice)", "Nothing stands in the way. Advice:"),
    ({}, "Clear", "Nothing in the medical history stands in the way."),
])
def test_the_header_badge_says_the_status_in_words_with_an_icon(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService, changes: dict[str, Answer] | None, word: str, why: str,
) -> None:
    answers = None if changes is None else clear_answers(sqlite_core, **changes)
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       answers)
    assert chart.badge.text() == word
    # The badge is read out with what it is about, and the window title carries it too
    assert chart.badge.accessibleName() == f"Screening today: {word}"
    assert f"— {word} —" in chart.windowTitle()
    assert chart.badge._icon.pixmap() is not None and not chart.badge._icon.pixmap().isNull()
    assert chart.badge_note.text().startswith(why)
    assert chart.screening.badge.text() == word


def test_time_windows_show_the_first_possible_date(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    answers = clear_answers(sqlite_core, isotretinoin=True,
                            isotretinoin_last_dose=date(2026, 10, 1))
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       answers)
    card = chart.screening.card_for("isotretinoin")
    assert card is not None
    assert chart.badge_note.text().endswith("possible from 01/04/2027 (in 4 months)")
    # A session planned after the window is clear of it, but by then the medical history
    # itself is too old and must be taken again
    chart.screening.set_session_date(date(2027, 4, 1))
    assert chart.screening.card_for("isotretinoin") is None
    assert chart.screening.card_for("intake_out_of_date") is not None
    chart.screening.set_session_date(date(2026, 12, 1))
    assert chart.screening.card_for("isotretinoin") is not None


def test_rf_adds_its_own_findings(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    answers = clear_answers(sqlite_core, implanted_device=True)
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       answers)
    assert chart.screening.badge.text() == "Clear"
    chart.screening.rf_check.setChecked(True)
    assert chart.screening.badge.text() == "Do not treat"
    assert chart.screening.card_for("implanted_device_rf") is not None


def test_do_not_treat_cannot_be_cleared_and_says_so(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, active_acne=True, pregnant=True))
    acne = chart.screening.card_for("active_acne")
    pregnancy = chart.screening.card_for("pregnancy")
    assert acne is not None and pregnancy is not None
    assert acne.clear_button is None
    assert acne.cannot_clear.text() == "This cannot be cleared: do not treat while it stands."
    assert acne.badge.text() == "Do not treat"
    assert pregnancy.clear_button is not None and pregnancy.clear_button.isEnabled()


def test_reception_sees_the_clear_button_disabled_with_the_reason(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.reception,
                       clear_answers(sqlite_core, blood_thinners=True))
    card = chart.screening.card_for("blood_thinners")
    assert card is not None and card.clear_button is not None
    assert not card.clear_button.isEnabled()
    assert card.clear_button.toolTip() == "Only practitioners can clear a finding."


def clearance_dialog(qtbot: QtBot, core: ClinicDesk, seeded: SeededClinic,
                     chart: PatientChartWindow, rule_id: str,
                     dialogs: FakeDialogService | None = None) -> ClearanceDialog:
    card = chart.screening.card_for(rule_id)
    assert card is not None
    dialog = ClearanceDialog(core.screening, seeded.practitioner, patient_id=chart.patient_id,
                             patient_name="Zoë", finding=card.finding,
                             session_date=chart.screening.session_date(), uses_rf=False,
                             dialogs=dialogs or FakeDialogService())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_clearance_is_refused_without_the_password_or_with_a_wrong_one(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, pregnant=True))
    dialog = clearance_dialog(qtbot, sqlite_core, seeded, chart, "pregnancy")
    # Given a written reason but no password: the button says what is missing
    dialog.reason_edit.setPlainText("Discussed with her obstetrician; cleared for the face.")
    assert not dialog.clear_button.isEnabled()
    assert dialog.clear_button.toolTip() == \
        "Not yet: Enter your password to sign the clearance."
    dialog.submit()
    assert dialog.password_error.text() == "Enter your password to sign the clearance."
    # With a wrong password the service refuses, next to the password
    dialog.password_edit.setText("not-my-password")
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.password_error.text().startswith("That is not your password.")
    assert dialog.result_screening is None
    result = sqlite_core.screening.screen_patient(seeded.practitioner, chart.patient_id)
    assert result.status.value == "needs_clearance"


def test_a_short_reason_is_refused_next_to_it(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, pregnant=True))
    dialog = clearance_dialog(qtbot, sqlite_core, seeded, chart, "pregnancy")
    dialog.reason_edit.setPlainText("ok")
    dialog.password_edit.setText(STAFF_PASSWORD)
    dialog.submit()
    assert "at least 10 characters" in dialog.reason_error.text()


def test_escape_asks_before_discarding_a_written_reason(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, pregnant=True))
    asked = FakeDialogService()
    dialog = clearance_dialog(qtbot, sqlite_core, seeded, chart, "pregnancy", asked)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing written: closes at once
    assert dialog.isHidden() and asked.confirmations == []
    dialog = clearance_dialog(qtbot, sqlite_core, seeded, chart, "pregnancy", asked)
    dialog.reason_edit.setFocus()
    qtbot.keyClicks(dialog.reason_edit, "Discussed with her obstetrician")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
    assert asked.confirmations == [("Discard what you typed?", "Discard")]
    assert dialog.isVisible() and dialog.reason().endswith("obstetrician")
    asked.confirm_answers.append(True)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isHidden() and len(asked.confirmations) == 2


def test_a_practitioner_clears_a_finding_with_reason_and_password(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    # Given a practitioner's chart with a finding that needs clearance
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, pregnant=True))
    assert chart.badge.text() == "Needs clearance"
    card = chart.screening.card_for("pregnancy")
    assert card is not None and card.clear_button is not None

    def clear(dialog: QDialog) -> None:
        assert isinstance(dialog, ClearanceDialog)
        dialog.reason_edit.setPlainText("Not pregnant: negative test today, seen by me.")
        dialog.password_edit.setText(STAFF_PASSWORD)
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(clear)
    # When "Clear…" is used
    qtbot.mouseClick(card.clear_button, Qt.MouseButton.LeftButton)
    # Then the finding shows who cleared it and why, and the status is clear
    cleared = chart.screening.card_for("pregnancy")
    assert cleared is not None and cleared.clear_button is None
    assert cleared.badge.text() == "Cleared"
    assert cleared.finding.cleared_by == "Dr Łucja Wiśniewska"
    # who cleared what and when, in the clinic's date format with words, never ISO
    assert cleared.cleared_label.text() == (
        "Cleared by Dr Łucja Wiśniewska on 22/11/2026 (today): Not pregnant: negative "
        "test today, seen by me.")
    [row] = chart.screening.clearance_rows
    assert row.text.text().startswith(
        "Pregnant or possibly pregnant — cleared by Dr Łucja Wiśniewska on 22/11/2026 (today)")
    assert chart.screening.badge.text() == "Clear"
    assert chart.badge.text() == "Clear"
    assert chart.screening.banner.text() == "“Pregnant or possibly pregnant” was cleared."


def test_a_patient_without_medical_history_sees_a_neutral_word_not_do_not_treat(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.reception, None)
    assert chart.badge.text() == "Medical history needed"
    assert chart.badge.property("tone") == "normal"
    card = chart.screening.card_for("no_intake")
    assert card is not None and card.badge.text() == "Medical history needed"
    assert card.badge.property("tone") == "normal"
    assert "Take the medical history" in card.cannot_clear.text()


def test_sources_are_in_words_and_no_iso_date_shows_in_the_screening(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService, clock: FakeClock,
) -> None:
    answers = clear_answers(sqlite_core, keloids=True, isotretinoin=True,
                            isotretinoin_last_dose=date(2026, 10, 1))
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       answers)
    keloids = chart.screening.card_for("keloids")
    assert keloids is not None
    assert "[" not in keloids.details.text()
    assert "Clinic guide: is microneedling worth it?" in keloids.details.text()
    # an old history: "taken on" in the clinic's format, with how long ago
    chart.screening.set_session_date(date(2027, 4, 1))
    stale = chart.screening.card_for("intake_out_of_date")
    assert stale is not None
    assert "Taken on 22/11/2026 (today)." in stale.details.text()
    texts = [w.text() for w in chart.findChildren(QLabel)]
    assert not any("2026-" in t or "2027-" in t for t in texts)


def test_the_session_date_takes_a_whole_date_typed_at_once(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    answers = clear_answers(sqlite_core, isotretinoin=True,
                            isotretinoin_last_dose=date(2026, 10, 1))
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       answers)
    edit = chart.screening.date_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "01/02/2027")
    assert chart.screening.session_date() == date(2027, 2, 1)
    assert chart.screening.date_field.relative_label.text() == "in 2 months"
    # pasted at once, too
    edit.setText("15.04.2027")
    assert chart.screening.session_date() == date(2027, 4, 15)
    assert chart.screening.card_for("isotretinoin") is None
    # half a date changes nothing
    edit.setText("15/0")
    assert chart.screening.session_date() == date(2027, 4, 15)


# A popup grabs the keyboard; the offscreen platform says it cannot (there is none). The
# marker replaces the folder's, so it repeats the folder's two tolerated messages.
@pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")
def test_the_calendar_picks_a_date_and_its_targets_are_finger_sized(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core))
    field = chart.screening.date_field
    assert field.calendar_button.width() >= 44 and field.calendar_button.height() >= 44
    qtbot.mouseClick(field.calendar_button, Qt.MouseButton.LeftButton)
    popup = field.popup
    qtbot.waitUntil(popup.isVisible)
    for name in ("qt_calendar_prevmonth", "qt_calendar_nextmonth"):
        arrow = popup.calendar.findChild(QToolButton, name)
        assert arrow is not None and arrow.width() >= 44 and arrow.height() >= 44, name
    view = popup.day_view()
    assert view is not None
    model = view.model()
    for row in range(1, model.rowCount()):
        for column in range(model.columnCount()):
            cell = view.visualRect(model.index(row, column))
            assert cell.width() >= 44 and cell.height() >= 44, (row, column, cell)
    popup.calendar.clicked.emit(QDate(2026, 12, 3))
    assert not popup.isVisible()
    assert chart.screening.session_date() == date(2026, 12, 3)
    assert field.text() == "03/12/2026"


def test_a_practitioner_withdraws_a_clearance_with_a_reason_and_it_stays_on_record(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, allergy_metal=True))
    sqlite_core.screening.clear_finding(
        seeded.practitioner, chart.patient_id, "allergy_metal",
        reason="Titanium cartridge chosen; patient agrees.", password=STAFF_PASSWORD)
    chart.reload()
    assert chart.badge.text() == "Clear"
    [row] = chart.screening.clearance_rows
    assert row.revoke_button is not None and row.revoke_button.isEnabled()

    def withdraw(dialog: QDialog) -> None:
        assert isinstance(dialog, RevokeClearanceDialog)
        # no default button: Enter in the dialog never withdraws by itself
        assert not any(b.isDefault() for b in dialog.findChildren(QPushButton))
        dialog.submit()
        assert "at least 10 characters" in dialog.reason_error.text()
        dialog.reason_edit.setPlainText("The cartridge in stock contains nickel after all.")
        qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(withdraw)
    qtbot.mouseClick(row.revoke_button, Qt.MouseButton.LeftButton)
    assert chart.badge.text() == "Needs clearance"
    [row] = chart.screening.clearance_rows
    assert row.revoke_button is None
    assert "Withdrawn by Dr Łucja Wiśniewska on 22/11/2026 (today): The cartridge in stock " \
        "contains nickel after all." in row.text.text()
    assert "cleared by Dr Łucja Wiśniewska" in row.text.text()


def test_reception_cannot_withdraw_a_clearance(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.reception,
                       clear_answers(sqlite_core, allergy_metal=True))
    sqlite_core.screening.clear_finding(
        seeded.practitioner, chart.patient_id, "allergy_metal",
        reason="Titanium cartridge chosen; patient agrees.", password=STAFF_PASSWORD)
    chart.reload()
    [row] = chart.screening.clearance_rows
    assert row.revoke_button is not None and not row.revoke_button.isEnabled()
    assert row.revoke_button.toolTip() == "Only practitioners can withdraw a clearance."


def test_the_other_illness_answer_shows_to_review(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    chart = chart_with(qtbot, services, sqlite_core, seeded, dialogs, seeded.practitioner,
                       clear_answers(sqlite_core, other_conditions="Allergic to latex."))
    card = chart.screening.card_for("other_conditions_to_review")
    assert card is not None and card.badge.text() == "To review"
    assert card.clear_button is not None and card.clear_button.isEnabled()
