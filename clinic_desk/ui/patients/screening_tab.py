"""The screening for a planned session: its status, each finding with its reason and its
source in words, and the clearances on record (who cleared what, when; withdrawn ones)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.screening import Finding, ScreeningResult, Severity
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.patient_dto import ClearanceView
from clinic_desk.services.screening import ScreeningService
from clinic_desk.ui.date_field import DateField, day_in_words
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.status import StatusBadge, finding_look, status_look
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.touch import enable_finger_scrolling, touch_buttons
from clinic_desk.ui.widgets import NoticeBanner, icon_label, label

ClearanceRequest = Callable[[Finding, date, bool], ScreeningResult | None]
RevocationRequest = Callable[[ClearanceView], bool]


def summary_text(result: ScreeningResult, date_format: DateFormat, today: date) -> str:
    """Why, in one line: the open findings that decide the status."""
    open_findings = [f for f in result.findings if not f.is_cleared
                     and f.severity is not Severity.ADVICE]
    if not open_findings:
        advice = [f for f in result.findings if f.severity is Severity.ADVICE]
        return (tr("Nothing stands in the way. Advice: {titles}").format(
            titles="; ".join(f.title for f in advice)) if advice
            else tr("Nothing in the medical history stands in the way."))
    worst = open_findings[0].severity
    titles = "; ".join(f.title for f in open_findings if f.severity is worst)
    text = tr("Because: {titles}").format(titles=titles)
    if result.first_possible_date is not None:
        text += " · " + tr("possible from {date}").format(
            date=day_in_words(result.first_possible_date, today, date_format))
    return text


def cleared_text(name: str, when: date, reason: str, date_format: DateFormat,
                 today: date) -> str:
    return tr("Cleared by {name} on {date}: {reason}").format(
        name=name, date=day_in_words(when, today, date_format), reason=reason)


class FindingCard(QFrame):
    clear_requested = Signal(object)  # Finding

    def __init__(self, finding: Finding, date_format: DateFormat, today: date, *,
                 may_clear: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName("card")
        badge = StatusBadge()
        badge.show_look(finding_look(finding))
        self.badge = badge
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        column.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(label(finding.title, "sectionTitle"), 1)
        self.clear_button: QPushButton | None = None
        if finding.severity is Severity.NEEDS_CLEARANCE and not finding.is_cleared:
            self.clear_button = QPushButton(tr("Clear…"))
            self.clear_button.setAccessibleName(tr("Clear “{title}”").format(title=finding.title))
            self.clear_button.setEnabled(may_clear)
            self.clear_button.setToolTip(
                tr("Record why it is safe to treat, signed with your password") if may_clear
                else tr("Only practitioners can clear a finding."))
            self.clear_button.clicked.connect(lambda: self.clear_requested.emit(finding))
            top.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        column.addWidget(label(finding.reason))
        details: list[str] = []
        if finding.recorded_on is not None:
            details.append(tr("Taken on {date}.").format(
                date=day_in_words(finding.recorded_on, today, date_format)))
        if finding.possible_from is not None:
            details.append(tr("Treatment possible from {date}.").format(
                date=day_in_words(finding.possible_from, today, date_format)))
        details.append(tr("Source: {source}").format(source=finding.source))
        self.details = label("  ·  ".join(details), "hint")
        column.addWidget(self.details)
        self.cleared_label = label("")
        if finding.is_cleared:
            when = finding.cleared_at.date() if finding.cleared_at else today
            self.cleared_label.setText(cleared_text(
                finding.cleared_by or "", when, finding.clearance_reason or "", date_format,
                today))
            row = QHBoxLayout()
            row.addWidget(icon_label("badge-check", Tone.SUCCESS, 16), 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(self.cleared_label, 1)
            column.addLayout(row)
        if finding.severity is Severity.DO_NOT_TREAT:
            row = QHBoxLayout()
            row.addWidget(icon_label("lock", Tone.DANGER, 16), 0, Qt.AlignmentFlag.AlignTop)
            self.cannot_clear = label(
                tr("Take the medical history: the screening then says what applies.")
                if finding.rule_id == "no_intake"
                else tr("This cannot be cleared: do not treat while it stands."),
                "hint" if finding.rule_id == "no_intake" else "dangerText")
            row.addWidget(self.cannot_clear, 1)
            column.addLayout(row)


class ClearanceRow(QFrame):
    """One clearance on record; a practitioner may withdraw one that still counts."""

    revoke_requested = Signal(object)  # ClearanceView

    def __init__(self, clearance: ClearanceView, date_format: DateFormat, today: date, *,
                 may_revoke: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clearance = clearance
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.setSpacing(10)
        revoked = clearance.is_revoked
        row.addWidget(icon_label("x" if revoked else "badge-check",
                                 Tone.NORMAL if revoked else Tone.SUCCESS, 16),
                      0, Qt.AlignmentFlag.AlignTop)
        lines = [tr("{title} — cleared by {name} on {date} (medical history version "
                    "{version}): {reason}").format(
            title=clearance.title, name=clearance.cleared_by,
            date=day_in_words(clearance.cleared_at.date(), today, date_format),
            version=clearance.intake_sequence, reason=clearance.reason)]
        if clearance.revoked_at is not None:
            lines.append(tr("Withdrawn by {name} on {date}: {reason}").format(
                name=clearance.revoked_by,
                date=day_in_words(clearance.revoked_at.date(), today, date_format),
                reason=clearance.revocation_reason))
        elif not clearance.on_latest_intake:
            lines.append(tr("Given on an older medical history: it no longer counts."))
        self.text = label("\n".join(lines))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.text, 1)
        self.revoke_button: QPushButton | None = None
        if not revoked and clearance.on_latest_intake:
            self.revoke_button = QPushButton(tr("Withdraw…"))
            self.revoke_button.setAccessibleName(
                tr("Withdraw the clearance of “{title}”").format(title=clearance.title))
            self.revoke_button.setEnabled(may_revoke)
            self.revoke_button.setToolTip(
                tr("Withdraw this clearance, with a reason; it stays on record") if may_revoke
                else tr("Only practitioners can withdraw a clearance."))
            self.revoke_button.clicked.connect(lambda: self.revoke_requested.emit(clearance))
            row.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignTop)


class ScreeningTab(QWidget):
    screened = Signal(object)  # ScreeningResult

    def __init__(self, screening: ScreeningService, actor: SignedInStaff, *, patient_id: int,
                 date_format: DateFormat, today: date,
                 request_clearance: ClearanceRequest,
                 request_revocation: RevocationRequest | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._screening = screening
        self._actor = actor
        self._patient_id = patient_id
        self._date_format = date_format
        self._today = today
        self._request_clearance = request_clearance
        self._request_revocation = request_revocation
        self.may_clear = actor.may(Permission.CLEAR_SCREENING)
        self.result: ScreeningResult | None = None
        self.cards: list[FindingCard] = []
        self.clearance_rows: list[ClearanceRow] = []
        self._session_date = today
        self.date_field = DateField(date_format, today=today,
                                    accessible_name=tr("Session on"))
        self.date_field.set_date(today)
        self.date_edit = self.date_field.edit
        self.rf_check = QCheckBox(tr("With radiofrequency (RF)"))
        self.rf_check.setToolTip(tr("RF microneedling has extra reasons not to treat"))
        self.rf_check.setMinimumHeight(44)
        self.banner = NoticeBanner()
        self.badge = StatusBadge(large=True)
        self.summary = label("")
        self.findings_column = QVBoxLayout()
        self.findings_column.setSpacing(10)
        self.clearances_card = QFrame()
        self.clearances_card.setObjectName("card")
        clearances = QVBoxLayout(self.clearances_card)
        clearances.setContentsMargins(16, 12, 16, 12)
        clearances.addWidget(label(tr("Clearances on record"), "sectionTitle"))
        self.clearances_column = QVBoxLayout()
        clearances.addLayout(self.clearances_column)
        controls = QHBoxLayout()
        controls.setSpacing(12)
        session = label(tr("Session on"), wrap=False)
        session.setBuddy(self.date_edit)
        controls.addWidget(session)
        controls.addWidget(self.date_field)
        controls.addSpacing(12)
        controls.addWidget(self.rf_check)
        controls.addStretch(1)
        status_row = QHBoxLayout()
        status_row.setSpacing(14)
        status_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.summary, 1)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.setSpacing(10)
        inner.addLayout(self.findings_column)
        inner.addWidget(self.clearances_card)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        enable_finger_scrolling(scroll)
        self.scroll_area = scroll
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(12)
        column.addLayout(controls)
        column.addWidget(self.banner)
        column.addLayout(status_row)
        column.addWidget(scroll, 1)
        self.date_field.date_changed.connect(self._date_typed)
        self.rf_check.toggled.connect(lambda _on: self.refresh())

    def session_date(self) -> date:
        return self._session_date

    def set_session_date(self, day: date) -> None:
        self.date_field.set_date(day)

    def _date_typed(self, day: date | None) -> None:
        # A half-typed date changes nothing; a whole one (typed at once, pasted or picked
        # from the calendar) screens that day.
        if day is not None and day != self._session_date:
            self._session_date = day
            self.refresh()

    def refresh(self) -> None:
        self.banner.clear_problem()
        try:
            result = self._screening.screen_patient(
                self._actor, self._patient_id, session_date=self.session_date(),
                uses_rf=self.rf_check.isChecked())
            clearances = self._screening.clearances(self._actor, self._patient_id)
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.show_clearances(clearances)
        self.show_result(result)

    def show_result(self, result: ScreeningResult) -> None:
        self.result = result
        self.badge.show_look(status_look(result.status))
        self.summary.setText(summary_text(result, self._date_format, self._today))
        _clear(self.findings_column)
        self.cards = []
        if not result.findings:
            self.findings_column.addWidget(label(tr(
                "No findings: the medical history raises nothing for this session."), "hint"))
        for finding in result.findings:
            card = FindingCard(finding, self._date_format, self._today,
                               may_clear=self.may_clear)
            card.clear_requested.connect(self._clear)
            self.cards.append(card)
            self.findings_column.addWidget(card)
        touch_buttons(self)
        self.screened.emit(result)

    def show_clearances(self, clearances: list[ClearanceView]) -> None:
        _clear(self.clearances_column)
        self.clearance_rows = []
        self.clearances_card.setVisible(bool(clearances))
        for clearance in clearances:
            row = ClearanceRow(clearance, self._date_format, self._today,
                               may_revoke=self.may_clear)
            row.revoke_requested.connect(self._revoke)
            self.clearance_rows.append(row)
            self.clearances_column.addWidget(row)

    def card_for(self, rule_id: str) -> FindingCard | None:
        return next((c for c in self.cards if c.finding.rule_id == rule_id), None)

    def _clear(self, finding: Finding) -> None:
        result = self._request_clearance(finding, self.session_date(), self.rf_check.isChecked())
        if result is not None:
            self.refresh()
            self.banner.show_message("success", tr("“{title}” was cleared.").format(
                title=finding.title))

    def _revoke(self, clearance: ClearanceView) -> None:
        if self._request_revocation is not None and self._request_revocation(clearance):
            self.refresh()
            self.banner.show_message("success", tr(
                "The clearance of “{title}” was withdrawn; it stays on record.").format(
                    title=clearance.title))


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is not None and (widget := item.widget()) is not None:
            widget.deleteLater()
