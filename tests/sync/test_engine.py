"""The sync engine against a fake agency that speaks the real protocol and crypto:
what is sent, acks, rejects, retries, resume after drops, inbound feedback,
wipe orders, key refresh and the honest status."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.models import NoteState, NoteTemplate
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    DeviceRevoked,
    InvalidTransition,
    NotEnrolled,
    ProfileWiped,
    VaultLocked,
)
from peerdesk.ids import now_utc, to_iso
from peerdesk.interop import hsds
from peerdesk.link.inbound import review_transition
from peerdesk.link.sync import (
    BatchDone,
    BatchSent,
    InboundApplied,
    Retrying,
    SyncFinished,
    SyncStarted,
)
from peerdesk.services.directory import SEED_DIRECTORY
from peerdesk.wire.directory_updates import sign_snapshot


def _device_id(session) -> str:
    return session._device.get().device_id


@pytest.fixture
def records(enrolled, make_draft):
    """One of each kind of record, plus a draft that must never leave the laptop."""
    s = enrolled
    p = s.participants.add("Jordan Fieldcase", phone="555 0199", details="prefers texts").value
    draft = s.notes.create_draft(
        make_draft(p.id, NoteTemplate.FREE, body={"text": "unsigned"})
    ).value
    signed = s.notes.sign(s.notes.create_draft(make_draft(p.id)).value.id).value
    addendum = s.notes.add_addendum(signed.id, "late entry: rode the bus back").value
    trip = s.trips.add(
        date(2024, 5, 6),
        "medical",
        "clinic",
        with_participant=True,
        participant_id=p.id,
        miles=Decimal("14.2"),
        destination="County clinic",
    ).value
    return {"participant": p, "draft": draft, "note": signed, "addendum": addendum, "trip": trip}


def _many_notes(session, make_draft, n: int, words: int = 40) -> list[str]:
    p = session.participants.add("Batch Person").value
    rng = random.Random(n)

    def text() -> str:  # varied, so notes compressed together still take room
        return " ".join(f"{rng.getrandbits(32):x}" for _ in range(words))

    session.notes.import_signed(
        [make_draft(p.id, NoteTemplate.FREE, body={"text": f"{i} {text()}"}) for i in range(n)]
    )
    return [e.op_id for e in session._outbox.pending(limit=10_000)]


def _count(signed) -> int:
    """Records in a request: its segments' and its lone ones."""
    return len(signed.batch.records) + sum(s.count for s in signed.batch.segments)


# -- what is sent -----------------------------------------------------------------------


def test_sync_sends_every_record_sealed_and_acks_them(enrolled, agency, records, run_sync):
    result = run_sync(enrolled)

    opened = agency.opened(_device_id(enrolled))
    sent = {(kind, eid) for kind, eid, _ in opened}
    assert sent == {
        ("participant", records["participant"].id),
        ("note", records["note"].id),
        ("addendum", records["note"].id),  # an addendum travels under its note's id
        ("trip", records["trip"].id),
        ("escrow", enrolled._vault.recovery_slot_ids[0]),
    }
    assert records["draft"].id not in {eid for _, eid, _ in opened}
    payload = {kind: p for kind, _, p in opened}
    assert payload["note"]["body"] == records["note"].body
    assert payload["participant"]["display_name"] == "Jordan Fieldcase"
    assert payload["addendum"]["text"] == "late entry: rode the bus back"
    assert payload["addendum"]["id"] == records["addendum"].id
    assert payload["addendum"]["note_id"] == records["note"].id
    assert payload["trip"]["destination"] == "County clinic"

    assert enrolled._outbox.counts().pending == 0
    assert enrolled._outbox.counts().acked == 5
    assert enrolled.notes.get(records["note"].id).state is NoteState.SUBMITTED
    assert enrolled.notes.get(records["draft"].id).state is NoteState.DRAFT

    assert isinstance(result.events[0], SyncStarted)
    assert result.events[0].pending == 5 and result.events[0].estimated_bytes > 0
    assert [type(e) for e in result.events] == [SyncStarted, BatchSent, BatchDone, SyncFinished]
    assert result.summary.acked == 5 and result.summary.pending == 0
    status = enrolled.link.status()
    assert status.last_success_at is not None and status.last_error is None
    assert status.pending == 0 and status.bytes_up == result.summary.bytes_up > 0
    assert enrolled.link.history()[0].outcome == "ok"
    audit = enrolled._audit.entries(limit=1)[0]
    assert audit.event == "sync" and audit.detail["acked"] == 5 and audit.detail["outcome"] == "ok"


