"""The medical history: the latest answers by section, what changed, and older versions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.intake import Answer, Question, Questionnaire
from clinic_desk.services.patient_dto import IntakeVersionView
from clinic_desk.ui.date_field import day_in_words
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone, icon
from clinic_desk.ui.touch import enable_finger_scrolling
from clinic_desk.ui.widgets import icon_label, label, primary_button


def answer_text(question: Question, answer: Answer, date_format: DateFormat) -> str:
    if answer is None or answer == "":
        return tr("Not answered") if question.required else "—"
    if isinstance(answer, bool):
        return tr("Yes") if answer else tr("No")
    if isinstance(answer, date):
        return format_date(answer, date_format)
    for choice in question.choices:
        if choice.value == answer:
            return choice.label
    return str(answer)


def version_title(version: IntakeVersionView, date_format: DateFormat, today: date) -> str:
    who = (tr("filled in by the patient, signed off by {name}") if version.taken_by_patient
           else tr("signed off by {name}")).format(name=version.signed_off_by)
    return tr("Version {number} — {date}, {who}").format(
        number=version.sequence, date=day_in_words(version.recorded_on, today, date_format),
        who=who)


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        if (widget := item.widget()) is not None:
            widget.deleteLater()


class MedicalHistoryTab(QWidget):
    """Each version is read with the questionnaire it was taken with (`questionnaires`
    gives it by version number), so an old intake shows the questions it was asked."""

    def __init__(self, questionnaires: Callable[[int], Questionnaire],
                 date_format: DateFormat, time_zone: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._questionnaires = questionnaires
        self._today = today
        self._date_format = date_format
        self._zone = ZoneInfo(time_zone)
        self.versions: list[IntakeVersionView] = []
        self.take_button = primary_button(tr("Take medical history…"), "clipboard-list")
        self.take_button.setToolTip(tr("Ask the questions at the desk and sign the answers off"))
        self.patient_mode_button = QPushButton(icon("tablet-smartphone"),
                                               tr("Hand to patient (large type)…"))
        self.patient_mode_button.setToolTip(tr(
            "Full screen, large type, one part per page, for the patient to fill in"))
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName(tr("Version"))
        self.version_combo.setMinimumWidth(380)
        self.version_note = label("", "hint")
        self.changes_column = QVBoxLayout()
        self.changes_column.setSpacing(4)
        self.answers_column = QVBoxLayout()
        self.answers_column.setSpacing(12)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(self.take_button)
        actions.addWidget(self.patient_mode_button)
        actions.addStretch(1)
        self.picker = QWidget()
        picker = QHBoxLayout(self.picker)
        picker.setContentsMargins(0, 0, 0, 0)
        picker.setSpacing(10)
        shown = label(tr("Showing"), wrap=False)
        shown.setBuddy(self.version_combo)
        picker.addWidget(shown)
        picker.addWidget(self.version_combo, 1)
        self.empty = label(tr(
            "No medical history yet. Take it before the first treatment: the screening reads "
            "it to say whether this patient may be treated. Each time it is taken again, a "
            "new version is kept, and the old ones stay readable here."), "emptyText")
        self.changes_card = QFrame()
        self.changes_card.setObjectName("card")
        changes = QVBoxLayout(self.changes_card)
        changes.setContentsMargins(18, 12, 18, 14)
        changes.addWidget(label(tr("What changed since the previous version"), "sectionTitle"))
        changes.addLayout(self.changes_column)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.setSpacing(12)
        inner.addWidget(self.empty)
        inner.addWidget(self.changes_card)
        inner.addLayout(self.answers_column)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        enable_finger_scrolling(scroll)
        self.scroll_area = scroll
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(10)
        column.addLayout(actions)
        column.addWidget(self.picker)
        column.addWidget(self.version_note)
        column.addWidget(scroll, 1)
        self.version_combo.currentIndexChanged.connect(self._show_selected)
        self.set_versions([])

    def set_versions(self, versions: list[IntakeVersionView]) -> None:
        self.versions = list(versions)
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        for version in reversed(self.versions):
            self.version_combo.addItem(version_title(version, self._date_format, self._today),
                                       version.sequence)
        self.version_combo.blockSignals(False)
        has_any = bool(self.versions)
        self.picker.setVisible(has_any)
        self.version_note.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self.patient_mode_button.setText(tr("Hand to patient (large type)…"))
        self.take_button.setText(tr("Take it again…") if has_any
                                 else tr("Take medical history…"))
        self.version_combo.setCurrentIndex(0)
        self._show_selected()

    def selected(self) -> IntakeVersionView | None:
        sequence = self.version_combo.currentData()
        return next((v for v in self.versions if v.sequence == sequence), None)

    def change_lines(self) -> list[str]:
        version = self.selected()
        if version is None:
            return []
        def shown(question: Question, answer: Answer) -> str:
            if answer is None or answer == "":
                return tr("(no answer)")
            return answer_text(question, answer, self._date_format)

        return [tr("{question} — {before} → {after}").format(
            question=c.question_text, before=shown(c.question, c.before_answer),
            after=shown(c.question, c.after_answer))
            for c in version.changes_from_previous]

    def _show_selected(self) -> None:
        _clear(self.answers_column)
        _clear(self.changes_column)
        version = self.selected()
        self.changes_card.setVisible(version is not None)
        if version is None:
            return
        latest = self.versions[-1]
        local = version.recorded_at.astimezone(self._zone)
        note = tr("Recorded {date} at {time}.").format(
            date=day_in_words(local.date(), self._today, self._date_format),
            time=local.strftime("%H:%M"))
        if version is not latest:
            note += " " + tr("An older version, kept read-only. The latest is version "
                             "{number}.").format(number=latest.sequence)
        self.version_note.setText(note)
        changed = {c.question_id for c in version.changes_from_previous}
        if version.sequence == 1 or not version.changes_from_previous:
            self.changes_column.addWidget(label(
                tr("This is the first medical history on record.") if version.sequence == 1
                else tr("No answer changed."), "hint"))
        for line in self.change_lines():
            row = QHBoxLayout()
            row.addWidget(icon_label("history", Tone.ACCENT, 16), 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label(line), 1)
            holder = QWidget()
            holder.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            self.changes_column.addWidget(holder)
        for section in self._questionnaires(version.questionnaire_version).sections:
            card = QFrame()
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(18, 12, 18, 14)
            inner.addWidget(label(section.title, "sectionTitle"))
            grid = QGridLayout()
            grid.setHorizontalSpacing(24)
            grid.setVerticalSpacing(8)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 1)
            for question in section.questions:
                for asked in (question, *question.follow_ups):
                    if asked is not question and asked.id not in version.answers:
                        continue
                    self._answer_row(grid, asked, version, asked.id in changed)
            inner.addLayout(grid)
            self.answers_column.addWidget(card)

    def _answer_row(self, grid: QGridLayout, question: Question, version: IntakeVersionView,
                    changed: bool) -> None:
        text = label(question.text if not question.shown_when else "↳ " + question.text)
        value = answer_text(question, version.answers.get(question.id), self._date_format)
        shown = QWidget()
        row = QHBoxLayout(shown)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        answer = label(value, "answerText")
        answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(answer)
        if changed:
            row.addWidget(icon_label("history", Tone.ACCENT, 16))
            row.addWidget(label(tr("changed"), "changedTag", wrap=False))
        row.addStretch(1)
        at = grid.rowCount()
        grid.addWidget(text, at, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(shown, at, 1, Qt.AlignmentFlag.AlignTop)
