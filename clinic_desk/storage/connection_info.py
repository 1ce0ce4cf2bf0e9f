"""Is the connection to the database encrypted, and is the server on this computer?"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from clinic_desk.storage.location import DatabaseLocation

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


@dataclass(frozen=True, slots=True)
class ConnectionSecurity:
    encrypted: bool
    local: bool
    detail: str

    @property
    def needs_warning(self) -> bool:
        """Patient data crossing the network in clear text."""
        return not self.encrypted and not self.local

    def describe(self) -> str:
        if not self.detail:
            return "No network: a file on this computer"
        if self.encrypted:
            return f"Encrypted ({self.detail})"
        if self.local:
            return f"Not encrypted; on this computer ({self.detail})"
        return f"NOT encrypted, over the network ({self.detail})"


def is_local_host(host: str | None) -> bool:
    """A Unix socket, a loopback address or this computer's own name."""
    if not host or host.startswith("/"):
        return True
    if host.lower() in _LOCAL_NAMES or host.lower() == socket.gethostname().lower():
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def connection_security(engine: Engine, location: DatabaseLocation) -> ConnectionSecurity:
    """Asks the server itself (pg_stat_ssl) whether this session is encrypted."""
    if location.is_sqlite:
        return ConnectionSecurity(False, True, "")
    local = is_local_host(location.url.host)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).first()
    except DBAPIError:
        row = None
    sslmode = location.url.query.get("sslmode", "prefer")
    if row is not None and row[0]:
        return ConnectionSecurity(True, local, f"{row[1]}, sslmode={sslmode}")
    where = location.url.host or "local socket"
    return ConnectionSecurity(False, local, f"to {where}")
