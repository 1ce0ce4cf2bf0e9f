"""Add or edit a device in the registry (a new one may start from an example profile)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, ValidationError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.devices.device_form import DeviceForm, problem_slot
from clinic_desk.ui.devices.ports import DeviceRegistry, RegisteredDevice
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.touch import enable_finger_scrolling, touch_buttons
from clinic_desk.ui.widgets import NoticeBanner, label, primary_button


class DeviceDialog(QDialog):
    """Accepted with `saved` set; closed with `stale` set when another workstation changed
    the device first (the page then reloads)."""

    def __init__(self, registry: DeviceRegistry, actor: SignedInStaff, *,
                 date_format: DateFormat, today: date, device: RegisteredDevice | None = None,
                 start_from: DeviceProfile | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._actor = actor
        self._device = device
        self.saved: RegisteredDevice | None = None
        self.stale = False
        title = tr("Edit device") if device else tr("Add a device")
        self.setWindowTitle(title)
        self.setObjectName("deviceDialog")
        self.form = DeviceForm(date_format, today)
        self.banner = NoticeBanner()
        self.cancel_button = QPushButton(tr("Cancel"))
        self.save_button = primary_button(tr("Save device"), "save")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName(tr("Save device"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setMinimumWidth(720)
        enable_finger_scrolling(scroll)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 16)
        root.setSpacing(10)
        root.addWidget(label(title, "pageTitle"))
        if device is None and start_from is not None:
            self.banner.show_message("info", tr(
                "Started from an example profile. Its values are made up: change every one "
                "to match your device's instructions for use, and enter its serial number."))
        root.addWidget(self.banner)
        root.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        root.addLayout(buttons)
        shown = device.profile if device else start_from
        if shown is not None:
            self.form.show_profile(shown)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.submit)
        touch_buttons(self)
        self.resize(860, 720)

    def submit(self) -> None:
        profile, problems = self.form.read_profile()
        self.form.touch_all()
        self.form.show_problems(problems)
        if problems:
            self.banner.show_message("danger", tr(
                "Some values need a look: each problem is shown beside its field."))
            return
        try:
            if self._device is None:
                self.saved = self._registry.add_device(self._actor, profile)
            else:
                self.saved = self._registry.update_device(
                    self._actor, self._device.device_id, profile,
                    expected_version=self._device.version)
        except ConcurrentEditError:
            self.stale = True
            self.reject()
            return
        except ValidationError as exc:
            if not exc.field or not self.form.show_problem(problem_slot(exc.field), str(exc)):
                self.banner.show_message("danger", str(exc))
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.accept()
