"""The consent windows' `ConsentDesk`, made from the services the windows are given."""

from __future__ import annotations

from clinic_desk.ui.consents.port import ConsentDesk
from clinic_desk.ui.consents.service_desk import ServiceConsentDesk
from clinic_desk.ui.context import DeskServices


def consent_desk(services: DeskServices) -> ConsentDesk:
    return ServiceConsentDesk(services.consents)
