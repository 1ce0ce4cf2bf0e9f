"""The Consents tab of a real chart on a real clinic database: sign with the mouse,
open the signed PDF (made off the UI thread), save it and print it (both audited),
withdraw, re-consent after a new form version, decline; reception is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.shipped import reports_root
from clinic_desk.ui.consents.consent_desk import consent_desk
from clinic_desk.ui.consents.consent_document import ConsentDocumentWindow
from clinic_desk.ui.consents.signing_window import SigningWindow
from clinic_desk.ui.consents.template_editor import next_version_copy
from clinic_desk.ui.consents.withdraw_dialog import WithdrawDialog
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.documents.viewer import DocumentViewer
from clinic_desk.ui.patients.chart import PatientChartWindow
from tests.gui.fakes import FakeDialogService
from tests.gui.test_consent_signing import (
    choose_form,
    read_and_tick,
    sign_by_mouse,
    standings,
)
from tests.helpers.clinic import STAFF_PASSWORD
from tests.helpers.consent_service import ConsentClinic, consent_clinic

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def setup(sqlite_core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(sqlite_core)


def open_chart(services: DeskServices, actor: SignedInStaff, dialogs: FakeDialogService,
               patient_id: int, qtbot: QtBot) -> PatientChartWindow:
    chart = PatientChartWindow(services, actor, dialogs, patient_id=patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw", consents=consent_desk(services))
    qtbot.addWidget(chart)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def sign_in_chart(chart: PatientChartWindow, qtbot: QtBot, *, rf: bool = False) -> None:
    assert chart.consents is not None
    panel = chart.consents.panel
    chart.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.sign_button, LEFT)
    window = panel.signing
    assert window is not None
    qtbot.waitExposed(window)
    if window.current_page() == SigningWindow.CHOOSE:
        choose_form(window, qtbot, rf=rf)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    qtbot.keyClicks(window.countersign.password_edit, STAFF_PASSWORD)
    qtbot.mouseClick(window.countersign.confirm_button, LEFT)
    assert window.current_page() == SigningWindow.DONE, window.countersign.problem.text()
    window.close()


def test_sign_open_save_and_print_the_pdf(
        services: DeskServices, sqlite_core: ClinicDesk, setup: ConsentClinic,
        dialogs: FakeDialogService, qtbot: QtBot, tmp_path: Path) -> None:
    chart = open_chart(services, setup.clinic.practitioner, dialogs, setup.patient_id, qtbot)
    assert chart.consents is not None
    panel = chart.consents.panel
    assert panel.patient == (setup.patient_id, "Zoë Ångström-Müller Ferreira de la Fuente")
    sign_in_chart(chart, qtbot, rf=True)
    assert standings(panel) == ["Signed"]
    panel.table.selectRow(0)
    window = panel.open_selected()
    assert isinstance(window, ConsentDocumentWindow)
    assert window.is_busy()  # the PDF is made on a worker thread
    qtbot.waitUntil(lambda: window.viewer.state() == DocumentViewer.DOCUMENT, timeout=30_000)
    assert window.viewer.pdf_bytes().startswith(b"%PDF")
    target = tmp_path / "consent.pdf"
    dialogs.save_answers.append(target)
    window.viewer.save_as()
    assert target.read_bytes() == window.viewer.pdf_bytes()
    check = sqlite_core.consents.verify_pdf(target.read_bytes())
    assert check.ok, check.message

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return True

    dialogs.printer_scripts.append(to_file)
    window.viewer.print_document()
    qtbot.waitUntil(lambda: not window.viewer.is_printing(), timeout=30_000)
    actions = [e.action for e in sqlite_core.audit.recent(setup.clinic.admin, limit=20)]
    assert "consent.saved" in actions and "consent.printed" in actions
    # Both copies are in the patient's documents history, byte for byte as handed out.
    history = sqlite_core.documents.history(setup.clinic.practitioner, setup.patient_id)
    assert [(h.kind.value, h.how.value) for h in history] == [
        ("consent", "printed"), ("consent", "saved")]
    reopened = sqlite_core.documents.reopen(setup.clinic.practitioner, history[1].document_id)
    assert reopened.pdf == target.read_bytes()
    window.close()


def test_withdraw_then_reconsent_after_a_new_version(
        services: DeskServices, sqlite_core: ClinicDesk, setup: ConsentClinic,
        dialogs: FakeDialogService, qtbot: QtBot) -> None:
    chart = open_chart(services, setup.clinic.practitioner, dialogs, setup.patient_id, qtbot)
    assert chart.consents is not None
    panel = chart.consents.panel
    sign_in_chart(chart, qtbot)
    # A new version of the form: the chart header and the list say re-consent needed.
    source = reports_root().joinpath("consent", "microneedling-v1.md").read_text("utf-8")
    sqlite_core.consents.import_template(setup.clinic.admin, next_version_copy(source, 2))
    chart.reload()
    assert standings(panel) == ["Re-consent needed"]
    assert chart.consents.needs_reconsent()
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.reconsent_button, LEFT)
    window = panel.signing
    assert window is not None and window.form is not None
    assert window.form.template_version == 2 and window.form.supersedes is not None
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    qtbot.keyClicks(window.countersign.password_edit, STAFF_PASSWORD)
    qtbot.mouseClick(window.countersign.confirm_button, LEFT)
    window.close()
    assert standings(panel) == ["Signed", "Superseded"]
    assert not chart.consents.needs_reconsent()
    panel.table.selectRow(0)

    def withdraw(dialog: QDialog) -> None:
        assert isinstance(dialog, WithdrawDialog)
        qtbot.keyClicks(dialog.reason_edit, "She moved abroad and stops the course")
        qtbot.keyClicks(dialog.password_edit, STAFF_PASSWORD)
        qtbot.mouseClick(dialog.withdraw_button, LEFT)

    dialogs.dialog_scripts.append(withdraw)
    qtbot.mouseClick(panel.withdraw_button, LEFT)
    assert standings(panel) == ["Withdrawal", "Withdrawn", "Superseded"]


def test_decline_is_recorded(services: DeskServices, setup: ConsentClinic,
                             dialogs: FakeDialogService, qtbot: QtBot) -> None:
    chart = open_chart(services, setup.clinic.practitioner, dialogs, setup.patient_id, qtbot)
    assert chart.consents is not None
    panel = chart.consents.panel
    qtbot.mouseClick(panel.sign_button, LEFT)
    window = panel.signing
    assert window is not None
    choose_form(window, qtbot, rf=False)
    reading = window.reading
    assert reading is not None
    qtbot.mouseClick(reading.decline_button, LEFT)
    qtbot.mouseClick(reading.decline_panel.confirm_button, LEFT)  # no reason chosen
    qtbot.keyClicks(window.countersign.password_edit, STAFF_PASSWORD)
    qtbot.mouseClick(window.countersign.confirm_button, LEFT)
    assert window.current_page() == SigningWindow.DONE, window.countersign.problem.text()
    window.close()
    assert standings(panel) == ["Declined"]


def test_screening_do_not_treat_blocks_with_reasons(
        services: DeskServices, sqlite_core: ClinicDesk, dialogs: FakeDialogService,
        qtbot: QtBot) -> None:
    setup = consent_clinic(sqlite_core, open_wound=True)
    chart = open_chart(services, setup.clinic.practitioner, dialogs, setup.patient_id, qtbot)
    assert chart.consents is not None
    qtbot.mouseClick(chart.consents.panel.sign_button, LEFT)
    window = chart.consents.panel.signing
    assert window is not None
    choose_form(window, qtbot, rf=False)
    assert window.current_page() == SigningWindow.GATE
    assert "Do not treat" in window.gate_page.words.text()
    window.close()


def test_reception_cannot_sign(services: DeskServices, setup: ConsentClinic,
                               dialogs: FakeDialogService, qtbot: QtBot) -> None:
    chart = open_chart(services, setup.clinic.reception, dialogs, setup.patient_id, qtbot)
    assert chart.consents is not None
    panel = chart.consents.panel
    assert not panel.sign_button.isEnabled()
    window = SigningWindow(consent_desk(services), setup.clinic.reception,
                           patient_id=setup.patient_id, patient_name="Zoë")
    qtbot.addWidget(window)
    window.choose(window.forms[0])
    assert window.current_page() == SigningWindow.GATE
    assert window.reading is None


def test_the_consent_validity_is_set_in_the_clinic_profile(
        services: DeskServices, sqlite_core: ClinicDesk, setup: ConsentClinic,
        qtbot: QtBot) -> None:
    from clinic_desk.ui.settings.clinic_panel import ClinicProfilePanel

    panel = ClinicProfilePanel(services.clinic, setup.clinic.admin)
    qtbot.addWidget(panel)
    panel.show()
    panel.reload()
    assert panel.form.consent_months_spin.value() == 12
    panel.form.consent_months_spin.setValue(6)
    assert panel.save_button.isEnabled()
    qtbot.mouseClick(panel.save_button, LEFT)
    profile = sqlite_core.clinic.profile()
    assert profile is not None and profile.consent_validity_months == 6


def test_the_patient_list_says_who_must_sign_again(
        services: DeskServices, sqlite_core: ClinicDesk, setup: ConsentClinic,
        dialogs: FakeDialogService, qtbot: QtBot) -> None:
    from clinic_desk.ui.patients.page import PatientsPage
    from clinic_desk.ui.patients.search_model import PatientColumn
    from tests.helpers.consent_service import sign

    sign(sqlite_core, setup)
    page = PatientsPage(services, setup.clinic.reception, dialogs,
                        consents=consent_desk(services))
    qtbot.addWidget(page)
    page.refresh()
    row = page.model.row_of(setup.patient_id)
    cell = page.model.index(row, PatientColumn.CONSENT)
    assert cell.data() is None  # signed on the current version
    source = reports_root().joinpath("consent", "microneedling-v1.md").read_text("utf-8")
    sqlite_core.consents.import_template(setup.clinic.admin, next_version_copy(source, 2))
    page.refresh()
    cell = page.model.index(page.model.row_of(setup.patient_id), PatientColumn.CONSENT)
    assert cell.data() == "Re-consent needed"
    assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "version" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.headerData(PatientColumn.CONSENT, Qt.Orientation.Horizontal) == "Consent"


def test_a_finding_that_needs_clearance_is_cleared_from_the_signing_window(
        services: DeskServices, sqlite_core: ClinicDesk, dialogs: FakeDialogService,
        qtbot: QtBot) -> None:
    from clinic_desk.ui.patients.clearance_dialog import ClearanceDialog

    setup = consent_clinic(sqlite_core, eczema=True)
    chart = open_chart(services, setup.clinic.practitioner, dialogs, setup.patient_id, qtbot)
    assert chart.consents is not None
    panel = chart.consents.panel
    qtbot.mouseClick(panel.sign_button, LEFT)
    window = panel.signing
    assert window is not None
    choose_form(window, qtbot, rf=False)
    assert window.current_page() == SigningWindow.GATE
    assert "clearance" in window.gate_page.words.text()
    assert len(window.clearance_buttons) == 1

    def clear(dialog: QDialog) -> None:
        assert isinstance(dialog, ClearanceDialog)
        qtbot.keyClicks(dialog.reason_edit, "Spoke with her dermatologist: eczema quiet, "
                        "not on the face")
        qtbot.keyClicks(dialog.password_edit, STAFF_PASSWORD)
        qtbot.mouseClick(dialog.clear_button, LEFT)

    dialogs.dialog_scripts.append(clear)
    qtbot.mouseClick(window.clearance_buttons[0], LEFT)
    assert window.current_page() == SigningWindow.READING  # screened again: clear now
    window.close()


def test_a_consent_signed_on_another_workstation_shows_here(
        services: DeskServices, sqlite_core: ClinicDesk, sqlite_url: str,
        setup: ConsentClinic, dialogs: FakeDialogService, ui_settings: QSettings,
        qtbot: QtBot, tmp_path: Path) -> None:
    from clinic_desk.ui.main_window import MainWindow
    from tests.conftest import open_core
    from tests.helpers.clinic import FakeClock
    from tests.helpers.consent_service import sign

    window = MainWindow(services, setup.clinic.practitioner, dialogs, ui_settings)
    qtbot.addWidget(window)
    window.show()
    chart = window.patients_page.charts.open(setup.patient_id)
    assert chart.consents is not None
    assert standings(chart.consents.panel) == []
    other = open_core(sqlite_url, tmp_path, FakeClock(), workstation="room-2")
    try:
        sign(other, setup)
    finally:
        other.close()
    window.change_feed.poll_now()
    assert standings(chart.consents.panel) == ["Signed"]
    assert standings(window.consents_page.consents) == ["Signed"]
    chart.close()
