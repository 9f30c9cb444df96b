"""A filled review cache without an agency: for the benchmark, the UI tests and
the demo. :func:`seed_review_cache` generates a team's laptops, participants,
notes (with some addenda and review history) and trips, and stores them through
the very code a pull uses (:meth:`ReviewCache.store_records` and friends), so
what the queue and the reports read is exactly what a pull would have left.

With ``beneficiaries=True`` every participant gets a (made-up) Medicaid id and
date of birth, about one in six is also on the next peer's laptop under the same
Medicaid id (one person seen by two peers), and notes are spread over the kinds
of place; :func:`demo_provider` is a billing provider with a rendering NPI for
each demo laptop. These draw on a random stream of their own, so the other
generated data is the same with or without them.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.domain.claims import BillingProvider, npi_check_digit
from peerdesk.domain.models import TEMPLATE_SECTIONS, ContactType, LocationType, NoteTemplate
from peerdesk.domain.review import AgencyEvent, PulledRecord, TeamDevice
from peerdesk.ids import to_iso
from peerdesk.store.review import Opened, ReviewInbox

FIRST = (
    "Avery",
    "Blake",
    "Casey",
    "Devon",
    "Emery",
    "Finley",
    "Harper",
    "Jordan",
    "Kendall",
    "Logan",
    "Morgan",
    "Parker",
    "Quinn",
    "Riley",
    "Rowan",
    "Sawyer",
    "Skyler",
    "Taylor",
)
LAST = (
    "Alder",
    "Birch",
    "Cedar",
    "Dale",
    "Ellis",
    "Ford",
    "Grove",
    "Hale",
    "Irwin",
    "Keene",
    "Lowry",
    "Marsh",
    "North",
    "Oakes",
    "Pike",
    "Reed",
    "Stone",
    "Vale",
)
CONTACTS = (
    ContactType.IN_PERSON,
    ContactType.IN_PERSON,
    ContactType.PHONE,
    ContactType.GROUP,
    ContactType.VIDEO,
    ContactType.NO_SHOW,
)
TEXT = (
    "Met at the library. Talked through the housing application and the barriers with "
    "transport; practiced the phone call to the landlord together."
)
TOWNS = ("Elkins", "Marlinton", "Petersburg", "Franklin", "Davis")
PLACES = (LocationType.OFFICE, LocationType.HOME, LocationType.COMMUNITY)
#: a month of contacts ends here by default (the bench's report month is the last one)
DEFAULT_END = datetime(2026, 4, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SeedResult:
    devices: list[str]
    notes: int
    trips: int
    participants: int
    first_contact: datetime
    last_contact: datetime


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def seed_review_cache(
    session: Any,
    devices: int = 20,
    notes: int = 2000,
    trips: int = 400,
    seed: int = 1,
    *,
    participants_per_device: int = 12,
    end: datetime = DEFAULT_END,
    days: int = 365,
    batch: int = 5000,
    beneficiaries: bool = False,
) -> SeedResult:
    """Fill ``session``'s review cache (a supervisor profile, unlocked) with
    ``notes`` notes and ``trips`` trips spread over ``devices`` laptops and the
    ``days`` before ``end``. Deterministic for a ``seed``. About one note in
    fifty gets an addendum; about a third are approved and one in twenty returned."""
    rng = random.Random(seed)
    extra = random.Random(seed * 7919 + 17)  # the beneficiaries' own stream
    cache: ReviewInbox = session._stores.review_inbox
    team = [
        TeamDevice(
            _uuid(rng),
            f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]}",
            BoxKeyPair.generate().public_raw,
            False,
            to_iso(end - timedelta(days=days + 30)),
        )
        for i in range(devices)
    ]
    cache.save_devices(team)
    seq = cache.cursors()[0]
    event_seq = cache.cursors()[1]
    pending: list[Opened] = []
    events: list[AgencyEvent] = []

    def record(
        device: TeamDevice, kind: str, entity: str, payload: dict[str, Any], at: datetime
    ) -> None:
        nonlocal seq
        seq += 1
        rec = PulledRecord(
            seq, device.device_id, _uuid(rng), kind, entity, "demo", "notes-v1", b"", to_iso(at)
        )
        pending.append(Opened(rec, payload=payload))
        if len(pending) >= batch:
            flush()

    def flush() -> None:
        if pending:
            cache.store_records(list(pending), seq)
            pending.clear()
        if events:
            cache.store_events(list(events), event_seq)
            events.clear()

    people: dict[str, list[str]] = {}
    previous: list[dict[str, Any]] = []
    for device in team:
        people[device.device_id] = []
        mine: list[dict[str, Any]] = []
        for _ in range(participants_per_device):
            pid = _uuid(rng)
            people[device.device_id].append(pid)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            doc: dict[str, Any] = {
                "display_name": name,
                "date_of_birth": None,
                "phone": None,
                "medicaid_id": None,
                "details": "",
                "active": True,
                "created_at": to_iso(end - timedelta(days=days + 1)),
                "updated_at": to_iso(end - timedelta(days=days + 1)),
            }
            if beneficiaries:
                if previous and extra.random() < 1 / 6:
                    shared = extra.choice(previous)  # the same person, seen by this peer too
                    for key in ("display_name", "date_of_birth", "medicaid_id", "address"):
                        doc[key] = shared[key]
                else:
                    doc["medicaid_id"] = f"DM{extra.randrange(10**9):09d}"
                    born = datetime(1950, 1, 1) + timedelta(days=extra.randrange(365 * 50))
                    doc["date_of_birth"] = born.date().isoformat()
                    doc["address"] = {
                        "line": f"{extra.randrange(1, 999)} {extra.choice(LAST)} Road",
                        "city": extra.choice(TOWNS),
                        "state": "WV",
                        "zip": f"26{extra.randrange(1000):03d}",
                    }
            mine.append(doc)
            record(device, "participant", pid, doc, end - timedelta(days=days))
        previous = mine
    start = end - timedelta(days=days)
    span = days * 24 * 60
    first = last = None
    for n in range(notes):
        device = team[n % devices]
        pid = rng.choice(people[device.device_id])
        contact = start + timedelta(minutes=rng.randrange(span))
        contact = contact.replace(second=0, microsecond=0)
        first = contact if first is None or contact < first else first
        last = contact if last is None or contact > last else last
        minutes = rng.choice((20, 30, 45, 50, 60, 90))
        template = rng.choice(list(NoteTemplate))
        signed = contact + timedelta(hours=rng.choice((1, 2, 20, 30, 100)))
        received = signed + timedelta(hours=rng.randrange(1, 48))
        note_id = _uuid(rng)
        body = {s: f"{s}: {TEXT}" for s in TEMPLATE_SECTIONS[template]}
        record(
            device,
            "note",
            note_id,
            {
                "participant_id": pid,
                "template": template.value,
                "contact_type": rng.choice(CONTACTS).value,
                "location_type": (
                    extra.choice(PLACES).value if beneficiaries else LocationType.COMMUNITY.value
                ),
                "start_at": to_iso(contact),
                "end_at": to_iso(contact + timedelta(minutes=minutes)),
                "body": body,
                "goals": ["housing"],
                "created_at": to_iso(contact),
                "signed_at": to_iso(signed),
            },
            received,
        )
        event_seq += 1
        events.append(
            AgencyEvent(event_seq, device.device_id, note_id, "received", to_iso(received), "peer")
        )
        roll = rng.random()
        if roll < 0.02:
            add = received + timedelta(hours=3)
            record(
                device,
                "addendum",
                note_id,
                {
                    "id": _uuid(rng),
                    "note_id": note_id,
                    "text": "Late entry: rode the bus back together.",
                    "created_at": to_iso(add),
                },
                add,
            )
        if roll < 0.35 and received + timedelta(days=2) < end:
            event_seq += 1
            state = "returned" if roll < 0.05 else "approved"
            events.append(
                AgencyEvent(
                    event_seq,
                    device.device_id,
                    note_id,
                    state,
                    to_iso(received + timedelta(days=2)),
                    "Sam Okafor",
                )
            )
    for n in range(trips):
        device = team[n % devices]
        pid = rng.choice(people[device.device_id])
        day = (start + timedelta(days=rng.randrange(days))).date()
        with_participant = rng.random() < 0.6
        miles = Decimal(rng.randrange(20, 600)) / 10
        record(
            device,
            "trip",
            _uuid(rng),
            {
                "trip_date": day.isoformat(),
                "purpose": "medical",
                "destination_type": "clinic",
                "with_participant": with_participant,
                "participant_id": pid if with_participant else None,
                "odometer_start": None,
                "odometer_end": None,
                "miles": str(miles),
                "destination": "County clinic",
                "notes": "",
                "created_at": to_iso(datetime.combine(day, datetime.min.time(), UTC)),
            },
            datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20),
        )
    flush()
    count = sum(len(v) for v in people.values())
    return SeedResult(
        [d.device_id for d in team], notes, trips, count, first or start, last or start
    )


def demo_npi(n: int) -> str:
    """A made-up NPI with a valid check digit (the n-th of the demo)."""
    first9 = f"{100000000 + n * 7919 % 900000000:09d}"
    return first9 + str(npi_check_digit(first9))


def demo_provider(session: Any) -> BillingProvider:
    """A billing provider for the demo team: the agency and a rendering NPI for
    each laptop in ``session``'s review cache (by its label)."""
    labels = sorted({p.label for p in session.review.peers()})
    return BillingProvider(
        name="Hollow Creek Peer Services (demo)",
        npi=demo_npi(0),
        tax_id="990000001",
        address="12 Mill Street",
        city="Elkins",
        state="WV",
        zip_code="262410000",
        submitter_id="HCPSDEMO",
        receiver_id="CLEARDEMO",
        receiver_name="Demo Clearinghouse",
        contact_name="Billing office",
        contact_phone="3045550100",
        renderers={label: demo_npi(i + 1) for i, label in enumerate(labels)},
    )
