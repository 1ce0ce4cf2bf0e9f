"""This workstation as a witness of the audit chain (see storage/witness.py for why).

Every start, every `audit verify` and every write this workstation commits checks that
the log still holds the head this workstation saw last, then remembers the new head. A
disagreement becomes a dispute kept in the witness file: reported at every start and by
every `audit verify` here, recorded once in the audit log itself, until an administrator
runs `clinic-desk audit acknowledge`. The clinic is never locked out of its data by it.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.context import Clock
from clinic_desk.storage.audit_log import AuditEvent, utc_stamp
from clinic_desk.storage.unit_of_work import UnitOfWorkFactory
from clinic_desk.storage.witness import (
    Anchor,
    ChainHead,
    Witness,
    WitnessBook,
    check_entry,
    read_state,
)


def readable(stamp: str) -> str:
    """"2026-11-30T10:54:23.635369Z" as "2026-11-30 10:54 UTC"."""
    if len(stamp) < 16:
        return stamp or "an earlier day"
    return f"{stamp[:10]} {stamp[11:16]} UTC"


@dataclass(frozen=True, slots=True)
class WitnessReport:
    """What this workstation's witness says about the database now."""

    head: ChainHead | None
    disputes: tuple[str, ...]
    new_disputes: tuple[str, ...] = ()
    first_sight: bool = False

    @property
    def ok(self) -> bool:
        return not self.disputes


