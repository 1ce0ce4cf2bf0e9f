"""The Patients area: find anyone as you type, register someone new, open their chart."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.search_carry import carried_search
from clinic_desk.services.dto import ClinicProfileView, SignedInStaff
from clinic_desk.services.patient_dto import SearchPage
from clinic_desk.ui.consents.port import ConsentDesk
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.chart import ChartWindows
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.patients.search_model import PatientColumn, PatientSearchModel
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import NoticeBanner, label

MAX_QUOTED = 40


def native(shortcut: str) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


class PatientsPage(QWidget):
    def __init__(self, services: DeskServices, actor: SignedInStaff, dialogs: DialogService,
                 parent: QWidget | None = None, *, consents: ConsentDesk | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self._dialogs = dialogs
        profile = self._profile()
        self._date_format = profile.date_format if profile else DateFormat.DAY_MONTH_YEAR_SLASH
        self._country = profile.country if profile else ""
        self.charts = ChartWindows(services, actor, dialogs, date_format=self._date_format,
                                   time_zone=profile.time_zone if profile else "UTC",
                                   country=self._country, consents=consents, parent=self)
        self.charts.patient_changed.connect(lambda _id: self.refresh())
        self.banner = NoticeBanner()
        self.model = PatientSearchModel(
            self._search, self._date_format, self, consent_flags=None if consents is None
            else lambda ids: consents.reconsent_needed(actor, ids))
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("patientSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(tr(
            "Find a patient: name, phone, date of birth ({format}) or patient number"
        ).format(format=self._date_format.value))
        self.search_edit.setAccessibleName(tr("Find a patient"))
        self.search_edit.setToolTip(tr(
            "Type any part of a name (accents optional), a phone number in any format, a date "
            "of birth or a patient number. Down and Up move in the list, Enter opens the "
            "chart, Escape clears. ({shortcut} from anywhere)").format(shortcut=native("Ctrl+F")))
        self.status_label = label("", "hint", wrap=False)
        self.register_link = QPushButton(
            tr("Register a new patient ({shortcut})").format(shortcut=native("Ctrl+N")))
        self.register_link.setProperty("link", True)
        self.register_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.table = QTableView()
        self._set_up_table()
        self.empty_state = CalmEmptyState(
            "users", tr("No patients yet"),
            tr("Register the clinic's first patient: name, date of birth and phone are all "
               "it takes. Their medical history and screening follow from their chart."),
            action_text=tr("Register a new patient ({shortcut})").format(
                shortcut=native("Ctrl+N")),
            action_icon="user-plus")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_state)
        self.toolbar = QToolBar(tr("Patient actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(18, 18))
        self.register_action = self._action("user-plus", tr("Register new patient…"),
                                            self.register_patient, "Ctrl+N",
                                            tr("Register a new patient"))
        self.open_action = self._action("folder-open", tr("Open chart"), self.open_selected,
                                        "", tr("Open the selected patient's chart"))
        self.open_action.setToolTip(tr("Open the selected patient's chart (Enter)"))
        self.archived_action = self._action(
            "archive", tr("Show archived"), self.refresh, "Ctrl+Shift+A",
            tr("List archived patients instead of current ones, to look them up or restore "
               "them"))
        self.archived_action.setCheckable(True)
        self.session_action = self._action(
            "syringe", tr("Record a session…"), self.record_session, "Ctrl+Shift+S",
            tr("Record a treatment session for the selected patient"))
        if not actor.may(Permission.RECORD_TREATMENT):  # practitioners record sessions
            self.toolbar.removeAction(self.session_action)
            self.session_action.setVisible(False)
        self._lay_out()
        self.search_edit.textChanged.connect(self._search_typed)
        self.search_edit.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.register_link.clicked.connect(self.register_patient)
        if self.empty_state.action_button is not None:
            self.empty_state.action_button.clicked.connect(self.register_patient)
        self.model.rowsInserted.connect(lambda *_a: self._show_status())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.search("")

    def _profile(self) -> ClinicProfileView | None:
        try:
            return self._services.clinic.profile()
        except ClinicDeskError:
            return None

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(40)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PatientColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in ((PatientColumn.NUMBER, 120), (PatientColumn.DATE_OF_BIRTH, 140),
                              (PatientColumn.AGE, 70), (PatientColumn.PHONE, 200),
                              (PatientColumn.CONSENT, 190)):
            table.setColumnWidth(column, width)
        table.setAccessibleName(tr("Patients found"))

    def date_format(self) -> DateFormat:
        return self._date_format

    def _action(self, icon_name: str, text: str, slot: Callable[[], None], shortcut: str,
                tip: str) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setIconText(text)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Wherever the focus is in the window (the navigation list too).
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            tip = f"{tip} ({native(shortcut)})"
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def _lay_out(self) -> None:
        title_row = QHBoxLayout()
        title_row.addWidget(label(tr("Patients"), "pageTitle"), 1)
        title_row.addWidget(self.toolbar)
        status_row = QHBoxLayout()
        status_row.setSpacing(6)
        status_row.addWidget(self.status_label)
        status_row.addWidget(self.register_link)
        status_row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 16)
        column.setSpacing(10)
        column.addLayout(title_row)
        column.addWidget(self.banner)
        column.addWidget(self.search_edit)
        column.addLayout(status_row)
        column.addWidget(self.stack, 1)
        self.search_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # --- searching -----------------------------------------------------------------------

    def _search(self, text: str, after: object) -> SearchPage:
        try:
            return self._services.patients.search(
                self._actor, text, after=after, archived=self.showing_archived()  # type: ignore[arg-type]
            )
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return SearchPage((), None)

    def _search_typed(self, text: str) -> None:
        self.banner.clear()  # the person's next action: the last message has been seen
        self.search(text)

    def search(self, text: str) -> None:
        self.banner.clear_problem()
        self.model.set_query(text)
        self._show_status()
        self._update_actions()

    def refresh(self) -> None:
        """Runs the current search again, keeping the selected patient selected."""
        selected = self.selected_patient_id()
        self.search(self.search_edit.text())
        if selected is None:
            return
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).patient_id == selected:
                self.table.selectRow(row)
                return

    def selected_patient_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).patient_id if rows else None

    def patients_changed(self, patient_ids: set[int]) -> None:
        """Another window or workstation changed these patients: show it."""
        self.refresh()
        self.charts.reload(patient_ids)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def showing_archived(self) -> bool:
        return self.archived_action.isChecked()

    def set_clinic_profile(self, profile: ClinicProfileView) -> None:
        self._date_format = profile.date_format
        self._country = profile.country
        self.charts.set_country(profile.country)
        self.model.set_date_format(profile.date_format)
        self.charts.set_date_format(profile.date_format)

    def _show_status(self) -> None:
        text = self.search_edit.text()
        rows = self.model.rowCount()
        more = self.model.canFetchMore()
        no_match = bool(text.strip()) and rows == 0 and self.model.hint() is None
        self.register_link.setVisible(no_match)
        archived = self.showing_archived()
        empty_clinic = not text.strip() and rows == 0 and not archived
        self.register_link.setVisible(no_match and not archived)
        self.stack.setCurrentWidget(self.empty_state if empty_clinic else self.table)
        hint = self.model.hint()
        if archived and not text.strip():
            total = self._count()
            self.status_label.setText(
                tr("No archived patients.") if total == 0
                else tr("1 archived patient") if total == 1
                else tr("{count} archived patients, by family name").format(count=total))
        elif archived and rows == 0 and not hint:
            self.status_label.setText(tr("No archived patient matches “{text}”.").format(
                text=quoted(text)))
        elif hint:
            self.status_label.setText(tr(hint))
        elif no_match:
            self.status_label.setText(tr("No patient matches “{text}”.").format(
                text=quoted(text)) + " —")
        elif not text.strip():
            total = self._count()
            self.status_label.setText(
                "" if total == 0 else tr("1 patient") if total == 1
                else tr("{count} patients, by family name").format(count=total))
        elif more:
            self.status_label.setText(tr(
                "More than {count} patients match: keep typing to narrow it down."
            ).format(count=rows))
        else:
            self.status_label.setText(tr("1 patient matches") if rows == 1
                                      else tr("{count} patients match").format(count=rows))

    def _count(self) -> int:
        try:
            return self._services.patients.count(self._actor, archived=self.showing_archived())
        except ClinicDeskError:
            return self.model.rowCount()

    # --- keyboard ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if watched is self.search_edit:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown,
                           Qt.Key.Key_PageUp):
                    self._move(key)
                    return True
                if key == Qt.Key.Key_Escape and self.search_edit.text():
                    self.search_edit.clear()
                    return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = self.selected_row()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
                Qt.Key.Key_PageUp: -10}[Qt.Key(key)]
        target = 0 if current < 0 else current + step
        if target >= rows and self.model.canFetchMore():
            self.model.fetchMore()
            rows = self.model.rowCount()
        target = max(0, min(rows - 1, target))
        self.table.selectRow(target)
        self.table.scrollTo(self.model.index(target, 0))

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_actions(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.open_action.setEnabled(has_rows)
        self.open_action.setToolTip(
            tr("Open the selected patient's chart (Enter)") if has_rows
            else tr("Find a patient first."))

    # --- actions -------------------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected_row()
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self.open_row(row)

    def record_session(self) -> None:
        """From the patient's row: their chart, on the Sessions tab, with the form open."""
        row = self.selected_row()
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if 0 <= row < self.model.rowCount():
            self.charts.open(self.model.row_at(row).patient_id).start_session()

    def open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.charts.open(self.model.row_at(row).patient_id)

    def register_patient(self) -> None:
        # After "No patient matches 'Ferreira'", the form starts with what was typed.
        carried = carried_search(self.search_edit.text(), self._date_format) \
            if self.register_link.isVisibleTo(self) else None
        dialog = PatientDialog(self._services.patients, self._actor, self._dialogs,
                               date_format=self._date_format, country=self._country,
                               today=self._services.screening.today(), carried=carried,
                               parent=self)
        self._dialogs.run(dialog)
        if dialog.open_existing is not None:
            self.charts.open(dialog.open_existing)
        elif dialog.saved is not None:
            self.search_edit.setText(dialog.saved.patient_number)
            self.charts.open(dialog.saved.patient_id)
            self.banner.show_message("success", tr("{name} was registered as {number}.").format(
                name=dialog.saved.display_name, number=dialog.saved.patient_number))
