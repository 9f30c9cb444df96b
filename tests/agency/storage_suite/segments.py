"""The storage contract for sealed segments (issue 17): stored once, a row per
record pointing at it, deduplicated by op id, review state per note."""

from __future__ import annotations

import os

from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.ids import new_id
from peerdesk.wire.protocol import decode_response
from peerdesk.wire.segments import Segment, open_member, pack_payload, seal_segment
from tests.agency.storage_suite.base import StorageBase, fake_record
from tests.agency.support import FakeClock

KEY = BoxKeyPair.generate()


def _segment(device_id: str, kind: str, pairs: list[tuple[str, str]]) -> Segment:
    payloads = [
        pack_payload({"text": f"{kind} {i} " + os.urandom(8).hex()}) for i in range(len(pairs))
    ]
    return seal_segment(
        payloads, pairs, device_id=device_id, kind=kind, key_id=KEY.key_id,
        recipient_public=KEY.public_raw,
    )  # fmt: skip


class SegmentTests(StorageBase):
    def _ingest(
        self, storage: Storage, clock: FakeClock, device_id: str, segs: list[Segment], recs=()
    ) -> bytes:
        batch_id = new_id()
        claim = storage.sync.claim_batch(device_id, batch_id, os.urandom(32), clock())
        assert claim.token is not None
        return storage.sync.ingest(
            device_id=device_id,
            batch_id=batch_id,
            token=claim.token,
            records_in=list(recs),
            cursor=0,
            now=clock(),
            check=lambda _r: None,
            segments_in=segs,
            check_segment=lambda _s: None,
        )

    def test_a_segment_is_stored_once_with_a_row_per_record_in_order(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        notes = [(new_id(), new_id()) for _ in range(30)]
        trips = [(new_id(), new_id()) for _ in range(5)]
        escrow = fake_record(kind="escrow")
        segs = [_segment(device_id, "note", notes), _segment(device_id, "trip", trips)]
        response = decode_response(self._ingest(storage, clock, device_id, segs, [escrow]))
        order = [op for op, _ in notes + trips] + [escrow.op_id]
        assert [a.op_id for a in response.acks] == order
        assert storage.records.segment_count() == 2
        stored = storage.records.find(device_id=device_id, with_sealed=True, limit=100)
        assert [s.op_id for s in stored] == order
        note_rows = [s for s in stored if s.kind == "note"]
        assert [s.part for s in note_rows] == list(range(30))
        assert all(s.sealed == b"" and s.segment is not None for s in note_rows)
        assert stored[-1].segment is None and stored[-1].sealed == escrow.sealed
        # what a reviewer opens: the record's own part, its routing checked
        row = note_rows[7]
        held = storage.records.segments([row.segment])[row.segment]
        payload = open_member(
            held.segment, row.part, device_id=device_id, op_id=row.op_id,
            entity_id=row.entity_id, kind="note", recipient=KEY,
        )  # fmt: skip
        assert payload["text"].startswith("note 7 ")

    def test_a_resent_segment_is_acknowledged_not_stored_again(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        pairs = [(new_id(), new_id()) for _ in range(20)]
        first = decode_response(
            self._ingest(storage, clock, device_id, [_segment(device_id, "note", pairs)])
        )
        # the answer was lost: the laptop seals them again with one more, in a new batch
        more = pairs + [(new_id(), new_id())]
        again = decode_response(
            self._ingest(storage, clock, device_id, [_segment(device_id, "note", more)])
        )
        assert [(a.op_id, a.seq) for a in again.acks][:20] == [(a.op_id, a.seq) for a in first.acks]
        assert storage.records.count(device_id) == 21
        assert storage.records.segment_count() == 2  # the second holds the new one
        # all of it again: nothing new, no segment kept
        decode_response(
            self._ingest(storage, clock, device_id, [_segment(device_id, "note", more)])
        )
        assert storage.records.count(device_id) == 21 and storage.records.segment_count() == 2

    def test_a_refused_segment_rejects_each_of_its_records(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        pairs = [(new_id(), new_id()) for _ in range(3)]
        batch_id = new_id()
        claim = storage.sync.claim_batch(device_id, batch_id, os.urandom(32), clock())
        assert claim.token is not None
        raw = storage.sync.ingest(
            device_id=device_id, batch_id=batch_id, token=claim.token, records_in=[],
            cursor=0, now=clock(), check=lambda _r: None,
            segments_in=[_segment(device_id, "note", pairs)],
            check_segment=lambda _s: ("unknown_key", "not an agency key"),
        )  # fmt: skip
        response = decode_response(raw)
        assert not response.acks
        assert [(r.op_id, r.code) for r in response.rejects] == [
            (op, "unknown_key") for op, _ in pairs
        ]
        assert storage.records.count(device_id) == 0 and storage.records.segment_count() == 0

    def test_repeats_in_a_batch_and_resends_are_stored_once_across_kinds(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        first = [(new_id(), new_id()) for _ in range(3)]
        before = decode_response(
            self._ingest(storage, clock, device_id, [_segment(device_id, "note", first)])
        )
        sent = {a.op_id: a.seq for a in before.acks}
        resent, new_note, new_trip = first[1], (new_id(), new_id()), (new_id(), new_id())
        escrow = fake_record(kind="escrow")
        notes = [resent, new_note, new_note]  # a resend, a new note, the new note again
        trips = [new_note, new_trip]  # the new note's op id again, in another segment
        lone = [fake_record(op_id=new_trip[0], kind="trip"), escrow]  # a repeat, a new one
        response = decode_response(
            self._ingest(
                storage, clock, device_id,
                [_segment(device_id, "note", notes), _segment(device_id, "trip", trips)], lone,
            )
        )  # fmt: skip
        acks = [(a.op_id, a.seq) for a in response.acks]
        assert [op for op, _ in acks] == [resent[0], new_note[0], new_trip[0], escrow.op_id]
        assert acks[0] == (resent[0], sent[resent[0]])  # its stored seq, not a new row
        assert sorted(seq for _, seq in acks[1:]) == [seq for _, seq in acks[1:]]
        assert [(r.op_id, r.code) for r in response.rejects] == [
            (new_note[0], "duplicate_in_batch"),  # the note segment's third record
            (new_note[0], "duplicate_in_batch"),  # the trip segment's first
            (new_trip[0], "duplicate_in_batch"),  # the lone trip
        ]
        assert storage.records.count(device_id) == 6  # 3 + new note, new trip, escrow
        assert storage.records.segment_count() == 3  # both segments hold a new record
        stored = storage.records.find(device_id=device_id, with_sealed=True, limit=100)
        by_op = {s.op_id: s for s in stored}
        assert [s.op_id for s in stored][3:] == [new_note[0], new_trip[0], escrow.op_id]
        assert (by_op[new_note[0]].kind, by_op[new_note[0]].part) == ("note", 1)
        assert (by_op[new_trip[0]].kind, by_op[new_trip[0]].part) == ("trip", 1)
        assert by_op[new_trip[0]].entity_id == new_trip[1]
        assert by_op[escrow.op_id].segment is None
        assert storage.reviews.get(device_id, new_note[1]).state == "received"
        assert storage.reviews.get(device_id, new_note[1]).last_seq == by_op[new_note[0]].seq

    def test_a_refused_segment_still_acknowledges_what_was_stored_before(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        pairs = [(new_id(), new_id()) for _ in range(2)]
        before = decode_response(
            self._ingest(storage, clock, device_id, [_segment(device_id, "note", pairs)])
        )
        fresh = (new_id(), new_id())
        batch_id = new_id()
        claim = storage.sync.claim_batch(device_id, batch_id, os.urandom(32), clock())
        assert claim.token is not None
        response = decode_response(
            storage.sync.ingest(
                device_id=device_id, batch_id=batch_id, token=claim.token, records_in=[],
                cursor=0, now=clock(), check=lambda _r: None,
                segments_in=[_segment(device_id, "note", [pairs[0], fresh])],
                check_segment=lambda _s: ("expired_key", "the key expired"),
            )
        )  # fmt: skip
        assert [(a.op_id, a.seq) for a in response.acks] == [(pairs[0][0], before.acks[0].seq)]
        assert [(r.op_id, r.code) for r in response.rejects] == [(fresh[0], "expired_key")]
        assert storage.records.count(device_id) == 2 and storage.records.segment_count() == 1

    def test_a_segment_larger_than_one_statement_keeps_order_parts_and_reviews(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        # 1,200 records: more than one bulk statement's rows on SQLite (500 a chunk)
        device_id = self.enroll(storage, clock)
        pairs = [(new_id(), new_id()) for _ in range(1200)]
        response = decode_response(
            self._ingest(storage, clock, device_id, [_segment(device_id, "note", pairs)])
        )
        seqs = [a.seq for a in response.acks]
        assert [a.op_id for a in response.acks] == [op for op, _ in pairs]
        assert seqs == sorted(seqs) and len(set(seqs)) == 1200
        stored = storage.records.find(device_id=device_id, limit=2000)
        assert [(s.op_id, s.entity_id, s.part) for s in stored] == [
            (op, ent, i) for i, (op, ent) in enumerate(pairs)
        ]
        events, more = storage.reviews.events(limit=2000)
        assert not more
        assert [(e.note_id, e.record_seq) for e in events] == [
            (ent, seq) for (_, ent), seq in zip(pairs, seqs, strict=True)
        ]
