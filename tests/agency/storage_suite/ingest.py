"""The storage contract: idempotent batches, ingest, inbound items, escrows."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from peerdesk.agency.errors import BatchInFlight, IdempotencyMismatch
from peerdesk.agency.storage import Storage
from peerdesk.agency.storage.ingest import SyncIngest
from peerdesk.ids import new_id, to_iso
from peerdesk.wire.protocol import Record, Reject, decode_response
from tests.agency.storage_suite.base import (
    StorageBase,
    StorageFactory,
    accept_all,
    fake_record,
    run_together,
)
from tests.agency.support import FakeClock


class IngestTests(StorageBase):
    def test_ingest_acknowledges_records_with_increasing_seqs_in_batch_order(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        recs = [fake_record(size=60) for _ in range(1200)]  # more than one insert chunk
        response = decode_response(self.ingest(storage, clock, device_id, recs))
        assert [a.op_id for a in response.acks] == [r.op_id for r in recs]
        seqs = [a.seq for a in response.acks]
        assert seqs == sorted(seqs) and len(set(seqs)) == 1200
        stored = storage.records.find(device_id=device_id, with_sealed=True, limit=2000)
        assert [(s.seq, s.op_id, s.sealed) for s in stored] == [
            (a.seq, r.op_id, r.sealed) for a, r in zip(response.acks, recs, strict=True)
        ]

    def test_op_id_sent_again_is_acknowledged_with_its_stored_seq_and_not_stored_twice(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        first = fake_record()
        one = decode_response(self.ingest(storage, clock, device_id, [first]))
        again = decode_response(self.ingest(storage, clock, device_id, [first, fake_record()]))
        assert again.acks[0] == one.acks[0]
        assert again.acks[1].seq > one.acks[0].seq
        assert storage.records.count(device_id) == 2

    def test_op_id_repeated_within_a_batch_counts_once(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        rec = fake_record()
        response = decode_response(self.ingest(storage, clock, device_id, [rec, rec, rec]))
        assert [a.op_id for a in response.acks] == [rec.op_id]
        assert [(r.op_id, r.code) for r in response.rejects] == [
            (rec.op_id, "duplicate_in_batch")
        ] * 2
        assert storage.records.count() == 1

    def test_rejected_records_are_not_stored_and_the_rest_are(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        good, bad = fake_record(), fake_record(kind="memo")

        def check(rec: Record) -> Reject | None:
            return Reject(rec.op_id, "bad_kind", "no memos") if rec.kind == "memo" else None

        response = decode_response(self.ingest(storage, clock, device_id, [bad, good], check=check))
        assert [a.op_id for a in response.acks] == [good.op_id]
        assert response.rejects == (Reject(bad.op_id, "bad_kind", "no memos"),)
        assert [r.op_id for r in storage.records.find()] == [good.op_id]

    def test_same_op_id_from_two_devices_is_two_records(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        a, b = self.enroll(storage, clock), self.enroll(storage, clock)
        op = new_id()
        self.ingest(storage, clock, a, [fake_record(op)])
        self.ingest(storage, clock, b, [fake_record(op)])
        assert storage.records.count() == 2

    def test_ingest_stores_nothing_when_its_claim_was_taken_over(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id = new_id()
        body = os.urandom(32)
        first = storage.sync.claim_batch(device_id, batch_id, body, clock())
        clock.advance(seconds=61)
        second = storage.sync.claim_batch(device_id, batch_id, body, clock())
        assert first.token and second.token and first.token != second.token
        with pytest.raises(BatchInFlight):
            storage.sync.ingest(
                device_id=device_id,
                batch_id=batch_id,
                token=first.token,
                records_in=[fake_record()],
                cursor=0,
                now=clock(),
                check=accept_all,
            )
        assert storage.records.count() == 0


class BatchTests(StorageBase):
    def test_done_batch_is_replayed_with_its_stored_response_bytes(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), os.urandom(32)
        claim = storage.sync.claim_batch(device_id, batch_id, body, clock())
        assert claim.token is not None and claim.replay is None
        response = storage.sync.ingest(
            device_id=device_id,
            batch_id=batch_id,
            token=claim.token,
            records_in=[fake_record()],
            cursor=0,
            now=clock(),
            check=accept_all,
        )
        again = storage.sync.claim_batch(device_id, batch_id, body, clock())
        assert again.token is None and again.replay == response

    def test_same_batch_id_with_another_body_is_a_mismatch_in_flight_or_done(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id = new_id()
        storage.sync.claim_batch(device_id, batch_id, b"a" * 32, clock())
        with pytest.raises(IdempotencyMismatch):
            storage.sync.claim_batch(device_id, batch_id, b"b" * 32, clock())
        done_id = new_id()
        self.ingest(storage, clock, device_id, [], batch_id=done_id)
        with pytest.raises(IdempotencyMismatch):
            storage.sync.claim_batch(device_id, done_id, b"c" * 32, clock())

    def test_batch_in_flight_is_refused_until_it_is_abandoned(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), b"h" * 32
        storage.sync.claim_batch(device_id, batch_id, body, clock())
        clock.advance(seconds=59)
        with pytest.raises(BatchInFlight):
            storage.sync.claim_batch(device_id, batch_id, body, clock())
        clock.advance(seconds=2)
        assert storage.sync.claim_batch(device_id, batch_id, body, clock()).token is not None

    def test_released_claim_can_be_taken_again_at_once(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), b"h" * 32
        claim = storage.sync.claim_batch(device_id, batch_id, body, clock())
        assert claim.token is not None
        storage.sync.release_batch(device_id, batch_id, claim.token)
        assert storage.sync.claim_batch(device_id, batch_id, body, clock()).token is not None

    def test_concurrent_claims_of_one_batch_let_exactly_one_through(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), b"h" * 32
        a, b = storage_factory(), storage_factory()
        results = run_together(
            lambda: a.sync.claim_batch(device_id, batch_id, body, clock()),
            lambda: b.sync.claim_batch(device_id, batch_id, body, clock()),
        )
        assert sum(isinstance(r, BatchInFlight) for r in results) == 1
        assert sum(getattr(r, "token", None) is not None for r in results) == 1


class InboundTests(StorageBase):
    def test_inbound_pages_oldest_first_from_the_cursor(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        seqs = [
            storage.outbound.queue(device_id, "policy", "", bytes([i]), clock()) for i in range(5)
        ]
        page, more = storage.outbound.inbound(device_id, 0, limit=2)
        assert [i.seq for i in page] == seqs[:2] and more
        page, more = storage.outbound.inbound(device_id, page[-1].seq, limit=2)
        assert [i.seq for i in page] == seqs[2:4] and more
        page, more = storage.outbound.inbound(device_id, page[-1].seq, limit=2)
        assert [i.seq for i in page] == seqs[4:] and not more

    def test_inbound_holds_broadcasts_but_not_other_devices_items(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        mine, other = self.enroll(storage, clock), self.enroll(storage, clock)
        storage.outbound.queue(other, "feedback", new_id(), b"theirs", clock())
        everyone = storage.outbound.queue(None, "directory", "", b"for all", clock())
        own = storage.outbound.queue(mine, "feedback", new_id(), b"mine", clock())
        page, _ = storage.outbound.inbound(mine, 0)
        assert [i.seq for i in page] == [everyone, own]

    def test_sync_response_carries_the_inbound_page_and_the_new_cursor(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        seqs = [storage.outbound.queue(device_id, "policy", "", b"p", clock()) for _ in range(3)]
        response = decode_response(self.ingest(storage, clock, device_id, [], cursor=seqs[0]))
        assert [i.seq for i in response.inbound] == seqs[1:]
        assert response.cursor == seqs[-1] and not response.more
        empty = decode_response(self.ingest(storage, clock, device_id, [], cursor=seqs[-1]))
        assert empty.inbound == () and empty.cursor == seqs[-1]


class ConcurrencyTests(StorageBase):
    def test_concurrent_ingest_of_the_same_op_id_stores_one_row(
        self,
        storage_factory: StorageFactory,
        storage: Storage,
        clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        device_id = self.enroll(storage, clock)
        op = new_id()
        original_insert, original_query = SyncIngest._insert_records, SyncIngest._stored_seqs
        requeried: list[dict[str, int]] = []

        def stored_seqs(self: SyncIngest, conn: Any, dev: str, ops: Any) -> dict[str, int]:
            found = original_query(self, conn, dev, ops)
            requeried.append(found)
            return found

        monkeypatch.setattr(SyncIngest, "_stored_seqs", stored_seqs)
        if not self.writers_serialize:
            # Force the race: both workers are inside their transactions, past every
            # check, before either inserts; the unique key has to settle it.
            barrier = threading.Barrier(2)

            def insert_records(self: SyncIngest, *args: Any) -> dict[str, int]:
                barrier.wait(30)
                return original_insert(self, *args)

            monkeypatch.setattr(SyncIngest, "_insert_records", insert_records)
        a, b = storage_factory(), storage_factory()
        results = run_together(
            lambda: self.ingest(a, clock, device_id, [fake_record(op)]),
            lambda: self.ingest(b, clock, device_id, [fake_record(op)]),
        )
        acks = [decode_response(r).acks for r in results]
        assert acks[0] == acks[1] and len(acks[0]) == 1
        assert storage.records.count(device_id) == 1
        # the loser's insert skipped the row; one re-query found the winner's seq
        assert requeried == [{op: acks[0][0].seq}]


class EscrowTests(StorageBase):
    def test_newest_unused_escrow_is_found_and_can_be_used_only_once(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        self.ingest(storage, clock, device_id, [fake_record(kind="escrow")])
        self.ingest(storage, clock, device_id, [fake_record(kind="note")])
        newer = fake_record(kind="escrow")
        self.ingest(storage, clock, device_id, [newer])
        escrow = storage.records.newest_unused_escrow(device_id)
        assert escrow is not None and escrow.op_id == newer.op_id and escrow.sealed == newer.sealed
        assert storage.records.mark_escrow_used(escrow.seq, clock())
        assert not storage.records.mark_escrow_used(escrow.seq, clock())
        assert storage.records.last_used_escrow_at(device_id) == to_iso(clock())
        older = storage.records.newest_unused_escrow(device_id)
        assert older is not None and older.seq < escrow.seq

    def test_concurrent_use_of_one_escrow_succeeds_once(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        self.ingest(storage, clock, device_id, [fake_record(kind="escrow")])
        escrow = storage.records.newest_unused_escrow(device_id)
        assert escrow is not None
        a, b = storage_factory(), storage_factory()
        results = run_together(
            lambda: a.records.mark_escrow_used(escrow.seq, clock()),
            lambda: b.records.mark_escrow_used(escrow.seq, clock()),
        )
        assert sorted(results) == [False, True]
