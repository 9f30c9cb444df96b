"""Each schema migration, run from the previous schema with realistic data in it:
the data comes through intact and readable, 0002 journals records that existed
before the outbox, a newer database is refused untouched, and reopening applies
nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.domain.models import NoteState
from peerdesk.errors import SchemaTooNew
from peerdesk.ids import new_id, to_iso
from peerdesk.services import DB_FILE
from peerdesk.store import migrations
from peerdesk.store.audit import AuditLog
from peerdesk.store.base import Repository
from peerdesk.store.db import open_database
from peerdesk.store.outbox import PRIORITY_SPAN

NAMES = migrations.known_names()


def test_migrations_are_the_known_numbered_set():
    assert NAMES == [
        "0001_core",
        "0002_outbox",
        "0003_trips",
        "0004_immutable_records",
        "0005_notes_paging_indexes",
        "0006_sync",
        "0007_directory",
        "0008_review",
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]


@dataclass
class OldData:
    """What was written under the old schema, to compare after migrating."""

    participants: dict[str, tuple[str, dict]] = field(default_factory=dict)
    notes: dict[str, dict] = field(default_factory=dict)
    addenda: dict[str, tuple[str, str]] = field(default_factory=dict)
    outbox: list[tuple[str, str, str]] = field(default_factory=list)
    trips: dict[str, dict] = field(default_factory=dict)
    audit_rows: int = 0


T0 = datetime(2024, 3, 4, 15, 30, tzinfo=UTC)


def iso(minutes: int) -> str:
    return to_iso(T0 + timedelta(minutes=minutes))


def seed_old_schema(db, vault, applied: list[str]) -> OldData:
    """Insert rows the way the PeerDesk version with ``applied`` migrations did."""
    seal = Repository(db, vault).seal
    audit = AuditLog(db, vault)
    data = OldData()
    has_outbox = "0002_outbox" in applied

    def journal(entity: str, entity_id: str, op: str, at: str) -> None:
        if has_outbox:
            db.conn.execute(
                "INSERT INTO outbox (op_id, entity, entity_id, op, created_at) VALUES (?, ?, ?, ?, ?)",
                (new_id(), entity, entity_id, op, at),
            )
            data.outbox.append((entity, entity_id, op))

    with db.atomic():
        audit.append("profile_created", at=iso(0), kdf_iterations=3)
        people = [
            (
                "Harper Old-Schema",
                {
                    "dob": "1969-08-15",
                    "phone": "555 0142",
                    "medicaid_id": "OH-1234",
                    "details": "veteran",
                },
                1,
            ),
            (
                "Inactive Ingrid",
                {"dob": None, "phone": None, "medicaid_id": None, "details": ""},
                0,
            ),
        ]
        for i, (name, profile, active) in enumerate(people):
            pid = new_id()
            db.conn.execute(
                "INSERT INTO participants (id, created_at, updated_at, active, display_name, profile)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    iso(i),
                    iso(i),
                    active,
                    seal(pid, "display_name", name, "participants"),
                    seal(pid, "profile", profile, "participants"),
                ),
            )
            data.participants[pid] = (name, profile)
            journal("participant", pid, "upsert", iso(i))
        harper = next(iter(data.participants))

        specs = [
            (
                "girp",
                "signed",
                {
                    "goal": "housing",
                    "intervention": "called landlord",
                    "response": "relieved",
                    "plan": "visit Tue",
                },
            ),
            (
                "soap",
                "approved",
                {
                    "subjective": "tired",
                    "objective": "on time",
                    "assessment": "steady",
                    "plan": "group",
                },
            ),
            ("free", "draft", {"text": "half-written thought"}),
        ]
        for i, (template, state, body) in enumerate(specs):
            nid = new_id()
            start, end = iso(60 * (i + 1)), iso(60 * (i + 1) + 45)
            signed_at = None if state == "draft" else iso(60 * (i + 1) + 50)
            db.conn.execute(
                "INSERT INTO notes (id, participant_id, template, contact_type, location_type,"
                " start_at, end_at, state, created_at, updated_at, signed_at, body, goals)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    nid,
                    harper,
                    template,
                    "in_person",
                    "home",
                    start,
                    end,
                    state,
                    start,
                    end,
                    signed_at,
                    seal(nid, "body", body, "notes"),
                    seal(nid, "goals", [f"goal of {template}"], "notes"),
                ),
            )
            data.notes[nid] = {
                "template": template,
                "state": state,
                "body": body,
                "goals": (f"goal of {template}",),
                "signed_at": signed_at,
            }
            if signed_at:
                journal("note", nid, "sign", signed_at)
                audit.append("note_signed", at=signed_at, note_id=nid)
        first_signed = next(n for n, v in data.notes.items() if v["state"] == "signed")
        aid = new_id()
        db.conn.execute(
            "INSERT INTO addenda (id, note_id, created_at, text) VALUES (?, ?, ?, ?)",
            (
                aid,
                first_signed,
                iso(500),
                seal(aid, "text", "Correction: visit is Wednesday.", "addenda"),
            ),
        )
        data.addenda[aid] = (first_signed, "Correction: visit is Wednesday.")
        journal("addendum", aid, "add", iso(500))
        audit.append("addendum_added", at=iso(500), note_id=first_signed, addendum_id=aid)

        if "0003_trips" in applied:
            tid = new_id()
            db.conn.execute(
                "INSERT INTO trips (id, trip_date, purpose, destination_type, with_participant,"
                " participant_id, odometer_start, odometer_end, miles, created_at, destination, notes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tid,
                    "2024-03-04",
                    "medical",
                    "clinic",
                    1,
                    harper,
                    "1200.5",
                    "1221.0",
                    None,
                    iso(600),
                    seal(tid, "destination", "County clinic", "trips"),
                    seal(tid, "notes", "", "trips"),
                ),
            )
            data.trips[tid] = {"destination": "County clinic", "odometer_end": "1221.0"}
            journal("trip", tid, "add", iso(600))
    data.audit_rows = audit.verify()
    return data


def roll_back_schema(session, last_applied: str):
    """Replace the profile's database with one at an older schema, seeded with data
    sealed by the profile's own (still unlocked) vault."""
    session._db.close()
    # A profile from that older version has no recorded audit head yet.
    session._vault._header.pop("audit_head", None)
    session._vault._save()
    for suffix in ("", "-wal", "-shm"):
        Path(str(session.path / DB_FILE) + suffix).unlink(missing_ok=True)
    db = open_database(session.path / DB_FILE)
    index = NAMES.index(last_applied)
    stop = NAMES[index + 1] if index + 1 < len(NAMES) else None
    migrations.migrations.apply(db, stop_before=stop)
    applied = [m.name for m in migrations.migrations.applied(db)]
    assert applied == NAMES[: index + 1]
    data = seed_old_schema(db, session._vault, applied)
    db.close()
    return data, NAMES[index + 1 :]