def test_every_batch_is_signed_by_the_device_and_capped_by_bytes(
    enrolled, agency, make_draft, run_sync
):
    _many_notes(enrolled, make_draft, 60)
    cap = 4096

    result = run_sync(enrolled, batch_bytes=cap)

    batches = [signed for signed, _ in agency.requests]
    assert len(batches) == len(result.of(BatchSent)) > 3
    for signed, raw in agency.requests:
        assert len(raw) <= cap  # the whole body: frame and signature counted
        assert signed.batch.device_id == _device_id(enrolled)
    assert sum(_count(s) for s in batches) == 62  # notes, participant, escrow
    assert enrolled._outbox.counts().pending == 0


def test_a_second_sync_with_nothing_new_sends_no_record(enrolled, agency, records, run_sync):
    run_sync(enrolled)
    result = run_sync(enrolled)
    assert [_count(s) for s, _ in agency.requests] == [5, 0]
    assert result.summary.sent == 0


# -- rejects and quarantine -----------------------------------------------------------------


def test_rejected_record_is_quarantined_with_its_reason_and_the_rest_goes_through(
    enrolled, agency, records, run_sync
):
    trip_op = next(e.op_id for e in enrolled._outbox.pending() if e.entity == "trip")
    agency.reject[trip_op] = "too_large"

    result = run_sync(enrolled)

    assert result.summary.rejected == 1 and result.summary.acked == 4
    [item] = enrolled.link.quarantine()
    assert (item.op_id, item.entity, item.entity_id) == (trip_op, "trip", records["trip"].id)
    assert item.code == "too_large" and "refused by the test" in item.reason
    status = enrolled.link.status()
    assert (status.pending, status.quarantined) == (0, 1)

    # The user retries it once the agency accepts it again.
    del agency.reject[trip_op]
    assert enrolled.link.retry([trip_op]).value == 1
    assert enrolled.link.quarantine() == []
    run_sync(enrolled)
    assert enrolled._outbox.counts().acked == 5
    assert ("trip", records["trip"].id) in {
        (k, e) for k, e, _ in agency.opened(_device_id(enrolled))
    }


def test_unreadable_record_is_quarantined_here_and_does_not_block_the_queue(
    enrolled, agency, records, run_sync
):
    pid = records["participant"].id
    enrolled._db.conn.execute("UPDATE participants SET display_name = profile WHERE id = ?", (pid,))
    enrolled._db.conn.commit()

    result = run_sync(enrolled)

    assert result.summary.quarantined_here == 1 and result.summary.acked == 4
    [item] = enrolled.link.quarantine()
    assert item.entity_id == pid and item.code == "unreadable"


def test_a_journaled_kind_the_protocol_cannot_carry_is_set_aside_not_lost(
    enrolled, agency, records, run_sync
):
    # Every kind the outbox's CHECK allows is carried now; a kind it does not know
    # can only come from elsewhere (a newer version's journal): it must not be lost.
    conn = enrolled._db.conn
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(
        "INSERT INTO outbox (op_id, entity, entity_id, op, created_at)"
        " VALUES ('0190f0c0-0000-7000-8000-00000000aaaa', 'reminder', ?, 'add', '2024-05-06')",
        (records["participant"].id,),
    )
    conn.commit()
    conn.execute("PRAGMA ignore_check_constraints = OFF")

    result = run_sync(enrolled)

    assert result.summary.acked == 5 and result.summary.quarantined_here == 1
    [item] = enrolled.link.quarantine()
    assert (item.entity, item.code) == ("reminder", "unsupported")
    assert "cannot be sent" in item.reason
    assert "reminder" not in {s.record.kind for s in agency.records.values()}


