"""Billing, mileage and overdue reports: pure functions over decrypted data.

Reports run on the machine that holds the data (a supervisor's review cache or
a peer's own profile), never on the agency server. The :class:`Session` methods
gather the facts (:class:`NoteFacts`, :class:`TripFacts`, :class:`Deadline`) and
call these functions; everything here is testable without a database.

* **Billing** (:func:`billing_report`): per peer, the notes with a contact in the
  month (local calendar), the H0038 units under a payer profile
  (:func:`peerdesk.domain.billing.bill_contacts`: rounding, daily cap per
  participant and day), and the notes flagged: ``unsigned`` (never billed),
  ``unapproved`` (not co-signed yet), ``over_daily_cap``, ``overlaps_other_contact``,
  ``below_unit_minimum``, and ``invalid_times`` or ``unknown_contact_type`` (not
  billed). ``units`` counts
  every signed note's units after the cap; ``approved_units`` only the approved
  ones (what may be claimed now).
* **Mileage** (:func:`mileage_report`): per peer, trips dated in the month, total
  miles and the reimbursement at the rate (the month's total times the rate,
  rounded once to cents, :func:`peerdesk.domain.mileage.reimbursement`). A trip
  whose distance is invalid is listed apart, not counted.
* **Overdue** (:func:`overdue_report`): by local calendar day. A note must be
  signed by the end of the ``sign_within_days``-th day after its contact; a
  synced note must be decided by the end of the ``review_within_days``-th day
  after it started waiting (received or resubmitted). ``days`` is how many days
  past that last day it is (a draft: until today; a note signed late: until the
  day it was signed).
* :func:`mileage_claim`: a peer's own reimbursement claim, with no participant
  data at all (date, purpose, destination type, miles).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal

from peerdesk.domain.billing import (
    FLAG_NOT_BILLABLE,
    ContactForBilling,
    PayerProfile,
    bill_contacts,
    contact_minutes,
    units_for_minutes,
)
from peerdesk.domain.mileage import reimbursement, trip_miles
from peerdesk.domain.models import ContactType, Trip
from peerdesk.errors import ValidationError

FLAG_UNSIGNED = "unsigned"
FLAG_UNAPPROVED = "unapproved"
FLAG_INVALID_TIMES = "invalid_times"
FLAG_UNKNOWN_CONTACT_TYPE = "unknown_contact_type"


# --- facts ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """One note as billing sees it (decrypted on this machine)."""

    peer: str
    device_id: str
    note_id: str
    participant_id: str
    contact_type: ContactType | str
    start_at: datetime
    end_at: datetime
    signed: bool
    approved: bool


@dataclass(frozen=True, slots=True)
class TripFacts:
    peer: str
    device_id: str
    trip: Trip


@dataclass(frozen=True, slots=True)
class Deadline:
    """A note for the overdue report: when it was due to be signed or decided."""

    peer: str
    device_id: str
    note_id: str
    contact_start: datetime
    #: None: not signed yet (a draft)
    signed_at: datetime | None = None
    #: when it started waiting for a decision (None: not waiting)
    waiting_since: datetime | None = None


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeerUnits:
    peer: str
    device_id: str
    notes: int
    units: int
    flagged: int
    approved_units: int = 0


@dataclass(frozen=True, slots=True)
class FlaggedNote:
    peer: str
    note_id: str
    date: date
    reason: str
    device_id: str = ""


@dataclass(frozen=True, slots=True)
class BillingReport:
    rows: list[PeerUnits]
    flags: list[FlaggedNote]
    year: int = 0
    month: int = 0
    payer: str = ""
    code: str = "H0038"

    @property
    def total_units(self) -> int:
        return sum(r.units for r in self.rows)


@dataclass(frozen=True, slots=True)
class PeerMiles:
    peer: str
    device_id: str
    trips: int
    miles: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InvalidTrip:
    peer: str
    trip_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class MileageReport:
    rows: list[PeerMiles]
    year: int = 0
    month: int = 0
    rate: Decimal = Decimal(0)
    invalid: list[InvalidTrip] = field(default_factory=list)

    @property
    def total_miles(self) -> Decimal:
        return sum((r.miles for r in self.rows), Decimal(0))

    @property
    def total_amount(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal(0))


@dataclass(frozen=True, slots=True)
class OverdueNote:
    peer: str
    note_id: str
    contact_date: date
    kind: str  # "signature" | "review"
    days: int
    device_id: str = ""


@dataclass(frozen=True, slots=True)
class MonthSummary:
    """The peer's own month: billable units (after the daily cap), notes with a
    contact in the month, of which flagged, miles and their reimbursement."""

    units: int
    notes: int
    flagged: int
    miles: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ClaimLine:
    trip_date: date
    purpose: str
    destination_type: str
    miles: Decimal


@dataclass(frozen=True, slots=True)
class MileageClaim:
    """A peer's own mileage reimbursement claim: no participant data in it."""

    peer: str
    year: int
    month: int
    rate: Decimal
    lines: list[ClaimLine]
    miles: Decimal
    amount: Decimal


