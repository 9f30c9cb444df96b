"""What the Today screen shows, read on the DB thread in one job
(:func:`load_today`), and when a draft should be signed (:func:`draft_due`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from peerdesk.domain.models import Note, NoteState, Trip
from peerdesk.domain.reports import MonthSummary
from peerdesk.domain.workforce import WorkforceStatus
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from peerdesk.services.appointments import Booked
from peerdesk.services.record import DueCheckIn

__all__ = ["DraftDue", "TodayData", "draft_due", "load_today"]


@dataclass(frozen=True, slots=True)
class DraftDue:
    """When a draft should be signed, and how that compares with today."""

    contact_day: date
    due: date
    #: days until it is due (0: due today), negative once overdue
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def draft_due(contact_day: date, today: date, sign_within_days: int) -> DraftDue:
    """A draft about a contact on ``contact_day`` should be signed within
    ``sign_within_days`` days of it; after that day it is overdue."""
    due = contact_day + timedelta(days=max(0, sign_within_days))
    return DraftDue(contact_day, due, (due - today).days)


@dataclass(slots=True)
class TodayData:
    """What the screen shows, as read on the DB thread."""

    day: date
    drafts: list[Note] = field(default_factory=list)
    signed: list[Note] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    pending: int = 0
    held_back: int = 0
    damaged: int = 0
    #: this month so far (None if it could not be made: see ``month_error``)
    month: MonthSummary | None = None
    month_error: PeerDeskError | None = None
    #: the peer's own workforce status (issue 23): reminders of certification and hours
    work: WorkforceStatus | None = None
    #: appointments and rides due today or in the next 24 hours (issue 21)
    coming: list[Booked] = field(default_factory=list)
    #: outcome measures (check-ins) due
    measures_due: list[DueCheckIn] = field(default_factory=list)


def load_today(session: Session, day: date, now: datetime | None = None) -> TodayData:
    """Read the day (runs on the DB thread; touches no widget); ``now`` (aware)
    decides which appointments are coming up (default: now)."""
    now = now or datetime.now().astimezone()
    assert now.tzinfo is not None
    start = datetime.combine(day, time.min).astimezone()  # local midnight
    end = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    notes = session.notes.for_day(start, end)
    trips = session.trips.list(year=day.year, month=day.month)
    people = session.participants.list(include_inactive=True)
    counts = session.link.waiting()
    month: MonthSummary | None = None
    month_error: PeerDeskError | None = None
    try:
        month = session.reports.month_summary(day.year, day.month)
    except PeerDeskError as exc:  # a payer file problem must not hide the day
        month_error = exc
    work: WorkforceStatus | None = None
    try:
        work = session.workforce.status(day)
    except PeerDeskError:  # a damaged workforce record must not hide the day
        work = None
    drafts = sorted(
        (n for n in notes.items if n.state is NoteState.DRAFT), key=lambda n: n.start_at
    )
    signed = sorted(
        (n for n in notes.items if n.state is not NoteState.DRAFT),
        key=lambda n: n.signed_at or n.start_at,
    )
    return TodayData(
        day=day,
        drafts=drafts,
        signed=signed,
        trips=sorted((t for t in trips.items if t.trip_date == day), key=lambda t: t.created_at),
        names={p.id: p.display_name for p in people.items},
        pending=counts.pending,
        held_back=counts.quarantined,
        damaged=len(notes.damaged) + len(trips.damaged) + len(people.damaged),
        month=month,
        month_error=month_error,
        work=work,
        coming=session.appointments.upcoming(now, now.tzinfo),
        measures_due=session.record.due_check_ins(today=day),
    )