def test_duplicate_acks_are_counted_once(enrolled, agency, records, run_sync):
    agency.duplicate_acks = True
    result = run_sync(enrolled)
    assert result.summary.acked == 5
    [done] = result.of(BatchDone)
    assert done.acked == 5


# -- retries and resume ---------------------------------------------------------------------


def test_network_failures_are_retried_with_full_jitter_backoff(
    enrolled, agency, records, run_sync, fake_time
):
    agency.faults = ["connect", "503", "timeout"]

    result = run_sync(enrolled, backoff_base_s=2.0, backoff_cap_s=5.0)

    retries = result.of(Retrying)
    assert [r.attempt for r in retries] == [1, 2, 3]
    assert "could not connect" in retries[0].cause
    assert "HTTP 503" in retries[1].cause
    assert "read timeout" in retries[2].cause
    assert fake_time.sleeps == [r.delay_s for r in retries]
    for attempt, delay in enumerate(fake_time.sleeps, start=1):
        assert 0.0 <= delay <= min(5.0, 2.0 * 2 ** (attempt - 1))
    assert [e.attempt for e in result.of(BatchSent)] == [1, 2, 3, 4]
    assert enrolled._outbox.counts().acked == 5
    assert enrolled.link.status().last_error is None


def test_a_retry_resends_the_same_bytes_and_the_agency_replays_its_answer(
    enrolled, agency, records, run_sync
):
    agency.faults = ["cut"]  # processed, but the answer is lost on the way back

    run_sync(enrolled)

    (first, first_raw), (second, second_raw) = agency.requests
    assert first_raw == second_raw
    assert first.batch.batch_id == second.batch.batch_id
    assert len(agency.records) == 5  # stored once
    assert enrolled._outbox.counts().acked == 5


def test_409_in_flight_is_retried(enrolled, agency, records, run_sync):
    agency.faults = ["in_flight"]
    result = run_sync(enrolled)
    assert "still working" in result.of(Retrying)[0].cause
    assert enrolled._outbox.counts().acked == 5


def test_413_splits_the_batch(enrolled, agency, records, run_sync):
    agency.faults = ["413"]
    run_sync(enrolled)
    # the refused batch (4 segments and the escrow) goes again in two halves
    assert [_count(s) for s, _ in agency.requests] == [2, 3]
    assert enrolled._outbox.counts().acked == 5


def test_giving_up_records_the_error_in_words_and_keeps_everything_pending(
    enrolled, agency, records, run_sync, fake_time
):
    agency.faults = ["connect"] * 10
    events: list = []

    with pytest.raises(AgencyUnreachable, match="gave up after 3 attempts"):
        run_sync(enrolled, events, max_attempts=3)

    assert len(fake_time.sleeps) == 2
    assert not any(isinstance(e, SyncFinished) for e in events)
    status = enrolled.link.status()
    assert "could not connect" in status.last_error and status.last_attempt_failed
    assert status.last_success_at is None and status.pending == 5
    assert enrolled.link.history()[0].outcome == "failed"
    audit = enrolled._audit.entries(limit=1)[0]
    assert audit.detail["outcome"] == "failed"


def test_the_retry_budget_bounds_the_time_spent_retrying(
    enrolled, agency, records, run_sync, fake_time
):
    agency.faults = ["503"] * 50
    with pytest.raises(AgencyUnreachable, match="budget"):
        run_sync(enrolled, max_attempts=50, backoff_base_s=10, retry_budget_s=30)
    assert sum(fake_time.sleeps) <= 30


