"""Queries for patients: the search-as-you-type path, duplicates, history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from clinic_desk.storage.models import (
    IntakeRecord,
    Patient,
    PatientRevision,
    PatientSearchKey,
    ScreeningClearance,
    ScreeningClearanceRevocation,
)

# Above every character a key can hold: "abc" + TOP bounds the range of keys starting "abc".
TOP = "\U0010ffff"
# Where a page of results ended: (key, rank, sort key, patient id) in search order.
Cursor = tuple[str, int, str, int]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result row: where it stands in the search order and what the list shows."""

    cursor: Cursor
    patient_id: int
    family_name: str
    given_name: str
    preferred_name: str
    date_of_birth: date
    phone: str
    phone_e164: str


_LIST_COLUMNS = (
    Patient.id,
    Patient.family_name,
    Patient.given_name,
    Patient.preferred_name,
    Patient.date_of_birth,
    Patient.phone,
    Patient.phone_e164,
)


@cache
def _search_shape(others: int, with_birth_date: bool, with_after: bool) -> Select[*tuple[Any, ...]]:
    """The search SELECT for one shape of query, with bound parameters, built once.

    Built per keystroke it would cost more than running it: the key range scan itself
    takes a tenth of a millisecond.
    """
    k = PatientSearchKey
    query = (
        select(k.key, k.rank, k.sort_key, *_LIST_COLUMNS)
        .join(Patient, Patient.id == k.patient_id)
        .where(
            k.key >= bindparam("lo0", type_=String),
            k.key < bindparam("hi0", type_=String),
            k.archived == bindparam("archived", type_=Boolean),
        )
    )
    for n in range(1, others + 1):
        other = aliased(PatientSearchKey)
        query = query.where(
            exists().where(
                other.patient_id == k.patient_id,
                other.key >= bindparam(f"lo{n}", type_=String),
                other.key < bindparam(f"hi{n}", type_=String),
            )
        )
    if with_birth_date:
        query = query.where(Patient.date_of_birth == bindparam("birth_date", type_=Date))
    if with_after:
        query = query.where(
            tuple_(k.key, k.rank, k.sort_key, k.patient_id)
            > tuple_(
                bindparam("after_key", type_=String),
                bindparam("after_rank", type_=Integer),
                bindparam("after_sort", type_=String),
                bindparam("after_id", type_=Integer),
            )
        )
    return query.order_by(k.key, k.rank, k.sort_key, k.patient_id).limit(
        bindparam("limit", type_=Integer)
    )


def search_statement(
    prefixes: Sequence[str],
    *,
    birth_date: date | None,
    after: Cursor | None,
    limit: int,
    archived: bool = False,
) -> tuple[Select[*tuple[Any, ...]], dict[str, Any]]:
    """Patients having a key starting with each prefix, in key order, with the columns
    the list shows, in one statement; returns it with its parameters.

    The longest prefix drives an ordered B-tree range scan that stops after `limit` rows;
    the other prefixes are checked per patient. A key equal to the prefix sorts before
    longer keys, so exact matches come first, and among equal keys a family name before
    a given name.
    """
    ordered = sorted(prefixes, key=len, reverse=True)
    params: dict[str, Any] = {"limit": limit, "archived": archived}
    for n, prefix in enumerate(ordered):
        params[f"lo{n}"] = prefix
        params[f"hi{n}"] = prefix + TOP
    if birth_date is not None:
        params["birth_date"] = birth_date
    if after is not None:
        params.update(
            after_key=after[0], after_rank=after[1], after_sort=after[2], after_id=after[3]
        )
    statement = _search_shape(len(ordered) - 1, birth_date is not None, after is not None)
    return statement, params


class PatientRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, patient_id: int) -> Patient | None:
        return self._session.get(Patient, patient_id)

    def add(self, patient: Patient) -> Patient:
        self._session.add(patient)
        self._session.flush()
        return patient

    # --- search keys ----------------------------------------------------------------

    def replace_search_keys(
        self, patient_id: int, sort_key: str, keys: Mapping[str, int], *, archived: bool
    ) -> None:
        self._session.execute(
            delete(PatientSearchKey).where(PatientSearchKey.patient_id == patient_id)
        )
        if keys:
            self._session.execute(
                insert(PatientSearchKey),
                [
                    {
                        "key": k,
                        "rank": rank,
                        "sort_key": sort_key,
                        "patient_id": patient_id,
                        "archived": archived,
                    }
                    for k, rank in sorted(keys.items())
                ],
            )

    def reserve_ids(self, count: int) -> int:
        """The first of `count` new patient ids for a bulk insert with explicit ids; on
        PostgreSQL the id sequence is moved past them (the table locked meanwhile)."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text("LOCK TABLE patient IN SHARE ROW EXCLUSIVE MODE"))
            first = int(self._session.scalar(select(func.coalesce(func.max(Patient.id), 0))) or 0)
            self._session.execute(
                text("SELECT setval(pg_get_serial_sequence('patient', 'id'), :last)"),
                {"last": first + count},
            )
            return first + 1
        return int(self._session.scalar(select(func.coalesce(func.max(Patient.id), 0))) or 0) + 1

    def search(
        self,
        prefixes: Sequence[str],
        *,
        birth_date: date | None,
        after: Cursor | None,
        limit: int,
        archived: bool = False,
    ) -> list[SearchHit]:
        statement, params = search_statement(
            prefixes, birth_date=birth_date, after=after, limit=limit, archived=archived
        )
        # Core execution on the session's connection: no ORM entities are loaded here.
        rows = self._session.connection().execute(statement, params)
        return [SearchHit((r[0], r[1], r[2], r[3]), *r[3:]) for r in rows]

    def by_birth_date(
        self, birth_date: date, *, after: Cursor | None, limit: int, archived: bool = False
    ) -> list[SearchHit]:
        p = Patient
        query = select(p.name_key, *_LIST_COLUMNS).where(
            p.date_of_birth == birth_date, p.is_archived.is_(archived)
        )
        if after is not None:
            query = query.where(tuple_(p.name_key, p.id) > tuple_(after[2], after[3]))
        query = query.order_by(p.name_key, p.id).limit(limit)
        return [SearchHit(("", 0, r[0], r[1]), *r[1:]) for r in self._session.execute(query)]

    def browse(
        self, *, after: Cursor | None, limit: int, archived: bool = False
    ) -> list[SearchHit]:
        """Every patient alphabetically (the list before anything is typed)."""
        p = Patient
        query = select(p.name_key, *_LIST_COLUMNS).where(p.is_archived.is_(archived))
        if after is not None:
            query = query.where(
                tuple_(p.name_key, p.date_of_birth, p.id)
                > tuple_(after[2], date.fromisoformat(after[0]), after[3])
            )
        query = query.order_by(p.name_key, p.date_of_birth, p.id).limit(limit)
        return [
            SearchHit((r[5].isoformat(), 0, r[0], r[1]), *r[1:])
            for r in self._session.execute(query)
        ]

    def count(self, *, archived: bool = False) -> int:
        return int(
            self._session.scalar(
                select(func.count()).select_from(Patient).where(Patient.is_archived.is_(archived))
            )
            or 0
        )

    # --- duplicates -----------------------------------------------------------------

    def likely_duplicates(
        self,
        *,
        name_key: str,
        date_of_birth: date,
        phone_digits: str,
        phone_e164: str,
        excluding: int | None,
    ) -> list[Patient]:
        """The same name and birth date, or the same phone: the same number in E.164
        however it was written, or the same digits for a number that could not be read."""
        condition = and_(Patient.name_key == name_key, Patient.date_of_birth == date_of_birth)
        if phone_digits:
            condition = condition | (Patient.phone_digits == phone_digits)
        if phone_e164:
            condition = condition | (Patient.phone_e164 == phone_e164)
        query = select(Patient).where(condition)
        if excluding is not None:
            query = query.where(Patient.id != excluding)
        return list(self._session.scalars(query.order_by(Patient.id).limit(10)))

    # --- history ----------------------------------------------------------------------

    def revisions(self, patient_id: int) -> list[PatientRevision]:
        return list(
            self._session.scalars(
                select(PatientRevision)
                .where(PatientRevision.patient_id == patient_id)
                .order_by(PatientRevision.version)
            )
        )

    def intakes(self, patient_id: int) -> list[IntakeRecord]:
        return list(
            self._session.scalars(
                select(IntakeRecord)
                .where(IntakeRecord.patient_id == patient_id)
                .order_by(IntakeRecord.sequence)
            )
        )

    def latest_intake(self, patient_id: int) -> IntakeRecord | None:
        return self._session.scalars(
            select(IntakeRecord)
            .where(IntakeRecord.patient_id == patient_id)
            .order_by(IntakeRecord.sequence.desc())
            .limit(1)
        ).first()

    def clearances(self, patient_id: int) -> list[ScreeningClearance]:
        return list(
            self._session.scalars(
                select(ScreeningClearance)
                .where(ScreeningClearance.patient_id == patient_id)
                .order_by(ScreeningClearance.id)
            )
        )

    def revocations(self, patient_id: int) -> list[ScreeningClearanceRevocation]:
        return list(
            self._session.scalars(
                select(ScreeningClearanceRevocation)
                .where(ScreeningClearanceRevocation.patient_id == patient_id)
                .order_by(ScreeningClearanceRevocation.id)
            )
        )

    # --- many patients at once (the Today list screens a whole day's patients) -----------

    def dates_of_birth(self, patient_ids: Sequence[int]) -> dict[int, date]:
        found: dict[int, date] = {}
        for chunk in _chunks(patient_ids):
            for patient_id, born in self._session.execute(
                select(Patient.id, Patient.date_of_birth).where(Patient.id.in_(chunk))
            ):
                found[int(patient_id)] = born
        return found

    def latest_intakes(self, patient_ids: Sequence[int]) -> dict[int, IntakeRecord]:
        """Each patient's newest medical history (highest sequence), if any."""
        found: dict[int, IntakeRecord] = {}
        for chunk in _chunks(patient_ids):
            newest = (
                select(IntakeRecord.patient_id, func.max(IntakeRecord.sequence).label("sequence"))
                .where(IntakeRecord.patient_id.in_(chunk))
                .group_by(IntakeRecord.patient_id)
                .subquery()
            )
            for row in self._session.scalars(
                select(IntakeRecord).join(
                    newest,
                    and_(
                        IntakeRecord.patient_id == newest.c.patient_id,
                        IntakeRecord.sequence == newest.c.sequence,
                    ),
                )
            ):
                found[row.patient_id] = row
        return found

    def clearances_of(self, patient_ids: Sequence[int]) -> list[ScreeningClearance]:
        """The clearances of these patients, by id (each patient's in `clearances` order)."""
        found: list[ScreeningClearance] = []
        for chunk in _chunks(patient_ids):
            found.extend(self._session.scalars(
                select(ScreeningClearance)
                .where(ScreeningClearance.patient_id.in_(chunk))
                .order_by(ScreeningClearance.id)
            ))
        return sorted(found, key=lambda c: c.id)

    def revocations_of(self, patient_ids: Sequence[int]) -> list[ScreeningClearanceRevocation]:
        found: list[ScreeningClearanceRevocation] = []
        for chunk in _chunks(patient_ids):
            found.extend(self._session.scalars(
                select(ScreeningClearanceRevocation)
                .where(ScreeningClearanceRevocation.patient_id.in_(chunk))
                .order_by(ScreeningClearanceRevocation.id)
            ))
        return found

    def history_refs(self, first_id: int, last_id: int) -> list[tuple[str, int]]:
        """(record type, id) of every revision and intake of patients first_id..last_id
        (what a bulk load wrote, for its audit entry to vouch for)."""
        refs: list[tuple[str, int]] = []
        for model in (PatientRevision, IntakeRecord):
            ids = self._session.scalars(
                select(model.id).where(model.patient_id.between(first_id, last_id))
            )
            refs.extend((model.__tablename__, int(i)) for i in ids)
        return refs

    def add_record(self, record: object) -> None:
        self._session.add(record)
        self._session.flush()


def _chunks(ids: Sequence[int], size: int = 500) -> list[list[int]]:
    """Sorted, distinct ids in slices an IN list of any engine takes."""
    ordered = sorted(set(ids))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]
