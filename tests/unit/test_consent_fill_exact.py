"""Filling consent text, from raw inputs rather than the shipped (cached) catalogue: the
wording file's exact refusals, which rule lands in which list, the placeholder syntax, the
list expansion and every inline value, and the exact words of each refusal."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.consent_fill import (
    DATE_NOT_RECORDED,
    INLINE_PLACEHOLDERS,
    LIST_PLACEHOLDERS,
    PLACEHOLDER,
    ConsentFillError,
    ConsentValues,
    PatientWording,
    expand_lists,
    fill_text,
    list_placeholder,
    parse_patient_wording,
    screening_lists,
)
from clinic_desk.domain.consent_text import (
    Acknowledgement,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.screening import Rule, RuleBook, RuleKind, Severity


def rule(rule_id: str, severity: Severity, *, rf_only: bool = False) -> Rule:
    return Rule(
        id=rule_id,
        kind=RuleKind.ANSWER,
        severity=severity,
        rf_only=rf_only,
        inputs=(rule_id,),
        title=rule_id.title(),
        reason="staff words",
        source="[001]",
    )


BOOK = RuleBook(
    version=1,
    rules=(
        rule("pregnancy", Severity.DO_NOT_TREAT),
        rule("pacemaker", Severity.DO_NOT_TREAT, rf_only=True),
        rule("retinoids", Severity.NEEDS_CLEARANCE),
        rule("metal_implants", Severity.NEEDS_CLEARANCE, rf_only=True),
        rule("sun", Severity.ADVICE),
        rule("intake_old", Severity.ADVICE),
    ),
    intake_max_age_days=90,
    minimum_age_years=18,
)
WORDING = PatientWording(
    phrases={
        "pregnancy": "I am not pregnant",
        "pacemaker": "I have no pacemaker",
        "retinoids": "I have discussed retinoids",
        "metal_implants": "I have discussed metal implants",
        "sun": "Avoid the sun",
    },
    omitted={"intake_old": "staff check"},
)


def values(**changes: object) -> ConsentValues:
    base: dict[str, object] = {
        "patient_full_name": "Zoë Ångström-Müller Ferreira",
        "patient_date_of_birth": date(1987, 3, 4),
        "patient_number": "P-000417",
        "clinic_name": "Clinique Lumière",
        "clinic_address": "  12 Rue de l'Élysée \n\n 75008 Paris\nFrance  ",
        "clinic_phone": "+33 1 42 65 00 00",
        "practitioner_name": "Dr Amélie Dubois",
        "treatment_name": "Microneedling",
        "consent_date": date(2026, 11, 9),
    }
    base.update(changes)
    return ConsentValues(**base)  # type: ignore[arg-type]


def text_of(*blocks: Paragraph | BulletList, title: str = "Consent") -> ConsentText:
    return ConsentText("t", 1, title, (ConsentSection("s", "Heading", tuple(blocks)),))


# --- the wording file ------------------------------------------------------------------


def test_the_wording_file_gives_phrases_and_omissions_stripped() -> None:
    wording = parse_patient_wording(
        {"rules": {"a": {"patient": "  I am well \n"}, "b": {"omit": " staff only "}}}
    )
    assert dict(wording.phrases) == {"a": "I am well"}
    assert dict(wording.omitted) == {"b": "staff only"}


def test_a_wording_file_without_rules_gives_nothing() -> None:
    wording = parse_patient_wording({})
    assert dict(wording.phrases) == {}
    assert dict(wording.omitted) == {}


@pytest.mark.parametrize(
    "entry",
    [
        {"patient": "a", "omit": "b"},
        {},
        {"phrase": "a"},
        {"patient": "a", "note": "b"},
        "I am well",
    ],
)
def test_each_rule_gives_exactly_one_of_patient_or_omit(entry: object) -> None:
    with pytest.raises(ConsentFillError) as raised:
        parse_patient_wording({"rules": {"sun": entry}})
    assert str(raised.value) == (
        "rule 'sun': give exactly one of 'patient' (the phrase) or 'omit' (why)"
    )


@pytest.mark.parametrize(
    "entry", [{"patient": ""}, {"patient": " \t\n"}, {"omit": ""}, {"omit": 3}, {"patient": None}]
)
def test_an_empty_or_non_text_phrase_is_refused(entry: dict[str, object]) -> None:
    with pytest.raises(ConsentFillError) as raised:
        parse_patient_wording({"rules": {"sun": entry}})
    assert str(raised.value) == "rule 'sun': the text is empty"


# --- the screening lists ---------------------------------------------------------------


def test_each_severity_fills_its_own_list_in_rule_book_order() -> None:
    assert screening_lists(BOOK, WORDING, radiofrequency=True) == {
        "contraindications.absent": ("I am not pregnant", "I have no pacemaker"),
        "contraindications.discussed": (
            "I have discussed retinoids",
            "I have discussed metal implants",
        ),
        "precare.avoid": ("Avoid the sun",),
    }


def test_radiofrequency_rules_stay_off_a_plain_form() -> None:
    assert screening_lists(BOOK, WORDING, radiofrequency=False) == {
        "contraindications.absent": ("I am not pregnant",),
        "contraindications.discussed": ("I have discussed retinoids",),
        "precare.avoid": ("Avoid the sun",),
    }


def test_an_omitted_rule_with_a_phrase_stays_off_the_form() -> None:
    wording = PatientWording(
        phrases={**WORDING.phrases, "intake_old": "x"}, omitted=WORDING.omitted
    )
    assert "x" not in screening_lists(BOOK, wording, radiofrequency=True)["precare.avoid"]


def test_rules_without_wording_are_named_in_order() -> None:
    wording = PatientWording(
        phrases={k: v for k, v in WORDING.phrases.items() if k not in {"pregnancy", "sun"}},
        omitted={},
    )
    with pytest.raises(ConsentFillError) as raised:
        screening_lists(BOOK, wording, radiofrequency=False)
    assert str(raised.value) == (
        "screening rules without patient wording on the consent forms: pregnancy, sun, intake_old"
    )


def test_the_list_names_and_their_severities() -> None:
    assert dict(LIST_PLACEHOLDERS) == {
        "contraindications.absent": Severity.DO_NOT_TREAT,
        "contraindications.discussed": Severity.NEEDS_CLEARANCE,
        "precare.avoid": Severity.ADVICE,
    }
    assert DATE_NOT_RECORDED == "not recorded"


# --- placeholders ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("{{patient.full_name}}", "patient.full_name"),
        ("{{ patient.full_name  }}", "patient.full_name"),
        ("{{a-b_C9}}", "a-b_C9"),
        ("{{}}", ""),
    ],
)
def test_the_placeholder_syntax(written: str, name: str) -> None:
    found = PLACEHOLDER.fullmatch(written)
    assert found is not None and found.group(1) == name


@pytest.mark.parametrize("written", ["{patient}", "{{patient name}}", "{{a}", "{{a/b}}"])
def test_what_is_not_a_placeholder(written: str) -> None:
    assert PLACEHOLDER.fullmatch(written) is None


def test_a_list_placeholder_is_one_alone_in_its_paragraph() -> None:
    assert list_placeholder(Paragraph("  {{ precare.avoid }} \n")) == "precare.avoid"
    assert list_placeholder(Paragraph("{{contraindications.absent}}")) == (
        "contraindications.absent"
    )
    assert list_placeholder(Paragraph("Avoid: {{precare.avoid}}")) is None
    assert list_placeholder(Paragraph("{{patient.full_name}}")) is None
    assert list_placeholder(BulletList(("{{precare.avoid}}",))) is None


def test_lists_expand_in_place_and_an_empty_one_leaves_nothing() -> None:
    text = text_of(
        Paragraph("Before."),
        Paragraph("{{contraindications.absent}}"),
        Paragraph("{{precare.avoid}}"),
        Paragraph("After."),
    )
    lists = {"contraindications.absent": ("A", "B"), "precare.avoid": ()}
    expanded = expand_lists(text, lists)
    assert expanded.sections[0].blocks == (
        Paragraph("Before."),
        BulletList(("A", "B")),
        Paragraph("After."),
    )
    assert expanded.title == text.title
    assert expanded.sections[0].heading == "Heading"


def test_a_list_not_given_at_all_leaves_nothing() -> None:
    expanded = expand_lists(text_of(Paragraph("{{precare.avoid}}")), {})
    assert expanded.sections[0].blocks == ()


# --- filling -------------------------------------------------------------------------------


def test_every_inline_placeholder_and_its_value() -> None:
    filled = {name: value(values()) for name, value in INLINE_PLACEHOLDERS.items()}
    assert filled == {
        "patient.full_name": "Zoë Ångström-Müller Ferreira",
        "patient.date_of_birth": "04/03/1987",
        "patient.number": "P-000417",
        "clinic.name": "Clinique Lumière",
        "clinic.address": "12 Rue de l'Élysée, 75008 Paris, France",
        "clinic.phone": "+33 1 42 65 00 00",
        "practitioner.name": "Dr Amélie Dubois",
        "treatment.name": "Microneedling",
        "consent.date": "09/11/2026",
    }


def test_dates_follow_the_clinic_format_and_a_missing_birth_date_says_so() -> None:
    us = values(date_format=DateFormat.MONTH_DAY_YEAR, patient_date_of_birth=None)
    assert INLINE_PLACEHOLDERS["patient.date_of_birth"](us) == "not recorded"
    assert INLINE_PLACEHOLDERS["consent.date"](us) == "11/09/2026"
    iso = values(date_format=DateFormat.ISO)
    assert INLINE_PLACEHOLDERS["patient.date_of_birth"](iso) == "1987-03-04"
    assert values().date_format is DateFormat.DAY_MONTH_YEAR_SLASH


def test_fill_replaces_placeholders_everywhere_and_keeps_the_rest() -> None:
    text = ConsentText(
        "microneedling",
        3,
        "Consent of {{patient.full_name}}",
        (
            ConsentSection(
                "about",
                "At {{clinic.name}}",
                (
                    Paragraph("I, {{ patient.full_name }}, born {{patient.date_of_birth}}."),
                    BulletList(("Phone {{clinic.phone}}", "plain")),
                ),
                (Acknowledgement("ack_1", "Treated by {{practitioner.name}}"),),
            ),
        ),
    )
    filled = fill_text(text, values())
    assert filled == ConsentText(
        "microneedling",
        3,
        "Consent of Zoë Ångström-Müller Ferreira",
        (
            ConsentSection(
                "about",
                "At Clinique Lumière",
                (
                    Paragraph("I, Zoë Ångström-Müller Ferreira, born 04/03/1987."),
                    BulletList(("Phone +33 1 42 65 00 00", "plain")),
                ),
                (Acknowledgement("ack_1", "Treated by Dr Amélie Dubois"),),
            ),
        ),
    )


def test_a_value_that_looks_like_a_placeholder_stays_literal() -> None:
    filled = fill_text(
        text_of(Paragraph("Name: {{patient.full_name}}")),
        values(patient_full_name="{{clinic.name}}"),
    )
    assert filled.sections[0].blocks == (Paragraph("Name: {{clinic.name}}"),)


def test_an_unknown_placeholder_is_refused_by_its_exact_text() -> None:
    with pytest.raises(ConsentFillError) as raised:
        fill_text(text_of(Paragraph("Hello {{ patient.nickname }}.")), values())
    assert str(raised.value) == "unknown placeholder {{ patient.nickname }}"


def test_a_list_left_unexpanded_is_refused_by_name() -> None:
    text = text_of(Paragraph("Fine."), Paragraph("{{ contraindications.discussed }}"))
    with pytest.raises(ConsentFillError) as raised:
        fill_text(text, values())
    assert (
        str(raised.value)
        == "the list {{contraindications.discussed}} was not expanded before filling"
    )
