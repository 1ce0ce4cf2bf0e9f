"""Placeholders in a consent template, and filling them at signing.

Two kinds of placeholder, both written `{{name}}`:
- inline ones (`{{patient.full_name}}`) inside a sentence, replaced by a value from
  `ConsentValues`;
- list ones (`{{contraindications.absent}}`), alone on a line, replaced by a bullet list
  drawn from the screening rule book, so that what the patient declares and what the
  screening checks never drift apart.

Filling is plain text substitution in one pass: a value is inserted exactly as given and
never read again, so a name that looks like markup or like a placeholder stays literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from clinic_desk.domain.consent_text import (
    Acknowledgement,
    Block,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.screening import RuleBook, Severity

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]*)\s*\}\}")
DATE_NOT_RECORDED = "not recorded"


@dataclass(frozen=True, slots=True)
class ConsentValues:
    """Everything an inline placeholder can stand for, as known at signing."""

    patient_full_name: str
    patient_date_of_birth: date | None
    patient_number: str
    clinic_name: str
    clinic_address: str
    clinic_phone: str
    practitioner_name: str
    treatment_name: str
    consent_date: date
    date_format: DateFormat = DateFormat.DAY_MONTH_YEAR_SLASH


def _date(day: date | None, fmt: DateFormat) -> str:
    return DATE_NOT_RECORDED if day is None else format_date(day, fmt)


def _one_line(text: str) -> str:
    """A multi-line address reads as one line inside a sentence."""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


INLINE_PLACEHOLDERS: Mapping[str, Callable[[ConsentValues], str]] = {
    "patient.full_name": lambda v: v.patient_full_name,
    "patient.date_of_birth": lambda v: _date(v.patient_date_of_birth, v.date_format),
    "patient.number": lambda v: v.patient_number,
    "clinic.name": lambda v: v.clinic_name,
    "clinic.address": lambda v: _one_line(v.clinic_address),
    "clinic.phone": lambda v: v.clinic_phone,
    "practitioner.name": lambda v: v.practitioner_name,
    "treatment.name": lambda v: v.treatment_name,
    "consent.date": lambda v: format_date(v.consent_date, v.date_format),
}

# Each list placeholder stands for the screening rules of one severity.
LIST_PLACEHOLDERS: Mapping[str, Severity] = {
    "contraindications.absent": Severity.DO_NOT_TREAT,
    "contraindications.discussed": Severity.NEEDS_CLEARANCE,
    "precare.avoid": Severity.ADVICE,
}


class ConsentFillError(ValueError):
    """The text cannot be completed (a rule without patient wording, a list not expanded)."""


@dataclass(frozen=True, slots=True)
class PatientWording:
    """How each screening rule is put to the patient on a consent form.

    The rule book's titles and reasons are written for staff ("Under 18", "check with
    the patient's doctor first"); the consent needs the patient's side of the same
    rule. `phrases` maps rule id to that phrase; `omitted` lists rules that are not the
    patient's to declare (for instance "medical history out of date"), with why.
    """

    phrases: Mapping[str, str]
    omitted: Mapping[str, str]


def parse_patient_wording(raw: Mapping[str, Any]) -> PatientWording:
    """Read the wording file (TOML, already parsed): `[rules.ID] patient = "..."` or
    `[rules.ID] omit = "why"`."""
    phrases: dict[str, str] = {}
    omitted: dict[str, str] = {}
    for rule_id, entry in dict(raw.get("rules", {})).items():
        if not isinstance(entry, Mapping) or set(entry) not in ({"patient"}, {"omit"}):
            raise ConsentFillError(
                f"rule {rule_id!r}: give exactly one of 'patient' (the phrase) or 'omit' (why)"
            )
        value = entry.get("patient", entry.get("omit"))
        if not isinstance(value, str) or not value.strip():
            raise ConsentFillError(f"rule {rule_id!r}: the text is empty")
        (phrases if "patient" in entry else omitted)[rule_id] = value.strip()
    return PatientWording(phrases=phrases, omitted=omitted)


def screening_lists(
    rules: RuleBook, wording: PatientWording, *, radiofrequency: bool
) -> dict[str, tuple[str, ...]]:
    """The bullet items for each list placeholder, in the rule book's order.

    Rules that apply only with radiofrequency appear only on a radiofrequency form. A
    rule without wording is an error, so a new rule cannot be left off a form unnoticed.
    """
    lists: dict[str, list[str]] = {name: [] for name in LIST_PLACEHOLDERS}
    missing = [
        r.id for r in rules.rules if r.id not in wording.phrases and r.id not in wording.omitted
    ]
    if missing:
        raise ConsentFillError(
            "screening rules without patient wording on the consent forms: " + ", ".join(missing)
        )
    for rule in rules.rules:
        if rule.id in wording.omitted or (rule.rf_only and not radiofrequency):
            continue
        for name, severity in LIST_PLACEHOLDERS.items():
            if rule.severity is severity:
                lists[name].append(wording.phrases[rule.id])
    return {name: tuple(items) for name, items in lists.items()}


def list_placeholder(block: Block) -> str | None:
    """The list placeholder's name when the block is one, alone in its paragraph."""
    if isinstance(block, Paragraph):
        found = PLACEHOLDER.fullmatch(block.text.strip())
        if found and found.group(1) in LIST_PLACEHOLDERS:
            return found.group(1)
    return None


def expand_lists(text: ConsentText, lists: Mapping[str, tuple[str, ...]]) -> ConsentText:
    """Replace each list placeholder by its bullet list (an empty list leaves nothing)."""

    def blocks(section: ConsentSection) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in section.blocks:
            name = list_placeholder(block)
            if name is None:
                out.append(block)
            elif lists.get(name):
                out.append(BulletList(lists[name]))
        return tuple(out)

    return replace(text, sections=tuple(replace(s, blocks=blocks(s)) for s in text.sections))


def fill_text(text: ConsentText, values: ConsentValues) -> ConsentText:
    """Every inline placeholder replaced by its value, in one pass over the template's
    own words; list placeholders must have been expanded first."""
    for section in text.sections:
        for block in section.blocks:
            name = list_placeholder(block)
            if name is not None:
                raise ConsentFillError(f"the list {{{{{name}}}}} was not expanded before filling")
    known = {name: value(values) for name, value in INLINE_PLACEHOLDERS.items()}

    def sub(words: str) -> str:
        def one(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in known:
                raise ConsentFillError(f"unknown placeholder {found.group(0)}")
            return known[name]

        return PLACEHOLDER.sub(one, words)

    def filled(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return Paragraph(sub(b.text))
        return BulletList(tuple(sub(item) for item in b.items))

    return ConsentText(
        template_key=text.template_key,
        template_version=text.template_version,
        title=sub(text.title),
        sections=tuple(
            ConsentSection(
                key=s.key,
                heading=sub(s.heading),
                blocks=tuple(filled(b) for b in s.blocks),
                acknowledgements=tuple(
                    Acknowledgement(a.key, sub(a.text)) for a in s.acknowledgements
                ),
            )
            for s in text.sections
        ),
    )
