"""Alembic environment: always run with a connection handed in by clinic_desk.storage.schema."""

from __future__ import annotations

from alembic import context

from clinic_desk.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
