"""The session form: device, cartridge and lot, numbing cream, serums, each treated
area's settings, the test spot, endpoint, pain, reactions and notes.

It builds a `SessionDraft` as it is filled in and shows the guardrails' findings under
the field each belongs to (asked of the session service through `check`), so the
practitioner sees why a setting is refused before trying to sign off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.devices import DeviceProfile
from clinic_desk.domain.guardrails import AreaSettings
from clinic_desk.domain.session_record import (
    ENDPOINT_LABELS,
    Endpoint,
    SessionDraft,
    settings_differences,
)
from clinic_desk.domain.setting_findings import SettingsCheck
from clinic_desk.services.treatment_dto import SessionFormData
from clinic_desk.ui.devices.form_parts import section
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import FieldSlot, SteadyLineEdit, hold_height
from clinic_desk.ui.sessions.area_row import AreaRow, combo, field_column
from clinic_desk.ui.sessions.finding_routes import route_findings
from clinic_desk.ui.sessions.session_parts import (
    AdverseEventsPanel,
    GatePanel,
    PainScale,
    TimeField,
    checkbox,
    minutes_text,
)
from clinic_desk.ui.sessions.test_spot import TestSpotBox
from clinic_desk.ui.theme import icon
from clinic_desk.ui.touch import touch_target
from clinic_desk.ui.widgets import FieldError, label, repolish

FORM_FIELDS = ("device", "cartridge", "lot", "course", "numbing_applied_at",
               "numbing_removed_at", "numbing_product", "serums", "areas", "pain_score",
               "other")
DraftCheck = Callable[[SessionDraft], SettingsCheck]


def plain_edit(name: str, placeholder: str = "") -> SteadyLineEdit:
    edit = SteadyLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    hold_height(edit)
    return edit


class SessionForm(QWidget):
    checked = Signal(object)  # SettingsCheck | None

    def __init__(self, data: SessionFormData, *, date_format: DateFormat, time_zone: str,
                 check: DraftCheck, now: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionForm")
        self.data = data
        self._zone = ZoneInfo(time_zone)
        self._check = check
        self._now = now
        self.started_at = now()
        self.last_check: SettingsCheck | None = None
        self.local: dict[str, str] = {}
        # Once the last session's settings are copied, what differs is highlighted.
        self.copied = False
        protocol = data.protocol
        self.gate = GatePanel(data.start_without_rf, data.start_with_rf, date_format)
        self.adverse = AdverseEventsPanel(data.open_adverse_events, date_format,
                                          self.area_label)
        self.device_box = combo(tr("Device"))
        for device in data.devices:
            text = device.label + (tr(" — service overdue") if device.service_overdue else "")
            self.device_box.addItem(text, device.device_id)
        self.cartridge_box = combo(tr("Cartridge"))
        self.lot_box = combo(tr("Lot"))
        self.lot_box.addItem(tr("Choose the lot…"), None)
        for lot in data.lots:
            expired = lot.is_expired
            self.lot_box.addItem(
                tr("{lot} — expired, cannot be chosen").format(lot=lot.label) if expired
                else lot.label, lot.lot_id)
            model = self.lot_box.model()
            if expired and isinstance(model, QStandardItemModel):
                # Listed, so nobody wonders where it went, but it cannot be chosen.
                item = model.item(self.lot_box.count() - 1)
                if item is not None:
                    item.setEnabled(False)
        self.course_box = combo(tr("Course"))
        self.course_box.addItem(tr("Not part of a course"), None)
        for course in data.courses:
            self.course_box.addItem(tr("{indication} — {where}").format(
                indication=course.indication_label,
                where=tr(course.progress.next_label or "course complete")), course.course_id)
        if len(data.courses) == 1:
            self.course_box.setCurrentIndex(1)
        self.numbing_edit = plain_edit(tr("Numbing cream"), tr("product, e.g. lidocaine 5%"))
        self.applied = TimeField(tr("Numbing applied at"), now)
        self.removed = TimeField(tr("Numbing removed at"), now)
        self.minutes_label = label("", "hint", wrap=False)
        self.serums_edit = plain_edit(tr("Serums"), tr("separated by commas"))
        self.copy_button = QPushButton(icon("copy"), tr("Copy settings from the last session"))
        touch_target(self.copy_button)
        self.copy_button.setEnabled(data.copy_of_last is not None)
        self.copy_button.setToolTip(tr("Fills in the last session's device, lot, areas and "
                                       "settings; what you then change is highlighted.")
                                    if data.copy_of_last else tr("This is the first session."))
        self.differences_label = label("", "hint")
        self.rows: list[AreaRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(10)
        self.add_area_button = QPushButton(icon("sparkles"), tr("Add an area"))
        touch_target(self.add_area_button)
        self.test_spot = TestSpotBox(protocol)
        self.endpoint_boxes = {e: checkbox(tr(ENDPOINT_LABELS[e])) for e in Endpoint}
        self.pain = PainScale()
        self.reactions_edit = plain_edit(tr("Immediate reactions"),
                                         tr("e.g. redness, swelling, none"))
        self.notes_edit = plain_edit(tr("Notes"))
        self.errors: dict[str, FieldError] = {}
        self.slots: dict[str, FieldSlot] = {}
        watched: dict[str, QWidget] = {
            "device": self.device_box, "cartridge": self.cartridge_box, "lot": self.lot_box,
            "course": self.course_box, "numbing_applied_at": self.applied.edit,
            "numbing_removed_at": self.removed.edit, "numbing_product": self.numbing_edit,
            "serums": self.serums_edit, "areas": self.add_area_button,
            "pain_score": self.pain, "other": self}
        for name in FORM_FIELDS:
            self.errors[name] = FieldError().watch(watched[name])
            self.slots[name] = FieldSlot(self.errors[name], lines=2)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.run_check)
        self._lay_out()
        self._connect()
        self._device_changed()
        self.add_area()

    # --- layout --------------------------------------------------------------------------

    def _lay_out(self) -> None:
        s = self.slots
        gear, grid = section(tr("Device, needles and course"))
        grid.addWidget(field_column(tr("Device"), self.device_box, s["device"]), 0, 0)
        grid.addWidget(field_column(tr("Cartridge"), self.cartridge_box, s["cartridge"]), 0, 1)
        grid.addWidget(field_column(tr("Lot (sterile, single use)"), self.lot_box, s["lot"]),
                       1, 0)
        grid.addWidget(field_column(tr("Course"), self.course_box, s["course"]), 1, 1)
        prep, grid = section(tr("Preparation"))
        grid.addWidget(field_column(tr("Numbing cream"), self.numbing_edit,
                                    s["numbing_product"]), 0, 0)
        grid.addWidget(field_column(tr("Applied at"), self.applied, s["numbing_applied_at"]),
                       0, 1)
        grid.addWidget(field_column(tr("Removed at"), self.removed, s["numbing_removed_at"],
                                    self.minutes_label), 0, 2)
        grid.addWidget(field_column(tr("Serums"), self.serums_edit, s["serums"]), 1, 0, 1, 3)
        areas, grid = section(tr("Treated areas"))
        grid.addWidget(self.copy_button, 0, 0)
        grid.addWidget(self.differences_label, 1, 0, 1, 2)
        grid.addWidget(self.adverse, 2, 0, 1, 2)
        grid.addLayout(self.rows_box, 3, 0, 1, 2)
        grid.addWidget(self.add_area_button, 4, 0)
        grid.addWidget(s["areas"], 5, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        spot, grid = section(tr("Test spot"))
        grid.addWidget(self.test_spot, 0, 0)
        outcome, grid = section(tr("Outcome"))
        endpoints = QWidget()
        endpoint_row = QGridLayout(endpoints)
        endpoint_row.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.endpoint_boxes.values()):
            endpoint_row.addWidget(box, 0, i)
        grid.addWidget(label(tr("Endpoint observed")), 0, 0)
        grid.addWidget(endpoints, 1, 0)
        grid.addWidget(field_column(tr("Pain (0 none, 10 worst)"), self.pain, s["pain_score"]),
                       2, 0)
        grid.addWidget(field_column(tr("Immediate reactions"), self.reactions_edit,
                                    FieldSlot(FieldError())), 3, 0)
        grid.addWidget(field_column(tr("Notes"), self.notes_edit, FieldSlot(FieldError())),
                       4, 0)
        grid.addWidget(s["other"], 5, 0)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(16)
        root.addWidget(self.gate)
        for part in (gear, prep, areas, spot, outcome):
            root.addWidget(part)
        root.addStretch(1)

    def _connect(self) -> None:
        self.device_box.currentIndexChanged.connect(lambda _i: self._device_changed())
        for box in (self.cartridge_box, self.lot_box, self.course_box):
            box.currentIndexChanged.connect(lambda _i: self.schedule_check())
        for field in (self.applied, self.removed):
            field.changed.connect(self.schedule_check)
        for edit in (self.numbing_edit, self.serums_edit, self.reactions_edit, self.notes_edit):
            edit.textChanged.connect(lambda _t: self.schedule_check())
        self.pain.changed.connect(self.schedule_check)
        self.test_spot.edited.connect(self.schedule_check)
        self.add_area_button.clicked.connect(lambda: self.add_area())
        self.copy_button.clicked.connect(self.copy_last)

    # --- choices -------------------------------------------------------------------------

    def area_label(self, key: str) -> str:
        try:
            return tr(self.data.protocol.area(key).label)
        except KeyError:
            return key

    def device(self) -> DeviceProfile | None:
        device_id = self.device_box.currentData()
        found = next((d for d in self.data.devices if d.device_id == device_id), None)
        return found.profile if found else None

    def _device_changed(self) -> None:
        device = self.device()
        chosen = self.cartridge_box.currentData()
        self.cartridge_box.blockSignals(True)
        self.cartridge_box.clear()
        for cartridge in device.cartridges if device else ():
            self.cartridge_box.addItem(cartridge.label, cartridge.key)
        if device is not None and not device.cartridges:
            self.cartridge_box.addItem(tr("None: a roller takes no cartridge"), None)
        self.cartridge_box.setCurrentIndex(max(self.cartridge_box.findData(chosen), 0))
        self.cartridge_box.blockSignals(False)
        for row in self.rows:
            row.set_device(device)
        self.test_spot.set_device(device)
        self.schedule_check()

    def add_area(self, settings: AreaSettings | None = None) -> AreaRow:
        row = AreaRow(self.data.protocol)
        row.set_device(self.device())
        if settings is not None:
            row.set_settings(settings)
        row.edited.connect(self.schedule_check)
        row.remove_requested.connect(self.remove_area)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        self.fix_tab_order()
        self.schedule_check()
        return row

    def fix_tab_order(self) -> None:
        """Tab goes down the form as it reads: rows added later sit where they show (and
        each row's controls say which area they are for)."""
        for number, row in enumerate(self.rows, start=1):
            row.set_number(number)
        spot = self.test_spot
        chain: list[QWidget] = [
            self.device_box, self.cartridge_box, self.lot_box, self.course_box,
            self.numbing_edit, self.applied.edit, self.applied.now_button, self.removed.edit,
            self.removed.now_button, self.serums_edit, self.copy_button]
        for row in self.rows:
            chain += [row.area_box, row.indication_box, row.depth_stepper.edit,
                      row.passes.edit, row.speed_box, row.energy.edit, row.pulse.edit,
                      row.tip_box, row.reason_edit, row.remove_button]
        chain += [self.add_area_button, spot.done_box, spot.area_box, spot.energy.edit,
                  spot.pulse.edit, spot.tip_box, spot.reaction_edit, spot.tolerated_box,
                  *self.endpoint_boxes.values(), *self.pain.buttons, self.reactions_edit,
                  self.notes_edit]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def remove_area(self, row: AreaRow) -> None:
        self.rows.remove(row)
        self.rows_box.removeWidget(row)
        self.fix_tab_order()
        row.hide()  # gone at once, not when the event loop gets round to deleting it
        row.deleteLater()
        self.schedule_check()

    # --- the draft -----------------------------------------------------------------------

    def session_day(self) -> datetime:
        return datetime.combine(self.data.today, datetime.min.time(), tzinfo=self._zone)

    def draft(self) -> SessionDraft | None:
        """What is filled in, or None while something cannot be read (said in place)."""
        local: dict[str, str] = {}
        for name, field in (("numbing_applied_at", self.applied),
                            ("numbing_removed_at", self.removed)):
            if field.is_unreadable():
                local[name] = tr("Type the time as hh:mm, e.g. 09:40.")
        device_id = self.device_box.currentData()
        if device_id is None:
            local["device"] = tr("Add a device in the Devices area first.")
        areas = []
        for row in self.rows:
            settings = row.settings()
            if settings is not None:
                areas.append(settings)
        if not self.rows:
            local["areas"] = tr("Add at least one treated area.")
        self.local = local
        if local or len(areas) != len(self.rows) or self.test_spot.local_problems():
            return None
        day = self.data.today
        return SessionDraft(
            device_id=int(device_id), areas=tuple(areas),
            cartridge_key=self.cartridge_box.currentData(), lot_id=self.lot_box.currentData(),
            course_id=self.course_box.currentData(), session_date=day,
            started_at=self.started_at, numbing_product=self.numbing_edit.text().strip(),
            numbing_applied_at=self.applied.moment(day, self._zone),
            numbing_removed_at=self.removed.moment(day, self._zone),
            serums=tuple(s.strip() for s in self.serums_edit.text().split(",") if s.strip()),
            test_spot=self.test_spot.test_spot(),
            endpoints=tuple(e for e, box in self.endpoint_boxes.items() if box.isChecked()),
            pain_score=self.pain.score(), immediate_reactions=self.reactions_edit.text().strip(),
            notes=self.notes_edit.text().strip())

    def uses_rf(self) -> bool:
        return any(r.energy.value() is not None or r.pulse.value() is not None
                   or r.tip_box.currentData() is not None for r in self.rows)

    def schedule_check(self) -> None:
        self._timer.start()

    def run_check(self) -> None:
        """Asks the service what it thinks of the settings and shows it in place."""
        self._timer.stop()
        self.gate.show_for(self.uses_rf())
        draft = self.draft()
        self.last_check = self._check(draft) if draft is not None else None
        self.show_findings(self.last_check)
        self.minutes_label.setText(minutes_text(self.applied.moment(self.data.today, self._zone),
                                                self.removed.moment(self.data.today, self._zone)))
        if self.copied:
            self.show_differences()
        self.checked.emit(self.last_check)

    def show_findings(self, check: SettingsCheck | None) -> None:
        routed = route_findings(check.findings if check else (), self.slots)
        for row in self.rows:
            row.show_messages(row.local_problems(), routed.by_area.get(row.area_key() or "", {}))
        self.test_spot.show_messages(routed.test_spot_needed, self.test_spot.local_problems(),
                                     routed.test_spot)
        for name in FORM_FIELDS:
            found = routed.form.get(name, [])
            blocking = " ".join(tr(f.message) for f in found if f.blocks_saving)
            self.errors[name].show_problem(self.local.get(name) or blocking)
            self.slots[name].set_note(" ".join(tr(f.message) for f in found
                                               if not f.blocks_saving))

    # --- copy from the last session --------------------------------------------------

    def copy_last(self) -> None:
        last = self.data.copy_of_last
        if last is None:
            return
        self.device_box.setCurrentIndex(max(self.device_box.findData(last.device_id), 0))
        self.cartridge_box.setCurrentIndex(
            max(self.cartridge_box.findData(last.cartridge_key), 0))
        self.lot_box.setCurrentIndex(max(self.lot_box.findData(last.lot_id), 0))
        self.numbing_edit.setText(last.numbing_product)
        self.serums_edit.setText(", ".join(last.serums))
        for row in list(self.rows):
            self.remove_area(row)
        for settings in last.areas:
            self.add_area(settings)
        self.copied = True
        self.run_check()

    def show_differences(self) -> None:
        last = self.data.copy_of_last
        draft = self.draft()
        if last is None or draft is None:
            return
        changed = settings_differences(replace(draft, course_id=last.course_id), last)
        before = {a.area: a for a in last.areas}
        words = []
        for row in self.rows:
            key = row.area_key() or ""
            names = frozenset(f.split(".", 2)[2] for f in changed
                              if f.startswith(f"areas.{key}."))
            for name in row.mark_changed(names, before.get(key)):
                words.append(f"{row.area_box.currentText()}: {tr(name)}")
        for name, widget in (("device", self.device_box), ("cartridge", self.cartridge_box),
                             ("lot", self.lot_box)):
            widget.setProperty("changed", name in changed)
            repolish(widget)
            if name in changed:
                words.append({"device": tr("device"), "cartridge": tr("cartridge"),
                              "lot": tr("lot")}[name])
        self.differences_label.setText(
            tr("Changed since the last session (highlighted): {list}.").format(
                list=", ".join(words)) if words else
            tr("Same settings as the last session."))
