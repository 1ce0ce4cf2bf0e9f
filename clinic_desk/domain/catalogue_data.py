"""Reading the shipped catalogues (devices, protocol) with errors that say where.

A catalogue is edited by hand by an administrator, so an error names the file, the
place in it ("limits.cheeks.scars.max_mm") and what is wrong, in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.quantities import QuantityError, exact


class CatalogueError(ClinicDeskError):
    """A shipped or edited catalogue that cannot be used; `where` says which entry."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}" if where else problem)
        self.where = where
        self.problem = problem


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one form field: `field` is the key the form shows it beside."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Reader:
    """A JSON object and where it sits in its file, for messages."""

    raw: Mapping[str, Any]
    where: str

    @staticmethod
    def top(raw: object, name: str) -> Reader:
        if not isinstance(raw, Mapping):
            raise CatalogueError(name, "the file must hold one JSON object")
        return Reader(raw, name)

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def has(self, key: str) -> bool:
        return key in self.raw and self.raw[key] is not None

    def fail(self, key: str, problem: str) -> CatalogueError:
        return CatalogueError(self.at(key), problem)

    def _get(self, key: str) -> Any:
        if key not in self.raw:
            raise self.fail(key, "is missing")
        return self.raw[key]

    def text(self, key: str, default: str | None = None) -> str:
        if default is not None and key not in self.raw:
            return default
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty text")
        return value.strip()

    def integer(self, key: str, default: int | None = None) -> int:
        if default is not None and key not in self.raw:
            return default
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, not {value!r}")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        if default is not None and key not in self.raw:
            return default
        value = self._get(key)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def number(self, key: str) -> Decimal:
        try:
            return exact(self._get(key))
        except QuantityError as exc:
            raise self.fail(key, str(exc)) from None

    def day(self, key: str) -> date | None:
        if not self.has(key):
            return None
        value = self._get(key)
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, f"must be a date written YYYY-MM-DD, not {value!r}") from None

    def child(self, key: str) -> Reader:
        value = self._get(key)
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a JSON object")
        return Reader(value, self.at(key))

    def children(self, key: str, *, default_empty: bool = False) -> tuple[Reader, ...]:
        if default_empty and not self.has(key):
            return ()
        value = self._get(key)
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.fail(key, "must be a list")
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise self.fail(f"{key}[{index}]", "must be a JSON object")
            found.append(Reader(item, self.at(f"{key}[{index}]")))
        return tuple(found)

    def texts(self, key: str) -> tuple[str, ...]:
        if not self.has(key):
            return ()
        value = self._get(key)
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.fail(key, "must be a list of texts")
        if any(not isinstance(item, str) or not item.strip() for item in value):
            raise self.fail(key, "must be a list of non-empty texts")
        return tuple(item.strip() for item in value)


def unique_keys(keys: Sequence[str], where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise CatalogueError(where, f"“{key}” appears twice")
        seen.add(key)
