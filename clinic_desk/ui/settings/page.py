"""The Settings & staff area: administrators manage the clinic and staff; others see
their own account and who to ask."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.account_form import roles_title
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.settings.audit_panel import AuditPanel, patient_finder
from clinic_desk.ui.settings.clinic_panel import ClinicProfilePanel
from clinic_desk.ui.settings.staff_panel import StaffPanel
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import ElidedLabel, icon_label, label


class OwnAccountPanel(QWidget):
    """For reception and practitioner accounts: no staff management is offered."""

    change_password_requested = Signal()

    def __init__(
        self, actor: SignedInStaff, clinic_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(640)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(12)
        inner.addWidget(label(tr("Your account"), "sectionTitle"))
        details = QFormLayout()
        details.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        details.setHorizontalSpacing(24)
        for caption, value in ((tr("Name"), actor.full_name), (tr("User name"), actor.username),
                               (tr("Roles"), roles_title(actor.roles)),
                               (tr("Clinic"), clinic_name)):
            shown = label(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            details.addRow(label(caption, "hint", wrap=False), shown)
        inner.addLayout(details)
        self.change_password_button = QPushButton(icon("key-round"), tr("Change my password…"))
        self.change_password_button.clicked.connect(self.change_password_requested)
        inner.addWidget(self.change_password_button, 0, Qt.AlignmentFlag.AlignLeft)
        note = QFrame()
        note.setObjectName("banner")
        note_row = QVBoxLayout(note)
        note_row.setContentsMargins(12, 10, 12, 10)
        heading_row = QHBoxLayout()
        heading_row.setSpacing(8)
        heading_row.addWidget(icon_label("shield-check", Tone.ACCENT))
        heading_row.addWidget(label(tr("Staff accounts and the clinic profile"), "sectionTitle"),
                              1)
        note_row.addLayout(heading_row)
        self.explanation = label(tr(
            "Only administrators manage staff accounts and the clinic's details. If "
            "something needs changing, or a colleague is locked out, ask an administrator."
        ))
        note_row.addWidget(self.explanation)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(16)
        column.addWidget(card)
        note.setMaximumWidth(640)
        column.addWidget(note)
        column.addStretch(1)

class SettingsPage(QWidget):
    change_password_requested = Signal()
    clinic_renamed = Signal(str)
    clinic_profile_saved = Signal(object)  # ClinicProfileView

    def __init__(
        self, services: DeskServices, actor: SignedInStaff, dialogs: DialogService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.staff_panel: StaffPanel | None = None
        self.clinic_panel: ClinicProfilePanel | None = None
        self.audit_panel: AuditPanel | None = None
        self.own_account: OwnAccountPanel | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 16)
        column.setSpacing(12)
        title_row = QVBoxLayout()
        title_row.addWidget(label(tr("Settings & staff"), "pageTitle"))
        self.storage_line = label(
            tr("Database: {database}. Connection: {connection}.").format(
                database=services.database, connection=services.connection),
            "hint",
        )
        self.storage_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.storage_line.setAccessibleName(tr("Where the data is kept"))
        title_row.addWidget(self.storage_line)
        # The backup folder on a line of its own, shortened in the middle if need be
        # (whole in its tooltip): in the sentence above it broke mid-path ("Backups: /").
        folder = services.backup_folder or tr("none on this workstation")
        self.backup_folder_label = ElidedLabel(folder)
        self.backup_folder_label.setObjectName("hint")
        self.backup_folder_label.setAccessibleName(tr("Backup folder"))
        self.backup_folder_label.setAccessibleDescription(folder)
        self.backup_folder_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                               QSizePolicy.Policy.Preferred)
        backups_row = QHBoxLayout()
        backups_row.setSpacing(6)
        backups_row.addWidget(label(tr("Backups:"), "hint", wrap=False))
        backups_row.addWidget(self.backup_folder_label, 1)
        title_row.addLayout(backups_row)
        column.addLayout(title_row)
        try:
            profile = services.clinic.profile()
        except ClinicDeskError:
            profile = None
        time_zone = profile.time_zone if profile else "UTC"
        date_format = profile.date_format if profile else DateFormat.DAY_MONTH_YEAR_SLASH
        if actor.may(Permission.MANAGE_STAFF):
            self.tabs = QTabWidget()
            self.clinic_panel = ClinicProfilePanel(services.clinic, actor)
            self.staff_panel = StaffPanel(services.staff, actor, dialogs, time_zone,
                                          date_format=date_format)
            self.tabs.addTab(self.staff_panel, icon("users"), tr("Staff"))
            self.tabs.addTab(self.clinic_panel, icon("building-2"), tr("Clinic profile"))
            if actor.may(Permission.VERIFY_AUDIT):
                self.audit_panel = AuditPanel(services.audit, actor, time_zone,
                                              patient_finder(services.patients, actor),
                                              date_format=date_format)
                self.tabs.addTab(self.audit_panel, icon("shield-check"), tr("Audit log"))
                self.tabs.currentChanged.connect(self._tab_shown)
            column.addWidget(self.tabs, 1)
            self.clinic_panel.reload()
            self.staff_panel.reload()
            self.clinic_panel.profile_saved.connect(lambda p: self.clinic_renamed.emit(p.name))
            self.clinic_panel.profile_saved.connect(self.clinic_profile_saved)
        else:
            self.own_account = OwnAccountPanel(actor, profile.name if profile else "")
            self.own_account.change_password_requested.connect(self.change_password_requested)
            column.addWidget(self.own_account, 1)

    def show_staff(self) -> None:
        if self.staff_panel is not None:
            self.tabs.setCurrentWidget(self.staff_panel)

    def focus_first(self) -> None:
        """Where work starts in this area: the tabs for administrators (Left and Right
        switch them), the own account's only button for everyone else."""
        if self.staff_panel is not None:
            self.tabs.tabBar().setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif self.own_account is not None:
            self.own_account.change_password_button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def staff_changed(self) -> None:
        if self.staff_panel is not None:
            self.staff_panel.reload()

    def clinic_changed(self) -> None:
        if self.clinic_panel is not None:
            self.clinic_panel.changed_elsewhere()

    def _tab_shown(self, index: int) -> None:
        # Read when looked at, not at start-up: the log only grows.
        if self.audit_panel is not None and self.tabs.widget(index) is self.audit_panel:
            self.audit_panel.reload()