def test_after_a_drop_mid_sync_the_next_sync_sends_only_what_was_not_acked(
    enrolled, agency, make_draft, run_sync
):
    all_ops = set(_many_notes(enrolled, make_draft, 30))
    cap = 4096
    # batch 1 goes through; batch 2 fails every time; the run gives up (one batch
    # at a time, so the faults meet the batches in order; the pipelined window is
    # tests/sync/test_segments_sync.py)
    agency.faults = [None, "connect", "connect"]
    with pytest.raises(AgencyUnreachable):
        run_sync(enrolled, batch_bytes=cap, max_attempts=2, pipeline=1)
    acked_first = _acked_ops(enrolled)
    assert 0 < len(acked_first) < len(all_ops)
    first_requests = len(agency.requests)

    run_sync(enrolled, batch_bytes=cap)

    resent = {op for s, _ in agency.requests[first_requests:] for op in s.batch.op_ids}
    assert resent == all_ops - acked_first
    assert enrolled._outbox.counts().pending == 0
    assert len(agency.records) == len(all_ops)


def _acked_ops(session) -> set[str]:
    return {
        r[0] for r in session._db.conn.execute("SELECT op_id FROM outbox WHERE state = 'acked'")
    }


def test_a_batch_rebuilt_after_a_restart_is_deduplicated_by_op_id(
    enrolled, agency, records, run_sync
):
    agency.faults = ["cut"]
    with pytest.raises(AgencyUnreachable):
        run_sync(enrolled, max_attempts=1)  # the agency stored it, the laptop never heard
    assert enrolled._outbox.counts().pending == 5
    seqs_before = {op: s.seq for (_, op), s in agency.records.items()}

    run_sync(enrolled)

    first, second = agency.requests
    assert first[0].batch.batch_id != second[0].batch.batch_id  # a new batch...
    assert {r.op_id for r in first[0].batch.records} == {r.op_id for r in second[0].batch.records}
    assert {op: s.seq for (_, op), s in agency.records.items()} == seqs_before  # ...no new rows
    seqs = dict(enrolled._db.conn.execute("SELECT op_id, server_seq FROM outbox"))
    assert seqs == seqs_before


def test_stopping_the_generator_records_a_stopped_run(enrolled, records, agency):
    gen = enrolled.link.sync(transport=agency.transport())
    assert isinstance(next(gen), SyncStarted)
    gen.close()
    assert enrolled.link.history()[0].outcome == "stopped"
    assert enrolled.link.status().last_error == "the sync was stopped before it finished"


# -- inbound ---------------------------------------------------------------------------------


def test_feedback_reaches_the_note_and_moves_its_state(enrolled, agency, records, run_sync):
    note = records["note"]
    run_sync(enrolled)
    agency.send_feedback(
        _device_id(enrolled), note.id, "returned", "Add the plan, please.", "Sam Supervisor"
    )

    result = run_sync(enrolled)

    assert result.summary.feedback == 1
    [applied] = result.of(InboundApplied)
    assert applied.feedback == 1 and applied.cursor == 1
    assert enrolled.notes.get(note.id).state is NoteState.RETURNED
    [fb] = enrolled.notes.feedback_for(note.id).items
    assert (fb.decision, fb.comment, fb.reviewer) == (
        "returned",
        "Add the plan, please.",
        "Sam Supervisor",
    )
    assert "Add the plan" not in repr(fb)
    assert enrolled._device.get().cursor == 1
    events = [(e.event, e.detail) for e in enrolled._audit.entries(limit=3)]
    assert ("sync", {"kind": "feedback", "note_id": note.id, "decision": "returned"}) in events

    # approved later on (after an addendum the note was resubmitted)
    agency.send_feedback(_device_id(enrolled), note.id, "approved", "Thanks.", "Sam Supervisor")
    run_sync(enrolled)
    assert enrolled.notes.get(note.id).state is NoteState.APPROVED
    assert [f.decision for f in enrolled.notes.feedback_for(note.id).items] == [
        "returned",
        "approved",
    ]


