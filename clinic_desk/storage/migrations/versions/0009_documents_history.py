"""The documents history: every consent copy, aftercare sheet and pre-care sheet handed
out, with the exact PDF bytes (kept once per content hash) so that any of them reopens
byte-identical. Both tables are append-only and guarded like the clinical history. The
clinic profile gains "print the aftercare sheet on sign-off" (off).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_HISTORY = "clinical history is append-only"
_TABLES = ("document_content", "handed_out_document")
_UNIQUE_KEYS = {"document_content": ("content_sha256",), "handed_out_document": ("id",)}


def upgrade() -> None:
    with op.batch_alter_table("clinic_profile") as batch:
        batch.add_column(sa.Column("print_aftercare_on_sign_off", sa.Boolean(),
                                   nullable=False, server_default=sa.false()))
    op.create_table(
        "document_content",
        sa.Column("content_sha256", sa.String(64), primary_key=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
    )
    op.create_table(
        "handed_out_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", name="fk_handed_out_document_patient_id_patient"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("template_key", sa.String(60), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column(
            "content_sha256",
            sa.String(64),
            sa.ForeignKey(
                "document_content.content_sha256",
                name="fk_handed_out_document_content_sha256_document_content",
            ),
            nullable=False,
        ),
        sa.Column("how", sa.String(10), nullable=False),
        sa.Column(
            "handed_by",
            sa.Integer(),
            sa.ForeignKey(
                "staff_account.id", name="fk_handed_out_document_handed_by_staff_account"
            ),
            nullable=True,
        ),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('consent', 'aftercare', 'precare')",
                           name="ck_handed_out_document_kind"),
        sa.CheckConstraint("how IN ('printed', 'saved')", name="ck_handed_out_document_how"),
    )
    op.create_index("ix_handed_out_document_patient_id", "handed_out_document", ["patient_id"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_guards()
    else:
        _postgresql_guards()


def _sqlite_guards() -> None:
    for name in _TABLES:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {name}_no_{verb.lower()} BEFORE {verb} ON {name} "
                f"BEGIN SELECT RAISE(ABORT, '{_HISTORY}'); END"
            )
        key = _UNIQUE_KEYS[name]
        clash = " AND ".join(f"{c} = NEW.{c}" for c in key)
        op.execute(
            f"CREATE TRIGGER {name}_no_replace BEFORE INSERT ON {name} "
            f"WHEN EXISTS (SELECT 1 FROM {name} WHERE {clash}) "
            f"BEGIN SELECT RAISE(ABORT, '{_HISTORY}'); END"
        )


def _postgresql_guards() -> None:
    for name in _TABLES:
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
    for name in _TABLES:
        if sqlite:
            for verb in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER {name}_no_{verb}")
        else:
            op.execute(f"DROP TRIGGER {name}_append_only ON {name}")
            op.execute(f"DROP TRIGGER {name}_no_truncate ON {name}")
    op.drop_index("ix_handed_out_document_patient_id", "handed_out_document")
    op.drop_table("handed_out_document")
    op.drop_table("document_content")
    with op.batch_alter_table("clinic_profile") as batch:
        batch.drop_column("print_aftercare_on_sign_off")
