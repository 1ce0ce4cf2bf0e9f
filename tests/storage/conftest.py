"""Fixtures for the storage tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.pg_roles import RoleUrls, least_privilege_roles


@pytest.fixture
def least_privilege(postgresql_url: str) -> Iterator[RoleUrls]:
    """The test database with its schema owned by one role and a workstation role that
    holds only `clinic-desk db grant`'s rights (see storage/privileges.py)."""
    with least_privilege_roles(postgresql_url) as urls:
        yield urls
