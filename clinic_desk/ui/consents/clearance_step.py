"""Recording a screening clearance from the signing window, when a finding that needs one
is all that stands in the way (the same dialog as in the chart's Screening tab)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from clinic_desk.domain.screening import Finding
from clinic_desk.services.dto import SignedInStaff
from clinic_desk.services.screening import ScreeningService
from clinic_desk.ui.dialogs import DialogService
from clinic_desk.ui.patients.clearance_dialog import ClearanceDialog

# (parent, patient id, patient name, finding, with RF) → whether a clearance was recorded
ClearanceRecorder = Callable[[QWidget, int, str, Finding, bool], bool]


def clearance_recorder(screening: ScreeningService, actor: SignedInStaff,
                       dialogs: DialogService) -> ClearanceRecorder:
    def record(parent: QWidget, patient_id: int, patient_name: str, finding: Finding,
               uses_rf: bool) -> bool:
        dialog = ClearanceDialog(screening, actor, patient_id=patient_id,
                                 patient_name=patient_name, finding=finding,
                                 session_date=screening.today(), uses_rf=uses_rf,
                                 dialogs=dialogs, parent=parent)
        dialogs.run(dialog)
        return dialog.result_screening is not None

    return record
