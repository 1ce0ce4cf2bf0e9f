"""Consent forms: template versions, frozen consent records and their signatures, the
clinic's signing certificates, and the clinic's consent validity period.

- consent_template: every template version used or imported (the text as written),
  append-only; consent_template_status: publishing and retiring, append-only.
- consent_record: one frozen consent (signed or declined; a withdrawal, correction or
  re-consent is a new record linked to the one it concerns): the canonical JSON bytes
  and their SHA-256, with the columns listing needs beside them. Append-only.
- consent_signature: each signature on a record (strokes as canonical JSON, the PNG,
  signer, meaning, time). Append-only.
- signing_certificate: the public certificates the clinic's PDFs are signed with (the
  private keys stay on the workstations, never here). Append-only.
- clinic_profile.consent_validity_months (default 12).

Every new table refuses UPDATE, DELETE, TRUNCATE (PostgreSQL) and, on SQLite, an INSERT
that would replace a row.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_MESSAGE = "clinical history is append-only"
# Tables whose rows never change, each with the unique keys INSERT OR REPLACE could hit.
_APPEND_ONLY: dict[str, tuple[tuple[str, ...], ...]] = {
    "consent_template": (("id",), ("form_key", "version")),
    "consent_template_status": (("id",),),
    "consent_record": (("id",),),
    "consent_signature": (("id",), ("consent_id", "meaning")),
    "signing_certificate": (("id",), ("fingerprint",)),
}


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _staff(column: str, table: str, *, nullable: bool) -> sa.Column[int]:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey("staff_account.id", name=f"fk_{table}_{column}_staff_account"),
        nullable=nullable,
    )


def upgrade() -> None:
    with op.batch_alter_table("clinic_profile") as batch:
        batch.add_column(
            sa.Column(
                "consent_validity_months", sa.Integer(), nullable=False, server_default="12"
            )
        )
    op.create_table(
        "consent_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("form_key", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("radiofrequency", sa.Boolean(), nullable=False),
        sa.Column("for_treatment", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("registered_at", _utc(), nullable=False),
        _staff("registered_by", "consent_template", nullable=True),
        sa.UniqueConstraint("form_key", "version", name="uq_consent_template_form_key"),
    )
    op.create_table(
        "consent_template_status",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "template_id",
            sa.Integer(),
            sa.ForeignKey(
                "consent_template.id",
                name="fk_consent_template_status_template_id_consent_template",
            ),
            nullable=False,
        ),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("changed_at", _utc(), nullable=False),
        _staff("changed_by", "consent_template_status", nullable=True),
    )
    op.create_index(
        "ix_consent_template_status_template_id", "consent_template_status", ["template_id"]
    )
    op.create_table(
        "consent_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", name="fk_consent_record_patient_id_patient"),
            nullable=False,
        ),
        sa.Column(
            "template_id",
            sa.Integer(),
            sa.ForeignKey(
                "consent_template.id", name="fk_consent_record_template_id_consent_template"
            ),
            nullable=False,
        ),
        sa.Column("template_key", sa.String(64), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("for_treatment", sa.Boolean(), nullable=False),
        sa.Column("covers_rf", sa.Boolean(), nullable=False),
        sa.Column("signed_at", _utc(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        _staff("recorded_by", "consent_record", nullable=False),
        sa.Column("link_kind", sa.String(12), nullable=True),
        sa.Column(
            "linked_consent_id",
            sa.Integer(),
            sa.ForeignKey(
                "consent_record.id", name="fk_consent_record_linked_consent_id_consent_record"
            ),
            nullable=True,
        ),
        sa.Column("canonical_json", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_consent_record_patient_id", "consent_record", ["patient_id"])
    op.create_index(
        "ix_consent_record_linked_consent_id", "consent_record", ["linked_consent_id"]
    )
    op.create_table(
        "consent_signature",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "consent_id",
            sa.Integer(),
            sa.ForeignKey(
                "consent_record.id", name="fk_consent_signature_consent_id_consent_record"
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("meaning", sa.String(20), nullable=False),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("signer_role", sa.String(100), nullable=False),
        _staff("signer_staff_id", "consent_signature", nullable=True),
        sa.Column("signed_at", _utc(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("strokes_json", sa.Text(), nullable=True),
        sa.Column("image_sha256", sa.String(64), nullable=True),
        sa.Column("image_png", sa.LargeBinary(), nullable=True),
        sa.UniqueConstraint("consent_id", "meaning", name="uq_consent_signature_consent_id"),
    )
    op.create_table(
        "signing_certificate",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("not_before", _utc(), nullable=False),
        sa.Column("not_after", _utc(), nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("workstation", sa.String(128), nullable=False),
        sa.Column("registered_at", _utc(), nullable=False),
        _staff("registered_by", "signing_certificate", nullable=True),
        sa.UniqueConstraint("fingerprint", name="uq_signing_certificate_fingerprint"),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_guards()
    else:
        _postgresql_guards()


def _sqlite_guards() -> None:
    for name, keys in _APPEND_ONLY.items():
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


def _postgresql_guards() -> None:
    # clinic_desk_history_append_only() comes from revision 0003.
    for name in _APPEND_ONLY:
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
    for name in reversed(_APPEND_ONLY):
        if sqlite:
            for verb in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER {name}_no_{verb}")
        else:
            op.execute(f"DROP TRIGGER {name}_append_only ON {name}")
            op.execute(f"DROP TRIGGER {name}_no_truncate ON {name}")
    op.drop_table("signing_certificate")
    op.drop_table("consent_signature")
    op.drop_index("ix_consent_record_linked_consent_id", "consent_record")
    op.drop_index("ix_consent_record_patient_id", "consent_record")
    op.drop_table("consent_record")
    op.drop_index("ix_consent_template_status_template_id", "consent_template_status")
    op.drop_table("consent_template_status")
    op.drop_table("consent_template")
    with op.batch_alter_table("clinic_profile") as batch:
        batch.drop_column("consent_validity_months")
