"""Recording a session: the form in a window of its own, signed off with the
practitioner's password, which locks the record for good (later corrections are
amendments beside it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.session_record import SessionDraft
from clinic_desk.domain.setting_findings import SettingsCheck
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.treatment_dto import (
    SessionFormData,
    SessionNotStarted,
    SessionView,
    SettingsRefused,
)
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.session_form import SessionForm
from clinic_desk.ui.touch import enable_finger_scrolling, touch_target
from clinic_desk.ui.widgets import (
    FieldError,
    NoticeBanner,
    field_block,
    label,
    password_edit,
    primary_button,
)


class SessionDesk(Protocol):
    """The session service, as the form uses it."""

    def form_data(self, actor: SignedInStaff, patient_id: int) -> SessionFormData: ...

    def check(self, actor: SignedInStaff, patient_id: int,
              draft: SessionDraft) -> SettingsCheck: ...

    def sign_off(self, actor: SignedInStaff, patient_id: int, draft: SessionDraft, *,
                 password: str) -> SessionView: ...


class SignOffDialog(QDialog):
    """The practitioner's password, entered again: it signs and locks the session."""

    def __init__(self, actor: SignedInStaff, summary: str,
                 sign: Callable[[str], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sign = sign
        self.setWindowTitle(tr("Sign off the session"))
        self.password_edit = password_edit()
        self.password_error = FieldError().watch(self.password_edit)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.sign_button = primary_button(tr("Sign off and lock"), "lock")
        self.sign_button.setDefault(True)
        for button in (self.cancel_button, self.sign_button):
            touch_target(button)
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(12)
        root.addWidget(label(tr("Sign off the session"), "pageTitle"))
        summary_label = label(summary, "hint")
        summary_label.setMaximumWidth(520)
        root.addWidget(summary_label)
        root.addWidget(label(tr(
            "Once signed off, the record is locked: nobody can change it. A later correction "
            "is added beside it as an amendment."), "hint"))
        root.addWidget(field_block(tr("Your password, {name}").format(name=actor.full_name),
                                   self.password_edit, self.password_error))
        self.password_edit.setAccessibleName(tr("Your password"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_button)
        root.addLayout(buttons)
        self.cancel_button.clicked.connect(self.reject)
        self.sign_button.clicked.connect(self.submit)

    def submit(self) -> None:
        if not self.password_edit.text():
            self.password_error.show_problem(tr("Enter your password to sign off."))
            return
        problem = self._sign(self.password_edit.text())
        if problem:
            self.password_error.show_problem(problem)
            self.password_edit.selectAll()
            return
        self.accept()


class SessionWindow(QDialog):
    """Accepted with `signed` set once the session is signed off."""

    def __init__(self, sessions: SessionDesk, actor: SignedInStaff, dialogs: DialogService, *,
                 patient_id: int, patient_name: str, date_format: DateFormat, time_zone: str,
                 now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionWindow")
        self._sessions = sessions
        self._actor = actor
        self._dialogs = dialogs
        self._patient_id = patient_id
        self.signed: SessionView | None = None
        self.setWindowTitle(tr("Record a session — {name}").format(name=patient_name))
        data = sessions.form_data(actor, patient_id)
        self.form = SessionForm(data, date_format=date_format, time_zone=time_zone,
                                check=lambda d: sessions.check(actor, patient_id, d), now=now)
        self.banner = NoticeBanner()
        self.cancel_button = QPushButton(tr("Cancel"))
        self.sign_button = primary_button(tr("Sign off…"), "lock")
        self.sign_button.setAccessibleName(tr("Sign off the session"))
        for button in (self.cancel_button, self.sign_button):
            touch_target(button)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.form)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        enable_finger_scrolling(self.scroll_area)
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 14)
        root.setSpacing(10)
        root.addWidget(label(tr("Record a session"), "pageTitle"))
        root.addWidget(label(tr("{name} · {day}").format(
            name=patient_name, day=format_date(data.today, date_format)), "hint"))
        root.addWidget(self.banner)
        root.addWidget(self.scroll_area, 1)
        footer = QHBoxLayout()
        self.why_label = label("", "hint")
        footer.addWidget(self.why_label, 1)
        footer.addWidget(self.cancel_button)
        footer.addWidget(self.sign_button)
        root.addLayout(footer)
        self.cancel_button.clicked.connect(self.reject)
        self.sign_button.clicked.connect(self.sign_off)
        self.form.checked.connect(lambda _c: self._update_sign_button())
        self.resize(1040, 820)
        self.form.run_check()
        self.form.device_box.setFocus()

    def why_not(self) -> str:
        """Why the session cannot be signed off yet, in words ("" when it can)."""
        form = self.form
        if not form.gate.check.can_start:
            return tr("It cannot start: see the consent and screening at the top.")
        check = form.last_check
        if check is None:
            return tr("Some values are missing or unreadable: see the messages in the form.")
        if not check.can_save:
            return tr("Some settings need attention: see the messages beside them.")
        return ""

    def _update_sign_button(self) -> None:
        why = self.why_not()
        self.sign_button.setEnabled(not why)
        self.sign_button.setToolTip(why or tr("Sign off with your password; this locks it."))
        self.why_label.setText(why)

    def sign_off(self) -> None:
        self.form.run_check()
        draft = self.form.draft()
        if draft is None or self.why_not():
            return
        device = self.form.device()
        unit = str(device.rf.energy_unit) if device is not None and device.rf else "level"
        rows = "; ".join(r.describe(unit) for r in self.form.rows)
        dialog = SignOffDialog(self._actor, rows,
                               lambda password: self._sign(draft, password), parent=self)
        self._dialogs.run(dialog)
        if self.signed is not None:
            self.accept()

    def _sign(self, draft: SessionDraft, password: str) -> str | None:
        """None when signed; the password problem to show otherwise (other refusals close
        the password dialog and show in the form)."""
        try:
            self.signed = self._sessions.sign_off(self._actor, self._patient_id, draft,
                                                  password=password)
        except SessionNotStarted as exc:
            self.banner.show_message("danger", str(exc))
        except SettingsRefused as exc:
            self.form.show_findings(exc.check)
            self.banner.show_message("danger", tr(
                "The settings were refused: each reason is shown beside its field."))
        except ValidationError as exc:
            if exc.field == "password":
                return str(exc)
            self.banner.show_message("danger", str(exc))
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
        return None
