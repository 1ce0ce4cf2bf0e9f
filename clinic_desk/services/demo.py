"""A demo clinic, so that a new user can try everything at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from clinic_desk.catalogue import Catalogues
from clinic_desk.domain.clinic_profile import ClinicDetails, PaperSize
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Role
from clinic_desk.services.auth import AuthService
from clinic_desk.services.clinic import ClinicService
from clinic_desk.services.consents import ConsentService
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.demo_consents import DemoStaff, load_demo_consents
from clinic_desk.services.demo_patients import load_demo_patients
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.intake import IntakeService
from clinic_desk.services.patients import PatientService
from clinic_desk.services.staff import StaffService

DEMO_CLINIC = ClinicDetails(
    name="Lumière Skin & Microneedling Clinic",
    address="12 Rue des Lilas\n75011 Paris\nFrance",
    phone="+33 1 23 45 67 89",
    time_zone="Europe/Paris",
    paper_size=PaperSize.A4,
)

DEMO_STAFF: tuple[tuple[str, str, Role], ...] = (
    ("admin", "Amélie Dubois-Laurent", Role.ADMINISTRATOR),
    ("practitioner", "Dr Łucja Wiśniewska", Role.PRACTITIONER),
    ("reception", "Jonas Müller", Role.RECEPTION),
)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    password: str


def _new_password() -> str:
    return "demo-" + secrets.token_urlsafe(6)


def load_demo_clinic(
    auth: AuthService, clinic: ClinicService, staff: StaffService
) -> list[DemoAccount]:
    """Creates the demo clinic with one account per role, or, if this database already
    holds the demo clinic, gives its accounts new passwords. Refuses a real clinic."""
    profile = clinic.profile()
    if profile is not None and not profile.is_demo:
        raise ClinicDeskError(
            f"This database holds the clinic “{profile.name}”, not the demo. Load the demo "
            "into a new database instead: clinic-desk --database sqlite:///demo.sqlite3 demo"
        )
    admin_name, admin_full, _ = DEMO_STAFF[0]
    passwords = {username: _new_password() for username, _, _ in DEMO_STAFF}
    if profile is None:
        admin = auth.create_clinic(
            DEMO_CLINIC,
            admin_username=admin_name,
            admin_full_name=admin_full,
            admin_password=passwords[admin_name],
            is_demo=True,
        )
    else:
        admin = auth.demo_account(admin_name)
    existing = {s.username: s for s in staff.list_staff(admin)}
    for username, full_name, role in DEMO_STAFF:
        found = existing.get(username)
        if found is None:
            staff.add_staff(
                admin,
                username=username,
                full_name=full_name,
                roles=(role,),
                password=passwords[username],
                temporary=False,
            )
        elif profile is not None:
            staff.reset_password(
                admin,
                found.staff_id,
                expected_version=found.version,
                new_password=passwords[username],
                temporary=False,
            )
    return [DemoAccount(u, f, r, passwords[u]) for u, f, r in DEMO_STAFF]


class DemoService:
    """The demo clinic and its demo patients, for the first-start dialog and the CLI."""

    def __init__(
        self,
        ctx: ServiceContext,
        auth: AuthService,
        clinic: ClinicService,
        staff: StaffService,
        catalogues: Catalogues,
        *,
        patients: PatientService,
        intake: IntakeService,
        consents: ConsentService,
    ) -> None:
        self._ctx = ctx
        self._auth = auth
        self._clinic = clinic
        self._staff = staff
        self._catalogues = catalogues
        self._patients = patients
        self._intake = intake
        self._consents = consents

    def load_clinic(self) -> list[DemoAccount]:
        return load_demo_clinic(self._auth, self._clinic, self._staff)

    def add_patients(self, actor: SignedInStaff, count: int) -> int:
        """Adds `count` demo patients with varied medical histories (demo clinic only)."""
        profile = self._clinic.profile()
        if profile is None or not profile.is_demo:
            raise ClinicDeskError("Demo patients can only be added to the demo clinic.")
        return load_demo_patients(
            self._ctx,
            actor,
            count=count,
            questionnaire=self._catalogues.questionnaire,
            rules=self._catalogues.rules,
        )

    def add_consents(self, accounts: list[DemoAccount]) -> int:
        """Signed, declined, withdrawn and superseded demo consents, once (demo clinic
        only); `accounts` as `load_clinic` returned them (the practitioner signs)."""
        profile = self._clinic.profile()
        if profile is None or not profile.is_demo:
            raise ClinicDeskError("Demo consents can only be added to the demo clinic.")
        return load_demo_consents(self.demo_staff(accounts), self._patients, self._intake,
                                  self._consents, self._catalogues.questionnaire)

    def demo_staff(self, accounts: list[DemoAccount]) -> DemoStaff:
        """The demo practitioner signed in (with the password they countersign with) and
        the demo receptionist: for `demo_consents.sign_demo_consent`."""
        practitioner = next(a for a in accounts if a.role is Role.PRACTITIONER)
        return DemoStaff(
            practitioner=self._auth.sign_in(practitioner.username, practitioner.password),
            practitioner_password=practitioner.password,
            reception=self.reception_account(),
        )

    def reception_account(self) -> SignedInStaff:
        return self._auth.demo_account(DEMO_STAFF[2][0])
