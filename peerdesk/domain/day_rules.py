"""The billing engine: a team's (or one laptop's) contacts to units, per note and
per billable service, under one payer profile.

Every figure PeerDesk shows or exports comes from :func:`bill_services`: the
editor's live figure (:func:`preview`), ``peerdesk-cli list-notes``, the billing
report and the claim files. The steps:

1. **Check** each contact: a contact type the payer does not pay for, an unknown
   contact type or impossible times earn 0 units and are flagged.
2. **Who**: the *beneficiary* is the Medicaid id when the participant has one
   (the same person seen by two peers on two laptops is one beneficiary on the
   supervisor's side), else the laptop and participant id.
3. **Service**: contacts of one beneficiary on one local date with the same code,
   modifiers, rendering peer and place of service are one billable service (under
   ``per_contact``, each contact is a service of its own).
4. **Day rule**: ``per_contact`` rounds each contact alone; ``sum_per_code_per_day``
   adds the service's minutes and rounds once (the CMS 8-minute table: 8-22
   minutes one unit, 23-37 two, ...). A note's own figure is what it adds to its
   service in start order: with 2 x 10 minutes the first earns 1, the second 0.
5. **Cap**: the payer's daily cap per beneficiary and date, across every peer,
   taken in start order; a note past it is reduced (to 0 if need be) and flagged.

A line is never dropped silently: a reduced or zero note keeps its flags. The
claims bill every counted note too and keep the services the payer may be billed
for (:func:`bill_claims`), so a claim's units are the report's; a service line
carries its notes' flags (an overlap holds the claim).
Pure functions; no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo

from peerdesk.domain.billing import (
    FLAG_BELOW_MINIMUM,
    FLAG_NOT_BILLABLE,
    FLAG_OVER_DAILY_CAP,
    FLAG_OVERLAP,
    STATE_APPROVED,
    STATE_SIGNED,
    BillableLine,
    ContactForBilling,
    DayRule,
    PayerProfile,
    contact_minutes,
    procedure,
    units_for_minutes,
    units_for_total,
)
from peerdesk.domain.models import ContactType, LocationType
from peerdesk.errors import Msg, ValidationError

__all__ = [
    "FLAG_DAY_NOT_CLAIMABLE",
    "FLAG_INVALID_TIMES",
    "FLAG_UNKNOWN_CONTACT_TYPE",
    "BillingRun",
    "DayContext",
    "NoteUnits",
    "ServiceFact",
    "ServiceLine",
    "beneficiary_key",
    "bill_contacts",
    "bill_claims",
    "bill_services",
    "billing_state",
    "claimable",
    "counted",
    "preview",
]

#: the contact's times cannot be billed (end before start, too long, no zone)
FLAG_INVALID_TIMES = "invalid_times"
#: the note names a contact type this version does not know
FLAG_UNKNOWN_CONTACT_TYPE = "unknown_contact_type"
#: a note the supervisor returned: counted with the signed ones, never claimed
RETURNED = "returned"
#: a service line whose beneficiary's day still has a counted note the payer may
#: not be claimed for yet (signed, not approved; returned): the day is claimed
#: once, complete
FLAG_DAY_NOT_CLAIMABLE = "day_not_fully_approved"
#: what keeps a note from counting toward the day's units and cap
_NOT_COUNTING = frozenset({FLAG_NOT_BILLABLE, FLAG_INVALID_TIMES, FLAG_UNKNOWN_CONTACT_TYPE})

_STATE_WORDS = {
    # a laptop's note states
    "signed": STATE_SIGNED,
    "submitted": STATE_SIGNED,
    "approved": STATE_APPROVED,
    # the review cache's
    "received": STATE_SIGNED,
    "resubmitted": STATE_SIGNED,
    "returned": RETURNED,
}


def billing_state(state: str) -> str | None:
    """A note state (a laptop's or the review cache's) as billing sees it:
    ``signed``, ``approved``, ``returned`` (counted, never claimed), or None (a
    draft: neither)."""
    return _STATE_WORDS.get(str(state))


def beneficiary_key(medicaid_id: str | None, device_id: str, participant_id: str) -> str:
    """Who a note is about, for the day rules and the cap: the Medicaid id when
    known (the same person on every laptop), else the laptop and participant id."""
    if medicaid_id and medicaid_id.strip():
        return "mcd:" + medicaid_id.strip().upper()
    return f"local:{device_id}/{participant_id}"


@dataclass(frozen=True, slots=True)
class ServiceFact:
    """What billing needs of one note (decrypted on this machine)."""

    note_id: str
    participant_id: str
    contact_type: ContactType | str
    start_at: datetime
    end_at: datetime
    location_type: LocationType | str = LocationType.OTHER
    #: the note's state (a laptop's or the review cache's words)
    state: str = "signed"
    peer: str = ""
    device_id: str = ""
    #: sensitive: the join key across laptops; never logged
    medicaid_id: str | None = field(default=None, repr=False)

    @property
    def beneficiary(self) -> str:
        """The Medicaid id when known (the same person on every laptop), else the
        laptop and participant id (only that laptop's notes join)."""
        return beneficiary_key(self.medicaid_id, self.device_id, self.participant_id)


@dataclass(frozen=True, slots=True)
class DayContext:
    """What the editor needs to show a note's figure among its day: the laptop,
    the peer, the participant's Medicaid id and their notes of that day."""

    device_id: str
    peer: str
    medicaid_id: str | None = field(repr=False)
    facts: list[ServiceFact]


@dataclass(frozen=True, slots=True)
class NoteUnits:
    """One note's share of the billing: its service, its units after the day rule
    and the cap (``units``), before the cap (``units_before_cap``), and flags."""

    note_id: str
    peer: str
    device_id: str
    participant_id: str
    #: sensitive ("mcd:<Medicaid id>"): never in a repr
    beneficiary: str = field(repr=False)
    service_date: date
    contact_type: str
    code: str
    modifiers: tuple[str, ...]
    place_of_service: str
    minutes: int
    units: int
    units_before_cap: int
    state: str
    flags: tuple[str, ...] = ()

    @property
    def procedure(self) -> str:
        return procedure(self.code, self.modifiers)

    @property
    def billable(self) -> bool:
        return self.units > 0


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One billable service: a beneficiary, a date, a code with modifiers, a
    rendering peer and a place of service; the notes it is made of."""

    #: sensitive ("mcd:<Medicaid id>" and the id): never in a repr
    beneficiary: str = field(repr=False)
    medicaid_id: str | None = field(repr=False)
    participant_id: str
    peer: str
    device_id: str
    service_date: date
    code: str
    modifiers: tuple[str, ...]
    place_of_service: str
    minutes: int
    units: int
    note_ids: tuple[str, ...]
    #: the flags of its notes (an overlap, the cap, a day not fully claimable)
    flags: tuple[str, ...] = ()

    @property
    def procedure(self) -> str:
        return procedure(self.code, self.modifiers)


@dataclass(frozen=True, slots=True)
class BillingRun:
    """Every note's units (start order) and the billable services (date order)."""

    notes: list[NoteUnits]
    lines: list[ServiceLine]

    def by_note(self) -> dict[str, NoteUnits]:
        return {n.note_id: n for n in self.notes}

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)