# --- helpers -------------------------------------------------------------------------------


def check_month(year: int, month: int) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError("choose a year between 2000 and 2100", field="year")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError("choose a month from 1 to 12", field="month")


def month_bounds(year: int, month: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight of the month's first day and of the next month's."""
    check_month(year, month)
    start = datetime(year, month, 1, tzinfo=tz)
    nxt = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, nxt


def month_days(year: int, month: int) -> tuple[date, date]:
    """The first and last calendar day of a month."""
    check_month(year, month)
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return first, last


def _in_month(moment: datetime, year: int, month: int, tz: tzinfo) -> bool:
    local = moment.astimezone(tz)
    return (local.year, local.month) == (year, month)


# --- billing -------------------------------------------------------------------------------


def billing_report(
    notes: Iterable[NoteFacts],
    profile: PayerProfile,
    year: int,
    month: int,
    tz: tzinfo = UTC,
) -> BillingReport:
    """Units per peer for the notes with a contact in ``year``/``month`` (in ``tz``).
    Notes outside the month are ignored. Rows are sorted by peer name."""
    check_month(year, month)
    by_peer: dict[tuple[str, str], list[NoteFacts]] = defaultdict(list)
    for n in notes:
        if _in_month(n.start_at, year, month, tz):
            by_peer[(n.device_id, n.peer)].append(n)
    rows: list[PeerUnits] = []
    flags: list[FlaggedNote] = []
    for (device_id, peer), peer_notes in sorted(
        by_peer.items(), key=lambda kv: (kv[0][1], kv[0][0])
    ):
        row, peer_flags = _bill_peer(peer, device_id, peer_notes, profile, tz)
        rows.append(row)
        flags.extend(peer_flags)
    flags.sort(key=lambda f: (f.peer, f.device_id, f.date, f.note_id, f.reason))
    return BillingReport(rows, flags, year, month, profile.name, profile.code)


def _bill_peer(
    peer: str, device_id: str, notes: list[NoteFacts], profile: PayerProfile, tz: tzinfo
) -> tuple[PeerUnits, list[FlaggedNote]]:
    flags: list[FlaggedNote] = []

    def flag(n: NoteFacts, reason: str) -> None:
        flags.append(
            FlaggedNote(peer, n.note_id, n.start_at.astimezone(tz).date(), reason, device_id)
        )

    billable: list[ContactForBilling] = []
    approved: set[str] = set()
    for n in sorted(notes, key=lambda x: (x.start_at, x.note_id)):
        if not n.signed:
            flag(n, FLAG_UNSIGNED)
            continue
        try:
            contact_type = ContactType(n.contact_type)
        except ValueError:
            flag(n, FLAG_UNKNOWN_CONTACT_TYPE)
            continue
        try:
            units_for_minutes(contact_minutes(n.start_at, n.end_at), profile)
        except ValidationError:
            flag(n, FLAG_INVALID_TIMES)
            continue
        if n.approved:
            approved.add(n.note_id)
        else:
            flag(n, FLAG_UNAPPROVED)
        billable.append(
            ContactForBilling(n.note_id, n.participant_id, contact_type, n.start_at, n.end_at)
        )
    by_id = {n.note_id: n for n in notes}
    units = approved_units = 0
    for line in bill_contacts(billable, profile, tz):
        units += line.units
        if line.note_id in approved:
            approved_units += line.units
        for reason in line.flags:
            if reason != FLAG_NOT_BILLABLE:
                flag(by_id[line.note_id], reason)
    flagged = len({f.note_id for f in flags})
    return PeerUnits(peer, device_id, len(notes), units, flagged, approved_units), flags


# --- mileage -------------------------------------------------------------------------------


def mileage_report(
    trips: Iterable[TripFacts], year: int, month: int, rate: Decimal
) -> MileageReport:
    """Miles and reimbursement per peer for the trips dated in ``year``/``month``."""
    check_month(year, month)
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0:
        raise ValidationError("the mileage rate must be a non-negative amount", field="rate")
    miles: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    invalid: list[InvalidTrip] = []
    for t in trips:
        if (t.trip.trip_date.year, t.trip.trip_date.month) != (year, month):
            continue
        try:
            distance = trip_miles(t.trip)
        except ValidationError as exc:
            invalid.append(InvalidTrip(t.peer, t.trip.id, str(exc)))
            continue
        miles[(t.device_id, t.peer)] += distance
        counts[(t.device_id, t.peer)] += 1
    rows = [
        PeerMiles(peer, device_id, counts[(device_id, peer)], total, reimbursement(total, rate))
        for (device_id, peer), total in sorted(miles.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    return MileageReport(rows, year, month, rate, invalid)


def mileage_claim(
    trips: Iterable[Trip], peer: str, year: int, month: int, rate: Decimal
) -> MileageClaim:
    """A peer's own claim for ``year``/``month``: one line per valid trip (date,
    purpose, destination type, miles; never a destination, note or participant)."""
    check_month(year, month)
    trips = list(trips)
    report = mileage_report((TripFacts(peer, "", t) for t in trips), year, month, rate)
    lines = sorted(
        (
            ClaimLine(t.trip_date, t.purpose.value, t.destination_type.value, trip_miles(t))
            for t in trips
            if (t.trip_date.year, t.trip_date.month) == (year, month)
            and t.id not in {i.trip_id for i in report.invalid}
        ),
        key=lambda line: (line.trip_date, line.purpose),
    )
    total = sum((line.miles for line in lines), Decimal(0))
    return MileageClaim(peer, year, month, rate, lines, total, reimbursement(total, rate))


# --- overdue -------------------------------------------------------------------------------


def overdue_report(
    deadlines: Iterable[Deadline],
    now: datetime,
    sign_within_days: int,
    review_within_days: int,
    tz: tzinfo = UTC,
) -> list[OverdueNote]:
    """Notes overdue for signature or review, most overdue first."""
    if sign_within_days < 0 or review_within_days < 0:
        raise ValidationError("overdue policies cannot be negative", field="policy")
    today = now.astimezone(tz).date()
    out: list[OverdueNote] = []
    for d in deadlines:
        contact_day = d.contact_start.astimezone(tz).date()
        last_sign_day = contact_day + timedelta(days=sign_within_days)
        signed_day = d.signed_at.astimezone(tz).date() if d.signed_at else today
        if signed_day > last_sign_day:
            out.append(
                OverdueNote(
                    d.peer,
                    d.note_id,
                    contact_day,
                    "signature",
                    (signed_day - last_sign_day).days,
                    d.device_id,
                )
            )
        if d.waiting_since is not None:
            last_review_day = d.waiting_since.astimezone(tz).date() + timedelta(
                days=review_within_days
            )
            if today > last_review_day:
                out.append(
                    OverdueNote(
                        d.peer,
                        d.note_id,
                        contact_day,
                        "review",
                        (today - last_review_day).days,
                        d.device_id,
                    )
                )
    out.sort(key=lambda o: (-o.days, o.contact_date, o.peer, o.note_id, o.kind))
    return out


def month_summary(billing: BillingReport, mileage: MileageReport) -> MonthSummary:
    """One peer's month from their billing and mileage reports."""
    return MonthSummary(
        units=sum(r.units for r in billing.rows),
        notes=sum(r.notes for r in billing.rows),
        flagged=sum(r.flagged for r in billing.rows),
        miles=mileage.total_miles,
        amount=mileage.total_amount,
    )
