"""Reading and adding devices, lots, protocol versions, courses and sessions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.storage.models import AuditRecord
from clinic_desk.storage.models_treatment import (
    AdverseEvent,
    AdverseEventFollowUp,
    ConsumableLot,
    Course,
    Device,
    DeviceRevision,
    ProtocolVersion,
    SessionAmendment,
    TreatmentSession,
)


class TreatmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        """Add a row and flush, so that its id is known (for the audit entry)."""
        self._session.add(row)
        self._session.flush()

    # --- devices and lots -------------------------------------------------------------

    def devices(self) -> list[Device]:
        return list(
            self._session.scalars(select(Device).order_by(Device.make, Device.model, Device.id))
        )

    def device(self, device_id: int) -> Device | None:
        return self._session.get(Device, device_id)

    def device_revisions(self, device_id: int) -> list[DeviceRevision]:
        return list(
            self._session.scalars(
                select(DeviceRevision)
                .where(DeviceRevision.device_id == device_id)
                .order_by(DeviceRevision.version)
            )
        )

    def device_revision(self, device_id: int, version: int) -> DeviceRevision | None:
        return self._session.scalars(
            select(DeviceRevision).where(
                DeviceRevision.device_id == device_id, DeviceRevision.version == version
            )
        ).first()

    def lots(self) -> list[ConsumableLot]:
        return list(
            self._session.scalars(
                select(ConsumableLot).order_by(ConsumableLot.expiry_date, ConsumableLot.id)
            )
        )

    def lot(self, lot_id: int) -> ConsumableLot | None:
        return self._session.get(ConsumableLot, lot_id)

    def lot_by_number(self, product: str, lot_number: str) -> ConsumableLot | None:
        return self._session.scalars(
            select(ConsumableLot).where(
                ConsumableLot.product == product, ConsumableLot.lot_number == lot_number
            )
        ).first()

    # --- protocol ---------------------------------------------------------------------

    def protocol_versions(self) -> list[ProtocolVersion]:
        return list(
            self._session.scalars(select(ProtocolVersion).order_by(ProtocolVersion.version))
        )

    def protocol_version(self, version: int) -> ProtocolVersion | None:
        return self._session.scalars(
            select(ProtocolVersion).where(ProtocolVersion.version == version)
        ).first()

    def latest_protocol_version(self) -> ProtocolVersion | None:
        return self._session.scalars(
            select(ProtocolVersion).order_by(ProtocolVersion.version.desc()).limit(1)
        ).first()

    # --- courses ----------------------------------------------------------------------

    def courses(self, patient_id: int) -> list[Course]:
        return list(
            self._session.scalars(
                select(Course).where(Course.patient_id == patient_id).order_by(Course.id)
            )
        )

    def open_courses(self) -> list[Course]:
        return list(
            self._session.scalars(
                select(Course).where(Course.is_closed.is_(False)).order_by(Course.id)
            )
        )

    def course(self, course_id: int) -> Course | None:
        return self._session.get(Course, course_id)

    def sessions_by_course(
        self, course_ids: Sequence[int]
    ) -> dict[int, list[TreatmentSession]]:
        found: dict[int, list[TreatmentSession]] = {c: [] for c in course_ids}
        if not course_ids:
            return found
        rows = self._session.scalars(
            select(TreatmentSession)
            .where(TreatmentSession.course_id.in_(list(course_ids)))
            .order_by(TreatmentSession.session_date, TreatmentSession.id)
        )
        for row in rows:
            assert row.course_id is not None
            found[row.course_id].append(row)
        return found

    # --- sessions ---------------------------------------------------------------------

    def sessions(self, patient_id: int | None = None) -> list[TreatmentSession]:
        query = select(TreatmentSession).order_by(
            TreatmentSession.session_date, TreatmentSession.id
        )
        if patient_id is not None:
            query = query.where(TreatmentSession.patient_id == patient_id)
        return list(self._session.scalars(query))

    def session(self, session_id: int) -> TreatmentSession | None:
        return self._session.get(TreatmentSession, session_id)

    def sessions_with_lots(self, lot_ids: Sequence[int]) -> list[TreatmentSession]:
        if not lot_ids:
            return []
        return list(
            self._session.scalars(
                select(TreatmentSession)
                .where(TreatmentSession.lot_id.in_(list(lot_ids)))
                .order_by(TreatmentSession.session_date, TreatmentSession.id)
            )
        )

    def lots_numbered(self, lot_number: str) -> list[ConsumableLot]:
        """Lots with this number, whatever the product (case and spaces as typed)."""
        wanted = lot_number.strip()
        return list(
            self._session.scalars(
                select(ConsumableLot)
                .where(func.lower(ConsumableLot.lot_number) == wanted.lower())
                .order_by(ConsumableLot.id)
            )
        )

    def amendments(self, session_ids: Sequence[int]) -> list[SessionAmendment]:
        if not session_ids:
            return []
        return list(
            self._session.scalars(
                select(SessionAmendment)
                .where(SessionAmendment.session_id.in_(list(session_ids)))
                .order_by(SessionAmendment.id)
            )
        )

    def adverse_events(
        self, *, patient_id: int | None = None, session_ids: Sequence[int] | None = None
    ) -> list[AdverseEvent]:
        query = select(AdverseEvent).order_by(AdverseEvent.id)
        if patient_id is not None:
            query = query.where(AdverseEvent.patient_id == patient_id)
        if session_ids is not None:
            if not session_ids:
                return []
            query = query.where(AdverseEvent.session_id.in_(list(session_ids)))
        return list(self._session.scalars(query))

    def adverse_event(self, event_id: int) -> AdverseEvent | None:
        return self._session.get(AdverseEvent, event_id)

    def follow_ups(self, event_ids: Sequence[int]) -> list[AdverseEventFollowUp]:
        if not event_ids:
            return []
        return list(
            self._session.scalars(
                select(AdverseEventFollowUp)
                .where(AdverseEventFollowUp.adverse_event_id.in_(list(event_ids)))
                .order_by(AdverseEventFollowUp.id)
            )
        )

    def sealed_hashes(self, record_type: str, ids: Sequence[int]) -> dict[int, str]:
        """The hash each record had when its audit entry vouched for it."""
        if not ids:
            return {}
        rows = self._session.execute(
            select(AuditRecord.record_id, AuditRecord.record_hash).where(
                AuditRecord.record_type == record_type, AuditRecord.record_id.in_(list(ids))
            )
        )
        return {int(r[0]): str(r[1]) for r in rows}
