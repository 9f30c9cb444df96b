"""Crisis support end to end (issue 21), against a real agency (the CLI and the
FastAPI app under uvicorn in this process, HTTPS on loopback): a laptop with
many older unsynced notes flags a participant in crisis, writes a safety plan
and a crisis note; a sync with small batches sends the crisis records in the
FIRST batch; after the supervisor's pull the crisis note heads the review queue,
marked, and the supervisor sees who is in crisis."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

uvicorn = pytest.importorskip("uvicorn")

from peerdesk.domain.crisis import CrisisFlag, SafetyPlan  # noqa: E402
from peerdesk.domain.models import NoteTemplate  # noqa: E402
from peerdesk.link.sync import BatchDone, SyncOptions  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import pull  # noqa: E402

OLDER_NOTES = 24
BATCH_BYTES = 1024  # a few records per batch (the smallest allowed)


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def _no_retries(delay: float) -> None:
    raise AssertionError(f"the loopback agency should not need a retry ({delay:.1f} s)")


def acked_ops(session) -> set[str]:
    db = session._stores.db  # the test reads the outbox's states directly
    return {r[0] for r in db.execute("SELECT op_id FROM outbox WHERE state = 'acked'")}


def ops_of(session, entity_ids: set[str]) -> set[str]:
    db = session._stores.db
    return {
        r[0]
        for r in db.execute("SELECT op_id, entity_id FROM outbox").fetchall()
        if r[1] in entity_ids
    }


def write_backlog_and_crisis(ana, make_draft):
    """Older notes of two people, then a crisis: flag, safety plan, crisis note."""
    calm = ana.participants.add("Casey Calm").value
    person = ana.participants.add("Robin Storm").value
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for i in range(OLDER_NOTES):
        who = calm if i % 2 else person
        draft = make_draft(who.id, NoteTemplate.FREE, body={"text": f"older visit {i}"},
                           start=start + timedelta(days=i), minutes=30)  # fmt: skip
        ana.notes.sign(ana.notes.create_draft(draft).value.id)
    flag = ana.record.flag_crisis(person.id, "called saying they cannot keep safe").value
    plan = ana.record.save_safety_plan(
        replace(
            ana.record.empty_safety_plan(person.id),
            warning_signs=("not sleeping", "giving things away"),
            professionals=("988 Suicide & Crisis Lifeline", "Dr. Lee 555-0100"),
        )
    ).value
    draft = make_draft(person.id, NoteTemplate.FREE, body={"text": "crisis call, made a plan"},
                       start=start + timedelta(days=40), minutes=45)  # fmt: skip
    crisis_note = ana.notes.sign(ana.notes.create_draft(draft).value.id).value
    # a note of someone not in crisis, written after: not urgent
    draft = make_draft(calm.id, NoteTemplate.FREE, body={"text": "ordinary check-in"},
                       start=start + timedelta(days=41), minutes=30)  # fmt: skip
    later = ana.notes.sign(ana.notes.create_draft(draft).value.id).value
    return person, flag, plan, crisis_note, later


def test_crisis_records_go_first_and_head_the_supervisors_queue(
    live, make_peer, make_supervisor, make_draft
):
    ana = make_peer("ana", "crisis")
    person, flag, plan, crisis_note, later = write_backlog_and_crisis(ana, make_draft)
    assert ana.record.in_crisis() == {person.id}
    urgent = ops_of(ana, {flag.id, plan.id, crisis_note.id})
    assert len(urgent) == 3

    first_batch: set[str] | None = None
    batches = 0
    for event in ana.link.sync(SyncOptions(batch_bytes=BATCH_BYTES), sleep=_no_retries):
        if isinstance(event, BatchDone):
            batches += 1
            acked = acked_ops(ana)
            if first_batch is None and acked >= urgent:
                first_batch = acked  # what had gone when the last crisis record had
    assert first_batch is not None and batches >= 4, batches
    print(f"batches: {batches}, first batch: {len(first_batch)} records")
    # the three crisis records went first (in their own segments: the first batch
    # or two at this tiny batch size), nothing else before them
    assert first_batch == urgent
    assert len(first_batch) < OLDER_NOTES  # the backlog did not fit: it came after
    assert not ops_of(ana, {later.id}) & first_batch
    status = ana.link.status()
    assert status.pending == 0 and status.quarantined == 0

    sam = make_supervisor("Sam Crisis", "crisis")
    assert pull(sam)[-1].broken == 0
    page = sam.review.queue()
    assert page.total == OLDER_NOTES + 2
    top = page.items[0]
    assert (top.note_id, top.crisis) == (crisis_note.id, True)
    assert [i.crisis for i in page.items].count(True) == 1
    assert {i.note_id for i in page.items[1:]} >= {later.id}
    # the supervisor's count of people in crisis, and what the records say
    team = sam.record.team_in_crisis()
    assert [(t.participant_id, t.reason) for t in team] == [
        (person.id, "called saying they cannot keep safe")
    ]
    device_id = team[0].device_id
    records = sam._stores.team_records.of_person(device_id, person.id)
    plans = [r for r in records if isinstance(r, SafetyPlan)]
    assert plans and plans[0].professionals[0].startswith("988")

    # clearing the flag travels too (who and when), and the count drops to none
    cleared = ana.record.clear_crisis(person.id, "safe with family tonight").value
    assert cleared.cleared_by == "ana" and cleared.cleared_at is not None
    list(ana.link.sync(sleep=_no_retries))
    pull(sam)
    assert sam.record.team_in_crisis() == []
    flags = [
        r
        for r in sam._stores.team_records.of_person(device_id, person.id)
        if isinstance(r, CrisisFlag)
    ]
    assert [(f.cleared_by, f.outcome) for f in flags] == [("ana", "safe with family tonight")]
