"""Which part of the session form each guardrail finding belongs to, by its field id:
an area's row ("areas.cheeks.needle_depth_mm"), the test spot ("test_spot.rf_energy",
or the reason one is needed), or a form field ("lot", "numbing_removed_at"...)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from clinic_desk.domain.session_record import TEST_SPOT_AREA
from clinic_desk.domain.setting_findings import FindingSeverity, SettingFinding

Found = dict[str, list[SettingFinding]]


@dataclass
class RoutedFindings:
    by_area: dict[str, Found] = field(default_factory=dict)
    test_spot: Found = field(default_factory=dict)
    form: Found = field(default_factory=dict)
    # Why a test spot is asked for (shown at the top of the test spot box).
    test_spot_needed: list[SettingFinding] = field(default_factory=list)


def route_findings(findings: Sequence[SettingFinding], form_fields: Collection[str],
                   other: str = "other") -> RoutedFindings:
    routed = RoutedFindings()
    for finding in findings:
        name = finding.field
        if finding.severity is FindingSeverity.NEEDS_TEST_SPOT:
            routed.test_spot_needed.append(finding)
        elif name.startswith("areas.") and name.count(".") >= 2:
            _, area, part = name.split(".", 2)
            target = routed.test_spot if area == TEST_SPOT_AREA else \
                routed.by_area.setdefault(area, {})
            target.setdefault(part, []).append(finding)
        elif name.startswith("test_spot."):
            routed.test_spot.setdefault(name.split(".", 1)[1], []).append(finding)
        else:
            routed.form.setdefault(name if name in form_fields else other, []).append(finding)
    return routed
