"""Billing, mileage and overdue reports: pure functions over decrypted data.

Reports run on the machine that holds the data (a supervisor's review cache or
a peer's own profile), never on the agency server. The :class:`Session` methods
gather the facts (:class:`NoteFacts`, :class:`TripFacts`, :class:`Deadline`) and
call these functions; everything here is testable without a database.

* **Billing** (:func:`billing_report`): per peer, the notes with a contact in the
  month (local calendar), the H0038 units under a payer profile (the engine of
  :mod:`peerdesk.domain.day_rules`: the payer's day rule, modifiers, and the daily
  cap per beneficiary and day across the whole team), and the notes flagged:
  ``unsigned`` (never billed), ``unapproved`` (not co-signed yet),
  ``over_daily_cap``, ``overlaps_other_contact``, ``below_unit_minimum``, and
  ``invalid_times`` or ``unknown_contact_type`` (not billed). ``units`` counts
  every signed note's units; ``approved_units`` only the notes in the payer's
  billable states (what may be claimed now, the claim files' total). ``codes``
  splits both by code and modifiers (``H0038``, ``H0038-HQ``, ...) per peer.
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

from peerdesk.domain.billing import FLAG_NOT_BILLABLE, PayerProfile
from peerdesk.domain.day_rules import (
    FLAG_INVALID_TIMES,
    FLAG_UNKNOWN_CONTACT_TYPE,
    ServiceFact,
    bill_claims,
)
from peerdesk.domain.mileage import reimbursement, trip_miles
from peerdesk.domain.models import ContactType, LocationType, Trip
from peerdesk.errors import Msg, ValidationError

FLAG_UNSIGNED = "unsigned"
FLAG_UNAPPROVED = "unapproved"


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
    location_type: LocationType | str = LocationType.OTHER
    #: sensitive: joins one person across laptops (decrypted here only)
    medicaid_id: str | None = field(default=None, repr=False)
    #: the note's own state word (e.g. ``returned``), when known
    state: str | None = None

    def service(self) -> ServiceFact:
        """The note as the billing engine takes it."""
        state = "approved" if self.approved else "signed" if self.signed else "draft"
        if self.state is not None and self.signed and not self.approved:
            state = self.state
        return ServiceFact(
            self.note_id,
            self.participant_id,
            self.contact_type,
            self.start_at,
            self.end_at,
            self.location_type,
            state,
            self.peer,
            self.device_id,
            self.medicaid_id,
        )


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
class CodeUnits:
    """One peer's units of one code with its modifiers (``H0038-HQ``)."""

    peer: str
    device_id: str
    procedure: str
    units: int
    approved_units: int


@dataclass(frozen=True, slots=True)
class BillingReport:
    rows: list[PeerUnits]
    flags: list[FlaggedNote]
    year: int = 0
    month: int = 0
    payer: str = ""
    code: str = "H0038"
    codes: list[CodeUnits] = field(default_factory=list)

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
        raise ValidationError(Msg("choose a year between 2000 and 2100"), field="year")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(Msg("choose a month from 1 to 12"), field="month")


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
    Notes outside the month are ignored. The whole team is billed together, so
    the daily cap holds per beneficiary across peers. Rows are sorted by peer."""
    check_month(year, month)
    month_notes = sorted(
        (n for n in notes if _in_month(n.start_at, year, month, tz)),
        key=lambda x: (x.start_at, x.device_id, x.note_id),
    )
    facts = [n.service() for n in month_notes]
    # one run over every counted note; what may be claimed is the claimable notes'
    # share of it (as the claims do: claimed, or held until their day is complete)
    run = bill_claims(facts, profile, tz)
    everything = run.by_note()
    claimed = {i: everything[i] for line in run.lines for i in line.note_ids if i in everything}

    flags: list[FlaggedNote] = []
    per_peer: dict[tuple[str, str], list[NoteFacts]] = defaultdict(list)
    codes: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for n in month_notes:
        per_peer[(n.device_id, n.peer)].append(n)
        day = n.start_at.astimezone(tz).date()
        if not n.signed:
            flags.append(FlaggedNote(n.peer, n.note_id, day, FLAG_UNSIGNED, n.device_id))
            continue
        billed = everything.get(n.note_id)
        if billed is None:  # returned: neither counted nor claimed
            continue
        if not n.approved and not _bad(billed.flags):
            flags.append(FlaggedNote(n.peer, n.note_id, day, FLAG_UNAPPROVED, n.device_id))
        for reason in billed.flags:
            if reason != FLAG_NOT_BILLABLE:
                flags.append(FlaggedNote(n.peer, n.note_id, day, reason, n.device_id))
        if billed.units_before_cap or billed.units:
            row = codes[(n.peer, n.device_id, billed.procedure)]
            row[0] += billed.units
            got = claimed.get(n.note_id)
            row[1] += got.units if got is not None else 0

    rows: list[PeerUnits] = []
    for (device_id, peer), peer_notes in sorted(
        per_peer.items(), key=lambda kv: (kv[0][1], kv[0][0])
    ):
        ids = {n.note_id for n in peer_notes}
        rows.append(
            PeerUnits(
                peer,
                device_id,
                len(peer_notes),
                sum(everything[i].units for i in ids if i in everything),
                len({f.note_id for f in flags if f.note_id in ids and f.device_id == device_id}),
                sum(claimed[i].units for i in ids if i in claimed),
            )
        )
    flags.sort(key=lambda f: (f.peer, f.device_id, f.date, f.note_id, f.reason))
    code_rows = [
        CodeUnits(peer, device_id, proc, units, approved)
        for (peer, device_id, proc), (units, approved) in sorted(codes.items())
    ]
    return BillingReport(rows, flags, year, month, profile.name, profile.code, code_rows)


def _bad(reasons: Iterable[str]) -> bool:
    return any(r in (FLAG_INVALID_TIMES, FLAG_UNKNOWN_CONTACT_TYPE) for r in reasons)


# --- mileage -------------------------------------------------------------------------------


def mileage_report(
    trips: Iterable[TripFacts], year: int, month: int, rate: Decimal
) -> MileageReport:
    """Miles and reimbursement per peer for the trips dated in ``year``/``month``."""
    check_month(year, month)
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0:
        raise ValidationError(Msg("the mileage rate must be a non-negative amount"), field="rate")
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
        raise ValidationError(Msg("overdue policies cannot be negative"), field="policy")
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
