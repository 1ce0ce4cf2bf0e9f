"""A patient's chart: one top-level window per patient, several open at once."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.domain.screening import Finding, ScreeningResult
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import ClearanceView, PatientRecord
from clinic_desk.services.treatment_dto import SessionView
from clinic_desk.ui.consents.chart_consents import ChartConsents
from clinic_desk.ui.consents.port import ConsentDesk
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.documents.history_tab import DocumentsTab
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for, stale_text
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.clearance_dialog import ClearanceDialog, RevokeClearanceDialog
from clinic_desk.ui.patients.history_tab import MedicalHistoryTab
from clinic_desk.ui.patients.intake_dialog import IntakeDialog, PatientModeDialog
from clinic_desk.ui.patients.overview_tab import OverviewTab
from clinic_desk.ui.patients.patient_dialog import PatientDialog
from clinic_desk.ui.patients.screening_tab import ScreeningTab, summary_text
from clinic_desk.ui.patients.status import StatusBadge, status_look
from clinic_desk.ui.sessions.chart_parts import AdverseEventsHeader, sessions_tab_for
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import TouchTabWidget, touch_buttons
from clinic_desk.ui.widgets import ElidedLabel, NoticeBanner, label
from clinic_desk.ui.window_size import open_size

CHART_SIZE = QSize(1100, 780)


def chart_name(record: PatientRecord) -> str:
    d = record.details
    name = f"{d.given_name} {d.family_name}"
    return tr("{name} ({preferred})").format(name=name, preferred=d.preferred_name) \
        if d.preferred_name else name


class PatientChartWindow(QWidget):
    patient_changed = Signal(int)

    def __init__(self, services: DeskServices, actor: SignedInStaff, dialogs: DialogService,
                 *, patient_id: int, date_format: DateFormat, time_zone: str,
                 country: str = "", consents: ConsentDesk | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._country = country
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("patientChart")
        self._services = services
        self._actor = actor
        self._dialogs = dialogs
        self.patient_id = patient_id
        self._date_format = date_format
        self.record: PatientRecord | None = None
        self.today: date = services.screening.today()
        self.name_label = label("", "chartName")
        self.facts_label = label("", "hint")
        self.archived_label = label("", "dangerText", wrap=False)
        self.badge = StatusBadge(large=True, focusable=True)
        self.badge_note = ElidedLabel("")
        self.badge_note.setObjectName("hint")
        self.banner = NoticeBanner()
        self.close_button = QPushButton(icon("x"), "")
        self.overview = OverviewTab(date_format)
        self.history = MedicalHistoryTab(services.intake.questionnaire, date_format, time_zone,
                                         self.today)
        self.screening = ScreeningTab(
            services.screening, actor, patient_id=patient_id, date_format=date_format,
            today=self.today, request_clearance=self.request_clearance,
            request_revocation=self.request_revocation)
        self.tabs = TouchTabWidget()
        self.tabs.setAccessibleName(tr("Chart sections"))
        self.tabs.addTab(self.overview, icon("user-round"), tr("Overview"))
        self.tabs.addTab(self.history, icon("clipboard-list"), tr("Medical history"))
        self.tabs.addTab(self.screening, icon("shield-check"), tr("Screening"))
        self.consents = None if consents is None else ChartConsents(
            consents, actor, dialogs, patient_id=patient_id, date_format=date_format,
            parent=self, screening=services.screening)
        if self.consents is not None:
            self.tabs.addTab(self.consents.panel, icon("file-signature"), tr("Consents"))
            self.consents.panel.consents_changed.connect(lambda _p: self._consents_changed())
        self.adverse_header = AdverseEventsHeader(date_format)
        self.sessions = sessions_tab_for(
            services, actor, dialogs, patient_id=patient_id, patient_name=self._patient_name,
            date_format=date_format, time_zone=time_zone)
        for icon_name, title, text in (
            *([] if self.consents is not None else [("file-signature", tr("Consents"), tr(
                "Signed consent forms will live here, each frozen exactly as it was signed, "
                "with a copy to print or hand over."))]),
            ("syringe", tr("Sessions"), tr(
                "The course of treatment will live here: each session's date, area, needle "
                "depth and device settings, and the aftercare given.")),
        ):
            if icon_name == "syringe" and self.sessions is not None:
                self.tabs.addTab(self.sessions, icon(icon_name), title)
                self.sessions.sessions_changed.connect(self.refresh_adverse_events)
                self.sessions.aftercare_requested.connect(self.print_aftercare)
                self.sessions.session_signed_off.connect(self._session_signed_off)
                continue
            self.tabs.addTab(CalmEmptyState(icon_name, title, text, later=True), icon(icon_name),
                             title)
        self.documents = DocumentsTab(services.documents, actor, dialogs, patient_id=patient_id,
                                      patient_name="", date_format=date_format,
                                      time_zone=time_zone,
                                      list_sessions=lambda: services.sessions.sessions(
                                          actor, patient_id))
        self.tabs.addTab(self.documents, icon("file-text"), tr("Documents"))
        self._lay_out()
        self.overview.edit_button.clicked.connect(self.edit_details)
        self.overview.archive_button.clicked.connect(self.toggle_archived)
        self.history.take_button.clicked.connect(self.take_history)
        self.history.patient_mode_button.clicked.connect(self.hand_to_patient)
        self.badge.activated.connect(lambda: self.tabs.setCurrentWidget(self.screening))
        # The documents history is read (and its viewing audited) when it is looked at.
        self.tabs.currentChanged.connect(
            lambda _i: self.documents.refresh()
            if self.tabs.currentWidget() is self.documents else None)
        self.screening.screened.connect(lambda _r: touch_buttons(self))
        close = QShortcut(self)
        # Ctrl+W first, whatever the platform lists first (Ctrl+F4 on some).
        close.setKeys([QKeySequence("Ctrl+W"), *(
            k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Close)
            if k != QKeySequence("Ctrl+W"))])
        close.activated.connect(self.close)
        # Ctrl+Tab / Ctrl+Shift+Tab switch sections wherever the focus is: QTabWidget
        # only hears them from inside itself, and the focus starts on the badge.
        for keys, step in ((("Ctrl+Tab",), 1),
                           (("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+Backtab"), -1)):
            switch = QShortcut(self)
            switch.setKeys([QKeySequence(k) for k in keys])
            switch.activated.connect(lambda step=step: self.step_section(step))
        self.close_button.clicked.connect(self.close)
        self.resize(open_size(self, CHART_SIZE))
        self.reload()

    def step_section(self, step: int) -> None:
        """The next (1) or previous (-1) section, round the end as QTabWidget does."""
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.setSpacing(16)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.name_label)
        who.addWidget(self.facts_label)
        who.addWidget(self.archived_label)
        who.addWidget(self.adverse_header)
        header.addLayout(who, 1)
        status = QVBoxLayout()
        status.setSpacing(4)
        status.addWidget(label(tr("Today"), "hint", wrap=False), 0, Qt.AlignmentFlag.AlignRight)
        status.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignRight)
        self.badge_note.setAlignment(Qt.AlignmentFlag.AlignRight)
        status.addWidget(self.badge_note, 0, Qt.AlignmentFlag.AlignRight)
        if self.consents is not None:
            status.addWidget(self.consents.badge, 0, Qt.AlignmentFlag.AlignRight)
        header.addLayout(status)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 18, 24, 18)
        column.setSpacing(12)
        column.addLayout(header)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        # Says on screen how the chart closes and how to find someone else from here.
        closing = QKeySequence("Ctrl+W").toString(QKeySequence.SequenceFormat.NativeText)
        self.close_button.setText(tr("Close chart ({shortcut})").format(shortcut=closing))
        self.close_button.setToolTip(tr(
            "Close this chart ({close}). {find} finds another patient from here.").format(
                close=closing, find=QKeySequence("Ctrl+F").toString(
                    QKeySequence.SequenceFormat.NativeText)))
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.close_button)
        column.addLayout(footer)

    # --- loading -----------------------------------------------------------------------

    def reload(self) -> None:
        self.banner.clear_problem()
        try:
            record = self._services.patients.get(self._actor, self.patient_id)
            versions = self._services.intake.history(self._actor, self.patient_id)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.show_record(record)
        self.history.set_versions(versions)
        if self.tabs.currentWidget() is self.documents:
            self.documents.refresh()
        self.screening.refresh()
        self.refresh_badge()
        if self.consents is not None:
            self.consents.refresh()
        if self.sessions is not None:
            self.sessions.refresh()
        self.refresh_adverse_events()
        touch_buttons(self)

    def print_aftercare(self, session_id: int) -> None:
        """The session's aftercare sheet, straight to the print dialog once it is made."""
        self.documents.make_aftercare(session_id, print_it=True)

    def _session_signed_off(self, view: SessionView) -> None:
        profile = self._services.clinic.profile()
        if profile is not None and profile.print_aftercare_on_sign_off:
            self.print_aftercare(view.session_id)

    def start_session(self) -> None:
        if self.sessions is not None:
            self.tabs.setCurrentWidget(self.sessions)
            self.sessions.record_session()

    def refresh_adverse_events(self) -> None:
        """Open adverse events stay on the header until a follow-up closes them."""
        if self.sessions is not None:
            self.adverse_header.show_events(self.sessions.open_events())

    def _consents_changed(self) -> None:
        if self.consents is not None:
            self.consents.refresh()
        self.patient_changed.emit(self.patient_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.consents is not None:
            self.consents.close_windows()
        super().closeEvent(event)

    def show_record(self, record: PatientRecord) -> None:
        self.record = record
        name = chart_name(record)
        self._show_title()
        self.name_label.setText(name)
        d = record.details
        born = format_date(d.date_of_birth, self._date_format) if d.date_of_birth else "—"
        self.facts_label.setText(tr("{age} years · born {born} · {number}").format(
            age=record.age, born=born, number=record.patient_number))
        self.archived_label.setText(tr("Archived: not shown in the search.")
                                    if record.is_archived else "")
        self.archived_label.setVisible(record.is_archived)
        self.overview.show_record(record)
        if self.consents is not None:
            self.consents.set_patient_name(f"{d.given_name} {d.family_name}")
        self.documents.patient_name = name

    def refresh_badge(self) -> None:
        try:
            result = self._services.screening.screen_patient(self._actor, self.patient_id)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.show_today(result)

    def show_today(self, result: ScreeningResult) -> None:
        look = status_look(result.status)
        summary = summary_text(result, self._date_format, self.today)
        self.badge.show_look(look, tr("Screening for a session today, without RF. {why}")
                             .format(why=summary))
        self.badge.setAccessibleName(tr("Screening today: {status}").format(status=look.word))
        self.badge_note.setText(summary)
        self.badge_note.setToolTip(summary)
        self._show_title()

    def _show_title(self) -> None:
        """The name and today's screening status: the window list and a screen reader
        say it before anything else."""
        if self.record is None:
            return
        name = chart_name(self.record)
        status = self.badge.text()
        self.setWindowTitle(
            tr("{name} — {status} — patient chart").format(name=name, status=status)
            if status else tr("{name} — patient chart").format(name=name))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a focused button presses it, as Space does (a button outside a
        dialog does not take Enter by itself)."""
        focused = self.focusWidget()
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(focused, QAbstractButton) and focused.isEnabled()):
            focused.animateClick()
            return
        super().keyPressEvent(event)

    # --- actions -------------------------------------------------------------------------

    def _patient_name(self) -> str:
        return chart_name(self.record) if self.record else ""

    def _show_stale(self) -> None:
        self.banner.show_message("warning", stale_text(), action_text=tr("Reload"),
                                 action_icon="refresh-cw", action=self.reload)

    def edit_details(self) -> None:
        if self.record is None:
            return
        dialog = PatientDialog(self._services.patients, self._actor, self._dialogs,
                               date_format=self._date_format, today=self.today,
                               country=self._country, record=self.record, parent=self)
        self._dialogs.run(dialog)
        if dialog.stale:
            self._show_stale()
        elif dialog.saved is not None:
            self.show_record(dialog.saved)
            self.refresh_badge()
            self.screening.refresh()
            self.banner.show_message("success", tr("The details were saved."))
            self.patient_changed.emit(self.patient_id)

    def toggle_archived(self) -> None:
        record = self.record
        if record is None:
            return
        archive = not record.is_archived
        name = chart_name(record)
        if archive:
            asked = self._dialogs.confirm(self, tr("Archive {name}?").format(name=name), tr(
                "{name} will no longer appear in the search. Nothing is deleted: the record, "
                "its history and its consents stay, and it can be restored.").format(name=name),
                confirm_label=tr("Archive"))
        else:
            asked = self._dialogs.confirm(self, tr("Restore {name}?").format(name=name), tr(
                "{name} will appear in the search again.").format(name=name),
                confirm_label=tr("Restore"))
        if not asked:
            return
        try:
            saved = self._services.patients.set_archived(
                self._actor, record.patient_id, expected_version=record.version, archived=archive)
        except ConcurrentEditError:
            self._show_stale()
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.show_record(saved)
        done = tr("{name} was archived.") if archive else tr("{name} was restored.")
        self.banner.show_message("success", done.format(name=name))
        self.patient_changed.emit(self.patient_id)

    def take_history(self) -> None:
        dialog = IntakeDialog(self._services.intake, self._actor, self._dialogs,
                              patient_id=self.patient_id,
                              patient_name=self._patient_name(), date_format=self._date_format,
                              today=self.today, parent=self)
        self._dialogs.run(dialog)
        if dialog.saved is not None:
            self._history_saved()

    def hand_to_patient(self) -> None:
        record = self.record
        first = (record.details.preferred_name or record.details.given_name) if record else ""
        dialog = PatientModeDialog(self._services.intake, self._actor, self._dialogs,
                                   patient_id=self.patient_id, patient_name=first,
                                   date_format=self._date_format, today=self.today, parent=self)
        self._dialogs.run(dialog)
        if dialog.saved is not None:
            self._history_saved()

    def _history_saved(self) -> None:
        self.reload()
        self.tabs.setCurrentWidget(self.history)
        self.banner.show_message("success", tr("The medical history was saved as version "
                                               "{number}.").format(
                                                   number=self.history.versions[-1].sequence))

    def request_clearance(self, finding: Finding, session_date: date,
                          uses_rf: bool) -> ScreeningResult | None:
        dialog = ClearanceDialog(self._services.screening, self._actor,
                                 patient_id=self.patient_id, patient_name=self._patient_name(),
                                 finding=finding, session_date=session_date, uses_rf=uses_rf,
                                 dialogs=self._dialogs, parent=self)
        self._dialogs.run(dialog)
        if dialog.result_screening is None:
            return None
        self.refresh_badge()
        return dialog.result_screening


    def request_revocation(self, clearance: ClearanceView) -> bool:
        dialog = RevokeClearanceDialog(self._services.screening, self._actor,
                                       patient_id=self.patient_id,
                                       patient_name=self._patient_name(), clearance=clearance,
                                       dialogs=self._dialogs, parent=self)
        self._dialogs.run(dialog)
        if dialog.revoked:
            self.refresh_badge()
        return dialog.revoked


class ChartWindows(QObject):
    """The open charts: opening a patient whose chart is open brings that one forward."""

    patient_changed = Signal(int)

    def __init__(self, services: DeskServices, actor: SignedInStaff, dialogs: DialogService,
                 *, date_format: DateFormat, time_zone: str, country: str = "",
                 consents: ConsentDesk | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._country = country
        self._consents = consents
        self._services = services
        self._actor = actor
        self._dialogs = dialogs
        self._date_format = date_format
        self._time_zone = time_zone
        self.windows: dict[int, PatientChartWindow] = {}
        # The main window's actions that every chart answers too (sign out, find, register).
        self.shared_actions: list[QAction] = []

    def set_date_format(self, date_format: DateFormat) -> None:
        self._date_format = date_format

    def set_country(self, country: str) -> None:
        self._country = country

    def open(self, patient_id: int) -> PatientChartWindow:
        window = self.windows.get(patient_id)
        if window is None:
            window = PatientChartWindow(self._services, self._actor, self._dialogs,
                                        patient_id=patient_id, date_format=self._date_format,
                                        time_zone=self._time_zone, country=self._country,
                                        consents=self._consents)
            self.windows[patient_id] = window
            window.destroyed.connect(lambda _o=None, p=patient_id: self.windows.pop(p, None))
            window.patient_changed.connect(self.patient_changed)
            window.addActions(self.shared_actions)
        window.show()
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.raise_()
        window.activateWindow()
        return window

    def reload(self, patient_ids: set[int]) -> None:
        for patient_id, window in list(self.windows.items()):
            if patient_id in patient_ids:
                window.reload()

    def close_all(self) -> None:
        for window in list(self.windows.values()):
            window.close()
