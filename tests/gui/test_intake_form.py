"""The medical history form: generated from the questionnaire, validated, versioned, and
in large type for the patient."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.intake import QuestionKind
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.patients.chart import PatientChartWindow
from clinic_desk.ui.patients.intake_dialog import IntakeDialog, PatientModeDialog
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, clear_answers, register
from tests.helpers.clinic import SeededClinic

TODAY = date(2026, 11, 22)


def intake_dialog(qtbot: QtBot, core: ClinicDesk, seeded: SeededClinic,
                  patient_id: int, dialogs: FakeDialogService | None = None) -> IntakeDialog:
    dialog = IntakeDialog(core.intake, seeded.reception, dialogs or FakeDialogService(),
                          patient_id=patient_id,
                          patient_name="Zoë", date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                          today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_form_follows_the_questionnaire_with_no_default_answers(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    dialog = intake_dialog(qtbot, sqlite_core, seeded, patient.patient_id)
    questionnaire = sqlite_core.intake.current
    shown = [w.question.id for w in dialog.form.questions]
    assert shown == [q.id for s in questionnaire.sections for q in s.questions]
    for widget in dialog.form.questions:
        if widget.question.kind is QuestionKind.YES_NO:
            # Two large toggles, neither pressed: unanswered is visible
            assert set(widget.buttons) == {"yes", "no"}
            assert widget.checked_button() is None and widget.answer() is None
            assert widget.buttons["yes"].height() >= 28
        if widget.question.kind is QuestionKind.CHOICE:
            assert len(widget.buttons) == len(widget.question.choices)
    assert dialog.signed_off.text() == "Signed off by Jonas Müller"


def test_a_follow_up_appears_only_for_the_answer_that_asks_for_it(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    dialog = intake_dialog(qtbot, sqlite_core, seeded, patient.patient_id)
    parent = dialog.form.widget_for("isotretinoin")
    follow_up = dialog.form.widget_for("isotretinoin_last_dose")
    assert parent is not None and follow_up is not None
    assert not follow_up.isVisible()
    qtbot.mouseClick(parent.buttons["yes"], Qt.MouseButton.LeftButton)
    assert follow_up.isVisible()
    assert "isotretinoin_last_dose" in dialog.form.answers()
    qtbot.mouseClick(parent.buttons["no"], Qt.MouseButton.LeftButton)
    assert not follow_up.isVisible()
    assert "isotretinoin_last_dose" not in dialog.form.answers()


def test_unanswered_questions_are_marked_and_the_first_is_scrolled_to(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    # Given every question answered except "Are you pregnant?"
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    dialog = intake_dialog(qtbot, sqlite_core, seeded, patient.patient_id)
    answers = clear_answers(sqlite_core)
    del answers["pregnant"]
    dialog.form.set_answers(answers)
    # When Save is clicked
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # Then the question says so next to it, has the focus, and nothing was saved
    pregnant = dialog.form.widget_for("pregnant")
    assert pregnant is not None
    assert pregnant.error.text() == "Please answer this question."
    assert dialog.focusWidget() is pregnant.buttons["yes"]
    assert dialog.error.text() == "1 question still needs an answer."
    assert sqlite_core.intake.history(seeded.reception, patient.patient_id) == []
    # And answering it takes the note away
    qtbot.mouseClick(pregnant.buttons["no"], Qt.MouseButton.LeftButton)
    assert pregnant.error.text() == ""


def test_a_date_in_the_future_or_unreadable_is_refused_next_to_it(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic,
) -> None:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    dialog = intake_dialog(qtbot, sqlite_core, seeded, patient.patient_id)
    dialog.form.set_answers(clear_answers(sqlite_core, isotretinoin=True))
    last_dose = dialog.form.widget_for("isotretinoin_last_dose")
    assert last_dose is not None and last_dose.date_edit is not None
    last_dose.date_edit.setText("32/13/2026")
    dialog.submit()
    assert "not a date we can read" in last_dose.error.text()
    last_dose.date_edit.setText("01/01/2030")
    dialog.submit()
    assert last_dose.error.text() == "This date cannot be in the future."


def chart_for(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
              dialogs: FakeDialogService, patient_id: int) -> PatientChartWindow:
    chart = PatientChartWindow(services, seeded.reception, dialogs, patient_id=patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw")
    qtbot.addWidget(chart)
    chart.show()
    return chart


def test_taking_it_again_creates_version_2_and_the_chart_shows_what_changed(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    # Given a patient with a first medical history
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    sqlite_core.intake.record(seeded.practitioner, patient.patient_id,
                              clear_answers(sqlite_core))
    chart = chart_for(qtbot, services, seeded, dialogs, patient.patient_id)
    assert chart.history.take_button.text() == "Take it again…"

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, IntakeDialog)
        dialog.form.set_answers(clear_answers(sqlite_core, pregnant=True,
                                              cold_sores="recurrent"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(answer)
    # When the history is taken again at the desk
    qtbot.mouseClick(chart.history.take_button, Qt.MouseButton.LeftButton)
    # Then version 2 exists, signed off by the receptionist, and the chart shows the changes
    versions = sqlite_core.intake.history(seeded.reception, patient.patient_id)
    assert [v.sequence for v in versions] == [1, 2]
    assert versions[-1].signed_off_by == "Jonas Müller" and not versions[-1].taken_by_patient
    assert chart.history.version_combo.currentText().startswith("Version 2 — 22/11/2026")
    assert chart.history.change_lines() == [
        "Are you pregnant, or could you be? — No → Yes",
        "Do you get cold sores (oral herpes)? — No → Yes, from time to time, but none now",
    ]
    assert chart.banner.text() == "The medical history was saved as version 2."
    # And the status for today follows the new answers
    assert chart.badge.text() == "Needs clearance"
    # And the older version stays readable
    chart.history.version_combo.setCurrentIndex(1)
    assert "An older version, kept read-only" in chart.history.version_note.text()
    assert chart.history.change_lines() == []


def test_patient_mode_one_section_per_page_in_large_type_then_handed_back(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    chart = chart_for(qtbot, services, seeded, dialogs, patient.patient_id)
    sections = len(sqlite_core.intake.current.sections)

    def patient_fills_in(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientModeDialog)
        assert dialog.windowState() & Qt.WindowState.WindowFullScreen
        dialog.show()
        # Large type and large targets
        question = dialog.forms[0].questions[0]
        assert question.text_label.font().pointSizeF() >= 18
        assert question.buttons["yes"].height() >= 44
        assert all(label.font().pointSizeF() >= 16 for label in dialog.findChildren(QLabel)
                   if label.isVisibleTo(dialog) and label.text())
        # Welcome page, then one section per page; Next refuses unanswered questions
        assert dialog.current_page() == 0
        dialog.next()
        dialog.next()
        assert dialog.current_page() == 1
        assert "still need an answer" in dialog.problem.text()
        answers = clear_answers(sqlite_core, keloids=True)
        for form in dialog.forms:
            form.set_answers(answers)
            dialog.next()
        # Finished: the patient is asked to hand the tablet back
        assert dialog.is_handed_back()
        assert dialog.current_page() == sections + 1
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(patient_fills_in)
    qtbot.mouseClick(chart.history.patient_mode_button, Qt.MouseButton.LeftButton)
    versions = sqlite_core.intake.history(seeded.reception, patient.patient_id)
    assert len(versions) == 1 and versions[0].taken_by_patient
    assert versions[0].answers["keloids"] is True
    assert "filled in by the patient, signed off by Jonas Müller" in \
        chart.history.version_combo.currentText()


def test_patient_mode_back_and_stop(
    qtbot: QtBot, sqlite_core: ClinicDesk, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    dialog = PatientModeDialog(sqlite_core.intake, seeded.reception, dialogs,
                               patient_id=patient.patient_id, patient_name="Zoë",
                               date_format=DateFormat.ISO, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current_page() == 0 and not dialog.back_button.isEnabled()
    dialog.next()
    assert dialog.current_page() == 1 and dialog.back_button.isEnabled()
    dialog.back()
    assert dialog.current_page() == 0 and not dialog.back_button.isEnabled()
    # Stop (the button, or Escape) asks first; saying no keeps the form open, unchanged.
    dialog.next()
    with qtbot.assertNotEmitted(dialog.finished):
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialogs.confirmations == [("Stop the medical history?", "Stop")] * 2
    assert dialogs.cancel_labels == ["Go on", "Go on"]
    assert dialog.isVisible() and dialog.current_page() == 1
    # Saying yes closes it, rejected, with nothing saved.
    dialogs.confirm_answers.append(True)
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        dialog.stop()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert len(dialogs.confirmations) == 3
    assert sqlite_core.intake.history(seeded.reception, patient.patient_id) == []