@dataclass(slots=True)
class _Work:
    fact: ServiceFact
    start: datetime
    end: datetime
    minutes: int
    contact: str
    service_date: date
    modifiers: tuple[str, ...] = ()
    place: str = ""
    units: int = 0
    before_cap: int = 0
    flags: list[str] | None = None
    billable: bool = False
    below_minimum: bool = False


def _prepare(fact: ServiceFact, profile: PayerProfile, tz: tzinfo) -> _Work:
    flags: list[str] = []
    try:
        minutes = contact_minutes(fact.start_at, fact.end_at)
        units_for_minutes(minutes, profile)
        valid = True
    except ValidationError:
        minutes, valid = 0, False
        flags.append(FLAG_INVALID_TIMES)
    start = fact.start_at.astimezone(UTC) if fact.start_at.tzinfo else fact.start_at
    end = fact.end_at.astimezone(UTC) if fact.end_at.tzinfo else fact.end_at
    try:
        service_date = start.astimezone(tz).date()
    except (OverflowError, ValueError):  # pragma: no cover - a naive time
        service_date = start.date()
    try:
        contact: ContactType | None = ContactType(fact.contact_type)
    except ValueError:
        contact = None
        flags.append(FLAG_UNKNOWN_CONTACT_TYPE)
    work = _Work(fact, start, end, minutes, str(fact.contact_type), service_date, flags=flags)
    if contact is None or not valid:
        return work
    if not profile.is_billable(contact):
        flags.append(FLAG_NOT_BILLABLE)
        return work
    try:
        location = LocationType(fact.location_type)
    except ValueError:
        location = LocationType.OTHER
    work.modifiers = profile.modifiers_for(contact)
    work.place = profile.place_for(contact, location)
    work.billable = True
    return work


