"""Where a workstation keeps the clinic's private signing key.

The key never goes into the database, so neither a copy of the database nor any of its
backups can sign a PDF in the clinic's name. It lives in the workstation user's private
configuration folder (not the data folder, whose `backups/` sit beside the SQLite file):

    <config>/signing/clinic-signing-key.p12        PKCS#12, AES-256, mode 0600
    <config>/signing/clinic-signing-key.password   its random password, mode 0600
    (<config> is platformdirs' user_config_dir: ~/.config/Clinic Desk on Linux)

The password file beside the PKCS#12 file only means that the key file alone, copied
or attached somewhere by mistake, is useless; anyone who can read both files (the
workstation's user, an administrator of the computer) can sign. The certificate, which
is public, belongs in the database, so that every workstation can check a PDF.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clinic_desk.documents.signing import (
    SigningIdentity,
    SigningIdentityError,
    create_signing_identity,
    identity_from_pkcs12,
    identity_to_pkcs12,
)

KEY_FILE = "clinic-signing-key.p12"
PASSWORD_FILE = "clinic-signing-key.password"


def default_key_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("Clinic Desk", "Clinic Desk")) / "signing"


@dataclass(frozen=True, slots=True)
class KeyStore:
    """The signing identity kept in one folder of this workstation."""

    folder: Path

    @property
    def key_path(self) -> Path:
        return self.folder / KEY_FILE

    @property
    def password_path(self) -> Path:
        return self.folder / PASSWORD_FILE

    def exists(self) -> bool:
        return self.key_path.is_file()

    def load(self, *, now: datetime) -> SigningIdentity:
        if not self.exists():
            raise SigningIdentityError(
                "This workstation has no signing key for the clinic yet.")
        try:
            password = self.password_path.read_bytes().strip()
        except OSError:
            raise SigningIdentityError(
                f"The signing key's password file is missing: {self.password_path}") from None
        return identity_from_pkcs12(self.key_path.read_bytes(), password, now=now)

    def create(self, clinic_name: str, *, now: datetime) -> SigningIdentity:
        """A new identity for the clinic; refused when one is kept here already."""
        if self.exists():
            raise SigningIdentityError(
                "This workstation already keeps a signing key; import one to replace it.")
        identity = create_signing_identity(clinic_name, now=now)
        self.save(identity)
        return identity

    def import_pkcs12(self, data: bytes, password: bytes, *, now: datetime) -> SigningIdentity:
        """An administrator's PKCS#12 file, checked, then kept here under a new password
        (replacing the identity kept before)."""
        identity = identity_from_pkcs12(data, password, now=now)
        self.save(identity)
        return identity

    def save(self, identity: SigningIdentity) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        password = secrets.token_urlsafe(32).encode("ascii")
        # Both files are written completely before either replaces its predecessor.
        new_key = _write_private(self.key_path, identity_to_pkcs12(identity, password))
        new_password = _write_private(self.password_path, password + b"\n")
        os.replace(new_key, self.key_path)
        os.replace(new_password, self.password_path)


def _write_private(path: Path, data: bytes) -> Path:
    """A new file beside `path`, readable by its owner only, flushed to disk."""
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return temporary
