"""Patients with their revisions and search keys, intake records, screening clearances.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_APPEND_ONLY = ("patient_revision", "intake_record", "screening_clearance")
_MESSAGE = "clinical history is append-only"


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("clinic_profile") as batch:
        batch.add_column(
            sa.Column("date_format", sa.String(10), nullable=False, server_default="DD/MM/YYYY")
        )
        batch.add_column(
            sa.Column("intake_max_age_days", sa.Integer(), nullable=False, server_default="90")
        )
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("preferred_name", sa.String(100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(10), nullable=True),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.String(400), nullable=False),
        sa.Column("emergency_contact_name", sa.String(100), nullable=False),
        sa.Column("emergency_contact_phone", sa.String(40), nullable=False),
        sa.Column("referring_physician", sa.String(100), nullable=False),
        sa.Column("fitzpatrick_type", sa.String(3), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("is_archived", sa.Boolean(), nullable=False),
        sa.Column("name_key", _key(130), nullable=False),
        sa.Column("phone_digits", sa.String(40), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_patient_name_key_dob", "patient", ["name_key", "date_of_birth"])
    op.create_index("ix_patient_phone_digits", "patient", ["phone_digits"])
    op.create_index("ix_patient_date_of_birth", "patient", ["date_of_birth"])
    op.create_table(
        "patient_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", name="fk_patient_revision_patient_id_patient"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column(
            "recorded_by",
            sa.Integer(),
            sa.ForeignKey("staff_account.id", name="fk_patient_revision_recorded_by_staff_account"),
            nullable=False,
        ),
        sa.UniqueConstraint("patient_id", "version", name="uq_patient_revision_patient_id"),
    )
    op.create_table(
        "patient_search_key",
        sa.Column("key", _key(64), primary_key=True),
        sa.Column("rank", sa.SmallInteger(), primary_key=True),
        sa.Column("sort_key", _key(130), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", name="fk_patient_search_key_patient_id_patient"),
            primary_key=True,
        ),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_patient_search_key_patient_id", "patient_search_key", ["patient_id", "key"])
    op.create_table(
        "intake_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", name="fk_intake_record_patient_id_patient"),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("answers_json", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column(
            "signed_off_by",
            sa.Integer(),
            sa.ForeignKey("staff_account.id", name="fk_intake_record_signed_off_by_staff_account"),
            nullable=False,
        ),
        sa.Column("taken_by_patient", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("patient_id", "sequence", name="uq_intake_record_patient_id"),
    )
    op.create_table(
        "screening_clearance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", name="fk_screening_clearance_patient_id_patient"),
            nullable=False,
        ),
        sa.Column(
            "intake_record_id",
            sa.Integer(),
            sa.ForeignKey(
                "intake_record.id", name="fk_screening_clearance_intake_record_id_intake_record"
            ),
            nullable=False,
        ),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "cleared_by",
            sa.Integer(),
            sa.ForeignKey(
                "staff_account.id", name="fk_screening_clearance_cleared_by_staff_account"
            ),
            nullable=False,
        ),
        sa.Column("cleared_at", _utc(), nullable=False),
    )
    op.create_index("ix_screening_clearance_patient_id", "screening_clearance", ["patient_id"])
    _guard_append_only()


def _guard_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
                )
        return
    op.execute(
        f"""
        CREATE FUNCTION clinic_desk_history_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    for table in _APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION clinic_desk_history_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _APPEND_ONLY:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
    else:
        for table in _APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION clinic_desk_history_append_only()")
    op.drop_table("screening_clearance")
    op.drop_table("intake_record")
    op.drop_index("ix_patient_search_key_patient_id", "patient_search_key")
    op.drop_table("patient_search_key")
    op.drop_table("patient_revision")
    op.drop_index("ix_patient_date_of_birth", "patient")
    op.drop_index("ix_patient_phone_digits", "patient")
    op.drop_index("ix_patient_name_key_dob", "patient")
    op.drop_table("patient")
    with op.batch_alter_table("clinic_profile") as batch:
        batch.drop_column("intake_max_age_days")
        batch.drop_column("date_format")
