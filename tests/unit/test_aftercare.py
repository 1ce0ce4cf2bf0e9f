"""Aftercare and pre-care: RF and area additions appear only when they apply; the
template format is parsed strictly with errors that say where."""

from __future__ import annotations

import pytest

from clinic_desk.catalogue_treatment import (
    aftercare_template,
    load_named_sheet,
    load_sheet_template,
    precare_template,
    protocol,
)
from clinic_desk.domain.aftercare import (
    Sheet,
    TreatmentDone,
    compose_aftercare,
    compose_precare,
)
from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.consent_text import BulletList, Paragraph
from clinic_desk.domain.sheet_template import Applies, SectionKind, fill
from clinic_desk.shipped import reports_root

PHONE = "+44 20 7946 0000"
NEXT = "Monday 4 January 2027 at 10:00"
BASE = [
    "intro", "first-day", "two-days", "first-week", "two-weeks", "two-months",
    "call-the-clinic", "next-appointment",
]
RF_ONLY = {"first-day-rf", "two-days-rf", "first-week-rf", "call-the-clinic-rf"}
EYES = {"first-day-eyes"}
SCALP = {"first-day-scalp", "two-days-scalp"}
BODY = {"two-days-body", "first-week-body"}


def aftercare(*areas: str, rf: bool = False) -> Sheet:
    return compose_aftercare(aftercare_template(), TreatmentDone(areas, rf), protocol(),
                             clinic_phone=PHONE, next_appointment=NEXT)


def text_of(sheet: Sheet) -> str:
    parts = []
    sections = [*sheet.intro, *(s for g in sheet.phases for s in g.sections),
                *sheet.call_the_clinic, *sheet.closing]
    for section in sections:
        parts.append(section.heading)
        for block in section.blocks:
            parts += block.items if isinstance(block, BulletList) else [block.text]
    return "\n".join(parts)


def test_base_aftercare_without_rf_on_the_cheeks() -> None:
    sheet = aftercare("cheeks")
    assert list(sheet.section_keys) == BASE
    assert sheet.template_kind == "aftercare" and sheet.template_version == 1
    assert sheet.title == "Looking after your skin after microneedling"


@pytest.mark.parametrize(
    ("areas", "rf", "extra"),
    [
        (("cheeks",), True, RF_ONLY),
        (("around_eyes",), False, EYES),
        (("scalp",), False, SCALP),
        (("abdomen",), False, BODY),
        (("thighs",), False, BODY),
        (("neck",), False, BODY),
        (("forehead", "nose", "full_face"), False, set()),
        (("around_eyes", "scalp", "hands"), True, RF_ONLY | EYES | SCALP | BODY),
        ((), False, set()),
    ],
)
def test_additions_appear_only_when_they_apply(
    areas: tuple[str, ...], rf: bool, extra: set[str]
) -> None:
    keys = set(aftercare(*areas, rf=rf).section_keys)
    assert keys - set(BASE) == extra
    assert set(BASE) <= keys


def test_timeline_groups_in_order_with_their_labels() -> None:
    sheet = aftercare("around_eyes", "abdomen", rf=True)
    assert [(g.key, g.label) for g in sheet.phases] == [
        ("first_24_hours", "The first 24 hours"),
        ("48_hours", "The first 48 hours"),
        ("first_week", "The first week"),
        ("two_weeks", "The first two weeks"),
        ("two_months", "Up to two months"),
    ]
    assert [s.key for s in sheet.phases[0].sections] == [
        "first-day", "first-day-rf", "first-day-eyes",
    ]
    assert [s.key for s in sheet.call_the_clinic] == ["call-the-clinic", "call-the-clinic-rf"]


def test_the_words_carry_the_facts_and_the_filled_placeholders() -> None:
    words = text_of(aftercare("cheeks"))
    assert "at least 48 hours" in words  # [000]
    assert "next two weeks" in words  # [004] sunscreen
    assert "up to two months" in words  # [004]
    assert "up to five days" in words  # [003]
    assert f"Your next appointment: {NEXT}." in words
    assert PHONE in words
    assert "{" not in words
    assert "sauna" not in words  # RF words stay out without RF
    assert "sauna" in text_of(aftercare("cheeks", rf=True))


def test_call_the_clinic_list() -> None:
    sheet = aftercare("cheeks")
    items = next(b for b in sheet.call_the_clinic[0].blocks if isinstance(b, BulletList)).items
    joined = " ".join(items)
    for sign in ("fever", "pus", "bleeding does not stop", "blisters"):
        assert sign in joined


def test_an_unknown_area_is_an_error() -> None:
    with pytest.raises(KeyError):
        aftercare("elbow")


def test_a_missing_placeholder_value_is_an_error() -> None:
    with pytest.raises(KeyError, match="next_appointment"):
        fill("Next: {next_appointment}", {})
    assert fill("Call {clinic_phone}.", {"clinic_phone": "123"}) == "Call 123."


