"""Each treatment history row is vouched for by the audit entry that wrote it (both
engines): an adverse event, its follow-up, an amendment, a device revision and a
protocol version changed behind the app's back are each named by `audit verify`."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.adverse_events import (
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
)
from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.audit import verify_audit_log
from clinic_desk.services.protocols import ProtocolService
from tests.helpers.clinic import STAFF_PASSWORD, FakeClock
from tests.helpers.sessions import TreatmentClinic, rf_draft, treatment_clinic
from tests.helpers.tamper import without_guards

TABLES = (
    ("adverse_event", "description"),
    ("adverse_event_followup", "note"),
    ("session_amendment", "reason"),
    ("device_revision", "profile_json"),
    ("protocol_version", "note"),
)


@pytest.fixture
def t(core: ClinicDesk, clock: FakeClock) -> TreatmentClinic:
    return treatment_clinic(core, clock)


@pytest.mark.parametrize(("table", "column"), TABLES)
def test_a_changed_history_row_is_named(
    core: ClinicDesk, t: TreatmentClinic, database_url: str, table: str, column: str
) -> None:
    who = t.clinic.practitioner
    protocols: ProtocolService = core.protocols
    protocols.save(t.clinic.admin, based_on=1, limits={}, note="Reviewed")
    view = t.sessions.sign_off(who, t.patient_id, rf_draft(t), password=STAFF_PASSWORD)
    t.sessions.amend(who, view.session_id, correction="Two passes.", reason="Miscounted then")
    events: AdverseEventService = t.events
    event = events.record(
        who,
        view.session_id,
        AdverseEventDetails(AdverseEventKind.BURN, t.today, EventSeverity.MILD, "Burn", "Cooled"),
    )
    events.follow_up(who, event.event_id, FollowUpDetails("Healing well"))
    assert verify_audit_log(core.units).ok
    with without_guards(database_url) as conn:
        row_id = conn.execute(text(f"SELECT max(id) FROM {table}")).scalar_one()
        conn.execute(
            text(f"UPDATE {table} SET {column} = {column} || ' ' WHERE id = :id"), {"id": row_id}
        )
    report = verify_audit_log(core.units)
    assert not report.ok
    assert any(f"{table} row {row_id} was changed" in p for p in report.problems), report.problems
