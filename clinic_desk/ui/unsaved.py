"""Forms that ask before throwing typing away, and the one way to close them without
asking: when the person signs out (from the lock screen, or the session ends), the forms'
owner has chosen to leave and nobody else may read or finish them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def close_without_asking(window: QWidget) -> None:
    """Close `window`; a form that would ask first (it has `discard_unsaved`) is discarded."""
    discard = getattr(window, "discard_unsaved", None)
    if callable(discard):
        discard()
    else:
        window.close()