class ChainWitness:
    def __init__(
        self, units: UnitOfWorkFactory, book: WitnessBook, database: str, clock: Clock
    ) -> None:
        self._units = units
        self._book = book
        self._database = database
        self._clock = clock
        self._lock = threading.Lock()

    def observe(self, *, remember: bool = True, quiet: bool = False) -> WitnessReport:
        """Compare the database with what this workstation saw last; remember the current
        head (unless `remember` is False); keep any disagreement as a dispute."""
        with self._lock, self._units() as uow:
            conn = uow.session.connection()
            state = read_state(conn)
            if state.database_id is None or state.head is None:
                return WitnessReport(state.head, ())
            witness = self._book.load(state.database_id, self._database)
            first = witness is None
            if witness is None:
                witness = Witness(state.database_id, self._database)
            # (what a person reads, what the audit log keeps: ids and hashes only)
            found: list[tuple[str, str]] = []
            if first:
                for other in self._book.others_for(self._database, state.database_id):
                    seq = other.head.seq if other.head else 0
                    found.append((
                        f"{self._database} is not the database this workstation knew there "
                        f"(identity {other.database_id[:8]}…, last seen at entry {seq} on "
                        f"{readable(other.seen_at_utc)}, now {state.database_id[:8]}…):"
                        " it was replaced",
                        f"database identity {other.database_id} replaced by "
                        f"{state.database_id}; entry {seq} was last seen",
                    ))
            if witness.head is not None:
                problem = check_entry(
                    conn,
                    witness.head,
                    seen=f"this workstation saw as the newest on {readable(witness.seen_at_utc)}",
                )
                if problem:
                    found.append((
                        problem,
                        f"witnessed entry {witness.head.seq} "
                        f"({witness.head.entry_hash}) no longer holds",
                    ))
            if state.head_problem:
                found.append((
                    state.head_problem,
                    f"head row names entry {state.head.seq} ({state.head.entry_hash}), "
                    "which does not hold",
                ))
        now = utc_stamp(self._clock())
        for problem, detail in found:
            witness.disputes.append(
                {
                    "found_at_utc": now,
                    "problem": problem,
                    "detail": detail,
                    "recorded_in_log": False,
                }
            )
        if remember or found:
            if not state.head_problem:
                witness.head = state.head
                witness.seen_at_utc = now
            with self._lock:
                self._book.save(witness, durable=bool(found) or not quiet)
        return WitnessReport(
            head=state.head,
            disputes=tuple(d["problem"] for d in witness.disputes),
            new_disputes=tuple(problem for problem, _ in found),
            first_sight=first,
        )

    def record_disputes(self) -> int:
        """Write each dispute not yet in the audit log as an entry of its own (ids only:
        the entry numbers concerned). Returns how many were recorded."""
        with self._units() as uow:
            state = read_state(uow.session.connection())
        if state.database_id is None:
            return 0
        witness = self._book.load(state.database_id, self._database)
        if witness is None:
            return 0
        pending = [d for d in witness.disputes if not d.get("recorded_in_log")]
        if not pending:
            return 0
        with self._units(write=True) as uow:
            for dispute in pending:
                uow.audit.append(
                    AuditEvent(
                        "audit.witness_disagreed",
                        "audit_entry",
                        outcome="failed",
                        detail=str(dispute.get("detail", ""))[:500],
                    ),
                    at=self._clock(),
                )
            uow.commit()
        for dispute in pending:
            dispute["recorded_in_log"] = True
        with self._lock:
            self._book.save(witness)
        # The entries just written are this workstation's own: remember them as seen.
        self.observe()
        return len(pending)

    def acknowledge(self) -> int:
        """An administrator has looked into the disputes: clear them here, and say so in
        the audit log. Returns how many were cleared."""
        with self._units() as uow:
            state = read_state(uow.session.connection())
        if state.database_id is None:
            return 0
        witness = self._book.load(state.database_id, self._database)
        if witness is None or not witness.disputes:
            return 0
        count = len(witness.disputes)
        with self._units(write=True) as uow:
            uow.audit.append(
                AuditEvent(
                    "audit.witness_acknowledged",
                    "audit_entry",
                    detail=f"{count} disagreements acknowledged on this workstation",
                ),
                at=self._clock(),
            )
            uow.commit()
        witness.disputes.clear()
        with self._lock:
            self._book.save(witness)
        self.observe()
        return count

    def reset_after_restore(self) -> None:
        """After this workstation restored a backup on purpose: the older head it now
        holds is expected; remember it without a dispute."""
        with self._units() as uow:
            state = read_state(uow.session.connection())
        if state.database_id is None:
            return
        witness = self._book.load(state.database_id, self._database) or Witness(
            state.database_id, self._database
        )
        witness.head = state.head
        witness.seen_at_utc = utc_stamp(self._clock())
        with self._lock:
            self._book.save(witness)

    def advance_quietly(self) -> None:
        """After a commit of this workstation: move the witness on (errors never reach
        the caller; the next start or verify reports what this could not)."""
        with contextlib.suppress(ClinicDeskError, OSError, SQLAlchemyError):
            self.observe(quiet=True)

    def anchor(self, clinic: str) -> Anchor:
        with self._units() as uow:
            state = read_state(uow.session.connection())
        if state.database_id is None or state.head is None:
            raise ClinicDeskError("This database has no audit log to anchor yet.")
        if state.head_problem:
            raise ClinicDeskError(f"Not anchoring a log that does not hold: {state.head_problem}.")
        return Anchor(
            database_id=state.database_id,
            clinic=clinic,
            database=self._database,
            head=state.head,
            anchored_at_utc=utc_stamp(self._clock()),
        )

    def check_anchor(self, anchor: Anchor) -> str | None:
        return check_anchor(self._units, anchor)


def check_anchor(units: UnitOfWorkFactory, anchor: Anchor) -> str | None:
    """None if the database is the anchor's and still holds its entry unchanged."""
    with units() as uow:
        conn = uow.session.connection()
        state = read_state(conn)
        if state.database_id != anchor.database_id:
            return (
                f"the anchor was made for another database (identity "
                f"{anchor.database_id[:8]}…, this one is {(state.database_id or 'none')[:8]}…)"
            )
        return check_entry(
            conn, anchor.head, seen=f"the anchor made on {readable(anchor.anchored_at_utc)} holds"
        )
