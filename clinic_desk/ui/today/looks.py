"""How an appointment's status, lateness and screening look: always an icon and a word."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_desk.domain.booking import AppointmentStatus, Punctuality
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.appointment_dto import AppointmentView
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.theme import Tone


@dataclass(frozen=True, slots=True)
class Look:
    word: str
    icon_name: str
    tone: Tone


def status_look(view: AppointmentView) -> Look:
    """Lateness outranks "Booked"; a hand-over outranks "Arrived"."""
    if view.punctuality is Punctuality.LIKELY_NO_SHOW:
        return Look(tr("Not arrived (no-show?)"), "octagon-x", Tone.DANGER)
    if view.punctuality is Punctuality.LATE:
        return Look(tr("Late"), "hourglass", Tone.WARNING)
    status = view.status
    if status is AppointmentStatus.ARRIVED and view.ready_for_room_id is not None:
        return Look(tr("Ready for {room}").format(room=view.ready_for_room_name),
                    "user-check", Tone.ACCENT)
    return {
        AppointmentStatus.BOOKED: Look(tr("Booked"), "calendar", Tone.MUTED),
        AppointmentStatus.ARRIVED: Look(tr("Arrived"), "log-in", Tone.SUCCESS),
        AppointmentStatus.IN_TREATMENT: Look(tr("In treatment"), "syringe", Tone.ACCENT),
        AppointmentStatus.DONE: Look(tr("Done"), "circle-check", Tone.SUCCESS),
        AppointmentStatus.NO_SHOW: Look(tr("No-show"), "octagon-x", Tone.DANGER),
        AppointmentStatus.CANCELLED: Look(tr("Cancelled"), "x", Tone.MUTED),
    }[status]


def screening_look(view: AppointmentView) -> Look | None:
    """None for appointments that are not a treatment still to come."""
    status = view.screening_status
    if status is None:
        return None
    word = view.screening_label or status.value.replace("_", " ").capitalize()
    return {
        ScreeningStatus.CLEAR: Look(word, "shield-check", Tone.SUCCESS),
        ScreeningStatus.CLEAR_WITH_ADVICE: Look(word, "shield-check", Tone.SUCCESS),
        ScreeningStatus.NEEDS_CLEARANCE: Look(word, "triangle-alert", Tone.WARNING),
        ScreeningStatus.DO_NOT_TREAT: Look(word, "octagon-x", Tone.DANGER),
        ScreeningStatus.HISTORY_NEEDED: Look(word, "clipboard-list", Tone.WARNING),
    }[status]


def readiness_look(view: AppointmentView) -> Look | None:
    """Screening and what is still missing, in one: the screening's word when nothing is
    missing, else the missing items with the screening's icon (do not treat stands out)."""
    screening = screening_look(view)
    if screening is None:
        return None
    if not view.missing:
        return Look(tr("{screening}, nothing missing").format(screening=screening.word),
                    screening.icon_name, screening.tone)
    tone = Tone.DANGER if screening.tone is Tone.DANGER else Tone.WARNING
    icon_name = screening.icon_name if tone is Tone.DANGER else "circle-alert"
    return Look("; ".join(view.missing), icon_name, tone)


def treatment_text(view: AppointmentView) -> str:
    rf = tr(" (with RF)") if view.uses_rf and "RF" not in view.kind_label else ""
    course = f" · {view.course_label}" if view.course_label else ""
    return f"{view.kind_label}{rf}{course}"
