"""The clinic profile and the demo clinic."""

from __future__ import annotations

import dataclasses

import pytest

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.clinic_profile import PaperSize
from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, PermissionDenied
from clinic_desk.domain.roles import Role
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.demo import DEMO_CLINIC, load_demo_clinic
from tests.helpers.clinic import SAMPLE_CLINIC, seed_clinic


def test_administrator_updates_the_profile(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    current = core.clinic.profile()
    assert current is not None
    changed = core.clinic.update_profile(
        clinic.admin,
        dataclasses.replace(SAMPLE_CLINIC, paper_size=PaperSize.LETTER),
        expected_version=current.version,
    )
    assert changed.paper_size is PaperSize.LETTER and changed.version == current.version + 1
    with pytest.raises(ConcurrentEditError):
        core.clinic.update_profile(clinic.admin, SAMPLE_CLINIC, expected_version=current.version)


def test_reception_cannot_change_the_profile(core: ClinicDesk) -> None:
    clinic = seed_clinic(core)
    current = core.clinic.profile()
    assert current is not None
    with pytest.raises(PermissionDenied):
        core.clinic.update_profile(
            clinic.reception, SAMPLE_CLINIC, expected_version=current.version
        )


def test_demo_clinic_has_one_account_per_role(core: ClinicDesk) -> None:
    accounts = load_demo_clinic(core.auth, core.clinic, core.staff)
    assert {a.role for a in accounts} == set(Role)
    for account in accounts:
        who = core.auth.sign_in(account.username, account.password)
        assert who.roles == (account.role,) and not who.must_change_password
    profile = core.clinic.profile()
    assert profile is not None and profile.is_demo and profile.name == DEMO_CLINIC.name


def test_loading_the_demo_again_issues_new_passwords(core: ClinicDesk) -> None:
    first = load_demo_clinic(core.auth, core.clinic, core.staff)
    second = load_demo_clinic(core.auth, core.clinic, core.staff)
    assert [a.username for a in first] == [a.username for a in second]
    for account in second:
        assert core.auth.sign_in(account.username, account.password)
    assert verify_audit_log(core.units).ok


def test_demo_refuses_a_real_clinic(core: ClinicDesk) -> None:
    seed_clinic(core)
    with pytest.raises(ClinicDeskError, match="not the demo"):
        load_demo_clinic(core.auth, core.clinic, core.staff)
    with pytest.raises(ClinicDeskError, match="Only the demo clinic"):
        core.auth.demo_account("admin")
