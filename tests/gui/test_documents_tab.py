"""The chart's Documents tab: a pre-care sheet made off the UI thread, saved and printed,
each recorded in the history; any entry reopens byte-identical to what was handed out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.documents.document_window import PatientDocumentWindow
from clinic_desk.ui.documents.history_tab import DocumentColumn
from clinic_desk.ui.patients.chart import PatientChartWindow
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock, SeededClinic
from tests.helpers.sessions import pen_draft, treatment_clinic

NAME = "Zoë Ångström-Müller"


@pytest.fixture
def chart(qtbot: QtBot, services: DeskServices, seeded: SeededClinic,
          dialogs: FakeDialogService) -> PatientChartWindow:
    details = PatientDetails("Ångström-Müller", "Zoë", date(1990, 3, 14), "+48 600 100 200")
    patient_id = services.patients.register(seeded.reception, details).patient_id
    window = PatientChartWindow(services, seeded.reception, dialogs, patient_id=patient_id,
                                date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                                time_zone="Europe/Warsaw")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.documents)
    return window


def made(qtbot: QtBot, window: PatientDocumentWindow) -> PatientDocumentWindow:
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=20000)
    assert window.document is not None, window.viewer.error_label.text()
    return window


def rows(chart: PatientChartWindow) -> list[list[str]]:
    model = chart.documents.model
    return [[str(model.index(r, c).data()) for c in DocumentColumn]
            for r in range(model.rowCount())]


def test_an_empty_history_says_what_belongs_there(chart: PatientChartWindow) -> None:
    tab = chart.documents
    assert tab.pages.currentWidget() is tab.empty
    assert "reopens exactly as it was handed out" in tab.empty.text
    assert not tab.open_button.isEnabled()
    assert tab.open_button.toolTip() == "Choose a document in the list first."
    assert tab.precare_button.height() >= 44


def test_a_saved_pre_care_sheet_is_listed_and_reopens_byte_identical(
    qtbot: QtBot, chart: PatientChartWindow, dialogs: FakeDialogService, tmp_path: Path,
    seeded: SeededClinic,
) -> None:
    tab = chart.documents
    tab.with_rf.setChecked(True)
    window = made(qtbot, tab.make_precare())
    assert window.windowTitle() == f"Pre-care sheet for {NAME}"
    assert window.viewer.page_count() >= 1
    target = tmp_path / "sheet.pdf"
    dialogs.save_answers.append(target)
    window.viewer.save_as()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    assert target.read_bytes() == window.document.pdf  # type: ignore[union-attr]
    (when, document, how, by), = rows(chart)
    assert when == "22/11/2026 10:00"  # the fake clock's 09:00 UTC, in Warsaw
    assert document == "Pre-care sheet, version 1"
    assert how == "Saved as PDF" and by == "Jonas Müller"
    assert tab.pages.currentWidget() is tab.table
    assert tab.banner.text() == "Pre-care sheet recorded as saved as pdf."
    tab.table.selectRow(0)
    assert tab.open_button.isEnabled()
    again = made(qtbot, tab.open_selected())  # type: ignore[arg-type]
    assert again.document is not None and again.document.pdf == target.read_bytes()


def test_printing_is_recorded_too(
    qtbot: QtBot, chart: PatientChartWindow, dialogs: FakeDialogService, tmp_path: Path
) -> None:
    window = made(qtbot, chart.documents.make_precare())
    out = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return True

    dialogs.printer_scripts.append(to_file)
    with qtbot.waitSignal(window.handed_out, timeout=30000):
        window.viewer.print_action.trigger()
    assert out.exists()
    assert [r[2] for r in rows(chart)] == ["Printed"]


def test_the_history_model_passes_the_model_tester(
    qtbot: QtBot, chart: PatientChartWindow, dialogs: FakeDialogService, tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    window = made(qtbot, chart.documents.make_precare())
    dialogs.save_answers.append(tmp_path / "a.pdf")
    window.viewer.save_as()
    qtbot.waitUntil(lambda: chart.documents.model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(chart.documents.model)
    index = chart.documents.model.index(0, DocumentColumn.DOCUMENT)
    assert "SHA-256 of the PDF" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_an_aftercare_sheet_for_a_chosen_session(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, clock: FakeClock,
    dialogs: FakeDialogService,
) -> None:
    t = treatment_clinic(sqlite_core, clock)
    view = t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                               password=STAFF_PASSWORD)
    chart = PatientChartWindow(services, t.clinic.reception, dialogs, patient_id=t.patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw")
    qtbot.addWidget(chart)
    chart.show()
    chart.tabs.setCurrentWidget(chart.documents)
    tab = chart.documents
    tab.aftercare_menu.aboutToShow.emit()
    (entry,) = tab.aftercare_menu.actions()
    assert entry.text() == f"{view.session_date:%d/%m/%Y} · Cheeks · without RF"
    entry.trigger()
    (window,) = tab.windows
    made(qtbot, window)
    assert window.windowTitle() == f"Aftercare sheet for {NAME}"
    assert window.document is not None and window.document.source_id == view.session_id


def test_the_aftercare_menu_says_when_there_is_no_session(chart: PatientChartWindow) -> None:
    chart.documents.aftercare_menu.aboutToShow.emit()
    (entry,) = chart.documents.aftercare_menu.actions()
    assert entry.text() == "No signed-off session yet" and not entry.isEnabled()


def test_signing_off_a_session_offers_its_aftercare_in_one_click(
    qtbot: QtBot, sqlite_core: ClinicDesk, clock: FakeClock, dialogs: FakeDialogService,
) -> None:
    from tests.gui.test_sessions_tab import pen_session, sign, tab

    t = treatment_clinic(sqlite_core, clock)
    shown = tab(qtbot, sqlite_core, t, dialogs, clock)
    asked: list[int] = []
    shown.aftercare_requested.connect(asked.append)
    dialogs.dialog_scripts += [pen_session(t), sign]
    with qtbot.waitSignal(shown.session_signed_off) as signed:
        shown.record_action.trigger()
    view = signed.args[0]
    assert shown.banner.action_button.text() == "Print aftercare sheet"
    shown.banner.action_button.click()
    assert asked == [view.session_id]


def printed_to(path: Path) -> Callable[[QPrinter], bool]:
    def choose(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return True
    return choose


@pytest.mark.parametrize("setting", [True, False])
def test_the_clinic_setting_prints_aftercare_on_sign_off(
    qtbot: QtBot, services: DeskServices, sqlite_core: ClinicDesk, clock: FakeClock,
    dialogs: FakeDialogService, tmp_path: Path, setting: bool,
) -> None:
    from dataclasses import replace

    from tests.helpers.clinic import SAMPLE_CLINIC

    t = treatment_clinic(sqlite_core, clock)
    profile = services.clinic.profile()
    assert profile is not None
    services.clinic.update_profile(
        t.clinic.admin, replace(SAMPLE_CLINIC, print_aftercare_on_sign_off=setting),
        expected_version=profile.version)
    view = t.sessions.sign_off(t.clinic.practitioner, t.patient_id, pen_draft(t),
                               password=STAFF_PASSWORD)
    chart = PatientChartWindow(services, t.clinic.practitioner, dialogs,
                               patient_id=t.patient_id,
                               date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                               time_zone="Europe/Warsaw")
    qtbot.addWidget(chart)
    out = tmp_path / "aftercare-printed.pdf"
    dialogs.printer_scripts.append(printed_to(out))
    chart._session_signed_off(view)
    if not setting:
        assert chart.documents.windows == []
        return
    (window,) = chart.documents.windows
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.handed_out, timeout=30000):
        qtbot.waitUntil(lambda: bool(dialogs.printers_offered), timeout=20000)
    assert out.exists()
    (entry,) = services.documents.history(t.clinic.practitioner, t.patient_id)
    assert entry.kind.value == "aftercare" and entry.how.value == "printed"
    assert entry.source_id == view.session_id


def test_closing_a_sheet_window_while_it_is_made_drops_the_answer(
        qtbot: QtBot, chart: PatientChartWindow) -> None:
    window = chart.documents.make_precare()
    assert window.is_busy()
    task = window.task
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        window.close()  # before the worker is done
    # The worker's answer reached no deleted window, and nothing was handed out.
    assert window.document is None
    assert chart.documents.model.rowCount() == 0
