"""The services every front end drives, named once: the command line gets them inside
`ClinicDesk`, the windows inside `DeskServices`, and neither repeats the list."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from clinic_desk.services.adverse_events import AdverseEventService
from clinic_desk.services.appointments import AppointmentService
from clinic_desk.services.audit import AuditService
from clinic_desk.services.auth import AuthService
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.consents import ConsentService
from clinic_desk.services.courses import CourseService
from clinic_desk.services.demo import DemoService
from clinic_desk.services.devices import DeviceService
from clinic_desk.services.documents import DocumentService
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.patients import PatientService
from clinic_desk.services.protocols import ProtocolService
from clinic_desk.services.screening import ScreeningService
from clinic_desk.services.sessions import SessionService
from clinic_desk.services.staff import StaffService


@dataclass(frozen=True, slots=True)
class CoreServices:
    auth: AuthService
    staff: StaffService
    clinic: ClinicService
    patients: PatientService
    intake: IntakeService
    screening: ScreeningService
    demo: DemoService
    audit: AuditService
    devices: DeviceService
    protocols: ProtocolService
    sessions: SessionService
    adverse_events: AdverseEventService
    courses: CourseService
    consents: ConsentService
    documents: DocumentService
    appointments: AppointmentService

    def core_services(self) -> dict[str, Any]:
        """The services by field name, to hand on to a front end's own set."""
        return {f.name: getattr(self, f.name) for f in fields(CoreServices)}
