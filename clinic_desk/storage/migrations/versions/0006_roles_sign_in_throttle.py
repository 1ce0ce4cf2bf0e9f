"""Several roles per person; failed sign-ins for names without an account; an index for
a patient's access history.

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# When going back to one role per person, the most privileged one is kept.
_PRIVILEGE = "CASE role WHEN 'administrator' THEN 3 WHEN 'practitioner' THEN 2 ELSE 1 END"


def upgrade() -> None:
    op.create_table(
        "staff_role",
        sa.Column(
            "staff_id",
            sa.Integer(),
            sa.ForeignKey("staff_account.id", name="fk_staff_role_staff_id_staff_account"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(20), primary_key=True),
    )
    op.create_index("ix_staff_role_role", "staff_role", ["role"])
    # Everyone keeps the one role they had.
    op.execute("INSERT INTO staff_role (staff_id, role) SELECT id, role FROM staff_account")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_staff_account()
    else:
        op.drop_column("staff_account", "role")  # its CHECK constraint goes with it
    op.create_table(
        "sign_in_throttle",
        sa.Column("name_key", sa.String(64), primary_key=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_audit_entry_patient_seq", "audit_entry", ["patient_id", "seq"])


_STAFF_COLUMNS = (
    "id, username, full_name, password_hash, is_active, must_change_password, "
    "failed_sign_ins, locked_until, last_sign_in_at, created_at, version"
)


def _rebuild_sqlite_staff_account() -> None:
    """SQLite cannot drop a column that a CHECK constraint names, so the table is made
    anew. The audit log, the clinical records and staff_role point at it: with foreign
    keys deferred, dropping it leaves their references pending until the same rows are
    back under the same name, and the commit checks that every one is."""
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute(
        f"CREATE TEMP TABLE staff_account_copy AS SELECT {_STAFF_COLUMNS} FROM staff_account"
    )
    op.execute("DROP TABLE staff_account")
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(32), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("username", name="uq_staff_account_username"),
    )
    op.execute(
        f"INSERT INTO staff_account ({_STAFF_COLUMNS}) "
        f"SELECT {_STAFF_COLUMNS} FROM staff_account_copy"
    )
    op.execute("DROP TABLE staff_account_copy")


def downgrade() -> None:
    op.drop_index("ix_audit_entry_patient_seq", "audit_entry")
    op.drop_table("sign_in_throttle")
    op.add_column(
        "staff_account",
        sa.Column("role", sa.String(20), nullable=False, server_default="reception"),
    )
    op.execute(
        "UPDATE staff_account SET role = (SELECT r.role FROM staff_role r "
        f"WHERE r.staff_id = staff_account.id ORDER BY {_PRIVILEGE.replace('role', 'r.role')} "
        "DESC LIMIT 1)"
    )
    op.drop_index("ix_staff_role_role", "staff_role")
    op.drop_table("staff_role")
