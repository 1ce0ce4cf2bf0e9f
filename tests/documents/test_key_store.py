"""The workstation's key store: the private key lives outside the database and its
backups, readable by the workstation's user only, and is replaced only by an import."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_desk.config import load_settings
from clinic_desk.documents.signing import (
    SigningIdentity,
    SigningIdentityError,
    identity_from_pkcs12,
    identity_to_pkcs12,
)
from clinic_desk.documents.signing_keys import KEY_FILE, PASSWORD_FILE, KeyStore, default_key_folder


def now() -> datetime:
    """The time of the call: a session fixture's certificate may be younger than this
    module's import."""
    return datetime.now(UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_key_is_kept_private_and_loads_again(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "signing")
    assert not store.exists()
    created = store.create("Clinique Lumière", now=now())
    assert store.exists()
    assert mode(store.folder) == 0o700
    assert mode(store.key_path) == 0o600 and mode(store.password_path) == 0o600
    assert sorted(p.name for p in store.folder.iterdir()) == sorted([KEY_FILE, PASSWORD_FILE])
    assert store.load(now=now()) == created


def test_the_key_file_alone_does_not_open(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    store.create("Clinique", now=now())
    with pytest.raises(SigningIdentityError, match="password is wrong"):
        identity_from_pkcs12(store.key_path.read_bytes(), b"", now=now())
    store.password_path.unlink()
    with pytest.raises(SigningIdentityError, match="password file is missing"):
        store.load(now=now())


def test_an_existing_key_is_never_overwritten_by_create(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    first = store.create("Clinique", now=now())
    with pytest.raises(SigningIdentityError, match="already keeps a signing key"):
        store.create("Clinique", now=now())
    assert store.load(now=now()) == first


def test_loading_without_a_key_says_so(tmp_path: Path) -> None:
    with pytest.raises(SigningIdentityError, match="no signing key"):
        KeyStore(tmp_path).load(now=now())


def test_an_imported_pkcs12_replaces_the_key_under_a_new_password(
    tmp_path: Path, identity: SigningIdentity
) -> None:
    store = KeyStore(tmp_path)
    store.create("Clinique", now=now())
    old_password = store.password_path.read_bytes()
    imported = store.import_pkcs12(identity_to_pkcs12(identity, b"from the admin"),
                                   b"from the admin", now=now())
    assert imported == identity
    assert store.load(now=now()) == identity
    assert store.password_path.read_bytes() != old_password
    assert b"from the admin" not in store.password_path.read_bytes()
    assert not list(tmp_path.glob("*.new"))


def test_a_bad_import_leaves_the_kept_key_alone(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    kept = store.create("Clinique", now=now())
    with pytest.raises(SigningIdentityError):
        store.import_pkcs12(b"not a pkcs12 file", b"x", now=now())
    assert store.load(now=now()) == kept


def test_the_key_folder_is_apart_from_the_data_and_its_backups() -> None:
    settings = load_settings(None, {})
    folder = default_key_folder()
    assert not folder.is_relative_to(settings.data_dir)
    assert not folder.is_relative_to(settings.backup_dir)
