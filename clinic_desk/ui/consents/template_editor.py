"""A new version of a consent form: from a file or as an edited copy, checked and shown as
the patient will read it before it is imported. Nothing is stored until Import."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.consent_template import InvalidTemplate
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.ui.consents.port import ConsentDesk, TemplateRow
from clinic_desk.ui.consents.reading_parts import ConsentTextPanel
from clinic_desk.ui.empty_state import CalmEmptyState
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.widgets import FieldError, label

CHECK_DELAY_MS = 400
_VERSION = re.compile(r"^(version\s*=\s*)(\d+)\s*$", re.MULTILINE)
_STATUS = re.compile(r'^(status\s*=\s*)"[a-z]+"\s*$', re.MULTILINE)


def next_version_copy(source: str, next_version: int) -> str:
    """The same form, numbered as the next version and published (an edited copy)."""
    copy = _VERSION.sub(lambda m: f"{m.group(1)}{next_version}", source, count=1)
    return _STATUS.sub(lambda m: f'{m.group(1)}"published"', copy, count=1)


class TemplateEditorDialog(QDialog):
    """The Markdown on the left, the form as the patient reads it (sample details) on the
    right, problems with their line numbers underneath."""

    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, source: str, *,
                 title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.imported: TemplateRow | None = None
        self.setWindowTitle(title)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(tr("The form's text (Markdown)"))
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setPlainText(source)
        self.preview_stack = QStackedWidget()
        self.preview_stack.setAccessibleName(tr("Preview"))
        self.nothing = CalmEmptyState("file-text", tr("No preview yet"), tr(
            "The form appears here as a patient will read it once its problems are fixed."))
        self.preview_stack.addWidget(self.nothing)
        self.preview: ConsentTextPanel | None = None
        self.problems = FieldError()
        self.problems.setAccessibleName(tr("Problems with the form"))
        self.ok_note = label("", "hint")
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(tr("Import this version"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setIcon(icon("file-signature"))
        self.import_button.setAccessibleName(tr("Import this version"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))
        for button in (self.import_button, cancel):
            button.setMinimumHeight(44)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(label(tr("Text of the form"), "sectionTitle"))
        left_column.addWidget(self.editor, 1)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(label(tr("As the patient will read it (sample details)"),
                                     "sectionTitle"))
        right_column.addWidget(self.preview_stack, 1)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 600])
        column = QVBoxLayout(self)
        column.addWidget(splitter, 1)
        row = QHBoxLayout()
        row.addWidget(self.problems, 1)
        row.addWidget(self.ok_note, 1)
        column.addLayout(row)
        column.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.editor.textChanged.connect(self._timer.start)
        self.import_button.clicked.connect(self.import_version)
        cancel.clicked.connect(self.reject)
        self.resize(1200, 760)
        self.check()

    def source(self) -> str:
        return self.editor.toPlainText()

    def check(self) -> bool:
        """Checks the text now; True if it can be imported."""
        self._timer.stop()
        try:
            result = self._desk.check_template(self._actor, self.source())
        except ClinicDeskError as exc:
            self._show_problems((message_for(exc),))
            return False
        if result.problems or result.text is None:
            self._show_problems(result.problems)
            return False
        self.problems.clear()
        self.ok_note.setText(tr("No problems: this version can be imported."))
        if self.preview is not None:
            self.preview_stack.removeWidget(self.preview)
            self.preview.deleteLater()
        self.preview = ConsentTextPanel(result.text)
        self.preview_stack.addWidget(self.preview)
        self.preview_stack.setCurrentWidget(self.preview)
        self.import_button.setEnabled(True)
        return True

    def _show_problems(self, problems: tuple[str, ...]) -> None:
        self.problems.show_problem("\n".join(problems) or tr("This is not a consent form."))
        self.ok_note.setText("")
        self.preview_stack.setCurrentWidget(self.nothing)
        self.import_button.setEnabled(False)

    def problem_text(self) -> str:
        return self.problems.text()

    def import_version(self) -> None:
        if not self.check():
            return
        try:
            self.imported = self._desk.import_template(self._actor, self.source())
        except InvalidTemplate as invalid:
            self._show_problems(tuple(str(p) for p in invalid.problems))
            return
        except ClinicDeskError as exc:
            self._show_problems((message_for(exc),))
            return
        self.accept()


def tone_word(row: TemplateRow) -> tuple[str, str, Tone]:
    """The template's status as a word, an icon and a tone."""
    if row.status.value == "retired":
        return tr("Retired"), "archive", Tone.MUTED
    if row.status.value == "draft":
        return tr("Draft"), "pencil", Tone.NORMAL
    if row.is_current:
        return tr("In use"), "badge-check", Tone.SUCCESS
    return tr("Published, older"), "history", Tone.MUTED
