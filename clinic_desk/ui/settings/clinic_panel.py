"""The clinic profile in Settings: edit and save, never overwriting a newer version."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from clinic_desk.domain.clinic_profile import ClinicDetails
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, ValidationError
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.dto import ClinicProfileView, SignedInStaff
from clinic_desk.ui.clinic_form import ClinicProfileForm
from clinic_desk.ui.errors import message_for, stale_text
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.validation import first_problem
from clinic_desk.ui.widgets import NoticeBanner, primary_button


class ClinicProfilePanel(QWidget):
    profile_saved = Signal(object)  # ClinicProfileView

    def __init__(
        self, clinic: ClinicService, actor: SignedInStaff, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._actor = actor
        self._version: int | None = None
        self._loaded: ClinicDetails | None = None
        self.banner = NoticeBanner()
        self.form = ClinicProfileForm()
        self.save_button = primary_button(tr("Save changes"), "save")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.discard_button = QPushButton(tr("Discard changes"))
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(16, 16, 16, 16)
        inner.setSpacing(12)
        inner.addWidget(self.banner)
        inner.addWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        inner.addLayout(buttons)
        inner.addStretch(1)
        content.setMaximumWidth(760)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll)
        self.form.edited.connect(self._refresh)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.reload)

    def reload(self) -> None:
        try:
            profile = self._clinic.profile()
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        if profile is None:
            self.banner.show_message("danger", tr("This database has no clinic profile."))
            return
        self._show(profile)

    def changed_elsewhere(self) -> None:
        """Another workstation saved the profile: show it, unless this one is mid-edit,
        in which case say so and let the person choose when to reload."""
        if not self.has_changes():
            self.reload()
            return
        self.banner.show_message(
            "warning",
            tr("The clinic profile was changed on another workstation. Reload it to see "
               "the change; your unsaved edits here will be discarded."),
            action_text=tr("Reload"),
            action_icon="refresh-cw",
            action=self.reload,
        )

    def _show(self, profile: ClinicProfileView) -> None:
        self.form.set_profile(profile)
        self._version = profile.version
        self._loaded = self.form.details()
        self._refresh()

    def has_changes(self) -> bool:
        return self._loaded is not None and self.form.details() != self._loaded

    def _refresh(self) -> None:
        problems = self.form.problems()
        changed = self.has_changes()
        self.save_button.setEnabled(changed and not problems)
        self.discard_button.setEnabled(changed)
        save = QKeySequence(QKeySequence.StandardKey.Save).toString(
            QKeySequence.SequenceFormat.NativeText)
        if problems:
            tip = tr("Not yet: {why}").format(
                why=first_problem(problems, ["name", "address", "phone", "time_zone"]))
        elif not changed:
            tip = tr("Nothing has changed yet.")
        else:
            tip = tr("Save the clinic profile ({shortcut})").format(shortcut=save)
        self.save_button.setToolTip(tip)
        self.discard_button.setToolTip(
            tr("Go back to the saved profile") if changed else tr("Nothing has changed yet.")
        )

    def save(self) -> None:
        if self._version is None:
            return
        self.banner.clear()
        try:
            saved = self._clinic.update_profile(
                self._actor, self.form.details(), expected_version=self._version
            )
        except ValidationError as exc:
            if not self.form.show_problem(exc.field or "", str(exc)):
                self.banner.show_message("danger", str(exc))
            return
        except ConcurrentEditError:
            self.banner.show_message(
                "warning",
                stale_text() + " " + tr("Reloading replaces what you typed here."),
                action_text=tr("Reload"), action_icon="refresh-cw", action=self.reload,
            )
            return
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self._show(saved)
        self.banner.show_message("success", tr("The clinic profile was saved."))
        self.profile_saved.emit(saved)
