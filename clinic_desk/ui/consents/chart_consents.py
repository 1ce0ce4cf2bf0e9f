"""The consent parts of a patient's chart: the Consents tab and, in the header, whether
the patient must sign again."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_desk.domain.dates import DateFormat
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.screening import ScreeningService
from clinic_desk.ui.consents.clearance_step import clearance_recorder
from clinic_desk.ui.consents.consent_model import standing_look
from clinic_desk.ui.consents.consents_panel import ConsentsPanel
from clinic_desk.ui.consents.port import ConsentDesk, ConsentStanding
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.i18n import tr
from clinic_desk.ui.patients.status import StatusBadge


class ChartConsents:
    """Give it the chart's patient; `panel` is the tab, `badge` goes in the header."""

    def __init__(self, desk: ConsentDesk, actor: SignedInStaff, dialogs: DialogService, *,
                 patient_id: int, date_format: DateFormat, parent: QWidget,
                 screening: ScreeningService | None = None) -> None:
        self._desk = desk
        self._actor = actor
        self.patient_id = patient_id
        self.panel = ConsentsPanel(desk, actor, dialogs,
                                   load=lambda: desk.consents(actor, patient_id),
                                   date_format=date_format, patient=(patient_id, ""),
                                   record_clearance=None if screening is None
                                   else clearance_recorder(screening, actor, dialogs),
                                   parent=parent)
        self.badge = StatusBadge()
        self.badge.setObjectName("reconsentBadge")
        self.reasons: tuple[str, ...] = ()

    def set_patient_name(self, name: str) -> None:
        self.panel.patient = (self.patient_id, name)

    def refresh(self) -> None:
        self.panel.refresh()
        try:
            flags = self._desk.reconsent_needed(self._actor, [self.patient_id])
        except ClinicDeskError:
            flags = {}
        self.reasons = flags.get(self.patient_id, ())
        if self.patient_id in flags:
            look = standing_look(ConsentStanding.RECONSENT_NEEDED)
            why = "; ".join(self.reasons)
            self.badge.show_look(look, tr("The patient must sign the consent again: {why}")
                                 .format(why=why) if why else "")
        else:
            self.badge.setVisible(False)

    def needs_reconsent(self) -> bool:
        return not self.badge.isHidden()

    def close_windows(self) -> None:
        self.panel.close_windows()