# ---- pre-care ----------------------------------------------------------------------


def precare(*areas: str, rf: bool = False) -> Sheet:
    return compose_precare(precare_template(), protocol(), uses_rf=rf, areas=areas,
                           clinic_phone=PHONE)


def test_precare_lists_what_to_avoid_and_for_how_long() -> None:
    sheet = precare()
    assert [g.key for g in sheet.phases] == [
        "six_months_before", "month_before", "week_before", "day_before", "on_the_day",
    ]
    words = text_of(sheet)
    assert "isotretinoin in the last six months" in words
    assert "at least 24 hours before" in words
    assert "retinol" in words and "exfoliants" in words
    assert "without makeup" in words
    assert "about 30 minutes" in words  # the protocol's numbing default
    assert "{" not in words
    assert "pacemaker" not in words and "Scalp" not in words


def test_precare_rf_and_scalp_additions() -> None:
    assert "pacemaker" in text_of(precare(rf=True))
    keys = set(precare("scalp").section_keys)
    assert "on-the-day-scalp" in keys and "on-the-day-rf" not in keys


def test_shipped_templates_cite_sources_and_use_known_areas() -> None:
    areas = {a.key for a in protocol().areas}
    regions = {"face", "body", "scalp"}
    for template in (aftercare_template(), precare_template()):
        for section in template.sections:
            assert section.source
            assert set(section.areas) <= areas, section.key
            assert set(section.regions) <= regions, section.key
        assert template.placeholders <= {"clinic_phone", "next_appointment", "numbing_minutes"}
    eyes = aftercare_template().section("first-day-eyes")
    assert eyes.areas == ("around_eyes",) and eyes.applies is Applies.ALWAYS
    assert aftercare_template().section("first-day-rf").applies is Applies.RF
    assert aftercare_template().section("call-the-clinic").kind is SectionKind.CALL_CLINIC
    with pytest.raises(KeyError):
        aftercare_template().section("nope")


# ---- template format ---------------------------------------------------------------

GOOD = """+++
kind = "aftercare"
version = 2
title = "T"
phases = [{ key = "day", label = "Day" }, { key = "week", label = "Week" }]

[sections.a]
phase = "day"
source = "[000]"

[sections.b]
kind = "call_clinic"
applies = "no_rf"
regions = ["body"]
source = "x"
+++

## First {#a}

One line
and its continuation.

- item one
  continued
- item two
Closing words.

## Call {#b}

- fever
"""


def test_the_format_parses_paragraphs_lists_and_tags() -> None:
    template = load_sheet_template(GOOD, "t.md")
    assert (template.kind, template.version, template.title) == ("aftercare", 2, "T")
    a, b = template.sections
    assert a.blocks == (
        Paragraph("One line and its continuation."),
        BulletList(("item one continued", "item two")),
        Paragraph("Closing words."),
    )
    assert (a.kind, a.phase, a.applies) == (SectionKind.TIMELINE, "day", Applies.ALWAYS)
    assert (b.kind, b.phase, b.applies, b.regions) == (
        SectionKind.CALL_CLINIC, None, Applies.NO_RF, ("body",),
    )


def test_no_rf_sections_leave_with_rf() -> None:
    template = load_sheet_template(GOOD, "t.md")
    from clinic_desk.domain.aftercare import compose_sheet

    with_rf = compose_sheet(template, TreatmentDone(("abdomen",), True), protocol(), {})
    without = compose_sheet(template, TreatmentDone(("abdomen",), False), protocol(), {})
    face = compose_sheet(template, TreatmentDone(("cheeks",), False), protocol(), {})
    assert with_rf.section_keys == ("a",)
    assert without.section_keys == ("a", "b")
    assert face.section_keys == ("a",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("+++\nkind", "kind", 1), "must start with a front matter"),
        (lambda t: t.replace("+++\n\n## First", "\n## First"), "no closing +++"),
        (lambda t: t.replace('version = 2', 'version = 0'), "version: must be a whole number"),
        (lambda t: t.replace('title = "T"', 'title = ""'), "title: must be a non-empty text"),
        (lambda t: t.replace('phase = "day"', 'phase = "month"'), "sections.a.phase: must be"),
        (lambda t: t.replace('kind = "call_clinic"', 'kind = "call_clinic"\nphase = "day"'),
         "sections.b.phase: only a timeline section"),
        (lambda t: t.replace('applies = "no_rf"', 'applies = "laser"'), "sections.b:"),
        (lambda t: t.replace('regions = ["body"]', 'regions = "body"'),
         "sections.b.regions: must be a list"),
        (lambda t: t.replace('source = "x"\n', ''), "sections.b.source"),
        (lambda t: t.replace('source = "x"', 'source = "x"\ncolour = "red"'),
         "unknown tag 'colour'"),
        (lambda t: t.replace("## Call {#b}", "## Call {#c}"), "same sections in the same order"),
        (lambda t: t.replace("## Call {#b}", "## Call"), "line 28"),
        (lambda t: t.replace("## Call {#b}\n\n- fever\n", "## Call {#b}\n"), "has no text"),
        (lambda t: t.replace("\n## First", "Stray words\n## First"),
         "line 17: text before the first"),
        (lambda t: t.replace('{ key = "week", label = "Week" }', '{ key = "day", label = "D" }'),
         "each phase key may appear once"),
        (lambda t: t.replace('phases = [', 'phases = []\nold = ['), "phases: must list"),
        (lambda t: t.replace('{ key = "week", label = "Week" }', '"week"'), "phases[1]"),
        (lambda t: t.replace('title = "T"', 'title = T'), "not valid TOML"),
    ],
)
def test_broken_templates_are_named(change: object, message: str) -> None:
    assert callable(change)
    with pytest.raises(CatalogueError) as caught:
        load_sheet_template(change(GOOD), "t.md")
    assert str(caught.value).startswith("t.md")
    assert message in str(caught.value)