@pytest.mark.parametrize("last_applied", NAMES)
def test_old_data_survives_the_remaining_migrations(session, reopen, last_applied):
    old, remaining = roll_back_schema(session, last_applied)

    s2 = reopen(session)

    assert s2._applied_now == remaining
    assert [m.name for m in migrations.migrations.applied(s2._db)] == NAMES
    for pid, (name, profile) in old.participants.items():
        p = s2.participants.get(pid)
        assert p.display_name == name
        assert p.phone == profile["phone"]
        assert p.medicaid_id == profile["medicaid_id"]
        assert p.details == profile["details"]
        assert p.date_of_birth == (date.fromisoformat(profile["dob"]) if profile["dob"] else None)
    assert len(s2.participants.list(include_inactive=True).items) == 2
    notes = s2.notes.list(with_addenda=True)
    assert notes.damaged == []
    assert {n.id for n in notes.items} == set(old.notes)
    for note in notes.items:
        want = old.notes[note.id]
        assert note.template.value == want["template"]
        assert note.state.value == want["state"]
        assert note.body == want["body"]
        assert note.goals == want["goals"]
        assert (to_iso(note.signed_at) if note.signed_at else None) == want["signed_at"]
    for aid, (note_id, text) in old.addenda.items():
        assert [(a.id, a.text) for a in s2.notes.get(note_id).addenda] == [(aid, text)]
    trips = s2.trips.list()
    assert trips.damaged == []
    assert {t.id: t.destination for t in trips.items} == {
        tid: t["destination"] for tid, t in old.trips.items()
    }
    # the audit chain written under the old schema still verifies (+ this unlock)
    assert s2._audit.verify() == old.audit_rows + 1
    assert s2.maintenance.doctor().ok


