"""Consent form versions administered through the service (both engines): preview,
import, publish and retire; a new version marks patients "re-consent needed"; older
versions stay readable; only administrators change them."""

from __future__ import annotations

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.consent_template import InvalidTemplate, TemplateStatus
from clinic_desk.domain.errors import PermissionDenied
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.consent_dto import ConsentState
from clinic_desk.services.consent_forms import shipped_source
from tests.helpers.consent_service import ConsentClinic, consent_clinic, sign


@pytest.fixture
def setup(core: ClinicDesk) -> ConsentClinic:
    return consent_clinic(core)


def version_2(status: str = "published") -> str:
    source = shipped_source("microneedling", 1)
    return (source.replace("version = 1", "version = 2", 1)
            .replace('status = "published"', f'status = "{status}"', 1)
            .replace("uses very fine, sterile needles", "uses very fine, sterile, single-use "
                     "needles", 1))


def test_the_shipped_forms_are_listed_and_readable(core: ClinicDesk, setup: ConsentClinic) -> None:
    views = core.consents.templates(setup.clinic.reception)
    keys = {(v.template_key, v.version) for v in views}
    assert {("microneedling", 1), ("microneedling-rf", 1), ("photography", 1)} <= keys
    rf = core.consents.template(setup.clinic.reception, "microneedling-rf", 1)
    assert rf.radiofrequency and rf.for_treatment and rf.is_current and rf.origin == "shipped"
    assert rf.source.startswith("+++")
    photo = core.consents.template(setup.clinic.reception, "photography", 1)
    assert not photo.for_treatment


def test_a_new_version_marks_re_consent_needed_and_retiring_it_clears_that(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    signed = sign(core, setup)
    admin = setup.clinic.admin
    assert core.consents.template(admin, "microneedling", 1).consents_recorded == 1
    preview = core.consents.preview_template(admin, version_2())
    assert preview.ok and preview.filled is not None and preview.template is not None
    assert "Zoë Ångström-Müller" in preview.filled.sections[0].blocks[0].text  # type: ignore[union-attr]
    imported = core.consents.import_template(admin, version_2())
    assert (imported.version, imported.origin, imported.is_current) == (2, "imported", True)
    assert not core.consents.template(admin, "microneedling", 1).is_current  # still readable
    flag = core.consents.reconsent_flags(admin, [setup.patient_id])[setup.patient_id]
    assert flag.needed and flag.consent_ids == (signed.consent_id,)
    assert "Version 2" in flag.reasons[0]
    listed = core.consents.consents_for_patient(setup.clinic.practitioner, setup.patient_id)
    assert listed[0].state is ConsentState.RECONSENT_NEEDED
    # re-consent on version 2 supersedes the old one
    again = sign(core, setup)
    assert again.template_version == 2 and again.linked_consent_id == signed.consent_id
    assert not core.consents.reconsent_flags(admin, [setup.patient_id])[setup.patient_id].needed
    retired = core.consents.retire_template(admin, "microneedling", 2)
    assert retired.status is TemplateStatus.RETIRED and not retired.is_current
    assert core.consents.template(admin, "microneedling", 1).is_current
    assert verify_audit_log(core.units).ok


def test_a_draft_is_not_signed_on_until_published(core: ClinicDesk, setup: ConsentClinic) -> None:
    admin = setup.clinic.admin
    draft = core.consents.import_template(admin, version_2("draft"))
    assert draft.status is TemplateStatus.DRAFT and not draft.is_current
    prepared = core.consents.prepare(setup.clinic.practitioner, setup.patient_id,
                                     "microneedling")
    assert prepared.template_version == 1
    assert core.consents.publish_template(admin, "microneedling", 2).is_current
    prepared = core.consents.prepare(setup.clinic.practitioner, setup.patient_id,
                                     "microneedling")
    assert prepared.template_version == 2


def test_a_version_is_never_replaced_and_problems_name_their_line(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    admin = setup.clinic.admin
    with pytest.raises(InvalidTemplate, match="version 1 of 'microneedling' exists already"):
        core.consents.import_template(admin, shipped_source("microneedling", 1))
    broken = version_2().replace("{{patient.full_name}}", "{{patient.nickname}}", 1)
    preview = core.consents.preview_template(admin, broken)
    assert not preview.ok and preview.problems[0].line is not None
    assert "unknown placeholder {{patient.nickname}}" in str(preview.problems[0])


def test_only_administrators_change_forms(core: ClinicDesk, setup: ConsentClinic) -> None:
    for who in (setup.clinic.reception, setup.clinic.practitioner):
        with pytest.raises(PermissionDenied):
            core.consents.import_template(who, version_2())
        with pytest.raises(PermissionDenied):
            core.consents.retire_template(who, "microneedling", 1)


def test_a_form_changed_after_it_was_prepared_must_be_read_again(
    core: ClinicDesk, setup: ConsentClinic
) -> None:
    from clinic_desk.domain.errors import ClinicDeskError
    from tests.helpers.clinic import STAFF_PASSWORD
    from tests.helpers.consent_service import drawn

    draft = core.consents.prepare(setup.clinic.practitioner, setup.patient_id, "microneedling")
    core.consents.import_template(setup.clinic.admin, version_2())
    with pytest.raises(ClinicDeskError, match="open it again"):
        core.consents.sign(setup.clinic.practitioner, draft,
                           acknowledged=draft.acknowledgement_keys,
                           patient_signature=drawn(), password=STAFF_PASSWORD)
