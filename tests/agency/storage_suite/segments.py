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
