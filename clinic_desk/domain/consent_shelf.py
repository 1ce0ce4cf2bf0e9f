"""Which consent templates exist: every version of every form, shipped or imported.

Versions are never replaced: a change to a form is a new file with the next version
number, and every version stays readable because signed consents point to it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources.abc import Traversable

from clinic_desk.domain.consent_template import (
    ConsentTemplate,
    InvalidTemplate,
    TemplateProblem,
    TemplateStatus,
    parse_template,
)

FILE_NAME = re.compile(r"^(?P<key>[a-z][a-z0-9-]*)-v(?P<version>[1-9][0-9]*)\.md$")


def template_file_name(key: str, version: int) -> str:
    return f"{key}-v{version}.md"


@dataclass(frozen=True, slots=True)
class TemplateShelf:
    """Every known version of every form, ordered by key then version."""

    templates: tuple[ConsentTemplate, ...]

    def form_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.key for t in self.templates))

    def versions(self, key: str) -> tuple[ConsentTemplate, ...]:
        return tuple(t for t in self.templates if t.key == key)

    def get(self, key: str, version: int) -> ConsentTemplate:
        for template in self.templates:
            if template.key == key and template.version == version:
                return template
        raise KeyError(f"{key} version {version}")

    def current(self, key: str) -> ConsentTemplate | None:
        """The newest published version: the one a new consent is signed on."""
        published = [t for t in self.versions(key) if t.status is TemplateStatus.PUBLISHED]
        return published[-1] if published else None


def shelf_of(templates: Iterable[ConsentTemplate]) -> TemplateShelf:
    ordered = sorted(templates, key=lambda t: (t.key, t.version))
    for before, after in itertools.pairwise(ordered):
        if (before.key, before.version) == (after.key, after.version):
            raise InvalidTemplate(
                [TemplateProblem(None, f"{after.key} version {after.version} appears twice")]
            )
    return TemplateShelf(tuple(ordered))


def read_template_folder(folder: Traversable) -> TemplateShelf:
    """Every `KEY-vN.md` file in the folder; its name must match its front matter."""
    templates = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        named = FILE_NAME.match(entry.name)
        if not entry.is_file() or not entry.name.endswith(".md") or entry.name == "README.md":
            continue
        template = parse_template(entry.read_text(encoding="utf-8"), origin=entry.name)
        if not named or template_file_name(template.key, template.version) != entry.name:
            raise InvalidTemplate(
                [TemplateProblem(1, "the file name must be "
                                 f"{template_file_name(template.key, template.version)}")],
                origin=entry.name,
            )
        templates.append(template)
    return shelf_of(templates)


def check_imported_template(source: str, shelf: TemplateShelf) -> ConsentTemplate:
    """A template an administrator brings in: valid, and a new version of its form."""
    template = parse_template(source)
    existing = shelf.versions(template.key)
    problems = []
    if template.status is TemplateStatus.RETIRED:
        problems.append(TemplateProblem(1, "import a new version as draft or published"))
    if existing and template.version <= existing[-1].version:
        problems.append(
            TemplateProblem(
                1,
                f"version {existing[-1].version} of {template.key!r} exists already; a "
                f"version is never replaced: number this one {existing[-1].version + 1}",
            )
        )
    if problems:
        raise InvalidTemplate(problems)
    return template