def bill_services(
    facts: Iterable[ServiceFact], profile: PayerProfile, tz: tzinfo = UTC
) -> BillingRun:
    """Apply the payer's day rule and daily cap to ``facts`` (see the module
    docstring). The caller chooses the notes (e.g. every signed note for the
    report, or only the states the payer claims, :func:`claimable`). A note listed
    twice raises :class:`ValidationError`."""
    works: list[_Work] = []
    seen: set[tuple[str, str]] = set()
    for fact in facts:
        key = (fact.device_id, fact.note_id)
        if key in seen:
            raise ValidationError(
                Msg(
                    "note {note_id} is listed twice; it can only be billed once",
                    note_id=fact.note_id,
                ),
                field="note_id",
            )
        seen.add(key)
        works.append(_prepare(fact, profile, tz))
    works.sort(key=lambda w: (w.start, w.fact.device_id, w.fact.note_id))

    # the day rule, per service
    services: dict[tuple[object, ...], list[_Work]] = defaultdict(list)
    per_contact = profile.day_rule is DayRule.PER_CONTACT
    for w in works:
        if w.billable:
            services[_service_key(w, per_contact)].append(w)
    for members in services.values():
        if per_contact:
            for w in members:
                w.before_cap = units_for_total(w.minutes, profile)
        else:
            total = earned = 0
            for w in members:
                total += w.minutes
                now = units_for_total(total, profile)
                w.before_cap, earned = now - earned, now
        if sum(w.before_cap for w in members) == 0:
            for w in members:
                w.below_minimum = True

    # overlaps and the daily cap, per beneficiary (across peers), in start order
    used: dict[tuple[str, date], int] = defaultdict(int)
    latest_end: dict[str, datetime] = {}
    for w in works:
        if not w.billable:
            continue
        assert w.flags is not None
        who = w.fact.beneficiary
        previous_end = latest_end.get(who)
        if previous_end is not None and w.start < previous_end:
            w.flags.append(FLAG_OVERLAP)
        latest_end[who] = max(w.end, previous_end or w.end)
        if w.below_minimum:
            w.flags.append(FLAG_BELOW_MINIMUM)
        w.units = w.before_cap
        if profile.daily_cap_units is not None:
            day = (who, w.service_date)
            remaining = max(profile.daily_cap_units - used[day], 0)
            if w.units > remaining:
                w.units = remaining
                w.flags.append(FLAG_OVER_DAILY_CAP)
            used[day] += w.units

    notes = [_note_units(w, profile) for w in works]
    lines = []
    for members in services.values():
        units = sum(w.units for w in members)
        if units <= 0:
            continue
        first = members[0].fact
        lines.append(
            ServiceLine(
                beneficiary=first.beneficiary,
                medicaid_id=first.medicaid_id.strip().upper() if first.medicaid_id else None,
                participant_id=first.participant_id,
                peer=first.peer,
                device_id=first.device_id,
                service_date=members[0].service_date,
                code=profile.code,
                modifiers=members[0].modifiers,
                place_of_service=members[0].place,
                minutes=sum(w.minutes for w in members),
                units=units,
                note_ids=tuple(w.fact.note_id for w in members if w.units > 0),
                flags=tuple(dict.fromkeys(f for w in members for f in w.flags or ())),
            )
        )
    lines.sort(
        key=lambda ln: (ln.service_date, ln.beneficiary, ln.peer, ln.device_id, ln.procedure)
    )
    return BillingRun(notes, lines)


def _service_key(w: _Work, per_contact: bool) -> tuple[object, ...]:
    """One billable service: each contact alone (per contact), or a beneficiary's
    day of one code and modifiers from one peer at one place."""
    f = w.fact
    own = f.note_id if per_contact else ""
    return (f.beneficiary, w.service_date, w.modifiers, f.device_id, w.place, own)


def _note_units(w: _Work, profile: PayerProfile) -> NoteUnits:
    f = w.fact
    return NoteUnits(
        note_id=f.note_id,
        peer=f.peer,
        device_id=f.device_id,
        participant_id=f.participant_id,
        beneficiary=f.beneficiary,
        service_date=w.service_date,
        contact_type=w.contact,
        code=profile.code,
        modifiers=w.modifiers,
        place_of_service=w.place,
        minutes=w.minutes,
        units=w.units,
        units_before_cap=w.before_cap,
        state=str(f.state),
        flags=tuple(w.flags or ()),
    )


