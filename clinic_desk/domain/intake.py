"""The intake questionnaire (medical history): its shape, and checking a set of answers.

The questions themselves are data in resources/intake/, one file per version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_checks import TextKind, check_text

Answer = bool | str | date | None
Answers = Mapping[str, Answer]
MAX_TEXT_ANSWER = 2000


class QuestionKind(StrEnum):
    YES_NO = "yes_no"
    DATE = "date"
    CHOICE = "choice"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: QuestionKind
    text: str
    choices: tuple[Choice, ...] = ()
    follow_ups: tuple[Question, ...] = ()
    # A follow-up is asked only when its parent's answer equals this value.
    shown_when: Answer = None
    # Free text is always optional; others are required unless the data says otherwise
    # (a patient may not remember a date: the screening then treats it as unknown).
    optional: bool = False

    @property
    def required(self) -> bool:
        return self.kind is not QuestionKind.TEXT and not self.optional


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    version: int
    title: str
    introduction: str
    sections: tuple[Section, ...]

    def all_questions(self) -> list[Question]:
        found: list[Question] = []
        for section in self.sections:
            for question in section.questions:
                found.append(question)
                found.extend(question.follow_ups)
        return found

    def question(self, question_id: str) -> Question:
        for q in self.all_questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def _question(raw: Mapping[str, Any]) -> Question:
    return Question(
        id=str(raw["id"]),
        kind=QuestionKind(raw["kind"]),
        text=str(raw["text"]),
        choices=tuple(Choice(str(c["value"]), str(c["label"])) for c in raw.get("choices", [])),
        follow_ups=tuple(_question(f) for f in raw.get("follow_ups", [])),
        shown_when=raw.get("shown_when"),
        optional=bool(raw.get("optional", False)),
    )


def parse_questionnaire(raw: Mapping[str, Any]) -> Questionnaire:
    questionnaire = Questionnaire(
        version=int(raw["version"]),
        title=str(raw["title"]),
        introduction=str(raw.get("introduction", "")),
        sections=tuple(
            Section(str(s["id"]), str(s["title"]), tuple(_question(q) for q in s["questions"]))
            for s in raw["sections"]
        ),
    )
    ids = [q.id for q in questionnaire.all_questions()]
    if len(ids) != len(set(ids)):
        raise ValueError("question ids in the questionnaire must be unique")
    return questionnaire


def _follow_up_asked(parent_answer: Answer, follow_up: Question) -> bool:
    return parent_answer == follow_up.shown_when


def validate_answers(
    questionnaire: Questionnaire, answers: Answers, today: date
) -> dict[str, Answer]:
    """The answers kept (follow-ups that were not asked are dropped), or ValidationError
    naming the first question left unanswered or answered wrongly."""
    kept: dict[str, Answer] = {}
    unknown = set(answers) - {q.id for q in questionnaire.all_questions()}
    if unknown:
        raise ValidationError(f"Unknown question: {sorted(unknown)[0]}", field=sorted(unknown)[0])
    for section in questionnaire.sections:
        for question in section.questions:
            kept[question.id] = _checked(question, answers.get(question.id), today)
            for follow_up in question.follow_ups:
                if _follow_up_asked(kept[question.id], follow_up):
                    kept[follow_up.id] = _checked(follow_up, answers.get(follow_up.id), today)
    return kept


def _checked(question: Question, answer: Answer, today: date) -> Answer:
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        if question.required:
            raise ValidationError("Please answer this question.", field=question.id)
        return None if question.kind is not QuestionKind.TEXT else ""
    match question.kind:
        case QuestionKind.YES_NO:
            if not isinstance(answer, bool):
                raise ValidationError("Answer yes or no.", field=question.id)
        case QuestionKind.DATE:
            if not isinstance(answer, date):
                raise ValidationError("Enter a date.", field=question.id)
            if answer > today:
                raise ValidationError("This date cannot be in the future.", field=question.id)
        case QuestionKind.CHOICE:
            if answer not in {c.value for c in question.choices}:
                raise ValidationError("Choose one of the answers.", field=question.id)
        case QuestionKind.TEXT:
            if not isinstance(answer, str):
                raise ValidationError("Enter text.", field=question.id)
            answer = check_text(
                answer, field=question.id, label="answer", kind=TextKind.MULTILINE
            ).strip()
            if len(answer) > MAX_TEXT_ANSWER:
                raise ValidationError(
                    f"Keep this to at most {MAX_TEXT_ANSWER} characters.", field=question.id
                )
    return answer


def describe_answer(question: Question, answer: Answer, date_format: DateFormat | str) -> str:
    """An answer in words; a date in the clinic's format."""
    if answer is None or answer == "":
        return "—"
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, date):
        return format_date(answer, date_format)
    for choice in question.choices:
        if choice.value == answer:
            return choice.label
    return str(answer)


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One answer that changed; the UI words the answers in the clinic's date format."""

    question: Question
    before_answer: Answer
    after_answer: Answer

    @property
    def question_id(self) -> str:
        return self.question.id

    @property
    def question_text(self) -> str:
        return self.question.text

    def before(self, date_format: DateFormat | str) -> str:
        return describe_answer(self.question, self.before_answer, date_format)

    def after(self, date_format: DateFormat | str) -> str:
        return describe_answer(self.question, self.after_answer, date_format)


def changes_between(
    questionnaire: Questionnaire, older: Answers, newer: Answers
) -> list[AnswerChange]:
    """What changed from one intake version to the next, in questionnaire order."""
    changes = []
    for question in questionnaire.all_questions():
        before, after = older.get(question.id), newer.get(question.id)
        if before != after:
            changes.append(AnswerChange(question, before, after))
    return changes


def answers_to_json(answers: Answers) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers.items()}


def answers_from_json(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    for key, value in raw.items():
        try:
            kind = questionnaire.question(key).kind
        except KeyError:
            out[key] = value
            continue
        out[key] = date.fromisoformat(value) if kind is QuestionKind.DATE and value else value
    return out
