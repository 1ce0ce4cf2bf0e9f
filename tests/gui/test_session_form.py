"""Recording a session through the form, as a practitioner does: the start gate, the
guardrails' messages in place, the test spot, copy from the last session, sign-off."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.guardrails import AreaSettings, ToleratedRf
from clinic_desk.domain.roles import Role
from clinic_desk.domain.session_record import SessionDraft
from clinic_desk.services.dto import SignedInStaff, SignInSession
from clinic_desk.ui.sessions.area_row import AreaRow
from clinic_desk.ui.sessions.session_window import SessionWindow, SignOffDialog
from tests.gui.fakes import DialogScript, FakeDialogService
from tests.gui.session_fakes import NO_CONSENT, NOON, PASSWORD, FakeSessionDesk
from tests.gui.test_patients_accessibility import assert_named

RF_DEVICE, PEN = 2, 1
RF_LOT, PEN_LOT, EXPIRED_LOT = 2, 1, 3


def practitioner() -> SignedInStaff:
    return SignedInStaff(7, "pat", "Pat Practitioner", (Role.PRACTITIONER,), SignInSession())


def open_window(qtbot: QtBot, desk: FakeSessionDesk,
                dialogs: FakeDialogService) -> SessionWindow:
    window = SessionWindow(desk, practitioner(), dialogs, patient_id=5,
                           patient_name="Zoë Ångström-Müller Ferreira de la Fuente",
                           date_format=DateFormat.DAY_MONTH_YEAR_SLASH, time_zone="UTC",
                           now=lambda: NOON)
    qtbot.addWidget(window)
    return window


def choose(window: SessionWindow, device_id: int, lot_id: int) -> AreaRow:
    form = window.form
    form.device_box.setCurrentIndex(form.device_box.findData(device_id))
    form.lot_box.setCurrentIndex(form.lot_box.findData(lot_id))
    row = form.rows[0]
    row.area_box.setCurrentIndex(row.area_box.findData("cheeks"))
    row.indication_box.setCurrentIndex(row.indication_box.findData("scars"))
    return row


def settle(qtbot: QtBot, window: SessionWindow) -> None:
    window.form.run_check()


def sign_with(password: str) -> DialogScript:
    def script(dialog: QDialog) -> None:
        assert isinstance(dialog, SignOffDialog)
        dialog.password_edit.setText(password)
        dialog.sign_button.click()
    return script


def test_a_whole_rf_session_is_recorded_with_a_test_spot_and_signed_off(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    desk = FakeSessionDesk()
    window = open_window(qtbot, desk, dialogs)
    form = window.form
    row = choose(window, RF_DEVICE, RF_LOT)
    assert row.depth_stepper.value() == Decimal("1.5")  # the protocol's default, on a step
    row.depth_stepper.up_button.click()
    assert row.depth_stepper.value() == Decimal("1.6")
    row.passes.set_value(2)
    row.energy.set_value(4)
    row.pulse.set_value(150)
    row.tip_box.setCurrentIndex(1)
    form.numbing_edit.setText("Lidocaine 5%")
    form.applied.edit.setText("11:20")
    form.removed.edit.setText("11:55")
    form.pain.buttons[3].click()
    form.endpoint_boxes[next(iter(form.endpoint_boxes))].setChecked(True)
    settle(qtbot, window)
    assert form.minutes_label.text() == "35 minutes on the skin"
    assert form.gate.uses_rf and form.gate.check.can_start
    # First RF on this device: a test spot is asked for, and the reason is given.
    assert "first RF treatment" in form.test_spot.why.text()
    assert not window.sign_button.isEnabled()
    assert "need attention" in window.sign_button.toolTip()
    spot = form.test_spot
    spot.done_box.setChecked(True)
    spot.area_box.setCurrentIndex(spot.area_box.findData("cheeks"))
    spot.energy.set_value(4)
    spot.pulse.set_value(150)
    spot.reaction_edit.setText("even redness, no blistering")
    spot.tolerated_box.setChecked(True)
    settle(qtbot, window)
    assert "No test spot is needed" in spot.why.text()
    assert window.sign_button.isEnabled()
    dialogs.dialog_scripts += [sign_with("wrong"), sign_with(PASSWORD)]
    window.sign_button.click()
    assert desk.signed == [] and window.signed is None  # wrong password: nothing written
    window.sign_button.click()
    assert window.result() == QDialog.DialogCode.Accepted
    signed = desk.signed[0].settings
    assert signed.uses_rf and signed.pain_score == 3
    assert signed.areas[0] == AreaSettings("cheeks", "scars", Decimal("1.6"), "", 2, None,
                                           Decimal(4), Decimal(150), signed.areas[0].rf_tip)
    assert signed.test_spot is not None and signed.test_spot.tolerated
    assert signed.numbing_applied_at is not None and signed.numbing_removed_at is not None


def test_an_unsafe_depth_is_stopped_with_the_reason_under_the_depth(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    window = open_window(qtbot, FakeSessionDesk(), dialogs)
    row = choose(window, PEN, 1)
    row.depth_stepper.edit.setText("3")
    settle(qtbot, window)
    assert "deeper than this device goes" in row.errors["needle_depth_mm"].text()
    assert not window.sign_button.isEnabled()
    row.depth_stepper.edit.setText("2.25")  # above the area's maximum of 2 mm
    settle(qtbot, window)
    assert row.errors["needle_depth_mm"].text() == ""
    assert "write why" in row.errors["above_maximum_reason"].text()
    assert row.reason_edit.property("needed") is True
    height = row.height()
    row.reason_edit.setText("Deep boxcar scars, agreed at consultation")
    settle(qtbot, window)
    assert row.errors["above_maximum_reason"].text() == ""
    assert "reason is recorded" in row.slots["above_maximum_reason"].note_text()
    assert window.sign_button.isEnabled()
    assert row.height() == height  # the message came and went without moving anything


def test_an_off_step_depth_and_an_expired_lot_cannot_be_chosen(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    window = open_window(qtbot, FakeSessionDesk(), dialogs)
    row = choose(window, PEN, 1)
    row.depth_stepper.edit.setText("1.3")
    settle(qtbot, window)
    assert "steps of 0.25" in row.errors["needle_depth_mm"].text()
    model = window.form.lot_box.model()
    expired_row = window.form.lot_box.findData(EXPIRED_LOT)
    flags = model.flags(model.index(expired_row, 0))
    assert not flags & Qt.ItemFlag.ItemIsEnabled
    assert "expired, cannot be chosen" in window.form.lot_box.itemText(expired_row)


def test_a_missing_consent_stops_the_session_and_says_why(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    desk = FakeSessionDesk(without_rf=NO_CONSENT, with_rf=NO_CONSENT)
    window = open_window(qtbot, desk, dialogs)
    choose(window, PEN, 1)
    settle(qtbot, window)
    assert "No signed consent" in " ".join(window.form.gate.texts)
    assert not window.sign_button.isEnabled()
    assert "cannot start" in window.why_label.text()
    window.sign_off()
    assert dialogs.dialogs_run == [] and desk.signed == []


def test_the_service_refusing_at_sign_off_shows_its_reasons_in_place(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    """The gate is checked again by the service: a consent withdrawn meanwhile."""
    desk = FakeSessionDesk()
    window = open_window(qtbot, desk, dialogs)
    choose(window, PEN, 1)
    settle(qtbot, window)
    assert window.sign_button.isEnabled()
    desk.without_rf = NO_CONSENT
    dialogs.dialog_scripts.append(sign_with(PASSWORD))
    window.sign_button.click()
    assert desk.signed == [] and window.signed is None
    assert "No signed consent" in window.banner.text()


def test_rf_above_the_energy_tolerated_before_asks_for_a_test_spot(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    desk = FakeSessionDesk()
    model_key = desk.registry.stored[RF_DEVICE].profile.model_key
    desk.tolerated = (ToleratedRf(model_key, "level", Decimal(3)),)
    window = open_window(qtbot, desk, dialogs)
    row = choose(window, RF_DEVICE, RF_LOT)
    row.energy.set_value(3)
    row.pulse.set_value(150)
    row.tip_box.setCurrentIndex(1)
    settle(qtbot, window)
    assert "No test spot is needed" in window.form.test_spot.why.text()
    row.energy.up_button.click()
    settle(qtbot, window)
    assert "above the highest energy this patient has tolerated before (level 3)" in \
        window.form.test_spot.why.text()


def test_copying_the_last_session_highlights_what_then_changes(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    last = SessionDraft(device_id=PEN, cartridge_key="pen-12", lot_id=PEN_LOT, areas=(
        AreaSettings("cheeks", "scars", Decimal("1.5"), passes=2, speed="3"),
        AreaSettings("forehead", "fine_lines", Decimal("0.5"), passes=1)),
        numbing_product="Lidocaine 5%", serums=("Hyaluronic acid",))
    window = open_window(qtbot, FakeSessionDesk(last=last), dialogs)
    form = window.form
    form.copy_button.click()
    assert [r.area_key() for r in form.rows] == ["cheeks", "forehead"]
    assert form.numbing_edit.text() == "Lidocaine 5%"
    assert form.differences_label.text() == "Same settings as the last session."
    form.rows[0].depth_stepper.up_button.click()
    settle(qtbot, window)
    assert form.rows[0].depth_stepper.edit.property("changed") is True
    assert "was 1.5" in form.rows[0].depth_stepper.edit.toolTip()
    assert form.rows[1].depth_stepper.edit.property("changed") is False
    assert "Cheeks: needle depth" in form.differences_label.text()


def test_the_form_is_built_for_touch(qtbot: QtBot, dialogs: FakeDialogService) -> None:
    window = open_window(qtbot, FakeSessionDesk(), dialogs)
    window.show()
    row = choose(window, PEN, 1)
    for widget in (row.depth_stepper.up_button, row.depth_stepper.down_button,
                   row.depth_stepper.edit, *window.form.pain.buttons, window.sign_button,
                   row.area_box, window.form.copy_button):
        assert widget.height() >= 44 and widget.width() >= 44, widget.accessibleName()
    row.depth_stepper.edit.setFocus()
    before = row.depth_stepper.value()
    assert before is not None
    qtbot.keyClick(row.depth_stepper.edit, Qt.Key.Key_Up)
    assert row.depth_stepper.value() == before + Decimal("0.25")


def test_tab_goes_down_the_form_through_every_area_in_reading_order(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    window = open_window(qtbot, FakeSessionDesk(), dialogs)
    form = window.form
    second = form.add_area()
    order: list[QWidget] = []
    widget = form.serums_edit.nextInFocusChain()
    while widget is not None and widget is not form.add_area_button and len(order) < 200:
        order.append(widget)
        widget = widget.nextInFocusChain()
    assert order.index(form.rows[0].depth_stepper.edit) < order.index(second.area_box)
    assert order[-1] is second.remove_button


def test_every_control_of_the_session_form_has_its_own_name(
    qtbot: QtBot, dialogs: FakeDialogService,
) -> None:
    window = open_window(qtbot, FakeSessionDesk(), dialogs)
    window.form.add_area()
    window.form.test_spot.done_box.setChecked(True)
    window.show()
    assert_named(window)
