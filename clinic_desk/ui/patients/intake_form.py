"""The medical-history questionnaire as a form, generated from its data.

Yes/no is a pair of large toggle buttons with no default, so an unanswered question
stays visibly unanswered; follow-ups appear only when their parent's answer calls for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date, parse_date
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.intake import (
    MAX_TEXT_ANSWER,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
    validate_answers,
)
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.patient_form import date_example
from clinic_desk.ui.widgets import FieldError, label


class QuestionWidget(QWidget):
    """One question: its text, its answer input, its inline problem, its follow-ups."""

    answered = Signal()

    def __init__(self, question: Question, date_format: DateFormat,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._date_format = date_format
        self.follow_ups: list[QuestionWidget] = []
        self.text_label = label(question.text, "questionText")
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QAbstractButton] = {}
        self.date_edit: QLineEdit | None = None
        self.text_edit: QPlainTextEdit | None = None
        self.error = FieldError()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 6, 0, 6)
        column.setSpacing(6)
        column.addWidget(self.text_label)
        column.addWidget(self._input())
        column.addWidget(self.error)
        for follow_up in question.follow_ups:
            child = QuestionWidget(follow_up, date_format)
            child.setObjectName("followUp")
            child.setContentsMargins(24, 0, 0, 0)
            self.follow_ups.append(child)
            column.addWidget(child)
            child.answered.connect(self.answered)
        self.answered.connect(self._show_follow_ups)
        self.answered.connect(self._recheck)
        self._show_follow_ups()

    def _recheck(self) -> None:
        # A problem goes away as soon as it is fixed; new ones wait for Save or Next.
        if self.error.text():
            self.error.show_problem(self.own_problem())

    def _input(self) -> QWidget:
        box = QWidget()
        kind = self.question.kind
        if kind is QuestionKind.YES_NO:
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(10)
            for value, text in (("yes", tr("Yes")), ("no", tr("No"))):
                button = QPushButton(text)
                button.setObjectName("answerToggle")
                button.setCheckable(True)
                button.setAccessibleName(f"{self.question.text} {text}")
                self.group.addButton(button)
                self.buttons[value] = button
                row.addWidget(button)
            row.addStretch(1)
            self.group.buttonToggled.connect(lambda _b, _on: self.answered.emit())
            self.text_label.setBuddy(self.buttons["yes"])
        elif kind is QuestionKind.CHOICE:
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            for choice in self.question.choices:
                radio = QRadioButton(choice.label)
                self.group.addButton(radio)
                self.buttons[choice.value] = radio
                column.addWidget(radio)
            self.group.buttonToggled.connect(lambda _b, _on: self.answered.emit())
        elif kind is QuestionKind.DATE:
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self.date_edit = QLineEdit()
            self.date_edit.setPlaceholderText(self._date_format.value)
            self.date_edit.setMaximumWidth(220)
            self.date_edit.setAccessibleName(self.question.text)
            self.date_edit.textChanged.connect(lambda _t: self.answered.emit())
            row.addWidget(self.date_edit)
            row.addWidget(label(tr("for example {example}").format(
                example=date_example(self._date_format)), "hint", wrap=False))
            row.addStretch(1)
            self.text_label.setBuddy(self.date_edit)
        else:
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            self.text_edit = QPlainTextEdit()
            self.text_edit.setTabChangesFocus(True)
            self.text_edit.setFixedHeight(90)
            self.text_edit.setAccessibleName(self.question.text)
            self.text_edit.textChanged.connect(self.answered)
            column.addWidget(self.text_edit)
        return box

    def _show_follow_ups(self) -> None:
        answer = self.answer()
        for child in self.follow_ups:
            child.setVisible(answer == child.question.shown_when)

    def focus_input(self) -> None:
        if self.buttons:
            checked = self.group.checkedButton()
            (checked or next(iter(self.buttons.values()))).setFocus()
        elif self.date_edit is not None:
            self.date_edit.setFocus()
        elif self.text_edit is not None:
            self.text_edit.setFocus()

    def answer(self) -> Answer:
        if self.buttons:
            checked = self.group.checkedButton()
            value = next((v for v, b in self.buttons.items() if b is checked), None)
            if self.question.kind is QuestionKind.YES_NO and value is not None:
                return value == "yes"
            return value
        if self.date_edit is not None:
            return parse_date(self.date_edit.text(), self._date_format)
        assert self.text_edit is not None
        return self.text_edit.toPlainText()

    def set_answer(self, answer: Answer) -> None:
        if self.buttons:
            key = ("yes" if answer else "no") if isinstance(answer, bool) else answer
            button = self.buttons.get(str(key)) if key is not None else None
            if button is not None:
                button.setChecked(True)
        elif self.date_edit is not None and isinstance(answer, date):
            self.date_edit.setText(format_date(answer, self._date_format))
        elif self.text_edit is not None and isinstance(answer, str):
            self.text_edit.setPlainText(answer)

    def own_problem(self) -> str:
        """What is wrong with this question's own answer, as far as the form can tell."""
        if self.date_edit is not None and self.date_edit.text().strip() and self.answer() is None:
            return tr("This is not a date we can read. Write it as {format}, for example "
                      "{example}.").format(format=self._date_format.value,
                                           example=date_example(self._date_format))
        answer = self.answer()
        if self.question.required and answer is None:
            return tr("Please answer this question.")
        if isinstance(answer, str) and len(answer.strip()) > MAX_TEXT_ANSWER:
            return tr("Keep this to at most {count} characters.").format(count=MAX_TEXT_ANSWER)
        return ""

    def visible_widgets(self) -> list[QuestionWidget]:
        found: list[QuestionWidget] = [self]
        answer = self.answer()
        for child in self.follow_ups:
            if answer == child.question.shown_when:
                found.extend(child.visible_widgets())
        return found


