"""The storage contract: rate-limit counters every worker shares, and enrollment
codes found by their keyed hash (or, for rows from before 0005, the unkeyed one)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, text

from peerdesk.agency import migrations
from peerdesk.agency.errors import BadEnrollmentCode
from peerdesk.agency.models import NewDevice
from peerdesk.agency.server import hash_code, keyed_code_hash
from peerdesk.agency.storage import Storage
from peerdesk.agency.tables import rate_limits
from peerdesk.ids import new_id, to_iso
from tests.agency.storage_suite.base import StorageBase, StorageFactory, run_together
from tests.agency.support import FakeClock

WINDOW = 1_800_000


class LimitTests(StorageBase):
    def test_hits_count_up_to_the_limit_and_an_attempt_over_it_adds_nothing(
        self, storage: Storage
    ) -> None:
        limits = {"a:203.0.113.7": 3, "c:abc": 10}
        for _ in range(3):
            assert storage.limits.take(limits, WINDOW) is None
        assert storage.limits.take(limits, WINDOW) == "a:203.0.113.7"
        # the refused attempt was rolled back whole: the code bucket did not move either
        assert storage.limits.hits(list(limits), WINDOW) == {"a:203.0.113.7": 3, "c:abc": 3}
        storage.limits.give_back(list(limits), WINDOW)
        assert storage.limits.hits(list(limits), WINDOW) == {"a:203.0.113.7": 2, "c:abc": 2}
        # another address is not held up by this one's count
        assert storage.limits.take({"a:198.51.100.20": 3, "c:abc": 10}, WINDOW) is None

    def test_a_new_window_starts_at_zero_and_forgets_the_old_rows(self, storage: Storage) -> None:
        for _ in range(3):
            storage.limits.take({"a:x": 3}, WINDOW)
        assert storage.limits.take({"a:x": 3}, WINDOW) == "a:x"
        assert storage.limits.take({"a:x": 3}, WINDOW + 900) is None
        assert storage.limits.hits(["a:x"], WINDOW + 900) == {"a:x": 1}
        rows = storage.db.scalar(select(func.count()).select_from(rate_limits))
        assert rows == 1

    def test_workers_on_one_database_never_take_more_than_the_limit_together(
        self, storage: Storage, storage_factory: StorageFactory
    ) -> None:
        workers = [storage, storage_factory(), storage_factory()]
        limits = {"a:203.0.113.7": 5}
        results = run_together(
            *[lambda w=workers[i % 3]: w.limits.take(limits, WINDOW) for i in range(15)]
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sum(1 for r in results if r is None) == 5
        assert storage.limits.hits(list(limits), WINDOW) == {"a:203.0.113.7": 5}


class CodeHashTests(StorageBase):
    def _device(self) -> NewDevice:
        return NewDevice(new_id(), "Laptop", os.urandom(32), os.urandom(32))

    def test_a_keyed_row_is_found_by_its_keyed_hash_only(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        key = os.urandom(32)
        keyed = keyed_code_hash("ABCDE-FGHJK", key)
        storage.codes.add(keyed, created_at=to_iso(clock()), expires_at="9999-12-31")
        with pytest.raises(BadEnrollmentCode):  # the unkeyed hash of the same code
            storage.devices.enroll(
                hash_code("ABCDE-FGHJK"), self._device(), os.urandom(32), clock()
            )
        with pytest.raises(BadEnrollmentCode):  # another key
            storage.devices.enroll(
                keyed_code_hash("ABCDE-FGHJK", os.urandom(32)), self._device(), os.urandom(32),
                clock(), legacy_hash=hash_code("ABCDE-FGHJK"),
            )  # fmt: skip
        storage.devices.enroll(
            keyed, self._device(), os.urandom(32), clock(), legacy_hash=hash_code("ABCDE-FGHJK")
        )

    def test_a_code_stored_before_0005_still_enrolls_by_its_unkeyed_hash(
        self, empty: Storage, clock: FakeClock
    ) -> None:
        migrations.upgrade(empty.engine, "0003")
        old = hash_code("OLDCO-DE123")
        with empty.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO enrollment_codes (code_hash, created_at, expires_at) "
                    "VALUES (:h, '2026-01-01', '9999-12-31')"
                ),
                {"h": old},
            )
        assert empty.migrate().up_to_date
        with empty.engine.connect() as conn:
            kind = conn.execute(text("SELECT hash_kind FROM enrollment_codes")).scalar()
        assert kind == "sha256"
        key = os.urandom(32)
        with pytest.raises(BadEnrollmentCode):  # the unkeyed hash is looked for only if given
            empty.devices.enroll(old, self._device(), os.urandom(32), clock())
        empty.devices.enroll(
            keyed_code_hash("OLDCO-DE123", key), self._device(), os.urandom(32), clock(),
            legacy_hash=old,
        )  # fmt: skip
