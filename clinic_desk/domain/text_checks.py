"""One check for every piece of text a service stores.

Text that cannot be stored faithfully, or that can make a stored record read differently
from what was typed, is refused before anything is written, with the same message on
SQLite and PostgreSQL:

- anywhere: an unpaired surrogate (Python accepts it, UTF-8 cannot encode it, and the
  two databases fail on it in different ways) and the null character (PostgreSQL
  refuses it, SQLite cuts some strings short at it);
- anywhere: other control characters, except the line breaks and tabs that a
  multi-line field (an address, notes, a reason) may hold;
- in names, user names, phone numbers and e-mail addresses: the invisible characters
  that change the direction of the text around them (bidi embeddings, overrides and
  isolates, and the direction marks), which can make "evil.com" read as "moc.live" or
  reorder a name on a printed form.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from clinic_desk.domain.errors import ValidationError

# Embeddings, overrides and isolates, and the marks that steer them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_MULTILINE_ALLOWED = frozenset("\n\r\t")


class TextKind(Enum):
    LINE = "line"  # one line of free text: a clinic name, a time zone, an answer
    MULTILINE = "multiline"  # an address, notes, a reason: line breaks and tabs allowed
    IDENTITY = "identity"  # a person's name, a user name, a phone number, an e-mail address


def _problem(ch: str, kind: TextKind) -> str | None:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate character (U+{code:04X})"
    if code == 0:
        return "a null character"
    if unicodedata.category(ch) == "Cc":
        if kind is TextKind.MULTILINE and ch in _MULTILINE_ALLOWED:
            return None
        return f"a control character (U+{code:04X})"
    if kind is TextKind.IDENTITY and ch in BIDI_CONTROLS:
        return f"an invisible text-direction character (U+{code:04X})"
    return None


def text_problem(value: str, kind: TextKind = TextKind.LINE) -> str | None:
    """What is wrong with the first character that cannot be stored, or None."""
    for ch in value:
        problem = _problem(ch, kind)
        if problem is not None:
            return problem
    return None


def check_text(value: str, *, field: str, label: str, kind: TextKind = TextKind.LINE) -> str:
    """`value` unchanged, or ValidationError naming the field and the character's kind
    (never the character itself: it may not print, or may not encode)."""
    if not isinstance(value, str):
        raise ValidationError(f"The {label} must be text.", field=field)
    problem = text_problem(value, kind)
    if problem is not None:
        raise ValidationError(
            f"The {label} contains {problem}, which cannot be stored. Remove it and "
            "type the text again.",
            field=field,
        )
    return value


def check_password_text(value: str, *, field: str = "password") -> str:
    """Passwords are hashed, never shown: only what cannot be encoded is refused."""
    if not isinstance(value, str):
        raise ValidationError("The password must be text.", field=field)
    for ch in value:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF or code == 0:
            raise ValidationError(
                "The password contains a character that cannot be used in a password "
                f"({'a null character' if code == 0 else f'U+{code:04X}'}).",
                field=field,
            )
    return value
