"""What a search that found nobody says about the person about to be registered.

After "No patient matches 'Ferreira'", the registration form starts with Ferreira as the
family name, so it is not typed twice: a text that reads as a date goes to Date of birth,
one that reads as a phone number to Phone, words to the names ("Ana Ferreira" is given +
family, "Ferreira, Ana" family first). Anything else (a patient number, a mix of letters
and digits) is not carried: the form starts empty, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinic_desk.domain.dates import DateFormat, format_date, parse_date

_DATE_SHAPE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]+$")
_MIN_PHONE_DIGITS = 6
# Letters of any script, with the marks names carry: "Ångström-Müller", "O'Brien".
_WORD = re.compile(r"^[^\W\d_]+(?:['’\-.][^\W\d_]+)*\.?$")


@dataclass(frozen=True, slots=True)
class CarriedSearch:
    family_name: str = ""
    given_name: str = ""
    phone: str = ""
    date_of_birth: str = ""  # as the clinic writes dates

    def is_empty(self) -> bool:
        return self == CarriedSearch()


def carried_search(text: str, date_format: DateFormat) -> CarriedSearch:
    typed = " ".join(text.split())
    if not typed:
        return CarriedSearch()
    day = parse_date(typed, date_format)
    if day is not None:
        return CarriedSearch(date_of_birth=format_date(day, date_format))
    if _DATE_SHAPE.match(typed):  # "31/02/1977": meant as a date, not a phone number
        return CarriedSearch()
    if _PHONE.match(typed) and sum(c.isdigit() for c in typed) >= _MIN_PHONE_DIGITS:
        return CarriedSearch(phone=typed)
    if "," in typed:
        family, _, given = (part.strip() for part in typed.partition(","))
        if _names(family) and (not given or _names(given)):
            return CarriedSearch(family_name=family, given_name=given)
        return CarriedSearch()
    words = typed.split(" ")
    if not _names(typed):
        return CarriedSearch()
    if len(words) == 1:
        return CarriedSearch(family_name=typed)
    # "Maria de la Fuente": the first word is the given name, the rest the family name.
    return CarriedSearch(given_name=words[0], family_name=" ".join(words[1:]))


def _names(text: str) -> bool:
    words = text.split()
    return bool(words) and all(_WORD.match(w) for w in words)
