"""Helpers of the supervisor UI tests (their fixtures are in conftest.py): a
supervisor profile, a broken record and a whole contact (participant, note,
addendum, trip) put in the review cache where a pull would put them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from peerdesk.crypto.kdf import KdfParams
from peerdesk.domain.review import PulledRecord
from peerdesk.ids import new_id, to_iso
from peerdesk.services import ProfileManager, Session
from peerdesk.store.review import SEALED, Opened
from tests.conftest import PASSPHRASE
from tests.ui.sync_helpers import guarded

T = TypeVar("T")
SUPERVISOR = "sam-okafor"


def make_supervisor(manager: ProfileManager, name: str = SUPERVISOR) -> Session:
    return manager.create(name, PASSPHRASE, kdf_params=KdfParams.new(), role="supervisor")


def add_broken_note(session: Session, device_id: str, received: datetime) -> PulledRecord:
    """A note record whose seal does not open, stored as a pull stores it."""
    cache = session._stores.review_inbox
    seq = cache.cursors()[0] + 1
    record = PulledRecord(
        seq, device_id, new_id(), "note", new_id(), "k-unknown", "notes-v1",
        b"\x00not a sealed record", to_iso(received),
    )  # fmt: skip
    opened = Opened(record, broken="was altered: its seal does not open", code=SEALED)
    cache.store_records([opened], seq)
    return record


def add_contact(
    session: Session,
    device_id: str,
    contact: datetime,
    *,
    participant: str = "Robin Example",
    text: str = "Walked to the pantry and planned the bus pass.",
    addendum: str | None = "Late entry: the pantry opens at nine.",
    miles: str | None = "14.5",
) -> str:
    """A participant, a signed note about them at ``contact``, an addendum and a
    trip that day, as a pull stores them. Returns the note id."""
    from datetime import timedelta

    from peerdesk.domain.review import AgencyEvent

    cache = session._stores.review_inbox
    seq, event_seq = cache.cursors()
    pid, note_id = new_id(), new_id()
    received = contact + timedelta(hours=5)
    opened = []

    def add(kind: str, entity: str, payload: dict[str, Any], at: datetime) -> None:
        nonlocal seq
        seq += 1
        record = PulledRecord(seq, device_id, new_id(), kind, entity, "demo", "notes-v1", b"",
                              to_iso(at))  # fmt: skip
        opened.append(Opened(record, payload=payload))

    made = to_iso(contact - timedelta(days=30))
    add("participant", pid, {"display_name": participant, "date_of_birth": None, "phone": None,
        "medicaid_id": "MC-4412", "details": "", "active": True, "created_at": made,
        "updated_at": made}, contact)  # fmt: skip
    add("note", note_id, {"participant_id": pid, "template": "free", "contact_type": "in_person",
        "location_type": "community", "start_at": to_iso(contact),
        "end_at": to_iso(contact + timedelta(minutes=50)), "body": {"text": text},
        "goals": ["food security"], "created_at": to_iso(contact),
        "signed_at": to_iso(contact + timedelta(hours=1))}, received)  # fmt: skip
    if addendum is not None:
        at = received + timedelta(hours=1)
        add("addendum", note_id, {"id": new_id(), "note_id": note_id, "text": addendum,
            "created_at": to_iso(at)}, at)  # fmt: skip
    if miles is not None:
        day = contact.astimezone().date()  # the reader matches trips by local day
        add("trip", new_id(), {"trip_date": day.isoformat(), "purpose": "grocery",
            "destination_type": "store", "with_participant": True, "participant_id": pid,
            "odometer_start": None, "odometer_end": None, "miles": miles,
            "destination": "Hilltop food pantry", "notes": "",
            "created_at": to_iso(contact)}, contact + timedelta(hours=2))  # fmt: skip
    cache.store_records(opened, seq)
    cache.store_events(
        [AgencyEvent(event_seq + 1, device_id, note_id, "received", to_iso(received), "peer")],
        event_seq + 1,
    )
    return note_id


__all__ = ["add_broken_note", "add_contact", "guarded", "make_supervisor"]
