"""The audit log tab: administrators read the latest entries and check the whole chain."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import format_date
from clinic_desk.domain.patients import PatientDetails
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.settings.audit_panel import AuditColumn
from clinic_desk.ui.settings.page import SettingsPage
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import SeededClinic


def admin_page(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService
) -> SettingsPage:
    page = SettingsPage(services, seeded.admin, dialogs)
    qtbot.addWidget(page)
    page.show()
    return page


def test_the_tab_lists_the_latest_entries_newest_first(
    qtbot: QtBot,
    services: DeskServices,
    seeded: SeededClinic,
    dialogs: FakeDialogService,
    qtmodeltester: object,
) -> None:
    page = admin_page(qtbot, services, seeded, dialogs)
    assert page.audit_panel is not None
    page.tabs.setCurrentWidget(page.audit_panel)
    model = page.audit_panel.model
    assert model.rowCount() > 0
    assert model.entry_at(0).action == "staff.sign_in"
    assert model.index(0, AuditColumn.WHO).data() == "Jonas Müller"
    # When: the clinic's own date format and time zone, to the second
    entry = model.entry_at(0)
    profile = services.clinic.profile()
    assert profile is not None
    local = entry.occurred_at.astimezone(ZoneInfo(profile.time_zone))
    assert model.index(0, AuditColumn.WHEN).data() == (
        f"{format_date(local.date(), profile.date_format)}, {local:%H:%M:%S}")
    assert re.fullmatch(r"\d\d/\d\d/\d{4}, \d\d:\d\d:\d\d",
                        model.index(0, AuditColumn.WHEN).data())
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_checking_the_log_runs_in_the_background_and_reports_intact(
    qtbot: QtBot,
    services: DeskServices,
    seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    panel = admin_page(qtbot, services, seeded, dialogs).audit_panel
    assert panel is not None
    qtbot.mouseClick(panel.verify_button, Qt.MouseButton.LeftButton)
    # While it runs the button waits, and the window says what is happening
    assert not panel.verify_button.isEnabled()
    qtbot.waitUntil(lambda: panel.task is None, timeout=10_000)
    assert panel.banner.text().startswith("Intact: all")
    assert panel.verify_button.isEnabled()
    assert panel.model.entry_at(0).action == "audit.verified"


def test_a_tampered_row_is_named(
    qtbot: QtBot,
    services: DeskServices,
    seeded: SeededClinic,
    dialogs: FakeDialogService,
    sqlite_core: ClinicDesk,
) -> None:
    with sqlite_core.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text("UPDATE audit_entry SET workstation = 'elsewhere' WHERE seq = 3"))
    panel = admin_page(qtbot, services, seeded, dialogs).audit_panel
    assert panel is not None
    panel.verify()
    qtbot.waitUntil(lambda: panel.task is None, timeout=10_000)
    assert "Broken" in panel.banner.text() and "entry 3" in panel.banner.text()


def test_no_audit_tab_for_reception(
    qtbot: QtBot,
    services: DeskServices,
    seeded: SeededClinic,
    dialogs: FakeDialogService,
) -> None:
    page = SettingsPage(services, seeded.reception, dialogs)
    qtbot.addWidget(page)
    assert page.audit_panel is None


def test_every_action_the_services_write_has_words_for_people() -> None:
    import re
    from pathlib import Path

    import clinic_desk.services
    from clinic_desk.ui.settings.audit_words import action_labels

    services = Path(clinic_desk.services.__file__).parent
    written = set()
    for source in services.glob("*.py"):
        written |= set(
            re.findall(
                r'"((?:clinic|staff|patient|intake|screening|audit|consent|signing)\.[a-z_]+)"',
                source.read_text(encoding="utf-8"),
            )
        )
    assert written and written <= set(action_labels())


def test_a_patients_access_history_by_number_or_by_name(
    qtbot: QtBot,
    services: DeskServices,
    seeded: SeededClinic,
    dialogs: FakeDialogService,
    qtmodeltester: object,
) -> None:
    # Given two patients of one family, one of whose charts the practitioner opened
    first = services.patients.register(
        seeded.reception, PatientDetails("Kowalczyk", "Marzena", date(1979, 3, 14), "601222333"))
    services.patients.register(
        seeded.reception, PatientDetails("Kowalczyk", "Adam", date(1975, 8, 1), "601444555"))
    services.patients.get(seeded.practitioner, first.patient_id)
    services.intake.history(seeded.practitioner, first.patient_id)
    page = admin_page(qtbot, services, seeded, dialogs)
    panel = page.audit_panel
    assert panel is not None
    page.tabs.setCurrentWidget(panel)
    # When the administrator asks by patient number
    qtbot.keyClicks(panel.patient_edit, "P-000001")
    qtbot.keyClick(panel.patient_edit, Qt.Key.Key_Return)
    # Then only that patient's entries show, newest first, and the listing is recorded
    rows = [panel.model.entry_at(r) for r in range(panel.model.rowCount())]
    assert [(e.staff_name, e.action) for e in rows] == [
        ("Dr Łucja Wiśniewska", "intake.viewed"),
        ("Dr Łucja Wiśniewska", "patient.viewed"),
        ("Jonas Müller", "patient.registered"),
    ]
    assert panel.model.index(0, AuditColumn.ACTION).data() == "Medical history opened"
    assert "patient P-000001" in panel.scope.text() and panel.all_button.isVisible()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    # When asking by a name two patients share, they are offered to choose from
    panel.patient_edit.clear()
    qtbot.keyClicks(panel.patient_edit, "kowalczyk")
    qtbot.mouseClick(panel.patient_button, Qt.MouseButton.LeftButton)
    assert panel.matches.isVisible() and panel.matches.count() == 3
    panel.matches.activated.emit(2)  # the second match, Marzena (alphabetical)
    assert panel.patient_id == first.patient_id
    assert panel.model.entry_at(0).action == "audit.listed"
    # And "All entries" goes back to the whole log
    qtbot.mouseClick(panel.all_button, Qt.MouseButton.LeftButton)
    assert panel.patient_id is None and not panel.all_button.isVisible()
    assert {panel.model.entry_at(r).patient_number for r in range(5)} != {"P-000001"}
def test_every_kind_of_record_the_services_write_has_words_for_people() -> None:
    import re
    from pathlib import Path

    import clinic_desk.services
    from clinic_desk.ui.settings.audit_words import record_labels

    services = Path(clinic_desk.services.__file__).parent
    written = set()
    for source in services.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        written |= set(re.findall(r'entity_type="([a-z_]+)"', text))
        written |= set(re.findall(r'AuditEvent\(\s*[a-z_."]+,\s*"([a-z_]+)"', text))
    assert {"staff_account", "patient", "audit_entry"} <= written
    assert written <= set(record_labels())


def test_the_table_shows_words_not_codes(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given entries of several kinds, a refusal among them
    import re

    from clinic_desk.domain.errors import ClinicDeskError
    from tests.gui.patients_support import LONG_NAME, register

    patient = register(sqlite_core, seeded.reception, LONG_NAME)
    sqlite_core.intake.history(seeded.reception, patient.patient_id)
    with pytest.raises(ClinicDeskError):
        sqlite_core.staff.list_staff(seeded.reception)
    page = admin_page(qtbot, services, seeded, dialogs)
    assert page.audit_panel is not None
    page.tabs.setCurrentWidget(page.audit_panel)
    model = page.audit_panel.model
    # Then no action, record or outcome cell shows an internal code
    for row in range(model.rowCount()):
        for column in (AuditColumn.ACTION, AuditColumn.RECORD, AuditColumn.OUTCOME):
            shown = str(model.index(row, column).data())
            assert not re.search(r"[a-z][._][a-z]", shown), shown
        tip = str(model.index(row, AuditColumn.ACTION).data(Qt.ItemDataRole.ToolTipRole))
        assert "role=" not in tip and "staff." not in tip, tip
    records = {str(model.index(r, AuditColumn.RECORD).data()) for r in range(model.rowCount())}
    assert "Patient record" in records
    assert any(r.startswith("Staff account no. ") for r in records)
    refusal = next(r for r in range(model.rowCount())
                   if model.index(r, AuditColumn.OUTCOME).data() == "Refused")
    assert "role: Reception" in str(
        model.index(refusal, AuditColumn.ACTION).data(Qt.ItemDataRole.ToolTipRole))


def test_a_code_not_worded_yet_still_reads_as_words() -> None:
    from clinic_desk.ui.settings.audit_words import in_words

    assert in_words("staff.locked") == "Staff: locked"
    assert in_words("consent_record") == "Consent record"
