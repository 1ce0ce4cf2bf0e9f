"""Grabs the Devices area, the session form, the chart's course timeline and the due
list to PNG at 1440x900 and 1024x768, with long accented names, for a look:

    python -m tests.gui.session_screenshots DIR

The shots folder is not part of the repository.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.app import desk_services
from clinic_desk.catalogue_treatment import example_devices
from clinic_desk.domain.adverse_events import AdverseEventDetails, AdverseEventKind, EventSeverity
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.domain.session_start import ConsentOnFile
from clinic_desk.services.treatment_dto import LotDetails
from clinic_desk.ui.areas import Area
from clinic_desk.ui.devices.device_dialog import DeviceDialog
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.sessions.session_window import SessionWindow
from clinic_desk.ui.sessions.sessions_tab import SessionsTab
from clinic_desk.ui.theme import apply_theme
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import clear_answers, pen_draft, rf_draft, treatment_clinic

SIZES = ((1024, 768), (1440, 900))
LONG_NAME = ("Ångström-Müller Ferreira de la Fuente", "Zoë")


def shoot(widget: QWidget, out: Path, name: str) -> None:
    for width, height in SIZES:
        widget.resize(width, height)
        widget.show()
        QApplication.processEvents()
        widget.grab().save(str(out / f"{name}-{width}x{height}.png"))
        print(f"{name}: {widget.width()}x{widget.height()}")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    work = Path(tempfile.mkdtemp())
    dialogs = FakeDialogService()
    ui = QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat)
    clock = FakeClock()
    core = open_core(f"sqlite:///{work / 'clinic.sqlite3'}", work, clock)
    t = treatment_clinic(core, clock)
    who = t.clinic.practitioner
    pen = example_devices().device("example-pen").profile
    core.devices.add_device(who, replace(
        pen, make="Zoë Ångström-Müller Ferreira Instruments", model="Précision pen 3",
        serial_number="ZAM-2026-00417", service_due_on=t.today - timedelta(days=9)))
    core.devices.add_lot(who, LotDetails("cartridge", "Sterile RF 25-pin cartridge", "RF-0912",
                                         date(2027, 2, 28)))
    details = PatientDetails(*LONG_NAME, date(1984, 6, 2), "+48 600 222 333")
    patient = core.patients.register(t.clinic.reception, details).patient_id
    core.intake.record(t.clinic.reception, patient, clear_answers(core))
    t.consents.on_file[patient] = [ConsentOnFile(signed_on=t.today, covers_rf=True)]
    core.courses.plan(who, patient, replace(core.courses.defaults(who, "scars"),
                                            planned_sessions=5))
    first = t.sessions.sign_off(who, patient, replace(pen_draft(t), areas=(
        replace(pen_draft(t).areas[0], needle_depth_mm=Decimal("1")),
        replace(pen_draft(t).areas[0], area="forehead", indication="fine_lines",
                needle_depth_mm=Decimal("0.5")))), password=STAFF_PASSWORD)
    clock.advance(timedelta(days=35))
    t.consents.on_file[patient] = [ConsentOnFile(signed_on=clock().date(), covers_rf=True)]
    second = t.sessions.sign_off(who, patient, rf_draft(t, "4"), password=STAFF_PASSWORD)
    t.sessions.amend(who, first.session_id, correction="Forehead: 2 passes, not 3",
                     reason="Miscounted while recording")
    clock.advance(timedelta(days=2))
    t.events.record(who, second.session_id, AdverseEventDetails(
        AdverseEventKind.BLISTERING, clock().date() - timedelta(days=1), EventSeverity.MODERATE,
        "Two small blisters on the left cheek", "Cooled, non-adherent dressing"))
    clock.advance(timedelta(days=40))
    t.consents.on_file[patient] = [ConsentOnFile(signed_on=clock().date(), covers_rf=True)]
    services = desk_services(core)

    window = MainWindow(services, who, dialogs, ui)
    window.show_area(Area.DEVICES)
    shoot(window, out, "p11b-01-device-registry")
    window.devices_page.tabs.setCurrentIndex(1)
    shoot(window, out, "p11b-02-lots")
    window.devices_page.tabs.setCurrentIndex(2)
    shoot(window, out, "p11b-03-protocol")
    window.show_area(Area.TODAY)
    window.today_page.refresh()
    shoot(window, out, "p11b-04-due-list")
    window.close()
    dialog = DeviceDialog(core.devices, who, date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                          today=clock().date(),
                          start_from=example_devices().device("example-rf").profile)
    dialog.form.serial_edit.setText("")
    dialog.submit()
    shoot(dialog, out, "p11b-05-device-editor")

    tab = SessionsTab(sessions=t.sessions, courses=core.courses, events=t.events, actor=who,
                      dialogs=dialogs, patient_id=patient,
                      patient_name=lambda: " ".join(reversed(LONG_NAME)),
                      protocol=core.protocols.current(who),
                      date_format=DateFormat.DAY_MONTH_YEAR_SLASH, time_zone="UTC", now=clock)
    tab.table.selectRow(1)
    shoot(tab, out, "p11b-06-sessions-tab-timeline")

    form_window = SessionWindow(t.sessions, who, dialogs, patient_id=patient,
                                patient_name=" ".join(reversed(LONG_NAME)),
                                date_format=DateFormat.DAY_MONTH_YEAR_SLASH, time_zone="UTC",
                                now=clock)
    form = form_window.form
    form.copy_button.click()
    row = form.rows[0]
    row.energy.set_value(5)
    row.depth_stepper.edit.setText("2.2")
    form.run_check()
    shoot(form_window, out, "p11b-07-session-form-top")
    form_window.scroll_area.verticalScrollBar().setValue(
        form_window.scroll_area.verticalScrollBar().maximum() // 2)
    shoot(form_window, out, "p11b-08-session-form-middle")
    core.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
