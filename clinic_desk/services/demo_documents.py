"""The demo clinic's documents history: a pre-care sheet and the aftercare sheets of the
demo patients' latest sessions, as reception would have printed them. Added once, right
after the treatment demo."""

from __future__ import annotations

from clinic_desk.services.core import CoreServices
from clinic_desk.services.demo_treatment import DemoTreatment
from clinic_desk.services.documents import HandOut


def load_demo_documents(services: CoreServices, treatment: DemoTreatment) -> int:
    """Returns how many documents were recorded as handed out."""
    reception = services.auth.demo_account("reception")
    practitioner = services.auth.demo_account("practitioner")
    handed = 0
    for patient_id in treatment.patients:
        sessions = services.sessions.sessions(practitioner, patient_id)
        if not sessions:
            continue
        first, last = sessions[0], sessions[-1]
        precare = services.documents.precare(reception, patient_id, uses_rf=first.uses_rf)
        services.documents.record_handout(reception, precare, how=HandOut.PRINTED)
        aftercare = services.documents.aftercare(practitioner, last.session_id)
        services.documents.record_handout(practitioner, aftercare, how=HandOut.PRINTED)
        handed += 2
    return handed
