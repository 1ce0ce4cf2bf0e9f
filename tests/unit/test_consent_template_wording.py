"""A consent template's problems in their exact words, all of them and nothing else: the
administrator who imports a file reads these sentences, so a word lost from a message or
a problem reported twice is a fault. Also what a valid file gives field by field."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from clinic_desk.domain.consent_template import (
    InvalidTemplate,
    TemplateProblem,
    TemplateStatus,
    check_template_text,
    parse_template,
)
from clinic_desk.domain.consent_text import Acknowledgement, BulletList, Paragraph
from tests.unit.test_consent_template import GOOD

BEFORE_HEADING = (
    "text before the first ## heading: every part of the form belongs to a section with a heading"
)


def problems_of(text: str) -> list[str]:
    return [str(p) for p in check_template_text(text)]


def changed(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("{{clinic.name}}", "{{clinic.nmae}}", ["line 12: unknown placeholder {{clinic.nmae}}"]),
        (
            "{#understood}",
            "{#read_first}",
            ["line 26: the key 'read_first' is already used on line 20"],
        ),
        ("## Second part {#second}", "## {#second}", ["line 24: a section has no heading text"]),
        (
            "## Second part {#second}",
            "## Second part",
            ["line 24: a section heading needs a key at its end, e.g. {#my_key}"],
        ),
        (
            "- [ ] Understood. {#understood}",
            "- [ ] Understood.",
            ["line 26: an acknowledgement needs a key at its end, e.g. {#my_key}"],
        ),
        (
            "- [ ] I have read",
            "- [x] I have read",
            ["line 20: write acknowledgements unticked: - [ ]"],
        ),
        (
            "- [ ] I have read",
            "- [X] I have read",
            ["line 20: write acknowledgements unticked: - [ ]"],
        ),
        (
            "{{contraindications.absent}}",
            "See {{contraindications.absent}}",
            [
                "line 18: the list {{contraindications.absent}} must stand alone on its line",
                "line 18: the list {{contraindications.absent}} needs a blank line before and "
                "after it",
            ],
        ),
        (
            "welcome to {{clinic.name}}.",
            "welcome to {{clinic.name}}.\n{{precare.avoid}}",
            ["line 11: the list {{precare.avoid}} needs a blank line before and after it"],
        ),
        (
            "welcome to {{clinic.name}}.",
            "welcome to {{clinic.name}.",
            ["line 12: a placeholder is not closed: write {{name}}"],
        ),
        (
            "welcome to {{clinic.name}}.",
            "welcome to clinic.name}}.",
            ["line 12: a placeholder is not closed: write {{name}}"],
        ),
        (
            "- [ ] Understood. {#understood}",
            "- [ ] Understood. {#understood}\n\nMore.",
            ["line 28: text after an acknowledgement: acknowledgements come last in their section"],
        ),
        (
            "{#understood}",
            "{#Understood!}",
            ["line 26: key 'Understood!': use lower-case letters, digits and _"],
        ),
        (
            'status = "published"',
            'status = "final"',
            ["line 1: status must be draft, published or retired"],
        ),
        ("version = 2", "version = 0", ["line 1: version must be a whole number, 1 or more"]),
        ("version = 2", "version = true", ["line 1: version must be a whole number, 1 or more"]),
        ("version = 2", 'version = "2"', ["line 1: version must be a whole number, 1 or more"]),
        (
            "published = 2026-11-30\n",
            "",
            ["line 1: published (the date) is required unless a draft"],
        ),
        (
            "published = 2026-11-30",
            'published = "30/11/2026"',
            [
                "line 1: published must be a date written YYYY-MM-DD",
                "line 1: published (the date) is required unless a draft",
            ],
        ),
        (
            "published = 2026-11-30",
            "published = 2026-11-30T10:00:00",
            [
                "line 1: published must be a date written YYYY-MM-DD",
                "line 1: published (the date) is required unless a draft",
            ],
        ),
        (
            'key = "test-form"',
            'key = "Test Form"',
            ["line 1: key 'Test Form': use lower-case letters, digits, dashes"],
        ),
        ('key = "test-form"', 'key = "  "', ["line 1: key is missing from the front matter"]),
        (
            'title = "Consent for {{patient.full_name}}"\n',
            "",
            ["line 1: title is missing from the front matter"],
        ),
        (
            'title = "Consent for {{patient.full_name}}"',
            'title = "Consent for {{patient.nick}}"',
            ["line 1: unknown placeholder {{patient.nick}}"],
        ),
        (
            'status = "published"',
            'status = "published"\nauthor = "me"\nbrand = "x"',
            [
                "line 1: unknown front matter entry 'author'",
                "line 1: unknown front matter entry 'brand'",
            ],
        ),
        (
            'status = "published"',
            'status = "published"\nradiofrequency = "yes"',
            ["line 1: radiofrequency must be true or false"],
        ),
        ("version = 2", "version = = 2", ["line 3: front matter: Invalid value"]),
        ("- one", "-", ["line 14: an empty list item"]),
        (
            "## Second part {#second}\n",
            "## Second part {#second}\n\n## Third {#third}\n",
            ["line 24: the section 'second' is empty"],
        ),
        (
            'status = "published"\npublished = 2026-11-30\n',
            "",
            ["line 1: status must be draft, published or retired"],
        ),
    ],
)
def test_each_problem_in_its_exact_words_and_alone(old: str, new: str, expected: list[str]) -> None:
    assert problems_of(changed(old, new)) == expected


def test_text_before_the_first_heading_is_named_line_by_line() -> None:
    assert problems_of(changed("## First part {#first}\n", "")) == [
        f"line {n}: {BEFORE_HEADING}" for n in (10, 11, 13, 14, 15, 17, 19, 20, 21)
    ]
    assert problems_of(changed("## First part", "# First part"))[0] == (
        "line 9: only ## headings are used (the title is in the front matter)"
    )


def test_a_file_without_front_matter_or_without_its_end() -> None:
    assert problems_of("") == [
        "line 1: the file must start with front matter between two +++ lines"
    ]
    assert problems_of("## Part {#part}\n") == [
        "line 1: the file must start with front matter between two +++ lines"
    ]
    assert problems_of("+++\nkey = 'x'\n## Part {#part}\n") == [
        "line 1: the front matter has no closing +++ line"
    ]


def test_problems_without_a_line_come_first_then_by_line() -> None:
    assert problems_of("\ufeff+++\nkey = 'a'\n+++\n") == [
        "the form has no sections",
        "line 1: version must be a whole number, 1 or more",
        "line 1: title is missing from the front matter",
        "line 1: status must be draft, published or retired",
    ]
    only_text = GOOD.split("## First")[0] + "## Only text {#only}\n\nJust words.\n"
    assert problems_of(only_text) == ["the form has no acknowledgements to tick"]


def test_the_error_names_its_file_and_every_problem() -> None:
    broken = changed("{{clinic.name}}", "{{clinic}}").replace("{#understood}", "{#first}")
    with pytest.raises(InvalidTemplate) as caught:
        parse_template(broken, origin="test-form-v2.md")
    assert str(caught.value) == (
        "test-form-v2.md: line 12: unknown placeholder {{clinic}}; "
        "line 26: the key 'first' is already used on line 9"
    )
    assert caught.value.origin == "test-form-v2.md"
    assert [p.line for p in caught.value.problems] == [12, 26]
    with pytest.raises(InvalidTemplate) as unnamed:
        parse_template(broken)
    assert str(unnamed.value).startswith("line 12: unknown placeholder")
    assert str(TemplateProblem(None, "the form has no sections")) == "the form has no sections"
    assert str(TemplateProblem(3, "x")) == "line 3: x"


def test_a_valid_file_field_by_field() -> None:
    template = parse_template(GOOD)
    assert template.key == "test-form"
    assert template.version == 2
    assert template.title == "Consent for {{patient.full_name}}"
    assert template.status is TemplateStatus.PUBLISHED
    assert template.published == date(2026, 11, 30)
    assert template.radiofrequency is False
    assert template.source_sha256 == hashlib.sha256(GOOD.encode("utf-8")).hexdigest()
    text = template.text
    assert (text.template_key, text.template_version, text.title) == (
        "test-form",
        2,
        "Consent for {{patient.full_name}}",
    )
    first, second = text.sections
    assert (first.key, first.heading, second.key, second.heading) == (
        "first",
        "First part",
        "second",
        "Second part",
    )
    assert first.blocks == (
        Paragraph("Hello {{patient.full_name}}, welcome to {{clinic.name}}."),
        BulletList(("one", "two, which goes on over two lines")),
        Paragraph("{{contraindications.absent}}"),
    )
    assert first.acknowledgements == (
        Acknowledgement("read_first", "I have read the first part."),
        Acknowledgement("second_ack", "A statement that goes on the next line."),
    )
    assert second.blocks == ()
    assert second.acknowledgements == (Acknowledgement("understood", "Understood."),)


def test_a_draft_needs_no_date_and_radiofrequency_is_read() -> None:
    draft = parse_template(
        changed('status = "published"\npublished = 2026-11-30\n', 'status = "draft"\n')
    )
    assert draft.status is TemplateStatus.DRAFT and draft.published is None
    rf = parse_template(
        changed('status = "published"', 'status = "retired"\nradiofrequency = true')
    )
    assert rf.radiofrequency is True and rf.status is TemplateStatus.RETIRED
    spaced = parse_template(changed("{#understood}", "{# understood }"))
    assert spaced.text.sections[1].acknowledgements == (
        Acknowledgement("understood", "Understood."),
    )
    assert [s.value for s in TemplateStatus] == ["draft", "published", "retired"]