def test_feedback_that_arrives_before_the_ack_still_applies(enrolled, agency, records, run_sync):
    note = records["note"]
    agency.faults = ["cut"]
    with pytest.raises(AgencyUnreachable):
        run_sync(enrolled, max_attempts=1)
    assert enrolled.notes.get(note.id).state is NoteState.SIGNED
    agency.send_feedback(_device_id(enrolled), note.id, "approved", "Fine.", "Sam")

    run_sync(enrolled)

    assert enrolled.notes.get(note.id).state is NoteState.APPROVED


def test_inbound_is_not_applied_twice(enrolled, agency, records, run_sync):
    note = records["note"]
    agency.send_feedback(_device_id(enrolled), note.id, "approved", "Fine.", "Sam")
    agency.add_outbound(None, "policy", "", b"signed policy")
    first = run_sync(enrolled)
    assert (first.summary.feedback, first.summary.ignored_inbound) == (1, 1)
    # the agency sends items at or below the cursor again (e.g. a replayed answer)
    real = agency._process

    def replaying(device, batch):
        return real(device, dataclasses.replace(batch, cursor=0))

    agency._process = replaying

    again = run_sync(enrolled)

    assert (again.summary.feedback, again.summary.ignored_inbound) == (0, 0)
    assert len(enrolled.notes.feedback_for(note.id).items) == 1
    assert enrolled._device.get().cursor == 2


def test_feedback_that_does_not_open_is_ignored_and_reported(enrolled, agency, records, run_sync):
    note = records["note"]
    did = _device_id(enrolled)
    seq = agency.send_feedback(did, note.id, "approved", "Fine.", "Sam")
    # moved to another note: sealed for note A, delivered as feedback on note B
    other = records["addendum"].id
    agency.outbound = [(s, d, k, other if s == seq else r, p) for s, d, k, r, p in agency.outbound]

    result = run_sync(enrolled)

    assert result.summary.ignored_inbound == 1 and result.summary.feedback == 0
    assert enrolled.notes.feedback_for(other).items == []
    assert enrolled._device.get().cursor == seq  # not asked for again


def test_policy_and_directory_items_are_skipped_and_paged(enrolled, agency, run_sync):
    for i in range(5):
        agency.add_outbound(None, "policy" if i % 2 else "directory", "", b"signed doc %d" % i)
    agency.inbound_limit = 2

    result = run_sync(enrolled)

    assert result.summary.ignored_inbound == 5
    assert enrolled._device.get().cursor == 5
    assert len(agency.requests) == 3  # the escrow batch, then pulls while "more"


def test_signed_directory_updates_are_applied_and_forged_ones_skipped(enrolled, agency, run_sync):
    dataset = hsds.load(SEED_DIRECTORY)
    agency.add_outbound(
        None, "directory", "", sign_snapshot(SigningKeyPair.generate(), dataset, version=5)
    )
    agency.add_outbound(None, "directory", "", sign_snapshot(agency.signing, dataset, version=4))
    assert enrolled.directory.is_empty()

    result = run_sync(enrolled)

    assert (result.summary.directory_updates, result.summary.ignored_inbound) == (1, 1)
    assert enrolled.directory.count() > 0
    assert enrolled._device.get().cursor == 2


def test_review_transition_goes_through_the_domain_state_machine():
    assert review_transition(NoteState.SUBMITTED, "approved") is NoteState.APPROVED
    assert review_transition(NoteState.SIGNED, "returned") is NoteState.RETURNED
    assert review_transition(NoteState.RETURNED, "approved") is NoteState.APPROVED
    with pytest.raises(InvalidTransition):
        review_transition(NoteState.APPROVED, "returned")
    with pytest.raises(InvalidTransition):
        review_transition(NoteState.DRAFT, "approved")


