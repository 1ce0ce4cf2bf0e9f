"""Which stretches of a day the book shades: outside a practitioner's working hours and
their break, or (a room's column) outside the clinic's opening span that day, from the
earliest practitioner's start to the latest one's end. No Qt here: the grid's delegate
paints what this returns.

Minutes are counted from midnight on the clinic's wall clock, 0 to 1440."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from clinic_desk.domain.working_hours import WorkingHours

DAY_MINUTES = 24 * 60


class Shade(StrEnum):
    CLOSED = "closed"  # before or after the hours, or a day off
    BREAK = "break"


@dataclass(frozen=True, slots=True)
class ShadedSpan:
    start: int  # minutes from midnight
    end: int
    kind: Shade
    # The hours in words, for the tooltip: "09:00–17:00" ("" on a day off).
    hours: str = ""


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def shaded_spans(day: date, practitioner_id: int | None,
                 hours: Mapping[int, WorkingHours]) -> tuple[ShadedSpan, ...]:
    """Nothing when the hours are not known (none set): then nothing is warned either."""
    if practitioner_id is not None:
        known = hours.get(practitioner_id)
        if known is None:
            return ()
        today = known.on(day)
        if today is None:
            return (ShadedSpan(0, DAY_MINUTES, Shade.CLOSED),)
        words = today.hours.describe()
        spans = [ShadedSpan(0, _minutes(today.start), Shade.CLOSED, words)]
        spans += [ShadedSpan(_minutes(b.start), _minutes(b.end), Shade.BREAK, b.describe())
                  for b in sorted(today.breaks, key=lambda b: b.start)]
        spans.append(ShadedSpan(_minutes(today.end), DAY_MINUTES, Shade.CLOSED, words))
        return tuple(s for s in spans if s.start < s.end)
    working = [d for d in (h.on(day) for h in hours.values()) if d is not None]
    if not hours:
        return ()
    if not working:
        return (ShadedSpan(0, DAY_MINUTES, Shade.CLOSED),)
    opens = min(_minutes(d.start) for d in working)
    closes = max(_minutes(d.end) for d in working)
    words = f"{opens // 60:02d}:{opens % 60:02d}–{closes // 60:02d}:{closes % 60:02d}"
    return tuple(s for s in (ShadedSpan(0, opens, Shade.CLOSED, words),
                             ShadedSpan(closes, DAY_MINUTES, Shade.CLOSED, words))
                 if s.start < s.end)


def covering(spans: tuple[ShadedSpan, ...], start: int, end: int
             ) -> list[tuple[ShadedSpan, int, int]]:
    """The parts of [start, end) each span covers, as (span, from, to) minutes."""
    found = []
    for span in spans:
        low, high = max(start, span.start), min(end, span.end)
        if low < high:
            found.append((span, low, high))
    return found
