"""Grabs the consent windows on a real (temporary) clinic database to PNG, for a look:

    python -m tests.gui.consent_gui_screenshots DIR [WIDTH HEIGHT]

Signing window (form choice, reading view, drawn signature, countersign, done), the
chart's Consents tab with every status, the signed PDF in the viewer, and the template
admin with the editor. Long accented names throughout. The shots are not committed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.app import desk_services, open_clinic_desk
from clinic_desk.config import Settings
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.staff_rules import LockoutPolicy
from clinic_desk.shipped import reports_root
from clinic_desk.storage.location import parse_location
from clinic_desk.ui.consents.consent_desk import consent_desk
from clinic_desk.ui.consents.page import ConsentFormsPage
from clinic_desk.ui.consents.signing_window import SigningWindow
from clinic_desk.ui.consents.template_editor import TemplateEditorDialog, next_version_copy
from clinic_desk.ui.documents.viewer import DocumentViewer
from clinic_desk.ui.patients.chart import PatientChartWindow
from clinic_desk.ui.theme import apply_theme
from tests.gui.fakes import FakeDialogService
from tests.gui.ink_support import sign_with_mouse
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, fast_hashing
from tests.helpers.consent_service import clear_answers, consent_clinic, drawn

WITNESS = "Øystein Łukasiewicz-Brzęczyszczykiewicz"


def shoot(widget: QWidget, out: Path, name: str, size: tuple[int, int]) -> None:
    widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    QTest.qWait(500)
    widget.grab().save(str(out / f"{name}-{size[0]}x{size[1]}.png"))
    print(name, widget.width(), widget.height())


def main(out: Path, size: tuple[int, int]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    work = Path(tempfile.mkdtemp())
    settings = Settings(location=parse_location(f"sqlite:///{work / 'clinic.sqlite3'}"),
                        data_dir=work, workstation="screens",
                        signing_key_dir=work / "signing-key")
    core, _ = open_clinic_desk(settings, hashing=fast_hashing(), clock=FakeClock(),
                               lockout=LockoutPolicy(), create=True)
    setup = consent_clinic(core)
    clinic, pid = setup.clinic, setup.patient_id
    # Earlier consents in every state, for the list.
    draft = core.consents.prepare(clinic.practitioner, pid, "photography")
    core.consents.decline(clinic.practitioner, draft, reason="Would rather not be "
                          "photographed for training", password=STAFF_PASSWORD)
    draft = core.consents.prepare(clinic.practitioner, pid, "microneedling")
    witness = drawn(2, signer_name=WITNESS)
    first = core.consents.sign(clinic.practitioner, draft, acknowledged=draft.acknowledgement_keys,
                               patient_signature=drawn(), password=STAFF_PASSWORD,
                               witness=witness)
    core.consents.withdraw(clinic.practitioner, first.consent_id,
                           reason="Moved abroad for a year", password=STAFF_PASSWORD)
    draft = core.consents.prepare(clinic.practitioner, pid, "microneedling-rf")
    core.consents.sign(clinic.practitioner, draft, acknowledged=draft.acknowledgement_keys,
                       patient_signature=drawn(3), password=STAFF_PASSWORD)
    source = reports_root().joinpath("consent", "microneedling-rf-v1.md").read_text("utf-8")
    core.consents.import_template(clinic.admin, next_version_copy(source, 2))
    services = desk_services(core)
    desk = consent_desk(services)
    dialogs = FakeDialogService()
    fmt = DateFormat.DAY_MONTH_YEAR_SLASH

    chart = PatientChartWindow(services, clinic.practitioner, dialogs, patient_id=pid,
                               date_format=fmt, time_zone="Europe/Warsaw", consents=desk)
    assert chart.consents is not None
    chart.tabs.setCurrentWidget(chart.consents.panel)
    shoot(chart, out, "chart-consents", size)

    window = SigningWindow(desk, clinic.practitioner, patient_id=pid,
                           patient_name="Zoë Ångström-Müller Ferreira de la Fuente")
    shoot(window, out, "signing-choose", size)
    window.choose(window.forms[1])
    shoot(window, out, "signing-reading", size)
    reading = window.reading
    assert reading is not None
    reading.text_panel.scroll_to_end()
    for box in reading.text_panel.boxes:
        box.box.setChecked(True)
    QApplication.processEvents()
    sign_with_mouse(reading.pad.canvas)
    shoot(window, out, "signing-pad-signed", size)
    reading.sign()
    window.countersign.witness_box.setChecked(True)
    window.countersign.witness_name.setText(WITNESS)
    shoot(window, out, "signing-countersign", size)
    window.countersign.password_edit.setText(STAFF_PASSWORD)
    window.countersign.witness_box.setChecked(False)
    window.countersign.confirm()
    shoot(window, out, "signing-done", size)
    window.close()

    details = PatientDetails("Łukasiewicz-Brzęczyszczykiewicz", "Ånne-Marie Zoë",
                             date(1990, 6, 2), "+48 600 100 300")
    other = core.patients.register(clinic.reception, details).patient_id
    core.intake.record(clinic.reception, other, clear_answers(core, eczema=True))
    blocked = SigningWindow(desk, clinic.practitioner, patient_id=other,
                            patient_name="Ånne-Marie Zoë Łukasiewicz-Brzęczyszczykiewicz",
                            record_clearance=lambda *_: False)
    blocked.choose(blocked.forms[0])
    shoot(blocked, out, "signing-needs-clearance", size)
    blocked.close()

    chart.reload()
    panel = chart.consents.panel
    panel.table.selectRow(0)
    document = panel.open_selected()
    assert document is not None
    shoot(document, out, "pdf-busy", size)
    for _ in range(900):
        if document.viewer.state() == DocumentViewer.DOCUMENT:
            break
        QTest.qWait(100)
    print("viewer state", document.viewer.state(), document.viewer.error_label.text())
    shoot(document, out, "pdf-preview", size)
    (out / "consent.pdf").write_bytes(document.viewer.pdf_bytes())

    page = ConsentFormsPage(desk, clinic.admin, dialogs, date_format=fmt,
                            search=lambda text: services.patients.search(clinic.admin, text))
    shoot(page, out, "area-consents", size)
    page.tabs.setCurrentWidget(page.templates)
    page.templates.table.selectRow(1)
    shoot(page, out, "area-templates", size)
    editor = TemplateEditorDialog(desk, clinic.admin, next_version_copy(
        reports_root().joinpath("consent", "photography-v1.md").read_text("utf-8"), 2),
        title="New version of the photography consent")
    shoot(editor, out, "template-editor", size)
    editor.editor.setPlainText(editor.source().replace("version = 2", "version = 1"))
    editor.check()
    shoot(editor, out, "template-editor-problem", size)
    core.close()


if __name__ == "__main__":
    size = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (1440, 900)
    main(Path(sys.argv[1]), size)
