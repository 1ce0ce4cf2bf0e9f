"""The intake questionnaire's checks, on a small questionnaire of every kind of question."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.intake import (
    MAX_TEXT_ANSWER,
    Answer,
    QuestionKind,
    answers_from_json,
    answers_to_json,
    changes_between,
    describe_answer,
    parse_questionnaire,
    validate_answers,
)

TODAY = date(2026, 11, 23)
RAW: dict[str, Any] = {
    "version": 3,
    "title": "Medical history",
    "introduction": "Please answer every question.",
    "sections": [
        {
            "id": "health",
            "title": "Health",
            "questions": [
                {
                    "id": "isotretinoin",
                    "kind": "yes_no",
                    "text": "Have you taken isotretinoin?",
                    "follow_ups": [
                        {
                            "id": "isotretinoin_stopped",
                            "kind": "date",
                            "text": "When did you stop?",
                            "shown_when": True,
                            "optional": True,
                        }
                    ],
                },
                {
                    "id": "smoking",
                    "kind": "choice",
                    "text": "Do you smoke?",
                    "choices": [
                        {"value": "never", "label": "Never"},
                        {"value": "daily", "label": "Every day"},
                    ],
                },
                {"id": "last_peel", "kind": "date", "text": "Your last peel?"},
                {"id": "other", "kind": "text", "text": "Anything else?"},
            ],
        }
    ],
}
GOOD: dict[str, Answer] = {
    "isotretinoin": False,
    "smoking": "never",
    "last_peel": date(2026, 1, 5),
    "other": "",
}


def _questionnaire() -> Any:
    return parse_questionnaire(RAW)


def _refused(answers: dict[str, Answer]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_answers(_questionnaire(), answers, TODAY)
    return caught.value


def test_parsed_shape() -> None:
    q = _questionnaire()
    assert (q.version, q.title, q.introduction) == (3, "Medical history", RAW["introduction"])
    assert [s.id for s in q.sections] == ["health"] and q.sections[0].title == "Health"
    ids = [x.id for x in q.all_questions()]
    assert ids == ["isotretinoin", "isotretinoin_stopped", "smoking", "last_peel", "other"]
    follow_up = q.question("isotretinoin_stopped")
    assert (follow_up.kind, follow_up.shown_when, follow_up.optional) == (
        QuestionKind.DATE, True, True,
    )  # fmt: skip
    assert not follow_up.required and q.question("isotretinoin").required
    assert not q.question("other").required and not q.question("other").optional
    smoking = q.question("smoking")
    assert [(c.value, c.label) for c in smoking.choices] == [
        ("never", "Never"), ("daily", "Every day"),
    ]  # fmt: skip
    with pytest.raises(KeyError):
        q.question("nope")
    without = {k: v for k, v in RAW.items() if k != "introduction"}
    assert parse_questionnaire(without).introduction == ""


def test_question_kinds_are_pinned() -> None:
    assert [k.value for k in QuestionKind] == ["yes_no", "date", "choice", "text"]
    assert MAX_TEXT_ANSWER == 2000


def test_duplicate_question_ids_are_refused() -> None:
    raw = dict(RAW, sections=[RAW["sections"][0], dict(RAW["sections"][0], id="again")])
    with pytest.raises(ValueError, match="unique"):
        parse_questionnaire(raw)


def test_good_answers_are_kept_and_follow_ups_not_asked_are_dropped() -> None:
    kept = validate_answers(_questionnaire(), GOOD | {"other": "  Hay fever  "}, TODAY)
    assert kept == GOOD | {"other": "Hay fever"}
    # The follow-up is asked only when the parent's answer is its shown_when value.
    asked = validate_answers(
        _questionnaire(), GOOD | {"isotretinoin": True, "isotretinoin_stopped": TODAY}, TODAY
    )
    assert asked["isotretinoin_stopped"] == TODAY
    not_asked = validate_answers(
        _questionnaire(), GOOD | {"isotretinoin_stopped": TODAY}, TODAY
    )
    assert "isotretinoin_stopped" not in not_asked
    blank = validate_answers(_questionnaire(), GOOD | {"isotretinoin": True}, TODAY)
    assert blank["isotretinoin_stopped"] is None  # optional: left unanswered
    assert validate_answers(_questionnaire(), GOOD | {"other": None}, TODAY)["other"] == ""


def test_answers_to_unknown_questions_are_refused() -> None:
    error = _refused(GOOD | {"zzz": True, "pregnant": True})
    assert error.field == "pregnant"
    assert str(error) == "Unknown question: pregnant"


@pytest.mark.parametrize("missing", ["isotretinoin", "smoking", "last_peel"])
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_required_answers_must_be_given(missing: str, blank: Answer) -> None:
    error = _refused(GOOD | {missing: blank})
    assert (error.field, str(error)) == (missing, "Please answer this question.")


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    [
        ("isotretinoin", "yes", "Answer yes or no."),
        ("isotretinoin", 1, "Answer yes or no."),
        ("last_peel", "2026-01-05", "Enter a date."),
        ("smoking", "sometimes", "Choose one of the answers."),
        ("smoking", "Never", "Choose one of the answers."),
        ("other", True, "Enter text."),
    ],
)
def test_answers_of_the_wrong_type_are_refused(
    question: str, answer: Answer, message: str
) -> None:
    error = _refused(GOOD | {question: answer})
    assert (error.field, str(error)) == (question, message)


def test_a_date_may_be_today_but_not_tomorrow() -> None:
    kept = validate_answers(_questionnaire(), GOOD | {"last_peel": TODAY}, TODAY)
    assert kept["last_peel"] == TODAY
    error = _refused(GOOD | {"last_peel": date(2026, 11, 24)})
    assert (error.field, str(error)) == ("last_peel", "This date cannot be in the future.")


def test_text_answer_length_limit_is_on_the_stripped_text() -> None:
    at_limit = "x" * MAX_TEXT_ANSWER
    kept = validate_answers(_questionnaire(), GOOD | {"other": f"  {at_limit}  "}, TODAY)
    assert kept["other"] == at_limit
    error = _refused(GOOD | {"other": at_limit + "y"})
    assert error.field == "other"
    assert str(error) == f"Keep this to at most {MAX_TEXT_ANSWER} characters."
    assert _refused(GOOD | {"other": "a\x00b"}).field == "other"
    assert validate_answers(_questionnaire(), GOOD | {"other": "a\nb"}, TODAY)["other"] == "a\nb"


def test_answers_in_words() -> None:
    q = _questionnaire()
    smoking, peel = q.question("smoking"), q.question("last_peel")
    assert describe_answer(smoking, None, "DD/MM/YYYY") == "—"
    assert describe_answer(smoking, "", "DD/MM/YYYY") == "—"
    assert describe_answer(smoking, True, "DD/MM/YYYY") == "Yes"
    assert describe_answer(smoking, False, "DD/MM/YYYY") == "No"
    assert describe_answer(peel, date(2026, 1, 5), "MM/DD/YYYY") == "01/05/2026"
    assert describe_answer(smoking, "daily", "DD/MM/YYYY") == "Every day"
    assert describe_answer(smoking, "weekly", "DD/MM/YYYY") == "weekly"


def test_changes_between_versions_in_questionnaire_order() -> None:
    q = _questionnaire()
    newer = GOOD | {"smoking": "daily", "isotretinoin": True}
    changes = changes_between(q, GOOD, newer)
    assert [c.question_id for c in changes] == ["isotretinoin", "smoking"]
    assert changes[0].question_text == "Have you taken isotretinoin?"
    assert (changes[1].before("ISO"), changes[1].after("ISO")) == ("Never", "Every day")
    assert (changes[1].before_answer, changes[1].after_answer) == ("never", "daily")
    assert changes_between(q, GOOD, dict(GOOD)) == []


def test_answers_round_trip_through_json() -> None:
    q = _questionnaire()
    answers = GOOD | {"isotretinoin": True, "isotretinoin_stopped": date(2026, 2, 1)}
    raw = answers_to_json(answers)
    assert raw["last_peel"] == "2026-01-05" and raw["isotretinoin_stopped"] == "2026-02-01"
    assert raw["isotretinoin"] is True and raw["smoking"] == "never"
    assert answers_from_json(q, raw) == answers
    # An answer to a question no longer asked is kept as stored; an empty date stays empty.
    assert answers_from_json(q, {"retired": "2026-01-05", "last_peel": ""}) == {
        "retired": "2026-01-05", "last_peel": "",
    }  # fmt: skip


def test_changes_word_dates_in_the_clinic_format_and_unknown_ids_are_named() -> None:
    q = _questionnaire()
    newer = GOOD | {"last_peel": date(2026, 3, 4)}
    (change,) = changes_between(q, GOOD, newer)
    assert (change.before("DD.MM.YYYY"), change.after("MM/DD/YYYY")) == (
        "05.01.2026", "03/04/2026",
    )  # fmt: skip
    with pytest.raises(KeyError) as caught:
        q.question("pregnant")
    assert caught.value.args == ("pregnant",)
