"""The device's sync bookkeeping without the network: the queue's acks, quarantine
and retry, the status and run history, and review-state moves of notes."""

from __future__ import annotations

import sqlite3

import pytest

from peerdesk.domain.models import NoteState
from peerdesk.store.sync_state import move_note, note_state


@pytest.fixture
def queued(session, make_draft):
    p = session.participants.add("Queue Person").value
    note = session.notes.sign(session.notes.create_draft(make_draft(p.id)).value.id).value
    entries = session._outbox.pending()
    assert [e.entity for e in entries] == ["participant", "note"]
    return session, entries, note


def test_an_entry_is_acked_once_whatever_the_number_of_acks(queued):
    session, entries, _ = queued
    q = session._stores.queue
    first = q.mark_acked({entries[0].op_id: 11})
    again = q.mark_acked({entries[0].op_id: 11, "unknown-op": 3})
    assert [e.op_id for e in first] == [entries[0].op_id] and again == []
    seq = session._db.conn.execute(
        "SELECT server_seq FROM outbox WHERE op_id = ?", (entries[0].op_id,)
    ).fetchone()[0]
    assert seq == 11
    assert [e.op_id for e in q.pending_after(0, 10)] == [entries[1].op_id]


def test_quarantine_takes_pending_entries_only_and_retry_puts_them_back(queued):
    session, entries, _ = queued
    q = session._stores.queue
    q.mark_acked({entries[0].op_id: 1})
    assert not q.quarantine(entries[0].op_id, "bad_kind", "acked already")
    assert q.quarantine(entries[1].op_id, "unknown_key", "x" * 1000)
    [item] = q.quarantined()
    assert (item.op_id, item.code, len(item.reason)) == (entries[1].op_id, "unknown_key", 500)
    assert item.quarantined_at is not None
    assert q.retry(["not-there"]) == 0
    assert q.retry() == 1
    assert q.quarantined() == [] and q.counts().pending == 1


def test_pending_after_reads_in_journal_order_from_a_position(queued):
    session, entries, _ = queued
    q = session._stores.queue
    # no crisis entry here: positions keep journal order (tests/unit/test_crisis.py)
    assert entries[0].position < entries[1].position
    assert [e.op_id for e in q.pending_after(entries[0].position, 10)] == [entries[1].op_id]
    assert q.pending_after(entries[1].position, 10) == []
    assert q.seqs_of([entries[1].op_id, "missing"]) == [entries[1].position]


def test_a_run_left_running_by_a_crash_is_closed_as_stopped(session):
    log = session._stores.sync_log
    crashed = log.start_run()
    current = log.start_run()
    log.finish_run(current, "ok", sent=3, acked=3, bytes_up=100, bytes_down=40)
    runs = {r.id: r for r in log.history()}
    assert runs[crashed].outcome == "stopped" and "stopped" in runs[crashed].error
    assert runs[current].outcome == "ok" and runs[current].acked == 3
    status = log.status()
    assert status.last_success_at and status.last_error is None
    assert (status.bytes_up, status.bytes_down) == (100, 40)
    failed = log.start_run()
    log.finish_run(failed, "failed", error="cannot reach the agency: no network")
    status = log.status()
    assert status.last_error == "cannot reach the agency: no network"
    assert status.last_success_at is not None  # the last success is kept
    with pytest.raises(ValueError):
        log.finish_run(failed, "great")


def test_review_moves_change_the_state_only(queued):
    session, _, note = queued
    assert move_note(session._db, note.id, NoteState.SIGNED, NoteState.SUBMITTED)
    assert not move_note(session._db, note.id, NoteState.SIGNED, NoteState.SUBMITTED)
    assert note_state(session._db, note.id) is NoteState.SUBMITTED
    assert note_state(session._db, "no-such-note") is None
    moved = session.notes.get(note.id)
    assert (moved.body, moved.signed_at) == (note.body, note.signed_at)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        session._db.conn.execute("UPDATE notes SET body = x'00' WHERE id = ?", (note.id,))


def test_a_restore_notice_reopens_only_the_lost_range(queued):
    """(high_water, upper]: a record acknowledged above ``upper`` (after the restore)
    stays acknowledged; without ``upper`` (an older agency's notice) all above go back."""
    session, entries, _ = queued
    q = session._stores.queue
    q.mark_acked({entries[0].op_id: 5, entries[1].op_id: 2_000_010})
    assert q.reopen_acked_after(3, 1_000_009) == 1
    assert [e.op_id for e in session._outbox.pending()] == [entries[0].op_id]
    q.mark_acked({entries[0].op_id: 6})
    assert q.reopen_acked_after(3) == 2
