"""Record a new box of cartridges or needles: product, lot number and expiry date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ValidationError
from clinic_desk.services.treatment_dto import LotDetails, LotKind
from clinic_desk.ui.date_field import DateField
from clinic_desk.ui.devices.lot_model import LOT_KIND_LABELS
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.inline_form import SteadyLineEdit
from clinic_desk.ui.sessions.record_dialogs import RecordDialog, combo_of


class LotDialog(RecordDialog):
    def __init__(self, add: Callable[[LotDetails], object], *, date_format: DateFormat,
                 today: date, parent: QWidget | None = None) -> None:
        super().__init__(tr("Add a lot"), tr(
            "Copy the product name, lot number and expiry date from the box. Each session "
            "records the lot it used, so a recall can be traced to every patient."),
            tr("Add lot"), parent)
        self._add = add
        self.kind_box = combo_of({k: LOT_KIND_LABELS[k] for k in LotKind.ALL}, tr("Kind"))
        self.product_edit = SteadyLineEdit()
        self.product_edit.setPlaceholderText(tr("e.g. Sterile 12-needle cartridge"))
        self.lot_edit = SteadyLineEdit()
        self.expiry_field = DateField(date_format, today=today, accessible_name=tr("Use by"))
        self.add("kind", tr("Kind"), self.kind_box)
        self.add("product", tr("Product"), self.product_edit)
        self.add("lot_number", tr("Lot number"), self.lot_edit)
        self.add("expiry_date", tr("Use by"), self.expiry_field)
        self.finish()

    def save(self) -> object:
        expiry = self.expiry_field.date()
        if expiry is None:
            raise ValidationError(tr("Enter the use-by date printed on the box."),
                                  field="expiry_date")
        return self._add(LotDetails(str(self.kind_box.currentData()), self.product_edit.text(),
                                    self.lot_edit.text(), expiry))
