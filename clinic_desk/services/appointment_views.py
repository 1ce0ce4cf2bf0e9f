"""Appointment rows as the Today list, the day and week views and the command line
show them: names, status and punctuality in words, the course session label, and for
treatments still to come the screening and what is missing before treatment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from threading import Lock
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, func, select

from clinic_desk.domain.booking import (
    KIND_LABELS,
    PUNCTUALITY_LABELS,
    STATUS_LABELS,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    LatenessPolicy,
    punctuality,
)
from clinic_desk.domain.course import session_label
from clinic_desk.domain.patients import format_patient_number
from clinic_desk.domain.screening import STATUS_LABELS as SCREENING_LABELS
from clinic_desk.domain.screening import ScreeningStatus
from clinic_desk.services.appointment_dto import TREATMENT_KINDS, AppointmentView
from clinic_desk.services.readiness import (
    Readiness,
    ReadinessKey,
    readiness_of_many,
)
from clinic_desk.services.screening import ScreeningService
from clinic_desk.storage.appointment_repository import LISTING_COLUMNS, AppointmentRepository
from clinic_desk.storage.models import (
    AuditEntry,
    ClinicProfile,
    Patient,
    StaffAccount,
    StaffRole,
)
from clinic_desk.storage.models_treatment import Course, TreatmentSession
from clinic_desk.storage.unit_of_work import UnitOfWork

_STILL_TO_COME = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)
_STILL_TO_COME_VALUES = frozenset(s.value for s in _STILL_TO_COME)
_TREATMENT_VALUES = frozenset(k.value for k in TREATMENT_KINDS)
_RF = AppointmentKind.RF_SESSION.value


def clinic_zone(uow: UnitOfWork) -> ZoneInfo:
    return zone_of(uow.clinic.get())


def zone_of(profile: ClinicProfile | None) -> ZoneInfo:
    return ZoneInfo(profile.time_zone if profile else "UTC")


def day_bounds(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """UTC start of `first` and of the day after `last`, in the clinic's zone."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start, end.astimezone(UTC)


def to_domain(row: Any) -> Appointment:
    return Appointment(
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        room_id=row.room_id,
        start=row.starts_at,
        length_minutes=row.length_minutes,
        kind=AppointmentKind(row.kind),
        status=AppointmentStatus(row.status),
        cancel_reason=row.cancel_reason,
        note=row.note,
        id=row.id,
    )


_CACHE_LIMIT = 5000
_LISTED = len(LISTING_COLUMNS)
_KINDS = {k.value: k for k in AppointmentKind}
_STATUSES = {s.value: s for s in AppointmentStatus}


