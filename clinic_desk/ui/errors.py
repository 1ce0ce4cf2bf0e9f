"""Service errors turned into plain words for people."""

from __future__ import annotations

from clinic_desk.domain.errors import ClinicDeskError, ConcurrentEditError, DatabaseProblem
from clinic_desk.ui.i18n import tr


def stale_text() -> str:
    return tr(
        "This was changed on another workstation after you opened it. Reload to see the "
        "current version, then make your change again."
    )


def message_for(exc: ClinicDeskError) -> str:
    if isinstance(exc, ConcurrentEditError):
        return stale_text()
    if isinstance(exc, DatabaseProblem):
        return tr("The database cannot be used right now: {problem}").format(problem=exc)
    # Services already word their messages for people.
    return str(exc)