# -- wipe orders and revocation -----------------------------------------------------------------


def test_forged_wipe_order_is_ignored_and_reported(
    enrolled, agency, records, run_sync, passphrase, reopen
):
    did = _device_id(enrolled)
    agency.add_outbound(did, "wipe", "", agency.wipe_order(did, signer=SigningKeyPair.generate()))
    agency.add_outbound(did, "wipe", "", agency.wipe_order("0190f0c0-0000-7000-8000-0000000000ff"))
    agency.add_outbound(did, "wipe", "", b"not even a document")

    result = run_sync(enrolled)

    assert result.summary.forged_wipes == 3
    assert not enrolled._vault.is_wiped
    assert enrolled._outbox.counts().acked == 5
    s2 = reopen(enrolled)
    assert s2.participants.get(records["participant"].id).display_name == "Jordan Fieldcase"


def test_valid_wipe_order_erases_the_profile_before_anything_else(
    enrolled, agency, records, run_sync, manager, profile_name, passphrase
):
    did = _device_id(enrolled)
    agency.add_outbound(did, "wipe", "", agency.wipe_order(did))

    with pytest.raises(DeviceRevoked, match="erased"):
        run_sync(enrolled)

    assert enrolled._vault.is_wiped and not enrolled.is_unlocked
    # the acks of that answer were not applied: the erase came first
    assert enrolled._outbox.counts().acked == 0
    status = enrolled.link.status()
    assert "revoked" in status.last_error
    assert enrolled.link.history()[0].outcome == "revoked"
    enrolled.close()
    again = manager.open(profile_name)
    try:
        with pytest.raises(ProfileWiped):
            again.unlock(passphrase)
    finally:
        again.close()


def test_revoked_device_gets_a_403_with_a_wipe_order_and_is_erased(
    enrolled, agency, records, run_sync
):
    agency.devices[_device_id(enrolled)].revoked = True
    with pytest.raises(DeviceRevoked, match="erased"):
        run_sync(enrolled)
    assert enrolled._vault.is_wiped


def test_revoked_403_with_a_forged_wipe_order_erases_nothing(
    enrolled, agency, records, run_sync, monkeypatch
):
    did = _device_id(enrolled)
    agency.devices[did].revoked = True
    forger = SigningKeyPair.generate()
    real = agency.wipe_order
    monkeypatch.setattr(agency, "wipe_order", lambda device_id: real(device_id, signer=forger))

    with pytest.raises(DeviceRevoked, match="nothing was erased"):
        run_sync(enrolled)

    assert not enrolled._vault.is_wiped and enrolled.is_unlocked
    assert enrolled.link.history()[0].outcome == "revoked"


def test_wrong_credential_is_a_rejection_in_words(enrolled, agency, records, run_sync):
    agency.devices[_device_id(enrolled)].credential_hash = b"\0" * 32
    with pytest.raises(AgencyRejected) as err:
        run_sync(enrolled)
    assert err.value.status == 401 and err.value.code == "unauthorized"
    assert "401" in enrolled.link.status().last_error
    assert enrolled._outbox.counts().pending == 5


# -- keys -----------------------------------------------------------------------------------------


def test_records_refused_for_an_old_key_are_resealed_with_the_refreshed_bundle(
    enrolled, agency, records, run_sync
):
    old_review = agency.review
    agency.rotate_review_key()

    result = run_sync(enrolled)

    assert enrolled.link.quarantine() == []
    assert enrolled._outbox.counts().acked == 5
    assert result.summary.rejected == 0
    reviewed = {s.record.key_id for s in agency.records.values() if s.record.kind != "escrow"}
    assert reviewed == {agency.review.key_id} != {old_review.key_id}
    # the new bundle is kept (and verified with the root key at the next run)
    run_sync(enrolled)


