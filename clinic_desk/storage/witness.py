"""Witnesses of the audit chain kept outside the database: this workstation's memory of
the last head it saw, and anchor files kept elsewhere.

Whoever controls the database can cut entries off the end of the log or rewrite it
from any point and recompute every hash after it; the chain alone cannot tell. A head
remembered outside the database can: the log must still hold that entry, unchanged. So
every workstation remembers the newest head it saw (per database), every start and
every `audit verify` checks it, and an anchor file (`audit anchor -o FILE`) does the
same from wherever the clinic keeps it (a USB stick, an e-mail to the owner, a backup).

A disagreement is never forgotten quietly: it is kept in the witness file as a dispute,
reported by every start and every `audit verify` on this workstation until an
administrator has looked into it and runs `clinic-desk audit acknowledge`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text

from clinic_desk.domain.audit_chain import entry_hash
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.storage.audit_log import stored_entry
from clinic_desk.storage.models import AuditEntry, AuditHead
from clinic_desk.storage.private_files import private_folder, write_private

WITNESS_FORMAT = "clinic-desk-witness/1"
ANCHOR_FORMAT = "clinic-desk-audit-anchor/1"


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int
    entry_hash: str
    occurred_at_utc: str = ""


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """What a witness compares: the database's identity and its current head."""

    database_id: str | None
    head: ChainHead | None
    head_problem: str | None


def read_state(conn: Connection) -> DatabaseState:
    """The identity and head of the database on `conn` (read only; schema 0005 or later)."""
    database_id = conn.execute(
        text("SELECT database_id FROM database_identity WHERE id = 1")
    ).scalar()
    last_seq, last_hash = conn.execute(
        select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one()
    if last_seq == 0:
        return DatabaseState(database_id, ChainHead(0, last_hash), None)
    head = ChainHead(last_seq, last_hash)
    problem = check_entry(conn, head, seen="the log's head row names")
    row = conn.execute(select(AuditEntry.occurred_at_utc).where(AuditEntry.seq == last_seq))
    occurred = row.scalar() or ""
    return DatabaseState(database_id, ChainHead(last_seq, last_hash, occurred), problem)


def check_entry(conn: Connection, head: ChainHead, *, seen: str) -> str | None:
    """None if the log still holds entry `head.seq` with `head.entry_hash`, unchanged;
    else a sentence saying what is wrong. `seen` says who saw it ("this workstation saw
    on …")."""
    if head.seq == 0:
        return None
    row = conn.execute(
        select(*AuditEntry.__table__.c).where(AuditEntry.seq == head.seq)
    ).first()
    if row is None:
        last = conn.execute(select(AuditHead.last_seq).where(AuditHead.id == 1)).scalar()
        return (
            f"the audit log no longer holds entry {head.seq}, which {seen}; it now ends at "
            f"entry {last}: entries were removed or the database was replaced by an older copy"
        )
    if row.entry_hash != head.entry_hash:
        return (
            f"audit entry {head.seq} is not the one {seen} (hash {head.entry_hash[:12]}…, "
            f"now {row.entry_hash[:12]}…): the log was rewritten from that point or earlier"
        )
    stored = stored_entry(row)
    if entry_hash(stored.fields) != stored.entry_hash:
        return f"audit entry {head.seq}, which {seen}, was altered since"
    return None


# --- this workstation's witness ---------------------------------------------------


@dataclass
class Witness:
    database_id: str
    database: str
    head: ChainHead | None = None
    seen_at_utc: str = ""
    disputes: list[dict[str, Any]] = field(default_factory=list)


class WitnessBook:
    """The witness files of one workstation, one per database, in its data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "witnesses"

    def _path(self, database_id: str, database: str) -> Path:
        key = hashlib.sha256(f"{database_id}\n{database}".encode()).hexdigest()[:32]
        return self.folder / f"{key}.json"

    def load(self, database_id: str, database: str) -> Witness | None:
        path = self._path(database_id, database)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ClinicDeskError(f"The witness file {path} cannot be read ({exc}).") from None
        head = raw.get("head")
        return Witness(
            database_id=raw["database_id"],
            database=raw["database"],
            head=ChainHead(**head) if head else None,
            seen_at_utc=raw.get("seen_at_utc", ""),
            disputes=list(raw.get("disputes", [])),
        )

    def save(self, witness: Witness, *, durable: bool = True) -> Path:
        private_folder(self.folder)
        path = self._path(witness.database_id, witness.database)
        data = {"format": WITNESS_FORMAT, **asdict(witness)}
        text_ = json.dumps(data, ensure_ascii=False, indent=1)
        write_private(path, text_.encode("utf-8"), durable=durable)
        return path

    def others_for(self, database: str, database_id: str) -> list[Witness]:
        """Witnesses of the same address that knew a database with another identity."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if raw.get("database") == database and raw.get("database_id") != database_id:
                head = raw.get("head")
                found.append(
                    Witness(
                        raw["database_id"],
                        database,
                        ChainHead(**head) if head else None,
                        raw.get("seen_at_utc", ""),
                    )
                )
        return found


# --- anchors ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anchor:
    database_id: str
    clinic: str
    database: str
    head: ChainHead
    anchored_at_utc: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": ANCHOR_FORMAT,
                "database_id": self.database_id,
                "clinic": self.clinic,
                "database": self.database,
                "seq": self.head.seq,
                "entry_hash": self.head.entry_hash,
                "entry_time_utc": self.head.occurred_at_utc,
                "anchored_at_utc": self.anchored_at_utc,
            },
            ensure_ascii=False,
            indent=1,
        )


def write_anchor(path: Path, anchor: Anchor) -> None:
    write_private(path, (anchor.to_json() + "\n").encode("utf-8"))


def read_anchor(path: Path) -> Anchor:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != ANCHOR_FORMAT:
            raise ValueError("not a Clinic Desk audit anchor")
        return Anchor(
            database_id=str(raw["database_id"]),
            clinic=str(raw.get("clinic", "")),
            database=str(raw.get("database", "")),
            head=ChainHead(int(raw["seq"]), str(raw["entry_hash"]), str(raw["entry_time_utc"])),
            anchored_at_utc=str(raw["anchored_at_utc"]),
        )
    except FileNotFoundError:
        raise ClinicDeskError(f"There is no anchor file at {path}.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClinicDeskError(f"{path} is not a Clinic Desk audit anchor ({exc}).") from None
