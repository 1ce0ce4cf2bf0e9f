"""Phone numbers as the clinic's country writes them: parsed, compared and shown.

A number is stored as typed, and also in E.164 ("+33612345678") when it can be read as
a real number of the clinic's country or as an international one. Two ways of writing
one number ("06 12 34 56 78", "+33 6 12 34 56 78") then compare equal. A number that
cannot be read is kept exactly as typed: the form says so gently, nothing refuses it.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import phonenumbers

NO_COUNTRY = ""


@dataclass(frozen=True, slots=True)
class ReadPhone:
    """What was typed, and what could be read from it."""

    typed: str
    e164: str  # "" when the number could not be read as a real number

    @property
    def is_recognised(self) -> bool:
        return bool(self.e164)


def read_phone(typed: str, country: str) -> ReadPhone:
    """The number in E.164 when it is a valid number in `country` (ISO 3166 code such as
    "FR") or written internationally; otherwise only the typed text."""
    text = " ".join(typed.split())
    if not text:
        return ReadPhone("", "")
    try:
        number = phonenumbers.parse(text, country.upper() or None)
    except phonenumbers.NumberParseException:
        return ReadPhone(text, "")
    if not phonenumbers.is_valid_number(number):
        return ReadPhone(text, "")
    return ReadPhone(text, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def e164_of(typed: str, country: str) -> str:
    return read_phone(typed, country).e164


def shown_phone(typed: str, e164: str, country: str) -> str:
    """In the national format for a number of the clinic's country ("06 12 34 56 78"),
    internationally for any other ("+44 20 7946 0018"), as typed when it was not read."""
    if not e164:
        return " ".join(typed.split())
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return typed
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if country and region == country.upper()
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def search_forms(e164: str) -> tuple[str, ...]:
    """Other spellings of a read number that people type when searching: international
    with its country code and national with its trunk prefix ("+33 6…" and "06…")."""
    if not e164:
        return ()
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return (e164, national)


def is_known_country(code: str) -> bool:
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def _tz_table(name: str) -> str:
    """An IANA table ("zone.tab", "iso3166.tab") from the system's zone files or, where
    there are none (Windows), from the tzdata package; "" when neither has it."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@cache
def _zone_countries() -> dict[str, str]:
    return _countries_of_zones(_tz_table("zone.tab"))


def _countries_of_zones(zone_tab: str) -> dict[str, str]:
    """zone.tab's time zones with their countries (kept out of the cache, for tests)."""
    table: dict[str, str] = {}
    for line in zone_tab.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            table.setdefault(parts[2].strip(), parts[0].strip().upper())
    return table


# Zones that zone.tab does not list under a country of their own.
_ALIASES = {"Europe/London": "GB", "UTC": NO_COUNTRY, "Etc/UTC": NO_COUNTRY}


def country_for_time_zone(zone: str) -> str:
    """The country a time zone belongs to ("Europe/Paris" gives "FR"); "" if none."""
    if zone in _ALIASES:
        return _ALIASES[zone]
    code = _zone_countries().get(zone, NO_COUNTRY)
    return code if is_known_country(code) else NO_COUNTRY


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 codes with English names, for every country phone numbers are known for,
    in the order of their names."""
    return _in_name_order(_iso_names(_tz_table("iso3166.tab")))


def _in_name_order(names: dict[str, str]) -> dict[str, str]:
    return {
        code: names.get(code, code)
        for code in sorted(phonenumbers.SUPPORTED_REGIONS, key=lambda c: names.get(c, c))
    }


def _iso_names(text: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        code, name = line.split("\t", 1)
        names[code.strip().upper()] = name.strip()
    return names
