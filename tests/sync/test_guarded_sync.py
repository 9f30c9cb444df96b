"""One writer: a sync driven by the desktop app's task manager touches the profile
only on the DB thread and waits for the network on the network pool, so other
work on the profile (autosave) goes on during a slow sync; a sync stops cleanly
if the profile is locked while a request is out."""

from __future__ import annotations

import random
import threading
from typing import Any

import httpx
import pytest

from peerdesk.errors import VaultLocked
from peerdesk.link.sync import SyncFinished, SyncOptions
from peerdesk.services import Session
from tests.conftest import PASSPHRASE
from tests.sync.fake_agency import FakeAgency
from ui.taskman import Outcome, TaskManager

WAIT = 10.0


def _signed_note(session: Session, make_draft: Any) -> str:
    person = session.participants.add("Guarded Sync Person").value
    note = session.notes.create_draft(make_draft(person.id)).value
    return session.notes.sign(note.id).value.id


class SlowAgency(httpx.BaseTransport):
    """The fake agency, with every ``/v1/sync`` held until :attr:`gate` is set;
    records the thread of every request."""

    def __init__(self, agency: FakeAgency) -> None:
        self.inner = agency.transport()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.threads: set[int] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.threads.add(threading.get_ident())
        if request.url.path == "/v1/sync":
            self.entered.set()
            if not self.gate.wait(timeout=WAIT):
                raise httpx.ReadTimeout("the test never let the request go", request=request)
        return self.inner.handle_request(request)


@pytest.fixture
def tm(qtbot: Any) -> Any:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=WAIT)


def test_a_draft_save_completes_while_the_sync_waits_for_a_slow_request(
    enrolled: Session, agency: FakeAgency, make_draft: Any, tm: TaskManager, qtbot: Any
) -> None:
    _signed_note(enrolled, make_draft)
    person = enrolled.participants.add("Autosave Person").value
    slow = SlowAgency(agency)
    done: list[Any] = []
    handle = (
        tm.steps(enrolled.link.run, SyncOptions(), transport=slow)
        .success(done.append)
        .failure(done.append)
        .run()
    )
    assert slow.entered.wait(WAIT)
    saved: list[Any] = []
    tm.db(enrolled.notes.create_draft, make_draft(person.id)).success(saved.append).run()
    qtbot.waitUntil(lambda: bool(saved), timeout=int(WAIT * 1000))
    # the draft is saved while the sync's request is still out
    assert not slow.gate.is_set() and not handle.done
    slow.gate.set()
    qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
    assert handle.outcome is Outcome.SUCCEEDED
    assert done[0].value.pending == 0 and done[0].changes.notes


def test_every_database_call_of_a_ui_driven_sync_is_on_the_db_thread(
    enrolled: Session, agency: FakeAgency, make_draft: Any, tm: TaskManager, qtbot: Any
) -> None:
    _signed_note(enrolled, make_draft)
    db_thread = tm.run_on_db_thread(threading.get_ident)
    statements: list[tuple[int, str]] = []
    conn = enrolled._db.conn
    # called by SQLite on the thread that runs each statement
    conn.set_trace_callback(lambda sql: statements.append((threading.get_ident(), sql)))
    try:
        slow = SlowAgency(agency)
        slow.gate.set()
        handle = tm.steps(enrolled.link.run, SyncOptions(), transport=slow).run()
        qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
    finally:
        tm.run_on_db_thread(lambda: conn.set_trace_callback(None))
    assert handle.outcome is Outcome.SUCCEEDED
    assert any("UPDATE outbox" in sql or "outbox" in sql for _, sql in statements)
    assert {thread for thread, _ in statements} == {db_thread}
    # and the network was used off the DB thread
    assert slow.threads and db_thread not in slow.threads


def test_a_shutdown_while_the_request_is_out_ends_the_run_on_the_db_thread(
    enrolled: Session, agency: FakeAgency, make_draft: Any, qtbot: Any
) -> None:
    _signed_note(enrolled, make_draft)
    manager = TaskManager()
    slow = SlowAgency(agency)
    try:
        handle = manager.steps(enrolled.link.run, SyncOptions(), transport=slow).run()
        assert slow.entered.wait(WAIT)
        # as on lock: the DB thread's work is waited for, the network is not
        assert manager.shutdown(timeout=WAIT, wait_for_network=False)
        # the run was stopped on the DB thread and says why
        [last] = enrolled.link.history(1)
        assert last.outcome == "failed" and "locked" in (last.error or "")
        qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
        assert handle.outcome is Outcome.FAILED
    finally:
        slow.gate.set()  # the late answer is dropped
    assert enrolled.link.status().pending >= 1
    list(enrolled.link.sync(SyncOptions(), transport=agency.transport()))
    assert enrolled.link.status().pending == 0


def test_locking_while_the_request_is_out_stops_the_run_and_nothing_is_lost(
    enrolled: Session, agency: FakeAgency, make_draft: Any
) -> None:
    note_id = _signed_note(enrolled, make_draft)
    inner = agency.transport()

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner.handle_request(request)  # the agency has stored the batch
        enrolled.lock()  # the profile is locked meanwhile
        return response

    events: list[Any] = []
    with pytest.raises(VaultLocked):
        for event in enrolled.link.sync(
            SyncOptions(), transport=httpx.MockTransport(handler), rng=random.Random(1)
        ):
            events.append(event)
    assert not any(isinstance(e, SyncFinished) for e in events)
    # the answer was not applied: the note is still queued, and the next sync's
    # resend is acknowledged by op id without a second copy on the agency
    enrolled.unlock(PASSPHRASE)
    assert enrolled.link.status().pending >= 1
    list(enrolled.link.sync(SyncOptions(), transport=agency.transport()))
    assert enrolled.link.status().pending == 0
    notes = [r for r in agency.opened(enrolled._device.require().device_id) if r[0] == "note"]
    assert [r[1] for r in notes] == [note_id]