def test_sections_table_must_exist() -> None:
    text = GOOD.replace("[sections.a]", "[other.a]").replace("[sections.b]", "[other.b]")
    with pytest.raises(CatalogueError, match="sections: must be a TOML table"):
        load_sheet_template(text, "t.md")


def test_template_files_are_versioned_and_ship_in_reports() -> None:
    assert reports_root().joinpath("aftercare", "aftercare-v1.md").is_file()
    assert reports_root().joinpath("precare", "precare-v1.md").is_file()
    assert precare_template().kind == "precare" and precare_template().version == 1


def test_a_template_must_match_its_file_name() -> None:
    assert load_named_sheet(GOOD, "aftercare-v2.md", "aftercare", 2).version == 2
    with pytest.raises(CatalogueError, match="declares aftercare version 2, not aftercare 3"):
        load_named_sheet(GOOD, "aftercare-v3.md", "aftercare", 3)
    with pytest.raises(CatalogueError, match="not precare 2"):
        load_named_sheet(GOOD, "precare-v2.md", "precare", 2)


def test_placeholders_from_headings_paragraphs_and_lists() -> None:
    text = GOOD.replace("## Call {#b}", "## Call {clinic_phone} {#b}").replace(
        "One line", "One {numbing_minutes} line").replace("- item two", "- item {next_appointment}")
    template = load_sheet_template(text, "t.md")
    assert template.placeholders == {"clinic_phone", "numbing_minutes", "next_appointment"}
    from clinic_desk.domain.aftercare import compose_sheet

    values = {"clinic_phone": "123", "numbing_minutes": "30", "next_appointment": "soon"}
    sheet = compose_sheet(template, TreatmentDone(("abdomen",), False), protocol(), values)
    assert sheet.call_the_clinic[0].heading == "Call 123"
    assert sheet.phases[0].sections[0].blocks[0] == Paragraph("One 30 line and its continuation.")
    assert sheet.phases[0].sections[0].blocks[1] == BulletList(("item one continued", "item soon"))
    assert sheet.phases[0].label == "Day"
    with pytest.raises(KeyError, match="nope"):
        template.section("nope")


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("+++\n+++\n## A {#a}\n\nx\n", "sections", "must be a TOML table"),
        (GOOD.replace('title = "T"', 'title = "  "'), "title", "must be a non-empty text"),
        (GOOD.replace("version = 2", "version = true"), "version", "must be a whole number from 1"),
        (GOOD.replace('label = "Day"', 'label = ""'), "phases[0].label",
         "must be a non-empty text"),
        (GOOD.replace('source = "x"', 'source = "x"\ncolour = "red"'), "sections.b",
         "unknown tag 'colour'"),
        (GOOD.replace('applies = "no_rf"', 'applies = "laser"'), "sections.b",
         "'laser' is not a valid Applies"),
        (GOOD.replace("## Call {#b}\n\n- fever\n", "## Call {#b}\n"), "sections.b",
         "the section has no text"),
        (GOOD.replace('regions = ["body"]', 'regions = ["body", ""]'), "sections.b.regions",
         "must be a list of keys"),
        (GOOD.replace('phase = "day"', 'phase = "day"\nareas = [1]'), "sections.a.areas",
         "must be a list of keys"),
        (GOOD.replace("## Call {#b}", "# Call {#b}"), "line 28",
         "a heading must read “## Heading {#section-key}”"),
    ],
)
def test_template_errors_say_exactly_where(text: str, where: str, problem: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_sheet_template(text, "t.md")
    assert (caught.value.where, caught.value.problem) == (f"t.md: {where}", problem)