def test_outbox_migration_journals_records_that_existed_before(session, reopen):
    old, remaining = roll_back_schema(session, "0001_core")
    assert old.outbox == []  # no journal existed under 0001

    s2 = reopen(session)
    assert remaining == NAMES[1:]

    journal = {(e.entity, e.entity_id, e.op): e for e in s2._outbox.pending()}
    signed = {nid for nid, n in old.notes.items() if n["state"] != "draft"}
    drafts = set(old.notes) - signed
    expected = (
        {("participant", pid, "upsert") for pid in old.participants}
        | {("note", nid, "sign") for nid in signed}
        | {("addendum", aid, "add") for aid in old.addenda}
    )
    assert set(journal) == expected
    assert not any(e.entity_id in drafts for e in journal.values())
    for nid in signed:
        assert journal[("note", nid, "sign")].created_at == old.notes[nid]["signed_at"]
    assert len({e.op_id for e in journal.values()}) == len(journal)
    assert s2._outbox.counts().pending == len(expected)


def test_outbox_rows_written_before_later_migrations_are_not_duplicated(session, reopen):
    old, _ = roll_back_schema(session, "0002_outbox")
    s2 = reopen(session)
    assert sorted((e.entity, e.entity_id, e.op) for e in s2._outbox.pending()) == sorted(old.outbox)


def test_new_notes_work_after_migrating_an_old_profile(session, reopen, make_draft):
    old, _ = roll_back_schema(session, "0001_core")
    s2 = reopen(session)
    harper = next(iter(old.participants))
    note = s2.notes.sign(s2.notes.create_draft(make_draft(harper)).value.id).value
    assert s2.notes.get(note.id).state is NoteState.SIGNED
    assert s2._outbox.pending()[-1].entity_id == note.id


# -- a database from a newer PeerDesk ----------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_database_from_a_newer_version_is_refused_and_left_untouched(
    session, manager, profile_name
):
    session._db.conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ("peerdesk", "0099_future_feature", "2031-01-01 00:00:00+00:00"),
    )
    session._db.conn.commit()
    session.close()
    db_file = session.path / DB_FILE
    before = _digest(db_file)
    size_before = db_file.stat().st_size

    with pytest.raises(SchemaTooNew) as err:
        manager.open(profile_name)

    assert err.value.unknown_migrations == ["0099_future_feature"]
    assert "update" in str(err.value)
    assert _digest(db_file) == before
    assert db_file.stat().st_size == size_before
    assert (
        not Path(str(db_file) + "-wal").exists() or Path(str(db_file) + "-wal").stat().st_size == 0
    )

    # and again: refusing twice does not change it either
    with pytest.raises(SchemaTooNew):
        manager.open(profile_name)
    assert _digest(db_file) == before


def test_known_but_unapplied_later_migration_is_not_too_new(session, reopen):
    """Only names this version does not know make a database 'too new'."""
    roll_back_schema(session, "0002_outbox")
    s2 = reopen(session)
    assert s2._applied_now == NAMES[2:]


# -- reopening --------------------------------------------------------------------------


def _schema(db) -> list[tuple]:
    return db.conn.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def test_new_profile_applies_every_migration_and_reopening_applies_none(session, reopen):
    assert session._applied_now == NAMES
    schema = _schema(session._db)
    recorded = session._db.conn.execute("SELECT * FROM _sqlite_migrations ORDER BY id").fetchall()

    s2 = reopen(session, unlock=False)
    assert s2._applied_now == []
    s3 = reopen(s2, unlock=False)
    assert s3._applied_now == []

    assert _schema(s3._db) == schema
    assert (
        s3._db.conn.execute("SELECT * FROM _sqlite_migrations ORDER BY id").fetchall() == recorded
    )
    assert s3.maintenance.doctor().schema_pending == []
    assert s3.maintenance.doctor().schema_applied == NAMES


