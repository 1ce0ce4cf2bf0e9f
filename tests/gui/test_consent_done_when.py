"""Issue 10's "done when", from the main window alone: a practitioner signs a consent for
a patient chosen in the Consent forms area, prints it and saves it as PDF; the patient
declines the photography form; the consent is withdrawn; an administrator imports a new
version of the form from a file; the practitioner re-consents. `clinic-desk consent
verify` accepts the saved PDF and rejects an edited copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.shipped import reports_root
from clinic_desk.ui.areas import Area
from clinic_desk.ui.consents.page import PatientPickerDialog
from clinic_desk.ui.consents.signing_window import SigningWindow
from clinic_desk.ui.consents.template_editor import TemplateEditorDialog, next_version_copy
from clinic_desk.ui.consents.withdraw_dialog import WithdrawDialog
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.documents.viewer import DocumentViewer
from clinic_desk.ui.main_window import MainWindow
from tests.gui.fakes import FakeDialogService
from tests.gui.test_consent_signing import choose_form, read_and_tick, sign_by_mouse, standings
from tests.helpers.clinic import STAFF_PASSWORD
from tests.helpers.consent_service import consent_clinic

LEFT = Qt.MouseButton.LeftButton


def main_window(services: DeskServices, actor: SignedInStaff, dialogs: FakeDialogService,
                ui_settings: QSettings, qtbot: QtBot) -> MainWindow:
    window = MainWindow(services, actor, dialogs, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.enter_area(Area.CONSENT_FORMS)
    return window


def pick_patient(dialog: QDialog) -> None:
    assert isinstance(dialog, PatientPickerDialog)
    dialog.search_edit.setText("Ångström")
    dialog.results.setCurrentRow(0)
    dialog.choose()


def countersign(window: SigningWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.countersign.password_edit, STAFF_PASSWORD)
    qtbot.mouseClick(window.countersign.confirm_button, LEFT)
    assert window.current_page() == SigningWindow.DONE, window.countersign.problem.text()


def verify(pdf: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINIC_DESK_")}
    env |= {"CLINIC_DESK_DATA_DIR": str(tmp_path / "user-data"),
            "CLINIC_DESK_SIGNING_KEY_DIR": str(tmp_path / "signing-key"),
            "PYTHONIOENCODING": "utf-8"}
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    return subprocess.run([sys.executable, "-m", "clinic_desk.cli", "--database", url,
                           "consent", "verify", str(pdf)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)


def test_done_when_from_the_gui_alone(
        services: DeskServices, sqlite_core: ClinicDesk, dialogs: FakeDialogService,
        ui_settings: QSettings, qtbot: QtBot, tmp_path: Path) -> None:
    setup = consent_clinic(sqlite_core)
    window = main_window(services, setup.clinic.practitioner, dialogs, ui_settings, qtbot)
    panel = window.consents_page.consents
    # Sign, choosing the patient in the area.
    dialogs.dialog_scripts.append(pick_patient)
    qtbot.mouseClick(panel.sign_button, LEFT)
    signing = panel.signing
    assert signing is not None
    choose_form(signing, qtbot, rf=False)
    read_and_tick(signing, qtbot)
    sign_by_mouse(signing, qtbot)
    countersign(signing, qtbot)
    # Print it and save it as PDF, from the done page's Open the PDF.
    qtbot.mouseClick(signing.open_button, LEFT)
    document = next(iter(panel.documents.values()))
    qtbot.waitUntil(lambda: document.viewer.state() == DocumentViewer.DOCUMENT, timeout=30_000)
    saved = tmp_path / "signed-consent.pdf"
    dialogs.save_answers.append(saved)
    document.viewer.save_as()

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return True

    dialogs.printer_scripts.append(to_file)
    document.viewer.print_document()
    qtbot.waitUntil(lambda: not document.viewer.is_printing(), timeout=30_000)
    assert (tmp_path / "printed.pdf").stat().st_size > 0
    document.close()
    # The patient declines the photography form.
    dialogs.dialog_scripts.append(pick_patient)
    qtbot.mouseClick(panel.sign_button, LEFT)
    signing = panel.signing
    assert signing is not None
    next_button = next(b for b in signing.form_buttons if "hotograph" in b.text())
    qtbot.mouseClick(next_button, LEFT)
    reading = signing.reading
    assert reading is not None
    qtbot.mouseClick(reading.decline_button, LEFT)
    qtbot.mouseClick(reading.decline_panel.reason_buttons["not_wanted"], LEFT)
    qtbot.mouseClick(reading.decline_panel.confirm_button, LEFT)
    countersign(signing, qtbot)
    signing.close()
    assert standings(panel) == ["Declined", "Signed"]
    # Withdraw the signed consent.
    panel.table.selectRow(1)

    def withdraw(dialog: QDialog) -> None:
        assert isinstance(dialog, WithdrawDialog)
        qtbot.keyClicks(dialog.reason_edit, "Wants to stop the course for now")
        qtbot.keyClicks(dialog.password_edit, STAFF_PASSWORD)
        qtbot.mouseClick(dialog.withdraw_button, LEFT)

    dialogs.dialog_scripts.append(withdraw)
    qtbot.mouseClick(panel.withdraw_button, LEFT)
    assert standings(panel) == ["Withdrawal", "Declined", "Withdrawn"]
    # An administrator imports a new version of the form from a file.
    admin = main_window(services, setup.clinic.admin, dialogs, ui_settings, qtbot)
    templates = admin.consents_page.templates
    new_version = tmp_path / "microneedling-v2.md"
    new_version.write_text(next_version_copy(reports_root().joinpath(
        "consent", "microneedling-v1.md").read_text("utf-8"), 2), "utf-8")
    dialogs.open_answers.append(new_version)
    dialogs.dialog_scripts.append(
        lambda d: qtbot.mouseClick(d.import_button, LEFT)
        if isinstance(d, TemplateEditorDialog) else None)
    qtbot.mouseClick(templates.import_button, LEFT)
    assert ("microneedling", 2) in {(r.template_key, r.template_version)
                                    for r in (templates.model.row_at(n)
                                              for n in range(templates.model.rowCount()))}
    from clinic_desk.ui.consents.templates_panel import TemplateColumn

    v1 = templates.model.row_of("microneedling", 1)
    assert int(templates.model.index(v1, TemplateColumn.CONSENTS).data()) >= 1
    # The practitioner re-consents the patient on the new version.
    panel.table.selectRow(2)  # the withdrawn consent: sign the same form again
    qtbot.mouseClick(panel.reconsent_button, LEFT)
    signing = panel.signing
    assert signing is not None and signing.form is not None
    assert signing.form.template_version == 2
    read_and_tick(signing, qtbot)
    sign_by_mouse(signing, qtbot)
    countersign(signing, qtbot)
    signing.close()
    assert standings(panel)[0] == "Signed"
    # The saved PDF is accepted; an edited copy is not.
    accepted = verify(saved, tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("Matches consent no. 1 signed on")
    edited = tmp_path / "edited.pdf"
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0x20
    edited.write_bytes(bytes(data))
    refused = verify(edited, tmp_path)
    assert refused.returncode == 1 and refused.stderr.strip()
