"""Consent templates: the shipped forms, the parser's line-numbered problems, the
screening-rule lists, filling, and the shelf of versions."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from clinic_desk.catalogue import consent_templates, consent_wording, rule_book
from clinic_desk.domain.consent_fill import (
    INLINE_PLACEHOLDERS,
    ConsentFillError,
    PatientWording,
    fill_text,
    parse_patient_wording,
    screening_lists,
)
from clinic_desk.domain.consent_shelf import (
    check_imported_template,
    read_template_folder,
    shelf_of,
)
from clinic_desk.domain.consent_template import (
    InvalidTemplate,
    TemplateStatus,
    check_template_text,
    parse_template,
)
from clinic_desk.domain.consent_text import BulletList, Paragraph
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.screening import Severity
from clinic_desk.shipped import reports_root
from tests.helpers.consent import CLINIC_NAME, LONG_NAME, MARKUP_NAME, filled_text, values

# A published version is never edited: these are the SHA-256 of each published version's
# words (parsed, so line endings do not matter). A change to a form is a new file with
# the next version number. The second table pins the screening lists the forms print.
PUBLISHED = {
    ("microneedling", 1): "3184d6c92fad773dfba449f5118c153506a2ebb5af60eb4fdbbb8fe309ea4c88",
    ("microneedling-rf", 1): "fbc8148d05eca803d4435c6ce128375c304893c284b1153be3b2e8e8454f34f6",
    ("photography", 1): "b90e0b0f2548a43d13474a2844260530013a0ed5f3ebc34387d0099fe3a59db5",
}
PATIENT_LISTS_RULES_V1 = "491f5a8f359797bbd7494dc6d1510bb7171ab8fb55e9b0f2e23150bc0be6a69d"


def words_hash(value: object) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


GOOD = """+++
key = "test-form"
version = 2
title = "Consent for {{patient.full_name}}"
status = "published"
published = 2026-11-30
+++

## First part {#first}

Hello {{patient.full_name}},
welcome to {{clinic.name}}.

- one
- two, which goes on
  over two lines

{{contraindications.absent}}

