"""Consent form and signing-identity administration in detail (services/consent_admin.py,
consent_forms.py): what each change and each refusal records in the audit log, field by
field; that every change runs in a write transaction from its first statement; the size
limit of an imported form at its edge; a status set twice changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, event

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.consent_template import TemplateProblem, TemplateStatus
from clinic_desk.domain.errors import PermissionDenied, SessionLocked
from clinic_desk.services.consent_admin import MAX_TEMPLATE_CHARS
from clinic_desk.services.consent_forms import is_treatment_form, shipped_source
from clinic_desk.storage.engine import WRITE_INTENT
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign
from tests.services.audit_fields import Entry, entries, entry_count


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def version_2(status: str = "published") -> str:
    source = shipped_source("microneedling", 1)
    return (source.replace("version = 1", "version = 2", 1)
            .replace('status = "published"', f'status = "{status}"', 1)
            .replace("uses very fine, sterile needles", "uses very fine, sterile, single-use "
                     "needles", 1))


@contextmanager
def transactions(core: ClinicDesk) -> Iterator[list[bool]]:
    """Whether each transaction begun meanwhile was a write from its first statement."""
    writes: list[bool] = []

    def on_begin(conn: Connection) -> None:
        writes.append(bool(conn.get_execution_options().get(WRITE_INTENT)))

    event.listen(core.units.engine, "begin", on_begin)
    try:
        yield writes
    finally:
        event.remove(core.units.engine, "begin", on_begin)


def test_an_import_is_audited_with_the_sources_hash(core: ClinicDesk, setup: ConsentClinic) -> None:
    admin = setup.clinic.admin
    before = entry_count(core)
    source = version_2()
    with transactions(core) as writes:
        view = core.consents.import_template(admin, source)
    assert writes[:1] == [True]  # the change; a read may follow (the change feed)
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    assert entries(core, after=before) == [
        Entry("consent.template_imported", "consent_template", "microneedling v2",
              admin.staff_id, None, "success", f"sha256 {digest}"),
    ]
    assert (view.template_key, view.version, view.status, view.origin) == (
        "microneedling", 2, TemplateStatus.PUBLISHED, "imported")
    assert view.source == source and view.consents_recorded == 0
    assert view.for_treatment and not view.radiofrequency


def test_retiring_and_publishing_are_audited_and_a_repeat_changes_nothing(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    admin = setup.clinic.admin
    core.consents.import_template(admin, version_2())
    before = entry_count(core)
    with transactions(core) as writes:
        retired = core.consents.retire_template(admin, "microneedling", 2)
    assert writes[:1] == [True]  # the change; a read may follow (the change feed)
    assert retired.status is TemplateStatus.RETIRED and not retired.is_current
    again = core.consents.retire_template(admin, "microneedling", 2)
    assert again == retired
    with transactions(core) as writes:
        published = core.consents.publish_template(admin, "microneedling", 2)
    assert writes[:1] == [True]  # the change; a read may follow (the change feed)
    assert published.status is TemplateStatus.PUBLISHED and published.is_current
    assert core.consents.publish_template(admin, "microneedling", 2) == published
    assert entries(core, after=before) == [
        Entry("consent.template_retired", "consent_template", "microneedling v2",
              admin.staff_id, None, "success", ""),
        Entry("consent.template_published", "consent_template", "microneedling v2",
              admin.staff_id, None, "success", ""),
    ]


def test_retiring_a_shipped_form_registers_it_first(core: ClinicDesk, setup: ConsentClinic
                                                    ) -> None:
    admin = setup.clinic.admin
    photos = core.consents.template(admin, "photography", 1)
    assert photos.status is TemplateStatus.PUBLISHED and photos.origin == "shipped"
    assert photos.published is not None
    before = entry_count(core)
    retired = core.consents.retire_template(admin, "photography", 1)
    assert retired.status is TemplateStatus.RETIRED and retired.origin == "shipped"
    assert retired.published == photos.published
    assert entries(core, after=before) == [
        Entry("consent.template_retired", "consent_template", "photography v1",
              admin.staff_id, None, "success", ""),
    ]
    assert core.consents.template(admin, "photography", 1).status is TemplateStatus.RETIRED


def test_refusals_name_the_change_that_was_refused(core: ClinicDesk, setup: ConsentClinic) -> None:
    reception = setup.clinic.reception
    before = entry_count(core)
    attempts: list[Callable[[], object]] = [
        lambda: core.consents.import_template(reception, version_2()),
        lambda: core.consents.retire_template(reception, "microneedling", 1),
        lambda: core.consents.publish_template(reception, "microneedling", 1),
        lambda: core.consents.preview_template(reception, version_2()),
        lambda: core.consents.import_signing_identity(reception, b"not pkcs12", "x"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    who = reception.staff_id
    assert entries(core, after=before) == [
        Entry("consent.template_imported", "consent_template", None, who, None, "denied",
              "roles=reception"),
        Entry("consent.template_retired", "consent_template", "microneedling v1", who, None,
              "denied", "roles=reception"),
        Entry("consent.template_published", "consent_template", "microneedling v1", who, None,
              "denied", "roles=reception"),
        Entry("consent.template_imported", "consent_template", None, who, None, "denied",
              "roles=reception"),
        Entry("signing.certificate_registered", "signing_certificate", None, who, None,
              "denied", "roles=reception"),
    ]


def test_a_signed_out_session_is_refused_and_the_attempt_named(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    practitioner = setup.clinic.practitioner
    core.auth.sign_out(practitioner)
    before = entry_count(core)
    attempts: list[Callable[[], object]] = [
        lambda: core.consents.ensure_signing_identity(practitioner),
        lambda: core.consents.certificates(practitioner),
        lambda: core.consents.templates(practitioner),
        lambda: core.consents.template(practitioner, "microneedling", 1),
        lambda: core.consents.consent_standing(practitioner, setup.patient_id, uses_rf=False,
                                               on_date=core.consents.today()),
    ]
    for attempt in attempts:
        with pytest.raises(SessionLocked):
            attempt()
    who = practitioner.staff_id
    assert entries(core, after=before) == [
        Entry("signing.certificate_registered", "signing_certificate", None, who, None,
              "denied", "signed out"),
        Entry("signing.viewed", "signing_certificate", None, who, None, "denied", "signed out"),
        Entry("consent.templates_viewed", "consent_template", None, who, None, "denied",
              "signed out"),
        Entry("consent.templates_viewed", "consent_template", None, who, None, "denied",
              "signed out"),
        Entry("consent.viewed", "patient", str(setup.patient_id), who, setup.patient_id,
              "denied", "signed out"),
    ]


def test_the_signing_identity_is_registered_once_and_audited(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    admin = setup.clinic.admin
    before = entry_count(core)
    with transactions(core) as writes:
        first = core.consents.ensure_signing_identity(admin)
    assert writes[:1] == [True]  # the change; a read may follow (the change feed)
    assert first.kept_here and first.origin == "created"
    [registered] = entries(core, after=before)
    assert registered._replace(entity_id=None) == Entry(
        "signing.certificate_registered", "signing_certificate", None, admin.staff_id, None,
        "success", first.fingerprint)
    assert core.consents.ensure_signing_identity(admin) == first
    assert entry_count(core) == before + 1
    assert [c.fingerprint for c in core.consents.certificates(admin)] == [first.fingerprint]


@pytest.mark.parametrize(("extra", "too_long"), [(0, False), (1, True)])
def test_an_imported_form_may_be_two_hundred_thousand_characters(
    core: ClinicDesk, setup: ConsentClinic, extra: int, too_long: bool
) -> None:
    source = version_2()
    padded = source + "\n" * (MAX_TEMPLATE_CHARS - len(source) + extra)
    assert len(padded) == MAX_TEMPLATE_CHARS + extra
    preview = core.consents.preview_template(setup.clinic.admin, padded)
    long_problem = TemplateProblem(None, "the file is too long for a form")
    if too_long:
        assert preview.problems == (long_problem,)
        assert (preview.template, preview.filled) == (None, None) and not preview.ok
    else:
        assert long_problem not in preview.problems
    assert MAX_TEMPLATE_CHARS == 200_000


def test_a_version_counts_the_consents_recorded_on_it(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    admin = setup.clinic.admin
    assert core.consents.template(admin, "microneedling-rf", 1).consents_recorded == 0
    sign(core, setup, "microneedling-rf")
    sign(core, setup, "microneedling-rf")
    assert core.consents.template(admin, "microneedling-rf", 1).consents_recorded == 2
    assert core.consents.template(admin, "microneedling", 1).consents_recorded == 0


def test_a_treatment_form_is_one_declaring_the_contraindications_absent() -> None:
    assert is_treatment_form("x {{contraindications.absent}} y")
    assert is_treatment_form("x {{ contraindications.absent }} y")
    assert not is_treatment_form("x {{contraindications.present}} y")
    assert not is_treatment_form(shipped_source("photography", 1))
    assert is_treatment_form(shipped_source("microneedling", 1))


def test_the_preview_fills_the_form_with_recognisable_sample_values(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    import json
    from dataclasses import asdict

    preview = core.consents.preview_template(setup.clinic.admin, version_2())
    assert preview.filled is not None
    text = json.dumps(asdict(preview.filled), ensure_ascii=False, default=str)
    for sample in ("Zoë Ångström-Müller Ferreira de la Fuente", "(your clinic)",
                   "(the practitioner)", "Microneedling of the full face",
                   "(the clinic's phone)", "14/03/1987"):
        assert sample in text, sample
    assert "30/11/2026" in text  # the sample day, written day/month/year
    # the shipped microneedling form prints neither the patient number nor the address
    assert "P-000417" not in text
