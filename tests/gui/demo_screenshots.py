"""The demo clinic's treatment room as a new user first sees it, to PNG:

    python -m tests.gui.demo_screenshots DIR

(Patient P-000001's chart with its open adverse event and course timeline, the session
form opened for her, the registry and the due list; at 1440x900 and 1024x768.)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from clinic_desk.app import desk_services
from clinic_desk.domain.roles import Role
from clinic_desk.ui.areas import Area
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.sessions.session_window import SessionWindow
from clinic_desk.ui.theme import apply_theme
from tests.conftest import open_core
from tests.gui.fakes import FakeDialogService
from tests.gui.session_screenshots import shoot
from tests.helpers.clinic import FakeClock
from tests.helpers.waiting import wait_until


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    work = Path(tempfile.mkdtemp())
    core = open_core(f"sqlite:///{work / 'demo.sqlite3'}", work, FakeClock())
    services = desk_services(core)
    accounts = services.load_demo()
    practitioner = next(a for a in accounts if a.role is Role.PRACTITIONER)
    actor = services.auth.sign_in(practitioner.username, practitioner.password)
    dialogs = FakeDialogService()
    ui = QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, actor, dialogs, ui)
    window.show_area(Area.TODAY)
    window.today_page.refresh()
    wait_until(lambda: (QApplication.processEvents(), not window.today_page.loading)[1],
               what="the Today area to load")  # it loads on worker threads
    shoot(window, out, "demo-01-today-due-list")
    window.show_area(Area.DEVICES)
    shoot(window, out, "demo-02-devices")
    treated = services.sessions.list_sessions(actor)[0].patient_id
    chart = window.patients_page.charts.open(treated)
    assert chart.sessions is not None
    chart.tabs.setCurrentWidget(chart.sessions)
    shoot(chart, out, "demo-03-chart-sessions")
    harmed = next(s.patient_id for s in services.sessions.list_sessions(actor)
                  if s.adverse_events)
    rf_chart = window.patients_page.charts.open(harmed)
    assert rf_chart.sessions is not None
    rf_chart.tabs.setCurrentWidget(rf_chart.sessions)
    shoot(rf_chart, out, "demo-05-chart-adverse-event")
    rf_form = SessionWindow(services.sessions, actor, dialogs, patient_id=harmed,
                            patient_name=rf_chart.name_label.text(),
                            date_format=rf_chart.sessions._date_format, time_zone="UTC",
                            now=FakeClock())
    rf_form.form.copy_button.click()
    rf_form.form.rows[0].energy.up_button.click()
    rf_form.form.run_check()
    rf_form.scroll_area.verticalScrollBar().setValue(520)
    shoot(rf_form, out, "demo-06-rf-form-beside-event")
    form = SessionWindow(services.sessions, actor, dialogs, patient_id=treated,
                         patient_name=chart.name_label.text(),
                         date_format=chart.sessions._date_format, time_zone="UTC",
                         now=FakeClock())
    form.form.copy_button.click()
    shoot(form, out, "demo-04-session-form")
    window.close()
    core.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