# -- 0005: indexes for the paged notes list ----------------------------------------------


def _indexes(db) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes'"
        )
    ]
    return {n: [c[2] for c in db.conn.execute(f"PRAGMA index_info('{n}')")] for n in names}


def test_paging_indexes_arrive_on_an_old_profile_and_page_its_notes(session, reopen):
    old, remaining = roll_back_schema(session, "0004_immutable_records")
    assert remaining[0] == "0005_notes_paging_indexes"
    db = open_database(session.path / DB_FILE)
    assert "notes_by_state_id" not in _indexes(db)
    db.close()

    s2 = reopen(session)

    assert s2._applied_now == remaining
    indexes = _indexes(s2._db)
    assert indexes["notes_by_state_id"] == ["state", "id"]
    assert indexes["notes_by_participant_id"] == ["participant_id", "id"]
    # the notes written under 0004 come back page by page, newest first, intact
    newest_first = sorted(old.notes, reverse=True)
    first = s2.notes.page(limit=2)
    second = s2.notes.page(after=first.next_after, limit=2)
    assert [n.id for n in first.items + second.items] == newest_first
    assert not second.has_more and first.damaged == second.damaged == []
    for note in first.items + second.items:
        assert note.body == old.notes[note.id]["body"]
    drafts = s2.notes.page(states=[NoteState.DRAFT]).items
    assert [n.id for n in drafts] == [n for n, v in old.notes.items() if v["state"] == "draft"]
    harper = next(iter(old.participants))
    assert [n.id for n in s2.notes.page(participant_id=harper).items] == newest_first
    assert s2.maintenance.doctor().ok


def test_every_page_query_is_one_index_range_scan(session, make_draft):
    pid = session.participants.add("Plan Person").value.id
    ids = [session.notes.create_draft(make_draft(pid)).value.id for _ in range(3)]
    sqls: list[str] = []
    session._db.conn.set_trace_callback(sqls.append)
    try:
        for filters in (
            {},
            {"states": [NoteState.DRAFT]},
            {"states": [NoteState.SIGNED, NoteState.RETURNED]},
            {"participant_id": pid},
            {"participant_id": pid, "states": [NoteState.DRAFT]},
        ):
            session.notes.page(limit=2, **filters)
            session.notes.page(after=ids[-1], limit=2, **filters)
    finally:
        session._db.conn.set_trace_callback(None)
    selects = [q for q in sqls if q.lstrip().upper().startswith("SELECT * FROM NOTES")]
    assert len(selects) == 12  # two states are two scans
    for sql in selects:
        plan = " ".join(r[3] for r in session._db.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "USING INDEX" in plan, (sql, plan)
        assert "TEMP B-TREE" not in plan, (sql, plan)  # no sort of the whole table


# -- 0006: sync state ---------------------------------------------------------------------


def test_sync_migration_keeps_the_outbox_and_adds_the_sync_tables(session, reopen):
    old, remaining = roll_back_schema(session, "0005_notes_paging_indexes")
    assert remaining[0] == "0006_sync"
    db = open_database(session.path / DB_FILE)
    ops = [r[0] for r in db.execute("SELECT op_id FROM outbox ORDER BY seq")]
    db.execute(
        "UPDATE outbox SET state = 'quarantined', attempts = 2, reason = 'refused' WHERE op_id = ?",
        [ops[0]],
    )
    db.execute("UPDATE outbox SET state = 'acked', attempts = 1 WHERE op_id = ?", [ops[1]])
    db.conn.commit()
    columns = "seq, op_id, entity, entity_id, op, created_at, state, attempts, reason"
    before = db.execute(f"SELECT {columns} FROM outbox ORDER BY seq").fetchall()
    assert len(before) == len(old.outbox) >= 5
    db.close()

    s2 = reopen(session)

    assert s2._applied_now == remaining
    assert s2._db.execute(f"SELECT {columns} FROM outbox ORDER BY seq").fetchall() == before
    assert [i.op_id for i in s2.link.quarantine()] == [ops[0]]
    counts = s2._outbox.counts()
    assert (counts.pending, counts.quarantined, counts.acked) == (len(before) - 2, 1, 1)
    # the journal takes escrow records now, still refuses unknown ones, and never
    # hands out a seq twice
    escrow_op = s2._stores.queue.record_escrow(new_id())
    assert s2._stores.queue.seqs_of([escrow_op]) == [before[-1][0] + 1 + PRIORITY_SPAN]
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, op, created_at)"
            " VALUES ('x', 'photo', 'y', 'add', 'now')"
        )
    s2._db.conn.rollback()
    status = s2.link.status()
    assert not status.enrolled and status.last_attempt_at is None
    assert status.pending == len(before) - 1 and status.quarantined == 1
    assert s2.link.history() == []
    assert s2._audit.verify() == old.audit_rows + 1
    assert s2.maintenance.doctor().ok


