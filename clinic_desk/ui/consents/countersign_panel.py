"""After the patient has signed: the practitioner countersigns with their password, and a
witness may sign too. Handed back to staff, so here a keyboard is fine."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.consents.port import Countersignature
from clinic_desk.ui.consents.reading_parts import TOUCH_TARGET, plain_label
from clinic_desk.ui.consents.signature_pad import SignaturePad
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import FieldError, icon_label, label, password_edit, primary_button

WITNESS_PAD_HEIGHT = 300
MAX_WITNESS_NAME = 120


class CountersignPanel(QWidget):
    """`countersigned(Countersignature)` when the practitioner confirms; the caller saves
    and calls `show_problem` if the service refuses (a wrong password, say)."""

    countersigned = Signal(object)  # Countersignature
    cancelled = Signal()

    def __init__(self, practitioner_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countersignPanel")
        self.password_edit = password_edit()
        self.password_edit.setAccessibleName(tr("Your password"))
        self.password_edit.setPlaceholderText(tr("Your password"))
        self.password_edit.setMinimumHeight(TOUCH_TARGET)
        self.password_error = FieldError().watch(self.password_edit)
        self.witness_box = QCheckBox(tr("A witness signs too"))
        self.witness_box.setAccessibleName(tr("A witness signs too"))
        self.witness_box.setMinimumHeight(TOUCH_TARGET)
        self.witness_name = QLineEdit()
        self.witness_name.setAccessibleName(tr("Witness's full name"))
        self.witness_name.setPlaceholderText(tr("Witness's full name"))
        self.witness_name.setMaxLength(MAX_WITNESS_NAME)
        self.witness_name.setMinimumHeight(TOUCH_TARGET)
        self.witness_error = FieldError().watch(self.witness_name)
        self.witness_pad = SignaturePad()
        self.witness_pad.set_hints(ready=tr("Witness signs here"))
        self.witness_pad.setFixedHeight(WITNESS_PAD_HEIGHT)
        self.witness_part = QFrame()
        witness = QVBoxLayout(self.witness_part)
        witness.setContentsMargins(0, 0, 0, 0)
        witness.setSpacing(8)
        witness.addWidget(self._caption(tr("Witness's full name"), self.witness_name))
        witness.addWidget(self.witness_name)
        witness.addWidget(self.witness_error)
        witness.addWidget(self.witness_pad)
        self.witness_part.setVisible(False)
        self.confirm_button = primary_button(tr("Countersign and save"), "file-signature")
        self.confirm_button.setAccessibleName(tr("Countersign and save the consent"))
        self.cancel_button = QPushButton(icon("x"), tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel: nothing is saved"))
        for button in (self.confirm_button, self.cancel_button):
            button.setMinimumHeight(TOUCH_TARGET)
        self.problem = FieldError()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        title = QHBoxLayout()
        title.setSpacing(12)
        title.addWidget(icon_label("circle-check", Tone.SUCCESS, 32))
        self.title = plain_label("", "pageTitle")
        self.words = plain_label("", "readingBody")
        title.addWidget(self.title, 1)
        column.addLayout(title)
        column.addWidget(self.words)
        column.addWidget(self._caption(tr("Your password"), self.password_edit))
        column.addWidget(self.password_edit)
        column.addWidget(self.password_error)
        column.addWidget(self.witness_box, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.witness_part)
        column.addStretch(1)
        column.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        column.addLayout(buttons)
        self.witness_box.toggled.connect(self.witness_part.setVisible)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.cancelled)
        self.password_edit.returnPressed.connect(self.confirm)
        self.password_edit.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._practitioner = practitioner_name
        self.declining = False
        self.set_declining(False)

    def set_declining(self, declining: bool) -> None:
        """After a refusal the practitioner confirms it the same way; no witness signs."""
        self.declining = declining
        self.password_edit.clear()
        self.problem.clear()
        self.password_error.clear()
        if declining:
            self.title.setText(tr("The patient chose not to sign. Please hand the screen back "
                                  "to the practitioner."))
            self.words.setText(tr("Confirm as {name}: enter your password to record that the "
                                  "patient declined.").format(name=self._practitioner))
            self.confirm_button.setText(tr("Record the refusal"))
            self.confirm_button.setAccessibleName(tr("Record that the patient declined"))
        else:
            self.title.setText(tr("The patient has signed. Please hand the screen back to the "
                                  "practitioner."))
            self.words.setText(tr("Countersign as {name}: enter your password to confirm that "
                                  "you explained the treatment and answered the patient's "
                                  "questions.").format(name=self._practitioner))
            self.confirm_button.setText(tr("Countersign and save"))
            self.confirm_button.setAccessibleName(tr("Countersign and save the consent"))
        self.witness_box.setChecked(False)
        self.witness_box.setVisible(not declining)

    @staticmethod
    def _caption(text: str, field: QWidget) -> QLabel:
        caption = label(text, "fieldLabel")
        caption.setBuddy(field)
        return caption

    def confirm(self) -> None:
        password = self.password_edit.text()
        ok = True
        if not password:
            self.password_error.show_problem(tr("Enter your password to countersign."))
            ok = False
        name = " ".join(self.witness_name.text().split())
        witness_ink = witness_png = None
        if self.witness_box.isChecked() and not self.declining:
            if not name:
                self.witness_error.show_problem(tr("Write the witness's full name."))
                ok = False
            witness_ink = self.witness_pad.accepted_ink()
            if witness_ink is None:
                ok = False
            else:
                witness_png = self.witness_pad.png()
        if not ok:
            return
        self.problem.clear()
        self.countersigned.emit(Countersignature(
            practitioner_password=password,
            witness_name=name if witness_ink is not None else "",
            witness_ink=witness_ink, witness_png=witness_png))

    def show_problem(self, message: str) -> None:
        self.password_edit.clear()
        self.problem.show_problem(message)
        self.password_edit.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.confirm_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
