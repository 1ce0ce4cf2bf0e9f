"""Consent form templates: one Markdown file per version, read into a `ConsentText`.

The format (explained for clinic staff in `reports/README.md`):

    +++
    key = "microneedling"            # the form; lower case, digits and dashes
    version = 1                      # a published version is never edited
    title = "Consent to microneedling"
    status = "published"             # draft, published or retired
    published = 2026-11-30           # required unless draft
    radiofrequency = false           # true: the RF-only screening rules are listed
    +++

    ## About the treatment {#treatment}

    A paragraph, lines joined until a blank line. {{patient.full_name}} is filled in.

    - a bullet item
    {{contraindications.absent}}     (alone on its line: a list from the screening rules)

    - [ ] A statement the patient ticks. {#treatment_explained}

The parser returns every problem at once, each naming its line, so the same function
checks a shipped file in the tests and a file an administrator imports in the app.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from clinic_desk.domain.consent_fill import (
    INLINE_PLACEHOLDERS,
    LIST_PLACEHOLDERS,
    PLACEHOLDER,
    ConsentValues,
    PatientWording,
    expand_lists,
    fill_text,
    screening_lists,
)
from clinic_desk.domain.consent_text import (
    Acknowledgement,
    Block,
    BulletList,
    ConsentSection,
    ConsentText,
    Paragraph,
)
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.screening import RuleBook

FENCE = "+++"
_KEY = re.compile(r"^[a-z][a-z0-9-]*$")
_ITEM_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADING = re.compile(r"^(#+)\s*(.*?)\s*$")
_KEY_SUFFIX = re.compile(r"\s*\{#([^}]*)\}\s*$")
_FRONT_MATTER_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class TemplateStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


class InvalidTemplate(ClinicDeskError):
    """A template that cannot be used; `problems` lists every reason, each with its line."""

    def __init__(self, problems: Iterable[TemplateProblem], *, origin: str = "") -> None:
        self.problems = tuple(problems)
        self.origin = origin
        where = f"{origin}: " if origin else ""
        super().__init__(where + "; ".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class ConsentTemplate:
    """One version of one form, its placeholders not yet filled."""

    key: str
    version: int
    title: str
    status: TemplateStatus
    published: date | None
    radiofrequency: bool
    text: ConsentText
    source_sha256: str

    def render(
        self, values: ConsentValues, *, rules: RuleBook, wording: PatientWording
    ) -> ConsentText:
        """The exact text the patient reads and signs: lists from the screening rules,
        then the patient's, clinic's and practitioner's details filled in."""
        lists = screening_lists(rules, wording, radiofrequency=self.radiofrequency)
        return fill_text(expand_lists(self.text, lists), values)


@dataclass(slots=True)
class _Section:
    line: int
    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)


_FRONT_MATTER_KEYS = {"key", "version", "title", "status", "published", "radiofrequency"}


def check_template_text(source: str) -> list[TemplateProblem]:
    """Every problem in a template's text; an empty list when it can be used."""
    try:
        parse_template(source)
    except InvalidTemplate as invalid:
        return list(invalid.problems)
    return []


