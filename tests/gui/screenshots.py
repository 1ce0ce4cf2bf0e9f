"""Grabs every window and dialog to PNG for a look: python -m tests.gui.screenshots [DIR]

Runs offscreen on a throwaway database (the shots folder is git-ignored).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.app import desk_services
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.roles import Role
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.demo import DemoAccount
from clinic_desk.services.demo_patients import load_demo_patients
from clinic_desk.ui.areas import Area
from clinic_desk.ui.change_password import ChangePasswordDialog
from clinic_desk.ui.demo_accounts import DemoAccountsDialog
from clinic_desk.ui.first_start import FirstStartDialog
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patients.clearance_dialog import ClearanceDialog
from clinic_desk.ui.patients.intake_dialog import IntakeDialog, PatientModeDialog
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.settings.staff_dialogs import (
    add_staff_dialog,
    edit_staff_dialog,
    reset_password_dialog,
)
from clinic_desk.ui.sign_in import SignInDialog
from clinic_desk.ui.theme import apply_theme
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.gui.patients_support import LONG_NAME, clear_answers, register
from tests.helpers.clinic import FakeClock, seed_clinic


def shoot(widget: QWidget, out: Path, name: str, width: int = 0, height: int = 0) -> None:
    if width and height:
        widget.resize(width, height)
    else:
        widget.adjustSize()
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))
    print(f"{name}: {widget.width()}x{widget.height()}")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    work = Path(tempfile.mkdtemp())
    dialogs = FakeDialogService()
    ui = QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat)

    empty = open_core(f"sqlite:///{work / 'empty.sqlite3'}", work, FakeClock())
    first = FirstStartDialog(desk_services(empty), dialogs)
    shoot(first, out, "01-first-start-empty", 980, 720)
    first.clinic_form.phone_edit.setText("12")
    assert first.admin_form.password_edit is not None
    assert first.admin_form.confirm_edit is not None
    first.admin_form.password_edit.setText("short")
    first.admin_form.confirm_edit.setText("other")
    first.clinic_form.touch_all()
    first.admin_form.touch_all()
    first.clinic_form.refresh_problems()
    first.admin_form.refresh_problems()
    shoot(first, out, "02-first-start-errors", 980, 720)
    demo = DemoAccountsDialog([
        DemoAccount("admin", "Amélie Dubois-Laurent", Role.ADMINISTRATOR, "demo-x1Y2z3A4"),
        DemoAccount("practitioner", "Dr Łucja Wiśniewska", Role.PRACTITIONER, "demo-Qw3rTy7u"),
        DemoAccount("reception", "Jonas Müller", Role.RECEPTION, "demo-Zx9cV8bN"),
    ])
    shoot(demo, out, "03-demo-accounts")

    core = open_core(f"sqlite:///{work / 'clinic.sqlite3'}", work, FakeClock())
    seeded = seed_clinic(core)
    core.staff.add_staff(seeded.admin, username="zoe.m", full_name="Zoë Ångström-Müller Ferreira",
                         roles=[Role.PRACTITIONER], password="temporary-1")
    services = desk_services(core)
    sign_in = SignInDialog(services, username="reception")
    shoot(sign_in, out, "04-sign-in")
    sign_in.password_edit.setText("wrong")
    sign_in.sign_in()
    shoot(sign_in, out, "05-sign-in-wrong-password")
    chooser = ChangePasswordDialog(services, seeded.practitioner, required=True)
    shoot(chooser, out, "06-choose-own-password")

    window = MainWindow(services, seeded.admin, dialogs, ui)
    shoot(window, out, "07-main-today", 1280, 800)
    window.show_area(Area.PATIENTS)
    shoot(window, out, "08-main-patients", 1280, 800)
    window.show_area(Area.SETTINGS)
    panel = window.settings_page.staff_panel
    assert panel is not None
    panel.table.selectRow(1)
    panel.table.setFocus()
    shoot(window, out, "09-settings-staff", 1280, 800)
    panel.banner.show_message("warning", "This was changed on another workstation after you "
                              "opened it. Reload to see the current version, then make your "
                              "change again.", action_text="Reload", action_icon="refresh-cw",
                              action=panel.reload)
    shoot(window, out, "10-settings-staff-stale", 1280, 800)
    assert window.settings_page.clinic_panel is not None
    window.settings_page.tabs.setCurrentIndex(1)
    window.settings_page.clinic_panel.form.name_edit.setText("Klinika Łódź — Skóra & Zdrowie 2")
    shoot(window, out, "11-settings-clinic-profile", 1280, 800)
    audit = window.settings_page.audit_panel
    assert audit is not None
    window.settings_page.tabs.setCurrentWidget(audit)
    audit._verified(core.audit.verify(seeded.admin))
    shoot(window, out, "17-settings-audit-log", 1280, 800)
    window.close()

    member = panel.model.staff_at(1)
    shoot(add_staff_dialog(core.staff, seeded.admin, FakeDialogService()), out, "12-add-staff")
    shoot(edit_staff_dialog(core.staff, seeded.admin, member, FakeDialogService()), out,
          "13-edit-staff")
    shoot(reset_password_dialog(core.staff, seeded.admin, member, FakeDialogService()),
          out, "14-reset-password")

    reception = MainWindow(services, seeded.reception, dialogs, ui)
    reception.show_area(Area.SETTINGS)
    shoot(reception, out, "15-settings-reception", 1280, 800)
    small = MainWindow(services, seeded.practitioner, dialogs, ui)
    small.show_area(Area.TODAY)
    shoot(small, out, "16-main-small-1024x640", 1024, 640)
    reception.close()
    small.close()
    empty.close()
    core.close()
    shoot_patients(out, work, dialogs, ui)


def shoot_patients(out: Path, work: Path, dialogs: FakeDialogService, ui: QSettings) -> None:
    clock = FakeClock()
    core = open_core(f"sqlite:///{work / 'patients.sqlite3'}", work, clock)
    seeded = seed_clinic(core)
    load_demo_patients(ServiceContext(units=core.units, clock=clock), seeded.reception,
                       count=300, questionnaire=core.intake.current, rules=core.screening.rules)
    services = desk_services(core)
    zoe = register(core, seeded.reception, LONG_NAME)
    core.intake.record(seeded.reception, zoe.patient_id, clear_answers(core, pregnant=True))
    core.intake.record(seeded.reception, zoe.patient_id, clear_answers(
        core, pregnant=True, blood_thinners=True, active_acne=True, recent_sun=True,
        other_conditions="Allergic to lidocaine."))
    window = MainWindow(services, seeded.practitioner, dialogs, ui)
    window.find_patient()
    shoot(window, out, "20-patients-list", 1280, 800)
    window.patients_page.search_edit.setText("muller")
    window.patients_page.table.selectRow(1)
    shoot(window, out, "21-patients-search-muller", 1280, 800)
    window.patients_page.search_edit.setText("xyzzy")
    shoot(window, out, "22-patients-no-match", 1280, 800)
    window.patients_page.search_edit.setText("%")
    shoot(window, out, "23-patients-hint", 1280, 800)
    chart = window.patients_page.charts.open(zoe.patient_id)
    for index, name in enumerate(("overview", "history", "screening", "consents")):
        chart.tabs.setCurrentIndex(index)
        shoot(chart, out, f"{24 + index}-chart-{name}", 1100, 780)
    chart.history.version_combo.setCurrentIndex(1)
    shoot(chart, out, "28-chart-history-older", 1100, 780)
    chart.tabs.setCurrentIndex(2)
    chart.screening.rf_check.setChecked(True)
    shoot(chart, out, "29-chart-screening-rf", 1100, 780)
    card = chart.screening.card_for("pregnancy")
    assert card is not None
    clearance = ClearanceDialog(core.screening, seeded.practitioner, patient_id=zoe.patient_id,
                                patient_name="Zoë Ångström-Müller Ferreira de la Fuente",
                                finding=card.finding, session_date=chart.screening.session_date(),
                                uses_rf=True, dialogs=FakeDialogService())
    clearance.reason_edit.setPlainText("short")
    clearance.submit()
    shoot(clearance, out, "30-clearance-dialog")
    dialog = PatientDialog(core.patients, seeded.reception, FakeDialogService(),
                           date_format=DateFormat.DAY_MONTH_YEAR_SLASH, country="PL",
                           today=core.screening.today())
    shoot(dialog, out, "31-register-empty", 1040, 760)
    dialog.form.family_edit.setText("Müller3")
    dialog.form.birth_edit.setText("31/02/1990")
    dialog.form.phone_edit.setText("12")
    dialog.form.email_edit.setText("not-an-email")
    dialog.submit()
    shoot(dialog, out, "32-register-errors", 1040, 760)
    dialog.form.set_details(LONG_NAME)
    dialog.submit()
    shoot(dialog, out, "33-register-duplicate", 1040, 760)
    intake = IntakeDialog(core.intake, seeded.reception, FakeDialogService(),
                          patient_id=zoe.patient_id,
                          patient_name="Zoë Ångström-Müller", date_format=DateFormat.ISO,
                          today=core.screening.today())
    question = intake.form.widget_for("isotretinoin")
    assert question is not None
    question.buttons["yes"].setChecked(True)
    intake.submit()
    shoot(intake, out, "34-intake-staff", 900, 780)
    patient_mode = PatientModeDialog(core.intake, seeded.reception, dialogs,
                                     patient_id=zoe.patient_id, patient_name="Zoë",
                                     date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                                     today=core.screening.today())
    patient_mode.setWindowState(Qt.WindowState.WindowNoState)
    shoot(patient_mode, out, "35-patient-mode-welcome", 1280, 800)
    patient_mode.next()
    shoot(patient_mode, out, "36-patient-mode-section", 1280, 800)
    patient_mode.next()
    shoot(patient_mode, out, "37-patient-mode-unanswered", 1280, 800)
    patient_mode.pages.setCurrentIndex(patient_mode.pages.count() - 1)
    patient_mode.nav.setVisible(False)
    shoot(patient_mode, out, "38-patient-mode-hand-back", 1280, 800)
    for widget in (patient_mode, intake, dialog, clearance, chart, window):
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    core.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("shots"))
