"""The one translation helper: every user-facing string in the UI goes through `tr()`."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "ClinicDesk"


def tr(text: str, disambiguation: str | None = None) -> str:
    """Translates `text` with Qt's translator (one context for the whole application)."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation)
