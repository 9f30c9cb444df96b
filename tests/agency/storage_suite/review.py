"""The storage contract: review state kept by ingest, and decisions."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import text

from peerdesk.agency.errors import AlreadyDecided, NoteChangedSinceRead
from peerdesk.agency.models import Decision
from peerdesk.agency.storage import Storage
from peerdesk.errors import NotFound
from peerdesk.ids import new_id, to_iso
from peerdesk.wire.protocol import Record, decode_response
from tests.agency.storage_suite.base import StorageBase, StorageFactory, fake_record, run_together
from tests.agency.support import FakeClock


class ReviewTests(StorageBase):
    """Review state kept by ingest (note_reviews, review_events) and decisions."""

    def note(self, note_id: str, kind: str = "note") -> Record:
        """A record whose entity is ``note_id`` (note, addendum or resubmit)."""
        return Record(new_id(), kind, note_id, "a1b2c3d4e5f60718", "notes-v1", os.urandom(80))

    def seqs(self, response: bytes) -> list[int]:
        return [a.seq for a in decode_response(response).acks]

    def test_a_stored_note_is_received_with_an_event_by_the_peer(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        [seq] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        review = storage.reviews.get(device_id, note_id)
        assert (review.state, review.last_seq, review.updated_at) == (
            "received",
            seq,
            to_iso(clock()),
        )
        [event] = storage.reviews.history(device_id, note_id)
        assert (event.state, event.actor, event.record_seq, event.at) == (
            "received",
            "peer",
            seq,
            to_iso(clock()),
        )
        with pytest.raises(NotFound):
            storage.reviews.get(device_id, new_id())

    def test_addenda_move_last_seq_and_leave_the_state(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        self.ingest(storage, clock, device_id, [self.note(note_id)])
        clock.advance(minutes=5)
        seqs = self.seqs(
            self.ingest(
                storage, clock, device_id,
                [self.note(note_id, "addendum"), fake_record(kind="trip"),
                 self.note(note_id, "addendum")],
            )
        )  # fmt: skip
        review = storage.reviews.get(device_id, note_id)
        assert review.state == "received" and review.last_seq == seqs[2]
        assert review.updated_at == to_iso(clock())
        assert [e.state for e in storage.reviews.history(device_id, note_id)] == ["received"]

    def test_the_return_and_resubmit_cycle_with_its_history(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        [first] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        returned = storage.reviews.decide(
            device_id=device_id, note_id=note_id, decision="returned", actor="Sam",
            feedback=b"sealed 1", now=clock(), seen_seq=first,
        )  # fmt: skip
        assert returned.state == "returned"
        # an addendum alone does not resubmit; the resubmit record does
        [add] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id, "addendum")]))
        assert storage.reviews.get(device_id, note_id).state == "returned"
        add2, resub = self.seqs(
            self.ingest(
                storage, clock, device_id,
                [self.note(note_id, "addendum"), self.note(note_id, "resubmit")],
            )
        )  # fmt: skip
        review = storage.reviews.get(device_id, note_id)
        assert (review.state, review.last_seq) == ("resubmitted", resub)
        approved = storage.reviews.decide(
            device_id=device_id, note_id=note_id, decision="approved", actor="Sam",
            feedback=b"sealed 2", now=clock(), seen_seq=resub,
        )  # fmt: skip
        history = storage.reviews.history(device_id, note_id)
        assert [(e.state, e.actor, e.record_seq) for e in history] == [
            ("received", "peer", first),
            ("returned", "Sam", None),
            ("resubmitted", "peer", resub),
            ("approved", "Sam", None),
        ]
        assert [e.seq for e in history][1::2] == [returned.event_seq, approved.event_seq]
        items, _ = storage.outbound.inbound(device_id, 0)
        assert [(i.seq, i.kind, i.ref, i.payload) for i in items] == [
            (returned.outbound_seq, "feedback", note_id, b"sealed 1"),
            (approved.outbound_seq, "feedback", note_id, b"sealed 2"),
        ]
        assert add < add2

    def test_a_resubmit_of_a_note_that_is_not_returned_only_moves_last_seq(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        self.ingest(storage, clock, device_id, [self.note(note_id)])
        [resub] = self.seqs(
            self.ingest(storage, clock, device_id, [self.note(note_id, "resubmit")])
        )
        review = storage.reviews.get(device_id, note_id)
        assert (review.state, review.last_seq) == ("received", resub)
        assert len(storage.reviews.history(device_id, note_id)) == 1

    def test_addendum_or_resubmit_of_an_unknown_note_changes_nothing(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        self.ingest(
            storage, clock, device_id,
            [self.note(note_id, "addendum"), self.note(note_id, "resubmit")],
        )  # fmt: skip
        with pytest.raises(NotFound):
            storage.reviews.get(device_id, note_id)
        assert storage.reviews.events()[0] == []
        # the note itself comes later: received, its seq is the newest
        [seq] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        assert storage.reviews.get(device_id, note_id).last_seq == seq

    def test_a_note_and_its_addendum_in_one_batch_and_a_resend(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        note, addendum = self.note(note_id), self.note(note_id, "addendum")
        seqs = self.seqs(self.ingest(storage, clock, device_id, [note, addendum]))
        assert storage.reviews.get(device_id, note_id).last_seq == seqs[1]
        # resending both (lost acks) stores nothing and changes nothing
        again = self.seqs(self.ingest(storage, clock, device_id, [note, addendum]))
        assert again == seqs
        assert [e.state for e in storage.reviews.history(device_id, note_id)] == ["received"]

    def test_review_rows_are_per_device(self, storage: Storage, clock: FakeClock) -> None:
        a, b = self.enroll(storage, clock), self.enroll(storage, clock)
        note_id = new_id()  # the same id from two devices (ids are only unique per device)
        self.ingest(storage, clock, a, [self.note(note_id)])
        self.ingest(storage, clock, b, [self.note(note_id)])
        storage.reviews.decide(
            device_id=a, note_id=note_id, decision="approved", actor="Sam",
            feedback=b"x", now=clock(), seen_seq=None,
        )  # fmt: skip
        assert storage.reviews.get(a, note_id).state == "approved"
        assert storage.reviews.get(b, note_id).state == "received"

    def test_many_notes_in_one_batch_get_rows_and_events_in_record_order(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        notes = [self.note(new_id()) for _ in range(700)]
        seqs = self.seqs(self.ingest(storage, clock, device_id, notes))
        events, more = storage.reviews.events(limit=2000)
        assert not more
        assert [(e.note_id, e.record_seq) for e in events] == [
            (n.entity_id, s) for n, s in zip(notes, seqs, strict=True)
        ]
        assert [e.seq for e in events] == sorted(e.seq for e in events)

    def test_decision_on_a_note_already_decided_is_refused_and_changes_nothing(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        [seq] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        storage.reviews.decide(
            device_id=device_id, note_id=note_id, decision="returned", actor="Sam",
            feedback=b"x", now=clock(), seen_seq=seq,
        )  # fmt: skip
        for decision in ("approved", "returned"):
            with pytest.raises(AlreadyDecided, match="returned and the peer has not resubmitted"):
                storage.reviews.decide(
                    device_id=device_id, note_id=note_id, decision=decision, actor="Kim",
                    feedback=b"y", now=clock(), seen_seq=seq,
                )  # fmt: skip
        assert len(storage.reviews.history(device_id, note_id)) == 2
        assert len(storage.outbound.inbound(device_id, 0)[0]) == 1

    def test_decision_on_a_note_that_changed_since_it_was_read_is_refused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        [seen] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        [newer] = self.seqs(
            self.ingest(storage, clock, device_id, [self.note(note_id, "addendum")])
        )
        with pytest.raises(NoteChangedSinceRead, match="open it again") as err:
            storage.reviews.decide(
                device_id=device_id, note_id=note_id, decision="approved", actor="Sam",
                feedback=b"x", now=clock(), seen_seq=seen,
            )  # fmt: skip
        assert (err.value.seen_seq, err.value.last_seq, err.value.code) == (
            seen,
            newer,
            "note_changed",
        )
        assert storage.reviews.get(device_id, note_id).state == "received"
        assert storage.outbound.inbound(device_id, 0)[0] == []
        done = storage.reviews.decide(
            device_id=device_id, note_id=note_id, decision="approved", actor="Sam",
            feedback=b"x", now=clock(), seen_seq=newer,
        )  # fmt: skip
        assert done.state == "approved"

    def test_decision_outside_the_team_or_on_an_unknown_note_is_not_found(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        north = self.enroll(storage, clock, team="north")
        south = self.enroll(storage, clock, team="south")
        note_id = new_id()
        self.ingest(storage, clock, south, [self.note(note_id)])
        for device_id, nid in ((south, note_id), (north, new_id()), (new_id(), note_id)):
            with pytest.raises(NotFound):
                storage.reviews.decide(
                    device_id=device_id, note_id=nid, decision="approved", actor="Sam",
                    feedback=b"x", now=clock(), seen_seq=None, team="north",
                )  # fmt: skip
        assert storage.reviews.get(south, note_id).state == "received"
        done = storage.reviews.decide(
            device_id=south, note_id=note_id, decision="approved", actor="Sam",
            feedback=b"x", now=clock(), seen_seq=None, team="south",
        )  # fmt: skip
        assert done.state == "approved"

    def test_two_supervisors_deciding_at_once_record_exactly_one_decision(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        [seq] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        a, b = storage_factory(), storage_factory()

        def decide(store: Storage, decision: str, who: str) -> Any:
            return store.reviews.decide(
                device_id=device_id, note_id=note_id, decision=decision, actor=who,
                feedback=who.encode(), now=clock(), seen_seq=seq,
            )  # fmt: skip

        for _ in range(3 if self.writers_serialize else 10):
            results = run_together(
                lambda: decide(a, "approved", "Sam"), lambda: decide(b, "returned", "Kim")
            )
            won = [r for r in results if isinstance(r, Decision)]
            lost = [r for r in results if isinstance(r, AlreadyDecided)]
            assert len(won) == 1 and len(lost) == 1, results
            history = storage.reviews.history(device_id, note_id)
            assert [e.state for e in history[1:]] == [won[0].state]
            assert len(storage.outbound.inbound(device_id, 0)[0]) == 1
            # back to "waiting" for the next round (a resubmission after a return)
            with storage.engine.begin() as conn:
                conn.execute(text("UPDATE note_reviews SET state = 'received'"))
                conn.execute(text("DELETE FROM review_events WHERE state <> 'received'"))
                conn.execute(text("DELETE FROM outbound"))

    def test_pending_records_leave_out_notes_that_wait_for_no_decision(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        approved, returned, waiting = new_id(), new_id(), new_id()
        self.ingest(
            storage, clock, device_id,
            [self.note(approved), self.note(returned), self.note(waiting),
             fake_record(kind="trip"), self.note(waiting, "addendum")],
        )  # fmt: skip
        for note_id, decision in ((approved, "approved"), (returned, "returned")):
            storage.reviews.decide(
                device_id=device_id, note_id=note_id, decision=decision, actor="Sam",
                feedback=b"x", now=clock(), seen_seq=None,
            )  # fmt: skip
        pending = storage.records.find(pending_only=True)
        assert [(r.kind, r.entity_id) for r in pending][:1] == [("note", waiting)]
        assert [r.kind for r in pending] == ["note", "trip", "addendum"]
        self.ingest(storage, clock, device_id, [self.note(returned, "resubmit")])
        pending = storage.records.find(pending_only=True, kinds=["note"])
        assert [r.entity_id for r in pending] == [returned, waiting]
        assert len(storage.records.find()) == 6
