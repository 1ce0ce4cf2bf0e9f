"""Least-privilege PostgreSQL roles for a test database: the schema's owner (used only
for `db upgrade` and `db grant`) and a workstation role with `db grant`'s rights.

Composes with any fixture that yields a superuser URL of a throwaway database
(`postgresql_url`): the roles are created in that cluster with unique names and dropped
afterwards, with everything they own in that database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.privileges import grant_workstation_role
from clinic_desk.storage.schema import upgrade_schema


@dataclass(frozen=True)
class RoleUrls:
    superuser: str
    owner: str
    workstation: str
    owner_role: str
    workstation_role: str


@contextmanager
def least_privilege_roles(superuser_url: str) -> Iterator[RoleUrls]:
    suffix = uuid.uuid4().hex[:10]
    owner, workstation = f"cd_owner_{suffix}", f"cd_workstation_{suffix}"
    admin = create_engine(superuser_url, isolation_level="AUTOCOMMIT")
    base = make_url(superuser_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{workstation}" LOGIN'))
        conn.execute(text(f'GRANT CREATE, USAGE ON SCHEMA public TO "{owner}"'))
    urls = RoleUrls(
        superuser_url,
        base.set(username=owner).render_as_string(hide_password=False),
        base.set(username=workstation).render_as_string(hide_password=False),
        owner,
        workstation,
    )
    try:
        location = parse_location(urls.owner)
        engine = create_clinic_engine(location)
        upgrade_schema(engine, location)
        with engine.begin() as conn:
            grant_workstation_role(conn, workstation)
        engine.dispose()
        yield urls
    finally:
        with admin.connect() as conn:
            # Other sessions of these roles (pools the test left) end first.
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE usename IN (:o, :w)"),
                {"o": owner, "w": workstation},
            )
            for role in (owner, workstation):
                conn.execute(text(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER'))
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()
