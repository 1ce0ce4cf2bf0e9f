"""Forms that ask before throwing typing away, and the one way to close them without
asking: when the person signs out (from the lock screen, or the session ends), the forms'
owner has chosen to leave and nobody else may read or finish them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.i18n import tr


def close_without_asking(window: QWidget) -> None:
    """Close `window`; a form that would ask first (it has `discard_unsaved`) is discarded."""
    discard = getattr(window, "discard_unsaved", None)
    if callable(discard):
        discard()
    else:
        window.close()


def may_discard(dialogs: DialogService, parent: QWidget, text: str) -> bool:
    """Whether the person chose to throw away what they typed (Discard / Keep editing)."""
    return dialogs.confirm(parent, tr("Discard what you typed?"), text,
                           confirm_label=tr("Discard"), cancel_label=tr("Keep editing"))
