"""Settings & staff: administrators manage staff and the clinic profile; others cannot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QTableView
from pytestqt.qtbot import QtBot

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import PermissionDenied
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import SignedInStaff, StaffSummary
from clinic_desk.ui.areas import Area
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.settings.page import SettingsPage
from clinic_desk.ui.settings.staff_dialogs import StaffDialog
from clinic_desk.ui.settings.staff_model import StaffColumn, StaffTableModel
from clinic_desk.ui.settings.staff_panel import StaffPanel
from tests.gui.fakes import FakeDialogService
from tests.helpers.clinic import SAMPLE_CLINIC, SeededClinic


def settings_page(qtbot: QtBot, services: DeskServices, actor: SignedInStaff,
                  dialogs: FakeDialogService) -> SettingsPage:
    page = SettingsPage(services, actor, dialogs)
    qtbot.addWidget(page)
    page.show()
    return page


def staff_panel(page: SettingsPage) -> StaffPanel:
    assert page.staff_panel is not None
    return page.staff_panel


def member(core: ClinicDesk, admin: SignedInStaff, username: str) -> StaffSummary:
    return next(s for s in core.staff.list_staff(admin) if s.username == username)


def select(panel: StaffPanel, username: str) -> None:
    row = next(r for r in range(panel.model.rowCount())
               if panel.model.staff_at(r).username == username)
    panel.table.selectRow(row)


def test_reception_cannot_reach_staff_management(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, ui_settings: QSettings,
) -> None:
    # Given reception signed in, on Settings & staff
    window = MainWindow(services, seeded.reception, dialogs, ui_settings)
    qtbot.addWidget(window)
    window.show_area(Area.SETTINGS)
    page = window.settings_page
    # Then no staff list or staff actions are offered; their own account is explained
    assert page.staff_panel is None and page.clinic_panel is None
    assert page.findChildren(QTableView) == []
    assert page.own_account is not None
    assert "Only administrators manage staff" in page.own_account.explanation.text()
    # And the service refuses a direct call anyway
    with pytest.raises(PermissionDenied):
        sqlite_core.staff.list_staff(seeded.reception)


def test_permission_denied_is_a_message_not_a_traceback(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given a practitioner whose stale sign-in still says "administrator"
    stale_admin = SignedInStaff(seeded.practitioner.staff_id, "practitioner",
                                "Dr Łucja Wiśniewska", (Role.ADMINISTRATOR,),
                                seeded.practitioner.session)
    # When the staff list loads
    page = settings_page(qtbot, services, stale_admin, dialogs)
    # Then the refusal is shown in plain words on the page
    assert "cannot do this" in staff_panel(page).banner.text()
    assert staff_panel(page).model.rowCount() == 0


def test_administrator_adds_staff_through_the_gui(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given the administrator on the staff list
    page = settings_page(qtbot, services, seeded.admin, dialogs)
    panel = staff_panel(page)
    assert panel.model.rowCount() == 3

    def fill_in(dialog: QDialog) -> None:
        assert isinstance(dialog, StaffDialog)
        form = dialog.form
        assert form.username_edit and form.password_edit and form.confirm_edit
        assert not dialog.save_button.isEnabled()
        form.full_name_edit.setText("Zoë Ångström-Müller Ferreira")
        form.username_edit.setText("zoe.f")
        # the owner: practitioner and administrator, ticked as check boxes
        assert form.roles_picker is not None
        boxes = form.roles_picker.boxes
        for role in (Role.RECEPTION, Role.PRACTITIONER, Role.ADMINISTRATOR):
            boxes[role].click()
        assert form.roles() == (Role.PRACTITIONER, Role.ADMINISTRATOR)
        form.password_edit.setText("temporary-123")
        form.confirm_edit.setText("temporary-123")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.dialog_scripts.append(fill_in)
    # When Add staff… is used
    panel.add_action.trigger()
    # Then the new person is listed with both roles, selected and stored, with a
    # temporary password
    assert panel.model.rowCount() == 4
    selected = panel.selected()
    assert selected is not None and selected.full_name == "Zoë Ångström-Müller Ferreira"
    assert selected.roles == (Role.PRACTITIONER, Role.ADMINISTRATOR)
    row = next(r for r in range(4) if panel.model.index(r, 0).data() == selected.full_name)
    assert panel.model.index(row, StaffColumn.ROLE).data() == "Practitioner, Administrator"
    assert "was added" in panel.banner.text()
    owner = sqlite_core.auth.sign_in("zoe.f", "temporary-123")
    assert owner.must_change_password and owner.roles == selected.roles


def test_no_role_ticked_is_an_inline_problem(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    page = settings_page(qtbot, services, seeded.admin, dialogs)
    panel = staff_panel(page)
    problems: list[str] = []

    def fill_in(dialog: QDialog) -> None:
        assert isinstance(dialog, StaffDialog) and dialog.form.roles_picker is not None
        dialog.form.roles_picker.boxes[Role.RECEPTION].setChecked(False)
        dialog.submit()
        problems.append(dialog.form.errors["roles"].text())
        dialog.reject()

    dialogs.dialog_scripts.append(fill_in)
    panel.add_action.trigger()
    assert problems == ["Tick at least one role."]
    assert panel.model.rowCount() == 3


def test_a_taken_user_name_is_shown_in_the_dialog(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    page = settings_page(qtbot, services, seeded.admin, dialogs)
    panel = staff_panel(page)
    errors: list[str] = []

    def fill_in(dialog: QDialog) -> None:
        assert isinstance(dialog, StaffDialog)
        form = dialog.form
        assert form.username_edit and form.password_edit and form.confirm_edit
        form.full_name_edit.setText("Another Jonas")
        form.username_edit.setText("Reception")
        form.password_edit.setText("temporary-123")
        form.confirm_edit.setText("temporary-123")
        dialog.submit()
        errors.append(form.errors["username"].text())
        dialog.reject()

    dialogs.dialog_scripts.append(fill_in)
    panel.add_action.trigger()
    assert "is taken" in errors[0]
    assert panel.model.rowCount() == 3


def test_administrator_deactivates_after_confirming(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given reception selected in the staff list
    panel = staff_panel(settings_page(qtbot, services, seeded.admin, dialogs))
    select(panel, "reception")
    assert panel.active_action.text() == "Deactivate…"
    # When Deactivate… is chosen and confirmed
    dialogs.confirm_answers.append(True)
    panel.active_action.trigger()
    # Then it was asked first, and reception is shown and stored as inactive
    assert dialogs.confirmations == [("Deactivate Jonas Müller?", "Deactivate")]
    selected = panel.selected()
    assert selected is not None and not selected.is_active
    row = panel.model.row_of(selected.staff_id)
    status = panel.model.index(row, StaffColumn.STATUS)
    assert panel.model.data(status) == "Inactive"
    assert panel.model.data(status, Qt.ItemDataRole.DecorationRole) is not None
    assert not member(sqlite_core, seeded.admin, "reception").is_active
    assert panel.active_action.text() == "Reactivate…"


def test_cancelled_deactivation_changes_nothing(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    panel = staff_panel(settings_page(qtbot, services, seeded.admin, dialogs))
    select(panel, "reception")
    dialogs.confirm_answers.append(False)
    panel.active_action.trigger()
    assert member(sqlite_core, seeded.admin, "reception").is_active


def test_stale_staff_change_shows_the_reload_message(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given reception selected here, then renamed on another workstation
    panel = staff_panel(settings_page(qtbot, services, seeded.admin, dialogs))
    select(panel, "reception")
    shown = member(sqlite_core, seeded.admin, "reception")
    sqlite_core.staff.change_details(seeded.admin, shown.staff_id,
                                     expected_version=shown.version,
                                     full_name="Jonas Müller-Öztürk", roles=[Role.RECEPTION])
    # When this workstation tries to deactivate the version it shows
    dialogs.confirm_answers.append(True)
    panel.active_action.trigger()
    # Then nothing is overwritten; the page says why and offers a reload
    assert "changed on another workstation" in panel.banner.text()
    assert panel.banner.action_button.isVisible()
    assert member(sqlite_core, seeded.admin, "reception").is_active
    # And Reload shows the current version
    qtbot.mouseClick(panel.banner.action_button, Qt.MouseButton.LeftButton)
    assert panel.banner.text() == ""
    selected = panel.selected()
    assert selected is not None and selected.full_name == "Jonas Müller-Öztürk"


def test_stale_edit_dialog_shows_the_reload_message(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    panel = staff_panel(settings_page(qtbot, services, seeded.admin, dialogs))
    select(panel, "practitioner")
    shown = member(sqlite_core, seeded.admin, "practitioner")

    def edit_after_someone_else(dialog: QDialog) -> None:
        assert isinstance(dialog, StaffDialog)
        sqlite_core.staff.reset_password(seeded.admin, shown.staff_id,
                                         expected_version=shown.version,
                                         new_password="another-pass-1")
        dialog.form.full_name_edit.setText("Dr Łucja Wiśniewska-Kowalska")
        dialog.submit()

    dialogs.dialog_scripts.append(edit_after_someone_else)
    panel.edit_action.trigger()
    assert "changed on another workstation" in panel.banner.text()
    assert member(sqlite_core, seeded.admin, "practitioner").full_name == "Dr Łucja Wiśniewska"


def test_stale_clinic_profile_is_not_overwritten(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    # Given the clinic profile open here, then renamed on another workstation
    page = settings_page(qtbot, services, seeded.admin, dialogs)
    panel = page.clinic_panel
    assert panel is not None
    assert not panel.save_button.isEnabled()
    assert "Nothing has changed" in panel.save_button.toolTip()
    profile = sqlite_core.clinic.profile()
    assert profile is not None
    elsewhere = SAMPLE_CLINIC.__class__(
        "Klinika Łódź (renamed elsewhere)", SAMPLE_CLINIC.address, SAMPLE_CLINIC.phone,
        SAMPLE_CLINIC.time_zone, SAMPLE_CLINIC.paper_size)
    sqlite_core.clinic.update_profile(seeded.admin, elsewhere, expected_version=profile.version)
    # When a change is saved here
    panel.form.phone_edit.setText("+48 42 000 00 00")
    assert panel.save_button.isEnabled()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    # Then the other workstation's change stands, and Reload is offered
    assert "changed on another workstation" in panel.banner.text()
    current = sqlite_core.clinic.profile()
    assert current is not None and current.phone == SAMPLE_CLINIC.phone
    qtbot.mouseClick(panel.banner.action_button, Qt.MouseButton.LeftButton)
    assert panel.form.name_edit.text() == "Klinika Łódź (renamed elsewhere)"


def test_clinic_profile_saves(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService,
) -> None:
    page = settings_page(qtbot, services, seeded.admin, dialogs)
    panel = page.clinic_panel
    assert panel is not None
    panel.form.time_zone_combo.set_zone("America/New_York")
    with qtbot.waitSignal(page.clinic_renamed):
        panel.save()
    assert "was saved" in panel.banner.text()
    current = sqlite_core.clinic.profile()
    assert current is not None and current.time_zone == "America/New_York"


def test_staff_model_passes_the_model_tester(
    qtmodeltester: object, seeded: SeededClinic, sqlite_core: ClinicDesk
) -> None:
    model = StaffTableModel("Europe/Warsaw")
    model.set_staff(sqlite_core.staff.list_staff(seeded.admin))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    names = {model.data(model.index(r, StaffColumn.NAME)) for r in range(3)}
    assert "Zoë Ångström-Müller" in names
    # Signed in at 09:00 UTC, shown in the clinic's time (Warsaw, UTC+1 in November)
    row = next(r for r in range(3) if model.staff_at(r).username == "reception")
    assert model.data(model.index(row, StaffColumn.LAST_SIGN_IN)) == "22/11/2026, 10:00"
    # ... in the clinic's date format, whichever it is (issue 8, A7)
    dotted = StaffTableModel("Europe/Warsaw", date_format=DateFormat.DAY_MONTH_YEAR_DOT)
    dotted.set_staff(sqlite_core.staff.list_staff(seeded.admin))
    assert dotted.data(dotted.index(row, StaffColumn.LAST_SIGN_IN)) == "22.11.2026, 10:00"


@pytest.mark.parametrize("which", ["add", "edit", "reset"])
def test_escape_asks_before_discarding_what_was_typed_in_a_staff_dialog(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, sqlite_core: ClinicDesk,
    dialogs: FakeDialogService, which: str,
) -> None:
    from clinic_desk.ui.settings.staff_dialogs import (
        add_staff_dialog,
        edit_staff_dialog,
        reset_password_dialog,
    )

    def opened() -> StaffDialog:
        someone = member(sqlite_core, seeded.admin, "reception")
        dialog = (add_staff_dialog(services.staff, seeded.admin, dialogs) if which == "add"
                  else edit_staff_dialog(services.staff, seeded.admin, someone, dialogs)
                  if which == "edit"
                  else reset_password_dialog(services.staff, seeded.admin, someone, dialogs))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    # Untouched: Escape closes at once, nothing asked
    dialog = opened()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isHidden() and dialogs.confirmations == []
    # Typed into: Escape asks; "Keep editing" keeps the dialog and the typing
    dialog = opened()
    typed = dialog.form.password_edit or dialog.form.full_name_edit
    typed.setFocus()
    qtbot.keyClicks(typed, "x")
    qtbot.keyClick(typed, Qt.Key.Key_Escape)
    assert dialogs.confirmations == [("Discard what you typed?", "Discard")]
    assert dialogs.cancel_labels == ["Keep editing"]
    assert dialog.isVisible() and typed.text().endswith("x")
    # The window's close button asks the same; "Discard" closes it
    dialogs.confirm_answers.append(True)
    dialog.close()
    assert len(dialogs.confirmations) == 2 and dialog.isHidden()
