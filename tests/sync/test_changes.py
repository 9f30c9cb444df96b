"""What a sync run reports it changed (``session.link.run()``'s ``changes``): only
the kinds of data the run really touched, by the one rule
:func:`peerdesk.services.link.sync_changes` (the pull's rule is checked in
tests/review/test_pull_changes.py)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.models import NoteState
from peerdesk.domain.review import PullProgress
from peerdesk.interop import hsds
from peerdesk.link.steps import finish
from peerdesk.link.sync import SyncSummary
from peerdesk.services import Changes, OpResult, Session
from peerdesk.services.directory import SEED_DIRECTORY
from peerdesk.services.link import pull_changes, sync_changes
from peerdesk.wire.directory_updates import sign_snapshot
from tests.sync.fake_agency import FakeAgency

NOTHING = SyncSummary(
    batches=1, sent=0, acked=0, rejected=0, quarantined_here=0, feedback=0,
    ignored_inbound=0, forged_wipes=0, directory_updates=0, bytes_up=100, bytes_down=100,
    pending=0, quarantined=0, cursor=3,
)  # fmt: skip


def _run(session: Session, agency: FakeAgency) -> OpResult[SyncSummary]:
    result = finish(session.link.run(transport=agency.transport()))
    assert isinstance(result.value, SyncSummary)
    return result  # type: ignore[return-value]


def _device_id(session: Session) -> str:
    return session._device.get().device_id


@pytest.fixture
def synced(enrolled: Session, agency: FakeAgency) -> Session:
    """Enrolled and synced once (the first run sends the recovery escrow)."""
    first = _run(enrolled, agency)
    assert first.changes == Changes(outbox=True, profile=True)
    return enrolled


def _signed_note(session: Session, make_draft) -> str:
    person = session.participants.add("Casey Changes").value
    return session.notes.sign(session.notes.create_draft(make_draft(person.id)).value.id).value.id


# -- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "changed"),
    [
        ({}, Changes()),
        # ignored inbound items, a forged wipe order, records sent but not answered
        ({"ignored_inbound": 2, "forged_wipes": 1, "sent": 3}, Changes()),
        ({"notes_moved": 1}, Changes(notes=True)),
        ({"feedback": 1, "notes_moved": 1}, Changes(notes=True, feedback=True)),
        # feedback kept for a note it cannot move (unknown here, or decided already)
        ({"feedback": 1}, Changes(feedback=True)),
        ({"directory_updates": 1}, Changes(directory=True)),
        ({"acked": 2}, Changes(outbox=True)),
        ({"rejected": 1}, Changes(outbox=True)),
        ({"quarantined_here": 1}, Changes(outbox=True)),
        ({"escrows": 1, "acked": 1}, Changes(outbox=True, profile=True)),
        ({"keys_refreshed": True}, Changes(profile=True)),
    ],
)
def test_the_changes_of_a_sync_follow_from_its_summary(
    counts: dict[str, object], changed: Changes
) -> None:
    assert sync_changes(dataclasses.replace(NOTHING, **counts)) == changed  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("counts", "changed"),
    [
        ({}, Changes()),
        # the keys and the team's laptops are read again on every pull
        ({"keys": 2, "devices": 3, "cursor": 40}, Changes()),
        ({"records": 1}, Changes(review=True)),
        ({"records": 1, "broken": 1}, Changes(review=True)),
        ({"events": 2}, Changes(review=True)),
        ({"repaired": 1}, Changes(review=True)),
    ],
)
def test_a_pull_changes_the_review_cache_only_when_it_stored_something_new(
    counts: dict[str, int], changed: Changes
) -> None:
    assert pull_changes(PullProgress(stage="done", **counts)) == changed  # type: ignore[arg-type]


# -- real runs against the fake agency ---------------------------------------------------------


def test_a_sync_that_brings_nothing_changes_nothing(synced: Session, agency: FakeAgency) -> None:
    result = _run(synced, agency)
    assert result.changes == Changes() and not result.changes.notes


def test_an_acknowledged_note_changes_notes_and_the_outbox(
    synced: Session, agency: FakeAgency, make_draft
) -> None:
    note_id = _signed_note(synced, make_draft)
    result = _run(synced, agency)
    assert synced.notes.get(note_id).state is NoteState.SUBMITTED
    # the participant and the note were acknowledged; the note moved to submitted
    assert result.changes == Changes(notes=True, outbox=True)


def test_feedback_changes_notes_and_feedback(
    synced: Session, agency: FakeAgency, make_draft
) -> None:
    note_id = _signed_note(synced, make_draft)
    _run(synced, agency)
    agency.send_feedback(_device_id(synced), note_id, "returned", "Add the plan.", "Sam")

    result = _run(synced, agency)

    assert synced.notes.get(note_id).state is NoteState.RETURNED
    assert result.changes == Changes(notes=True, feedback=True)


def test_a_signed_directory_update_changes_the_directory(
    synced: Session, agency: FakeAgency
) -> None:
    dataset = hsds.load(SEED_DIRECTORY)
    agency.add_outbound(None, "directory", "", sign_snapshot(agency.signing, dataset, version=4))
    assert _run(synced, agency).changes == Changes(directory=True)


def test_a_forged_directory_update_changes_nothing(synced: Session, agency: FakeAgency) -> None:
    dataset = hsds.load(SEED_DIRECTORY)
    forged = sign_snapshot(SigningKeyPair.generate(), dataset, version=5)
    agency.add_outbound(None, "directory", "", forged)
    assert _run(synced, agency).changes == Changes()


def test_a_record_the_agency_refuses_changes_only_the_outbox(
    synced: Session, agency: FakeAgency
) -> None:
    synced.trips.add(date(2024, 5, 6), "medical", "clinic", miles=Decimal("3.5"))
    [entry] = synced._outbox.pending()
    agency.reject[entry.op_id] = "too_large"

    result = _run(synced, agency)

    assert result.value.rejected == 1 and result.changes == Changes(outbox=True)


def test_newer_agency_keys_change_the_profile(synced: Session, agency: FakeAgency) -> None:
    agency.rotate_review_key()
    synced._device.mark_bundle_checked("2000-01-01T00:00:00.000+00:00")
    result = _run(synced, agency)
    assert result.value.keys_refreshed and result.changes == Changes(profile=True)
