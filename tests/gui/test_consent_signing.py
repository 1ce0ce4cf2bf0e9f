"""Signing, declining, withdrawing and re-consenting from the chart's Consents list, with
the signature drawn by mouse and by finger, and the refusals the person sees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.roles import Role
from clinic_desk.services.dto import SignedInStaff, SignInSession
from clinic_desk.ui.consents.consent_model import ConsentColumn
from clinic_desk.ui.consents.consents_panel import ConsentsPanel
from clinic_desk.ui.consents.port import ConsentStanding
from clinic_desk.ui.consents.signing_window import SigningWindow
from clinic_desk.ui.consents.withdraw_dialog import WithdrawDialog
from clinic_desk.ui.documents.viewer import DocumentViewer
from tests.gui.consent_fake import PASSWORD, FakeConsentDesk
from tests.gui.fakes import FakeDialogService
from tests.gui.ink_support import draw_with_mouse, draw_with_touch, signature_strokes, touch_screen

LEFT = Qt.MouseButton.LeftButton
LONG_NAME = "Zoë Ångström-Müller Ferreira de la Fuente"
PATIENT = 417


def staff(*roles: Role, name: str = "Dr Amélie Dubois-Nakamura") -> SignedInStaff:
    return SignedInStaff(7, "amelie", name, roles, SignInSession())


PRACTITIONER = staff(Role.PRACTITIONER)
RECEPTION = staff(Role.RECEPTION, name="Øystein Łukasiewicz")


@pytest.fixture
def desk() -> FakeConsentDesk:
    return FakeConsentDesk(patients={PATIENT: LONG_NAME, 418: "Ana Lima"})


def panel_for(desk: FakeConsentDesk, actor: SignedInStaff, dialogs: FakeDialogService,
              qtbot: QtBot) -> ConsentsPanel:
    panel = ConsentsPanel(desk, actor, dialogs, load=lambda: desk.consents(actor, PATIENT),
                          date_format=DateFormat.DAY_MONTH_YEAR_SLASH,
                          patient=(PATIENT, LONG_NAME))
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


@pytest.fixture
def panel(desk: FakeConsentDesk, dialogs: FakeDialogService,
          qtbot: QtBot) -> Iterator[ConsentsPanel]:
    panel = panel_for(desk, PRACTITIONER, dialogs, qtbot)
    yield panel
    panel.close_windows()


def open_signing(panel: ConsentsPanel, qtbot: QtBot) -> SigningWindow:
    qtbot.mouseClick(panel.sign_button, LEFT)
    window = panel.signing
    assert window is not None
    qtbot.waitExposed(window)
    return window


def choose_form(window: SigningWindow, qtbot: QtBot, *, rf: bool) -> None:
    button = next(b for b in window.form_buttons if ("radiofrequency" in b.text()) == rf
                  and "hotograph" not in b.text())
    qtbot.mouseClick(button, LEFT)


def read_and_tick(window: SigningWindow, qtbot: QtBot) -> None:
    reading = window.reading
    assert reading is not None
    assert not reading.pad.isEnabled()
    reading.text_panel.scroll_to_end()
    for box in reading.text_panel.boxes:
        qtbot.mouseClick(box.box, LEFT)
    qtbot.waitUntil(reading.pad.isEnabled, timeout=2000)


def sign_by_mouse(window: SigningWindow, qtbot: QtBot) -> None:
    reading = window.reading
    assert reading is not None
    canvas = reading.pad.canvas
    for stroke in signature_strokes(canvas.width(), canvas.height()):
        draw_with_mouse(canvas, stroke)
    qtbot.mouseClick(reading.sign_button, LEFT)


def countersign(window: SigningWindow, qtbot: QtBot, password: str = PASSWORD) -> None:
    assert window.current_page() == SigningWindow.COUNTERSIGN
    qtbot.keyClicks(window.countersign.password_edit, password)
    qtbot.mouseClick(window.countersign.confirm_button, LEFT)


def standings(panel: ConsentsPanel) -> list[str]:
    model = panel.model
    column = model.column_of(ConsentColumn.STATUS)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_whole_signing_flow_with_the_mouse(panel: ConsentsPanel, desk: FakeConsentDesk,
                                               qtbot: QtBot, qtmodeltester: ModelTester
                                               ) -> None:
    assert panel.stack.currentWidget() is panel.empty
    window = open_signing(panel, qtbot)
    assert window.isFullScreen()
    choose_form(window, qtbot, rf=True)
    assert window.current_page() == SigningWindow.READING
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot)
    assert window.current_page() == SigningWindow.DONE
    kind, (form, patient, counter, replaces) = desk.calls[-1]
    assert kind == "sign" and form.radiofrequency and replaces is None
    assert patient.ink.device.value == "mouse" and patient.png.startswith(b"\x89PNG")
    assert set(patient.acknowledged) == {a.key for a in form.text.acknowledgements}
    assert counter.practitioner_password == PASSWORD and not counter.witness_name
    assert standings(panel) == ["Signed"]
    assert panel.stack.currentWidget() is panel.table
    qtmodeltester.check(panel.model)
    status = panel.model.index(0, panel.model.column_of(ConsentColumn.STATUS))
    assert status.data(Qt.ItemDataRole.DecorationRole) is not None  # icon and word
    # Straight from the done page to the signed PDF, made off the UI thread.
    qtbot.mouseClick(window.open_button, LEFT)
    document = panel.documents[desk.rows[0].consent_id]
    qtbot.waitUntil(lambda: document.viewer.state() == DocumentViewer.DOCUMENT, timeout=20_000)
    assert document.viewer.page_count() >= 2
    document.close()


def test_signing_by_finger_with_a_witness(panel: ConsentsPanel, desk: FakeConsentDesk,
                                          qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    reading = window.reading
    assert reading is not None
    canvas = reading.pad.canvas
    for stroke in signature_strokes(canvas.width(), canvas.height()):
        draw_with_touch(canvas, touch_screen(), stroke)
    qtbot.waitUntil(lambda: not reading.pad.is_blank(), timeout=2000)
    qtbot.mouseClick(reading.sign_button, LEFT)
    panel_ = window.countersign
    qtbot.mouseClick(panel_.witness_box, LEFT)
    assert panel_.witness_part.isVisible()
    panel_.witness_name.setText("Øystein Łukasiewicz")  # keyClicks takes Latin-1 only
    witness = panel_.witness_pad.canvas
    for stroke in signature_strokes(witness.width(), witness.height()):
        draw_with_mouse(witness, stroke)
    countersign(window, qtbot)
    _kind, (_form, patient, counter, _r) = desk.calls[-1]
    assert patient.ink.device.value == "touch"
    assert counter.witness_name == "Øystein Łukasiewicz" and counter.witness_png


def test_a_trivial_mark_is_refused_in_plain_words(panel: ConsentsPanel, desk: FakeConsentDesk,
                                                  qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    reading = window.reading
    assert reading is not None
    draw_with_mouse(reading.pad.canvas, [(100, 100), (101, 100), (101, 101)])
    qtbot.mouseClick(reading.sign_button, LEFT)
    assert window.current_page() == SigningWindow.READING
    assert reading.pad.problem_text()
    assert not desk.calls


def test_a_wrong_password_is_said_and_nothing_is_saved(panel: ConsentsPanel,
                                                       desk: FakeConsentDesk,
                                                       qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot, password="not it")
    assert window.current_page() == SigningWindow.COUNTERSIGN
    assert "password" in window.countersign.problem.text()
    assert window.countersign.password_edit.text() == ""
    assert desk.rows == []
    countersign(window, qtbot)
    assert window.current_page() == SigningWindow.DONE


def test_do_not_treat_blocks_signing_with_the_reasons(panel: ConsentsPanel,
                                                      desk: FakeConsentDesk,
                                                      qtbot: QtBot) -> None:
    desk.blocked[PATIENT] = ("Pregnant or breastfeeding", "Active skin infection")
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=True)
    assert window.current_page() == SigningWindow.GATE
    assert "Active skin infection" in window.gate_page.words.text()
    assert "Do not treat" in window.gate_page.title.text()
    assert window.reading is None


def test_the_patient_declines_with_a_reason(panel: ConsentsPanel, desk: FakeConsentDesk,
                                            qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    reading = window.reading
    assert reading is not None
    qtbot.mouseClick(reading.decline_button, LEFT)
    qtbot.mouseClick(reading.decline_panel.reason_buttons["more_time"], LEFT)
    qtbot.mouseClick(reading.decline_panel.confirm_button, LEFT)
    assert window.current_page() == SigningWindow.COUNTERSIGN  # the practitioner confirms
    assert not window.countersign.witness_box.isVisible()
    countersign(window, qtbot)
    assert window.current_page() == SigningWindow.DONE
    kind, (_form, _acks, reason) = desk.calls[-1]
    assert kind == "decline" and "more time" in reason
    assert standings(panel) == ["Declined"]


def test_withdrawal_needs_a_reason_and_leaves_the_consent_withdrawn(
        panel: ConsentsPanel, desk: FakeConsentDesk, dialogs: FakeDialogService,
        qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot)
    window.close()
    panel.table.selectRow(0)
    assert panel.withdraw_button.isEnabled()
    assert desk.calls[-1][0] == "sign"

    def fill(dialog: object) -> None:
        assert isinstance(dialog, WithdrawDialog)
        qtbot.mouseClick(dialog.withdraw_button, LEFT)
        assert dialog.error.text()  # no reason yet: said under the field, nothing sent
        qtbot.keyClicks(dialog.reason_edit, "Changed her mind after talking to her GP")
        qtbot.mouseClick(dialog.withdraw_button, LEFT)
        assert dialog.password_error.text() and dialog.result() == 0  # no password yet
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        qtbot.mouseClick(dialog.withdraw_button, LEFT)

    dialogs.dialog_scripts.append(fill)
    qtbot.mouseClick(panel.withdraw_button, LEFT)
    assert desk.calls[-1][0] == "withdraw"
    assert standings(panel) == ["Withdrawal", "Withdrawn"]
    assert "withdrawn" in panel.banner.text()
    panel.table.selectRow(1)
    assert not panel.withdraw_button.isEnabled()


def test_reconsent_supersedes_the_old_consent(panel: ConsentsPanel, desk: FakeConsentDesk,
                                              qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot)
    window.close()
    first = desk.rows[0].consent_id
    desk.reconsent.add(first)  # a new version of the form, say
    panel.refresh()
    assert standings(panel) == ["Re-consent needed"]
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.reconsent_button, LEFT)
    again = panel.signing
    assert again is not None and again.form is not None
    window = again
    # straight to the same form, for the patient
    assert window.form is not None and window.form.supersedes == first
    assert window.current_page() == SigningWindow.READING
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot)
    assert desk.calls[-1][1][3] == first
    assert standings(panel) == ["Signed", "Superseded"]
    assert desk.rows[0].standing is ConsentStanding.SUPERSEDED


def test_reception_sees_why_it_cannot_sign(desk: FakeConsentDesk, dialogs: FakeDialogService,
                                           qtbot: QtBot) -> None:
    panel = panel_for(desk, RECEPTION, dialogs, qtbot)
    assert not panel.sign_button.isEnabled()
    assert "practitioner" in panel.sign_button.toolTip()
    assert panel.permission_note.isVisible()
    assert panel.start_signing() is None
    # And the service refuses even if the window were reached.
    window = SigningWindow(desk, RECEPTION, patient_id=PATIENT, patient_name=LONG_NAME)
    qtbot.addWidget(window)
    window.choose(desk.forms(RECEPTION)[0])
    assert window.current_page() == SigningWindow.GATE
    assert window.reading is None
    assert "practitioner" in window.gate_page.words.text()


def test_staff_can_stop_from_the_reading_view_and_nothing_is_recorded(
        panel: ConsentsPanel, desk: FakeConsentDesk, qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    qtbot.mouseClick(window.countersign.cancel_button, LEFT)  # handed back, then cancelled
    assert window.current_page() == SigningWindow.CHOOSE
    choose_form(window, qtbot, rf=False)
    assert window.stop_button.isVisible()
    qtbot.mouseClick(window.stop_button, LEFT)
    assert window.current_page() == SigningWindow.CHOOSE
    assert desk.calls == [] and desk.rows == []


def test_a_pdf_that_cannot_be_made_says_why_and_offers_to_try_again(
        panel: ConsentsPanel, desk: FakeConsentDesk, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from clinic_desk.domain.errors import ClinicDeskError

    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot)
    window.close()

    def broken(actor: object, consent_id: int) -> bytes:
        raise ClinicDeskError("Consent no. 1001 fails its integrity check.")

    monkeypatch.setattr(desk, "pdf", broken)
    panel.table.selectRow(0)
    document = panel.open_selected()
    assert document is not None
    qtbot.waitUntil(lambda: document.viewer.state() == DocumentViewer.ERROR, timeout=10_000)
    assert "integrity check" in document.viewer.error_label.text()
    assert document.viewer.retry_button.isVisibleTo(document)
    assert not document.viewer.print_action.isEnabled()
    document.close()


def test_treatment_room_targets_are_44_px_and_named(panel: ConsentsPanel, qtbot: QtBot
                                                    ) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    window = open_signing(panel, qtbot)
    checked = 0
    for page in (SigningWindow.CHOOSE, SigningWindow.READING, SigningWindow.COUNTERSIGN):
        if page == SigningWindow.READING:
            choose_form(window, qtbot, rf=True)
        window.pages.setCurrentIndex(page)
        window.countersign.witness_box.setChecked(True)
        qtbot.wait(10)
        shown = window.pages.currentWidget()
        assert shown is not None
        for control in shown.findChildren(QAbstractButton) + shown.findChildren(QLineEdit):
            if not control.isVisibleTo(window):
                continue
            checked += 1
            assert control.height() >= 44, (control.text(), control.height())
            assert control.accessibleName() or control.text(), control
    assert checked > 20


def test_signing_with_a_stylus_keeps_its_pressure(panel: ConsentsPanel, desk: FakeConsentDesk,
                                                  qtbot: QtBot) -> None:
    from tests.gui.ink_support import draw_with_stylus, stylus

    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=True)
    read_and_tick(window, qtbot)
    reading = window.reading
    assert reading is not None
    canvas = reading.pad.canvas
    for stroke in signature_strokes(canvas.width(), canvas.height()):
        draw_with_stylus(canvas, stylus(), stroke, [0.3 + 0.4 * (i % 3) / 2
                                                    for i in range(len(stroke))])
    qtbot.mouseClick(reading.sign_button, LEFT)
    countersign(window, qtbot)
    _kind, (_form, patient, _counter, _r) = desk.calls[-1]
    assert patient.ink.device.value == "stylus" and patient.ink.pressure_reported
    pressures = {p.pressure for s in patient.ink.strokes for p in s.points}
    assert len(pressures) > 1 and None not in pressures


def test_closing_the_pdf_window_while_it_is_made_is_safe(
        panel: ConsentsPanel, desk: FakeConsentDesk, qtbot: QtBot) -> None:
    window = open_signing(panel, qtbot)
    choose_form(window, qtbot, rf=False)
    read_and_tick(window, qtbot)
    sign_by_mouse(window, qtbot)
    countersign(window, qtbot)
    window.close()
    panel.table.selectRow(0)
    document = panel.open_selected()
    assert document is not None and document.is_busy()
    task = document.task
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        document.close()  # before the worker is done
    assert ("pdf", desk.rows[0].consent_id) in desk.calls