# -- 0007: directory, referrals, corrections ----------------------------------------------


def _outbox_rows_before_0014(db) -> list[tuple]:
    """The outbox's rows without the priority column of 0014 (0 for every old row)."""
    found = db.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
    assert all(row[-1] == 0 for row in found)
    return [tuple(row[:-1]) for row in found]


def _outbox_indexes(db) -> list[tuple]:
    return db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'"
        " ORDER BY name"
    ).fetchall()


def test_directory_migration_keeps_the_outbox_and_lets_it_journal_referrals(session, reopen):
    old, remaining = roll_back_schema(session, "0006_sync")
    assert remaining == [
        "0007_directory",
        "0008_review",
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]
    db = open_database(session.path / DB_FILE)
    ops = [r[0] for r in db.execute("SELECT op_id FROM outbox ORDER BY seq")]
    db.execute(
        "UPDATE outbox SET state = 'acked', server_seq = 41, updated_at = 'then' WHERE op_id = ?",
        [ops[0]],
    )
    db.execute(
        "UPDATE outbox SET state = 'quarantined', reject_code = 'too_large', reason = 'big'"
        " WHERE op_id = ?",
        [ops[1]],
    )
    # an index added by some other migration must survive the rebuild, and so must
    # the AUTOINCREMENT high-water mark of rows that no longer exist
    db.execute("CREATE INDEX outbox_by_entity ON outbox (entity, entity_id)")
    db.execute("UPDATE sqlite_sequence SET seq = seq + 50 WHERE name = 'outbox'")
    db.conn.commit()
    high_water = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()[0]
    before = db.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
    indexes = _outbox_indexes(db)
    assert len(before) == len(old.outbox) >= 5
    db.close()

    s2 = reopen(session)

    assert s2._applied_now == [
        "0007_directory",
        "0008_review",
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]
    assert _outbox_rows_before_0014(s2._db) == before
    assert [i for i in _outbox_indexes(s2._db) if i[0] != "outbox_by_priority"] == indexes
    # the journal now takes referrals and corrections, numbered after the high-water mark
    s2.directory.seed_if_empty()
    person = next(iter(old.participants))
    service = s2.directory.search("dial a ride").hits[0].id
    referral = s2.directory.refer(person, service, follow_up="call Friday").value
    correction = s2.directory.suggest_correction(service, "new phone number").value
    tail = s2._db.execute(
        "SELECT seq, entity, entity_id FROM outbox ORDER BY seq DESC LIMIT 2"
    ).fetchall()
    assert tail == [
        (high_water + 2, "correction", correction.id),
        (high_water + 1, "referral", referral.id),
    ]
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, op, created_at)"
            " VALUES ('x', 'photo', 'y', 'add', 'now')"
        )
    s2._db.conn.rollback()
    assert s2._audit.verify() == old.audit_rows + 1
    assert s2.maintenance.doctor().ok


def test_directory_migration_on_a_new_profile_gives_an_empty_directory(session):
    assert session.directory.is_empty()
    assert session.directory.version() == -1
    assert "0007_directory" in session._applied_now
    sql = session._db.execute("SELECT sql FROM sqlite_master WHERE name = 'outbox'").fetchone()[0]
    assert "'referral', 'correction'" in sql


