"""The base of the storage contract: fixtures every backend provides, and the
helpers the tests share (codes, enrollment, ingest of a batch)."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from peerdesk.agency.models import NewDevice
from peerdesk.agency.server import hash_code, hash_credential
from peerdesk.agency.storage import Storage
from peerdesk.ids import new_id, to_iso
from peerdesk.wire.protocol import Record, Reject
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
        storage.codes.add(
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
        storage.devices.enroll(
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
        claim = storage.sync.claim_batch(device_id, batch_id, os.urandom(32), clock())
        assert claim.token is not None
        return storage.sync.ingest(
            device_id=device_id,
            batch_id=batch_id,
            token=claim.token,
            records_in=recs,
            cursor=cursor,
            now=clock(),
            check=check,
        )
