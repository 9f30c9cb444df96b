"""Appointments and rides (issue 21): the rules, the payload, the store (encrypted,
journaled), a ride becoming its trip once, the reminders and the .ics file."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.appointments import (
    Appointment,
    AppointmentStatus,
    Ride,
    check_appointment,
    in_week,
    upcoming,
    week_start,
)
from peerdesk.domain.calendar_file import initials
from peerdesk.errors import ValidationError
from peerdesk.services.changes import Changes
from peerdesk.wire.payloads import BadPayload
from peerdesk.wire.record_payloads import appointment_payload, check_record, record_from

TZ = timezone(timedelta(hours=-5))
T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # Monday 10:00 at UTC-5


def appt(pid: str = "p1", at: datetime = T0, **kw) -> Appointment:
    base = {
        "id": "a1", "participant_id": pid, "starts_at": at, "minutes": 60,
        "what": "Intake at the clinic with Dr. Ames", "created_at": T0, "updated_at": T0,
        "place": "Riverside Clinic, 12 Main St",
    }  # fmt: skip
    base.update(kw)
    return Appointment(**base)


RIDE = Ride("Home: 4 Elm St", "Riverside Clinic, 12 Main St", Decimal("6.5"), True)


# -- rules --------------------------------------------------------------------------------


def test_check_tidies_and_refuses_with_the_field():
    a = check_appointment(appt(what="  Intake   visit ", ride=RIDE))
    assert a.what == "Intake visit" and a.ride == RIDE
    for kw, field in (
        ({"what": "  "}, "what"),
        ({"minutes": 2}, "minutes"),
        ({"starts_at": datetime(2026, 12, 7, 10)}, "starts_at"),
        ({"ride": replace(RIDE, pickup="")}, "pickup"),
        ({"ride": replace(RIDE, estimated_miles=Decimal(-1))}, "estimated_miles"),
        ({"ride": replace(RIDE, estimated_miles=Decimal(5000))}, "estimated_miles"),
    ):
        with pytest.raises(ValidationError) as err:
            check_appointment(appt(**kw))
        assert err.value.field == field


def test_week_is_monday_first_by_local_day_and_reminders_take_now():
    assert week_start(date(2026, 12, 10)) == date(2026, 12, 7)
    late = appt(at=datetime(2026, 12, 14, 3, 0, tzinfo=UTC), id="late")  # Sun 22:00 local
    week = in_week([late, appt()], date(2026, 12, 9), TZ)
    assert list(week) == [date(2026, 12, 7) + timedelta(days=i) for i in range(7)]
    assert [a.id for a in week[date(2026, 12, 13)]] == ["late"]
    assert [a.id for a in week[date(2026, 12, 7)]] == ["a1"]
    now = T0 - timedelta(hours=30)  # Sunday 05:00 local: T0 is 30 h away
    assert upcoming([appt()], now, TZ) == []
    now = T0 - timedelta(hours=23)
    assert [a.id for a in upcoming([appt()], now, TZ)] == ["a1"]
    # earlier today (passed) still shows; cancelled never; done without an open ride not
    now = T0 + timedelta(hours=3)
    assert [a.id for a in upcoming([appt()], now, TZ)] == ["a1"]
    assert upcoming([appt(status=AppointmentStatus.CANCELLED)], now, TZ) == []
    assert upcoming([appt(status=AppointmentStatus.DONE)], now, TZ) == []
    open_ride = appt(status=AppointmentStatus.DONE, ride=RIDE)
    assert upcoming([open_ride], now, TZ) == [open_ride]


def test_payload_round_trip_and_bad_payloads():
    a = check_appointment(appt(ride=RIDE, service_id="svc1"))
    doc = appointment_payload(a)
    assert record_from("appointment", "a1", {**doc, "later_key": 1}) == a
    assert check_record("appointment", doc, "a1") == doc
    for spoil in (
        {"minutes": "60"},
        {"what": ""},
        {"status": "maybe"},
        {"starts_at": "2026-12-07T10:00:00"},
        {"ride": {**doc["ride"], "estimated_miles": "NaN"}},
        {"ride": {**doc["ride"], "actual_miles": 7}},
    ):
        with pytest.raises(BadPayload):
            record_from("appointment", "a1", {**doc, **spoil})


# -- the store ---------------------------------------------------------------------------


def test_schedule_edit_cancel_journal_and_a_ride_becomes_one_trip(session):
    person = session.participants.add("Maria José Lopez").value
    res = session.appointments.schedule(appt(person.id, ride=RIDE))
    a = res.value
    assert res.changes == Changes(record=True, outbox=True)
    assert session.appointments.get(a.id).ride == RIDE
    moved = session.appointments.update(replace(a, starts_at=T0 + timedelta(days=1))).value
    assert moved.starts_at == T0 + timedelta(days=1)
    assert session.appointments.set_status(a.id, "cancelled").value.status == "cancelled"
    with pytest.raises(ValidationError):
        session.appointments.complete_ride(a.id, Decimal(13), T0)
    session.appointments.set_status(a.id, "scheduled")
    kinds = [r[0] for r in session._db.execute("SELECT entity FROM outbox ORDER BY seq")]
    assert kinds.count("appointment") == 4

    before = len(session.trips.list().items)
    done = session.appointments.complete_ride(a.id, Decimal("13.2"), T0, T0 + timedelta(hours=2))
    assert done.changes.trips and done.changes.record
    ride = done.value.ride
    assert ride is not None and ride.trip_id is not None and ride.actual_miles == Decimal("13.2")
    assert done.value.status is AppointmentStatus.DONE
    trip = session.trips.get(ride.trip_id)
    assert (trip.miles, trip.destination, trip.participant_id) == (
        Decimal("13.2"), RIDE.destination, person.id,
    )  # fmt: skip
    assert trip.with_participant and "Home: 4 Elm St" in trip.notes
    assert len(session.trips.list().items) == before + 1
    # logged once: completing again is refused, editing keeps the logged ride
    with pytest.raises(ValidationError):
        session.appointments.complete_ride(a.id, Decimal(5), T0)
    edited = session.appointments.update(replace(done.value, ride=replace(RIDE, pickup="x")))
    assert edited.value.ride == ride
    report = session.reports.mileage_report(trip.trip_date.year, trip.trip_date.month)
    assert report.total_miles == Decimal("13.2") and sum(r.trips for r in report.rows) == 1


def test_appointments_are_encrypted_at_rest_canary(session, data_dir: Path, reopen):
    canary = f"cnry{secrets.token_hex(8)}"
    person = session.participants.add("Robin Canary").value
    session.appointments.schedule(
        appt(person.id, what=f"see {canary}", place=f"at {canary}",
             ride=Ride(f"from {canary}", f"to {canary}", Decimal(3)))
    )  # fmt: skip
    rows = list(session._db.conn.execute("SELECT doc FROM participant_records"))
    assert len(rows) == 1 and looks_like_envelope(rows[0][0])
    for p in data_dir.rglob("*"):
        if p.is_file():
            assert canary.encode() not in p.read_bytes(), p
    again = reopen(session)
    assert again.appointments.for_person(person.id)[0].appointment.what == f"see {canary}"


def test_migration_0014_keeps_records_and_widens_the_kinds(session, reopen):
    from tests.unit.test_migrations import roll_back_schema

    old, remaining = roll_back_schema(session, "0017_crisis")
    assert remaining == ["0018_appointments", "0019_groups"]
    s2 = reopen(session)
    person = next(iter(old.participants))
    a = s2.appointments.schedule(appt(person)).value
    tail = s2._db.execute("SELECT entity, entity_id FROM outbox ORDER BY seq DESC LIMIT 1")
    assert tail.fetchall() == [("appointment", a.id)]
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute(
            "INSERT INTO participant_records (id, participant_id, kind, created_at, updated_at,"
            " doc) VALUES ('x', ?, 'photo', 'now', 'now', x'00')",
            [person],
        )
    s2._db.conn.rollback()
    assert s2.maintenance.doctor().ok


# -- the calendar file ------------------------------------------------------------------


def test_ics_export_parses_back_with_the_required_properties_and_initials_only(session, tmp_path):
    person = session.participants.add("Maria José Lopez").value
    a = session.appointments.schedule(appt(person.id, ride=RIDE)).value
    b = session.appointments.schedule(appt(person.id, at=T0 + timedelta(days=2))).value
    session.appointments.set_status(b.id, "cancelled")
    path = tmp_path / "week.ics"
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    week = session.appointments.week(date(2026, 12, 7), TZ)
    items = [x for day in week.values() for x in day]
    assert session.appointments.export_ics(items, path, now=now) == 2
    data = path.read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "PeerDesk" in str(cal["PRODID"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    for ev in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert prop in ev, prop
        assert ev.decoded("DTSTAMP") == now
    first = next(e for e in events if str(e["UID"]) == f"{a.id}@peerdesk")
    assert first.decoded("DTSTART") == T0 and first.decoded("DTEND") == T0 + timedelta(hours=1)
    assert str(first["SUMMARY"]) == "Appointment (M.J.L.)"
    assert str(next(e for e in events if e is not first)["STATUS"]) == "CANCELLED"
    # minimal PHI: no name, place or what it is for
    for needle in ("Maria", "Lopez", "Riverside", "Elm", "Intake", "Ames"):
        assert needle.encode() not in data
    assert b"\r\n" in data  # RFC 5545 line ends
    assert (path.stat().st_mode & 0o777) == 0o600
    assert initials("  ") == "?" and initials("ana-luz de la cruz") == "A.L.D."
    audited = [e.detail for e in session._audit.entries() if e.event == "export"]
    assert audited[-1] == {"format": "ics", "records": 2}


def test_a_directory_service_gives_the_place_and_address(session):
    session.directory.seed_if_empty()
    services = session.appointments.services()
    assert services
    with_address = 0
    for sid, name in services:
        detail = session.directory.get_service(sid)
        streets = [a.address_1 for loc in detail.locations for a in loc.addresses]
        place = session.appointments.service_place(sid)
        assert place.startswith(name)
        if streets:
            with_address += 1
            assert streets[0] in place
        else:
            assert place == name  # a phone line: no street
    assert with_address > 0
