"""An administrator sets the clinic's course defaults: how many sessions and how many
weeks apart, for every indication or for one, and when the maintenance recall comes.
Saved as the next protocol version, like the depth limits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from clinic_desk.domain.course import CourseDefaults
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.protocol import Protocol
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.record_dialogs import RecordDialog, combo_of, spin, text_box

EVERY_INDICATION = ""
SaveDefaults = Callable[[str, CourseDefaults, int, str], object]


class CourseDefaultsDialog(RecordDialog):
    def __init__(self, protocol: Protocol, save: SaveDefaults,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Course defaults"), tr(
            "What a new course starts from (each patient's course can still be changed). "
            "Saved as protocol version {version}.").format(version=protocol.version + 1),
            tr("Save protocol"), parent)
        self._protocol = protocol
        self._save = save
        choices = {EVERY_INDICATION: tr("Every indication without its own")}
        choices.update({i.key: i.label for i in protocol.indications})
        self.indication_box = combo_of(choices, tr("Indication"))
        self.planned_spin = spin(1, 12, tr("Planned sessions"))
        self.fewest_spin = spin(1, 12, tr("Fewest sessions"))
        self.most_spin = spin(1, 12, tr("Most sessions"))
        self.low_spin = spin(1, 26, tr("Shortest interval in weeks"))
        self.high_spin = spin(1, 26, tr("Longest interval in weeks"))
        self.recall_spin = spin(1, 36, tr("Maintenance recall after months"))
        self.recall_spin.setValue(protocol.courses.maintenance_after_months)
        self.note_edit = text_box(tr("What changed and why"), 64)
        self.add("indication", tr("For"), self.indication_box)
        self.add("sessions", tr("Planned sessions"), self.planned_spin)
        self.add("min_sessions", tr("Fewest sessions"), self.fewest_spin)
        self.add("max_sessions", tr("Most sessions"), self.most_spin)
        self.add("interval_weeks", tr("Shortest interval (weeks)"), self.low_spin)
        self.add("interval_max", tr("Longest interval (weeks)"), self.high_spin)
        self.add("maintenance_after_months", tr("Maintenance recall after (months)"),
                 self.recall_spin)
        self.add("note", tr("What changed and why"), self.note_edit)
        self.finish()
        self.indication_box.currentIndexChanged.connect(lambda _i: self.show_defaults())
        self.show_defaults()

    def show_defaults(self) -> None:
        key = str(self.indication_box.currentData() or "")
        rules = self._protocol.courses
        shown = rules.for_indication(key) if key else rules.default
        self.planned_spin.setValue(shown.planned_sessions)
        self.fewest_spin.setValue(shown.min_sessions)
        self.most_spin.setValue(shown.max_sessions)
        self.low_spin.setValue(shown.interval_min_days // 7)
        self.high_spin.setValue(shown.interval_max_days // 7)

    def save(self) -> object:
        fewest, planned, most = (self.fewest_spin.value(), self.planned_spin.value(),
                                 self.most_spin.value())
        if not fewest <= planned <= most:
            raise ValidationError(tr("The planned sessions lie between the fewest and the "
                                     "most."), field="sessions")
        if self.low_spin.value() > self.high_spin.value():
            raise ValidationError(tr("The longest interval is shorter than the shortest."),
                                  field="interval_max")
        defaults = CourseDefaults(planned, fewest, most, self.low_spin.value() * 7,
                                  self.high_spin.value() * 7)
        return self._save(str(self.indication_box.currentData() or ""), defaults,
                          self.recall_spin.value(), self.note_edit.toPlainText())
