"""Migrations are frozen: what a revision does never changes with the application's code.

0004 reads phones and builds search keys with its own copies (`migrations/frozen_0004`),
not with `domain.phones` / `domain.search_keys`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from clinic_desk.domain import phones, search_keys
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.storage.migrations import frozen_0004

VERSIONS = Path(frozen_0004.__file__).parent / "versions"
# 0005 seals existing rows with the record-hash and chain code of the application (its
# hash format 2 is itself versioned in the hashes). Left as it is: see the i89 report.
NOT_YET_FROZEN = {"0005_records_in_the_chain.py"}


def _app_imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [
            n for n in names
            if n.startswith("clinic_desk") and not n.startswith("clinic_desk.storage.migrations")
        ]
    return found


@pytest.mark.parametrize(
    "revision", sorted(p.name for p in VERSIONS.glob("0*.py") if p.name not in NOT_YET_FROZEN)
)
def test_a_migration_imports_no_application_code(revision: str) -> None:
    assert _app_imports(VERSIONS / revision) == []


PHONES = ["06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678", "020 7946 0018",
          "not a phone", "", "+48 600 100 200", "12"]
NAMES = [("Ångström-Müller Ferreira de la Fuente", "Zoë", "Zo"), ("Łukasiewicz", "Ærø", ""),
         ("O'Brien", "Seán", "Shaun"), ("Bäcker", "Jürgen", "")]


@pytest.mark.parametrize("zone", ["Europe/Paris", "Europe/London", "UTC", "Asia/Tokyo", "Nowhere"])
def test_the_frozen_copies_still_agree_with_the_application(zone: str) -> None:
    """They agree today. If this fails after a change to phones or search keys, the
    change needs its own migration rebuilding the keys; then drop the failing case,
    never edit frozen_0004."""
    country = phones.country_for_time_zone(zone)
    assert frozen_0004.country_for_time_zone(zone) == country
    for typed in PHONES:
        e164 = phones.e164_of(typed, country or "FR")
        assert frozen_0004.e164_of(typed, country or "FR") == e164
        assert frozen_0004.search_forms(e164) == phones.search_forms(e164)
        for number, (family, given, preferred) in enumerate(NAMES, start=1):
            number_text = format_patient_number(number)
            forms = phones.search_forms(e164)
            assert frozen_0004.patient_keys(
                family_name=family, given_name=given, preferred_name=preferred, phone=typed,
                patient_number=number_text, phone_forms=forms,
            ) == search_keys.patient_keys(
                family_name=family, given_name=given, preferred_name=preferred, phone=typed,
                patient_number=number_text, phone_forms=forms,
            )
    assert frozen_0004.format_patient_number(42) == format_patient_number(42)
