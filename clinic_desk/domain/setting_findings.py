"""What the guardrails say about a session's settings: one finding per problem, each
with the form field it belongs to, a severity and plain words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindingSeverity(StrEnum):
    REFUSE = "refuse"
    NEEDS_REASON = "needs_reason"
    NEEDS_TEST_SPOT = "needs_test_spot"
    WARNING = "warning"


SEVERITY_LABELS = {
    FindingSeverity.REFUSE: "Not allowed",
    FindingSeverity.NEEDS_REASON: "Needs a written reason",
    FindingSeverity.NEEDS_TEST_SPOT: "Needs a test spot first",
    FindingSeverity.WARNING: "Warning",
}


@dataclass(frozen=True, slots=True)
class SettingFinding:
    code: str
    field: str
    severity: FindingSeverity
    message: str

    @property
    def blocks_saving(self) -> bool:
        return self.severity is not FindingSeverity.WARNING


@dataclass(frozen=True, slots=True)
class SettingsCheck:
    findings: tuple[SettingFinding, ...]

    @property
    def can_save(self) -> bool:
        return not any(f.blocks_saving for f in self.findings)

    def for_field(self, field: str) -> tuple[SettingFinding, ...]:
        return tuple(f for f in self.findings if f.field == field)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


def refuse(code: str, field: str, message: str) -> SettingFinding:
    return SettingFinding(code, field, FindingSeverity.REFUSE, message)
