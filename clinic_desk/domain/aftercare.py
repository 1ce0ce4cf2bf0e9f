"""Aftercare and pre-care sheets composed for what was (or will be) done.

From a template (`sheet_template`) keep the sections that apply: the base always, RF
additions only after RF, area additions only when one of their areas (or regions, via
the protocol) was treated. The result is plain data grouped as a timeline, for the PDF
and the preview alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clinic_desk.domain.consent_text import Block, BulletList, Paragraph
from clinic_desk.domain.protocol import Protocol
from clinic_desk.domain.sheet_template import (
    Applies,
    SectionKind,
    SheetTemplate,
    TemplateSection,
    fill,
)


@dataclass(frozen=True, slots=True)
class SheetSection:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class PhaseGroup:
    key: str
    label: str
    sections: tuple[SheetSection, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    template_kind: str
    template_version: int
    title: str
    intro: tuple[SheetSection, ...]
    phases: tuple[PhaseGroup, ...]
    call_the_clinic: tuple[SheetSection, ...]
    closing: tuple[SheetSection, ...]

    @property
    def section_keys(self) -> tuple[str, ...]:
        keys = [s.key for s in self.intro]
        keys += [s.key for group in self.phases for s in group.sections]
        keys += [s.key for s in self.call_the_clinic] + [s.key for s in self.closing]
        return tuple(keys)


@dataclass(frozen=True, slots=True)
class TreatmentDone:
    """What the sheet is for: the treated areas (protocol keys) and whether RF was used."""

    areas: tuple[str, ...]
    used_rf: bool


def section_applies(
    section: TemplateSection, done: TreatmentDone, regions: frozenset[str]
) -> bool:
    if section.applies is Applies.RF and not done.used_rf:
        return False
    if section.applies is Applies.NO_RF and done.used_rf:
        return False
    if not section.areas and not section.regions:
        return True
    return bool(set(section.areas) & set(done.areas) or set(section.regions) & regions)


def compose_sheet(
    template: SheetTemplate,
    done: TreatmentDone,
    protocol: Protocol,
    values: Mapping[str, str],
) -> Sheet:
    """The sections that apply, placeholders filled from `values`, grouped by phase."""
    # protocol.area raises KeyError for an area the protocol does not know.
    regions = frozenset(str(protocol.area(a).region) for a in done.areas)
    kept = [s for s in template.sections if section_applies(s, done, regions)]

    def of_kind(kind: SectionKind) -> tuple[SheetSection, ...]:
        return tuple(_filled(s, values) for s in kept if s.kind is kind)

    groups = []
    for phase in template.phases:
        sections = tuple(
            _filled(s, values)
            for s in kept
            if s.kind is SectionKind.TIMELINE and s.phase == phase.key
        )
        if sections:
            groups.append(PhaseGroup(phase.key, phase.label, sections))
    return Sheet(
        template_kind=template.kind,
        template_version=template.version,
        title=template.title,
        intro=of_kind(SectionKind.INTRO),
        phases=tuple(groups),
        call_the_clinic=of_kind(SectionKind.CALL_CLINIC),
        closing=of_kind(SectionKind.CLOSING),
    )


def compose_aftercare(
    template: SheetTemplate,
    done: TreatmentDone,
    protocol: Protocol,
    *,
    clinic_phone: str,
    next_appointment: str,
) -> Sheet:
    """`next_appointment` is the booked date and time, or the window for booking it."""
    values = {"clinic_phone": clinic_phone, "next_appointment": next_appointment}
    return compose_sheet(template, done, protocol, values)


def compose_precare(
    template: SheetTemplate,
    protocol: Protocol,
    *,
    uses_rf: bool,
    areas: Sequence[str] = (),
    clinic_phone: str,
) -> Sheet:
    """Before the first session; the numbing time comes from the protocol."""
    values = {
        "clinic_phone": clinic_phone,
        "numbing_minutes": str(protocol.numbing.default_minutes),
    }
    return compose_sheet(template, TreatmentDone(tuple(areas), uses_rf), protocol, values)


def _filled(section: TemplateSection, values: Mapping[str, str]) -> SheetSection:
    blocks: list[Block] = []
    for block in section.blocks:
        if isinstance(block, BulletList):
            blocks.append(BulletList(tuple(fill(item, values) for item in block.items)))
        else:
            blocks.append(Paragraph(fill(block.text, values)))
    return SheetSection(section.key, fill(section.heading, values), tuple(blocks))
