"""Consents as PostgreSQL's least-privileged workstation role: signing, withdrawing,
re-consent, retiring a form and the first signed PDF all work with the rights `db grant`
gives; changing a signed consent does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from clinic_desk.services.audit import verify_audit_log
from tests.conftest import open_core
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.consent_service import consent_clinic, sign
from tests.helpers.pg_roles import RoleUrls

pytestmark = pytest.mark.postgresql


def test_consents_work_as_the_workstation_role(
    least_privilege: RoleUrls, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(least_privilege.workstation, tmp_path, clock)
    try:
        setup = consent_clinic(core)
        first = sign(core, setup)
        sign(core, setup)  # re-consent: supersedes
        core.consents.withdraw(setup.clinic.practitioner, sign(core, setup, "photography")
                               .consent_id, reason="No photographs after all.",
                               password=STAFF_PASSWORD)
        core.consents.retire_template(setup.clinic.admin, "photography", 1)
        made = core.consents.document(setup.clinic.reception, first.consent_id)
        assert core.consents.verify_pdf(made.pdf).ok
        verdict = verify_audit_log(core.units)
        assert verdict.ok, verdict.summary()
        assert verdict.consents_checked == 4
        for sql in ("UPDATE consent_record SET status = 'declined'",
                    "DELETE FROM consent_signature", "TRUNCATE consent_record CASCADE"):
            with pytest.raises(DBAPIError, match=r"permission denied|append-only"), \
                    core.engine.begin() as conn:
                conn.execute(text(sql))
    finally:
        core.close()
