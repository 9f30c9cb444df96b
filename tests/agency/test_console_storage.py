"""The console's accounts and sessions in the agency database, on SQLite and
PostgreSQL: a TOTP step is used once even when two workers race, failures count
to a lock that ends, sessions are replaced and ended."""

from __future__ import annotations

import threading
from datetime import timedelta

from peerdesk.agency.storage import Storage
from peerdesk.agency.storage.admins import is_locked
from tests.agency.support import BOTH_BACKENDS, FakeClock

PASSWORD_RECORD = '{"alg": "argon2id"}'  # the storage does not look inside


def _add(storage: Storage, clock: FakeClock, name: str = "alice") -> None:
    storage.admins.add(name, "admin", PASSWORD_RECORD, "JBSWY3DPEHPK3PXP", clock())


@BOTH_BACKENDS
def test_a_totp_step_is_used_once_by_racing_workers(storage: Storage, clock: FakeClock) -> None:
    _add(storage, clock)
    results: list[bool] = []
    start = threading.Barrier(8)

    def use() -> None:
        start.wait()
        results.append(storage.admins.succeeded("alice", 1000))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [False] * 7 + [True]
    assert not storage.admins.succeeded("alice", 999)  # an earlier step, later
    assert storage.admins.succeeded("alice", 1001)


@BOTH_BACKENDS
def test_failures_lock_for_a_while_and_success_clears_them(
    storage: Storage, clock: FakeClock
) -> None:
    _add(storage, clock)
    until = clock() + timedelta(minutes=15)
    locks = [
        storage.admins.failed("alice", clock(), max_failures=3, lock_until=until) for _ in range(3)
    ]
    assert locks == [False, False, True]
    account = storage.admins.get("alice")
    assert account is not None and account.failures == 0 and is_locked(account, clock())
    assert not is_locked(account, until)
    storage.admins.failed("alice", clock(), max_failures=3, lock_until=until)
    assert storage.admins.succeeded("alice", 5)
    account = storage.admins.get("alice")
    assert account is not None and account.failures == 0 and account.locked_until is None


@BOTH_BACKENDS
def test_sessions_are_replaced_expired_and_ended(storage: Storage, clock: FakeClock) -> None:
    _add(storage, clock)
    _add(storage, clock, "bob")
    storage.admins.open_session(b"old", "alice", "t1", clock())
    storage.admins.open_session(b"stale", "bob", "t2", clock())
    clock.advance(hours=2)
    storage.admins.open_session(
        b"new", "alice", "t3", clock(), replaces=b"old", expired_before=clock() - timedelta(hours=1)
    )
    assert storage.admins.session(b"old") is None
    assert storage.admins.session(b"stale") is None  # expired: deleted on the way
    found = storage.admins.session(b"new")
    assert found is not None and found.username == "alice" and found.role == "admin"
    storage.admins.remove("alice", clock())
    assert storage.admins.session(b"new") is None
    assert storage.admins.session_count() == 0
