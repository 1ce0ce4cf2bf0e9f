"""A list of consents with what can be done to them: sign a new one, open the PDF,
withdraw, re-consent. The chart's Consents tab (one patient) and the Consent forms area
(every patient) are both one of these."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.clearance_step import ClearanceRecorder
from clinic_desk.ui.consents.consent_document import ConsentDocumentWindow
from clinic_desk.ui.consents.consent_model import ConsentColumn, ConsentListModel
from clinic_desk.ui.consents.port import ConsentDesk, ConsentRow
from clinic_desk.ui.consents.signing_window import SigningWindow
from clinic_desk.ui.consents.withdraw_dialog import WithdrawDialog
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import NoticeBanner, label

Loader = Callable[[], list[ConsentRow]]
ROW_HEIGHT = 44
BUTTON_MIN_WIDTH = 100


def practitioners_only() -> str:
    return tr("Only a practitioner can sign, withdraw or renew a consent.")


class ConsentsPanel(QWidget):
    """`patient` (id, name) for one patient's consents; without it, every patient's, and
    signing starts from `choose_patient`."""

    consents_changed = Signal(int)  # patient id

    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, dialogs: DialogService, *,
                 load: Loader, date_format: DateFormat,
                 patient: tuple[int, str] | None = None,
                 choose_patient: Callable[[], tuple[int, str] | None] | None = None,
                 record_clearance: ClearanceRecorder | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._dialogs = dialogs
        self._load = load
        self.patient = patient
        self._choose_patient = choose_patient
        self._record_clearance = record_clearance
        self.may_sign = actor.may(Permission.SIGN_CONSENT)
        self.signing: SigningWindow | None = None
        self.documents: dict[int, ConsentDocumentWindow] = {}
        self.model = ConsentListModel(date_format, with_patient=patient is None, parent=self)
        self.banner = NoticeBanner()
        self.table = QTableView()
        self._set_up_table()
        self.sign_button = self._button("file-signature", tr("Sign a consent…"),
                                        self.start_signing, primary=True)
        self.open_button = self._button("file-text", tr("Open PDF"), self.open_selected)
        self.withdraw_button = self._button("undo-2", tr("Withdraw…"), self.withdraw_selected)
        self.reconsent_button = self._button("refresh-cw", tr("Re-consent…"),
                                             self.reconsent_selected)
        self.permission_note = label("" if self.may_sign else practitioners_only(), "hint")
        self.permission_note.setVisible(not self.may_sign)
        self.empty = CalmEmptyState("file-signature", tr("No consents yet"), tr(
            "Signed and declined consent forms appear here, each frozen exactly as it was "
            "signed, with its PDF to print or save."))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.sign_button, self.open_button, self.withdraw_button,
                       self.reconsent_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        column.setSpacing(8)
        column.addLayout(buttons)
        column.addWidget(self.permission_note)
        column.addWidget(self.banner)
        column.addWidget(self.stack, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._refresh_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.refresh()

    def _button(self, icon_name: str, text: str, slot: Callable[[], object], *,
                primary: bool = False) -> QPushButton:
        button = QPushButton(icon(icon_name), text)
        button.setProperty("primary", primary)
        button.setAccessibleName(text.rstrip("…"))
        # Full words whenever the window allows (1024 px wide and up); narrower than the
        # main window's minimum, they shorten rather than push the window wider.
        button.setMinimumSize(BUTTON_MIN_WIDTH, ROW_HEIGHT)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName(tr("Consents"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        table.setIconSize(QSize(18, 18))
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        model = self.model
        header.setSectionResizeMode(model.column_of(ConsentColumn.FORM),
                                    QHeaderView.ResizeMode.Stretch)
        for column, width in ((ConsentColumn.NUMBER, 56), (ConsentColumn.PATIENT, 240),
                              (ConsentColumn.STATUS, 190), (ConsentColumn.SIGNED, 150),
                              (ConsentColumn.NOTE, 220)):
            if model.column_of(column) >= 0:
                header.resizeSection(model.column_of(column), width)

    # --- the list -------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected()
        try:
            rows = self._load()
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            rows = []
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        if selected is not None and (n := self.model.row_of(selected.consent_id)) >= 0:
            self.table.selectRow(n)
        self._refresh_buttons()

    def selected(self) -> ConsentRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_consent(self, consent_id: int) -> None:
        n = self.model.row_of(consent_id)
        if n >= 0:
            self.table.selectRow(n)

    def _refresh_buttons(self) -> None:
        row = self.selected()
        reason = "" if self.may_sign else practitioners_only()
        self.sign_button.setEnabled(self.may_sign)
        self.open_button.setEnabled(row is not None)
        self.withdraw_button.setEnabled(self.may_sign and row is not None and row.may_withdraw)
        self.reconsent_button.setEnabled(self.may_sign and row is not None
                                         and row.may_reconsent)
        for button in (self.sign_button, self.withdraw_button, self.reconsent_button):
            button.setToolTip(reason)

    # --- actions --------------------------------------------------------------------------

    def start_signing(self, *, replaces: ConsentRow | None = None) -> SigningWindow | None:
        if not self.may_sign:
            return None
        if replaces is not None:
            patient: tuple[int, str] | None = (replaces.patient_id, replaces.patient_name)
        elif self.patient is not None:
            patient = self.patient
        else:
            patient = self._choose_patient() if self._choose_patient else None
        if patient is None:
            return None
        if self.signing is not None:
            self.signing.close()
        window = SigningWindow(self._desk, self._actor, patient_id=patient[0],
                               patient_name=patient[1],
                               form_key=replaces.template_key if replaces else None,
                               record_clearance=self._record_clearance)
        window.consent_saved.connect(self._saved)
        window.open_requested.connect(self._open_saved)
        window.destroyed.connect(lambda _o=None: setattr(self, "signing", None))
        self.signing = window
        window.showFullScreen()
        return window

    def _saved(self, row: ConsentRow) -> None:
        self.refresh()
        self.select_consent(row.consent_id)
        self.consents_changed.emit(row.patient_id)

    def _open_saved(self, row: ConsentRow) -> None:
        self.select_consent(row.consent_id)
        self.open_selected()

    def open_selected(self) -> ConsentDocumentWindow | None:
        row = self.selected()
        if row is None:
            return None
        window = self.documents.get(row.consent_id)
        if window is None:
            window = ConsentDocumentWindow(self._desk, self._actor, self._dialogs, row)
            self.documents[row.consent_id] = window
            window.destroyed.connect(
                lambda _o=None, n=row.consent_id: self.documents.pop(n, None))
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def withdraw_selected(self) -> None:
        row = self.selected()
        if row is None or not self.may_sign:
            return
        dialog = WithdrawDialog(self._desk, self._actor, row, parent=self)
        self._dialogs.run(dialog)
        if dialog.withdrawn is not None:
            self.banner.show_message("success", tr(
                "Consent no. {number} was withdrawn; the withdrawal is no. {new}.").format(
                    number=row.consent_id, new=dialog.withdrawn.consent_id))
            self.refresh()
            self.consents_changed.emit(row.patient_id)

    def reconsent_selected(self) -> SigningWindow | None:
        row = self.selected()
        if row is None:
            return None
        return self.start_signing(replaces=row)

    def close_windows(self) -> None:
        if self.signing is not None:
            self.signing.close()
        for window in list(self.documents.values()):
            window.close()
