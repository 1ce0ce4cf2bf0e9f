"""Shows the demo clinic's user names and passwords once, as selectable text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.services.demo import DemoAccount
from clinic_desk.ui.account_form import role_title
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import icon
from clinic_desk.ui.widgets import label, primary_button

SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


class DemoAccountsDialog(QDialog):
    def __init__(self, accounts: list[DemoAccount], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Demo clinic accounts"))
        self._accounts = accounts
        root = QVBoxLayout(self)
        # Exactly as big as the content: wrapped text and inline errors never get clipped.
        root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        root.setContentsMargins(28, 24, 28, 20)
        root.setSpacing(14)
        root.addWidget(label(tr("Your demo clinic is ready"), "pageTitle"))
        root.addWidget(label(tr(
            "Sign in with any of these accounts to see what each role can do. Note the "
            "passwords now: they are shown only once. The demo clinic holds made-up "
            "data only; do not enter real patients."
        ), "hint"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        for column, heading in enumerate((tr("Role"), tr("Name"), tr("User name"),
                                          tr("Password"))):
            grid.addWidget(label(heading, "sectionTitle", wrap=False), 0, column)
        self.secret_labels = []
        for row, account in enumerate(accounts, start=1):
            grid.addWidget(label(role_title(account.role), wrap=False), row, 0)
            grid.addWidget(label(account.full_name, wrap=False), row, 1)
            for column, text in ((2, account.username), (3, account.password)):
                value = label(text, "secret", wrap=False)
                value.setTextInteractionFlags(SELECTABLE)
                grid.addWidget(value, row, column)
                self.secret_labels.append(value)
        grid.setColumnStretch(1, 1)
        root.addLayout(grid)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(icon("copy"), tr("Copy all to clipboard"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.continue_button = primary_button(tr("Continue to sign in"), "log-in")
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.accept)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        root.addLayout(buttons)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The passwords are shown only once: a stray Escape must not take them away.
        # Continue (Enter) or closing the window leaves, on purpose.
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def as_text(self) -> str:
        return "\n".join(
            f"{role_title(a.role)}: {a.username} / {a.password}" for a in self._accounts
        )

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())