def _bundle_checked_days_ago(session, days: int) -> None:
    when = to_iso(now_utc() - timedelta(days=days))
    session._db.conn.execute("UPDATE device SET bundle_checked_at = ?", (when,))
    session._db.conn.commit()


def test_rotated_keys_are_picked_up_once_a_day_before_sealing(enrolled, agency, records, run_sync):
    agency.rotate_review_key()
    run_sync(enrolled)  # checked at enrollment: no extra round trip today
    assert agency.bundle_requests == 1  # only to recover from the "unknown_key" rejects

    _bundle_checked_days_ago(enrolled, 0)
    enrolled.participants.add("Later Person")
    run_sync(enrolled)
    assert agency.bundle_requests == 1

    agency.rotate_review_key()
    agency.bundle_issued_at = "2026-01-01T00:00:00.000+00:00"
    agency.bundle_blob = agency.make_bundle()
    _bundle_checked_days_ago(enrolled, 2)
    enrolled.participants.add("Next Day Person")
    sent_before = len(agency.requests)
    result = run_sync(enrolled)
    assert agency.bundle_requests == 2
    # sealed to the new key from the start: no round trip lost to rejections
    [(batch, _)] = agency.requests[sent_before:]
    assert [s.key_id for s in batch.batch.segments] == [agency.review.key_id]
    assert result.summary.rejected == 0 and enrolled.link.quarantine() == []
    newest = max(agency.records.values(), key=lambda s: s.seq)
    assert newest.record.key_id == agency.review.key_id
    assert enrolled._device.get().bundle_checked_at > to_iso(now_utc() - timedelta(minutes=5))


def test_a_failed_bundle_check_does_not_stop_the_sync(enrolled, agency, records, run_sync):
    _bundle_checked_days_ago(enrolled, 2)
    checked = enrolled._device.get().bundle_checked_at
    agency.bundle_blob = b"garbage"
    run_sync(enrolled)
    assert agency.bundle_requests == 1
    assert enrolled._outbox.counts().acked == 5
    assert enrolled._device.get().bundle_checked_at == checked  # asked again next time


def test_a_bundle_not_signed_by_the_root_is_not_taken_on_refresh(
    enrolled, agency, records, run_sync
):
    agency.rotate_review_key()
    agency.bundle_blob = agency.make_bundle(signer=SigningKeyPair.generate())

    run_sync(enrolled)

    assert {i.code for i in enrolled.link.quarantine()} == {"unknown_key"}
    assert len(enrolled.link.quarantine()) == 4  # the escrow uses the unchanged recovery key


# -- preconditions ------------------------------------------------------------------------------


def test_sync_needs_an_enrolled_profile(session, agency):
    with pytest.raises(NotEnrolled):
        next(session.link.sync(transport=agency.transport()))


def test_sync_needs_the_vault_unlocked_but_the_status_does_not(enrolled, agency, records):
    enrolled.lock()
    with pytest.raises(VaultLocked):
        next(enrolled.link.sync(transport=agency.transport()))
    status = enrolled.link.status()
    assert status.enrolled and status.pending == 5 and status.agency_name == agency.name


def test_status_of_a_profile_that_never_enrolled(session):
    status = session.link.status()
    assert not status.enrolled and status.last_attempt_at is None and not status.last_attempt_failed
    assert status.pending == 0


def test_a_window_boundary_does_not_cost_an_extra_round_trip(
    enrolled, agency, make_draft, run_sync
):
    person = enrolled.participants.add("Window Person").value
    for _ in range(7):
        enrolled.notes.sign(enrolled.notes.create_draft(make_draft(person.id)).value.id)
    before = len(agency.requests)
    # 3 entries are read and sealed at a time, but all fit in one batch
    result = run_sync(enrolled, window=3)
    assert result.summary.pending == 0
    assert len(agency.requests) - before == 1
