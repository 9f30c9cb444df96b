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
    AlreadyDecided,
    BadEnrollmentCode,
    BatchInFlight,
    DeviceExists,
    IdempotencyMismatch,
    NoteChangedSinceRead,
    SchemaMismatch,
    SupervisorExists,
)
from peerdesk.agency.models import (
    REVIEW,
    AgencyKeyInfo,
    AuditEntry,
    Decision,
    NewDevice,
    NewSupervisor,
    ReviewGrant,
    Supervisor,
)
from peerdesk.agency.server import hash_code, hash_credential
from peerdesk.agency.storage import Storage
from peerdesk.agency.tables import metadata
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import new_id, to_iso
from peerdesk.wire.protocol import Record, Reject, decode_response
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

    def code(
        self, storage: Storage, clock: FakeClock, hours: float = 72, code: str = "", team: str = ""
    ) -> str:
        code = code or secrets.token_hex(8)
        storage.add_enrollment_code(
            hash_code(code),
            created_at=to_iso(clock()),
            expires_at=to_iso(clock() + timedelta(hours=hours)),
            team=team,
        )
        return code

    def enroll(
        self, storage: Storage, clock: FakeClock, device_id: str | None = None, team: str = ""
    ) -> str:
        device_id = device_id or new_id()
        storage.enroll_device(
            hash_code(self.code(storage, clock, team=team)),
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
        review = storage.note_review(device_id, note_id)
        assert (review.state, review.last_seq, review.updated_at) == (
            "received",
            seq,
            to_iso(clock()),
        )
        [event] = storage.note_history(device_id, note_id)
        assert (event.state, event.actor, event.record_seq, event.at) == (
            "received",
            "peer",
            seq,
            to_iso(clock()),
        )
        with pytest.raises(NotFound):
            storage.note_review(device_id, new_id())

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
        review = storage.note_review(device_id, note_id)
        assert review.state == "received" and review.last_seq == seqs[2]
        assert review.updated_at == to_iso(clock())
        assert [e.state for e in storage.note_history(device_id, note_id)] == ["received"]

    def test_the_return_and_resubmit_cycle_with_its_history(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        [first] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        returned = storage.decide(
            device_id=device_id, note_id=note_id, decision="returned", actor="Sam",
            feedback=b"sealed 1", now=clock(), seen_seq=first,
        )  # fmt: skip
        assert returned.state == "returned"
        # an addendum alone does not resubmit; the resubmit record does
        [add] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id, "addendum")]))
        assert storage.note_review(device_id, note_id).state == "returned"
        add2, resub = self.seqs(
            self.ingest(
                storage, clock, device_id,
                [self.note(note_id, "addendum"), self.note(note_id, "resubmit")],
            )
        )  # fmt: skip
        review = storage.note_review(device_id, note_id)
        assert (review.state, review.last_seq) == ("resubmitted", resub)
        approved = storage.decide(
            device_id=device_id, note_id=note_id, decision="approved", actor="Sam",
            feedback=b"sealed 2", now=clock(), seen_seq=resub,
        )  # fmt: skip
        history = storage.note_history(device_id, note_id)
        assert [(e.state, e.actor, e.record_seq) for e in history] == [
            ("received", "peer", first),
            ("returned", "Sam", None),
            ("resubmitted", "peer", resub),
            ("approved", "Sam", None),
        ]
        assert [e.seq for e in history][1::2] == [returned.event_seq, approved.event_seq]
        items, _ = storage.inbound(device_id, 0)
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
        review = storage.note_review(device_id, note_id)
        assert (review.state, review.last_seq) == ("received", resub)
        assert len(storage.note_history(device_id, note_id)) == 1

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
            storage.note_review(device_id, note_id)
        assert storage.review_events()[0] == []
        # the note itself comes later: received, its seq is the newest
        [seq] = self.seqs(self.ingest(storage, clock, device_id, [self.note(note_id)]))
        assert storage.note_review(device_id, note_id).last_seq == seq

    def test_a_note_and_its_addendum_in_one_batch_and_a_resend(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        note_id = new_id()
        note, addendum = self.note(note_id), self.note(note_id, "addendum")
        seqs = self.seqs(self.ingest(storage, clock, device_id, [note, addendum]))
        assert storage.note_review(device_id, note_id).last_seq == seqs[1]
        # resending both (lost acks) stores nothing and changes nothing
        again = self.seqs(self.ingest(storage, clock, device_id, [note, addendum]))
        assert again == seqs
        assert [e.state for e in storage.note_history(device_id, note_id)] == ["received"]

    def test_review_rows_are_per_device(self, storage: Storage, clock: FakeClock) -> None:
        a, b = self.enroll(storage, clock), self.enroll(storage, clock)
        note_id = new_id()  # the same id from two devices (ids are only unique per device)
        self.ingest(storage, clock, a, [self.note(note_id)])
        self.ingest(storage, clock, b, [self.note(note_id)])
        storage.decide(
            device_id=a, note_id=note_id, decision="approved", actor="Sam",
            feedback=b"x", now=clock(), seen_seq=None,
        )  # fmt: skip
        assert storage.note_review(a, note_id).state == "approved"
        assert storage.note_review(b, note_id).state == "received"

    def test_many_notes_in_one_batch_get_rows_and_events_in_record_order(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        notes = [self.note(new_id()) for _ in range(700)]
        seqs = self.seqs(self.ingest(storage, clock, device_id, notes))
        events, more = storage.review_events(limit=2000)
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
        storage.decide(
            device_id=device_id, note_id=note_id, decision="returned", actor="Sam",
            feedback=b"x", now=clock(), seen_seq=seq,
        )  # fmt: skip
        for decision in ("approved", "returned"):
            with pytest.raises(AlreadyDecided, match="returned and the peer has not resubmitted"):
                storage.decide(
                    device_id=device_id, note_id=note_id, decision=decision, actor="Kim",
                    feedback=b"y", now=clock(), seen_seq=seq,
                )  # fmt: skip
        assert len(storage.note_history(device_id, note_id)) == 2
        assert len(storage.inbound(device_id, 0)[0]) == 1

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
            storage.decide(
                device_id=device_id, note_id=note_id, decision="approved", actor="Sam",
                feedback=b"x", now=clock(), seen_seq=seen,
            )  # fmt: skip
        assert (err.value.seen_seq, err.value.last_seq, err.value.code) == (
            seen,
            newer,
            "note_changed",
        )
        assert storage.note_review(device_id, note_id).state == "received"
        assert storage.inbound(device_id, 0)[0] == []
        done = storage.decide(
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
                storage.decide(
                    device_id=device_id, note_id=nid, decision="approved", actor="Sam",
                    feedback=b"x", now=clock(), seen_seq=None, team="north",
                )  # fmt: skip
        assert storage.note_review(south, note_id).state == "received"
        done = storage.decide(
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
            return store.decide(
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
            history = storage.note_history(device_id, note_id)
            assert [e.state for e in history[1:]] == [won[0].state]
            assert len(storage.inbound(device_id, 0)[0]) == 1
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
            storage.decide(
                device_id=device_id, note_id=note_id, decision=decision, actor="Sam",
                feedback=b"x", now=clock(), seen_seq=None,
            )  # fmt: skip
        pending = storage.list_records(pending_only=True)
        assert [(r.kind, r.entity_id) for r in pending][:1] == [("note", waiting)]
        assert [r.kind for r in pending] == ["note", "trip", "addendum"]
        self.ingest(storage, clock, device_id, [self.note(returned, "resubmit")])
        pending = storage.list_records(pending_only=True, kinds=["note"])
        assert [r.entity_id for r in pending] == [returned, waiting]
        assert len(storage.list_records()) == 6


class TeamTests(StorageBase):
    def test_a_device_code_puts_the_device_in_its_team(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        north = self.enroll(storage, clock, team="north")
        none = self.enroll(storage, clock)
        assert storage.device(north).team == "north" and storage.device(none).team == ""
        assert [s.device.device_id for s in storage.devices(team="north")] == [north]
        assert [d.device_id for d in storage.team_devices("north")] == [north]
        assert [d.device_id for d in storage.team_devices("")] == [none]

    def test_moving_a_device_to_another_team(self, storage: Storage, clock: FakeClock) -> None:
        device_id = self.enroll(storage, clock, team="north")
        moved = storage.set_device_team(device_id, "south", clock())
        assert moved.team == "south" and storage.team_devices("north") == []
        with pytest.raises(NotFound):
            storage.set_device_team(new_id(), "south", clock())

    def test_team_records_hold_only_the_teams_devices_and_the_kinds_asked(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        north = self.enroll(storage, clock, team="north")
        south = self.enroll(storage, clock, team="south")
        mine = [fake_record(kind=k) for k in ("note", "trip", "escrow", "correction", "referral")]
        self.ingest(storage, clock, north, mine)
        self.ingest(storage, clock, south, [fake_record(), fake_record(kind="trip")])
        found, more = storage.team_records("north", ("note", "trip", "referral"))
        assert not more
        assert [(r.device_id, r.kind, r.op_id, r.sealed) for r in found] == [
            (north, r.kind, r.op_id, r.sealed)
            for r in mine
            if r.kind in ("note", "trip", "referral")
        ]
        assert storage.team_records("east", ("note",)) == ([], False)

    def test_team_records_and_events_page_by_seq(self, storage: Storage, clock: FakeClock) -> None:
        north = self.enroll(storage, clock, team="north")
        south = self.enroll(storage, clock, team="south")
        for i in range(5):
            self.ingest(storage, clock, north if i % 2 == 0 else south, [fake_record()])
        pages: list[list[int]] = []
        after = 0
        while True:
            found, more = storage.team_records("north", ("note",), after_seq=after, limit=2)
            pages.append([r.seq for r in found])
            if not more:
                break
            after = found[-1].seq
        assert [len(p) for p in pages] == [2, 1]
        events, more = storage.review_events(team="north", limit=2)
        assert more and [e.device_id for e in events] == [north, north]
        rest, more = storage.review_events(team="north", after_seq=events[-1].seq)
        assert not more and [e.device_id for e in rest] == [north]
        everyone, _ = storage.review_events()
        assert len(everyone) == 5


class SupervisorTests(StorageBase):
    def invite(
        self, storage: Storage, clock: FakeClock, team: str = "north", name: str = "Sam Okafor"
    ) -> str:
        code = secrets.token_hex(8)
        storage.add_enrollment_code(
            hash_code(code),
            created_at=to_iso(clock()),
            expires_at=to_iso(clock() + timedelta(hours=1)),
            role="supervisor",
            team=team,
            name=name,
        )
        return code

    def supervisor(
        self, storage: Storage, clock: FakeClock, team: str = "north", asked: str = "Sam"
    ) -> Supervisor:
        new = NewSupervisor(new_id(), asked, os.urandom(32), os.urandom(32))
        return storage.enroll_supervisor(
            hash_code(self.invite(storage, clock, team)),
            new,
            hash_credential(new.supervisor_id),
            clock(),
        )

    def test_an_invite_enrolls_a_supervisor_of_its_team_once(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        code = self.invite(storage, clock, "north", "Sam Okafor")
        new = NewSupervisor(new_id(), "sam", b"s" * 32, b"b" * 32)
        made = storage.enroll_supervisor(hash_code(code), new, b"c" * 32, clock())
        assert (made.team, made.name, made.removed) == ("north", "Sam Okafor", False)
        assert storage.supervisor(new.supervisor_id) == made
        assert storage.supervisor_by_credential(b"c" * 32) == made
        assert storage.supervisor_by_credential(b"d" * 32) is None
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_supervisor(
                hash_code(code), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32), b"e" * 32,
                clock(),
            )  # fmt: skip

    def test_invite_without_a_name_takes_the_name_the_supervisor_gave(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        code = self.invite(storage, clock, "north", "")
        new = NewSupervisor(new_id(), "Kim Lee", b"s" * 32, b"b" * 32)
        assert storage.enroll_supervisor(hash_code(code), new, b"c" * 32, clock()).name == "Kim Lee"

    def test_device_codes_and_invites_enroll_only_their_own_kind(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_code = self.code(storage, clock)
        invite = self.invite(storage, clock)
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_supervisor(
                hash_code(device_code), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32),
                b"c" * 32, clock(),
            )  # fmt: skip
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_device(
                hash_code(invite), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"1" * 32,
                clock(),
            )  # fmt: skip
        # both stay usable for their own kind
        self.enroll(storage, clock)  # (a fresh code) - and the refused one still works:
        storage.enroll_device(
            hash_code(device_code), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"2" * 32,
            clock(),
        )  # fmt: skip
        storage.enroll_supervisor(
            hash_code(invite), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32), b"c" * 32,
            clock(),
        )  # fmt: skip

    def test_expired_invite_and_taken_supervisor_id_are_refused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        expired = self.invite(storage, clock)
        clock.advance(hours=1)
        with pytest.raises(BadEnrollmentCode):
            storage.enroll_supervisor(
                hash_code(expired), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32),
                b"c" * 32, clock(),
            )  # fmt: skip
        first = self.supervisor(storage, clock)
        code = self.invite(storage, clock)
        with pytest.raises(SupervisorExists):
            storage.enroll_supervisor(
                hash_code(code), NewSupervisor(first.supervisor_id, "x", b"s" * 32, b"b" * 32),
                b"z" * 32, clock(),
            )  # fmt: skip
        assert len(storage.supervisors()) == 1

    def test_an_unknown_role_is_refused(self, storage: Storage, clock: FakeClock) -> None:
        with pytest.raises(ValidationError, match="role"):
            storage.add_enrollment_code(
                b"h" * 32, created_at="a", expires_at="b", role="admin", team="north"
            )

    def test_grants_are_stored_replaced_and_listed_with_the_key_expiry(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        old = AgencyKeyInfo("00000000000000a1", REVIEW, b"k" * 32, to_iso(clock()), "2030-01-01")
        clock.advance(seconds=1)
        new = AgencyKeyInfo("00000000000000a2", REVIEW, b"l" * 32, to_iso(clock()))
        storage.change_keys(add=[old, new], bundle=b"b", issued_at=to_iso(clock()))
        sup = self.supervisor(storage, clock)
        sid = sup.supervisor_id
        storage.put_grants(
            [ReviewGrant(sid, new.key_id, b"new"), ReviewGrant(sid, old.key_id, b"old")], clock()
        )
        storage.put_grants([ReviewGrant(sid, new.key_id, b"new again")], clock())
        assert [(g.key_id, g.sealed, g.not_after) for g in storage.grants(sid)] == [
            (old.key_id, b"old", "2030-01-01"),
            (new.key_id, b"new again", ""),
        ]
        assert storage.grants(new_id()) == []

    def test_removing_a_supervisor_deletes_their_grants_and_is_audited(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        key = AgencyKeyInfo("00000000000000a1", REVIEW, b"k" * 32, to_iso(clock()))
        storage.change_keys(add=[key], bundle=b"b", issued_at=to_iso(clock()))
        sam, kim = self.supervisor(storage, clock), self.supervisor(storage, clock)
        storage.put_grants(
            [ReviewGrant(s.supervisor_id, key.key_id, b"g") for s in (sam, kim)], clock()
        )
        audit = AuditEntry("it@host", "supervisor-remove", sam.supervisor_id)
        removed = storage.remove_supervisor(sam.supervisor_id, clock(), audit=audit)
        assert removed.removed_at == to_iso(clock())
        assert storage.supervisor(sam.supervisor_id).removed
        assert (
            storage.grants(sam.supervisor_id) == [] and len(storage.grants(kim.supervisor_id)) == 1
        )
        assert [s.supervisor_id for s in storage.supervisors(active_only=True)] == [
            kim.supervisor_id
        ]
        assert len(storage.supervisors()) == 2
        with pytest.raises(ValidationError, match="already removed"):
            storage.remove_supervisor(sam.supervisor_id, clock(), audit=audit)
        with pytest.raises(NotFound):
            storage.remove_supervisor(new_id(), clock())
        with pytest.raises(ValidationError, match="removed or unknown"):
            storage.put_grants([ReviewGrant(sam.supervisor_id, key.key_id, b"g")], clock())
        assert [(r.action, r.target) for r in storage.admin_audit()] == [
            ("supervisor-remove", sam.supervisor_id)
        ]

    def test_a_rotation_grants_the_new_key_to_active_supervisors_with_the_bundle(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        sam, kim = self.supervisor(storage, clock), self.supervisor(storage, clock)
        storage.remove_supervisor(kim.supervisor_id, clock())
        key = AgencyKeyInfo("00000000000000b1", REVIEW, b"k" * 32, to_iso(clock()))
        storage.change_keys(
            add=[key],
            bundle=b"bundle",
            issued_at=to_iso(clock()),
            # the removed one is skipped (a rotation racing a removal), not an error
            grants=[ReviewGrant(s.supervisor_id, key.key_id, b"g") for s in (sam, kim)],
            audit=AuditEntry("it@host", "rotate-review-key", ""),
        )
        assert [g.key_id for g in storage.grants(sam.supervisor_id)] == [key.key_id]
        assert storage.grants(kim.supervisor_id) == []
        assert [r.action for r in storage.admin_audit()] == ["rotate-review-key"]


class AuditTests(StorageBase):
    def test_admin_actions_append_audit_rows_in_order(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        storage.add_enrollment_code(
            b"h" * 32, created_at=to_iso(clock()), expires_at=to_iso(clock()), team="north",
            audit=AuditEntry("it@host", "enroll", "north", "device code"),
        )  # fmt: skip
        clock.advance(minutes=1)
        storage.set_device_team(
            device_id, "north", clock(), audit=AuditEntry("it@host", "device-team", device_id)
        )
        storage.revoke_device(
            device_id, b"order", clock(), audit=AuditEntry("it@host", "revoke", device_id)
        )
        storage.add_audit(AuditEntry("x" * 300, "y" * 50, "z" * 300, "d" * 900), clock())
        rows = storage.admin_audit()
        assert [(r.action, r.target) for r in rows[:3]] == [
            ("enroll", "north"),
            ("device-team", device_id),
            ("revoke", device_id),
        ]
        assert rows[0].detail == "device code" and rows[1].at == to_iso(clock())
        assert [r.seq for r in rows] == sorted(r.seq for r in rows)
        # over-long values are cut to the column sizes, not refused
        assert (len(rows[3].actor), len(rows[3].action), len(rows[3].detail)) == (100, 32, 500)
        assert [r.seq for r in storage.admin_audit(after_seq=rows[1].seq, limit=1)] == [rows[2].seq]

    def test_a_refused_action_leaves_no_audit_row(self, storage: Storage, clock: FakeClock) -> None:
        device_id = self.enroll(storage, clock)
        storage.revoke_device(device_id, b"order", clock())
        with pytest.raises(ValidationError):
            storage.revoke_device(
                device_id, b"order", clock(), audit=AuditEntry("it@host", "revoke", device_id)
            )
        with pytest.raises(NotFound):
            storage.set_device_team(
                new_id(), "x", clock(), audit=AuditEntry("it@host", "device-team", "x")
            )
        assert storage.admin_audit() == []


class MigrationDataTests(StorageBase):
    def test_upgrade_to_0003_keeps_the_review_state_of_stored_notes(
        self, empty: Storage, clock: FakeClock
    ) -> None:
        migrations.upgrade(empty.engine, "0002")
        dev, approved, plain = new_id(), new_id(), new_id()
        with empty.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO devices (device_id, label, sign_pub, box_pub, credential_hash, "
                    "enrolled_at) VALUES (:d, 'L', :k, :k, :k, '2026-01-01')"
                ),
                {"d": dev, "k": b"k" * 32},
            )
            for seq, (kind, entity, state) in enumerate(
                [("note", approved, "approved"), ("note", plain, None), ("trip", new_id(), None)],
                start=1,
            ):
                conn.execute(
                    text(
                        "INSERT INTO records (seq, device_id, op_id, kind, entity_id, key_id, "
                        "dictionary, sealed, size, batch_id, received_at, review_state) VALUES "
                        "(:s, :d, :op, :kind, :e, 'k', '', :b, 1, 'b', :at, :st)"
                    ),
                    {
                        "s": seq,
                        "d": dev,
                        "op": new_id(),
                        "kind": kind,
                        "e": entity,
                        "b": b"x",
                        "at": f"2026-01-0{seq}",
                        "st": state,
                    },  # fmt: skip
                )
            conn.execute(
                text(
                    "INSERT INTO outbound (device_id, kind, ref, payload, created_at) "
                    "VALUES (:d, 'feedback', :n, :p, '2026-02-01')"
                ),
                {"d": dev, "n": approved, "p": b"sealed"},
            )
        assert empty.migrate().up_to_date
        assert empty.note_review(dev, approved).state == "approved"
        assert (empty.note_review(dev, plain).state, empty.note_review(dev, plain).last_seq) == (
            "received",
            2,
        )
        assert [(e.state, e.at, e.actor) for e in empty.note_history(dev, approved)] == [
            ("received", "2026-01-01", "peer"),
            ("approved", "2026-02-01", "supervisor"),
        ]
        assert empty.device(dev).team == ""
        # and back: the decision returns to the note record
        migrations.downgrade(empty.engine, "0002")
        with empty.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT entity_id, review_state FROM records WHERE kind = 'note'")
            ).all()
        assert {entity: state for entity, state in rows} == {approved: "approved", plain: None}


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
    TeamTests,
    SupervisorTests,
    AuditTests,
    MigrationDataTests,
    KeyTests,
):
    """Everything a storage backend must do."""
