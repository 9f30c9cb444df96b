"""Billing, mileage and overdue reports, checked against totals worked out by hand
(each expectation's arithmetic is in the comment next to it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from peerdesk.domain.models import DestinationType, NoteState, Trip, TripPurpose
from peerdesk.domain.reports import (
    ClaimLine,
    Deadline,
    FlaggedNote,
    MonthSummary,
    NoteFacts,
    OverdueNote,
    PeerMiles,
    PeerUnits,
    TripFacts,
    billing_report,
    mileage_claim,
    mileage_report,
    month_summary,
    overdue_report,
)
from peerdesk.errors import ValidationError
from peerdesk.services.payers import load_payer_profiles
from peerdesk.store.sync_state import move_note

PAYER = load_payer_profiles()["medicaid_default"]  # 15-min units, 8-minute rule, cap 16/day


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def note(peer, dev, nid, pid, ctype, start, minutes, *, signed=True, approved=False):
    return NoteFacts(
        peer, dev, nid, pid, ctype, start, start + timedelta(minutes=minutes), signed, approved
    )


ANA = [
    note("Ana", "dev-a", "n1", "p1", "in_person", at(2, 10), 50, approved=True),  # 3 units
    note("Ana", "dev-a", "n2", "p1", "phone", at(2, 13), 22),  # 1 unit, unapproved
    note("Ana", "dev-a", "n3", "p2", "no_show", at(3, 9), 30, approved=True),  # not billable
    note("Ana", "dev-a", "n4", "p2", "in_person", at(4, 9), 270, approved=True),  # 18 -> cap 16
    note("Ana", "dev-a", "n5", "p1", "in_person", at(5, 9), 40, signed=False),  # a draft
    note("Ana", "dev-a", "n6", "p1", "in_person", at(28, 23, month=2), 50, approved=True),  # Feb
    note("Ana", "dev-a", "n7", "p2", "in_person", at(4, 14), 30, approved=True),  # cap spent
]
BEN = [
    note("Ben", "dev-b", "m1", "p3", "group", at(10, 10), 60, approved=True),  # 4 units
    note("Ben", "dev-b", "m2", "p3", "video", at(10, 10, 30), 15, approved=True),  # 1, overlaps
]


def test_billing_units_per_peer_with_flags():
    report = billing_report(BEN + ANA, PAYER, 2026, 3)

    assert report.rows == [
        # Ana: n1 3 + n2 1 + n3 0 + n4 16 (capped) + n7 0 (cap spent) = 20; approved 3+16 = 19;
        # six notes in March (n6 is February); flagged n2, n4, n5, n7
        PeerUnits("Ana", "dev-a", notes=6, units=20, flagged=4, approved_units=19),
        # Ben: m1 60 min -> (60+7)//15 = 4, m2 15 min -> 1; m2 overlaps m1
        PeerUnits("Ben", "dev-b", notes=2, units=5, flagged=1, approved_units=5),
    ]
    assert report.total_units == 25
    assert report.flags == [
        FlaggedNote("Ana", "n2", date(2026, 3, 2), "unapproved", "dev-a"),
        FlaggedNote("Ana", "n4", date(2026, 3, 4), "over_daily_cap", "dev-a"),
        FlaggedNote("Ana", "n7", date(2026, 3, 4), "over_daily_cap", "dev-a"),
        FlaggedNote("Ana", "n5", date(2026, 3, 5), "unsigned", "dev-a"),
        FlaggedNote("Ben", "m2", date(2026, 3, 10), "overlaps_other_contact", "dev-b"),
    ]
    assert (report.year, report.month, report.payer, report.code) == (
        2026,
        3,
        "Medicaid (example default)",
        "H0038",
    )


def test_billing_months_and_cap_days_are_local():
    eastern = timezone(timedelta(hours=-5))
    # 03:00 UTC on April 1 is 22:00 on March 31 in UTC-5
    late = note("Cy", "dev-c", "c1", "p9", "in_person", at(1, 3, month=4), 45, approved=True)
    assert billing_report([late], PAYER, 2026, 3, eastern).rows == [
        PeerUnits("Cy", "dev-c", 1, 3, 0, 3)  # 45 min -> (45+7)//15 = 3
    ]
    assert billing_report([late], PAYER, 2026, 3, UTC).rows == []
    assert billing_report([late], PAYER, 2026, 4, UTC).rows[0].units == 3


def test_a_note_with_impossible_times_is_flagged_not_billed():
    long = note("Di", "dev-d", "d1", "p1", "in_person", at(2, 8), 13 * 60, approved=True)
    odd = note("Di", "dev-d", "d2", "p1", "séance", at(3, 8), 30, approved=True)
    report = billing_report([long, odd], PAYER, 2026, 3)
    assert report.rows == [PeerUnits("Di", "dev-d", 2, 0, 2, 0)]
    assert [f.reason for f in report.flags] == ["invalid_times", "unknown_contact_type"]


def test_billing_refuses_a_month_that_does_not_exist():
    with pytest.raises(ValidationError) as err:
        billing_report([], PAYER, 2026, 13)
    assert err.value.field == "month"


def trip(tid, day, *, miles=None, odo=None, month=3, purpose="medical", with_p=False):
    start, end = odo or (None, None)
    return Trip(
        id=tid,
        trip_date=date(2026, month, day),
        purpose=TripPurpose(purpose),
        destination_type=DestinationType.CLINIC,
        created_at=at(1, 0),
        with_participant=with_p,
        participant_id="p1" if with_p else None,
        odometer_start=None if start is None else Decimal(start),
        odometer_end=None if end is None else Decimal(end),
        miles=None if miles is None else Decimal(miles),
        destination="12 Alder Lane",
        notes="rode with J.",
    )


ANA_TRIPS = [
    trip("t1", 2, miles="12.5", with_p=True),
    trip("t2", 15, odo=("1000.0", "1020.3"), purpose="pharmacy"),  # 20.3 miles
    trip("t3", 1, miles="10", month=4),  # April
    trip("t4", 16),  # neither miles nor odometer: not counted, listed
]
BEN_TRIPS = [trip("u1", 20, miles="7.15")]


def test_mileage_per_peer_at_the_rate():
    facts = [TripFacts("Ana", "dev-a", t) for t in ANA_TRIPS] + [
        TripFacts("Ben", "dev-b", t) for t in BEN_TRIPS
    ]
    report = mileage_report(facts, 2026, 3, Decimal("0.70"))
    assert report.rows == [
        # 12.5 + 20.3 = 32.8 miles x 0.70 = 22.96
        PeerMiles("Ana", "dev-a", 2, Decimal("32.8"), Decimal("22.96")),
        # 7.15 x 0.70 = 5.005 -> 5.01 (half up, rounded once per peer and month)
        PeerMiles("Ben", "dev-b", 1, Decimal("7.15"), Decimal("5.01")),
    ]
    assert report.total_miles == Decimal("39.95") and report.total_amount == Decimal("27.97")
    assert [(i.peer, i.trip_id) for i in report.invalid] == [("Ana", "t4")]
    with pytest.raises(ValidationError) as err:
        mileage_report(facts, 2026, 3, Decimal("-1"))
    assert err.value.field == "rate"


def test_a_mileage_claim_carries_no_participant_data():
    claim = mileage_claim(ANA_TRIPS, "Ana", 2026, 3, Decimal("0.70"))
    assert claim.lines == [
        ClaimLine(date(2026, 3, 2), "medical", "clinic", Decimal("12.5")),
        ClaimLine(date(2026, 3, 15), "pharmacy", "clinic", Decimal("20.3")),
    ]
    assert (claim.miles, claim.amount) == (Decimal("32.8"), Decimal("22.96"))
    text = repr(claim)
    assert "Alder Lane" not in text and "rode with" not in text and "p1" not in text


NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def test_overdue_for_signature_and_review_by_local_day():
    deadlines = [
        Deadline("Ana", "dev-a", "d1", at(15, 10)),  # draft: last day Mar 18 -> 2 days
        Deadline("Ana", "dev-a", "d2", at(17, 10)),  # draft: last day Mar 20 (today) -> fine
        Deadline("Ben", "dev-b", "s1", at(1, 9), signed_at=at(6, 8)),  # last day Mar 4 -> 2 late
        Deadline("Ben", "dev-b", "s2", at(1, 9), signed_at=at(4, 23)),  # on the last day: fine
        Deadline("Ben", "dev-b", "w1", at(9, 9), signed_at=at(9, 12), waiting_since=at(10, 8)),
        # ^ waiting since Mar 10, last review day Mar 17 -> 3 days
        Deadline("Ben", "dev-b", "w2", at(12, 9), signed_at=at(12, 12), waiting_since=at(13, 8)),
    ]
    assert overdue_report(deadlines, NOW, 3, 7) == [
        OverdueNote("Ben", "w1", date(2026, 3, 9), "review", 3, "dev-b"),
        OverdueNote("Ben", "s1", date(2026, 3, 1), "signature", 2, "dev-b"),
        OverdueNote("Ana", "d1", date(2026, 3, 15), "signature", 2, "dev-a"),
    ]
    # In UTC-10 the days are other days: today is March 20 (02:00); s1's and s2's contact
    # was on Feb 28 (last day Mar 3), signed Mar 5 and Mar 4 -> 2 and 1 days late; w1
    # waits since Mar 9 (last day Mar 16) -> 4 days; w2 since Mar 12 -> 1 day
    hawaii = timezone(timedelta(hours=-10))
    assert [(o.note_id, o.days) for o in overdue_report(deadlines, NOW, 3, 7, hawaii)] == [
        ("w1", 4),
        ("s1", 2),
        ("d1", 2),
        ("s2", 1),
        ("w2", 1),
    ]


def test_month_summary_adds_up_one_peers_reports():
    billing = billing_report(ANA, PAYER, 2026, 3)
    mileage = mileage_report(
        [TripFacts("Ana", "dev-a", t) for t in ANA_TRIPS], 2026, 3, Decimal("0.70")
    )
    assert month_summary(billing, mileage) == MonthSummary(
        units=20, notes=6, flagged=4, miles=Decimal("32.8"), amount=Decimal("22.96")
    )


# -- the same through a peer's profile ------------------------------------------------------


def test_a_peers_own_month_summary_and_overdue_drafts(session, make_draft):
    person = session.participants.add("Harper Lane").value
    march = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    fifty = session.notes.sign(
        session.notes.create_draft(make_draft(person.id, start=march)).value.id
    ).value
    short = session.notes.sign(
        session.notes.create_draft(
            make_draft(person.id, start=march + timedelta(days=1), minutes=22)
        ).value.id
    ).value
    draft = session.notes.create_draft(make_draft(person.id, start=march + timedelta(days=2))).value
    session.notes.create_draft(make_draft(person.id, start=march.replace(month=4)))
    # the supervisor approved the 50-minute note (state moved as sync would)
    move_note(session._db, fifty.id, NoteState.SIGNED, NoteState.SUBMITTED)
    move_note(session._db, fifty.id, NoteState.SUBMITTED, NoteState.APPROVED)
    session.trips.add(date(2026, 3, 3), "medical", "clinic", miles=Decimal("14.2"))
    session.trips.add(date(2026, 3, 9), "pharmacy", "pharmacy", miles=Decimal("3.3"))

    summary = session.reports.month_summary(2026, 3, tz=UTC)

    # units: 50 min -> 3, 22 min -> 1; notes: 2 signed + 1 draft in March; flagged: the
    # unapproved 22-minute note and the draft; 17.5 miles x 0.70 = 12.25
    assert summary == MonthSummary(4, 3, 2, Decimal("17.5"), Decimal("12.25"))
    report = session.reports.billing_report(2026, 3, tz=UTC)
    assert {(f.note_id, f.reason) for f in report.flags} == {
        (short.id, "unapproved"),
        (draft.id, "unsigned"),
    }
    assert report.rows[0].peer == session.name and report.rows[0].approved_units == 3
    overdue = session.reports.overdue_report(datetime(2026, 3, 9, 12, 0, tzinfo=UTC), tz=UTC)
    # the draft of March 4 had until March 7: two days late on March 9
    assert [(o.note_id, o.kind, o.days) for o in overdue] == [(draft.id, "signature", 2)]
    claim = session.reports.mileage_claim(2026, 3)
    assert [line.miles for line in claim.lines] == [Decimal("14.2"), Decimal("3.3")]
    assert claim.amount == Decimal("12.25")
