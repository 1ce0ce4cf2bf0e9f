"""The medical-history questionnaire as a form, generated from its data.

Yes/no is a pair of large toggle buttons with no default, so an unanswered question
stays visibly unanswered; follow-ups appear only when their parent's answer calls for them.

Keyboard: Tab reaches Yes and No alike; Y or N answers the focused question and moves to
the next one; Space presses the focused toggle. Enter never presses an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
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

from clinic_desk.domain.dates import DateFormat
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
from clinic_desk.ui.date_field import DateField
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import FieldSlot
from clinic_desk.ui.patients.patient_form import date_example
from clinic_desk.ui.touch import enable_finger_scrolling
from clinic_desk.ui.widgets import FieldError, label


class QuestionWidget(QWidget):
    """One question: its text, its answer input, its inline problem, its follow-ups."""

    answered = Signal()
    # Y or N was pressed on this question: the form moves the focus to the next one.
    advance_requested = Signal()

    def __init__(self, question: Question, date_format: DateFormat,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._date_format = date_format
        self.follow_ups: list[QuestionWidget] = []
        self.text_label = label(question.text, "questionText")
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QAbstractButton] = {}
        self.date_field: DateField | None = None
        self.date_edit: QLineEdit | None = None
        self.text_edit: QPlainTextEdit | None = None
        self.error = FieldError()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 6, 0, 6)
        column.setSpacing(6)
        column.addWidget(self.text_label)
        column.addWidget(self._input())
        # One line kept free for "Please answer this question.": it never moves the form.
        self.slot = FieldSlot(self.error, lines=1)
        column.addWidget(self.slot)
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
            # Not in a button group at all: Qt's Tab treats a group as one stop and would
            # skip the "No" of each pair. The pair stays one answer: pressing one releases
            # the other.
            for value, text, key in (("yes", tr("Yes"), "Y"), ("no", tr("No"), "N")):
                button = QPushButton(text)
                button.setObjectName("answerToggle")
                button.setCheckable(True)
                # Never a default button: Enter must not press an answer.
                button.setAutoDefault(False)
                button.setDefault(False)
                button.setAccessibleName(f"{self.question.text} {text}")
                button.setToolTip(tr("{answer} ({key})").format(answer=text, key=key))
                button.setProperty("intakeAnswer", True)
                button.installEventFilter(self)
                button.clicked.connect(lambda _c=False, b=button: self._pressed(b))
                button.toggled.connect(lambda on, b=button: self._toggled(b, on))
                self.buttons[value] = button
                row.addWidget(button)
            row.addStretch(1)
            self.text_label.setBuddy(self.buttons["yes"])
        elif kind is QuestionKind.CHOICE:
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            for choice in self.question.choices:
                radio = QRadioButton(choice.label)
                # Tied to its question for a screen reader: its name says both.
                radio.setAccessibleName(f"{self.question.text} {choice.label}")
                radio.setAccessibleDescription(self.question.text)
                radio.setMinimumHeight(32)
                radio.setProperty("intakeAnswer", True)
                self.group.addButton(radio)
                self.buttons[choice.value] = radio
                column.addWidget(radio)
            self.text_label.setBuddy(next(iter(self.buttons.values())))
            self.group.buttonToggled.connect(lambda _b, _on: self.answered.emit())
        elif kind is QuestionKind.DATE:
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self.date_field = DateField(self._date_format, accessible_name=self.question.text)
            self.date_edit = self.date_field.edit
            self.date_edit.textChanged.connect(lambda _t: self.answered.emit())
            row.addWidget(self.date_field)
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

    def _pressed(self, button: QAbstractButton) -> None:
        # Pressing the chosen answer again keeps it: an answer is changed, never erased.
        if not button.isChecked():
            button.setChecked(True)

    def _toggled(self, button: QAbstractButton, on: bool) -> None:
        if on:
            for other in self.buttons.values():
                if other is not button and other.isChecked():
                    other.setChecked(False)
        if on or self.checked_button() is None:
            self.answered.emit()

    def checked_button(self) -> QAbstractButton | None:
        return next((b for b in self.buttons.values() if b.isChecked()), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            chosen = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no"}.get(Qt.Key(key))
            if chosen is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.buttons[chosen].setChecked(True)
                self.advance_requested.emit()
                return True
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and watched in self.buttons.values():
                target = self.buttons["yes" if key == Qt.Key.Key_Left else "no"]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _show_follow_ups(self) -> None:
        answer = self.answer()
        for child in self.follow_ups:
            child.setVisible(answer == child.question.shown_when)

    def focus_input(self) -> None:
        if self.buttons:
            checked = self.checked_button()
            (checked or next(iter(self.buttons.values()))).setFocus()
        elif self.date_edit is not None:
            self.date_edit.setFocus()
        elif self.text_edit is not None:
            self.text_edit.setFocus()

    def answer(self) -> Answer:
        if self.buttons:
            checked = self.checked_button()
            value = next((v for v, b in self.buttons.items() if b is checked), None)
            if self.question.kind is QuestionKind.YES_NO and value is not None:
                return value == "yes"
            return value
        if self.date_field is not None:
            return self.date_field.date()
        assert self.text_edit is not None
        return self.text_edit.toPlainText()

    def set_answer(self, answer: Answer) -> None:
        if self.buttons:
            key = ("yes" if answer else "no") if isinstance(answer, bool) else answer
            button = self.buttons.get(str(key)) if key is not None else None
            if button is not None:
                button.setChecked(True)
        elif self.date_field is not None and isinstance(answer, date):
            self.date_field.set_date(answer)
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
                widget.advance_requested.connect(
                    lambda w=widget: self.focus_after(w))
                self.questions.append(widget)
                inner.addWidget(widget)
            column.addWidget(card)
        column.addStretch(1)

    def focus_after(self, widget: QuestionWidget) -> None:
        """The next question that shows (a follow-up just revealed comes first)."""
        shown = self.visible_widgets()
        if widget in shown and shown.index(widget) + 1 < len(shown):
            following = shown[shown.index(widget) + 1]
            following.focus_input()
            if self.scroll_area is not None:
                self.scroll_area.ensureWidgetVisible(following, 0, 60)
        else:
            self.focusNextChild()

    def unanswered(self) -> int:
        """How many shown questions still need an answer (or a readable one)."""
        return sum(1 for w in self.visible_widgets() if w.own_problem())

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
    """The form in a scroll area that a finger drags (with momentum) as well as its bar."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(4, 4, 12, 4)
    column.addWidget(form)
    scroll.setWidget(holder)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    enable_finger_scrolling(scroll)
    form.scroll_area = scroll
    return scroll
