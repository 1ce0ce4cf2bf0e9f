"""The Devices area: the clinic's device registry, its needle lots and its protocol."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.course import CourseDefaults
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError
from clinic_desk.domain.protocol import DepthLimit
from clinic_desk.domain.roles import Permission
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.devices.course_defaults_dialog import CourseDefaultsDialog
from clinic_desk.ui.devices.device_dialog import DeviceDialog
from clinic_desk.ui.devices.device_model import DeviceColumn, DeviceTableModel
from clinic_desk.ui.devices.history_dialog import DeviceHistoryDialog, ProtocolVersionsDialog
from clinic_desk.ui.devices.lot_dialog import LotDialog
from clinic_desk.ui.devices.lot_model import LotColumn, LotTableModel
from clinic_desk.ui.devices.ports import DeviceRegistry, ProtocolBook, RegisteredDevice
from clinic_desk.ui.devices.protocol_dialog import DepthLimitDialog
from clinic_desk.ui.devices.protocol_model import ProtocolTableModel
from clinic_desk.ui.devices.tables import native, table
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for, stale_text
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import TouchTabWidget, touch_buttons
from clinic_desk.ui.widgets import NoticeBanner, label


class DevicesPage(QWidget):
    def __init__(self, registry: DeviceRegistry, protocols: ProtocolBook,
                 actor: SignedInStaff, dialogs: DialogService, *, date_format: DateFormat,
                 today: Callable[[], date], time_zone: str = "UTC",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesPage")
        self._registry = registry
        self._protocols = protocols
        self._actor = actor
        self._dialogs = dialogs
        self.protocols, self.actor, self.dialogs = protocols, actor, dialogs
        self._date_format = date_format
        self._time_zone = time_zone
        self._today = today
        self.may_edit = actor.may(Permission.MANAGE_DEVICES)
        self.may_edit_protocol = actor.may(Permission.EDIT_PROTOCOL)
        self.banner = NoticeBanner()
        self.devices_model = DeviceTableModel(today(), date_format, self)
        self.devices_view = table(self.devices_model, DeviceColumn.DEVICE)
        self.devices_view.setAccessibleName(tr("Device registry"))
        # The name is the longest and least needed whole: it keeps a fair width and
        # shows in full in its tooltip; the settings columns fit their contents.
        device_header = self.devices_view.horizontalHeader()
        device_header.setSectionResizeMode(DeviceColumn.DEVICE, QHeaderView.ResizeMode.Interactive)
        device_header.setStretchLastSection(True)
        self.devices_view.setColumnWidth(DeviceColumn.DEVICE, 230)
        self.lots_model = LotTableModel(date_format, self)
        self.lots_view = table(self.lots_model, LotColumn.PRODUCT)
        self.lots_view.setAccessibleName(tr("Needle and cartridge lots"))
        self.protocol_model = ProtocolTableModel(self)
        self.protocol_view = table(self.protocol_model, 0)
        self.protocol_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.protocol_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.protocol_view.verticalHeader().setVisible(True)
        self.protocol_view.setAccessibleName(tr("Needle depth per area and indication"))
        self.add_lot_button = QPushButton(icon("clipboard-list"), tr("Add a lot…"))
        self.withdraw_lot_button = QPushButton(icon("archive"), tr("Withdraw lot"))
        self.withdraw_lot_button.setToolTip(tr(
            "A recalled or damaged lot can no longer be chosen; it stays traceable."))
        for button in (self.add_lot_button, self.withdraw_lot_button):
            button.setVisible(self.may_edit)
        self.protocol_notice = label("", "hint")
        self.protocol_edit_button = QPushButton(icon("pencil"), tr("Edit depth limits…"))
        self.protocol_edit_button.setVisible(self.may_edit_protocol)
        self.course_defaults_button = QPushButton(icon("calendar-days"), tr("Course defaults…"))
        self.course_defaults_button.setVisible(self.may_edit_protocol)
        self.versions_button = QPushButton(icon("history"), tr("Versions…"))
        self.versions_button.setToolTip(tr("Every saved version of the protocol"))
        self.course_defaults_button.setToolTip(tr(
            "How many sessions a course plans and how many weeks apart, and the recall"))
        self.protocol_edit_button.setToolTip(tr(
            "Change the default and maximum depth of the selected area and indication"))
        self.toolbar = QToolBar(tr("Device actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(18, 18))
        self.add_action = QAction(icon("syringe"), tr("Add a device…"), self)
        self.add_action.setToolTip(tr("Add a device to the registry ({keys})").format(
            keys=native("Ctrl+N")))
        self.add_action.setShortcut("Ctrl+N")
        self.examples_menu = QMenu(tr("Start from an example"), self)
        self.examples_button = QToolButton()
        self.examples_button.setText(tr("Start from an example"))
        self.examples_button.setIcon(icon("copy"))
        self.examples_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.examples_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.examples_button.setMenu(self.examples_menu)
        self.examples_button.setAccessibleName(tr("Start a new device from an example profile"))
        self.edit_action = QAction(icon("pencil"), tr("Edit…"), self)
        self.edit_action.setShortcut("Ctrl+E")
        self.edit_action.setToolTip(tr("Edit the selected device (Enter or {keys})").format(
            keys=native("Ctrl+E")))
        self.history_action = QAction(icon("history"), tr("History…"), self)
        self.history_action.setShortcut("Ctrl+H")
        self.history_action.setToolTip(tr("Every saved version of the selected device "
                                          "({keys})").format(keys=native("Ctrl+H")))
        self.active_action = QAction(icon("archive"), tr("Take out of use"), self)
        self.active_action.setShortcut("Ctrl+Shift+D")
        for action in (self.add_action, self.edit_action, self.active_action,
                       self.history_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for action in (self.add_action, self.edit_action):
            self.toolbar.addAction(action)
        self.toolbar.addWidget(self.examples_button)
        self.toolbar.addAction(self.active_action)
        self.toolbar.addAction(self.history_action)
        self.addActions([self.add_action, self.edit_action, self.active_action,
                         self.history_action])
        self.tabs = TouchTabWidget()
        self.tabs.setAccessibleName(tr("Devices sections"))
        self._lay_out()
        self.add_action.triggered.connect(lambda: self.add_device(None))
        self.edit_action.triggered.connect(self.edit_selected)
        self.active_action.triggered.connect(self.toggle_selected_active)
        self.history_action.triggered.connect(self.show_history)
        self.devices_view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.protocol_edit_button.clicked.connect(self.edit_depth_limit)
        self.course_defaults_button.clicked.connect(self.edit_course_defaults)
        self.versions_button.clicked.connect(self.show_protocol_versions)
        self.add_lot_button.clicked.connect(self.add_lot)
        self.withdraw_lot_button.clicked.connect(self.withdraw_selected_lot)
        self.protocol_view.doubleClicked.connect(lambda _i: self.edit_depth_limit())
        self.devices_view.activated.connect(lambda _i: self.edit_selected())
        self.devices_view.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_actions())
        self.refresh()

    def _lay_out(self) -> None:
        devices = QWidget()
        column = QVBoxLayout(devices)
        column.setContentsMargins(0, 8, 0, 0)
        if self.may_edit:
            column.addWidget(self.toolbar)
        else:
            column.addWidget(label(tr("Reception sees the registry; practitioners and "
                                      "administrators change it."), "hint"))
        column.addWidget(self.devices_view, 1)
        lots = QWidget()
        column = QVBoxLayout(lots)
        column.setContentsMargins(0, 8, 0, 0)
        column.addWidget(label(tr(
            "Each session records the lot of its sterile, single-use cartridge or needles, "
            "so a lot can be traced to every patient it touched. Expired and withdrawn lots "
            "cannot be chosen."), "hint"))
        column.addWidget(self.lots_view, 1)
        lot_buttons = QHBoxLayout()
        lot_buttons.addStretch(1)
        lot_buttons.addWidget(self.withdraw_lot_button)
        lot_buttons.addWidget(self.add_lot_button)
        column.addLayout(lot_buttons)
        protocol = QWidget()
        column = QVBoxLayout(protocol)
        column.setContentsMargins(0, 8, 0, 0)
        column.addWidget(self.protocol_notice)
        column.addWidget(self.protocol_view, 1)
        protocol_buttons = QHBoxLayout()
        protocol_buttons.addWidget(self.versions_button)
        protocol_buttons.addStretch(1)
        protocol_buttons.addWidget(self.course_defaults_button)
        protocol_buttons.addWidget(self.protocol_edit_button)
        column.addLayout(protocol_buttons)
        self.tabs.addTab(devices, icon("syringe"), tr("Devices"))
        self.tabs.addTab(lots, icon("clipboard-list"), tr("Lots"))
        self.tabs.addTab(protocol, icon("shield-check"), tr("Protocol"))
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 18)
        root.setSpacing(10)
        root.addWidget(label(tr("Devices"), "pageTitle"))
        root.addWidget(self.banner)
        root.addWidget(self.tabs, 1)
        touch_buttons(self.toolbar)

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.banner.clear_problem()
        try:
            devices = self._registry.devices(self._actor)
            lots = self._registry.lots(self._actor)
            protocol = self._protocols.current(self._actor)
            examples = self._registry.example_devices()
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        selected = self.selected_device()
        self.devices_model.set_devices(devices)
        self.lots_model.set_lots(lots)
        self.protocol_model.set_protocol(protocol)
        self.protocol_notice.setText(tr(
            "Protocol version {version}. {notice}").format(
                version=protocol.version,
                notice=tr(protocol.notice) if protocol.example_values else tr(
                    "Reviewed by the clinic.")))
        self.examples_menu.clear()
        for example in examples.devices:
            action = self.examples_menu.addAction(example.profile.model)
            action.triggered.connect(
                lambda _c=False, p=example.profile: self.add_device(p))
        row = self.devices_model.row_of(selected.device_id) if selected is not None else 0
        if 0 <= row < self.devices_model.rowCount():
            self.devices_view.selectRow(row)
        self._update_actions()

    def selected_device(self) -> RegisteredDevice | None:
        rows = self.devices_view.selectionModel().selectedRows()
        return self.devices_model.device_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        device = self.selected_device()
        self.edit_action.setEnabled(self.may_edit and device is not None)
        self.active_action.setEnabled(self.may_edit and device is not None)
        self.history_action.setEnabled(device is not None)
        active = device is None or device.profile.active
        self.active_action.setText(tr("Take out of use") if active else tr("Bring back into use"))
        self.active_action.setToolTip(
            tr("Devices are never deleted: their sessions keep pointing at them ({keys}).")
            .format(keys=native("Ctrl+Shift+D"))
            if device is not None else tr("Select a device first ({keys}).").format(
                keys=native("Ctrl+Shift+D")))

    # --- actions -------------------------------------------------------------------------

    def add_device(self, start_from: object) -> None:
        from clinic_desk.domain.devices import DeviceProfile

        profile = start_from if isinstance(start_from, DeviceProfile) else None
        dialog = DeviceDialog(self._registry, self._actor, date_format=self._date_format,
                              today=self._today(), start_from=profile, parent=self)
        self._run(dialog, tr("The device was added to the registry."))

    def edit_selected(self) -> None:
        device = self.selected_device()
        if device is None or not self.may_edit:
            return
        dialog = DeviceDialog(self._registry, self._actor, date_format=self._date_format,
                              today=self._today(), device=device, parent=self)
        self._run(dialog, tr("The device was saved as version {version}."))

    def _run(self, dialog: DeviceDialog, done: str) -> None:
        self._dialogs.run(dialog)
        if dialog.stale:
            self._show_stale()
        elif dialog.saved is not None:
            self.refresh()
            self.devices_view.selectRow(self.devices_model.row_of(dialog.saved.device_id))
            self.banner.show_message("success", done.format(version=dialog.saved.version))

    def _show_stale(self) -> None:
        self.banner.show_message("warning", stale_text(), action_text=tr("Reload"),
                                 action_icon="refresh-cw", action=self.refresh)

    def show_protocol_versions(self) -> None:
        try:
            versions = self._protocols.versions(self._actor)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self._dialogs.run(ProtocolVersionsDialog(versions, date_format=self._date_format,
                                                 time_zone=self._time_zone, parent=self))

    def show_history(self) -> None:
        device = self.selected_device()
        if device is None:
            return
        try:
            revisions = self._registry.history(self._actor, device.device_id)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self._dialogs.run(DeviceHistoryDialog(revisions, date_format=self._date_format,
                                              time_zone=self._time_zone, parent=self))

    def add_lot(self) -> None:
        dialog = LotDialog(lambda details: self._registry.add_lot(self._actor, details),
                           date_format=self._date_format, today=self._today(), parent=self)
        if self._dialogs.run(dialog):
            self.refresh()
            self.banner.show_message("success", tr("The lot was added."))

    def withdraw_selected_lot(self) -> None:
        rows = self.lots_view.selectionModel().selectedRows()
        if not rows:
            self.banner.show_message("info", tr("Choose the lot to withdraw first."))
            return
        lot = self.lots_model.lot_at(rows[0].row())
        if not self._dialogs.confirm(
                self, tr("Withdraw lot {lot}?").format(lot=lot.lot_number),
                tr("It can no longer be chosen for a session. Sessions that used it keep it, "
                   "and `clinic-desk lot trace` still finds them."),
                confirm_label=tr("Withdraw lot")):
            return
        try:
            self._registry.set_lot_active(self._actor, lot.lot_id, False,
                                          expected_version=lot.version)
        except ConcurrentEditError:
            self._show_stale()
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.refresh()
        self.banner.show_message("success", tr("Lot {lot} was withdrawn.").format(
            lot=lot.lot_number))

    def edit_course_defaults(self) -> None:
        protocol = self.protocol_model.protocol
        if protocol is None or not self.may_edit_protocol:
            return

        def save(indication: str, defaults: CourseDefaults, months: int, note: str) -> object:
            return self.protocols.save(self.actor, based_on=protocol.version, limits={},
                                       note=note, courses={indication: defaults},
                                       maintenance_after_months=months)

        if self.dialogs.run(CourseDefaultsDialog(protocol, save, parent=self)):
            self.refresh()
            self.banner.show_message("success", tr(
                "The course defaults were saved as protocol version {version}.").format(
                    version=protocol.version + 1))

    def edit_depth_limit(self) -> None:
        """An administrator changes the selected area and indication's depth limits."""
        protocol = self.protocol_model.protocol
        pair = self.protocol_model.pair_at(self.protocol_view.currentIndex())
        if protocol is None or pair is None or not self.may_edit_protocol:
            self.banner.show_message("info", tr("Choose the area and indication first."))
            return
        area, indication = pair

        def save(limit: DepthLimit | None, note: str, reviewed: bool) -> object:
            return self.protocols.save(self.actor, based_on=protocol.version,
                                       limits={(area, indication): limit}, note=note,
                                       reviewed=reviewed)

        if self.dialogs.run(DepthLimitDialog(protocol, area, indication, save, parent=self)):
            self.refresh()
            self.banner.show_message("success", tr(
                "The protocol was saved as version {version}.").format(
                    version=protocol.version + 1))

    def toggle_selected_active(self) -> None:
        device = self.selected_device()
        if device is None:
            return
        active = device.profile.active
        name = device.profile.label
        if active and not self._dialogs.confirm(
                self, tr("Take {name} out of use?").format(name=name),
                tr("It can no longer be chosen for a session. Nothing is deleted: past "
                   "sessions keep their device, and it can be brought back."),
                confirm_label=tr("Take out of use")):
            return
        try:
            self._registry.set_device_active(self._actor, device.device_id, not active,
                                             expected_version=device.version)
        except ConcurrentEditError:
            self._show_stale()
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.refresh()
        self.banner.show_message("success", (
            tr("{name} was taken out of use.") if active
            else tr("{name} is in use again.")).format(name=name))


def devices_page(services: DeskServices, actor: SignedInStaff,
                 dialogs: DialogService) -> DevicesPage:
    """The area as the main window shows it, on the clinic's services and date format."""
    try:
        profile = services.clinic.profile()
    except ClinicDeskError:
        profile = None
    date_format = profile.date_format if profile else DateFormat.DAY_MONTH_YEAR_SLASH
    return DevicesPage(services.devices, services.protocols, actor, dialogs,
                       date_format=date_format, today=services.screening.today,
                       time_zone=profile.time_zone if profile else "UTC")