def counted(facts: Iterable[ServiceFact]) -> list[ServiceFact]:
    """The notes the reports count: every signed note (not drafts, not returned)."""
    return [f for f in facts if billing_state(f.state) is not None]


def claimable(facts: Iterable[ServiceFact], profile: PayerProfile) -> list[ServiceFact]:
    """The notes the payer may be billed for now: in one of its billable states."""
    return [f for f in facts if _may_claim(f.state, profile)]


def bill_claims(
    facts: Iterable[ServiceFact], profile: PayerProfile, tz: tzinfo = UTC
) -> BillingRun:
    """The billing run a claim is made from: the day rules and the cap over every
    counted note (as the billing report does, so a claim never disagrees with it),
    then only the services of notes the payer may be billed for (a service's
    units: what those notes earned in that run). A service whose beneficiary's day
    still has a counted, billable note that may not be claimed yet (signed, not
    approved; returned) is flagged :data:`FLAG_DAY_NOT_CLAIMABLE`: the claims
    hold it, so a day is claimed once, complete."""
    run = bill_services(counted(facts), profile, tz)
    by_note = {(n.device_id, n.note_id): n for n in run.notes}
    pending: set[tuple[str, date]] = set()
    for n in run.notes:
        if not _NOT_COUNTING.intersection(n.flags) and not _may_claim(n.state, profile):
            pending.add((n.beneficiary, n.service_date))
    lines = []
    for line in run.lines:
        mine = [by_note[(line.device_id, i)] for i in line.note_ids]
        ok = [n for n in mine if _may_claim(n.state, profile)]
        if not ok:
            continue
        if (line.beneficiary, line.service_date) in pending:
            line = replace(
                line,
                units=sum(n.units for n in ok),
                note_ids=tuple(n.note_id for n in ok),
                flags=(*line.flags, FLAG_DAY_NOT_CLAIMABLE),
            )
        lines.append(line)
    return BillingRun(run.notes, lines)


def _may_claim(state: str, profile: PayerProfile) -> bool:
    billed = billing_state(state)
    return billed is not None and billed != RETURNED and profile.claims_state(billed)


def preview(
    fact: ServiceFact,
    context: Iterable[ServiceFact],
    profile: PayerProfile,
    tz: tzinfo = UTC,
) -> NoteUnits:
    """What one note (a draft being typed, or a saved note) earns among the other
    counted notes of its day (``context``; the note itself is left out of it if
    there). The editor's live figure and ``list-notes`` both use this."""
    others = [
        c
        for c in counted(context)
        if not (c.note_id == fact.note_id and c.device_id == fact.device_id)
    ]
    mine = replace(fact, state=fact.state if billing_state(fact.state) else "signed")
    return bill_services([*others, mine], profile, tz).by_note()[fact.note_id]


def bill_contacts(
    contacts: Iterable[ContactForBilling],
    profile: PayerProfile,
    tz: tzinfo = UTC,
) -> list[BillableLine]:
    """Plain contacts (one laptop's participants, no Medicaid ids) through the
    engine, one :class:`BillableLine` per contact in start order.

    Unlike :func:`bill_services`, a contact with invalid times raises
    :class:`ValidationError` naming its note (a caller that has only contacts has
    nothing to flag them on); a note listed twice too.
    """
    facts: list[ServiceFact] = []
    seen: set[str] = set()
    for c in contacts:
        if c.note_id in seen:
            raise ValidationError(
                Msg(
                    "note {note_id} is listed twice; it can only be billed once", note_id=c.note_id
                ),
                field="note_id",
            )
        seen.add(c.note_id)
        try:
            # validates the length even for contact types the payer does not pay for
            units_for_minutes(contact_minutes(c.start_at, c.end_at), profile)
        except ValidationError as exc:
            raise ValidationError(
                Msg("note {note_id}: {problem}", note_id=c.note_id, problem=exc.message),
                field=exc.field,
            ) from exc
        facts.append(ServiceFact(c.note_id, c.participant_id, c.contact_type, c.start_at, c.end_at))
    return [
        BillableLine(
            note_id=n.note_id,
            participant_id=n.participant_id,
            service_date=n.service_date,
            contact_type=ContactType(n.contact_type),
            code=n.code,
            minutes=n.minutes,
            units=n.units,
            units_before_cap=n.units_before_cap,
            modifiers=n.modifiers,
            flags=n.flags,
        )
        for n in bill_services(facts, profile, tz).notes
    ]
