"""Search keys for patients: names folded without accents, phone and number digits.

A patient is found by any word of their names typed in any order and without accents
("muller" finds "Müller", "zoe" finds "Zoë"), by any run of four or more digits of their
phone or patient number, and by birth date. The keys are plain strings so that a B-tree
range scan answers a prefix query on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters that Unicode does not decompose into a base letter plus an accent.
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
_NUMBER = re.compile(r"[A-Za-z]{1,3}-?\d+")
DIGIT_MARK = "#"
MIN_DIGIT_RUN = 4
MAX_KEY_LENGTH = 64


def fold(text: str) -> str:
    """Lower case, accents removed, special letters spelled out."""
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_SPECIAL)


def words(text: str) -> list[str]:
    """The folded words of a name; "Dubois-Laurent" gives "dubois" and "laurent"."""
    return [w[:MAX_KEY_LENGTH] for w in _WORD.findall(fold(text))]


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() and ch.isascii())


def name_keys(*names: str) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys.update(words(name))
        # "Müller" is also typed "Mueller": keep the German spelling as a key too.
        german = name.casefold().translate(_GERMAN)
        if german != name.casefold():
            keys.update(words(german))
    return keys


def digit_keys(*values: str) -> set[str]:
    """Every tail of at least four digits, so that any run of digits typed matches.

    An international number ("+33 6 12 …") is also kept in its national form with a
    trunk zero ("06 12 …"), since that is how people read it out.
    """
    keys: set[str] = set()
    for value in values:
        digits = digits_of(value)[-32:]
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


class KeyRank:
    """Among patients sharing a key, whose key is it most? Lower ranks list first, so
    "Müller, Zoë" comes before "Bäcker-Müller, Anna" when "müller" is typed."""

    FAMILY_FIRST = 0
    FAMILY_OTHER = 1
    GIVEN = 2
    PREFERRED = 3
    NUMBER = 4
    PHONE = 5


def patient_keys(
    *,
    family_name: str,
    given_name: str,
    preferred_name: str,
    phone: str,
    patient_number: str,
    phone_forms: Iterable[str] = (),
) -> dict[str, int]:
    """Every search key of a patient with its rank. `phone_forms` are other spellings of
    the phone (E.164, national), so that "06…" and "+33 6…" both find it."""
    keys: dict[str, int] = {}

    def add(found: set[str] | list[str], rank: int) -> None:
        for key in found:
            keys[key] = min(rank, keys.get(key, rank))

    first_word = _WORD.findall(family_name)[:1]
    add(name_keys(*first_word), KeyRank.FAMILY_FIRST)
    add(name_keys(family_name), KeyRank.FAMILY_OTHER)
    add(name_keys(given_name), KeyRank.GIVEN)
    add(name_keys(preferred_name), KeyRank.PREFERRED)
    number = fold(patient_number).replace("-", "")[:MAX_KEY_LENGTH]
    if number:
        add([number], KeyRank.NUMBER)
    add(digit_keys(patient_number), KeyRank.NUMBER)
    add(digit_keys(phone, *phone_forms), KeyRank.PHONE)
    return keys


def sort_key(family_name: str, given_name: str) -> str:
    return f"{fold(family_name)}\x1f{fold(given_name)}"[: MAX_KEY_LENGTH * 2]


def query_terms(text: str) -> list[str]:
    """The prefixes to look up for what was typed: words, and digit runs marked as such.

    Digit groups typed with spaces or dashes ("06 12-34") are joined into one run.
    """
    terms: list[str] = []
    digit_run = ""
    for token in re.split(r"\s+", text.strip()):
        if not token:
            continue
        if re.fullmatch(r"[\d\s()+./-]+", token) and any(ch.isdigit() for ch in token):
            digit_run += digits_of(token)
            continue
        if digit_run:
            terms.append(DIGIT_MARK + digit_run)
            digit_run = ""
        if _NUMBER.fullmatch(token):  # a patient number such as "P-000123"
            terms.append(fold(token).replace("-", ""))
            continue
        terms.extend(DIGIT_MARK + w if w.isdigit() else w for w in words(token))
    if digit_run:
        terms.append(DIGIT_MARK + digit_run)
    return _dedupe(t[:MAX_KEY_LENGTH] for t in terms)


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
