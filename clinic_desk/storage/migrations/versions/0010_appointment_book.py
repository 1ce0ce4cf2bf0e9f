"""The appointment book: rooms, practitioners' working hours, appointments (editable,
with a version column) and the append-only appointment history (every booking, move,
resize, status change and hand-over, hash-covered through its audit entry).

The history refuses UPDATE and DELETE on both engines (and TRUNCATE on PostgreSQL, and
INSERT OR REPLACE on SQLite), like the history tables of 0003-0009.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_MESSAGE = "clinical history is append-only"
_HISTORY = "appointment_change"


def _fk(name: str, table: str, target: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey(target, name=f"fk_{table}_{name}_{target.split('.')[0]}"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("name", name="uq_room_name"),
    )
    op.create_table(
        "working_hours",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("staff_id", "working_hours", "staff_account.id"),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.String(5), nullable=False),
        sa.Column("end_time", sa.String(5), nullable=False),
        # "12:30-13:15,16:00-16:15": the breaks inside the day's hours.
        sa.Column("breaks", sa.String(200), nullable=False),
        sa.UniqueConstraint("staff_id", "weekday", name="uq_working_hours_staff_id"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_working_hours_weekday"),
    )
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("patient_id", "appointment", "patient.id"),
        _fk("practitioner_id", "appointment", "staff_account.id"),
        _fk("room_id", "appointment", "room.id"),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("course_id", "appointment", "course.id", nullable=True),
        _fk("ready_for_room_id", "appointment", "room.id", nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("created_by", "appointment", "staff_account.id"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('consultation', 'microneedling', 'rf_session', 'review', 'maintenance')",
            name="ck_appointment_kind",
        ),
        sa.CheckConstraint(
            "status IN ('booked', 'arrived', 'in_treatment', 'done', 'no_show', 'cancelled')",
            name="ck_appointment_status",
        ),
        sa.CheckConstraint("length_minutes BETWEEN 5 AND 480", name="ck_appointment_length"),
    )
    op.create_index("ix_appointment_starts_at", "appointment", ["starts_at"])
    op.create_index("ix_appointment_patient_id", "appointment", ["patient_id", "starts_at"])
    op.create_table(
        _HISTORY,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("appointment_id", _HISTORY, "appointment.id"),
        _fk("patient_id", _HISTORY, "patient.id"),
        # booked, moved, status, handed_over, note
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _fk("changed_by", _HISTORY, "staff_account.id"),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_appointment_change_appointment_id", _HISTORY, ["appointment_id"])
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {_HISTORY}_no_{verb.lower()} BEFORE {verb} ON {_HISTORY} "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
        op.execute(
            f"CREATE TRIGGER {_HISTORY}_no_replace BEFORE INSERT ON {_HISTORY} "
            f"WHEN EXISTS (SELECT 1 FROM {_HISTORY} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {_HISTORY}_append_only BEFORE UPDATE OR DELETE ON {_HISTORY} "
            "FOR EACH ROW EXECUTE FUNCTION clinic_desk_history_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {_HISTORY}_no_truncate BEFORE TRUNCATE ON {_HISTORY} "
            "FOR EACH STATEMENT EXECUTE FUNCTION clinic_desk_history_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete", "replace"):
            op.execute(f"DROP TRIGGER {_HISTORY}_no_{verb}")
    else:
        op.execute(f"DROP TRIGGER {_HISTORY}_append_only ON {_HISTORY}")
        op.execute(f"DROP TRIGGER {_HISTORY}_no_truncate ON {_HISTORY}")
    op.drop_index("ix_appointment_change_appointment_id", _HISTORY)
    op.drop_table(_HISTORY)
    op.drop_index("ix_appointment_patient_id", "appointment")
    op.drop_index("ix_appointment_starts_at", "appointment")
    op.drop_table("appointment")
    op.drop_table("working_hours")
    op.drop_table("room")
