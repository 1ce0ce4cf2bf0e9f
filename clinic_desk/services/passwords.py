"""Password hashing with argon2id (argon2-cffi); the parameters come from the composition root."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


def _password_bytes(password: str) -> bytes:
    # A password typed with an unpaired surrogate (no keyboard makes one, but a paste or a
    # script can) must be a wrong password, not an encoding crash. Every encodable
    # password gives the same bytes as plain UTF-8, so stored hashes stay valid.
    return password.encode("utf-8", "surrogatepass")


class PasswordHashing:
    def __init__(self, hasher: PasswordHasher) -> None:
        self._hasher = hasher
        self._dummy_hash: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(_password_bytes(password))

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, _password_bytes(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def prepare_dummy(self) -> None:
        """Makes the stand-in hash (once) so that later `verify_dummy` calls cost one
        verification and nothing more."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(b"no account has this password")

    def verify_dummy(self, password: str) -> None:
        """Spends the time of one real verification, with the current parameters, for a
        user name that has no account: the answer then takes as long as a wrong
        password for a real account does."""
        self.prepare_dummy()
        assert self._dummy_hash is not None
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True


def production_hasher() -> PasswordHashing:
    # argon2-cffi's defaults follow RFC 9106's second recommendation (argon2id, 64 MiB).
    return PasswordHashing(PasswordHasher())
