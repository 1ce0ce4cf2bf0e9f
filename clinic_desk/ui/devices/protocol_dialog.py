"""An administrator changes one area's depth limits for one indication: the protocol is
saved as its next version, with what changed and why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QWidget

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.protocol import DepthLimit, Protocol
from clinic_desk.ui.devices.form_parts import NumberUnreadable, number_edit, read_number
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.sessions.record_dialogs import RecordDialog, text_box

SaveLimit = Callable[[DepthLimit | None, str, bool], object]


class DepthLimitDialog(RecordDialog):
    def __init__(self, protocol: Protocol, area: str, indication: str, save: SaveLimit,
                 parent: QWidget | None = None) -> None:
        area_label = protocol.area(area).label
        indication_label = protocol.indication(indication).label
        super().__init__(tr("Depth limits: {area}, {indication}").format(
            area=area_label, indication=indication_label), tr(
            "Saved as protocol version {version}; sessions record the version they were "
            "checked against, so earlier sessions keep theirs.").format(
                version=protocol.version + 1), tr("Save protocol"), parent)
        self._save = save
        limit = protocol.limit(area, indication)
        self.offered_box = QCheckBox(tr("Offered for this area and indication"))
        self.offered_box.setAccessibleName(self.offered_box.text())
        self.offered_box.setChecked(limit is not None)
        self.default_edit = number_edit("mm")
        self.maximum_edit = number_edit("mm")
        if limit is not None:
            self.default_edit.setText(str(limit.default_mm.normalize()))
            self.maximum_edit.setText(str(limit.maximum_mm.normalize()))
        self.note_edit = text_box(tr("What changed and why"), 64)
        self.reviewed_box = QCheckBox(tr("The clinic has reviewed the whole protocol (drops "
                                         "the example mark)"))
        self.reviewed_box.setAccessibleName(self.reviewed_box.text())
        self.reviewed_box.setChecked(not protocol.example_values)
        self._root.addWidget(self.offered_box)
        self.add("default_mm", tr("Default needle depth (mm)"), self.default_edit)
        self.add("max_mm", tr("Maximum needle depth (mm)"), self.maximum_edit,
                 tr("Deeper needs a written reason in the session; never deeper than the "
                    "device goes."))
        self.add("note", tr("What changed and why"), self.note_edit)
        self._root.addWidget(self.reviewed_box)
        self.finish()
        self.offered_box.toggled.connect(self._offered)
        self._offered(self.offered_box.isChecked())

    def _offered(self, offered: bool) -> None:
        self.default_edit.setEnabled(offered)
        self.maximum_edit.setEnabled(offered)

    def save(self) -> object:
        limit = None
        if self.offered_box.isChecked():
            values = []
            for field, edit in (("default_mm", self.default_edit),
                                ("max_mm", self.maximum_edit)):
                try:
                    values.append(read_number(edit.text()))
                except NumberUnreadable as exc:
                    raise ValidationError(str(exc), field=field) from None
            default, maximum = values
            assert default is not None and maximum is not None
            if maximum < default:
                raise ValidationError(tr("The maximum is below the default."), field="max_mm")
            limit = DepthLimit(default, maximum)
        return self._save(limit, self.note_edit.toPlainText(), self.reviewed_box.isChecked())