class IntakeForm(QWidget):
    """The questions of some (or all) sections; `answers()` holds the visible ones only."""

    answered = Signal()

    def __init__(self, questionnaire: Questionnaire, date_format: DateFormat, today: date,
                 *, sections: Sequence[Section] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questionnaire = questionnaire
        self._today = today
        self.questions: list[QuestionWidget] = []
        self.scroll_area: QScrollArea | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        for section in sections if sections is not None else questionnaire.sections:
            card = QFrame()
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(20, 14, 20, 14)
            inner.setSpacing(4)
            inner.addWidget(label(section.title, "sectionTitle"))
            for index, question in enumerate(section.questions):
                if index:
                    line = QFrame()
                    line.setObjectName("divider")
                    line.setFrameShape(QFrame.Shape.HLine)
                    inner.addWidget(line)
                widget = QuestionWidget(question, date_format)
                widget.answered.connect(self.answered)
                self.questions.append(widget)
                inner.addWidget(widget)
            column.addWidget(card)
        column.addStretch(1)

    def all_widgets(self) -> list[QuestionWidget]:
        found: list[QuestionWidget] = []
        for widget in self.questions:
            found.append(widget)
            found.extend(widget.follow_ups)
        return found

    def widget_for(self, question_id: str) -> QuestionWidget | None:
        return next((w for w in self.all_widgets() if w.question.id == question_id), None)

    def visible_widgets(self) -> list[QuestionWidget]:
        return [w for top in self.questions for w in top.visible_widgets()]

    def answers(self) -> dict[str, Answer]:
        return {w.question.id: w.answer() for w in self.visible_widgets()}

    def set_answers(self, answers: dict[str, Answer]) -> None:
        for widget in self.all_widgets():
            if widget.question.id in answers:
                widget.set_answer(answers[widget.question.id])

    def problems(self) -> dict[str, str]:
        problems = {w.question.id: p for w in self.visible_widgets() if (p := w.own_problem())}
        if not problems:
            # The domain's own checks (a date in the future, …) on what the form allows.
            sections = [s for s in self.questionnaire.sections
                        if any(q.id in {w.question.id for w in self.questions}
                               for q in s.questions)]
            partial = Questionnaire(self.questionnaire.version, self.questionnaire.title,
                                    self.questionnaire.introduction, tuple(sections))
            try:
                validate_answers(partial, self.answers(), self._today)
            except ValidationError as exc:
                problems[exc.field or ""] = str(exc)
        return problems

    def show_problems(self, problems: dict[str, str]) -> QuestionWidget | None:
        """Marks each problem next to its question; returns the first one, scrolled to."""
        first: QuestionWidget | None = None
        for widget in self.all_widgets():
            message = problems.get(widget.question.id, "")
            widget.error.show_problem(message)
            if message and first is None and widget.isVisibleTo(self):
                first = widget
        if first is not None:
            if self.scroll_area is not None:
                self.scroll_area.ensureWidgetVisible(first, 0, 60)
            first.focus_input()
        return first


def scrolled(form: IntakeForm) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(4, 4, 12, 4)
    column.addWidget(form)
    scroll.setWidget(holder)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    form.scroll_area = scroll
    return scroll
