"""Sync in sealed segments with pipelined batches (issue 17): what a cut or a lost
answer costs, honest sizes, and the segment format as it travels."""

from __future__ import annotations

import random

import pytest

from peerdesk.domain.models import NoteTemplate
from peerdesk.errors import AgencyUnreachable
from peerdesk.link.sync import BatchSent, SyncStarted
from peerdesk.wire.protocol import MAX_REQUEST_BYTES

WORDS = (
    "the participant said she walked to the pantry before the bus came and felt "
    "steadier after we talked through the week ahead her sister may help with rides "
    "we practised what to say at the housing office and made a plan for the call "
    "he was tired but kept the appointment and asked about the recovery meeting"
).split()


def _notes(session, make_draft, n: int, seed: int = 5) -> dict[str, str]:
    """Signed notes with varied prose; note id -> its text."""
    rng = random.Random(seed)
    person = session.participants.add("Segment Person").value
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 200))) for _ in range(n)]
    session.notes.import_signed(
        [make_draft(person.id, NoteTemplate.FREE, body={"text": t}) for t in texts]
    )
    by_text = {n.body["text"]: n.id for n in session.notes.list().items if "text" in n.body}
    return {by_text[t]: t for t in texts}


def _device(session) -> str:
    return session._device.require().device_id


def _acked(session) -> set[str]:
    rows = session._db.conn.execute("SELECT op_id FROM outbox WHERE state = 'acked'")
    return {r[0] for r in rows}


def _pending_ops(session) -> list[str]:
    return [e.op_id for e in session._outbox.pending(limit=10_000)]


def _texts_intact(agency, session, written: dict[str, str]) -> None:
    got = {
        eid: p["body"]["text"] for kind, eid, p in agency.opened(_device(session)) if kind == "note"
    }
    assert got == written


def test_records_of_a_kind_travel_in_one_segment_with_their_ids_once(
    enrolled, agency, make_draft, run_sync
):
    written = _notes(enrolled, make_draft, 40)
    run_sync(enrolled)
    [(signed, raw)] = agency.requests
    kinds = [s.kind for s in signed.batch.segments]
    assert kinds == ["participant", "note"]  # the participant goes before its notes
    assert [r.kind for r in signed.batch.records] == ["escrow"]  # sealed alone, as before
    note_seg = signed.batch.segments[1]
    assert note_seg.count == 40 and len(note_seg.ids) == 40 * 32
    # the prose is nowhere in the request; every note opens as written
    assert not any(t.encode()[:40] in raw for t in written.values())
    _texts_intact(agency, enrolled, written)


@pytest.mark.parametrize("cap", [1024, 3000, 8 * 1024, 64 * 1024])
def test_no_request_body_exceeds_the_limit_and_the_estimate_is_honest(
    enrolled, agency, make_draft, run_sync, cap
):
    written = _notes(enrolled, make_draft, 150, seed=cap)
    result = run_sync(enrolled, batch_bytes=cap)
    bodies = [len(raw) for _, raw in agency.requests]
    notes_alone = [s for s, _ in agency.requests if s.batch.segments]
    # a note of ~1 KB alone may exceed the smallest limit: that batch holds it alone
    for (signed, _raw), size in zip(agency.requests, bodies, strict=True):
        count = len(signed.batch.records) + sum(s.count for s in signed.batch.segments)
        assert size <= cap or count == 1
    assert notes_alone and max(bodies) <= MAX_REQUEST_BYTES
    [started] = result.of(SyncStarted)
    sent = result.summary.bytes_up
    assert sent == sum(e.bytes for e in result.of(BatchSent)) == sum(bodies)
    assert abs(started.estimated_bytes - sent) <= 0.03 * sent
    _texts_intact(agency, enrolled, written)


@pytest.mark.parametrize("where", ["upload", "answer"])
def test_a_cut_resends_at_most_the_window_with_no_duplicate(
    enrolled, agency, make_draft, run_sync, where
):
    """A cut during an upload (the agency never got the batch) or a lost answer
    (it stored the batch; the laptop never heard): the run stops; the next run
    sends again only what was not answered, at most the pipelined window of
    batches the agency already holds, and the agency stores nothing twice."""
    written = _notes(enrolled, make_draft, 200)
    ops = _pending_ops(enrolled)
    victim = ops[len(ops) // 2]
    if where == "upload":
        agency.lose_upload_of.add(victim)
    else:
        agency.lose_answer_of.add(victim)
    with pytest.raises(AgencyUnreachable):
        run_sync(enrolled, batch_bytes=6 * 1024, max_attempts=1, pipeline=2)
    acked = _acked(enrolled)
    assert 0 < len(acked) < len(ops)
    first = len(agency.requests)

    result = run_sync(enrolled, batch_bytes=6 * 1024, pipeline=2)

    assert enrolled._outbox.counts().pending == 0 and result.summary.acked > 0
    resent = {op for s, _ in agency.requests[first:] for op in s.batch.op_ids}
    assert resent == set(ops) - acked  # nothing answered goes again
    # a cut upload never reached the agency; a lost answer's batch did
    _at_most_the_window(
        agency.requests[:first], acked, resent, window=2, least=int(where == "answer")
    )
    if where == "answer":
        assert resent & set(agency.requests[first - 1][0].batch.op_ids)
    # 0 duplicates: every record stored once, under its op id
    assert agency.seq == len(agency.records) == len(ops)
    _texts_intact(agency, enrolled, written)


def test_without_pipelining_a_lost_answer_costs_exactly_one_batch(
    enrolled, agency, make_draft, run_sync
):
    _notes(enrolled, make_draft, 200)
    ops = _pending_ops(enrolled)
    agency.lose_answer_of.add(ops[len(ops) // 2])
    with pytest.raises(AgencyUnreachable):
        run_sync(enrolled, batch_bytes=6 * 1024, max_attempts=1, pipeline=1)
    first = len(agency.requests)
    acked = _acked(enrolled)
    run_sync(enrolled, batch_bytes=6 * 1024, pipeline=1)
    resent = {op for s, _ in agency.requests[first:] for op in s.batch.op_ids}
    assert resent == set(ops) - acked
    _at_most_the_window(agency.requests[:first], acked, resent, window=1, least=1)
    assert agency.seq == len(agency.records) == len(ops)


def _at_most_the_window(
    requests, acked: set[str], resent: set[str], *, window: int, least: int
) -> None:
    """What the agency already held and the laptop sent again is the records of
    at most ``window`` batches (those whose answers never came)."""
    batches = [set(s.batch.op_ids) for s, _ in requests]
    held = set().union(*batches)
    again = held & resent
    unanswered = [b for b in batches if b - acked]
    assert least <= len(unanswered) <= window
    assert again == set().union(*unanswered) - acked
