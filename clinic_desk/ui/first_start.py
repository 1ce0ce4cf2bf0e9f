"""First start: the clinic's profile and its first administrator, or a demo clinic."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.services.demo import DemoAccount
from clinic_desk.ui.account_form import AccountForm
from clinic_desk.ui.clinic_form import ClinicProfileForm
from clinic_desk.ui.context import DeskServices
from clinic_desk.ui.demo_accounts import DemoAccountsDialog
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.validation import first_problem
from clinic_desk.ui.widgets import FieldError, label, primary_button

ORDER = ["name", "address", "phone", "time_zone", "country", "full_name", "username", "password",
         "confirm"]


def card(title: str, body: QWidget) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    column = QVBoxLayout(frame)
    column.setContentsMargins(20, 16, 20, 16)
    column.setSpacing(12)
    column.addWidget(label(title, "sectionTitle"))
    column.addWidget(body, 1)
    return frame


class FirstStartDialog(QDialog):
    """Accepted once a clinic exists; `username` is then the one to sign in with."""

    def __init__(
        self, services: DeskServices, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._dialogs = dialogs
        self.username = ""
        self.demo_accounts: list[DemoAccount] = []
        self.setWindowTitle(tr("Welcome to Clinic Desk"))
        self.clinic_form = ClinicProfileForm(practice=False)
        self.admin_form = AccountForm(password_title=tr("Password"))
        self.form_error = FieldError(object_name="formError")
        self.demo_button = QPushButton(icon("sparkles"), tr("Explore a demo clinic instead"))
        self.demo_button.setToolTip(tr(
            "Creates a sample clinic with one account per role, to try everything. "
            "Not for real patients."
        ))
        self.quit_button = QPushButton(tr("Quit"))
        # A click on these must not count as leaving a field: no field should shout
        # "Enter the clinic's name" at someone who only wants the demo, or to quit.
        for button in (self.demo_button, self.quit_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.create_button = primary_button(tr("Create clinic"), "building-2")
        self.create_button.setDefault(True)
        self.why_label = label("", "hint")
        self.why_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._lay_out()
        self.clinic_form.edited.connect(self._refresh)
        self.admin_form.edited.connect(self._refresh)
        self.create_button.clicked.connect(self.create_clinic)
        self.demo_button.clicked.connect(self.load_demo)
        self.quit_button.clicked.connect(self.reject)
        self._refresh()

    def _lay_out(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(14)
        root.addWidget(label(tr("Welcome to Clinic Desk"), "pageTitle"))
        root.addWidget(label(tr(
            "Set up your clinic and its first administrator. You can change all of this "
            "later under Settings & staff."
        ), "hint"))
        # The two cards scroll on a small screen; the buttons under them always show.
        cards = QWidget()
        columns = QHBoxLayout(cards)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(16)
        columns.addWidget(card(tr("Your clinic"), self.clinic_form), 3)
        columns.addWidget(card(tr("First administrator"), self.admin_form), 2)
        self.form_scroll = QScrollArea()
        self.form_scroll.setObjectName("formScroll")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setWidget(cards)
        root.addWidget(self.form_scroll, 1)
        root.addWidget(self.form_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.why_label, 2)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.create_button)
        root.addLayout(buttons)
        order = [*self.clinic_form.focus_order(), *self.admin_form.focus_order(),
                 self.create_button, self.quit_button, self.demo_button]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.clinic_form.name_edit.setFocus()

    def problems(self) -> dict[str, str]:
        return {**self.clinic_form.problems(), **self.admin_form.problems()}

    def _refresh(self) -> None:
        problems = self.problems()
        self.create_button.setEnabled(not problems)
        if problems:
            why = first_problem(problems, ORDER)
            self.create_button.setToolTip(tr("Not yet: {why}").format(why=why))
            self.why_label.setText(tr("Still needed: {why}").format(why=why))
        else:
            self.create_button.setToolTip(
                tr("Create the clinic and its administrator (Enter)")
            )
            self.why_label.setText("")

    def create_clinic(self) -> None:
        self.form_error.clear()
        problems = self.problems()
        if problems:
            for form in (self.clinic_form, self.admin_form):
                form.touch_all()
                form.refresh_problems()
            return
        try:
            admin = self._services.auth.create_clinic(
                self.clinic_form.details(),
                admin_username=self.admin_form.username(),
                admin_full_name=self.admin_form.full_name(),
                admin_password=self.admin_form.password(),
            )
        except ValidationError as exc:
            field = exc.field or ""
            if not (self.clinic_form.show_problem(field, str(exc))
                    or self.admin_form.show_problem(field, str(exc))):
                self.form_error.show_problem(str(exc))
            return
        except ClinicDeskError as exc:
            self.form_error.show_problem(message_for(exc))
            return
        self.username = admin.username
        self.accept()

    def has_input(self) -> bool:
        details = self.clinic_form.details()
        typed = (details.name, details.address, details.phone, self.admin_form.username(),
                 self.admin_form.full_name(), self.admin_form.password())
        return any(text.strip() for text in typed)

    def reject(self) -> None:
        """Quit and Escape: if something was typed, make sure it is meant to be lost."""
        if self.has_input() and not self._dialogs.confirm(
            self, tr("Quit without creating the clinic?"),
            tr("What you typed here will be lost. Nothing has been saved yet."),
            confirm_label=tr("Quit"),
        ):
            return
        super().reject()

    def load_demo(self) -> None:
        self.form_error.clear()
        try:
            accounts = self._services.load_demo()
        except ClinicDeskError as exc:
            self.form_error.show_problem(message_for(exc))
            return
        self.demo_accounts = accounts
        self.username = accounts[0].username
        self._dialogs.run(DemoAccountsDialog(accounts, self))
        self.accept()
