"""The main window: areas on the left, menus with shortcuts, who and where in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

import clinic_desk
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.storage.changes import Change
from clinic_desk.ui.account_form import roles_title
from clinic_desk.ui.areas import Area, AreaSpec, area_specs, home_area, menu_text
from clinic_desk.ui.change_feed import ChangeFeed
from clinic_desk.ui.change_password import ChangePasswordDialog
from clinic_desk.ui.consents.clearance_step import clearance_recorder
from clinic_desk.ui.consents.consent_desk import consent_desk
from clinic_desk.ui.consents.page import ConsentFormsPage
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.devices.page import devices_page
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.empty_state import EmptyStatePage
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.idle_lock import IdleTimeSetting
from clinic_desk.ui.patients.page import PatientsPage
from clinic_desk.ui.sessions.due_list import due_list_page
from clinic_desk.ui.settings.page import SettingsPage
from clinic_desk.ui.theme import icon
from clinic_desk.ui.today.rooms_hours import RoomsAndHours, scrolling
from clinic_desk.ui.today.wiring import today_page
from clinic_desk.ui.widgets import ElidedLabel
from clinic_desk.ui.window_size import open_size

GEOMETRY_KEY = "main_window/geometry"
NAV_ROW_HEIGHT = 48
PREFERRED_SIZE = QSize(1200, 760)
STAFF_CHANGES = frozenset(
    {"staff.created", "staff.changed", "staff.password_reset", "staff.deactivated",
     "staff.reactivated"}
)


def native(shortcut: str) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    quit_requested = Signal()
    lock_requested = Signal()

    def __init__(
        self,
        services: DeskServices,
        actor: SignedInStaff,
        dialogs: DialogService,
        ui_settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.actor = actor
        self._dialogs = dialogs
        self._ui_settings = ui_settings
        self._leaving = False
        self._shown_once = False
        self.specs = area_specs()
        profile = services.clinic.profile()
        self._set_title(profile.name if profile else "")
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(210)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setAccessibleName(tr("Areas"))
        self.navigation.setToolTip(tr(
            "Up and Down choose an area; Enter or Tab moves into it."))
        self.pages = QStackedWidget()
        self.settings_page = SettingsPage(services, actor, dialogs)
        if actor.may(Permission.MANAGE_STAFF):  # administrators set this workstation up
            self.settings_page.tabs.addTab(IdleTimeSetting(ui_settings), icon("lock"),
                                           tr("This workstation"))
        if actor.may(Permission.EDIT_CLINIC_PROFILE) and actor.may(Permission.MANAGE_STAFF):
            self.rooms_and_hours: RoomsAndHours | None = RoomsAndHours(services.appointments,
                                                                       actor)
            self.settings_page.tabs.addTab(scrolling(self.rooms_and_hours),
                                           icon("calendar-days"), tr("Rooms and hours"))
        else:
            self.rooms_and_hours = None
        self.settings_page.change_password_requested.connect(self.change_password)
        self.settings_page.clinic_renamed.connect(self._set_title)
        self.consent_desk = consent_desk(services)
        self.patients_page = PatientsPage(services, actor, dialogs, consents=self.consent_desk)
        self.consents_page = ConsentFormsPage(
            self.consent_desk, actor, dialogs, date_format=self.patients_page.date_format(),
            search=lambda text: services.patients.search(actor, text),
            record_clearance=clearance_recorder(services.screening, actor, dialogs))
        self.devices_page = devices_page(services, actor, dialogs)
        self.today_page = today_page(services, actor, dialogs,
                                     due=due_list_page(services, actor,
                                                       open_chart=self.patients_page.charts.open),
                                     charts=self.patients_page.charts)
        self.settings_page.clinic_profile_saved.connect(self.patients_page.set_clinic_profile)
        self.area_actions: dict[Area, QAction] = {}
        area_group = QActionGroup(self)
        for spec in self.specs:
            self._add_area(spec, area_group)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(760, 520)
        self._build_menus()
        self._build_status_bar()
        # Arrow keys in the list only show an area; a click or Enter also moves into it.
        self.navigation.currentRowChanged.connect(lambda row: self.show_area(Area(row)))
        self.navigation.itemClicked.connect(lambda _item: self.focus_area())
        self.navigation.itemActivated.connect(lambda _item: self.focus_area())
        self._restore_geometry()
        self.show_area(home_area(actor.roles))
        self.change_feed = ChangeFeed(services.watch_changes(), self)
        self.change_feed.changes_arrived.connect(self.show_changes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            # Straight into the work of the home area (the patient search, say).
            self._shown_once = True
            self.focus_area()

    def _set_title(self, clinic_name: str) -> None:
        self.setWindowTitle(
            tr("{clinic} — Clinic Desk").format(clinic=clinic_name) if clinic_name
            else tr("Clinic Desk")
        )

    def _add_area(self, spec: AreaSpec, group: QActionGroup) -> None:
        item = QListWidgetItem(icon(spec.icon), spec.title)
        item.setToolTip(f"{spec.title} ({native(spec.shortcut)})")
        item.setSizeHint(QSize(150, NAV_ROW_HEIGHT))
        self.navigation.addItem(item)
        page: QWidget = (
            self.settings_page if spec.area == Area.SETTINGS
            else self.patients_page if spec.area == Area.PATIENTS
            else self.consents_page if spec.area == Area.CONSENT_FORMS
            else self.devices_page if spec.area == Area.DEVICES
            else self.today_page if spec.area == Area.TODAY
            else EmptyStatePage(spec.icon, spec.title, spec.coming)
        )
        self.pages.addWidget(page)
        action = QAction(icon(spec.icon), menu_text(spec.title), self)
        action.setShortcut(QKeySequence(spec.shortcut))
        action.setToolTip(f"{spec.title} ({native(spec.shortcut)})")
        action.setCheckable(True)
        action.triggered.connect(lambda _checked=False, a=spec.area: self.enter_area(a))
        group.addAction(action)
        self.area_actions[spec.area] = action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.sign_out_action = QAction(icon("log-out"), tr("Sign out"), self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.setToolTip(tr("Sign out ({shortcut})").format(
            shortcut=native("Ctrl+Shift+L")))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.change_password_action = QAction(icon("key-round"), tr("Change my password…"), self)
        self.change_password_action.triggered.connect(self.change_password)
        self.quit_action = QAction(tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.lock_action = QAction(icon("lock"), tr("Lock the workstation"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.sign_out_action)
        file_menu.addAction(self.change_password_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self._build_patients_menu()
        if self.settings_page.staff_panel is not None:
            self._build_staff_menu()
        view_menu = self.menuBar().addMenu(tr("&View"))
        for action in self.area_actions.values():
            view_menu.addAction(action)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.about_action = QAction(icon("info"), tr("About Clinic Desk"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_patients_menu(self) -> None:
        page = self.patients_page
        menu = self.menuBar().addMenu(tr("&Patients"))
        self.find_patient_action = QAction(icon("search"), tr("Find a patient"), self)
        self.find_patient_action.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("Ctrl+K")])
        self.find_patient_action.setToolTip(tr("Find a patient ({shortcut})").format(
            shortcut=native("Ctrl+F")))
        self.find_patient_action.triggered.connect(self.find_patient)
        menu.addAction(self.find_patient_action)
        # The page's own actions, so that the menu, the toolbar and the shortcut are one.
        # They work from every area: the Patients area shows once they have run.
        for action in (page.register_action, page.open_action, page.archived_action,
                       page.session_action):
            action.triggered.connect(lambda _checked=False: self.enter_area(Area.PATIENTS))
            menu.addAction(action)
        # Chart windows answer the same keys: sign out, find, register.
        page.charts.shared_actions = [self.sign_out_action, self.find_patient_action,
                                      page.register_action]

    def _build_staff_menu(self) -> None:
        panel = self.settings_page.staff_panel
        assert panel is not None
        self.staff_menu = self.menuBar().addMenu(tr("&Staff"))
        for action in panel.toolbar_actions():
            action.triggered.connect(lambda _checked=False: self.show_staff())
            self.staff_menu.addAction(action)

    def _build_status_bar(self) -> None:
        who = tr("Signed in: {name} · {role}").format(
            name=self.actor.full_name, role=roles_title(self.actor.roles))
        self.user_label = QLabel(who)
        self.database_label = ElidedLabel(
            tr("Database: {where}").format(where=self._services.database))
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.database_label)

    def find_patient(self) -> None:
        """From anywhere, a chart window too: the Patients area, with the cursor in its
        search."""
        self.raise_()
        self.activateWindow()
        self.enter_area(Area.PATIENTS)

    def show_staff(self) -> None:
        self.show_area(Area.SETTINGS)
        self.settings_page.show_staff()

    def current_area(self) -> Area:
        return Area(self.pages.currentIndex())

    def show_area(self, area: Area) -> None:
        if self.navigation.currentRow() != area:
            self.navigation.setCurrentRow(area)
        self.pages.setCurrentIndex(area)
        self.area_actions[area].setChecked(True)
        self.statusBar().clearMessage()

    def enter_area(self, area: Area) -> None:
        """Shows the area and puts the focus where work starts there."""
        self.show_area(area)
        self.focus_area()

    def focus_area(self) -> None:
        area = self.current_area()
        if area == Area.PATIENTS:
            self.patients_page.focus_search()
        elif area == Area.SETTINGS:
            self.settings_page.focus_first()
        elif area == Area.TODAY:
            self.today_page.focus_list()

    def _restore_geometry(self) -> None:
        geometry = self._ui_settings.value(GEOMETRY_KEY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(open_size(self, PREFERRED_SIZE))

    def save_state(self) -> None:
        # Only the window's place on this workstation; the area is each person's own.
        self._ui_settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._ui_settings.sync()

    def sign_out(self) -> None:
        self._leaving = True
        self.close()
        self.sign_out_requested.emit()
    def show_changes(self, changes: list[Change]) -> None:
        """Refresh what others changed: the patient list and their open charts, the staff
        list, the clinic's profile. Sign-ins, views and refusals change nothing shown."""
        patients = {c.patient_id for c in changes if c.patient_id is not None}
        if patients:
            self.patients_page.patients_changed(patients)
        if any(c.action.startswith("consent.") for c in changes):
            self.consents_page.refresh()
        if any(c.action.startswith(("appointment.", "room.", "hours.")) for c in changes):
            self.today_page.appointments_changed()
        if any(c.action.startswith(("session.", "course.", "appointment.")) for c in changes):
            self.today_page.due_changed()
        if any(c.action.startswith(("device.", "lot.", "protocol.")) for c in changes):
            self.devices_page.refresh()
        if any(c.action in STAFF_CHANGES for c in changes):
            self.settings_page.staff_changed()
        if any(c.action == "clinic.changed" for c in changes):
            self.settings_page.clinic_changed()
            try:
                profile = self._services.clinic.profile()
            except ClinicDeskError:
                return
            if profile is not None:
                self._set_title(profile.name)
                self.patients_page.set_clinic_profile(profile)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.change_feed.stop()
        self.save_state()
        self.patients_page.charts.close_all()
        self.consents_page.close_windows()
        super().closeEvent(event)
        if not self._leaving:
            self._leaving = True
            self.quit_requested.emit()

    def change_password(self) -> None:
        dialog = ChangePasswordDialog(self._services, self.actor, required=False, parent=self)
        if self._dialogs.run(dialog) and dialog.updated is not None:
            self.actor = dialog.updated
            # Stays until the next area is shown, however long reading it takes.
            self.statusBar().showMessage(tr("Your password was changed."))

    def show_about(self) -> None:
        self._dialogs.inform(self, tr("About Clinic Desk"), tr(
            "Clinic Desk {version}\n\nFor an aesthetic clinic's microneedling practice. "
            "This version registers and finds patients, takes their medical history and "
            "screens it for reasons not to treat, signs consent forms on screen, records "
            "devices and treatment sessions with their courses, prints aftercare and "
            "pre-care sheets, runs the day's appointment book, manages staff accounts and "
            "the clinic's profile, and keeps an audit log that can be checked.\n\n"
            "Free software under the GNU GPL, version 3 or later. Icons: Lucide (ISC licence)."
        ).format(version=clinic_desk.__version__))