# -- 0008: profile role, resubmit records, the supervisor's review cache -----------------


def test_review_migration_makes_old_profiles_peers_and_lets_the_outbox_journal_resubmits(
    session, reopen
):
    old, remaining = roll_back_schema(session, "0007_directory")
    assert remaining == [
        "0008_review",
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]
    db = open_database(session.path / DB_FILE)
    db.execute("UPDATE sqlite_sequence SET seq = seq + 9 WHERE name = 'outbox'")
    db.conn.commit()
    high_water = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()[0]
    before = db.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
    db.close()

    s2 = reopen(session)

    assert s2._applied_now == [
        "0008_review",
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]
    assert s2.role == "peer"
    assert _outbox_rows_before_0014(s2._db) == before
    tables = {r[0] for r in s2._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "profile_info", "review_state", "review_grants", "review_devices", "review_records",
        "review_payloads", "review_items", "review_participants", "review_addenda",
        "review_trips", "review_events", "review_decisions",
    } <= tables  # fmt: skip
    assert s2._stores.review_inbox.cursors() == (0, 0)
    # a returned note answered with an addendum is journaled as "resubmit", after the mark
    note_id = next(n for n, v in old.notes.items() if v["state"] == "signed")
    s2._db.execute("UPDATE notes SET state = 'returned' WHERE id = ?", [note_id])
    s2._db.execute(
        "INSERT INTO feedback (id, note_id, decision, decided_at, server_seq, received_at,"
        " comment, reviewer) VALUES (?, ?, 'returned', ?, 1, ?, ?, ?)",
        [new_id(), note_id, iso(700), iso(700), b"x", b"y"],
    )
    s2._db.conn.commit()
    s2.notes.add_addendum(note_id, "Plan added as asked.")
    s2.notes.resubmit(note_id)
    tail = s2._db.execute(
        "SELECT seq, entity, entity_id FROM outbox ORDER BY seq DESC LIMIT 2"
    ).fetchall()
    assert [t[1:] for t in tail] == [("resubmit", note_id), ("addendum", tail[1][2])]
    assert tail[0][0] == high_water + 2
    assert s2.notes.get(note_id).state is NoteState.SUBMITTED
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, op, created_at)"
            " VALUES ('x', 'photo', 'y', 'add', 'now')"
        )
    s2._db.conn.rollback()
    assert s2._audit.verify() == old.audit_rows + 3  # unlock, addendum, resubmission


# -- 0009: the participant's record --------------------------------------------------------


def test_record_migration_keeps_the_outbox_and_lets_it_journal_the_record(session, reopen):
    old, remaining = roll_back_schema(session, "0008_review")
    assert remaining == [
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]
    db = open_database(session.path / DB_FILE)
    before = db.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
    db.close()

    s2 = reopen(session)

    assert s2._applied_now == [
        "0009_participant_record",
        "0010_claims_control_number",
        "0011_refetch_record_kinds",
        "0012_care_team",
        "0013_workforce",
        "0014_directory_download",
        "0015_review_record_segments",
        "0016_note_coordination_frozen",
        "0017_crisis",
        "0018_appointments",
        "0019_groups",
    ]
    assert _outbox_rows_before_0014(s2._db) == before
    person = next(iter(old.participants))
    episode = s2.record.enroll(person, date(2026, 1, 5), "walk-in").value
    tail = s2._db.execute(
        "SELECT entity, entity_id FROM outbox ORDER BY seq DESC LIMIT 1"
    ).fetchall()
    assert tail == [("enrollment", episode.id)]
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute(
            "INSERT INTO participant_records (id, participant_id, kind, created_at, updated_at,"
            " doc) VALUES ('x', ?, 'photo', 'now', 'now', x'00')",
            [person],
        )
    s2._db.conn.rollback()
    assert s2.maintenance.doctor().ok


# -- 0011: records an older supervisor app pulled without storing them -----------------------


