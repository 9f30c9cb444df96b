"""A guarded sync (the desktop app's) lets other work use the profile while it
waits for the network, and stops cleanly if the profile is locked meanwhile."""

from __future__ import annotations

import random

import httpx
import pytest

from peerdesk.errors import VaultLocked
from peerdesk.service import Session
from peerdesk.sync.engine import SyncFinished, SyncOptions
from tests.conftest import PASSPHRASE
from tests.sync.fake_agency import FakeAgency


def _signed_note(session: Session, make_draft) -> str:
    person = session.participants.add("Guarded Sync Person")
    note = session.notes.create_draft(make_draft(person.id))
    return session.notes.sign(note.id).id


def test_the_guard_is_free_during_each_request_and_held_between(
    enrolled: Session, agency: FakeAgency, make_draft
) -> None:
    _signed_note(enrolled, make_draft)
    free_during_request: list[bool] = []
    inner = agency.transport()

    def handler(request: httpx.Request) -> httpx.Response:
        got = enrolled.db_guard.acquire(blocking=False)
        if got:
            enrolled.db_guard.release()
        free_during_request.append(got)
        return inner.handle_request(request)

    held_at_events: list[bool] = []
    for event in enrolled.sync(SyncOptions(), transport=httpx.MockTransport(handler), guarded=True):
        held_at_events.append(enrolled.db_guard.locked())
        if isinstance(event, SyncFinished):
            assert event.summary.pending == 0
    assert free_during_request and all(free_during_request)
    assert held_at_events and all(held_at_events)
    assert not enrolled.db_guard.locked()


def test_an_unguarded_sync_never_touches_the_guard(
    enrolled: Session, agency: FakeAgency, make_draft
) -> None:
    _signed_note(enrolled, make_draft)
    enrolled.db_guard.acquire()  # as if a UI job were running
    try:
        events = list(enrolled.sync(SyncOptions(), transport=agency.transport()))
    finally:
        enrolled.db_guard.release()
    assert isinstance(events[-1], SyncFinished)


def test_locking_while_the_request_is_out_stops_the_run_and_nothing_is_lost(
    enrolled: Session, agency: FakeAgency, make_draft
) -> None:
    note_id = _signed_note(enrolled, make_draft)
    inner = agency.transport()

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner.handle_request(request)  # the agency has stored the batch
        with enrolled.db_guard:  # the UI's DB thread locks the profile meanwhile
            enrolled.lock()
        return response

    with pytest.raises(VaultLocked):
        for _ in enrolled.sync(
            SyncOptions(),
            transport=httpx.MockTransport(handler),
            guarded=True,
            rng=random.Random(1),
        ):
            pass
    assert not enrolled.db_guard.locked()
    # the answer was not applied: the note is still queued, and the next sync's
    # resend is acknowledged by op id without a second copy on the agency
    enrolled.unlock(PASSPHRASE)
    assert enrolled.sync_status().pending >= 1
    list(enrolled.sync(SyncOptions(), transport=agency.transport()))
    assert enrolled.sync_status().pending == 0
    notes = [r for r in agency.opened(enrolled.device.require().device_id) if r[0] == "note"]
    assert [r[1] for r in notes] == [note_id]
