"""The supervisor's local review cache, without an agency: the profile role,
opening records (and naming why one does not open), envelopes only on disk,
broken records in the queue, repairs after a grant, the paged queue and the
reader's view of one note."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import FieldCipher
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.domain.review import AgencyEvent, QueueFilter
from peerdesk.errors import ValidationError, VaultLocked, WrongRole
from peerdesk.ids import new_id, to_iso
from peerdesk.link.pull import open_one
from peerdesk.services import ProfileManager
from peerdesk.store.review import NO_KEY, PAYLOAD, SEALED
from tests.conftest import PASSPHRASE
from tests.review.conftest import SUPERVISOR_PROFILE, Sealer

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def note_payload(participant_id: str, start: datetime = START, **over: object) -> dict:
    doc = {
        "participant_id": participant_id,
        "template": "free",
        "contact_type": "in_person",
        "location_type": "home",
        "start_at": to_iso(start),
        "end_at": to_iso(start + timedelta(minutes=50)),
        "body": {"text": "Talked about the bus pass."},
        "goals": ["transport"],
        "created_at": to_iso(start),
        "signed_at": to_iso(start + timedelta(hours=2)),
    }
    doc.update(over)
    return doc


def person(name: str) -> dict:
    return {
        "display_name": name,
        "date_of_birth": None,
        "phone": None,
        "medicaid_id": None,
        "details": "",
        "active": True,
        "created_at": to_iso(START),
        "updated_at": to_iso(START),
    }


def trip(participant_id: str | None, day: date, miles: str = "12.5") -> dict:
    return {
        "trip_date": day.isoformat(),
        "purpose": "medical",
        "destination_type": "clinic",
        "with_participant": participant_id is not None,
        "participant_id": participant_id,
        "odometer_start": None,
        "odometer_end": None,
        "miles": miles,
        "destination": "County clinic",
        "notes": "",
        "created_at": to_iso(START),
    }


def store(session, sealer: Sealer, records, keys=None) -> tuple[int, int]:
    session._stores.review_inbox.save_devices([sealer.device])
    opened = [open_one(r, sealer.keys if keys is None else keys) for r in records]
    return session._stores.review_inbox.store_records(opened, max(r.seq for r in records))


# -- the profile's role ------------------------------------------------------------------


def test_the_role_is_chosen_at_creation_and_kept(manager: ProfileManager, supervisor, session):
    assert session.role == "peer" and supervisor.role == "supervisor"
    created = [e for e in supervisor._audit.entries() if e.event == "profile_created"]
    assert created[0].detail["role"] == "supervisor"
    supervisor.close()
    again = manager.open(SUPERVISOR_PROFILE)
    try:
        assert again.role == "supervisor"  # readable while locked
    finally:
        again.close()
    with pytest.raises(ValidationError, match="peer' or a 'supervisor") as err:
        manager.create("bad-role", PASSPHRASE, kdf_params=KdfParams.new(), role="admin")
    assert err.value.field == "role"
    assert "bad-role" not in manager.list_profiles()


def test_each_role_is_refused_the_other_roles_actions(supervisor, session):
    with pytest.raises(WrongRole, match="needs a supervisor profile; this one is a peer"):
        session.review.queue()
    with pytest.raises(WrongRole):
        list(session.link.pull())
    with pytest.raises(WrongRole, match="needs a peer profile"):
        supervisor.notes.resubmit(new_id())
    with pytest.raises(WrongRole):
        next(supervisor.link.sync())
    with pytest.raises(WrongRole):
        supervisor.reports.month_summary(2026, 3)
    with pytest.raises(WrongRole) as err:
        supervisor.reports.mileage_claim(2026, 3)
    assert (err.value.role, err.value.needed) == ("supervisor", "peer")


# -- opening records ------------------------------------------------------------------------


def test_a_record_that_opens_is_checked_and_kept(sealer):
    pid = new_id()
    opened = open_one(sealer.record("note", new_id(), note_payload(pid)), sealer.keys)
    assert opened.broken is None and opened.payload["participant_id"] == pid


def test_a_check_that_fails_unexpectedly_makes_the_record_broken_not_the_pull(sealer, monkeypatch):
    """open_one never raises for a bad record, whatever its check raises (H3)."""
    import peerdesk.link.pull as pull_module

    def boom(*_args):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(pull_module, "check", boom)
    opened = open_one(sealer.record("note", new_id(), note_payload(new_id())), sealer.keys)
    assert opened.code == PAYLOAD and "OverflowError" in opened.broken
    far = note_payload(new_id(), created_at="9999-12-31T23:00:00-05:00")
    monkeypatch.undo()
    opened = open_one(sealer.record("note", new_id(), far), sealer.keys)
    assert opened.code == PAYLOAD and "created_at" in opened.broken


def test_why_a_record_does_not_open_is_named(sealer):
    note_id = new_id()
    good = sealer.record("note", note_id, note_payload(new_id()))
    cases = {
        "no key": (
            sealer.record("note", new_id(), note_payload(new_id()), key=BoxKeyPair.generate()),
            NO_KEY,
            "not granted",
        ),
        "tampered": (
            replace(good, sealed=good.sealed[:-1] + bytes([good.sealed[-1] ^ 1])),
            SEALED,
            "altered",
        ),
        "moved": (replace(good, entity_id=new_id()), SEALED, "moved"),
        "another laptop": (replace(good, device_id=new_id()), SEALED, "moved"),
        "bad payload": (
            sealer.record("note", new_id(), note_payload(new_id(), body="text")),
            PAYLOAD,
            "body is not a map",
        ),
        "bad times": (
            sealer.record(
                "note",
                new_id(),
                note_payload(new_id(), end_at=to_iso(START - timedelta(minutes=5))),
            ),
            PAYLOAD,
            "ends before",
        ),
        "addendum of another note": (
            sealer.record(
                "addendum",
                note_id,
                {"id": new_id(), "note_id": new_id(), "text": "x", "created_at": to_iso(START)},
            ),
            PAYLOAD,
            "another note",
        ),
        "escrow": (
            sealer.record("escrow", new_id(), {"secret": b"x", "escrow_id": new_id()}),
            SEALED,
            "recovery escrow",
        ),
    }
    for name, (record, code, words) in cases.items():
        opened = open_one(record, sealer.keys)
        assert opened.payload is None, name
        assert opened.code == code and words in opened.broken, (name, opened.broken)


def test_an_addendum_from_an_older_laptop_under_its_own_id_still_opens(sealer):
    note_id, add_id = new_id(), new_id()
    old = sealer.record(
        "addendum", add_id, {"note_id": note_id, "text": "late entry", "created_at": to_iso(START)}
    )
    opened = open_one(old, sealer.keys)
    assert opened.broken is None and opened.payload["id"] == add_id


# -- storing ----------------------------------------------------------------------------------


def test_pulled_data_is_on_disk_only_as_envelopes(supervisor, sealer, tmp_path: Path):
    canary = "cnry" + secrets.token_hex(8)
    pid, note_id = new_id(), new_id()
    records = [
        sealer.record("participant", pid, person(f"Canary {canary}")),
        sealer.record("note", note_id, note_payload(pid, body={"text": f"said {canary}"})),
        sealer.record(
            "addendum",
            note_id,
            {
                "id": new_id(),
                "note_id": note_id,
                "text": f"addendum {canary}",
                "created_at": to_iso(START),
            },
        ),
        sealer.record("trip", new_id(), {**trip(pid, START.date()), "destination": canary}),
    ]
    assert store(supervisor, sealer, records) == (4, 0)
    supervisor._stores.review_inbox.store_events(
        [AgencyEvent(1, sealer.device.device_id, note_id, "received", to_iso(START), f"p{canary}")],
        1,
    )
    note = supervisor.review.note(sealer.device.device_id, note_id, tz=UTC)
    assert note.note["body"] == {"text": f"said {canary}"}
    assert note.item.participant_name == f"Canary {canary}"
    supervisor._db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    leaks = [
        p.name
        for p in supervisor.path.iterdir()
        if p.is_file() and canary.encode() in p.read_bytes()
    ]
    assert leaks == []
    report = supervisor.maintenance.doctor()
    assert report.ok, report


def test_storing_a_page_twice_changes_nothing(supervisor, sealer):
    records = [sealer.record("note", new_id(), note_payload(new_id())) for _ in range(3)]
    assert store(supervisor, sealer, records) == (3, 0)
    assert store(supervisor, sealer, records) == (0, 0)
    assert supervisor.review.queue(tz=UTC).total == 3
    assert supervisor._stores.review_inbox.cursors() == (3, 0)


def test_broken_records_are_queue_lines_with_device_seq_and_reason(supervisor, sealer):
    note_id = new_id()
    good = sealer.record("note", note_id, note_payload(new_id()))
    tampered = sealer.record("note", new_id(), note_payload(new_id()))
    flipped = bytes([tampered.sealed[40] ^ 0x01])
    tampered = replace(tampered, sealed=tampered.sealed[:40] + flipped + tampered.sealed[41:])
    stranger = sealer.record("trip", new_id(), trip(None, START.date()), key=BoxKeyPair.generate())
    bad_addendum = sealer.record("addendum", note_id, {"id": 5, "note_id": note_id})

    assert store(supervisor, sealer, [good, tampered, stranger, bad_addendum]) == (4, 3)

    page = supervisor.review.queue(tz=UTC)
    assert page.total == 3
    by_id = {i.note_id: i for i in page.items}
    line = by_id[tampered.entity_id]
    assert line.device_id == sealer.device.device_id and line.seq == tampered.seq
    assert line.broken and f"record {tampered.seq}" in line.broken and "altered" in line.broken
    assert line.contact_start is None and line.peer == "Jordan Reyes"
    trip_line = by_id[stranger.entity_id]
    assert trip_line.kind == "trip" and "not granted" in trip_line.broken
    # the good note stays readable; its broken addendum is named on its line and in the reader
    note_line = by_id[note_id]
    assert (
        note_line.contact_type == "in_person" and f"record {bad_addendum.seq}" in note_line.broken
    )
    reader = supervisor.review.note(sealer.device.device_id, note_id, tz=UTC)
    assert reader.note["template"] == "free"
    assert reader.addenda == [
        {"id": None, "broken": reader.addenda[0]["broken"], "seq": bad_addendum.seq}
    ]


def test_a_grant_that_arrives_later_repairs_what_was_broken_for_want_of_it(supervisor, sealer):
    pid, note_id = new_id(), new_id()
    records = [
        sealer.record("participant", pid, person("Late Grant")),
        sealer.record("note", note_id, note_payload(pid)),
        sealer.record("trip", new_id(), trip(pid, START.date())),
    ]
    assert store(supervisor, sealer, records, keys={}) == (3, 3)
    assert supervisor.review.queue(tz=UTC).total == 3
    cache = supervisor._stores.review_inbox

    waiting = cache.broken_for_keys(sealer.keys)
    assert [r.seq for r in waiting] == [1, 2, 3]
    assert cache.repair([open_one(r, sealer.keys) for r in waiting]) == 3

    page = supervisor.review.queue(tz=UTC)
    assert page.total == 1
    [line] = page.items
    assert line.broken is None and line.participant_name == "Late Grant"
    reader = supervisor.review.note(line.device_id, note_id, tz=UTC)
    assert [t["miles"] for t in reader.trips] == ["12.5"]
    assert cache.broken_for_keys(sealer.keys) == []


# -- review state -------------------------------------------------------------------------------


def test_events_set_the_state_even_when_they_come_before_the_note(supervisor, sealer):
    first, second = new_id(), new_id()
    did = sealer.device.device_id
    store(supervisor, sealer, [sealer.record("note", first, note_payload(new_id()))])
    events = [
        AgencyEvent(1, did, first, "received", "2026-03-02T11:00:00Z", "peer"),
        AgencyEvent(2, did, second, "received", "2026-03-02T11:00:00Z", "peer"),
        AgencyEvent(3, did, first, "returned", "2026-03-03T09:00:00Z", "Sam Okafor"),
        AgencyEvent(4, did, second, "approved", "2026-03-03T09:05:00Z", "Sam Okafor"),
    ]
    assert supervisor._stores.review_inbox.store_events(events, 4) == 4
    store(supervisor, sealer, [sealer.record("note", second, note_payload(new_id()))])
    states = {i.note_id: i.state for i in supervisor.review.queue(tz=UTC).items}
    assert states == {first: "returned", second: "approved"}
    history = supervisor.review.note(did, first, tz=UTC).history
    assert [(e.state, e.actor, e.seq) for e in history] == [
        ("received", "peer", 1),
        ("returned", "Sam Okafor", 3),
    ]
    # replayed events change nothing, and an old event never undoes a newer one
    assert supervisor._stores.review_inbox.store_events(events[:3], 4) == 0
    assert {i.note_id: i.state for i in supervisor.review.queue(tz=UTC).items} == states


def test_the_reader_shows_addenda_and_only_the_trips_of_that_contact(supervisor, sealer):
    pid, other = new_id(), new_id()
    note_id = new_id()
    day = START.date()
    records = [
        sealer.record("participant", pid, person("Morgan Vale")),
        sealer.record("note", note_id, note_payload(pid)),
        sealer.record(
            "addendum",
            note_id,
            {
                "id": new_id(),
                "note_id": note_id,
                "text": "Late entry: drove back.",
                "created_at": to_iso(START + timedelta(hours=5)),
            },
        ),
        sealer.record("trip", "0190aaaa-0000-7000-8000-000000000001", trip(pid, day, "9.0")),
        sealer.record("trip", new_id(), trip(pid, day + timedelta(days=1))),
        sealer.record("trip", new_id(), trip(other, day)),
        sealer.record(
            "resubmit", note_id, {"note_id": note_id, "addendum_ids": [], "at": to_iso(START)}
        ),
    ]
    store(supervisor, sealer, records)
    reader = supervisor.review.note(sealer.device.device_id, note_id, tz=UTC)
    assert [a["text"] for a in reader.addenda] == ["Late entry: drove back."]
    assert [(t["id"], t["miles"]) for t in reader.trips] == [
        ("0190aaaa-0000-7000-8000-000000000001", "9.0")
    ]
    assert reader.participant["display_name"] == "Morgan Vale"
    # the resubmission is the newest record of the note: what a decision must have seen
    assert reader.seen_seq == records[-1].seq
    assert reader.item.seq == records[1].seq


# -- the queue ------------------------------------------------------------------------------


def _all_lines(session, flt: QueueFilter, limit: int = 37) -> list:
    lines, offset = [], 0
    while True:
        page = session.review.queue(flt, offset, limit, tz=UTC)
        lines.extend(page.items)
        offset += limit
        if offset >= page.total:
            assert len(lines) == page.total
            return lines


def test_the_queue_is_oldest_contact_first_and_pages_through_everything(seeded):
    session, seed = seeded
    lines = _all_lines(session, QueueFilter())
    assert len(lines) == seed.notes
    keys = [(i.contact_start, i.device_id, i.note_id) for i in lines]
    assert keys == sorted(keys)
    assert len({i.note_id for i in lines}) == seed.notes
    assert all(i.participant_name and i.contact_type and i.broken is None for i in lines)
    assert {i.peer for i in lines} == {p.label for p in session.review.peers()}
    assert lines[0].age_days == (datetime.now(UTC) - lines[0].received_at).days


def test_the_queue_filters_by_peer_state_and_contact_date(seeded):
    session, _ = seeded
    everything = _all_lines(session, QueueFilter(), limit=500)
    peer = session.review.peers()[1]
    day_from, day_to = date(2025, 9, 1), date(2025, 10, 31)
    flt = QueueFilter(
        device_id=peer.device_id,
        states=frozenset({"received", "returned"}),
        date_from=day_from,
        date_to=day_to,
    )
    expected = [
        i
        for i in everything
        if i.device_id == peer.device_id
        and i.state in ("received", "returned")
        and day_from <= i.contact_start.date() <= day_to
    ]
    assert 0 < len(expected) < len(everything)
    assert _all_lines(session, flt, limit=7) == expected
    with pytest.raises(ValidationError, match="unknown review state 'lost'"):
        session.review.queue(QueueFilter(states=frozenset({"lost"})))
    with pytest.raises(ValidationError) as err:
        session.review.queue(QueueFilter(date_from=day_to, date_to=day_from))
    assert err.value.field == "date_to"
    with pytest.raises(ValidationError):
        session.review.queue(limit=0)


def test_a_queue_page_is_one_index_scan_and_decrypts_only_its_lines(seeded, monkeypatch):
    session, _ = seeded
    sqls: list[str] = []
    session._db.conn.set_trace_callback(sqls.append)
    try:
        session.review.queue(QueueFilter(), 0, 25, tz=UTC)
        session.review.queue(QueueFilter(device_id=session.review.peers()[0].device_id), 0, 25)
    finally:
        session._db.conn.set_trace_callback(None)
    pages = [q for q in sqls if "ORDER BY i.crisis DESC, i.sort_at" in q]
    assert len(pages) == 2
    for sql in pages:  # the page's keys: one range of a covering index, no sort
        plan = " ".join(r[3] for r in session._db.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "USING COVERING INDEX review_items_" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    lines = [q for q in sqls if q.startswith("SELECT i.device_id, i.note_id, i.kind")]
    assert len(lines) == 2  # then the page's lines, each by its primary key
    for sql in lines:
        plan = " ".join(r[3] for r in session._db.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN i" not in plan and "USING INDEX sqlite_autoindex_review_items" in plan, plan

    opened: list[str] = []
    real_open = FieldCipher.open

    def counting(self, envelope, place):
        opened.append(place.table)
        return real_open(self, envelope, place)

    monkeypatch.setattr(FieldCipher, "open", counting)
    page = session.review.queue(QueueFilter(), 100, 25, tz=UTC)
    assert len(page.items) == 25
    assert len(opened) == 50  # the line's summary and its participant's name, per line


def test_the_cache_is_not_readable_while_locked(seeded):
    session, _ = seeded
    session.lock()
    with pytest.raises(VaultLocked):
        session.review.queue()
    with pytest.raises(VaultLocked):
        session.reports.billing_report(2026, 3)
    assert session.review.peers()  # the peers' laptop labels are plain


def test_a_repaired_record_leaves_the_line_naming_what_is_still_broken(supervisor, sealer):
    note_id = new_id()
    later, never = BoxKeyPair.generate(), BoxKeyPair.generate()

    def addendum(key: BoxKeyPair):
        doc = {"id": new_id(), "note_id": note_id, "text": "late", "created_at": to_iso(START)}
        return sealer.record("addendum", note_id, doc, key=key)

    note = sealer.record("note", note_id, note_payload(new_id()))
    first, second = addendum(later), addendum(never)
    store(supervisor, sealer, [note, first, second])
    [line] = supervisor.review.queue(tz=UTC).items
    assert f"record {first.seq} " in line.broken

    cache = supervisor._stores.review_inbox
    keys = {later.key_id: later}
    assert cache.repair([open_one(r, keys) for r in cache.broken_for_keys(keys)]) == 1

    [line] = supervisor.review.queue(tz=UTC).items
    assert line.broken == f"the addendum record {second.seq} from this laptop " + (
        f"is sealed to review key {never.key_id}, which you were not granted"
    )
    assert line.seq == note.seq  # the note record's own