def parse_template(source: str, *, origin: str = "") -> ConsentTemplate:
    """Read a template file's text; raise `InvalidTemplate` listing every problem."""
    problems: list[TemplateProblem] = []
    lines = source.removeprefix("\ufeff").splitlines()
    meta, body_start = _front_matter(lines, problems)
    sections = _body(lines, body_start, problems)
    if meta is None:  # no front matter to check: saying so is enough
        raise InvalidTemplate(sorted(problems, key=lambda p: p.line or 0), origin=origin)
    key = _text(meta, "key", problems)
    if key and not _KEY.match(key):
        problems.append(TemplateProblem(1, f"key {key!r}: use lower-case letters, digits, dashes"))
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(TemplateProblem(1, "version must be a whole number, 1 or more"))
        version = 0
    title = _text(meta, "title", problems)
    status = _status(meta, problems)
    published = meta.get("published")
    if published is not None and type(published) is not date:
        problems.append(TemplateProblem(1, "published must be a date written YYYY-MM-DD"))
        published = None
    if published is None and status is not TemplateStatus.DRAFT and "status" in meta:
        problems.append(TemplateProblem(1, "published (the date) is required unless a draft"))
    radiofrequency = meta.get("radiofrequency", False)
    if not isinstance(radiofrequency, bool):
        problems.append(TemplateProblem(1, "radiofrequency must be true or false"))
        radiofrequency = False
    for unknown in sorted(set(meta) - _FRONT_MATTER_KEYS):
        problems.append(TemplateProblem(1, f"unknown front matter entry {unknown!r}"))
    for problem in _placeholder_problems(title, 1):
        problems.append(problem)
    if body_start and not sections:
        problems.append(TemplateProblem(None, "the form has no sections"))
    if sections and not any(s.acknowledgements for s in sections):
        problems.append(TemplateProblem(None, "the form has no acknowledgements to tick"))
    if problems:
        raise InvalidTemplate(sorted(problems, key=lambda p: p.line or 0), origin=origin)
    text = ConsentText(
        template_key=key,
        template_version=version,
        title=title,
        sections=tuple(
            ConsentSection(s.key, s.heading, tuple(s.blocks), tuple(s.acknowledgements))
            for s in sections
        ),
    )
    return ConsentTemplate(
        key=key,
        version=version,
        title=title,
        status=status,
        published=published,
        radiofrequency=radiofrequency,
        text=text,
        source_sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
    )


def _front_matter(
    lines: list[str], problems: list[TemplateProblem]
) -> tuple[dict[str, object] | None, int]:
    if not lines or lines[0].strip() != FENCE:
        problems.append(
            TemplateProblem(1, f"the file must start with front matter between two {FENCE} lines")
        )
        return None, 0
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        problems.append(TemplateProblem(1, f"the front matter has no closing {FENCE} line"))
        return None, 0
    try:
        return tomllib.loads("\n".join(lines[1:end])), end + 1
    except tomllib.TOMLDecodeError as error:
        found = _FRONT_MATTER_LINE.search(str(error))
        line = int(found.group(1)) + 1 if found else 1
        message = _FRONT_MATTER_LINE.sub("", str(error)).strip()
        problems.append(TemplateProblem(line, f"front matter: {message}"))
        return None, end + 1


def _text(meta: dict[str, object], name: str, problems: list[TemplateProblem]) -> str:
    value = meta.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(TemplateProblem(1, f"{name} is missing from the front matter"))
        return ""
    return value.strip()


def _status(meta: dict[str, object], problems: list[TemplateProblem]) -> TemplateStatus:
    raw = meta.get("status")
    try:
        return TemplateStatus(str(raw))
    except ValueError:
        problems.append(TemplateProblem(1, "status must be draft, published or retired"))
        return TemplateStatus.DRAFT


def _placeholder_problems(text: str, line: int) -> list[TemplateProblem]:
    problems = []
    for found in PLACEHOLDER.finditer(text):
        name = found.group(1)
        if name in LIST_PLACEHOLDERS and text.strip() != found.group(0):
            problems.append(
                TemplateProblem(line, f"the list {found.group(0)} must stand alone on its line")
            )
        elif name not in INLINE_PLACEHOLDERS and name not in LIST_PLACEHOLDERS:
            problems.append(TemplateProblem(line, f"unknown placeholder {found.group(0)}"))
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append(TemplateProblem(line, "a placeholder is not closed: write {{name}}"))
    return problems


def _split_key(text: str, line: int, what: str, problems: list[TemplateProblem]) -> tuple[str, str]:
    found = _KEY_SUFFIX.search(text)
    if not found:
        problems.append(TemplateProblem(line, f"{what} needs a key at its end, e.g. {{#my_key}}"))
        return text.strip(), ""
    key = found.group(1).strip()
    if not _ITEM_KEY.match(key):
        problems.append(
            TemplateProblem(line, f"key {key!r}: use lower-case letters, digits and _")
        )
    return text[: found.start()].strip(), key


