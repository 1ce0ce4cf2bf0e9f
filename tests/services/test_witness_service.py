"""This workstation's witness of the audit chain, driven directly on both engines: what it
says word for word when the log was cut behind its back, the entries it writes when it
records and when an administrator acknowledges, anchors refused or checked, and the
witness moved on quietly or on purpose after a restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_desk.app import ClinicDesk
from clinic_desk.domain.audit_chain import entry_hash
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services.witnessing import check_anchor
from clinic_desk.storage.witness import Anchor, ChainHead
from tests.conftest import open_core
from tests.helpers.clinic import FakeClock, clinic_with_history
from tests.helpers.tamper import cut_tail, entries, rewrite_from, without_guards
from tests.services.audit_fields import Entry
from tests.services.audit_fields import entries as audit_entries

SEEN = "2026-11-22 09:00 UTC"  # the fake clock's time


def _head(core: ClinicDesk) -> ChainHead:
    head = core.witness.observe().head
    assert head is not None
    return head


def _cut_two(core: ClinicDesk, url: str) -> tuple[ChainHead, ChainHead]:
    """The last two entries (two sign-ins) deleted and the head rewound, behind the app's
    back; returns the head the witness saw and the one the log now has."""
    seen = _head(core)
    with without_guards(url) as conn:
        cut_tail(conn, seen.seq - 2)
        kept = entries(conn)[-1]
    return seen, ChainHead(kept.seq, "")


@pytest.fixture
def desk(core: ClinicDesk) -> ClinicDesk:
    clinic_with_history(core)
    return core


def test_the_witness_follows_the_log_while_it_holds(desk: ClinicDesk) -> None:
    report = desk.witness.observe()
    assert report.ok and report.disputes == () and report.new_disputes == ()
    assert report.first_sight is False  # it saw the log at start and after every commit
    assert report.head is not None and report.head.seq == len(audit_entries(desk))


def test_a_witness_that_never_saw_this_database_says_it_is_the_first_sight(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    for path in (tmp_path / "witnesses").glob("*.json"):
        path.unlink()
    first = desk.witness.observe()
    assert first.first_sight is True and first.ok
    assert desk.witness.observe().first_sight is False


def test_a_cut_tail_is_named_word_for_word_and_kept(desk: ClinicDesk, database_url: str) -> None:
    seen, now = _cut_two(desk, database_url)
    problem = (
        f"the audit log no longer holds entry {seen.seq}, which this workstation saw as the "
        f"newest on {SEEN}; it now ends at entry {now.seq}: entries were removed or the "
        "database was replaced by an older copy"
    )
    report = desk.witness.observe(remember=False)
    assert report.new_disputes == (problem,) and report.disputes == (problem,)
    assert not report.ok
    assert report.head is not None and report.head.seq == now.seq
    again = desk.witness.observe()
    assert again.new_disputes == () and again.disputes == (problem,)


def test_disputes_are_written_into_the_log_once(desk: ClinicDesk, database_url: str) -> None:
    seen, _ = _cut_two(desk, database_url)
    desk.witness.observe()
    before = len(audit_entries(desk))
    assert desk.witness.record_disputes() == 1
    assert audit_entries(desk)[before:] == [
        Entry("audit.witness_disagreed", "audit_entry", None, None, None, "failed",
              f"witnessed entry {seen.seq} ({seen.entry_hash}) no longer holds"),
    ]
    assert desk.witness.record_disputes() == 0
    assert len(audit_entries(desk)) == before + 1
    assert desk.witness.observe().new_disputes == ()  # its own entry is no dispute


def test_acknowledging_clears_the_disputes_and_says_so_in_the_log(
    desk: ClinicDesk, database_url: str
) -> None:
    _cut_two(desk, database_url)
    desk.witness.observe()
    assert desk.witness.acknowledge() == 1
    assert audit_entries(desk)[-1] == Entry(
        "audit.witness_acknowledged", "audit_entry", None, None, None, "success",
        "1 disagreements acknowledged on this workstation")
    report = desk.witness.observe()
    assert report.ok and report.disputes == ()
    count = len(audit_entries(desk))
    assert desk.witness.acknowledge() == 0 and desk.witness.record_disputes() == 0
    assert len(audit_entries(desk)) == count


def test_nothing_to_record_or_acknowledge_writes_nothing(desk: ClinicDesk) -> None:
    count = len(audit_entries(desk))
    assert desk.witness.record_disputes() == 0
    assert desk.witness.acknowledge() == 0
    assert len(audit_entries(desk)) == count


def test_a_restore_on_purpose_moves_the_witness_without_a_dispute(
    desk: ClinicDesk, database_url: str
) -> None:
    _, now = _cut_two(desk, database_url)
    desk.witness.reset_after_restore()
    report = desk.witness.observe()
    assert report.ok and report.new_disputes == ()
    assert report.head is not None and report.head.seq == now.seq


def test_a_rewritten_entry_the_witness_saw_is_named(desk: ClinicDesk, database_url: str) -> None:
    seen = _head(desk)
    with without_guards(database_url) as conn:
        rewrite_from(conn, seen.seq, detail="changed")
        rewritten = entries(conn)[-1]
    problem = (
        f"audit entry {seen.seq} is not the one this workstation saw as the newest on {SEEN} "
        f"(hash {seen.entry_hash[:12]}…, now {entry_hash(rewritten)[:12]}…): the log was "
        "rewritten from that point or earlier"
    )
    assert desk.witness.observe().new_disputes == (problem,)


def test_an_anchor_holds_until_its_entry_is_cut(desk: ClinicDesk, database_url: str) -> None:
    anchor = desk.witness.anchor("Klinika Łódź")
    assert (anchor.clinic, anchor.head) == ("Klinika Łódź", _head(desk))
    assert anchor.anchored_at_utc.startswith("2026-11-22T09:00:00")
    assert desk.witness.check_anchor(anchor) is None
    _, now = _cut_two(desk, database_url)
    assert desk.witness.check_anchor(anchor) == (
        f"the audit log no longer holds entry {anchor.head.seq}, which the anchor made on "
        f"{SEEN} holds; it now ends at entry {now.seq}: entries were removed or the "
        "database was replaced by an older copy"
    )


def test_an_anchor_of_another_database_is_named_by_both_identities(desk: ClinicDesk) -> None:
    anchor = desk.witness.anchor("Klinika")
    foreign = Anchor("0123456789abcdef", "Klinika", anchor.database, anchor.head,
                     anchor.anchored_at_utc)
    assert check_anchor(desk.units, foreign) == (
        f"the anchor was made for another database (identity 01234567…, this one is "
        f"{anchor.database_id[:8]}…)"
    )


def test_an_empty_log_is_anchored_at_entry_zero(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    core = open_core(database_url, tmp_path, clock)
    try:
        anchor = core.witness.anchor("Klinika")
        assert anchor.head.seq == 0 and core.witness.check_anchor(anchor) is None
        assert core.witness.observe().disputes == ()
    finally:
        core.close()


def test_a_witness_file_that_cannot_be_read_stops_a_check_but_never_a_commit(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    (witness_file,) = (tmp_path / "witnesses").glob("*.json")
    witness_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ClinicDeskError, match="cannot be read"):
        desk.witness.observe()
    desk.witness.advance_quietly()  # after a commit: no error reaches the caller


def test_a_database_replaced_at_the_same_address_is_named(
    sqlite_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    first = open_core(sqlite_url, tmp_path, clock)
    clinic_with_history(first)
    old = first.witness.anchor("Klinika")
    first.close()
    Path(sqlite_url.removeprefix("sqlite:///")).unlink()
    (tmp_path / "witnesses" / "stray.json").write_text("{not json", encoding="utf-8")
    second = open_core(sqlite_url, tmp_path, clock)  # a new, empty database there
    try:
        report = second.witness.observe()
        assert report.head is not None and report.head.seq > 0  # the dispute's entry
        new_id = read_identity(second)
        problem = (
            f"{old.database} is not the database this workstation knew there (identity "
            f"{old.database_id[:8]}…, last seen at entry {old.head.seq} on {SEEN}, now "
            f"{new_id[:8]}…): it was replaced"
        )
        assert report.disputes == (problem,)
        assert any(problem in w for w in second.start_warnings)
        assert [e.detail for e in audit_entries(second)] == [
            f"database identity {old.database_id} replaced by {new_id}; entry "
            f"{old.head.seq} was last seen"
        ]
    finally:
        second.close()


def read_identity(core: ClinicDesk) -> str:
    with core.engine.connect() as conn:
        return str(conn.execute(text("SELECT database_id FROM database_identity")).scalar_one())


def test_a_restore_on_a_workstation_that_never_saw_the_database_starts_its_witness(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    for path in (tmp_path / "witnesses").glob("*.json"):
        path.unlink()
    desk.witness.reset_after_restore()
    report = desk.witness.observe()
    assert report.ok and report.first_sight is False


def test_a_dispute_kept_without_its_detail_is_recorded_with_an_empty_one(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    (witness_file,) = (tmp_path / "witnesses").glob("*.json")
    kept = json.loads(witness_file.read_text(encoding="utf-8"))
    kept["disputes"].append({"found_at_utc": "", "problem": "older", "recorded_in_log": False})
    witness_file.write_text(json.dumps(kept), encoding="utf-8")
    assert desk.witness.record_disputes() == 1
    last = audit_entries(desk)[-1]
    assert (last.action, last.detail) == ("audit.witness_disagreed", "")


def test_a_replaced_database_whose_witness_never_saw_an_entry_names_entry_zero(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    address = desk.witness.anchor("Klinika").database
    for path in (tmp_path / "witnesses").glob("*.json"):
        path.unlink()
    (tmp_path / "witnesses" / "older.json").write_text(json.dumps({
        "database_id": "feedface00000000", "database": address, "head": None,
        "seen_at_utc": "", "disputes": [],
    }), encoding="utf-8")
    new_id = read_identity(desk)
    assert desk.witness.observe().new_disputes == (
        f"{address} is not the database this workstation knew there (identity feedface…, "
        f"last seen at entry 0 on an earlier day, now {new_id[:8]}…): it was replaced",
    )


def test_a_witness_that_cannot_be_saved_never_fails_a_commit(
    desk: ClinicDesk, tmp_path: Path
) -> None:
    folder = tmp_path / "witnesses"
    for path in folder.glob("*.json"):
        path.unlink()
    folder.rmdir()
    folder.write_bytes(b"")  # a file where the witness folder should be
    clinic = desk.auth.sign_in("reception", "staff-password-1")  # commits, then witnesses
    assert clinic.username == "reception"
