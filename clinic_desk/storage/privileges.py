"""Least privilege on PostgreSQL: what a workstation's database role may do.

The schema belongs to one role (the owner), used only for `clinic-desk db upgrade` and
`db grant`. Workstations connect as another role that holds only the rights below: it
cannot alter or drop tables, disable triggers or truncate (only an owner can), nor
update or delete audit entries, audit links or clinical history (not granted, and
refused by triggers besides). It moves the audit head only by appending an entry: the
head is moved by a trigger function that runs with the owner's rights.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, inspect, text

from clinic_desk.domain.errors import DatabaseProblem

# Per table: what a workstation does with it. A table missing here (a newer migration
# not yet listed) gets APPEND_ONLY, the safe default, and `db grant` says so.
APPEND_ONLY = "SELECT, INSERT"
WORKSTATION_PRIVILEGES: dict[str, str] = {
    "alembic_version": "SELECT",
    "database_identity": "SELECT",
    "audit_head": "SELECT",
    "audit_entry": APPEND_ONLY,
    "audit_record": APPEND_ONLY,
    "clinic_profile": "SELECT, INSERT, UPDATE",
    "staff_account": "SELECT, INSERT, UPDATE",
    "patient": "SELECT, INSERT, UPDATE",
    "patient_search_key": "SELECT, INSERT, UPDATE, DELETE",
    "patient_revision": APPEND_ONLY,
    "intake_record": APPEND_ONLY,
    "screening_clearance": APPEND_ONLY,
    "clearance_revocation": APPEND_ONLY,
    "staff_role": "SELECT, INSERT, DELETE",
    "sign_in_throttle": "SELECT, INSERT, UPDATE",
    # Devices, lots, protocol, courses and treatment sessions (0008).
    "device": "SELECT, INSERT, UPDATE",
    "device_revision": APPEND_ONLY,
    "consumable_lot": "SELECT, INSERT, UPDATE",
    "protocol_version": APPEND_ONLY,
    "course": "SELECT, INSERT, UPDATE",
    "treatment_session": APPEND_ONLY,
    "session_amendment": APPEND_ONLY,
    "adverse_event": APPEND_ONLY,
    "adverse_event_followup": APPEND_ONLY,
    "consent_template": APPEND_ONLY,
    "consent_template_status": APPEND_ONLY,
    "consent_record": APPEND_ONLY,
    "consent_signature": APPEND_ONLY,
    "signing_certificate": APPEND_ONLY,
    "document_content": APPEND_ONLY,
    "handed_out_document": APPEND_ONLY,
    # The appointment book (0010).
    "room": "SELECT, INSERT, UPDATE",
    "working_hours": "SELECT, INSERT, UPDATE, DELETE",
    "appointment": "SELECT, INSERT, UPDATE",
    "appointment_change": APPEND_ONLY,
}

_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$-]{0,62}$")


def _quoted(role: str) -> str:
    if not _ROLE_NAME.match(role):
        raise DatabaseProblem(f"“{role}” is not a PostgreSQL role name Clinic Desk accepts.")
    return '"' + role + '"'


def grant_workstation_role(conn: Connection, role: str) -> list[str]:
    """Give `role` exactly the workstation's rights on every table of the schema (run as
    the owner). Returns notes for the person running it."""
    if conn.dialect.name != "postgresql":
        raise DatabaseProblem("Database roles exist on PostgreSQL only; SQLite has none.")
    who = _quoted(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if exists is None:
        raise DatabaseProblem(
            f"There is no PostgreSQL role “{role}”. Create it first: CREATE ROLE {who} LOGIN;"
        )
    if role == conn.execute(text("SELECT current_user")).scalar():
        raise DatabaseProblem(
            "That is the role that owns the schema; workstations need a role of their own."
        )
    schema = conn.execute(text("SELECT current_schema()")).scalar()
    database = conn.execute(text("SELECT current_database()")).scalar()
    notes: list[str] = []
    conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {who}'))
    conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {who}'))
    for name in sorted(inspect(conn).get_table_names()):
        rights = WORKSTATION_PRIVILEGES.get(name)
        if rights is None:
            rights = APPEND_ONLY
            notes.append(f"{name}: not known to this version, granted {APPEND_ONLY} only")
        conn.execute(text(f'REVOKE ALL ON TABLE "{schema}"."{name}" FROM {who}'))
        conn.execute(text(f'GRANT {rights} ON TABLE "{schema}"."{name}" TO {who}'))
    conn.execute(
        text(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "{schema}" TO {who}')
    )
    return notes


def workstation_roles(conn: Connection) -> list[str]:
    """Roles that were given the workstation's rights (they may append to the audit log
    but do not own it); `db upgrade` grants them the rights on any new table."""
    if conn.dialect.name != "postgresql" or "audit_entry" not in inspect(conn).get_table_names():
        return []
    rows = conn.execute(
        text(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_entry' AND privilege_type = 'INSERT' "
            "AND table_schema = current_schema() AND grantee <> current_user "
            "AND grantee NOT IN (SELECT rolname FROM pg_roles WHERE rolsuper) "
            "ORDER BY grantee"
        )
    )
    return [str(r[0]) for r in rows]
