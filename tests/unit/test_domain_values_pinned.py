"""Values the clinic's data keeps, and the limits and words the domain publishes, written
out in full: they are stored in the database, in the audit log, in signed records or in
the shipped catalogues, or shown as the product's words. Renaming a stored value breaks
every record that holds it; a limit moved by one changes what is allowed. Behaviour at
the limits is tested beside each module; this pins the values themselves.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest

# Imported by name (not through importlib) so that tools tracing which tests import a
# module, such as tests/helpers/constant_mutants.py, find this file.
from clinic_desk.domain import (
    booking,
    consent_fill,
    consent_record,
    consent_template,
    course,
    devices,
    guardrails,
    protocol,
    session_start,
    setting_findings,
    sheet_template,
    signature,
)

MODULES: dict[str, ModuleType] = {
    m.__name__.rsplit(".", 1)[1]: m
    for m in (booking, consent_fill, consent_record, consent_template, course, devices,
              guardrails, protocol, session_start, setting_findings, sheet_template, signature)
}  # fmt: skip

# (module, enum, stored values in declaration order)
STORED_VALUES: list[tuple[str, str, list[Any]]] = [
    (
        "booking",
        "AppointmentKind",
        ["consultation", "microneedling", "rf_session", "review", "maintenance"],
    ),
    (
        "booking",
        "AppointmentStatus",
        ["booked", "arrived", "in_treatment", "done", "no_show", "cancelled"],
    ),
    ("booking", "ClashKind", ["practitioner", "room", "patient"]),
    ("booking", "Punctuality", ["expected", "late", "likely_no_show"]),
    ("consent_record", "ConsentStatus", ["signed", "declined"]),
    ("consent_record", "LinkKind", ["withdraws", "supersedes", "corrects"]),
    ("consent_template", "TemplateStatus", ["draft", "published", "retired"]),
    ("course", "WindowPosition", ["before", "inside", "after"]),
    (
        "course",
        "CourseState",
        ["not_started", "not_yet_due", "due", "overdue", "complete", "recall_due"],
    ),
    (
        "devices",
        "DeviceKind",
        ["derma_roller", "microneedling_pen", "automated_device", "rf_microneedling_device"],
    ),
    ("devices", "EnergyUnit", ["level", "W", "mJ", "%"]),
    ("protocol", "Region", ["face", "body", "scalp"]),
    (
        "setting_findings",
        "FindingSeverity",
        ["refuse", "needs_reason", "needs_test_spot", "warning"],
    ),
    ("sheet_template", "SectionKind", ["intro", "timeline", "call_clinic", "closing"]),
    ("sheet_template", "Applies", ["always", "rf", "no_rf"]),
    (
        "signature",
        "SignatureMeaning",
        ["patient_consent", "patient_decline", "practitioner", "witness"],
    ),
    ("signature", "InkDevice", ["mouse", "touch", "stylus"]),
    (
        "signature",
        "MarkProblem",
        ["empty", "dot", "too_few_points", "straight_line", "too_little_ink", "too_small"],
    ),
]

# (module, name, value; enum members written as their values, sets as sets)
PUBLISHED: list[tuple[str, str, Any]] = [
    ("booking", "MIN_LENGTH_MINUTES", 5),
    ("booking", "MAX_LENGTH_MINUTES", 480),
    ("booking", "MAX_REASON_CHARS", 500),
    (
        "booking",
        "KIND_LABELS",
        {
            "consultation": "Consultation",
            "microneedling": "Microneedling session",
            "rf_session": "RF microneedling session",
            "review": "Review",
            "maintenance": "Maintenance session",
        },
    ),
    (
        "booking",
        "STATUS_LABELS",
        {
            "booked": "Booked",
            "arrived": "Arrived",
            "in_treatment": "In treatment",
            "done": "Done",
            "no_show": "No-show",
            "cancelled": "Cancelled",
        },
    ),
    ("booking", "FREEING_STATUSES", {"cancelled", "no_show"}),
    (
        "booking",
        "TRANSITIONS",
        {
            "booked": {"arrived", "cancelled", "no_show"},
            "arrived": {"booked", "cancelled", "in_treatment"},
            "in_treatment": {"done"},
            "done": set(),
            "no_show": {"arrived"},
            "cancelled": set(),
        },
    ),
    (
        "booking",
        "PUNCTUALITY_LABELS",
        {"expected": "Expected", "late": "Late", "likely_no_show": "Not arrived (no-show?)"},
    ),
    ("signature", "DOT_MAX_EXTENT", 0.02),
    ("signature", "MIN_POINTS", 10),
    ("signature", "STRAIGHT_LINE_RATIO", 0.05),
    ("signature", "MIN_INK_LENGTH", 0.5),
    ("signature", "MIN_WIDTH", 0.15),
    ("signature", "MIN_HEIGHT", 0.08),
    (
        "signature",
        "MARK_PROBLEM_TEXTS",
        {
            "empty": "Nothing is signed yet: please sign in the box with your finger, a stylus "
            "or the mouse.",
            "dot": "That is only a dot: please write your usual signature in the box.",
            "too_few_points": "That mark is too short to be a signature: please write your "
            "usual signature.",
            "straight_line": "A straight line is not a signature: please write your usual "
            "signature.",
            "too_little_ink": "That mark is too short to be a signature: please write your "
            "usual signature.",
            "too_small": "The signature is too small: please sign larger, using more of the box.",
        },
    ),
    ("devices", "MAX_DEVICE_DEPTH_MM", Decimal("5")),
    ("devices", "MAX_PULSE_DURATION_MS", Decimal("2000")),
    ("devices", "MAX_NEEDLES_PER_CARTRIDGE", 200),
    ("devices", "MAX_ROLLER_NEEDLES", 2000),
    ("devices", "MAX_PERCENT", Decimal("100")),
    (
        "devices",
        "KIND_LABELS",
        {
            "derma_roller": "Derma roller",
            "microneedling_pen": "Microneedling pen",
            "automated_device": "Automated microneedling device",
            "rf_microneedling_device": "RF microneedling device",
        },
    ),
    ("devices", "RF_CAPABLE_KINDS", {"rf_microneedling_device"}),
    ("devices", "LEVEL", "level"),
    ("devices", "ENERGY_UNIT_LABELS", {"level": "level", "W": "W", "mJ": "mJ", "%": "%"}),
    ("consent_fill", "DATE_NOT_RECORDED", "not recorded"),
    (
        "consent_fill",
        "LIST_PLACEHOLDERS",
        {"contraindications.absent": 3, "contraindications.discussed": 2, "precare.avoid": 1},
    ),
    ("consent_template", "FENCE", "+++"),
    ("course", "MAX_PLANNED_SESSIONS", 12),
    ("course", "MIN_INTERVAL_DAYS", 7),
    ("course", "MAX_INTERVAL_DAYS", 182),
    ("course", "DAYS_PER_WEEK", 7),
    (
        "course",
        "STATE_LABELS",
        {
            "not_started": "Not started",
            "not_yet_due": "Next session not yet due",
            "due": "Next session due",
            "overdue": "Next session overdue",
            "complete": "Course complete",
            "recall_due": "Maintenance recall due",
        },
    ),
    (
        "setting_findings",
        "SEVERITY_LABELS",
        {
            "refuse": "Not allowed",
            "needs_reason": "Needs a written reason",
            "needs_test_spot": "Needs a test spot first",
            "warning": "Warning",
        },
    ),
    ("sheet_template", "FENCE", "+++"),
    ("guardrails", "MIN_WRITTEN_REASON", 10),
    ("guardrails", "MAX_PASSES", 10),
    ("consent_record", "CANONICAL_FORMAT", "clinic-desk/consent/1"),
    ("consent_record", "INK_SCALE", 100),
    ("consent_record", "PRESSURE_SCALE", 10000),
    ("protocol", "ABSOLUTE_MIN_DEPTH_MM", Decimal("0.1")),
    ("protocol", "ABSOLUTE_MAX_DEPTH_MM", Decimal("3")),
    ("protocol", "NOT_OFFERED", "not offered"),
    ("session_start", "DEFAULT_CONSENT_VALIDITY_MONTHS", 12),
    ("session_start", "MIN_CONSENT_VALIDITY_MONTHS", 1),
    ("session_start", "MAX_CONSENT_VALIDITY_MONTHS", 60),
]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return {_plain(item) for item in value}
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("module", "name", "values"), STORED_VALUES)
def test_stored_values_are_pinned(module: str, name: str, values: list[Any]) -> None:
    kind = getattr(MODULES[module], name)
    assert [member.value for member in kind] == values


@pytest.mark.parametrize(("module", "name", "value"), PUBLISHED)
def test_published_limits_and_words_are_pinned(module: str, name: str, value: Any) -> None:
    actual = getattr(MODULES[module], name)
    assert _plain(actual) == value
    if isinstance(value, dict):
        assert list(_plain(actual)) == list(value)  # in the order they are listed
    if isinstance(value, Decimal):
        assert isinstance(actual, Decimal)
