"""The main window's areas: what each is called, its icon, shortcut and empty state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from clinic_desk.domain.roles import Role
from clinic_desk.ui.i18n import tr


class Area(IntEnum):
    TODAY = 0
    PATIENTS = 1
    CONSENT_FORMS = 2
    DEVICES = 3
    SETTINGS = 4


@dataclass(frozen=True, slots=True)
class AreaSpec:
    area: Area
    title: str
    icon: str
    shortcut: str
    coming: str  # what will live there, for the empty state (empty once the area is built)


def area_specs() -> list[AreaSpec]:
    return [
        AreaSpec(Area.TODAY, tr("Today"), "calendar-days", "Ctrl+1", ""),
        AreaSpec(Area.PATIENTS, tr("Patients"), "users", "Ctrl+2", ""),
        AreaSpec(Area.CONSENT_FORMS, tr("Consent forms"), "file-signature", "Ctrl+3", ""),
        AreaSpec(Area.DEVICES, tr("Devices"), "syringe", "Ctrl+4", ""),
        AreaSpec(Area.SETTINGS, tr("Settings & staff"), "settings", "Ctrl+5", ""),
    ]


def home_area(roles: Iterable[Role]) -> Area:
    """Where each person starts after signing in, whoever used the workstation before:
    someone who only administers in Settings & staff, everyone who sees patients with the
    patients, except reception, who runs the day from Today (the appointments, check-in and
    hand-over to the treatment rooms)."""
    held = set(roles)
    if held == {Role.ADMINISTRATOR}:
        return Area.SETTINGS
    return Area.TODAY if Role.RECEPTION in held else Area.PATIENTS


def menu_text(title: str) -> str:
    """A title as a menu or action text: "&" is Qt's mnemonic marker, so a literal one
    is doubled ("Settings & staff" would otherwise show as "Settings _staff")."""
    return title.replace("&", "&&")
