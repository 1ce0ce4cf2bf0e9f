"""Devices and their revisions, consumable lots, protocol versions, courses of
treatment, treatment sessions (written at sign-off), amendments, adverse events and
their follow-ups.

The history tables refuse UPDATE and DELETE on both engines (and TRUNCATE on
PostgreSQL, and INSERT OR REPLACE on SQLite), like the history tables of 0003-0005.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_MESSAGE = "clinical history is append-only"
# History tables and the unique keys an INSERT OR REPLACE could collide with.
_HISTORY: dict[str, tuple[tuple[str, ...], ...]] = {
    "device_revision": (("id",), ("device_id", "version")),
    "protocol_version": (("id",), ("version",)),
    "treatment_session": (("id",),),
    "session_amendment": (("id",),),
    "adverse_event": (("id",),),
    "adverse_event_followup": (("id",),),
}


def _utc(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(name: str, table: str, target: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey(target, name=f"fk_{table}_{name}_{target.split('.')[0]}"),
        nullable=nullable,
    )


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False)


def _string(name: str, length: int, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _bool(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), nullable=False)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    _registry_tables()
    _session_tables()
    _guards()


def _registry_tables() -> None:
    op.create_table(
        "device",
        _id(),
        _string("kind", 40),
        _string("make", 120),
        _string("model", 120),
        _string("serial_number", 80),
        _text("profile_json"),
        _bool("is_active"),
        sa.Column("service_due_on", sa.Date(), nullable=True),
        _utc("created_at"),
        _utc("updated_at"),
        _int("version"),
    )
    op.create_table(
        "device_revision",
        _id(),
        _fk("device_id", "device_revision", "device.id"),
        _int("version"),
        _text("profile_json"),
        _bool("is_active"),
        _utc("recorded_at"),
        _fk("recorded_by", "device_revision", "staff_account.id"),
        sa.UniqueConstraint("device_id", "version", name="uq_device_revision_device_id"),
    )
    op.create_table(
        "consumable_lot",
        _id(),
        _string("kind", 20),
        _string("product", 200),
        _string("lot_number", 80),
        sa.Column("expiry_date", sa.Date(), nullable=False),
        _bool("is_active"),
        _utc("created_at"),
        _fk("created_by", "consumable_lot", "staff_account.id"),
        _int("version"),
        sa.UniqueConstraint("product", "lot_number", name="uq_consumable_lot_product"),
    )
    op.create_index("ix_consumable_lot_lot_number", "consumable_lot", ["lot_number"])
    op.create_table(
        "protocol_version",
        _id(),
        _int("version"),
        _int("based_on"),
        _text("protocol_json"),
        _text("note"),
        _utc("recorded_at"),
        _fk("recorded_by", "protocol_version", "staff_account.id"),
        sa.UniqueConstraint("version", name="uq_protocol_version_version"),
    )
    op.create_table(
        "course",
        _id(),
        _fk("patient_id", "course", "patient.id"),
        _string("indication", 64),
        _int("planned_sessions"),
        _int("interval_min_days"),
        _int("interval_max_days"),
        _int("maintenance_after_months"),
        sa.Column("started_on", sa.Date(), nullable=False),
        _bool("is_closed"),
        _text("closed_reason"),
        _text("notes"),
        _utc("created_at"),
        _fk("created_by", "course", "staff_account.id"),
        _utc("updated_at"),
        _int("version"),
    )
    op.create_index("ix_course_patient_id", "course", ["patient_id"])


def _session_tables() -> None:
    op.create_table(
        "treatment_session",
        _id(),
        _fk("patient_id", "treatment_session", "patient.id"),
        _fk("course_id", "treatment_session", "course.id", nullable=True),
        _fk("practitioner_id", "treatment_session", "staff_account.id"),
        sa.Column("session_date", sa.Date(), nullable=False),
        _utc("started_at"),
        _utc("signed_off_at"),
        _fk("device_id", "treatment_session", "device.id"),
        _int("device_version"),
        _string("device_label", 300),
        _string("device_model_key", 300),
        _string("cartridge_key", 64),
        _fk("lot_id", "treatment_session", "consumable_lot.id", nullable=True),
        _string("lot_number", 80),
        sa.Column("lot_expiry", sa.Date(), nullable=True),
        _int("protocol_version"),
        _bool("uses_rf"),
        _string("energy_unit", 16),
        _int("highest_rf_milli", nullable=True),
        _int("consent_record_id", nullable=True),
        _text("record_json"),
    )
    op.create_index(
        "ix_treatment_session_patient_date", "treatment_session", ["patient_id", "session_date"]
    )
    op.create_index("ix_treatment_session_lot_id", "treatment_session", ["lot_id"])
    op.create_index("ix_treatment_session_course_id", "treatment_session", ["course_id"])
    op.create_table(
        "session_amendment",
        _id(),
        _fk("session_id", "session_amendment", "treatment_session.id"),
        _fk("patient_id", "session_amendment", "patient.id"),
        _text("correction"),
        _text("reason"),
        _fk("amended_by", "session_amendment", "staff_account.id"),
        _utc("amended_at"),
    )
    op.create_index("ix_session_amendment_session_id", "session_amendment", ["session_id"])
    op.create_table(
        "adverse_event",
        _id(),
        _fk("session_id", "adverse_event", "treatment_session.id"),
        _fk("patient_id", "adverse_event", "patient.id"),
        _string("kind", 40),
        _text("description"),
        sa.Column("onset_on", sa.Date(), nullable=False),
        _string("severity", 20),
        _text("action_taken"),
        _fk("recorded_by", "adverse_event", "staff_account.id"),
        _utc("recorded_at"),
    )
    op.create_index("ix_adverse_event_patient_id", "adverse_event", ["patient_id"])
    op.create_index("ix_adverse_event_session_id", "adverse_event", ["session_id"])
    op.create_table(
        "adverse_event_followup",
        _id(),
        _fk("adverse_event_id", "adverse_event_followup", "adverse_event.id"),
        _fk("patient_id", "adverse_event_followup", "patient.id"),
        _text("note"),
        _text("outcome"),
        _bool("reported_to_manufacturer"),
        _bool("reported_to_authority"),
        _bool("closes_event"),
        _fk("recorded_by", "adverse_event_followup", "staff_account.id"),
        _utc("recorded_at"),
    )
    op.create_index(
        "ix_adverse_event_followup_event_id", "adverse_event_followup", ["adverse_event_id"]
    )


def _guards() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, keys in _HISTORY.items():
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {name}_no_{verb.lower()} BEFORE {verb} ON {name} "
                    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
                )
            clash = " OR ".join(
                "(" + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")" for key in keys
            )
            op.execute(
                f"CREATE TRIGGER {name}_no_replace BEFORE INSERT ON {name} "
                f"WHEN EXISTS (SELECT 1 FROM {name} WHERE {clash}) "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
        return
    # The function comes from revision 0003.
    for name in _HISTORY:
        op.execute(
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION clinic_desk_history_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION clinic_desk_history_append_only()"
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name in _HISTORY:
        if sqlite:
            for suffix in ("no_update", "no_delete", "no_replace"):
                op.execute(f"DROP TRIGGER {name}_{suffix}")
        else:
            op.execute(f"DROP TRIGGER {name}_append_only ON {name}")
            op.execute(f"DROP TRIGGER {name}_no_truncate ON {name}")
    for name in (
        "adverse_event_followup",
        "adverse_event",
        "session_amendment",
        "treatment_session",
        "course",
        "protocol_version",
        "consumable_lot",
        "device_revision",
        "device",
    ):
        op.drop_table(name)
