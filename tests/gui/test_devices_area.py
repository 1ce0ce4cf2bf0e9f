"""The Devices area: the registry list and editor, lots, the protocol table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.devices import DeviceKind
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import SignedInStaff, SignInSession
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.devices.course_defaults_dialog import CourseDefaultsDialog
from clinic_desk.ui.devices.device_dialog import DeviceDialog
from clinic_desk.ui.devices.device_model import DeviceColumn, DeviceTableModel
from clinic_desk.ui.devices.history_dialog import DeviceHistoryDialog, ProtocolVersionsDialog
from clinic_desk.ui.devices.lot_dialog import LotDialog
from clinic_desk.ui.devices.lot_model import LotColumn, LotTableModel
from clinic_desk.ui.devices.page import DevicesPage, devices_page
from clinic_desk.ui.devices.protocol_dialog import DepthLimitDialog
from clinic_desk.ui.devices.protocol_model import ProtocolTableModel
from tests.gui.device_fakes import (
    TODAY,
    FakeProtocols,
    FakeRegistry,
    example,
    registry_with_devices,
    shipped_protocol,
)
from tests.gui.fakes import FakeDialogService
from tests.gui.test_patients_accessibility import assert_named
from tests.helpers.clinic import SeededClinic

FORMAT = DateFormat.DAY_MONTH_YEAR_SLASH


def staff(*roles: Role) -> SignedInStaff:
    return SignedInStaff(7, "someone", "Someone", roles, SignInSession())


def page(qtbot: QtBot, registry: FakeRegistry, dialogs: FakeDialogService,
         role: Role = Role.PRACTITIONER) -> DevicesPage:
    shown = DevicesPage(registry, FakeProtocols(), staff(role), dialogs, date_format=FORMAT,
                        today=lambda: TODAY)
    qtbot.addWidget(shown)
    return shown


def test_the_item_models_pass_the_model_tester(qtmodeltester: object) -> None:
    registry = registry_with_devices()
    devices = DeviceTableModel(TODAY, FORMAT)
    devices.set_devices(registry.devices(staff()))
    lots = LotTableModel(FORMAT)
    lots.set_lots(registry.lots(staff()))
    protocol = ProtocolTableModel()
    protocol.set_protocol(shipped_protocol())
    for model in (devices, lots, protocol):
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_registry_lists_devices_in_use_first_with_overdue_service_and_status_in_words(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    shown = page(qtbot, registry_with_devices(), dialogs)
    model = shown.devices_model
    rows = [model.index(r, DeviceColumn.STATUS).data() for r in range(model.rowCount())]
    assert rows == ["In use", "In use", "Taken out of use"]
    services = {model.index(r, DeviceColumn.SERIAL).data():
                model.index(r, DeviceColumn.SERVICE).data() for r in range(3)}
    assert services["RF-0001"] == "Overdue since 01/10/2026"
    assert services["PEN-0001"] == "Due 01/03/2027"
    rf_row = model.row_of(2)
    assert model.index(rf_row, DeviceColumn.SERVICE).data(Qt.ItemDataRole.DecorationRole)
    assert model.index(rf_row, DeviceColumn.RF).data() == "RF level 1–10; 50–400 ms"
    assert model.index(rf_row, DeviceColumn.DEPTH).data() == "0.5–3.5 mm, step 0.1"


def test_expired_lots_are_marked_as_not_choosable(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    shown = page(qtbot, registry_with_devices(), dialogs)
    model = shown.lots_model
    statuses = {model.index(r, LotColumn.LOT_NUMBER).data():
                model.index(r, LotColumn.STATUS).data() for r in range(model.rowCount())}
    assert statuses["L-2025-007"] == "Expired: cannot be chosen"
    assert statuses["L-2026-118"] == "In date"


def test_a_device_is_added_from_an_example_with_problems_shown_beside_their_fields(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    registry = FakeRegistry()
    shown = page(qtbot, registry, dialogs)
    seen: list[DeviceDialog] = []

    def fill(dialog: object) -> None:
        assert isinstance(dialog, DeviceDialog)
        seen.append(dialog)
        form = dialog.form
        assert form.kind() is DeviceKind.RF_MICRONEEDLING_DEVICE
        assert not form.rf_section.isHidden()
        form.serial_edit.setText("")
        form.depth_row.step.setText("0.4")
        dialog.save_button.click()
        assert registry.calls == []
        assert "serial number" in form.errors["serial_number"].text()
        assert "do not reach" in form.errors["depth"].text()
        form.serial_edit.setText("SN-42")
        form.depth_row.step.setText("0.1")
        form.model_edit.setText("Fractional RF")
        dialog.save_button.click()

    dialogs.dialog_scripts.append(fill)
    examples = shown.examples_menu.actions()
    rf = next(a for a in examples if "RF microneedling" in a.text())
    rf.trigger()
    assert registry.calls == ["add"]
    saved = registry.stored[1].profile
    assert saved.serial_number == "SN-42" and saved.rf is not None
    assert shown.devices_model.rowCount() == 1
    assert shown.banner.tone() == "success"


def test_a_roller_shows_its_needle_length_only_and_rf_is_hidden(qtbot: QtBot) -> None:
    dialog = DeviceDialog(FakeRegistry(), staff(Role.PRACTITIONER), date_format=FORMAT,
                          today=TODAY, start_from=example("example-roller"))
    qtbot.addWidget(dialog)
    form = dialog.form
    assert form.depth_row.highest.isHidden() and form.depth_row.step.isHidden()
    assert form.rf_section.isHidden() and form.cartridges_block.isHidden()
    profile, problems = form.read_profile()
    assert problems == {"serial_number": "Enter the serial number from the device's label."}
    assert profile.depth_mm.is_fixed


def test_an_overdue_service_date_is_said_beside_the_field(qtbot: QtBot) -> None:
    dialog = DeviceDialog(FakeRegistry(), staff(Role.PRACTITIONER), date_format=FORMAT,
                          today=TODAY, start_from=replace(example("example-pen"),
                                                          serial_number="A1"))
    qtbot.addWidget(dialog)
    dialog.form.service_field.edit.setText("29/11/2026")
    assert "Overdue" in dialog.form.slot("service_due").note_text()
    dialog.form.service_field.edit.setText("30/11/2026")
    assert dialog.form.slot("service_due").note_text() == ""


def test_taking_a_device_out_of_use_asks_and_never_deletes(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    registry = registry_with_devices()
    shown = page(qtbot, registry, dialogs)
    shown.devices_view.selectRow(shown.devices_model.row_of(1))
    dialogs.confirm_answers.append(True)
    shown.active_action.trigger()
    assert len(registry.stored) == 3
    assert registry.stored[1].profile.active is False
    assert "taken out of use" in shown.banner.text()


def test_a_stale_edit_offers_a_reload(qtbot: QtBot, dialogs: FakeDialogService) -> None:
    registry = registry_with_devices()
    shown = page(qtbot, registry, dialogs)
    shown.devices_view.selectRow(shown.devices_model.row_of(1))
    registry.stored[1] = replace(registry.stored[1], version=5)  # another workstation

    def save(dialog: object) -> None:
        assert isinstance(dialog, DeviceDialog)
        dialog.save_button.click()

    dialogs.dialog_scripts.append(save)
    shown.edit_action.trigger()
    assert shown.banner.tone() == "warning"
    assert shown.banner.action_button.text() == "Reload"


def test_reception_reads_the_registry_without_changing_it(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    shown = page(qtbot, registry_with_devices(), dialogs, Role.RECEPTION)
    shown.devices_view.selectRow(0)
    assert not shown.edit_action.isEnabled() and not shown.active_action.isEnabled()
    shown.edit_selected()
    assert dialogs.dialogs_run == []


def test_on_the_real_services_a_device_added_from_an_example_is_in_the_registry(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    shown = devices_page(services, seeded.practitioner, dialogs)
    qtbot.addWidget(shown)
    assert shown.protocol_model.rowCount() > 10
    assert "EXAMPLE" in shown.protocol_notice.text()

    def fill(dialog: object) -> None:
        assert isinstance(dialog, DeviceDialog)
        dialog.form.serial_edit.setText("PEN-778")
        dialog.form.service_field.edit.setText("01/06/2027")
        dialog.save_button.click()

    dialogs.dialog_scripts.append(fill)
    pen = next(a for a in shown.examples_menu.actions() if "pen" in a.text())
    pen.trigger()
    stored = services.devices.devices(seeded.practitioner)
    assert [d.profile.serial_number for d in stored] == ["PEN-778"]
    assert shown.devices_model.rowCount() == 1
    shown.devices_view.selectRow(0)
    dialogs.confirm_answers.append(True)
    shown.active_action.trigger()
    stored = services.devices.devices(seeded.practitioner)
    assert len(stored) == 1 and not stored[0].is_active


def test_an_administrator_changes_a_depth_limit_as_a_new_protocol_version(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    shown = devices_page(services, seeded.admin, dialogs)
    qtbot.addWidget(shown)
    assert not shown.protocol_edit_button.isHidden()
    protocol = shown.protocol_model.protocol
    assert protocol is not None
    row = [a.key for a in protocol.areas].index("cheeks")
    column = [i.key for i in protocol.indications].index("scars")
    shown.protocol_view.setCurrentIndex(shown.protocol_model.index(row, column))

    def change(dialog: object) -> None:
        assert isinstance(dialog, DepthLimitDialog)
        dialog.maximum_edit.setText("1.75")
        dialog.save_button.click()
        assert dialog.errors["note"].text()  # what changed and why is required
        dialog.note_edit.setPlainText("Our pens' instructions: at most 1.75 mm on cheeks")
        dialog.save_button.click()

    dialogs.dialog_scripts.append(change)
    shown.protocol_edit_button.click()
    current = services.protocols.current(seeded.admin)
    assert current.version == protocol.version + 1
    limit = current.limit("cheeks", "scars")
    assert limit is not None and str(limit.maximum_mm) == "1.75"
    assert shown.protocol_model.index(row, column).data() == "1.5 mm (max 1.75)"
    seen: list[str] = []

    def look(dialog: object) -> None:
        assert isinstance(dialog, ProtocolVersionsDialog)
        seen.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))

    dialogs.dialog_scripts.append(look)
    shown.versions_button.click()
    assert seen[0].startswith(f"Version {protocol.version + 1} · ")
    assert "Our pens' instructions" in seen[0] and "Amélie" not in seen[1]
    assert "shipped with Clinic Desk" in seen[-1]
    practitioner = devices_page(services, seeded.practitioner, dialogs)
    qtbot.addWidget(practitioner)
    assert practitioner.protocol_edit_button.isHidden()


def test_a_lot_is_added_and_withdrawn_through_the_services(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    shown = devices_page(services, seeded.practitioner, dialogs)
    qtbot.addWidget(shown)

    def add(dialog: object) -> None:
        assert isinstance(dialog, LotDialog)
        dialog.product_edit.setText("Sterile 12-needle cartridge")
        dialog.lot_edit.setText("L-2027-001")
        dialog.save_button.click()
        assert "use-by date" in dialog.errors["expiry_date"].text()
        dialog.expiry_field.set_date(date(2027, 9, 30))
        dialog.save_button.click()

    dialogs.dialog_scripts.append(add)
    shown.add_lot_button.click()
    assert [lot.lot_number for lot in services.devices.lots(seeded.practitioner)] == \
        ["L-2027-001"]
    assert shown.lots_model.index(0, LotColumn.STATUS).data() == "In date"
    shown.lots_view.selectRow(0)
    dialogs.confirm_answers.append(True)
    shown.withdraw_lot_button.click()
    assert shown.lots_model.index(0, LotColumn.STATUS).data() == "Withdrawn: cannot be chosen"


def test_every_control_of_the_devices_area_and_editor_has_its_own_name(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    shown = page(qtbot, registry_with_devices(), dialogs)
    shown.show()
    for index in range(shown.tabs.count()):
        shown.tabs.setCurrentIndex(index)
        assert_named(shown)
    dialog = DeviceDialog(FakeRegistry(), staff(Role.PRACTITIONER), date_format=FORMAT,
                          today=TODAY, start_from=example("example-rf"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert_named(dialog)


def test_every_saved_version_of_a_device_is_listed_in_its_history(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    profile = replace(example("example-pen"), serial_number="PEN-1")
    added = services.devices.add_device(seeded.practitioner, profile)
    services.devices.update_device(seeded.practitioner, added.device_id,
                                   replace(profile, service_due_on=date(2027, 1, 31)),
                                   expected_version=added.version)
    shown = devices_page(services, seeded.admin, dialogs)
    qtbot.addWidget(shown)
    shown.devices_view.selectRow(0)
    seen: list[str] = []

    def look(dialog: object) -> None:
        assert isinstance(dialog, DeviceHistoryDialog)
        seen.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))

    dialogs.dialog_scripts.append(look)
    shown.history_action.trigger()
    assert [text.split(" · ")[0] for text in seen] == ["Version 2", "Version 1"]
    assert "service due 31/01/2027" in seen[0] and "service due —" in seen[1]
    assert "Dr Łucja Wiśniewska" in seen[0]


def test_an_administrator_sets_the_course_defaults_for_one_indication(
    qtbot: QtBot, services: DeskServices, seeded: SeededClinic, dialogs: FakeDialogService,
) -> None:
    shown = devices_page(services, seeded.admin, dialogs)
    qtbot.addWidget(shown)
    assert not shown.course_defaults_button.isHidden()

    def change(dialog: object) -> None:
        assert isinstance(dialog, CourseDefaultsDialog)
        box = dialog.indication_box
        box.setCurrentIndex(box.findData("scars"))
        dialog.most_spin.setValue(8)
        dialog.planned_spin.setValue(6)
        dialog.low_spin.setValue(5)
        dialog.high_spin.setValue(4)
        dialog.note_edit.setPlainText("Our scar courses are longer")
        dialog.save_button.click()
        assert "shorter than the shortest" in dialog.errors["interval_max"].text()
        dialog.high_spin.setValue(8)
        dialog.save_button.click()

    dialogs.dialog_scripts.append(change)
    shown.course_defaults_button.click()
    plan = services.courses.defaults(seeded.admin, "scars")
    assert (plan.planned_sessions, plan.interval_min_days, plan.interval_max_days) == \
        (6, 35, 56)
    assert "version 2" in shown.banner.text()
