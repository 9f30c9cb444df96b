"""The agency storage contract, written once (Kinto's ``storage/testing.py`` is the
model) and run by one concrete class per backend (test_storage_backends.py).

A concrete class provides the ``storage_factory`` fixture (each call gives a new
:class:`Storage` with its own connection pool on the *same* database) and says
whether its writers queue on one lock (SQLite) or race (PostgreSQL).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from peerdesk.agency import migrations
from peerdesk.agency.errors import (
    BadEnrollmentCode,
    BatchInFlight,
    DeviceExists,
    IdempotencyMismatch,
    SchemaMismatch,
)
from peerdesk.agency.models import REVIEW, AgencyKeyInfo, NewDevice
from peerdesk.agency.server import hash_code, hash_credential
from peerdesk.agency.storage import Storage
from peerdesk.agency.tables import metadata
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import new_id, to_iso
from peerdesk.sync.protocol import Record, Reject, decode_response
from tests.agency.support import FakeClock

StorageFactory = Callable[[], Storage]


def accept_all(_rec: Record) -> Reject | None:
    return None


def fake_record(op_id: str | None = None, kind: str = "note", size: int = 300) -> Record:
    """Storage does not look inside a record: random bytes stand in for the seal."""
    return Record(
        op_id or new_id(), kind, new_id(), "a1b2c3d4e5f60718", "notes-v1", os.urandom(size)
    )


def run_together(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Run the calls in threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        barrier.wait(timeout)
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a concurrent call did not finish"
    return results


class StorageBase:
    #: True when the backend lets only one writer in at a time (SQLite)
    writers_serialize = True

    @pytest.fixture
    def storage_factory(self) -> StorageFactory:
        raise NotImplementedError("a concrete backend class provides storage_factory")

    @pytest.fixture
    def empty(self, storage_factory: StorageFactory) -> Storage:
        return storage_factory()

    @pytest.fixture
    def storage(self, empty: Storage) -> Storage:
        empty.migrate()
        return empty

    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock()

    # --- helpers ----------------------------------------------------------------------

    def code(self, storage: Storage, clock: FakeClock, hours: float = 72, code: str = "") -> str:
        code = code or secrets.token_hex(8)
        storage.add_enrollment_code(
            hash_code(code),
            created_at=to_iso(clock()),
            expires_at=to_iso(clock() + timedelta(hours=hours)),
        )
        return code

    def enroll(self, storage: Storage, clock: FakeClock, device_id: str | None = None) -> str:
        device_id = device_id or new_id()
        storage.enroll_device(
            hash_code(self.code(storage, clock)),
            NewDevice(device_id, "Laptop", os.urandom(32), os.urandom(32)),
            hash_credential(device_id + "-credential"),
            clock(),
        )
        return device_id

    def ingest(
        self,
        storage: Storage,
        clock: FakeClock,
        device_id: str,
        recs: list[Record],
        *,
        cursor: int = 0,
        check: Callable[[Record], Reject | None] = accept_all,
        batch_id: str | None = None,
    ) -> bytes:
        batch_id = batch_id or new_id()
        claim = storage.claim_batch(device_id, batch_id, os.urandom(32), clock())
        assert claim.token is not None
        return storage.ingest(
            device_id=device_id,
            batch_id=batch_id,
            token=claim.token,
            records_in=recs,
            cursor=cursor,
            now=clock(),
            check=check,
        )


class MigrationTests(StorageBase):
    def test_migrating_an_empty_database_creates_exactly_the_declared_schema(
        self, empty: Storage
    ) -> None:
        status = empty.migrate()
        assert status.up_to_date and status.current == migrations.heads()
        with empty.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, metadata) == []

    def test_schema_check_refuses_an_empty_database_as_behind(self, empty: Storage) -> None:
        with pytest.raises(SchemaMismatch, match="behind.*peerdesk-agency migrate") as err:
            empty.check_schema()
        assert err.value.current == () and err.value.head == migrations.heads()

    def test_schema_check_and_migrate_refuse_a_database_from_a_newer_version(
        self, storage: Storage
    ) -> None:
        with storage.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(SchemaMismatch, match="newer"):
            storage.check_schema()
        with pytest.raises(SchemaMismatch, match="newer"):
            storage.migrate()

    def test_downgrade_to_nothing_and_upgrade_again_round_trips(self, storage: Storage) -> None:
        migrations.downgrade(storage.engine, "base")
        assert storage.schema_status().current == ()
        assert storage.migrate().up_to_date


class EnrollmentTests(StorageBase):
    def test_enrollment_code_works_once(self, storage: Storage, clock: FakeClock) -> None:
        code = self.code(storage, clock)
        storage.enroll_device(
            hash_code(code), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"1" * 32, clock()
        )
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_device(
                hash_code(code), NewDevice(new_id(), "B", b"s" * 32, b"b" * 32), b"2" * 32, clock()
            )
        assert len(storage.devices()) == 1

    def test_expired_enrollment_code_is_refused(self, storage: Storage, clock: FakeClock) -> None:
        code = self.code(storage, clock, hours=1)
        clock.advance(hours=1)
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_device(
                hash_code(code), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"1" * 32, clock()
            )
        assert storage.devices() == []

    def test_unknown_enrollment_code_is_refused(self, storage: Storage, clock: FakeClock) -> None:
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_device(
                hash_code("NOSUCHCODE"),
                NewDevice(new_id(), "A", b"s" * 32, b"b" * 32),
                b"1" * 32,
                clock(),
            )

    def test_taken_device_id_is_refused_and_leaves_the_code_unused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        code = self.code(storage, clock)
        with pytest.raises(DeviceExists):
            storage.enroll_device(
                hash_code(code), NewDevice(device_id, "A", b"s" * 32, b"b" * 32), b"9" * 32, clock()
            )
        storage.enroll_device(
            hash_code(code), NewDevice(new_id(), "B", b"s" * 32, b"b" * 32), b"8" * 32, clock()
        )
        assert len(storage.devices()) == 2

    def test_concurrent_enrollments_with_one_code_enroll_one_device(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        code = self.code(storage, clock)
        others = [storage_factory(), storage_factory()]

        def enroll(store: Storage, marker: bytes) -> str:
            device = NewDevice(new_id(), "A", b"s" * 32, b"b" * 32)
            store.enroll_device(hash_code(code), device, marker * 32, clock())
            return device.device_id

        results = run_together(lambda: enroll(others[0], b"1"), lambda: enroll(others[1], b"2"))
        assert sum(isinstance(r, str) for r in results) == 1
        assert sum(isinstance(r, BadEnrollmentCode) for r in results) == 1
        assert len(storage.devices()) == 1


class DeviceTests(StorageBase):
    def test_device_is_found_by_its_credential_hash(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        found = storage.device_by_credential(hash_credential(device_id + "-credential"))
        assert found is not None and found.device_id == device_id and not found.revoked
        assert storage.device_by_credential(hash_credential("someone else")) is None

    def test_revoking_keeps_the_wipe_order_and_queues_it_for_the_device(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        seq = storage.revoke_device(device_id, b"signed wipe order", clock())
        device = storage.device(device_id)
        assert device.revoked and device.wipe_order == b"signed wipe order"
        items, more = storage.inbound(device_id, 0)
        assert [(i.seq, i.kind, i.payload) for i in items] == [(seq, "wipe", b"signed wipe order")]
        assert not more

    def test_revoking_twice_or_an_unknown_device_is_refused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        storage.revoke_device(device_id, b"order", clock())
        with pytest.raises(ValidationError, match="already revoked"):
            storage.revoke_device(device_id, b"order", clock())
        with pytest.raises(NotFound):
            storage.revoke_device(new_id(), b"order", clock())

    def test_device_list_counts_each_devices_records(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        a, b = self.enroll(storage, clock), self.enroll(storage, clock)
        self.ingest(storage, clock, a, [fake_record(), fake_record()])
        counts = {s.device.device_id: s.records for s in storage.devices()}
        assert counts == {a: 2, b: 0}


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
        stored = storage.list_records(device_id=device_id, with_sealed=True, limit=2000)
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
        assert storage.count_records(device_id) == 2

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
        assert storage.count_records() == 1

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
        assert [r.op_id for r in storage.list_records()] == [good.op_id]

    def test_same_op_id_from_two_devices_is_two_records(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        a, b = self.enroll(storage, clock), self.enroll(storage, clock)
        op = new_id()
        self.ingest(storage, clock, a, [fake_record(op)])
        self.ingest(storage, clock, b, [fake_record(op)])
        assert storage.count_records() == 2

    def test_ingest_stores_nothing_when_its_claim_was_taken_over(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id = new_id()
        body = os.urandom(32)
        first = storage.claim_batch(device_id, batch_id, body, clock())
        clock.advance(seconds=61)
        second = storage.claim_batch(device_id, batch_id, body, clock())
        assert first.token and second.token and first.token != second.token
        with pytest.raises(BatchInFlight):
            storage.ingest(
                device_id=device_id,
                batch_id=batch_id,
                token=first.token,
                records_in=[fake_record()],
                cursor=0,
                now=clock(),
                check=accept_all,
            )
        assert storage.count_records() == 0


class BatchTests(StorageBase):
    def test_done_batch_is_replayed_with_its_stored_response_bytes(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), os.urandom(32)
        claim = storage.claim_batch(device_id, batch_id, body, clock())
        assert claim.token is not None and claim.replay is None
        response = storage.ingest(
            device_id=device_id,
            batch_id=batch_id,
            token=claim.token,
            records_in=[fake_record()],
            cursor=0,
            now=clock(),
            check=accept_all,
        )
        again = storage.claim_batch(device_id, batch_id, body, clock())
        assert again.token is None and again.replay == response

    def test_same_batch_id_with_another_body_is_a_mismatch_in_flight_or_done(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id = new_id()
        storage.claim_batch(device_id, batch_id, b"a" * 32, clock())
        with pytest.raises(IdempotencyMismatch):
            storage.claim_batch(device_id, batch_id, b"b" * 32, clock())
        done_id = new_id()
        self.ingest(storage, clock, device_id, [], batch_id=done_id)
        with pytest.raises(IdempotencyMismatch):
            storage.claim_batch(device_id, done_id, b"c" * 32, clock())

    def test_batch_in_flight_is_refused_until_it_is_abandoned(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), b"h" * 32
        storage.claim_batch(device_id, batch_id, body, clock())
        clock.advance(seconds=59)
        with pytest.raises(BatchInFlight):
            storage.claim_batch(device_id, batch_id, body, clock())
        clock.advance(seconds=2)
        assert storage.claim_batch(device_id, batch_id, body, clock()).token is not None

    def test_released_claim_can_be_taken_again_at_once(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), b"h" * 32
        claim = storage.claim_batch(device_id, batch_id, body, clock())
        assert claim.token is not None
        storage.release_batch(device_id, batch_id, claim.token)
        assert storage.claim_batch(device_id, batch_id, body, clock()).token is not None

    def test_concurrent_claims_of_one_batch_let_exactly_one_through(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        batch_id, body = new_id(), b"h" * 32
        a, b = storage_factory(), storage_factory()
        results = run_together(
            lambda: a.claim_batch(device_id, batch_id, body, clock()),
            lambda: b.claim_batch(device_id, batch_id, body, clock()),
        )
        assert sum(isinstance(r, BatchInFlight) for r in results) == 1
        assert sum(getattr(r, "token", None) is not None for r in results) == 1


class InboundTests(StorageBase):
    def test_inbound_pages_oldest_first_from_the_cursor(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        seqs = [
            storage.queue_outbound(device_id, "policy", "", bytes([i]), clock()) for i in range(5)
        ]
        page, more = storage.inbound(device_id, 0, limit=2)
        assert [i.seq for i in page] == seqs[:2] and more
        page, more = storage.inbound(device_id, page[-1].seq, limit=2)
        assert [i.seq for i in page] == seqs[2:4] and more
        page, more = storage.inbound(device_id, page[-1].seq, limit=2)
        assert [i.seq for i in page] == seqs[4:] and not more

    def test_inbound_holds_broadcasts_but_not_other_devices_items(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        mine, other = self.enroll(storage, clock), self.enroll(storage, clock)
        storage.queue_outbound(other, "feedback", new_id(), b"theirs", clock())
        everyone = storage.queue_outbound(None, "directory", "", b"for all", clock())
        own = storage.queue_outbound(mine, "feedback", new_id(), b"mine", clock())
        page, _ = storage.inbound(mine, 0)
        assert [i.seq for i in page] == [everyone, own]

    def test_sync_response_carries_the_inbound_page_and_the_new_cursor(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        seqs = [storage.queue_outbound(device_id, "policy", "", b"p", clock()) for _ in range(3)]
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
        original_insert, original_query = Storage._insert_records, Storage._stored_seqs
        requeried: list[dict[str, int]] = []

        def stored_seqs(self: Storage, conn: Any, dev: str, ops: Any) -> dict[str, int]:
            found = original_query(self, conn, dev, ops)
            requeried.append(found)
            return found

        monkeypatch.setattr(Storage, "_stored_seqs", stored_seqs)
        if not self.writers_serialize:
            # Force the race: both workers are inside their transactions, past every
            # check, before either inserts; the unique key has to settle it.
            barrier = threading.Barrier(2)

            def insert_records(self: Storage, *args: Any) -> dict[str, int]:
                barrier.wait(30)
                return original_insert(self, *args)

            monkeypatch.setattr(Storage, "_insert_records", insert_records)
        a, b = storage_factory(), storage_factory()
        results = run_together(
            lambda: self.ingest(a, clock, device_id, [fake_record(op)]),
            lambda: self.ingest(b, clock, device_id, [fake_record(op)]),
        )
        acks = [decode_response(r).acks for r in results]
        assert acks[0] == acks[1] and len(acks[0]) == 1
        assert storage.count_records(device_id) == 1
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
        escrow = storage.newest_unused_escrow(device_id)
        assert escrow is not None and escrow.op_id == newer.op_id and escrow.sealed == newer.sealed
        assert storage.mark_escrow_used(escrow.seq, clock())
        assert not storage.mark_escrow_used(escrow.seq, clock())
        assert storage.last_used_escrow_at(device_id) == to_iso(clock())
        older = storage.newest_unused_escrow(device_id)
        assert older is not None and older.seq < escrow.seq

    def test_concurrent_use_of_one_escrow_succeeds_once(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        self.ingest(storage, clock, device_id, [fake_record(kind="escrow")])
        escrow = storage.newest_unused_escrow(device_id)
        assert escrow is not None
        a, b = storage_factory(), storage_factory()
        results = run_together(
            lambda: a.mark_escrow_used(escrow.seq, clock()),
            lambda: b.mark_escrow_used(escrow.seq, clock()),
        )
        assert sorted(results) == [False, True]


class ReviewTests(StorageBase):
    def test_feedback_sets_the_review_state_and_queues_the_item(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note = fake_record()
        self.ingest(storage, clock, device_id, [note, fake_record(kind="trip")])
        assert len(storage.list_records(pending_only=True)) == 2
        seq = storage.record_feedback(device_id, note.entity_id, "approved", b"sealed", clock())
        pending = storage.list_records(pending_only=True)
        assert [r.kind for r in pending] == ["trip"]
        items, _ = storage.inbound(device_id, 0)
        assert [(i.seq, i.kind, i.ref) for i in items] == [(seq, "feedback", note.entity_id)]
        with pytest.raises(NotFound):
            storage.record_feedback(device_id, new_id(), "approved", b"sealed", clock())


class KeyTests(StorageBase):
    def test_keys_and_bundles_change_together_and_the_latest_bundle_is_served(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        assert storage.latest_bundle() is None
        first = AgencyKeyInfo("00000000000000a1", REVIEW, b"k" * 32, to_iso(clock()))
        storage.change_keys(add=[first], bundle=b"bundle 1", issued_at=to_iso(clock()))
        second = AgencyKeyInfo("00000000000000a2", REVIEW, b"l" * 32, to_iso(clock()))
        storage.change_keys(
            add=[second], not_after={first.key_id: "2030-01-01"}, bundle=b"bundle 2", issued_at="x"
        )
        assert storage.latest_bundle() == b"bundle 2"
        assert {(k.key_id, k.not_after) for k in storage.agency_keys(REVIEW)} == {
            (first.key_id, "2030-01-01"),
            (second.key_id, ""),
        }


class StorageContract(
    MigrationTests,
    EnrollmentTests,
    DeviceTests,
    IngestTests,
    BatchTests,
    InboundTests,
    ConcurrencyTests,
    EscrowTests,
    ReviewTests,
    KeyTests,
):
    """Everything a storage backend must do."""
