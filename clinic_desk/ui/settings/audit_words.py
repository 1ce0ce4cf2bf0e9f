"""The audit log in words: the log stores stable codes ("staff.password_reset",
"staff_account", "role=reception"); administrators read what they mean."""

from __future__ import annotations

from clinic_desk.domain.roles import Role
from clinic_desk.services.audit import AuditEntryView
from clinic_desk.ui.account_form import role_title
from clinic_desk.ui.i18n import tr


def action_labels() -> dict[str, str]:
    return {
        "clinic.created": tr("Clinic created"),
        "clinic.changed": tr("Clinic profile changed"),
        "staff.created": tr("Staff account added"),
        "staff.changed": tr("Staff account changed"),
        "staff.password_reset": tr("Password reset"),
        "staff.password_changed": tr("Own password changed"),
        "staff.deactivated": tr("Account deactivated"),
        "staff.reactivated": tr("Account reactivated"),
        "staff.listed": tr("Staff list opened"),
        "staff.sign_in": tr("Sign-in"),
        "staff.sign_out": tr("Sign-out"),
        "staff.session_locked": tr("Workstation locked (idle)"),
        "staff.session_unlocked": tr("Workstation unlocked"),
        "staff.demo_access": tr("Demo account used"),
        "patient.registered": tr("Patient registered"),
        "patient.changed": tr("Patient details changed"),
        "patient.archived": tr("Patient archived"),
        "patient.restored": tr("Patient restored"),
        "patient.demo_loaded": tr("Demo patients added"),
        "patient.viewed": tr("Patient record opened"),
        "patient.searched": tr("Patient search"),
        "intake.recorded": tr("Medical history recorded"),
        "intake.viewed": tr("Medical history opened"),
        "screening.viewed": tr("Screening opened"),
        "screening.cleared": tr("Screening finding cleared"),
        "screening.clearance_revoked": tr("Screening clearance withdrawn"),
        # Devices, lots, protocol, sessions, adverse events, courses (issue 11).
        "device.listed": tr("Device registry listed"),
        "device.viewed": tr("Device opened"),
        "device.added": tr("Device added"),
        "device.changed": tr("Device changed"),
        "lot.listed": tr("Lots listed"),
        "lot.added": tr("Lot added"),
        "lot.changed": tr("Lot withdrawn or back in use"),
        "lot.traced": tr("Lot traced to its patients"),
        "protocol.viewed": tr("Treatment protocol opened"),
        "protocol.saved": tr("Treatment protocol saved"),
        "session.viewed": tr("Treatment sessions opened"),
        "session.checked": tr("Session settings checked"),
        "session.signed_off": tr("Treatment session signed off"),
        "session.amended": tr("Treatment session amended"),
        "session.listed": tr("Treatment sessions listed"),
        "adverse_event.recorded": tr("Adverse event recorded"),
        "adverse_event.followed_up": tr("Adverse event followed up"),
        "course.viewed": tr("Courses of treatment opened"),
        "course.planned": tr("Course of treatment planned"),
        "course.changed": tr("Course of treatment changed"),
        "course.closed": tr("Course of treatment closed"),
        "audit.viewed": tr("Audit log opened"),
        "audit.verified": tr("Audit log checked"),
        "audit.listed": tr("Patient's access history listed"),
        "audit.witness_disagreed": tr("Audit log differs from a workstation's record"),
        "audit.witness_acknowledged": tr("Audit log difference acknowledged"),
        "records.sealed": tr("Existing records sealed"),
        "backup.created": tr("Backup made"),
        "backup.restored": tr("Backup restored"),
        # consent forms (p10a)
        "consent.viewed": tr("Consent opened"),
        "consent.listed": tr("Consents listed"),
        "consent.signed": tr("Consent signed"),
        "consent.declined": tr("Consent declined"),
        "consent.withdrawn": tr("Consent withdrawn"),
        "consent.printed": tr("Consent printed"),
        "consent.saved": tr("Consent saved as PDF"),
        "consent.templates_viewed": tr("Consent forms listed"),
        "consent.template_imported": tr("Consent form version imported"),
        "consent.template_published": tr("Consent form version published"),
        "consent.template_retired": tr("Consent form version retired"),
        "signing.viewed": tr("Signing certificates listed"),
        "signing.certificate_registered": tr("Signing certificate registered"),
        "document.made": tr("Document prepared"),
        "document.handed_out": tr("Document handed out"),
        # The appointment book (issue 13).
        "appointment.booked": tr("Appointment booked"),
        "appointment.moved": tr("Appointment moved"),
        "appointment.status_changed": tr("Appointment status changed"),
        "appointment.handed_over": tr("Patient handed to a room"),
        "appointment.listed": tr("Appointment book opened"),
        "appointment.checked": tr("Booking checked"),
        "appointment.proposed": tr("Course dates proposed"),
        "appointment.demo_booked": tr("Demo week booked"),
        "room.added": tr("Room added"),
        "room.changed": tr("Room changed"),
        "room.listed": tr("Rooms listed"),
        "hours.changed": tr("Working hours changed"),
        "hours.viewed": tr("Working hours opened"),
        "documents.viewed": tr("Documents history opened"),
    }


