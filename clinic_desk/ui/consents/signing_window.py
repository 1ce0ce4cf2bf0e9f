"""Signing a consent in the treatment room, full screen: the form and today's screening,
the patient's reading view and signature (or decline), the practitioner's countersignature.

Pages, in order: choose the form (with or without RF) → screening for today (blocked
with reasons, or on) → the patient reads, ticks and signs, or declines → the
practitioner countersigns → done. The services decide who may sign; this window only
shows it and reports what they said.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.screening import Finding
from clinic_desk.domain.signature import SignatureInk
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.clearance_step import ClearanceRecorder
from clinic_desk.ui.consents.countersign_panel import CountersignPanel
from clinic_desk.ui.consents.decline_panel import DeclineReason
from clinic_desk.ui.consents.port import (
    ConsentDesk,
    ConsentRow,
    Countersignature,
    FormChoice,
    PatientSignature,
    SigningForm,
)
from clinic_desk.ui.consents.reading_parts import TOUCH_TARGET, plain_label
from clinic_desk.ui.consents.reading_view import ConsentReadingView
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import icon_label, primary_button

FORM_BUTTON_HEIGHT = 72


def form_button_text(form: FormChoice) -> str:
    rf = tr("with radiofrequency (RF)") if form.radiofrequency else tr("without RF")
    return tr("{title} — {rf} · version {version}").format(
        title=form.title, rf=rf, version=form.template_version)


class _MessagePage(QWidget):
    """An icon and a title, words under them, buttons underneath: centred on the screen."""

    def __init__(self) -> None:
        super().__init__()
        self.icon = icon_label("info", Tone.NORMAL, 48)
        self.title = plain_label("", "pageTitle")
        self.words = plain_label("", "readingBody")
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(16)
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.title, 1, Qt.AlignmentFlag.AlignVCenter)
        block = QWidget()
        block.setMaximumWidth(760)
        inner = QVBoxLayout(block)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(20)
        inner.addLayout(head)
        inner.addWidget(self.words)
        self.extra = QVBoxLayout()  # actions that lift what is shown (a clearance)
        self.extra.setSpacing(8)
        inner.addLayout(self.extra)
        inner.addSpacing(12)
        inner.addLayout(self.buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(block, 4)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addLayout(row)
        column.addStretch(2)

    def show_message(self, icon_name: str, tone: Tone, title: str, words: str) -> None:
        self.icon.setPixmap(icon(icon_name, tone).pixmap(48, 48))
        self.title.setText(title)
        self.words.setText(words)


class SigningWindow(QWidget):
    """Give it the patient; `consent_saved(row)` once a consent is signed or declined."""

    consent_saved = Signal(object)  # ConsentRow, signed or declined
    open_requested = Signal(object)  # ConsentRow: show its PDF

    CHOOSE, GATE, READING, COUNTERSIGN, DONE = range(5)

    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, *, patient_id: int,
                 patient_name: str, form_key: str | None = None,
                 record_clearance: ClearanceRecorder | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("signingWindow")
        self._desk = desk
        self._actor = actor
        self.patient_id = patient_id
        self.patient_name = patient_name
        self.declined_reason: DeclineReason | None = None
        self._record_clearance = record_clearance
        self.clearance_buttons: list[QPushButton] = []
        self.form: SigningForm | None = None
        self.patient_signature: PatientSignature | None = None
        self.saved: ConsentRow | None = None
        self.reading: ConsentReadingView | None = None
        self.setWindowTitle(tr("Consent for {name} — Clinic Desk").format(name=patient_name))
        self.pages = QStackedWidget()
        self.choose_page = self._choose_page()
        self.gate_page = _MessagePage()
        self.reading_holder = QWidget()
        reading_column = QVBoxLayout(self.reading_holder)
        reading_column.setContentsMargins(0, 0, 0, 0)
        reading_column.setSpacing(0)
        # For staff, out of the patient's way: leave without anything being recorded.
        self.stop_button = QPushButton(icon("x"), tr("Staff: stop, nothing is recorded"))
        self.stop_button.setObjectName("staffStop")
        self.stop_button.setAccessibleName(tr("Stop signing; nothing is recorded"))
        self.stop_button.setProperty("link", True)
        self.stop_button.setMinimumHeight(TOUCH_TARGET)
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stop_button.clicked.connect(self._cancel_signing)
        stop_row = QHBoxLayout()
        stop_row.setContentsMargins(0, 4, 12, 0)
        stop_row.addStretch(1)
        stop_row.addWidget(self.stop_button)
        reading_column.addLayout(stop_row)
        self.countersign = CountersignPanel(actor.full_name)
        self.done_page = _MessagePage()
        countersign_page = QWidget()
        row = QHBoxLayout(countersign_page)
        row.addStretch(1)
        row.addWidget(self.countersign, 3)
        row.addStretch(1)
        for page in (self.choose_page, self.gate_page, self.reading_holder, countersign_page,
                     self.done_page):
            self.pages.addWidget(page)
        self.back_button = QPushButton(icon("chevron-left"), tr("Back to the forms"))
        self.back_button.setAccessibleName(tr("Back to the forms"))
        self.close_button = primary_button(tr("Close"), "x")
        self.close_button.setAccessibleName(tr("Close the signing window"))
        for button in (self.back_button, self.close_button):
            button.setMinimumHeight(TOUCH_TARGET)
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(self.CHOOSE))
        self.close_button.clicked.connect(self.close)
        self.gate_page.buttons.addWidget(self.back_button)
        self.gate_page.buttons.addStretch(1)
        self.gate_page.buttons.addWidget(self.close_button)
        self.done_button = primary_button(tr("Close"), "circle-check")
        self.done_button.setAccessibleName(tr("Close the signing window"))
        self.done_button.setMinimumHeight(TOUCH_TARGET)
        self.done_button.clicked.connect(self.close)
        self.open_button = QPushButton(icon("file-text"), tr("Open the PDF"))
        self.open_button.setAccessibleName(tr("Open the signed PDF"))
        self.open_button.setMinimumHeight(TOUCH_TARGET)
        self.open_button.clicked.connect(self._open_saved)
        self.done_page.buttons.addWidget(self.open_button)
        self.done_page.buttons.addStretch(1)
        self.done_page.buttons.addWidget(self.done_button)
        # The reading view keeps its own margins; the staff pages get theirs here.
        for page in (self.choose_page, self.gate_page, countersign_page, self.done_page):
            page.setContentsMargins(24, 18, 24, 18)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.pages)
        self.countersign.countersigned.connect(self._countersigned)
        self.countersign.cancelled.connect(self._cancel_signing)
        escape = QShortcut(QKeySequence("Ctrl+W"), self)
        escape.activated.connect(self.close)
        self._load_forms()
        chosen = next((f for f in self.forms if f.template_key == form_key), None)
        if chosen is not None:  # re-consent: the same form again
            self.choose(chosen)

    # --- choosing the form ---------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(16)
        column.addWidget(plain_label(tr("Which consent does {name} sign today?").format(
            name=self.patient_name), "pageTitle"))
        column.addWidget(plain_label(tr(
            "Today's screening is checked first. Then hand the screen to the patient: they "
            "read the form, tick each statement and sign with a finger or the pen."),
            "readingBody"))
        self.form_buttons_column = QVBoxLayout()
        self.form_buttons_column.setSpacing(12)
        column.addLayout(self.form_buttons_column)
        self.choose_problem = plain_label("", "fieldError")
        column.addWidget(self.choose_problem)
        column.addStretch(1)
        cancel = QPushButton(icon("x"), tr("Cancel"))
        cancel.setAccessibleName(tr("Cancel: nothing is signed"))
        cancel.setMinimumHeight(TOUCH_TARGET)
        cancel.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        column.addLayout(buttons)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.addStretch(1)
        row.addWidget(page, 4)
        row.addStretch(1)
        return holder

    def _load_forms(self) -> None:
        self.form_buttons: list[QPushButton] = []
        self.forms: list[FormChoice] = []
        try:
            forms = self.forms = self._desk.forms(self._actor)
        except ClinicDeskError as exc:
            self.choose_problem.setText(message_for(exc))
            return
        for form in forms:
            button = QPushButton(icon("file-signature"), form_button_text(form))
            button.setObjectName("formChoice")
            button.setAccessibleName(form_button_text(form))
            button.setMinimumHeight(FORM_BUTTON_HEIGHT)
            button.clicked.connect(lambda _c=False, f=form: self.choose(f))
            self.form_buttons_column.addWidget(button)
            self.form_buttons.append(button)
        if not forms:
            self.choose_problem.setText(tr("No consent form is published. An administrator "
                                           "publishes one under Consent forms › Templates."))

    def choose(self, form: FormChoice) -> None:
        """Screening for today first; then the patient's reading view."""
        try:
            prepared = self._desk.prepare(self._actor, self.patient_id, form.template_key)
        except ClinicDeskError as exc:
            self._show_blocked(tr("This consent cannot be signed"), (message_for(exc),))
            return
        if not prepared.can_sign:
            # Only findings a clearance lifts: a warning, not a stop.
            lifted = len(prepared.clearable) == len(prepared.blockers)
            self._show_blocked(tr("This consent cannot be signed today: {status}").format(
                status=prepared.screening_word) if prepared.screening_word
                else tr("This consent cannot be signed today"), prepared.blockers,
                warning=lifted)
            self._offer_clearances(form, prepared)
            return
        self.form = prepared
        self._start_reading(prepared)

    def _offer_clearances(self, form: FormChoice, prepared: SigningForm) -> None:
        """A button per finding that a recorded clearance lifts; once recorded, the
        screening runs again."""
        if self._record_clearance is None:
            return
        for finding in prepared.clearable:
            button = QPushButton(icon("badge-check"), tr("Record a clearance: {title}…")
                                 .format(title=finding.title))
            button.setAccessibleName(tr("Record a clearance for {title}").format(
                title=finding.title))
            button.setMinimumHeight(TOUCH_TARGET)
            button.clicked.connect(
                lambda _c=False, f=finding: self._clear(form, f, prepared.radiofrequency))
            self.gate_page.extra.addWidget(button)
            self.clearance_buttons.append(button)

    def _clear(self, form: FormChoice, finding: Finding, uses_rf: bool) -> None:
        assert self._record_clearance is not None
        if self._record_clearance(self, self.patient_id, self.patient_name, finding, uses_rf):
            self.choose(form)

    def _show_blocked(self, title: str, reasons: tuple[str, ...], *,
                      warning: bool = False) -> None:
        for button in self.clearance_buttons:
            button.deleteLater()
        self.clearance_buttons = []
        words = "\n".join(f"• {reason}" for reason in reasons)
        if self._record_clearance is None and any("clearance" in r for r in reasons):
            words += "\n\n" + tr("Record the clearance in the Screening tab of the chart, "
                                 "then start again.")
        if warning:
            self.gate_page.show_message("triangle-alert", Tone.WARNING, title, words)
        else:
            self.gate_page.show_message("octagon-x", Tone.DANGER, title, words)
        self.pages.setCurrentIndex(self.GATE)

    # --- the patient's part ----------------------------------------------------------------

    def _start_reading(self, form: SigningForm) -> None:
        if self.reading is not None:
            self.reading.deleteLater()
        self.reading = ConsentReadingView(form.text, patient_name=form.patient_name)
        # Short enough for the pad on a 1024×768 screen; the line above it says the rest.
        self.reading.pad.set_hints(disabled=tr("Read to the end and tick each statement "
                                               "first."))
        layout = self.reading_holder.layout()
        assert layout is not None
        layout.addWidget(self.reading)
        self.reading.consent_signed.connect(self._patient_signed)
        self.reading.consent_declined.connect(self._patient_declined)
        focused = self.focusWidget()
        if focused is not None:  # no focus ring where the patient would take it for a choice
            focused.clearFocus()
        self.pages.setCurrentIndex(self.READING)

    def _patient_signed(self, acknowledged: tuple[str, ...], ink: SignatureInk,
                        png: bytes) -> None:
        self.patient_signature = PatientSignature(tuple(acknowledged), ink, png)
        self.declined_reason = None
        self.countersign.set_declining(False)
        self.pages.setCurrentIndex(self.COUNTERSIGN)
        self.countersign.password_edit.setFocus()

    def _patient_declined(self, reason: DeclineReason) -> None:
        self.declined_reason = reason
        self.patient_signature = None
        self.countersign.set_declining(True)
        self.pages.setCurrentIndex(self.COUNTERSIGN)
        self.countersign.password_edit.setFocus()

    def _cancel_signing(self) -> None:
        self.patient_signature = None
        self.declined_reason = None
        self.pages.setCurrentIndex(self.CHOOSE)

    def _countersigned(self, countersignature: Countersignature) -> None:
        form, reading = self.form, self.reading
        assert form is not None and reading is not None
        self.countersign.set_busy(True)
        try:
            if self.declined_reason is not None:
                row = self._desk.decline(self._actor, form, reading.ticked_keys(),
                                         self.declined_reason.text or tr("No reason given"),
                                         countersignature.practitioner_password)
            else:
                assert self.patient_signature is not None
                row = self._desk.sign(self._actor, form, self.patient_signature,
                                      countersignature)
        except ClinicDeskError as exc:
            self.countersign.set_busy(False)
            self.countersign.show_problem(message_for(exc))
            return
        if self.declined_reason is not None:
            self._finished(row, "hand", Tone.NORMAL, tr("Recorded: the patient declined"), tr(
                "Consent no. {number} records that {name} chose not to sign. Nothing is "
                "treated on it.").format(number=row.consent_id, name=row.patient_name))
            return
        replaced = tr(" It replaces consent no. {number}.").format(number=form.supersedes) \
            if form.supersedes else ""
        self._finished(row, "badge-check", Tone.SUCCESS, tr("Signed and saved"), tr(
            "Consent no. {number} for {name} is signed and frozen: it can be opened, printed "
            "or saved as a PDF from the Consents tab.").format(
                number=row.consent_id, name=row.patient_name) + replaced)

    def _finished(self, row: ConsentRow, icon_name: str, tone: Tone, title: str,
                  words: str) -> None:
        self.saved = row
        self.done_page.show_message(icon_name, tone, title, words)
        self.pages.setCurrentIndex(self.DONE)
        self.consent_saved.emit(row)

    def _open_saved(self) -> None:
        if self.saved is not None:
            self.open_requested.emit(self.saved)
            self.close()

    def current_page(self) -> int:
        return self.pages.currentIndex()
