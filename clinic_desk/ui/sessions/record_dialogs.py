"""Small dialogs around a signed-off session: an amendment, an adverse event, a
follow-up, a planned course. Each shows the service's refusal under its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.adverse_events import (
    KIND_LABELS,
    SEVERITY_LABELS,
    AdverseEventDetails,
    AdverseEventKind,
    EventSeverity,
    FollowUpDetails,
)
from clinic_desk.domain.course import CoursePlan
from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.protocol import Protocol
from clinic_desk.ui.date_field import DateField
from clinic_desk.ui.errors import message_for
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import SteadyComboBox
from clinic_desk.ui.touch import touch_buttons
from clinic_desk.ui.widgets import FieldError, field_block, label, primary_button


def text_box(name: str, height: int = 84) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    edit.setAccessibleName(name)
    return edit


class RecordDialog(QDialog):
    """Fields stacked with their errors; `save` returns the result or raises."""

    def __init__(self, title: str, intro: str, action: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: object = None
        self.errors: dict[str, FieldError] = {}
        self.general = FieldError(object_name="formError")
        self.cancel_button = QPushButton(tr("Cancel"))
        self.save_button = primary_button(action, "save")
        self.save_button.setAccessibleName(action)
        self._root = QVBoxLayout(self)
        self._root.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self._root.setContentsMargins(28, 24, 28, 20)
        self._root.setSpacing(10)
        self._root.addWidget(label(title, "pageTitle"))
        if intro:
            intro_label = label(intro, "hint")
            intro_label.setMaximumWidth(560)
            self._root.addWidget(intro_label)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.submit)

    def add(self, field: str, caption: str, widget: QWidget, hint: str = "") -> None:
        error = FieldError().watch(widget)
        self.errors[field] = error
        if not widget.accessibleName():
            widget.setAccessibleName(caption)
        self._root.addWidget(field_block(caption, widget, error, hint))

    def finish(self) -> None:
        self._root.addWidget(self.general)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        self._root.addLayout(buttons)
        touch_buttons(self)
        self.setMinimumWidth(560)

    def save(self) -> object:
        raise NotImplementedError

    def submit(self) -> None:
        for error in self.errors.values():
            error.clear()
        self.general.clear()
        try:
            self.result_value = self.save()
        except ValidationError as exc:
            target = self.errors.get(exc.field or "")
            (target or self.general).show_problem(str(exc))
            return
        except ClinicDeskError as exc:
            self.general.show_problem(message_for(exc))
            return
        self.accept()


class AmendDialog(RecordDialog):
    def __init__(self, amend: Callable[[str, str], object], summary: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Amend a signed-off session"), tr(
            "The signed-off record stays exactly as it is; the correction is kept beside it, "
            "with your name, the time and the reason. {summary}").format(summary=summary),
            tr("Add amendment"), parent)
        self._amend = amend
        self.correction_edit = text_box(tr("Correction"))
        self.reason_edit = text_box(tr("Why it is corrected"), 64)
        self.add("correction", tr("Correction"), self.correction_edit,
                 tr("What should have been recorded, e.g. “Cheeks: 3 passes, not 2”."))
        self.add("reason", tr("Why it is corrected"), self.reason_edit)
        self.finish()

    def save(self) -> object:
        return self._amend(self.correction_edit.toPlainText(), self.reason_edit.toPlainText())


def combo_of(items: dict[str, str], name: str) -> SteadyComboBox:
    box = SteadyComboBox()
    box.setAccessibleName(name)
    for key, text in items.items():
        box.addItem(tr(text), key)
    return box


class AdverseEventDialog(RecordDialog):
    def __init__(self, record: Callable[[AdverseEventDetails], object], *,
                 session_words: str, date_format: DateFormat, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Report an adverse event"), tr(
            "Recorded against the session of {session}, whose device, settings and lot are "
            "already on file for a report to the maker or the health authority.").format(
                session=session_words), tr("Record adverse event"), parent)
        self._record = record
        self.kind_box = combo_of({k.value: v for k, v in KIND_LABELS.items()}, tr("What"))
        self.severity_box = combo_of({k.value: v for k, v in SEVERITY_LABELS.items()},
                                     tr("Severity"))
        self.onset_field = DateField(date_format, today=today, accessible_name=tr("Onset"))
        self.onset_field.set_date(today)
        self.description_edit = text_box(tr("What was seen"))
        self.action_edit = text_box(tr("What was done"), 64)
        self.add("kind", tr("What"), self.kind_box)
        self.add("severity", tr("Severity"), self.severity_box)
        self.add("onset_on", tr("Onset"), self.onset_field)
        self.add("description", tr("What was seen"), self.description_edit)
        self.add("action_taken", tr("What was done"), self.action_edit,
                 tr("Treatment given, advice, referral — or “nothing yet”."))
        self.finish()

    def save(self) -> object:
        onset = self.onset_field.date()
        if onset is None:
            raise ValidationError(tr("Enter the date it began."), field="onset_on")
        return self._record(AdverseEventDetails(
            kind=AdverseEventKind(self.kind_box.currentData()), onset_on=onset,
            severity=EventSeverity(self.severity_box.currentData()),
            description=self.description_edit.toPlainText(),
            action_taken=self.action_edit.toPlainText()))


class FollowUpDialog(RecordDialog):
    def __init__(self, follow_up: Callable[[FollowUpDetails], object], event_words: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Follow up an adverse event"), event_words, tr("Add follow-up"),
                         parent)
        self._follow_up = follow_up
        self.note_edit = text_box(tr("Follow-up"))
        self.outcome_edit = text_box(tr("Outcome"), 56)
        self.manufacturer_box = QCheckBox(tr("Reported to the manufacturer"))
        self.authority_box = QCheckBox(tr("Reported to the health authority"))
        self.closes_box = QCheckBox(tr("Close the event (it leaves the chart header)"))
        self.add("note", tr("Follow-up"), self.note_edit)
        self.add("outcome", tr("Outcome"), self.outcome_edit,
                 tr("Needed to close the event, e.g. “healed without scarring”."))
        for box in (self.manufacturer_box, self.authority_box, self.closes_box):
            box.setAccessibleName(box.text())
            self._root.addWidget(box)
        self.finish()

    def save(self) -> object:
        return self._follow_up(FollowUpDetails(
            note=self.note_edit.toPlainText(), outcome=self.outcome_edit.toPlainText(),
            reported_to_manufacturer=self.manufacturer_box.isChecked(),
            reported_to_authority=self.authority_box.isChecked(),
            closes_event=self.closes_box.isChecked()))


def spin(low: int, high: int, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setAccessibleName(name)
    box.setMinimumHeight(44)
    return box


class PlanCourseDialog(RecordDialog):
    """A new course (the clinic's defaults filled in), or `current` changed (its
    indication stays)."""

    def __init__(self, protocol: Protocol, defaults: Callable[[str], CoursePlan],
                 plan: Callable[[CoursePlan], object], parent: QWidget | None = None,
                 current: CoursePlan | None = None) -> None:
        super().__init__(
            tr("Change the course") if current else tr("Plan a course of treatment"),
            tr("Sessions already recorded keep their place in the course.") if current else
            tr("The clinic's defaults for the indication are filled in; change them for "
               "this patient if needed."),
            tr("Save course") if current else tr("Plan course"), parent)
        self._defaults = defaults
        self._plan = plan
        self.indication_box = combo_of({i.key: i.label for i in protocol.indications},
                                       tr("Indication"))
        self.sessions_spin = spin(1, 12, tr("Planned sessions"))
        self.low_spin = spin(1, 26, tr("Shortest interval in weeks"))
        self.high_spin = spin(1, 26, tr("Longest interval in weeks"))
        self.recall_spin = spin(1, 36, tr("Maintenance recall after months"))
        self.add("indication", tr("Indication"), self.indication_box)
        self.add("planned_sessions", tr("Planned sessions"), self.sessions_spin)
        self.add("interval_min_days", tr("Shortest interval (weeks)"), self.low_spin)
        self.add("interval_max_days", tr("Longest interval (weeks)"), self.high_spin)
        self.add("maintenance_after_months", tr("Maintenance recall after (months)"),
                 self.recall_spin)
        self.finish()
        if current is None:
            self.indication_box.currentIndexChanged.connect(lambda _i: self.fill_defaults())
            self.fill_defaults()
        else:
            self.indication_box.setCurrentIndex(
                max(self.indication_box.findData(current.indication), 0))
            self.indication_box.setEnabled(False)
            self.show_plan(current)

    def fill_defaults(self) -> None:
        try:
            plan = self._defaults(str(self.indication_box.currentData()))
        except ClinicDeskError as exc:
            self.general.show_problem(message_for(exc))
            return
        self.show_plan(plan)

    def show_plan(self, plan: CoursePlan) -> None:
        self.sessions_spin.setValue(plan.planned_sessions)
        self.low_spin.setValue(plan.interval_min_days // 7)
        self.high_spin.setValue(plan.interval_max_days // 7)
        self.recall_spin.setValue(plan.maintenance_after_months)

    def save(self) -> object:
        return self._plan(CoursePlan(
            indication=str(self.indication_box.currentData()),
            planned_sessions=self.sessions_spin.value(),
            interval_min_days=self.low_spin.value() * 7,
            interval_max_days=self.high_spin.value() * 7,
            maintenance_after_months=self.recall_spin.value()))


class EndCourseDialog(RecordDialog):
    def __init__(self, close: Callable[[str], object], course_words: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("End the course"), tr(
            "{course}. Its sessions stay on the chart; the patient leaves the due list."
            ).format(course=course_words), tr("End course"), parent)
        self._close = close
        self.reason_edit = text_box(tr("Why the course ends"), 64)
        self.add("reason", tr("Why the course ends"), self.reason_edit)
        self.finish()

    def save(self) -> object:
        return self._close(self.reason_edit.toPlainText())
