"""Sheet templates (aftercare, pre-care): Markdown with a TOML front matter.

The file starts with a front matter between two `+++` lines, read with `tomllib`:
the template's kind, version, title, its timeline phases in order, and one table per
section saying when it applies (`applies = "rf"`, `areas = ["scalp"]`,
`regions = ["body"]`), which phase it belongs to and its source. The body holds the
words: one `## Heading {#section-key}` per section, then paragraphs and `- ` lists.
Placeholders such as `{clinic_phone}` are filled when a sheet is composed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from clinic_desk.domain.catalogue_data import CatalogueError
from clinic_desk.domain.consent_text import Block, BulletList, Paragraph

FENCE = "+++"
_HEADING = re.compile(r"^## (?P<heading>.+?)\s+\{#(?P<key>[a-z0-9][a-z0-9-]*)\}\s*$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class SectionKind(StrEnum):
    INTRO = "intro"
    TIMELINE = "timeline"
    CALL_CLINIC = "call_clinic"
    CLOSING = "closing"


class Applies(StrEnum):
    ALWAYS = "always"
    RF = "rf"
    NO_RF = "no_rf"


@dataclass(frozen=True, slots=True)
class Phase:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class TemplateSection:
    key: str
    heading: str
    blocks: tuple[Block, ...]
    kind: SectionKind
    phase: str | None
    applies: Applies
    # Empty: any area. Otherwise the section applies when one of these was treated.
    areas: tuple[str, ...]
    regions: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class SheetTemplate:
    kind: str
    version: int
    title: str
    phases: tuple[Phase, ...]
    sections: tuple[TemplateSection, ...]

    def section(self, key: str) -> TemplateSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def placeholders(self) -> frozenset[str]:
        found: set[str] = set()
        for section in self.sections:
            for text in _texts(section):
                found.update(PLACEHOLDER.findall(text))
        return frozenset(found)


def _texts(section: TemplateSection) -> list[str]:
    texts = [section.heading]
    for block in section.blocks:
        texts += list(block.items) if isinstance(block, BulletList) else [block.text]
    return texts


def parse_sheet_template(text: str) -> SheetTemplate:
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise CatalogueError("", f"the file must start with a front matter between {FENCE} lines")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise CatalogueError("", f"the front matter has no closing {FENCE} line") from None
    front = tomllib.loads("\n".join(lines[1:end]))
    bodies = _body_sections(lines[end + 1 :], first_line=end + 2)
    tags = _table(front, "sections")
    phases = _phases(front)
    phase_keys = {p.key for p in phases}
    if list(tags) != [key for key, _, _ in bodies]:
        raise CatalogueError(
            "sections",
            "the front matter and the body must list the same sections in the same order "
            f"(front matter: {', '.join(tags)}; body: {', '.join(k for k, _, _ in bodies)})",
        )
    sections = tuple(
        _section(key, heading, blocks, _table(tags, key), phase_keys)
        for key, heading, blocks in bodies
    )
    return SheetTemplate(
        kind=_text(front, "kind", ""),
        version=_integer(front, "version"),
        title=_text(front, "title", ""),
        phases=phases,
        sections=sections,
    )


def _table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        raise CatalogueError(key, "must be a TOML table")
    return value


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}.{key}" if where else key, "must be a non-empty text")
    return value.strip()


def _integer(raw: Mapping[str, Any], key: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CatalogueError(key, "must be a whole number from 1")
    return value


def _phases(front: Mapping[str, Any]) -> tuple[Phase, ...]:
    raw = front.get("phases")
    if not isinstance(raw, list) or not raw:
        raise CatalogueError("phases", "must list the timeline's phases in order")
    phases = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise CatalogueError(f"phases[{index}]", "must be a table with key and label")
        phases.append(
            Phase(_text(item, "key", f"phases[{index}]"), _text(item, "label", f"phases[{index}]"))
        )
    if len({p.key for p in phases}) != len(phases):
        raise CatalogueError("phases", "each phase key may appear once")
    return tuple(phases)


def _section(
    key: str,
    heading: str,
    blocks: tuple[Block, ...],
    tags: Mapping[str, Any],
    phase_keys: set[str],
) -> TemplateSection:
    where = f"sections.{key}"
    known = {"kind", "phase", "applies", "areas", "regions", "source"}
    unknown = sorted(set(tags) - known)
    if unknown:
        raise CatalogueError(where, f"unknown tag {unknown[0]!r}")
    try:
        kind = SectionKind(tags.get("kind", SectionKind.TIMELINE))
        applies = Applies(tags.get("applies", Applies.ALWAYS))
    except ValueError as exc:
        raise CatalogueError(where, str(exc)) from None
    phase = tags.get("phase")
    if kind is SectionKind.TIMELINE and phase not in phase_keys:
        raise CatalogueError(f"{where}.phase", f"must be one of {', '.join(sorted(phase_keys))}")
    if kind is not SectionKind.TIMELINE and phase is not None:
        raise CatalogueError(f"{where}.phase", "only a timeline section has a phase")
    if not blocks:
        raise CatalogueError(where, "the section has no text")
    return TemplateSection(
        key=key,
        heading=heading,
        blocks=blocks,
        kind=kind,
        phase=phase,
        applies=applies,
        areas=_keys(tags, "areas", where),
        regions=_keys(tags, "regions", where),
        source=_text(tags, "source", where),
    )


def _keys(tags: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    value = tags.get(name, [])
    if not isinstance(value, list) or any(not isinstance(v, str) or not v for v in value):
        raise CatalogueError(f"{where}.{name}", "must be a list of keys")
    return tuple(value)


def _body_sections(
    lines: list[str], first_line: int
) -> list[tuple[str, str, tuple[Block, ...]]]:
    """The body's sections; `first_line` is the body's line number in the file."""
    sections: list[tuple[str, str, list[str]]] = []
    for number, line in enumerate(lines, start=first_line):
        if line.startswith("#"):
            found = _HEADING.match(line)
            if not found:
                raise CatalogueError(
                    f"line {number}", "a heading must read “## Heading {#section-key}”"
                )
            sections.append((found["key"], found["heading"], []))
        elif sections:
            sections[-1][2].append(line)
        elif line.strip():
            raise CatalogueError(f"line {number}", "text before the first section")
    return [(key, heading, _blocks(body)) for key, heading, body in sections]


def _blocks(lines: list[str]) -> tuple[Block, ...]:
    """Paragraphs (lines joined) and `- ` lists (an indented line continues an item)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(BulletList(tuple(items)))
            items.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("- "):
            if paragraph:
                flush()
            items.append(stripped[2:].strip())
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return tuple(blocks)


def fill(text: str, values: Mapping[str, str]) -> str:
    """Placeholders replaced; a placeholder without a value is an error, not a gap."""

    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in values:
            raise KeyError(f"no value for the placeholder {{{name}}}")
        return values[name]

    return PLACEHOLDER.sub(value, text)
