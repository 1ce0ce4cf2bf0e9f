"""Numbing cream times: how long the cream was on, and whether that is plausible."""

from __future__ import annotations

from datetime import UTC, datetime

from clinic_desk.domain.protocol import NumbingGuide
from clinic_desk.domain.setting_findings import FindingSeverity, SettingFinding, refuse


def numbing_findings(
    applied_at: datetime | None, removed_at: datetime | None, guide: NumbingGuide
) -> list[SettingFinding]:
    """Numbing cream times: removed after applied, within sane bounds."""
    for moment in (applied_at, removed_at):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError("numbing times must carry their time zone")
    if removed_at is None:
        return []
    if applied_at is None:
        return [refuse("numbing_not_applied", "numbing_applied_at",
                        "Enter when the numbing cream was applied.")]
    if removed_at.astimezone(UTC) <= applied_at.astimezone(UTC):
        return [refuse("numbing_order", "numbing_removed_at",
                        "The cream was removed before it was applied: check the times.")]
    minutes = numbing_minutes(applied_at, removed_at)
    if minutes > guide.implausible_after_minutes:
        return [refuse("numbing_implausible", "numbing_removed_at",
                        f"{minutes} minutes of numbing: check the times.")]
    if not guide.typical_min_minutes <= minutes <= guide.typical_max_minutes:
        return [
            SettingFinding(
                "numbing_unusual",
                "numbing_removed_at",
                FindingSeverity.WARNING,
                f"The cream was on for {minutes} minutes; usually "
                f"{guide.typical_min_minutes} to {guide.typical_max_minutes}.",
            )
        ]
    return []


def numbing_minutes(applied_at: datetime, removed_at: datetime) -> int:
    """Whole minutes between two aware times, across a clock change too (in UTC: Python
    subtracts two times of one zone on the wall clock)."""
    elapsed = removed_at.astimezone(UTC) - applied_at.astimezone(UTC)
    return int(elapsed.total_seconds() // 60)