@pytest.mark.parametrize("last_applied", ["0008_review", "0010_claims_control_number"])
def test_records_an_older_supervisor_app_left_unstored_are_fetched_again(
    session, reopen, last_applied
):
    """A supervisor app before 0009 kept plans, enrollments, consents and check-ins
    as bare review_records rows and moved its cursor past them (review M3): after
    0011 those rows are gone and the cursor is back before them, so the next pull
    stores them; everything else of the cache is kept."""
    from peerdesk.link.pull import open_one
    from peerdesk.wire.record_payloads import payload_of
    from tests.review.conftest import Sealer
    from tests.unit.test_record_payloads import RECORDS

    plan, episode, _consent, check_in = RECORDS
    sealer = Sealer()
    note = sealer.record("note", new_id(), {"not": "read by the migration"})
    pulled = [note] + [
        sealer.record(*payload_of(r)[:1], r.id, payload_of(r)[1]) for r in (plan, check_in)
    ]
    referral = sealer.record("referral", new_id(), {"status": "made"})
    pulled.append(referral)
    no_key = sealer.record("consent", new_id(), {"x": 1}, key=BoxKeyPair.generate())
    pulled.append(no_key)
    stored_plan = sealer.record("plan", "pl-stored", {"x": 1})  # pulled after 0009
    pulled.append(stored_plan)
    _old, _remaining = roll_back_schema(session, last_applied)
    db = open_database(session.path / DB_FILE)
    with db.atomic():
        db.execute("UPDATE profile_info SET role = 'supervisor'")
        for r in pulled:
            broken = "is sealed to a key you were not granted" if r is no_key else None
            db.execute(
                "INSERT INTO review_records (seq, device_id, kind, entity_id, op_id, key_id,"
                " dictionary, received_at, broken, broken_code, sealed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    r.seq, r.device_id, r.kind, r.entity_id, r.op_id, r.key_id, r.dictionary,
                    r.received_at, broken, "no_key" if broken else None,
                    r.sealed if broken else None,
                ],
            )  # fmt: skip
        for r in (note, stored_plan):
            db.execute("INSERT INTO review_payloads (seq, payload) VALUES (?, x'00')", [r.seq])
        if last_applied != "0008_review":
            db.execute(
                "INSERT INTO review_person_records (device_id, record_id, participant_id, kind,"
                " seq) VALUES (?, 'pl-stored', 'p-other', 'plan', ?)",
                [stored_plan.device_id, stored_plan.seq],
            )
        else:
            db.execute("DELETE FROM review_payloads WHERE seq = ?", [stored_plan.seq])
            db.execute("DELETE FROM review_records WHERE seq = ?", [stored_plan.seq])
        db.execute("UPDATE review_state SET records_after = ? WHERE id = 1", [pulled[-1].seq])
    db.close()

    s2 = reopen(session)

    assert "0011_refetch_record_kinds" in s2._applied_now
    kept = [r[0] for r in s2._db.execute("SELECT seq FROM review_records ORDER BY seq")]
    expect = [note.seq, referral.seq, no_key.seq]
    if last_applied != "0008_review":
        expect.append(stored_plan.seq)
    assert kept == expect
    inbox = s2._stores.review_inbox
    assert inbox.cursors()[0] == pulled[1].seq - 1  # just before the first bare row
    # the next pull brings every record after the cursor again: the two are stored now
    inbox.save_devices([sealer.device])
    again = [open_one(r, sealer.keys) for r in pulled[1:3]]
    assert inbox.store_records(again, pulled[-1].seq) == (2, 0)
    seen = s2.review.person_record(sealer.device.device_id, "p1")
    assert seen.plan is not None and seen.plan.id == plan.id
    assert [c.id for c in seen.check_ins] == [check_in.id]
    assert inbox.cursors()[0] == pulled[-1].seq


def test_the_refetch_migration_leaves_a_cache_with_nothing_to_fetch_alone(session, reopen):
    roll_back_schema(session, "0010_claims_control_number")
    db = open_database(session.path / DB_FILE)
    db.execute("UPDATE review_state SET records_after = 42 WHERE id = 1")
    db.conn.commit()
    db.close()
    s2 = reopen(session)
    assert s2._stores.review_inbox.cursors() == (42, 0)
