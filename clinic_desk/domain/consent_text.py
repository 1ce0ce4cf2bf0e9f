"""The words of a consent form: what the patient reads, ticks and signs.

A template file in `reports/consent/` is parsed into a `ConsentText` with placeholders
still in it; filling the placeholders at signing gives the `ConsentText` that is shown,
frozen in the signed record and printed. Pure data, shared by the reading view, the
frozen record and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


Block = Paragraph | BulletList


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """One statement the patient must tick; `key` is stable within a template version."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class ConsentSection:
    key: str
    heading: str
    blocks: tuple[Block, ...]
    acknowledgements: tuple[Acknowledgement, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentText:
    """One template version's text (filled or not): e.g. ("microneedling-rf", 1)."""

    template_key: str
    template_version: int
    title: str
    sections: tuple[ConsentSection, ...]

    @property
    def acknowledgements(self) -> tuple[Acknowledgement, ...]:
        return tuple(ack for section in self.sections for ack in section.acknowledgements)