def record_labels() -> dict[str, str]:
    return {
        "clinic_profile": tr("Clinic profile"),
        "staff_account": tr("Staff account"),
        "patient": tr("Patient record"),
        "intake_record": tr("Medical history"),
        "screening_clearance": tr("Screening clearance"),
        "clearance_revocation": tr("Clearance withdrawal"),
        "database": tr("Database"),
        "device": tr("Device"),
        "device_revision": tr("Device version"),
        "lot": tr("Lot"),
        "protocol": tr("Treatment protocol"),
        "protocol_version": tr("Treatment protocol version"),
        "treatment_session": tr("Treatment session"),
        "session_amendment": tr("Session amendment"),
        "adverse_event": tr("Adverse event"),
        "adverse_event_followup": tr("Adverse event follow-up"),
        "course": tr("Course of treatment"),
        "session": tr("Treatment sessions"),
        "audit_entry": tr("Audit log"),
        "consent_record": tr("Consent"),
        "consent_template": tr("Consent form"),
        "signing_certificate": tr("Signing certificate"),
        "handed_out_document": tr("Handed-out document"),
        "appointment": tr("Appointment"),
        "appointment_change": tr("Appointment change"),
        "room": tr("Room"),
    }


def outcome_labels() -> dict[str, str]:
    return {"success": tr("Done"), "failed": tr("Failed"), "denied": tr("Refused"),
            "refused": tr("Refused")}


def in_words(code: str) -> str:
    """A code added later and not worded yet still reads as words: "staff.locked" reads
    "Staff: locked", "consent_record" reads "Consent record"."""
    area, _, what = code.partition(".")
    area = area.replace("_", " ").capitalize()
    return f"{area}: {what.replace('_', ' ')}" if what else area


class AuditWords:
    def __init__(self) -> None:
        self._actions = action_labels()
        self._records = record_labels()
        self._outcomes = outcome_labels()

    def action(self, entry: AuditEntryView) -> str:
        return self._actions.get(entry.action) or in_words(entry.action)

    def record(self, entry: AuditEntryView) -> str:
        kind = self._records.get(entry.entity_type) or in_words(entry.entity_type)
        if not entry.entity_id or entry.entity_type in ("patient", "clinic_profile"):
            return kind  # the patient's number has its own column; there is one profile
        return tr("{record} no. {number}").format(record=kind, number=entry.entity_id)

    def outcome(self, entry: AuditEntryView) -> str:
        return self._outcomes.get(entry.outcome) or in_words(entry.outcome)

    def detail(self, entry: AuditEntryView) -> str:
        """The entry in one sentence for its tooltip: what, and anything it noted."""
        note = entry.detail
        if note.startswith(("role=", "roles=")):
            codes = note.split("=", 1)[1].split(",")
            named = ", ".join(role_title(Role(c)) if c in set(Role) else c for c in codes)
            note = (tr("role: {role}") if len(codes) == 1 else tr("roles: {role}")).format(
                role=named)
        return f"{self.action(entry)} — {note}" if note else self.action(entry)