def _listed(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The listing's columns in `LISTING_COLUMNS` order: sliced from listing rows
    (`listing_between`), by name from AppointmentRow objects."""
    if rows and isinstance(rows[0], Row):
        if tuple(rows[0]._fields[:_LISTED]) != LISTING_COLUMNS:
            raise ValueError("rows must come from AppointmentRepository.listing_between")
        return [tuple(row[:_LISTED]) for row in rows]
    return [tuple(getattr(row, name) for name in LISTING_COLUMNS) for row in rows]


class ReadinessCache:
    """Readiness per (patient, day, with RF), kept while nothing about the patient (nor
    anything clinic-wide) was written since: every write appends an audit entry naming
    its patient, so the newest entry about the patient and the newest entry about no
    patient are the cache's key. One indexed query checks a whole day's patients.
    Listings load on worker threads (the Today list and the open book at once): a lock
    keeps the dictionary whole."""

    def __init__(self) -> None:
        self._found: dict[ReadinessKey, tuple[tuple[int, int], Readiness]] = {}
        self._lock = Lock()

    def stamps(self, uow: UnitOfWork, patient_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        if not patient_ids:
            return {}
        # One query: the newest entry per patient asked about, and (NULL) about no patient.
        latest: dict[int | None, int] = {
            patient_id: int(seq)
            for patient_id, seq in uow.session.execute(
                select(AuditEntry.patient_id, func.max(AuditEntry.seq))
                .where(AuditEntry.patient_id.in_(sorted(set(patient_ids)))
                       | AuditEntry.patient_id.is_(None))
                .group_by(AuditEntry.patient_id)
            )
        }
        clinic_wide = latest.get(None, 0)
        return {p: (latest.get(p, 0), clinic_wide) for p in patient_ids}

    def get(self, key: ReadinessKey, stamp: tuple[int, int]) -> Readiness | None:
        with self._lock:
            found = self._found.get(key)
        return found[1] if found is not None and found[0] == stamp else None

    def put(self, key: ReadinessKey, stamp: tuple[int, int], value: Readiness) -> None:
        with self._lock:
            if len(self._found) >= _CACHE_LIMIT:
                self._found.clear()
            self._found[key] = (stamp, value)


class ViewMaker:
    """Builds the rows of one listing with a handful of queries, whatever its length."""

    def __init__(self, uow: UnitOfWork, now: datetime, policy: LatenessPolicy) -> None:
        self._uow = uow
        self._now = now
        self._policy = policy
        # Read once per listing: the zone here, the screening and consents' months below.
        self.profile = uow.clinic.get()
        self.zone = zone_of(self.profile)
        session = uow.session
        self.staff = {
            int(staff_id): str(name)
            for staff_id, name in session.execute(select(StaffAccount.id, StaffAccount.full_name))
        }
        self.room_rows = AppointmentRepository(session).rooms()
        self.rooms = {r.id: r.name for r in self.room_rows}

    def practitioners(self) -> list[tuple[int, str]]:
        """Active practitioners by name: the day view's columns."""
        rows = self._uow.session.execute(
            select(StaffAccount.id, StaffAccount.full_name)
            .join(StaffRole, StaffRole.staff_id == StaffAccount.id)
            .where(StaffRole.role == "practitioner", StaffAccount.is_active.is_(True))
            .order_by(func.lower(StaffAccount.full_name))
        )
        return [(int(staff_id), str(name)) for staff_id, name in rows]

    def readiness(
        self,
        rows: Sequence[Any],
        screening: ScreeningService,
        cache: ReadinessCache | None = None,
    ) -> dict[ReadinessKey, Readiness]:
        """Readiness for the treatments still to come among `rows`, from today on (a past
        day's booked row is a no-show to record, not a treatment to prepare): from the
        cache where nothing about the patient changed, the rest read together."""
        zone = self.zone
        from_utc = datetime.combine(self._now.astimezone(zone).date(),
                                    datetime.min.time(), tzinfo=zone).astimezone(UTC)
        keys = sorted({
            (r.patient_id, r.starts_at.astimezone(zone).date(), r.kind == _RF)
            for r in rows
            if r.kind in _TREATMENT_VALUES and r.status in _STILL_TO_COME_VALUES
            and r.starts_at >= from_utc
        })
        if not keys:
            return {}
        cache = cache or ReadinessCache()
        stamps = cache.stamps(self._uow, [k[0] for k in keys])
        found: dict[ReadinessKey, Readiness] = {}
        for key in keys:
            cached = cache.get(key, stamps[key[0]])
            if cached is not None:
                found[key] = cached
        fresh = readiness_of_many(self._uow, screening, [k for k in keys if k not in found],
                                  profile=self.profile)
        for key, value in fresh.items():
            cache.put(key, stamps[key[0]], value)
        found.update(fresh)
        return found

    def views(
        self,
        rows: Sequence[Any],
        screening: ScreeningService | None = None,
        cache: ReadinessCache | None = None,
    ) -> list[AppointmentView]:
        """`rows`: AppointmentRow objects, or the rows of `AppointmentRepository.
        listing_between` (which carry the patients' names)."""
        names = self._names(rows)
        labels = self._course_labels(rows)
        ready = self.readiness(rows, screening, cache) if screening is not None else {}
        zone, now, policy, staff, rooms = self.zone, self._now, self._policy, self.staff, self.rooms
        found = []
        # Unpacked once per row: a week's listing builds hundreds of these.
        for (appointment_id, version, patient_id, practitioner_id, room_id, starts_at, length,
             kind_value, status_value, cancel_reason, note, course_id, ready_room) in _listed(
                rows):
            kind, status = _KINDS[kind_value], _STATUSES[status_value]
            start = starts_at.astimezone(zone)
            late = None
            if status is AppointmentStatus.BOOKED:
                late = punctuality(Appointment(
                    patient_id=patient_id, practitioner_id=practitioner_id, room_id=room_id,
                    start=starts_at, length_minutes=length, kind=kind, status=status,
                    cancel_reason=cancel_reason, note=note, id=appointment_id,
                ), now, policy)
            rf = kind is AppointmentKind.RF_SESSION
            screening_status: ScreeningStatus | None = None
            missing: tuple[str, ...] = ()
            readiness = ready.get((patient_id, start.date(), rf)) if ready else None
            if readiness is not None and kind in TREATMENT_KINDS and status in _STILL_TO_COME:
                screening_status, missing = readiness
            found.append(
                AppointmentView(
                    appointment_id=appointment_id,
                    version=version,
                    patient_id=patient_id,
                    patient_number=format_patient_number(patient_id),
                    patient_name=names.get(patient_id, "?"),
                    practitioner_id=practitioner_id,
                    practitioner_name=staff.get(practitioner_id, "?"),
                    room_id=room_id,
                    room_name=rooms.get(room_id, "?"),
                    start=start,
                    end=(starts_at + timedelta(minutes=length)).astimezone(zone),
                    length_minutes=length,
                    kind=kind,
                    kind_label=KIND_LABELS[kind],
                    status=status,
                    status_label=STATUS_LABELS[status],
                    cancel_reason=cancel_reason,
                    note=note,
                    course_id=course_id,
                    course_label=labels.get(appointment_id, ""),
                    ready_for_room_id=ready_room,
                    ready_for_room_name=(
                        rooms.get(ready_room, "") if ready_room is not None else ""
                    ),
                    punctuality=late,
                    punctuality_label=PUNCTUALITY_LABELS[late] if late else "",
                    uses_rf=rf,
                    screening_status=screening_status,
                    screening_label=SCREENING_LABELS[screening_status] if screening_status else "",
                    missing=missing,
                )
            )
        return found

    def _names(self, rows: Sequence[Any]) -> dict[int, str]:
        """"Family, Given" by patient id: from the rows when the listing joined them."""
        if rows and hasattr(rows[0], "family_name"):
            return {r.patient_id: f"{r.family_name}, {r.given_name}" for r in rows}
        patient_ids = sorted({r.patient_id for r in rows})
        names: dict[int, str] = {}
        if patient_ids:
            for patient_id, family, given in self._uow.session.execute(
                select(Patient.id, Patient.family_name, Patient.given_name).where(
                    Patient.id.in_(patient_ids)
                )
            ):
                names[int(patient_id)] = f"{family}, {given}"
        return names

    def _course_labels(self, rows: Sequence[Any]) -> dict[int, str]:
        """"Session k of N": the sessions signed off before the appointment's day, plus one."""
        course_ids = sorted({r.course_id for r in rows if r.course_id is not None})
        if not course_ids:
            return {}
        session = self._uow.session
        planned: dict[int, int] = {
            int(course_id): int(count)
            for course_id, count in session.execute(
                select(Course.id, Course.planned_sessions).where(Course.id.in_(course_ids))
            )
        }
        dates: dict[int, list[date]] = {c: [] for c in course_ids}
        for course_id, on in session.execute(
            select(TreatmentSession.course_id, TreatmentSession.session_date).where(
                TreatmentSession.course_id.in_(course_ids)
            )
        ):
            if course_id is not None:
                dates[course_id].append(on)
        labels = {}
        for row in rows:
            if row.course_id is None or row.course_id not in planned:
                continue
            day = row.starts_at.astimezone(self.zone).date()
            done_before = sum(1 for d in dates[row.course_id] if d < day)
            labels[row.id] = session_label(done_before + 1, planned[row.course_id])
        return labels
