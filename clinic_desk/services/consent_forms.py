"""The consent form templates as the clinic has them: the shipped files in
reports/consent/ and the versions administrators imported, with the database's
publishing and retiring on top. Used inside the consent service's units of work."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache

from clinic_desk.catalogue import consent_templates
from clinic_desk.domain.consent_shelf import template_file_name
from clinic_desk.domain.consent_template import ConsentTemplate, TemplateStatus, parse_template
from clinic_desk.domain.errors import NotFound
from clinic_desk.services.consent_dto import TemplateView
from clinic_desk.shipped import reports_root
from clinic_desk.storage.models_consents import ConsentTemplateRow
from clinic_desk.storage.unit_of_work import UnitOfWork

SHIPPED = "shipped"
IMPORTED = "imported"
_CONTRAINDICATIONS = "{{contraindications.absent}}"


def is_treatment_form(source: str) -> bool:
    """A form that has the patient declare the contraindications absent is a consent to
    treatment: screening gates its signing, and a session needs one signed."""
    return _CONTRAINDICATIONS in source.replace(" ", "")


@cache
def shipped_source(key: str, version: int) -> str:
    return (
        reports_root()
        .joinpath("consent", template_file_name(key, version))
        .read_text(encoding="utf-8")
    )


@dataclass(frozen=True, slots=True)
class FormVersion:
    template: ConsentTemplate
    source: str
    origin: str
    status: TemplateStatus
    row: ConsentTemplateRow | None  # None: a shipped file not yet used in this database

    @property
    def key(self) -> tuple[str, int]:
        return self.template.key, self.template.version


@dataclass(frozen=True, slots=True)
class FormShelf:
    """Every version of every form, ordered by key then version."""

    versions: tuple[FormVersion, ...]
    counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def get(self, key: str, version: int) -> FormVersion:
        for found in self.versions:
            if found.key == (key, version):
                return found
        raise NotFound(f"There is no version {version} of the consent form “{key}”.")

    def of_form(self, key: str) -> tuple[FormVersion, ...]:
        return tuple(v for v in self.versions if v.template.key == key)

    def current(self, key: str) -> FormVersion | None:
        published = [v for v in self.of_form(key) if v.status is TemplateStatus.PUBLISHED]
        return published[-1] if published else None

    def templates(self) -> tuple[ConsentTemplate, ...]:
        return tuple(v.template for v in self.versions)

    def view(self, found: FormVersion) -> TemplateView:
        t = found.template
        current = self.current(t.key)
        return TemplateView(
            template_key=t.key,
            version=t.version,
            title=t.title,
            status=found.status,
            published=t.published,
            radiofrequency=t.radiofrequency,
            for_treatment=is_treatment_form(found.source),
            origin=found.origin,
            is_current=current is not None and current.key == found.key,
            source=found.source,
            text=t.text,
            consents_recorded=self.counts.get(found.key, 0),
        )


@lru_cache(maxsize=256)
def _parsed(source: str) -> ConsentTemplate:
    """A stored version's text never changes: it is parsed once per process."""
    return parse_template(source)


def form_shelf(uow: UnitOfWork) -> FormShelf:
    statuses = uow.consents.template_statuses()
    found: dict[tuple[str, int], FormVersion] = {}
    for row in uow.consents.templates():
        template = _parsed(row.source)
        status = TemplateStatus(statuses.get(row.id, template.status.value))
        found[(row.form_key, row.version)] = FormVersion(template, row.source, row.origin,
                                                         status, row)
    for template in consent_templates().templates:
        if (template.key, template.version) not in found:
            found[(template.key, template.version)] = FormVersion(
                template, shipped_source(template.key, template.version), SHIPPED,
                template.status, None,
            )
    return FormShelf(tuple(found[k] for k in sorted(found)), uow.consents.count_by_version())


def register(
    uow: UnitOfWork, version: FormVersion, *, staff_id: int | None, at: datetime
) -> tuple[ConsentTemplateRow, bool]:
    """The version's row, written now if it has none (a shipped file used for the first
    time, or an import); returns it and whether it is new (for the audit entry)."""
    if version.row is not None:
        return version.row, False
    t = version.template
    row = ConsentTemplateRow(
        form_key=t.key,
        version=t.version,
        title=t.title,
        radiofrequency=t.radiofrequency,
        for_treatment=is_treatment_form(version.source),
        source=version.source,
        source_sha256=hashlib.sha256(version.source.encode("utf-8")).hexdigest(),
        origin=version.origin,
        registered_at=at,
        registered_by=staff_id,
    )
    uow.consents.add(row)
    return row, True
