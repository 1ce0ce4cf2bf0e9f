"""A signed-off session in words: what the record view and the lists show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from clinic_desk.domain.adverse_events import SEVERITY_LABELS
from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.devices import with_unit
from clinic_desk.domain.numbing import numbing_minutes
from clinic_desk.domain.quantities import format_mm, format_quantity
from clinic_desk.domain.session_record import ENDPOINT_LABELS
from clinic_desk.services.treatment_dto import AdverseEventView, AmendmentView, SessionView
from clinic_desk.ui.i18n import tr

AreaLabel = Callable[[str], str]


def areas_summary(view: SessionView, area_label: AreaLabel) -> str:
    """"Cheeks 1.5 mm, RF level 4; Forehead 0.5 mm"."""
    parts = []
    for area in view.settings.areas:
        text = f"{area_label(area.area)} {format_mm(area.needle_depth_mm)}"
        if area.rf_energy is not None:
            text += ", RF " + with_unit(area.rf_energy, view.energy_unit or "level")
        parts.append(text)
    return "; ".join(parts)


def when(moment: datetime, zone: ZoneInfo, date_format: DateFormat) -> str:
    local = moment.astimezone(zone)
    return f"{format_date(local.date(), date_format)} {local.strftime('%H:%M')}"


def record_lines(view: SessionView, area_label: AreaLabel, date_format: DateFormat,
                 zone: ZoneInfo) -> list[tuple[str, str]]:
    """(caption, text) pairs, in the order the form asks them."""
    s = view.settings
    lines = [
        (tr("Date"), format_date(view.session_date, date_format)
         + (f" · {view.course_label}" if view.course_label else "")),
        (tr("Signed off"), tr("{when} by {who} (locked)").format(
            when=when(view.signed_off_at, zone, date_format), who=view.practitioner)),
        (tr("Device"), view.device_label),
        (tr("Cartridge and lot"), tr("{cartridge}; lot {lot}").format(
            cartridge=view.cartridge_label or "—", lot=view.lot_number or "—")),
        (tr("Checked against"), tr("protocol version {version}, device version {device}")
         .format(version=view.protocol_version, device=view.device_version)),
    ]
    numbing = s.numbing_product or "—"
    if s.numbing_applied_at and s.numbing_removed_at:
        numbing += tr(", {minutes} minutes ({start} to {end})").format(
            minutes=numbing_minutes(s.numbing_applied_at, s.numbing_removed_at),
            start=s.numbing_applied_at.astimezone(zone).strftime("%H:%M"),
            end=s.numbing_removed_at.astimezone(zone).strftime("%H:%M"))
    lines.append((tr("Numbing cream"), numbing))
    lines.append((tr("Serums"), ", ".join(s.serums) or "—"))
    for area in s.areas:
        text = tr("{depth}, {passes} passes").format(
            depth=format_mm(area.needle_depth_mm),
            passes=area.passes if area.passes is not None else "—")
        if area.speed:
            text += tr(", speed {speed}").format(speed=area.speed)
        if area.rf_energy is not None:
            text += tr(", RF {energy}, {pulse} ms, tip {tip}").format(
                energy=with_unit(area.rf_energy, view.energy_unit or "level"),
                pulse=format_quantity(area.rf_pulse_duration_ms or Decimal(0)),
                tip=area.rf_tip or "—")
        if area.above_maximum_reason:
            text += tr(" — above the area's maximum: {reason}").format(
                reason=area.above_maximum_reason)
        lines.append((area_label(area.area), text))
    if s.test_spot is not None:
        spot = s.test_spot
        lines.append((tr("Test spot"), tr("{area}, RF {energy}, {pulse} ms: {reaction} "
                                          "({verdict})").format(
            area=area_label(spot.area), energy=with_unit(spot.rf_energy, view.energy_unit),
            pulse=format_quantity(spot.rf_pulse_duration_ms), reaction=spot.reaction or "—",
            verdict=tr("tolerated") if spot.tolerated else tr("not tolerated"))))
    lines.append((tr("Endpoint"), ", ".join(tr(ENDPOINT_LABELS[e]) for e in s.endpoints) or "—"))
    lines.append((tr("Pain"), "—" if s.pain_score is None else f"{s.pain_score} / 10"))
    lines.append((tr("Immediate reactions"), s.immediate_reactions or "—"))
    lines.append((tr("Notes"), s.notes or "—"))
    return lines


def amendment_text(amendment: AmendmentView, zone: ZoneInfo, date_format: DateFormat) -> str:
    return tr("{when}, {who}: {correction} — why: {reason}").format(
        when=when(amendment.amended_at, zone, date_format), who=amendment.amended_by,
        correction=amendment.correction, reason=amendment.reason)


def sentence(text: str) -> str:
    """Written text ends its sentence once: "blisters." is not followed by another "."."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def event_text(event: AdverseEventView, date_format: DateFormat) -> str:
    state = tr("open") if event.is_open else tr("closed")
    text = tr("{kind} ({severity}), from {onset}, {state}: {description} Done: {action}") \
        .format(kind=tr(event.kind_label), severity=tr(SEVERITY_LABELS[event.severity]).lower(),
                onset=format_date(event.onset_on, date_format), state=state,
                description=sentence(event.description), action=sentence(event.action_taken))
    reported = [w for w, flag in ((tr("the manufacturer"), event.reported_to_manufacturer),
                                  (tr("the health authority"), event.reported_to_authority))
                if flag]
    if reported:
        text += " " + tr("Reported to {whom}.").format(whom=tr(" and ").join(reported))
    if event.outcome:
        text += " " + tr("Outcome: {outcome}").format(outcome=sentence(event.outcome))
    return text