- [ ] I have read the first part. {#read_first}
- [ ] A statement that goes
  on the next line. {#second_ack}

## Second part {#second}

- [ ] Understood. {#understood}
"""


def problems_of(text: str) -> list[str]:
    return [str(p) for p in check_template_text(text)]


def test_the_shipped_forms_are_the_three_published_version_1s() -> None:
    shelf = consent_templates()
    assert shelf.form_keys() == ("microneedling", "microneedling-rf", "photography")
    for key in shelf.form_keys():
        current = shelf.current(key)
        assert current is not None and current.version == 1
        assert current.status is TemplateStatus.PUBLISHED and current.published is not None
    assert shelf.get("microneedling-rf", 1).radiofrequency
    assert not shelf.get("microneedling", 1).radiofrequency


def test_published_versions_are_never_edited() -> None:
    for (key, version), expected in PUBLISHED.items():
        template = consent_templates().get(key, version)
        pinned = (template.key, template.version, template.title, template.published,
                  template.radiofrequency, asdict(template.text))
        assert words_hash(pinned) == expected, (
            f"{key} v{version} changed after publication: publish version {version + 1} "
            "instead")


def test_the_screening_lists_on_the_forms_stay_as_published() -> None:
    """Rewording contraindications.toml changes every form signed from then on: review it
    like a new template version, then update this hash."""
    lists = [screening_lists(rule_book(1), consent_wording(), radiofrequency=rf)
             for rf in (False, True)]
    assert words_hash(lists) == PATIENT_LISTS_RULES_V1


def test_the_treatment_forms_cover_every_topic_with_an_acknowledgement_each() -> None:
    for key in ("microneedling", "microneedling-rf"):
        text = consent_templates().get(key, 1).text
        sections = {s.key for s in text.sections}
        assert {"treatment", "benefits", "risks", "health", "alternatives", "care",
                "no_guarantee", "photographs", "questions", "withdrawal"} <= sections
        assert all(s.acknowledgements for s in text.sections), key
        words = " ".join(
            b.text for s in text.sections for b in s.blocks if isinstance(b, Paragraph)
        )
        assert "laser" in words and "chemical peel" in words


def test_a_good_template_reads_into_sections_blocks_and_acknowledgements() -> None:
    template = parse_template(GOOD)
    assert (template.key, template.version, template.status) == (
        "test-form", 2, TemplateStatus.PUBLISHED)
    first, second = template.text.sections
    assert (first.key, first.heading) == ("first", "First part")
    assert first.blocks[0] == Paragraph("Hello {{patient.full_name}}, welcome to {{clinic.name}}.")
    assert first.blocks[1] == BulletList(("one", "two, which goes on over two lines"))
    assert first.blocks[2] == Paragraph("{{contraindications.absent}}")
    assert [(a.key, a.text) for a in first.acknowledgements] == [
        ("read_first", "I have read the first part."),
        ("second_ack", "A statement that goes on the next line."),
    ]
    assert [a.key for a in template.text.acknowledgements] == [
        "read_first", "second_ack", "understood"]
    assert second.blocks == ()
    assert template.source_sha256 == hashlib.sha256(GOOD.encode()).hexdigest()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("{{clinic.name}}", "{{clinic.nmae}}"), "line 12: unknown placeholder {{clinic.nmae}}"),
        (("{#understood}", "{#read_first}"),
         "line 26: the key 'read_first' is already used on line 20"),
        (("## Second part {#second}", "## {#second}"), "line 24: a section has no heading text"),
        (("## Second part {#second}", "## Second part"),
         "line 24: a section heading needs a key at its end"),
        (("- [ ] Understood. {#understood}", "- [ ] Understood."),
         "line 26: an acknowledgement needs a key at its end"),
        (("## First part {#first}\n", ""), "line 10: text before the first ## heading"),
        (("## First part", "# First part"), "line 9: only ## headings are used"),
        (("- [ ] I have read", "- [x] I have read"), "line 20: write acknowledgements unticked"),
        (("{{contraindications.absent}}", "See {{contraindications.absent}}"),
         "line 18: the list {{contraindications.absent}} must stand alone on its line"),
        (("welcome to {{clinic.name}}.", "welcome to {{clinic.name}."),
         "line 12: a placeholder is not closed"),
        (("- [ ] Understood. {#understood}", "- [ ] Understood. {#understood}\n\nMore."),
         "line 28: text after an acknowledgement"),
        (("{#understood}", "{#Understood!}"), "line 26: key 'Understood!'"),
        (('status = "published"', 'status = "final"'),
         "line 1: status must be draft, published or retired"),
        (("version = 2", "version = 0"), "line 1: version must be a whole number"),
        (('published = 2026-11-30\n', ""), "line 1: published (the date) is required"),
        (('published = 2026-11-30', 'published = "30/11/2026"'),
         "line 1: published must be a date"),
        (('key = "test-form"', 'key = "Test Form"'), "line 1: key 'Test Form'"),
        (('title = "Consent for {{patient.full_name}}"\n', ""),
         "line 1: title is missing from the front matter"),
        (('status = "published"', 'status = "published"\nauthor = "me"'),
         "line 1: unknown front matter entry 'author'"),
        (('version = 2', 'version = = 2'), "line 3: front matter: "),
    ],
)
def test_each_problem_is_named_with_its_line(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_a_file_without_front_matter_says_so_on_line_1() -> None:
    assert problems_of("## Part {#part}\n\n- [ ] Fine. {#fine}\n") == [
        "line 1: the file must start with front matter between two +++ lines"]
    assert problems_of("+++\nkey = 'x'\n## Part {#part}\n") == [
        "line 1: the front matter has no closing +++ line"]


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    broken = GOOD.replace("{{clinic.name}}", "{{clinic}}").replace("{#understood}", "{#first}")
    with pytest.raises(InvalidTemplate) as caught:
        parse_template(broken, origin="test-form-v2.md")
    assert [p.line for p in caught.value.problems] == [12, 26]
    assert str(caught.value).startswith("test-form-v2.md: line 12: unknown placeholder")


def test_a_form_needs_sections_and_something_to_tick() -> None:
    front = GOOD.split("## First")[0]
    assert "the form has no sections" in problems_of(front)
    assert "the form has no acknowledgements to tick" in problems_of(
        front + "## Only text {#only}\n\nJust words.\n")


def test_filling_replaces_every_placeholder_with_its_value() -> None:
    text = filled_text("microneedling")
    everything = repr(text)
    assert "{{" not in everything and "}}" not in everything
    assert LONG_NAME in text.sections[0].blocks[0].text  # type: ignore[union-attr]
    assert "born on 14/03/1987" in everything
    assert "12 Rue de l'Élysée" not in everything or "Paris" in everything
    consent = next(s for s in text.sections if s.key == "consent")
    assert "from 30/11/2026" in consent.blocks[0].text  # type: ignore[union-attr]


def test_each_inline_placeholder_has_its_own_value() -> None:
    template = parse_template(GOOD.replace(
        "Hello {{patient.full_name}},",
        " ".join("{{" + name + "}}" for name in INLINE_PLACEHOLDERS),
    ))
    text = template.render(
        replace(values(), date_format=DateFormat.ISO), rules=rule_book(), wording=consent_wording()
    )
    first = text.sections[0].blocks[0]
    assert isinstance(first, Paragraph)
    assert first.text.split(" welcome")[0] == (
        f"{LONG_NAME} 1987-03-14 P-000417 {CLINIC_NAME} 12 Rue de l'Élysée, 75008 Paris, "
        "France +33 1 42 65 00 00 Dr Amélie Dubois-Nakamura Microneedling of the full face "
        "2026-11-30"
    )


def test_filled_values_stay_literal_markup_and_placeholders_alike() -> None:
    sneaky = "{{clinic.name}} " + MARKUP_NAME + " \\n **bold**"
    text = filled_text("photography", patient_name=sneaky)
    first = text.sections[0].blocks[0]
    assert isinstance(first, Paragraph)
    assert first.text.startswith(f"I, {sneaky}, born on")
    assert CLINIC_NAME not in first.text.split(", born")[0]


def test_a_date_of_birth_not_recorded_says_so() -> None:
    text = fill_text(
        consent_templates().get("photography", 1).text,
        replace(values(), patient_date_of_birth=None),
    )
    assert "born on not recorded" in repr(text)


def test_the_contraindications_come_from_the_screening_rules() -> None:
    rules, wording = rule_book(), consent_wording()
    plain = screening_lists(rules, wording, radiofrequency=False)
    with_rf = screening_lists(rules, wording, radiofrequency=True)
    for name, severity in (("contraindications.absent", Severity.DO_NOT_TREAT),
                           ("contraindications.discussed", Severity.NEEDS_CLEARANCE),
                           ("precare.avoid", Severity.ADVICE)):
        expected = [wording.phrases[r.id] for r in rules.rules
                    if r.severity is severity and r.id in wording.phrases]
        assert list(with_rf[name]) == expected
        assert list(plain[name]) == [
            wording.phrases[r.id] for r in rules.rules
            if r.severity is severity and r.id in wording.phrases and not r.rf_only]
    rf_only = {wording.phrases[r.id] for r in rules.rules if r.rf_only}
    assert rf_only and rf_only <= set(with_rf["contraindications.absent"]) | set(
        with_rf["contraindications.discussed"])
    assert not rf_only & set(plain["contraindications.absent"] + plain[
        "contraindications.discussed"])


def test_the_rf_only_rules_appear_on_the_rf_form_only() -> None:
    pacemaker = consent_wording().phrases["implanted_device_rf"]
    assert pacemaker in repr(filled_text("microneedling-rf"))
    assert pacemaker not in repr(filled_text("microneedling"))


def test_every_screening_rule_is_worded_for_patients_or_deliberately_omitted() -> None:
    rules, wording = rule_book(), consent_wording()
    ids = {r.id for r in rules.rules}
    assert set(wording.phrases) | set(wording.omitted) == ids
    assert not set(wording.phrases) & set(wording.omitted)
    assert "intake_out_of_date" in wording.omitted


def test_a_rule_without_wording_stops_the_form_from_being_filled() -> None:
    wording = consent_wording()
    partial = PatientWording(
        {k: v for k, v in wording.phrases.items() if k != "pregnancy"}, wording.omitted)
    with pytest.raises(ConsentFillError, match="pregnancy"):
        screening_lists(rule_book(), partial, radiofrequency=False)


def test_wording_entries_give_a_phrase_or_a_reason_to_omit() -> None:
    with pytest.raises(ConsentFillError, match="exactly one"):
        parse_patient_wording({"rules": {"x": {"patient": "a", "omit": "b"}}})
    with pytest.raises(ConsentFillError, match="empty"):
        parse_patient_wording({"rules": {"x": {"patient": "  "}}})


def test_an_empty_list_leaves_no_empty_bullets() -> None:
    template = parse_template(GOOD)
    rules = replace(rule_book(), rules=tuple(
        r for r in rule_book().rules if r.severity is not Severity.DO_NOT_TREAT))
    text = template.render(values(), rules=rules, wording=consent_wording())
    assert text.sections[0].blocks[-1] == BulletList(("one", "two, which goes on over two lines"))


def test_filling_refuses_a_list_that_was_not_expanded() -> None:
    with pytest.raises(ConsentFillError, match="not expanded"):
        fill_text(parse_template(GOOD).text, values())


def test_the_shelf_lists_versions_and_the_current_published_one(tmp_path: Path) -> None:
    for version, status in ((1, "retired"), (2, "published"), (3, "draft")):
        (tmp_path / f"test-form-v{version}.md").write_text(
            GOOD.replace("version = 2", f"version = {version}").replace(
                'status = "published"', f'status = "{status}"'), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a template", encoding="utf-8")
    (tmp_path / "README.md").write_text("# How to review these forms", encoding="utf-8")
    shelf = read_template_folder(tmp_path)
    assert [t.version for t in shelf.versions("test-form")] == [1, 2, 3]
    current = shelf.current("test-form")
    assert current is not None and current.version == 2
    with pytest.raises(KeyError) as missing:
        shelf.get("test-form", 4)
    assert missing.value.args == ("test-form version 4",)


def test_a_broken_file_on_the_shelf_is_named_in_the_refusal(tmp_path: Path) -> None:
    (tmp_path / "test-form-v2.md").write_text(GOOD.replace("{#understood}", "{#}"),
                                              encoding="utf-8")
    with pytest.raises(InvalidTemplate) as refused:
        read_template_folder(tmp_path)
    assert refused.value.origin == "test-form-v2.md"
    assert str(refused.value).startswith("test-form-v2.md: line ")


def test_a_file_name_must_match_its_front_matter(tmp_path: Path) -> None:
    (tmp_path / "test-form-v3.md").write_text(GOOD, encoding="utf-8")
    expected = "test-form-v3.md: line 1: the file name must be test-form-v2.md"
    with pytest.raises(InvalidTemplate, match=re.escape(expected)):
        read_template_folder(tmp_path)


def test_the_same_version_twice_is_refused() -> None:
    template = parse_template(GOOD)
    with pytest.raises(InvalidTemplate, match="appears twice"):
        shelf_of([template, template])


def test_an_imported_template_must_be_a_new_version_of_its_form() -> None:
    shelf = consent_templates()
    v1 = (reports_root().joinpath("consent", "photography-v1.md")).read_text("utf-8")
    with pytest.raises(InvalidTemplate, match="number this one 2"):
        check_imported_template(v1, shelf)
    v2 = v1.replace("version = 1", "version = 2")
    assert check_imported_template(v2, shelf).version == 2
    with pytest.raises(InvalidTemplate, match="draft or published"):
        check_imported_template(v2.replace('"published"', '"retired"'), shelf)
    with pytest.raises(InvalidTemplate, match="unknown placeholder"):
        check_imported_template(v2.replace("{{clinic.name}}", "{{clinic.email}}"), shelf)
    new_form = GOOD.replace("test-form", "brand-new")
    assert check_imported_template(new_form, shelf).key == "brand-new"
