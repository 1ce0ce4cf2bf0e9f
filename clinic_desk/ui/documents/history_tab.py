"""The chart's Documents tab: every document handed to the patient, newest first; any one
reopens exactly as it was handed out; a pre-care sheet is made from here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.catalogue_treatment import protocol
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.documents import (
    DocumentKind,
    DocumentService,
    GeneratedDocument,
    HandedOutView,
    HandOut,
)
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import SessionView
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.documents.document_window import PatientDocumentWindow
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.table_model import AnyIndex, ReadOnlyTableModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import TOUCH_PX, enable_finger_scrolling, touch_buttons
from clinic_desk.ui.widgets import NoticeBanner, label


class DocumentColumn(IntEnum):
    WHEN = 0
    DOCUMENT = 1
    HOW = 2
    BY = 3


def kind_words(kind: DocumentKind) -> str:
    return {
        DocumentKind.CONSENT: tr("Consent copy"),
        DocumentKind.AFTERCARE: tr("Aftercare sheet"),
        DocumentKind.PRECARE: tr("Pre-care sheet"),
    }[kind]


def how_words(how: HandOut) -> str:
    return tr("Printed") if how is HandOut.PRINTED else tr("Saved as PDF")


def _area_label(key: str) -> str:
    try:
        return protocol().area(key).label
    except KeyError:
        return key.replace("_", " ").capitalize()


def session_words(session: SessionView, date_format: DateFormat) -> str:
    """"30/11/2026 · Cheeks, Forehead · with RF" for the aftercare menu."""
    areas = ", ".join(dict.fromkeys(_area_label(a.area) for a in session.settings.areas))
    rf = tr("with RF") if session.uses_rf else tr("without RF")
    return f"{format_date(session.session_date, date_format)} · {areas} · {rf}"


KIND_ICONS = {DocumentKind.CONSENT: "file-signature", DocumentKind.AFTERCARE: "file-text",
              DocumentKind.PRECARE: "clipboard-list"}
HOW_ICONS = {HandOut.PRINTED: "printer", HandOut.SAVED: "save"}


class HandedOutModel(ReadOnlyTableModel):
    def __init__(self, date_format: DateFormat, time_zone: str,
                 parent: QObject | None = None) -> None:
        super().__init__([tr("When"), tr("Document"), tr("How"), tr("By")], parent)
        self._date_format = date_format
        self._zone = ZoneInfo(time_zone)
        self.rows: list[HandedOutView] = []

    def set_rows(self, rows: list[HandedOutView]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], DocumentColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column is DocumentColumn.DOCUMENT:
                return icon(KIND_ICONS[row.kind])
            if column is DocumentColumn.HOW:
                return icon(HOW_ICONS[row.how])
        if role == Qt.ItemDataRole.ToolTipRole and column is DocumentColumn.DOCUMENT:
            return tr("SHA-256 of the PDF: {hash}").format(hash=row.content_sha256)
        return None

    def _text(self, row: HandedOutView, column: DocumentColumn) -> str:
        match column:
            case DocumentColumn.WHEN:
                local = row.handed_at.astimezone(self._zone)
                return f"{format_date(local.date(), self._date_format)} {local:%H:%M}"
            case DocumentColumn.DOCUMENT:
                return tr("{kind}, version {version}").format(kind=kind_words(row.kind),
                                                              version=row.template_version)
            case DocumentColumn.HOW:
                return how_words(row.how)
            case DocumentColumn.BY:
                return row.handed_by


class DocumentsTab(QWidget):
    """`refresh()` reads the history; the windows it opens record their own hand-outs."""

    handed_out = Signal(object)  # HandedOutView

    def __init__(self, documents: DocumentService, actor: SignedInStaff,
                 dialogs: DialogService, *, patient_id: int, patient_name: str,
                 date_format: DateFormat, time_zone: str,
                 list_sessions: Callable[[], Sequence[SessionView]] = lambda: (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._list_sessions = list_sessions
        self._date_format = date_format
        self._documents = documents
        self._actor = actor
        self._dialogs = dialogs
        self.patient_id = patient_id
        self.patient_name = patient_name
        self.windows: list[PatientDocumentWindow] = []
        self.model = HandedOutModel(date_format, time_zone, self)
        self.banner = NoticeBanner()
        self.precare_button = QPushButton(icon("clipboard-list"), tr("Pre-care sheet…"))
        self.precare_button.setAccessibleName(tr("Make a pre-care sheet"))
        self.precare_button.setToolTip(tr(
            "What to avoid before the first session and how to arrive, to print or save."))
        self.aftercare_button = QPushButton(icon("file-text"), tr("Aftercare sheet"))
        self.aftercare_button.setAccessibleName(tr("Make an aftercare sheet for a session"))
        self.aftercare_button.setToolTip(tr(
            "The aftercare sheet for what was done in one of this patient's sessions."))
        self.aftercare_menu = QMenu(self.aftercare_button)
        self.aftercare_menu.aboutToShow.connect(self._fill_aftercare_menu)
        self.aftercare_button.setMenu(self.aftercare_menu)
        self.with_rf = QCheckBox(tr("With RF"))
        self.with_rf.setAccessibleName(tr("The session will use radiofrequency (RF)"))
        self.with_rf.setMinimumHeight(TOUCH_PX)
        self.open_button = QPushButton(icon("file-text"), tr("Open"))
        self.open_button.setAccessibleName(tr("Open the selected document"))
        self.open_button.setEnabled(False)
        self.open_button.setToolTip(tr("Choose a document in the list first."))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Documents handed out"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(TOUCH_PX)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        enable_finger_scrolling(self.table)
        self.empty = CalmEmptyState(
            "file-text", tr("Nothing handed out yet"),
            tr("Every consent copy, aftercare sheet and pre-care sheet printed or saved for "
               "this patient is listed here, and reopens exactly as it was handed out."))
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.table)
        self._lay_out()
        self.precare_button.clicked.connect(self.make_precare)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        touch_buttons(self)

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(label(tr("Documents handed out"), "sectionTitle", wrap=False))
        bar.addStretch(1)
        bar.addWidget(self.aftercare_button)
        bar.addWidget(self.with_rf)
        bar.addWidget(self.precare_button)
        bar.addWidget(self.open_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 12, 12, 12)
        column.setSpacing(10)
        column.addLayout(bar)
        column.addWidget(self.banner)
        column.addWidget(self.pages, 1)

    def refresh(self) -> None:
        try:
            rows = self._documents.history(self._actor, self.patient_id)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.model.set_rows(rows)
        self.pages.setCurrentWidget(self.table if rows else self.empty)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.open_button.setToolTip("" if chosen else tr("Choose a document in the list first."))

    def selected(self) -> HandedOutView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def make_precare(self) -> PatientDocumentWindow:
        documents, actor, patient_id = self._documents, self._actor, self.patient_id
        uses_rf = self.with_rf.isChecked()
        return self._open_window(
            tr("Pre-care sheet for {name}").format(name=self.patient_name),
            tr("Preparing the pre-care sheet…"),
            lambda: documents.precare(actor, patient_id, uses_rf=uses_rf))

    def _fill_aftercare_menu(self) -> None:
        self.aftercare_menu.clear()
        try:
            sessions = list(self._list_sessions())
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            sessions = []
        if not sessions:
            none = self.aftercare_menu.addAction(tr("No signed-off session yet"))
            none.setEnabled(False)
            return
        for session in sorted(sessions, key=lambda s: s.signed_off_at, reverse=True)[:12]:
            action = self.aftercare_menu.addAction(session_words(session, self._date_format))
            action.triggered.connect(
                lambda _checked=False, i=session.session_id: self.make_aftercare(i))

    def make_aftercare(self, session_id: int, *, print_it: bool = False
                       ) -> PatientDocumentWindow:
        """The session's aftercare sheet in a window; `print_it` goes straight on to the
        print dialog once it is made."""
        documents, actor = self._documents, self._actor
        return self._open_window(
            tr("Aftercare sheet for {name}").format(name=self.patient_name),
            tr("Preparing the aftercare sheet…"),
            lambda: documents.aftercare(actor, session_id), print_it=print_it)

    def open_selected(self) -> PatientDocumentWindow | None:
        chosen = self.selected()
        if chosen is None:
            return None
        documents, actor = self._documents, self._actor
        return self._open_window(
            tr("{kind} for {name}").format(kind=kind_words(chosen.kind), name=self.patient_name),
            tr("Opening the document…"),
            lambda: documents.reopen(actor, chosen.document_id))

    def _open_window(self, title: str, busy: str, make: Callable[[], GeneratedDocument],
                     *, print_it: bool = False) -> PatientDocumentWindow:
        window = PatientDocumentWindow(self._documents, self._actor, self._dialogs,
                                       title=title, busy_text=busy, make=make,
                                       print_when_made=print_it)
        window.handed_out.connect(self._recorded)
        window.destroyed.connect(lambda _o=None, w=window: self._forget(w))
        self.windows.append(window)
        window.show()
        return window

    def _forget(self, window: PatientDocumentWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def _recorded(self, view: HandedOutView) -> None:
        self.refresh()
        self.banner.show_message("success", tr("{kind} recorded as {how}.").format(
            kind=kind_words(view.kind), how=how_words(view.how).lower()))
        self.handed_out.emit(view)
