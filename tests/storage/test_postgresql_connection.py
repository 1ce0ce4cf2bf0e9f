"""PostgreSQL sessions: a stuck lock is a clear message within seconds; TLS with server
verification against a throwaway cluster with a self-signed CA; the warning about an
unencrypted connection to another computer."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from clinic_desk.cli import main
from clinic_desk.domain.errors import DatabaseProblem
from clinic_desk.storage import connection_info
from clinic_desk.storage.connection_info import is_local_host
from clinic_desk.storage.engine import create_clinic_engine
from clinic_desk.storage.location import parse_location
from clinic_desk.storage.schema import upgrade_schema
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, seed_clinic

pytestmark = pytest.mark.postgresql


def test_sessions_carry_the_timeouts(postgresql_url: str, tmp_path: Path,
                                     clock: FakeClock) -> None:
    core = open_core(postgresql_url, tmp_path, clock)
    with core.engine.connect() as conn:
        assert conn.execute(text("SHOW lock_timeout")).scalar() == "5s"
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "2min"
    core.close()


def test_a_stuck_lock_is_a_clear_message(postgresql_url: str, tmp_path: Path,
                                         clock: FakeClock) -> None:
    core = open_core(postgresql_url, tmp_path, clock)
    seed_clinic(core)
    core.close()
    location = parse_location(postgresql_url)
    engine = create_clinic_engine(location, lock_timeout_ms=300)
    units = UnitOfWorkFactory(engine, location, workstation="test")
    holder = psycopg.connect(postgresql_url.replace("+psycopg", ""))
    holder.execute("LOCK TABLE staff_account IN ACCESS EXCLUSIVE MODE")  # another session
    started = time.monotonic()
    with (
        pytest.raises(DatabaseProblem, match=r"holding a lock.*nothing was changed"),
        units() as uow,
    ):
        uow.staff.all()
    waited = time.monotonic() - started
    holder.rollback()
    holder.close()
    engine.dispose()
    assert waited < 30  # it gave up on its own rather than hanging


def test_a_server_elsewhere_without_encryption_is_warned_about_once(
    postgresql_url: str, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection_info, "is_local_host", lambda _host: False)
    core = open_core(postgresql_url, tmp_path, clock)
    warnings = [w for w in core.start_warnings if "not encrypted" in w]
    assert len(warnings) == 1 and "sslmode=verify-full" in warnings[0]
    assert core.connection.describe().startswith("NOT encrypted")
    core.close()


def test_which_hosts_are_this_computer() -> None:
    for host in (None, "", "/var/run/postgresql", "localhost", "127.0.0.1", "::1",
                 "[::1]", socket.gethostname()):
        assert is_local_host(host), host
    for host in ("db-server", "192.168.1.20", "10.0.0.5", "clinic.example.org"):
        assert not is_local_host(host), host


# --- TLS for real ----------------------------------------------------------------------


@dataclass(frozen=True)
class TlsCluster:
    port: int
    ca: Path
    other_ca: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_cluster() -> Iterator[TlsCluster]:
    """A PostgreSQL cluster of its own with ssl=on and a certificate from a throwaway CA."""
    bin_dir = Path("/usr/lib/postgresql/15/bin")
    needed = [shutil.which("openssl"), shutil.which("runuser")]
    if not (bin_dir / "initdb").exists() or None in needed:
        pytest.skip("needs PostgreSQL 15's initdb, openssl and runuser")
    root = Path(tempfile.mkdtemp(prefix="clinic-desk-tls-"))
    try:
        for name in ("ca", "other-ca"):
            _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
                     "-out", f"{name}.crt", "-days", "2", "-subj", f"/CN=Test {name}", cwd=root)
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
                 "server.csr", "-subj", "/CN=localhost", cwd=root)
        (root / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext",
                 cwd=root)
        (root / "server.key").chmod(0o600)
        as_postgres = ["runuser", "-u", "postgres", "--"]
        subprocess.run(["chown", "-R", "postgres", str(root)], check=True)
        subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(root / "data"),
                        "-U", "postgres", "--auth=trust"], check=True, capture_output=True)
        port = _free_port()
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c ssl=on "
                   f"-c ssl_cert_file={root / 'server.crt'} -c ssl_key_file={root / 'server.key'}")
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-o",
                        options, "-w", "-l", str(root / "log"), "start"],
                       check=True, capture_output=True)
        try:
            yield TlsCluster(port, root / "ca.crt", root / "other-ca.crt")
        finally:
            subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(root / "data"),
                            "-m", "immediate", "stop"], capture_output=True, check=False)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _url(cluster: TlsCluster, query: str) -> str:
    return f"postgresql+psycopg://postgres@localhost:{cluster.port}/postgres?{query}"


@pytest.mark.slow
def test_verify_full_with_the_clinics_ca_is_encrypted(
    tls_cluster: TlsCluster, tmp_path: Path, clock: FakeClock,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = _url(tls_cluster, f"sslmode=verify-full&sslrootcert={tls_cluster.ca}")
    core = open_core(url, tmp_path, clock)
    assert core.connection.encrypted
    assert core.connection.describe().startswith("Encrypted (TLSv1.3, sslmode=verify-full)")
    assert not any("not encrypted" in w for w in core.start_warnings)
    seed_clinic(core)
    core.close()
    monkeypatch.setenv("CLINIC_DESK_DATA_DIR", str(tmp_path))
    assert main(["--database", url, "status"]) == 0
    assert "Connection: Encrypted (TLSv1.3, sslmode=verify-full)" in capsys.readouterr().out


@pytest.mark.slow
def test_a_server_the_ca_did_not_sign_is_refused_in_one_line(
    tls_cluster: TlsCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLINIC_DESK_DATA_DIR", str(tmp_path))
    url = _url(tls_cluster, f"sslmode=verify-full&sslrootcert={tls_cluster.other_ca}")
    assert main(["--database", url, "db", "upgrade"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("clinic-desk: error: Cannot reach PostgreSQL")
    assert "certificate verify failed" in err[0]


@pytest.mark.slow
def test_without_tls_the_same_server_says_not_encrypted(
    tls_cluster: TlsCluster, tmp_path: Path
) -> None:
    location = parse_location(_url(tls_cluster, "sslmode=disable"))
    engine = create_clinic_engine(location)
    upgrade_schema(engine, location)
    security = connection_info.connection_security(engine, location)
    engine.dispose()
    assert not security.encrypted and security.local and not security.needs_warning
    assert security.describe() == "Not encrypted; on this computer (to localhost)"
