"""The clinic's country; patients' phones in E.164 (filled for existing patients, with
search keys for both spellings); withdrawn screening clearances.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLE = "clearance_revocation"
_MESSAGE = "clinical history is append-only"
_CHUNK = 2000


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("clinic_profile") as batch:
        batch.add_column(sa.Column("country", sa.String(2), nullable=False, server_default=""))
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("phone_e164", sa.String(16), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "emergency_contact_phone_e164", sa.String(16), nullable=False, server_default=""
            )
        )
    op.create_index("ix_patient_phone_e164", "patient", ["phone_e164"])
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "clearance_id",
            sa.Integer(),
            sa.ForeignKey(
                "screening_clearance.id",
                name="fk_clearance_revocation_clearance_id_screening_clearance",
            ),
            nullable=False,
        ),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey(
                "patient.id", name="fk_clearance_revocation_patient_id_patient"
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "revoked_by",
            sa.Integer(),
            sa.ForeignKey(
                "staff_account.id",
                name="fk_clearance_revocation_revoked_by_staff_account",
            ),
            nullable=False,
        ),
        sa.Column("revoked_at", _utc(), nullable=False),
        sa.UniqueConstraint("clearance_id", name="uq_clearance_revocation_clearance_id"),
    )
    op.create_index(
        "ix_clearance_revocation_patient_id", _TABLE, ["patient_id"]
    )
    _guard_append_only()
    _fill_country_and_phones()


def _guard_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {_TABLE}_no_{verb.lower()} BEFORE {verb} ON {_TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
        return
    # The function comes from revision 0003.
    op.execute(
        f"CREATE TRIGGER {_TABLE}_append_only BEFORE UPDATE OR DELETE ON {_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION clinic_desk_history_append_only()"
    )


def _fill_country_and_phones() -> None:
    """The country from the clinic's time zone; each patient's phones read with it, and
    their search keys rebuilt so that both spellings of a phone find them."""
    # Frozen copies, never the application's code (which may change after 0004).
    from clinic_desk.storage.migrations.frozen_0004 import (
        country_for_time_zone,
        e164_of,
        format_patient_number,
        patient_keys,
        search_forms,
    )

    bind = op.get_bind()
    country = ""
    for profile_id, zone in bind.execute(sa.text("SELECT id, time_zone FROM clinic_profile")):
        country = country_for_time_zone(zone)
        bind.execute(
            sa.text("UPDATE clinic_profile SET country = :country WHERE id = :id"),
            {"country": country, "id": profile_id},
        )
    last_id = 0
    while True:
        rows: list[Any] = list(
            bind.execute(
                sa.text(
                    "SELECT id, family_name, given_name, preferred_name, phone, "
                    "emergency_contact_phone, name_key, is_archived FROM patient "
                    "WHERE id > :last ORDER BY id LIMIT :chunk"
                ),
                {"last": last_id, "chunk": _CHUNK},
            )
        )
        if not rows:
            return
        updates: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for row in rows:
            e164 = e164_of(row.phone, country)
            updates.append(
                {
                    "id": row.id,
                    "e164": e164,
                    "emergency": e164_of(row.emergency_contact_phone, country),
                }
            )
            found = patient_keys(
                family_name=row.family_name,
                given_name=row.given_name,
                preferred_name=row.preferred_name,
                phone=row.phone,
                patient_number=format_patient_number(row.id),
                phone_forms=search_forms(e164),
            )
            keys.extend(
                {
                    "key": key,
                    "rank": rank,
                    "sort_key": row.name_key,
                    "patient_id": row.id,
                    "archived": bool(row.is_archived),
                }
                for key, rank in sorted(found.items())
            )
        bind.execute(
            sa.text(
                "UPDATE patient SET phone_e164 = :e164, "
                "emergency_contact_phone_e164 = :emergency WHERE id = :id"
            ),
            updates,
        )
        first, last_id = rows[0].id, rows[-1].id
        bind.execute(
            sa.text("DELETE FROM patient_search_key WHERE patient_id BETWEEN :a AND :b"),
            {"a": first, "b": last_id},
        )
        search_key = sa.table(
            "patient_search_key",
            sa.column("key"),
            sa.column("rank"),
            sa.column("sort_key"),
            sa.column("patient_id"),
            sa.column("archived"),
        )
        bind.execute(sa.insert(search_key), keys)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER {_TABLE}_no_{verb}")
    else:
        op.execute(f"DROP TRIGGER {_TABLE}_append_only ON {_TABLE}")
    op.drop_index("ix_clearance_revocation_patient_id", _TABLE)
    op.drop_table(_TABLE)
    op.drop_index("ix_patient_phone_e164", "patient")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("emergency_contact_phone_e164")
        batch.drop_column("phone_e164")
    with op.batch_alter_table("clinic_profile") as batch:
        batch.drop_column("country")