def _body(lines: list[str], start: int, problems: list[TemplateProblem]) -> list[_Section]:
    """Sections from the lines after the front matter (numbered from 1 in messages)."""
    if start == 0:
        return []
    sections: list[_Section] = []
    keys: dict[str, int] = {}
    paragraph: list[str] = []
    items: list[list[str]] = []  # the open list's items, each as its lines
    ack: tuple[int, list[str]] | None = None  # the open acknowledgement: its line, its lines
    acks_begin: dict[int, int] = {}  # section index -> line of its first acknowledgement
    paragraph_line = 0

    def claim(key: str, line: int) -> None:
        if key in keys:
            problems.append(
                TemplateProblem(line, f"the key {key!r} is already used on line {keys[key]}")
            )
        elif key:
            keys[key] = line

    def close() -> None:
        nonlocal ack
        if not sections:
            paragraph.clear()
            items.clear()
            ack = None
            return
        section = sections[-1]
        if paragraph:
            joined = " ".join(paragraph)
            for found in PLACEHOLDER.finditer(joined):
                if found.group(1) in LIST_PLACEHOLDERS and joined != found.group(0):
                    problems.append(TemplateProblem(
                        paragraph_line,
                        f"the list {found.group(0)} needs a blank line before and after it",
                    ))
            section.blocks.append(Paragraph(joined))
            paragraph.clear()
        if items:
            section.blocks.append(BulletList(tuple(" ".join(i) for i in items)))
            items.clear()
        if ack is not None:
            line, words = ack
            text, key = _split_key(" ".join(words), line, "an acknowledgement", problems)
            claim(key, line)
            section.acknowledgements.append(Acknowledgement(key, text))
            ack = None

    for index in range(start, len(lines)):
        number = index + 1
        raw = lines[index]
        stripped = raw.strip()
        if not stripped:
            close()
            continue
        problems.extend(_placeholder_problems(stripped, number))
        heading = _HEADING.match(stripped)
        if heading:
            close()
            if heading.group(1) != "##":
                problems.append(TemplateProblem(
                    number, "only ## headings are used (the title is in the front matter)"
                ))
                continue
            text, key = _split_key(heading.group(2), number, "a section heading", problems)
            if not text:
                problems.append(TemplateProblem(number, "a section has no heading text"))
            claim(key, number)
            sections.append(_Section(number, key, text))
            continue
        if not sections:
            problems.append(TemplateProblem(
                number, "text before the first ## heading: every part of the form belongs "
                "to a section with a heading",
            ))
            continue
        is_item = stripped.startswith("- ") or stripped == "-"
        if not is_item and (items or ack is not None):
            # A line that is not a new item continues the open item (as in Markdown).
            (ack[1] if ack is not None else items[-1]).append(stripped)
            continue
        if stripped[:5].lower() == "- [x]":
            problems.append(TemplateProblem(number, "write acknowledgements unticked: - [ ]"))
            continue
        if stripped.startswith("- [ ]"):
            close()
            acks_begin.setdefault(len(sections) - 1, number)
            ack = (number, [stripped[5:].strip()])
            continue
        if len(sections) - 1 in acks_begin:
            problems.append(TemplateProblem(
                number, "text after an acknowledgement: acknowledgements come last in "
                "their section",
            ))
            continue
        if is_item:
            if paragraph:
                close()
            items.append([stripped[2:].strip()])
            if not items[-1][0]:
                problems.append(TemplateProblem(number, "an empty list item"))
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(stripped)
    close()
    for section in sections:
        if not section.blocks and not section.acknowledgements:
            problems.append(TemplateProblem(section.line, f"the section {section.key!r} is empty"))
    return sections
