"""Password hashing: what a stored hash accepts, what it refuses without crashing, when a
hash needs renewing, and the stand-in hash for user names without an account."""

from __future__ import annotations

from typing import Literal

from argon2 import PasswordHasher

from clinic_desk.services.passwords import PasswordHashing, production_hasher
from tests.helpers.clinic import fast_hashing


class CountingHasher(PasswordHasher):
    """argon2id with tiny costs that counts the hashes it makes and checks."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.hashed: list[bytes] = []
        self.checked: list[bytes] = []

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        assert isinstance(password, bytes)
        self.hashed.append(password)
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        assert isinstance(password, bytes)
        self.checked.append(password)
        return super().verify(hash, password)


def test_a_hash_accepts_its_own_password_and_no_other() -> None:
    hashing = fast_hashing()
    stored = hashing.hash("Zoë-Ångström 1")
    assert hashing.verify(stored, "Zoë-Ångström 1") is True
    assert hashing.verify(stored, "Zoe-Angstrom 1") is False
    assert hashing.verify(stored, "") is False


def test_a_password_is_hashed_as_its_utf8_bytes() -> None:
    # Hashes made before (plain UTF-8 strings given to argon2) must keep working.
    older = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash("Łódź-żółć")
    assert fast_hashing().verify(older, "Łódź-żółć") is True
    counting = CountingHasher()
    PasswordHashing(counting).hash("Łódź-żółć")
    assert counting.hashed == ["Łódź-żółć".encode()]


def test_a_password_with_a_lone_surrogate_is_wrong_not_a_crash() -> None:
    hashing = fast_hashing()
    stored = hashing.hash("admin-password-1")
    assert hashing.verify(stored, "admin-\ud800") is False
    own = hashing.hash("pass\udc80word")
    assert hashing.verify(own, "pass\udc80word") is True
    assert hashing.verify(own, "pass\udc81word") is False


def test_a_damaged_stored_hash_refuses_every_password() -> None:
    hashing = fast_hashing()
    good = hashing.hash("admin-password-1")
    assert hashing.verify("not a hash at all", "admin-password-1") is False
    assert hashing.verify(good[:-4], "admin-password-1") is False  # the digest cut short
    assert hashing.verify(good.replace("$argon2id$", "$argon2i$"), "admin-password-1") is False


def test_a_hash_needs_renewing_when_the_costs_changed_or_it_cannot_be_read() -> None:
    cheap, dearer = fast_hashing(time_cost=1), fast_hashing(time_cost=2)
    stored = cheap.hash("admin-password-1")
    assert cheap.needs_rehash(stored) is False
    assert dearer.needs_rehash(stored) is True
    assert cheap.needs_rehash("not a hash at all") is True


def test_the_stand_in_hash_is_made_once_and_each_unknown_name_costs_one_check() -> None:
    counting = CountingHasher()
    hashing = PasswordHashing(counting)
    hashing.prepare_dummy()
    hashing.prepare_dummy()
    assert len(counting.hashed) == 1
    hashing.verify_dummy("guess-1")
    hashing.verify_dummy("guess-2")
    assert len(counting.hashed) == 1
    assert counting.checked == [b"guess-1", b"guess-2"]


def test_the_stand_in_hash_is_made_on_first_use_if_not_prepared() -> None:
    counting = CountingHasher()
    PasswordHashing(counting).verify_dummy("guess")
    assert len(counting.hashed) == 1 and counting.checked == [b"guess"]


def test_production_hashes_use_argon2id_at_rfc_9106_costs() -> None:
    stored = production_hasher().hash("admin-password-1")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert production_hasher().needs_rehash(stored) is False
