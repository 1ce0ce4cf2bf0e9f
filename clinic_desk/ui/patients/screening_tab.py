"""The screening for a planned session: its status, and each finding with its reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.dates import DateFormat, format_date
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission, role_allows
from clinic_desk.domain.screening import Finding, ScreeningResult, Severity
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.screening import ScreeningService
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.status import StatusBadge, finding_look, status_look
from clinic_desk.ui.theme import Tone
from clinic_desk.ui.widgets import NoticeBanner, icon_label, label

QT_DATE_FORMATS = {
    DateFormat.DAY_MONTH_YEAR_SLASH: "dd/MM/yyyy",
    DateFormat.DAY_MONTH_YEAR_DOT: "dd.MM.yyyy",
    DateFormat.MONTH_DAY_YEAR: "MM/dd/yyyy",
    DateFormat.ISO: "yyyy-MM-dd",
}


def summary_text(result: ScreeningResult, date_format: DateFormat) -> str:
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
            date=format_date(result.first_possible_date, date_format))
    return text


class FindingCard(QFrame):
    clear_requested = Signal(object)  # Finding

    def __init__(self, finding: Finding, date_format: DateFormat, *, may_clear: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName("card")
        look = finding_look(finding)
        badge = StatusBadge()
        badge.show_look(look)
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
            self.clear_button.setEnabled(may_clear)
            self.clear_button.setToolTip(
                tr("Record why it is safe to treat, signed with your password") if may_clear
                else tr("Only practitioners can clear a finding."))
            self.clear_button.clicked.connect(lambda: self.clear_requested.emit(finding))
            top.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        column.addWidget(label(finding.reason))
        details: list[str] = []
        if finding.possible_from is not None:
            details.append(tr("Treatment possible from {date}.").format(
                date=format_date(finding.possible_from, date_format)))
        details.append(tr("Source: {source}").format(source=finding.source))
        column.addWidget(label("  ·  ".join(details), "hint"))
        if finding.is_cleared:
            row = QHBoxLayout()
            row.addWidget(icon_label("badge-check", Tone.SUCCESS, 16), 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label(tr("Cleared by {name}: {reason}").format(
                name=finding.cleared_by, reason=finding.clearance_reason)), 1)
            column.addLayout(row)
        if finding.severity is Severity.DO_NOT_TREAT:
            row = QHBoxLayout()
            row.addWidget(icon_label("lock", Tone.DANGER, 16), 0, Qt.AlignmentFlag.AlignTop)
            self.cannot_clear = label(tr("This cannot be cleared: do not treat while it stands."),
                                      "dangerText")
            row.addWidget(self.cannot_clear, 1)
            column.addLayout(row)


class ScreeningTab(QWidget):
    screened = Signal(object)  # ScreeningResult

    def __init__(self, screening: ScreeningService, actor: SignedInStaff, *, patient_id: int,
                 date_format: DateFormat, today: date,
                 request_clearance: Callable[[Finding, date, bool], ScreeningResult | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._screening = screening
        self._actor = actor
        self._patient_id = patient_id
        self._date_format = date_format
        self._request_clearance = request_clearance
        self.may_clear = role_allows(actor.role, Permission.CLEAR_SCREENING)
        self.result: ScreeningResult | None = None
        self.cards: list[FindingCard] = []
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(QT_DATE_FORMATS[date_format])
        self.date_edit.setMinimumWidth(170)
        self.rf_check = QCheckBox(tr("With radiofrequency (RF)"))
        self.rf_check.setToolTip(tr("RF microneedling has extra reasons not to treat"))
        self.banner = NoticeBanner()
        self.badge = StatusBadge(large=True)
        self.summary = label("")
        self.findings_column = QVBoxLayout()
        self.findings_column.setSpacing(10)
        controls = QHBoxLayout()
        controls.setSpacing(12)
        session = label(tr("Session on"), wrap=False)
        session.setBuddy(self.date_edit)
        controls.addWidget(session)
        controls.addWidget(self.date_edit)
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
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(12)
        column.addLayout(controls)
        column.addWidget(self.banner)
        column.addLayout(status_row)
        column.addWidget(scroll, 1)
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        self.rf_check.toggled.connect(lambda _on: self.refresh())

    def session_date(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_session_date(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def refresh(self) -> None:
        self.banner.clear_problem()
        try:
            result = self._screening.screen_patient(
                self._actor, self._patient_id, session_date=self.session_date(),
                uses_rf=self.rf_check.isChecked())
        except ClinicDeskError as exc:
            self.banner.show_message("danger", message_for(exc))
            return
        self.show_result(result)

    def show_result(self, result: ScreeningResult) -> None:
        self.result = result
        self.badge.show_look(status_look(result.status))
        self.summary.setText(summary_text(result, self._date_format))
        while self.findings_column.count():
            item = self.findings_column.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        self.cards = []
        if not result.findings:
            self.findings_column.addWidget(label(tr(
                "No findings: the medical history raises nothing for this session."), "hint"))
        for finding in result.findings:
            card = FindingCard(finding, self._date_format, may_clear=self.may_clear)
            card.clear_requested.connect(self._clear)
            self.cards.append(card)
            self.findings_column.addWidget(card)
        self.screened.emit(result)

    def card_for(self, rule_id: str) -> FindingCard | None:
        return next((c for c in self.cards if c.finding.rule_id == rule_id), None)

    def _clear(self, finding: Finding) -> None:
        result = self._request_clearance(finding, self.session_date(), self.rf_check.isChecked())
        if result is not None:
            self.show_result(result)
            self.banner.show_message("success", tr("“{title}” was cleared.").format(
                title=finding.title))
