"""What migration 0004 needs from the application, frozen as it was at revision 0004.

A migration must do tomorrow exactly what it did the day it was written, whatever the
application's phone and search-key code becomes later: so it never imports that code.
These are verbatim copies of `domain.phones`, `domain.search_keys` and
`domain.patients.format_patient_number` at revision 0004 (only what 0004 calls). Never
edit them to follow the application; a later change of the key scheme is a new
migration that rebuilds the keys.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import phonenumbers

NO_COUNTRY = ""


# --- domain.patients ------------------------------------------------------------------


def format_patient_number(sequence: int) -> str:
    return f"P-{sequence:06d}"


# --- domain.phones --------------------------------------------------------------------


def e164_of(typed: str, country: str) -> str:
    """The number in E.164 when it is a valid number in `country` or written
    internationally; "" when it cannot be read."""
    text = " ".join(typed.split())
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, country.upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def search_forms(e164: str) -> tuple[str, ...]:
    if not e164:
        return ()
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return (e164, national)


def _tz_table(name: str) -> str:
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
    table: dict[str, str] = {}
    for line in _tz_table("zone.tab").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            table.setdefault(parts[2].strip(), parts[0].strip().upper())
    return table


_ALIASES = {"Europe/London": "GB", "UTC": NO_COUNTRY, "Etc/UTC": NO_COUNTRY}


def country_for_time_zone(zone: str) -> str:
    if zone in _ALIASES:
        return _ALIASES[zone]
    code = _zone_countries().get(zone, NO_COUNTRY)
    return code if code.upper() in phonenumbers.SUPPORTED_REGIONS else NO_COUNTRY


# --- domain.search_keys ---------------------------------------------------------------

_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
        "ĳ": "ij",
    }
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
DIGIT_MARK = "#"
MIN_DIGIT_RUN = 4
MAX_KEY_LENGTH = 64


def _fold(text: str) -> str:
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_SPECIAL)


def _words(text: str) -> list[str]:
    return [w[:MAX_KEY_LENGTH] for w in _WORD.findall(_fold(text))]


def _digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() and ch.isascii())


def _name_keys(*names: str) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys.update(_words(name))
        german = name.casefold().translate(_GERMAN)
        if german != name.casefold():
            keys.update(_words(german))
    return keys


def _digit_keys(*values: str) -> set[str]:
    keys: set[str] = set()
    for value in values:
        digits = _digits_of(value)[-32:]
        if not digits:
            continue
        keys.add(DIGIT_MARK + digits)
        for start in range(1, len(digits) - MIN_DIGIT_RUN + 1):
            keys.add(DIGIT_MARK + digits[start:])
        if value.strip().startswith(("+", "00")):
            international = digits[2:] if value.strip().startswith("00") else digits
            for country_code_length in (1, 2, 3):
                keys.add(DIGIT_MARK + "0" + international[country_code_length:])
    return keys


# Ranks: family name's first word, rest of the family name, given, preferred, number, phone.
_FAMILY_FIRST, _FAMILY_OTHER, _GIVEN, _PREFERRED, _NUMBER_RANK, _PHONE = range(6)


def patient_keys(
    *,
    family_name: str,
    given_name: str,
    preferred_name: str,
    phone: str,
    patient_number: str,
    phone_forms: Iterable[str] = (),
) -> dict[str, int]:
    keys: dict[str, int] = {}

    def add(found: set[str] | list[str], rank: int) -> None:
        for key in found:
            keys[key] = min(rank, keys.get(key, rank))

    first_word = _WORD.findall(family_name)[:1]
    add(_name_keys(*first_word), _FAMILY_FIRST)
    add(_name_keys(family_name), _FAMILY_OTHER)
    add(_name_keys(given_name), _GIVEN)
    add(_name_keys(preferred_name), _PREFERRED)
    number = _fold(patient_number).replace("-", "")[:MAX_KEY_LENGTH]
    if number:
        add([number], _NUMBER_RANK)
    add(_digit_keys(patient_number), _NUMBER_RANK)
    add(_digit_keys(phone, *phone_forms), _PHONE)
    return keys
