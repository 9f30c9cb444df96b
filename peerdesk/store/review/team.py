"""What the reports read of the supervisor's review cache: the team's notes and
trips of a month, the people they are about (for the claims: Medicaid id,
name, date of birth, diagnosis code, decrypted here only), and the candidates
for the overdue report."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peerdesk.domain.billing import normalise_diagnosis
from peerdesk.domain.claims import INVALID_ADDRESS, INVALID_DIAGNOSIS, INVALID_MEDICAID_ID
from peerdesk.domain.models import Address
from peerdesk.errors import CorruptData, Msg, ValidationError
from peerdesk.ids import from_iso
from peerdesk.store.base import rows
from peerdesk.store.participants import checked_address, medicaid_ok
from peerdesk.store.review.common import ReviewRepository, item_key, peer_label
from peerdesk.wire.payloads import address_from

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TeamNote:
    """What the reports need of one synced note (decrypted summary included)."""

    device_id: str
    peer: str
    note_id: str
    participant_id: str
    contact_type: str
    start_at: datetime
    end_at: datetime
    signed_at: datetime | None
    state: str
    location_type: str = "other"


@dataclass(frozen=True, slots=True)
class TeamPerson:
    """A participant as the newest synced record of them says (sensitive)."""

    device_id: str
    participant_id: str
    name: str = field(repr=False)
    medicaid_id: str | None = field(repr=False)
    date_of_birth: str | None = field(repr=False)
    diagnosis_code: str | None = field(repr=False)
    address: Address | None = field(default=None, repr=False)
    #: why a claim about this person must be held (a field the participant rules
    #: refuse: ``invalid_medicaid_id``, ``invalid_address``, ``invalid_diagnosis_code``)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TeamTrip:
    device_id: str
    peer: str
    trip_id: str
    payload: dict[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class ItemTimes:
    """Plain facts of a synced note for the overdue report (no decryption)."""

    device_id: str
    peer: str
    note_id: str
    contact_start: datetime
    signed_at: datetime | None
    state: str
    state_at: datetime


def _checked_person(
    device_id: str,
    participant_id: str,
    name: str,
    medicaid_id: str | None,
    date_of_birth: str | None,
    diagnosis_code: str | None,
    address: Any,
) -> TeamPerson:
    """A synced participant checked by the rules a laptop's own store applies (a
    laptop of an older version, or a tampered one, may send anything). The
    Medicaid id is kept as it came (it joins the person's notes), its problem
    holds the claims; a refused diagnosis code or address is dropped."""
    problems: list[str] = []
    if medicaid_id is not None and not medicaid_ok(medicaid_id):
        problems.append(INVALID_MEDICAID_ID)
    diagnosis = None
    if diagnosis_code is not None:
        diagnosis = normalise_diagnosis(diagnosis_code)
        if diagnosis is None:
            problems.append(INVALID_DIAGNOSIS)
    try:
        checked = checked_address(address_from(address))
    except ValidationError:
        checked = None
        problems.append(INVALID_ADDRESS)
    return TeamPerson(
        device_id,
        participant_id,
        name,
        medicaid_id,
        date_of_birth,
        diagnosis,
        checked,
        tuple(problems),
    )


class TeamFacts(ReviewRepository):
    """The facts of the team's synced notes and trips (for the reports)."""

    def team_notes(self, start: str, end: str) -> Iterator[TeamNote]:
        """Readable notes with a contact start in [start, end) (stored ISO times);
        a summary that does not decrypt is logged and skipped."""
        for row in rows(
            self.db,
            "SELECT i.device_id, i.note_id, i.participant_id, i.contact_start, i.signed_at,"
            " i.state, i.summary, i.note_seq, d.label FROM review_items i"
            " LEFT JOIN review_devices d ON d.device_id = i.device_id"
            " WHERE i.sort_at >= ? AND i.sort_at < ? AND i.kind = 'note'"
            " AND i.contact_start IS NOT NULL ORDER BY i.sort_at",
            [start, end],
            what=Msg("read the team's notes"),
        ):
            key = item_key(row["device_id"], row["note_id"])
            try:
                summary = self.unseal(key, "summary", row["summary"], "review_items")
                location = summary.get("location_type")
                if location is None and row["note_seq"] is not None:
                    # pulled before the summary carried it: the note itself says
                    location = (self.payload(row["note_seq"]) or {}).get("location_type")
                yield TeamNote(
                    device_id=row["device_id"],
                    peer=peer_label(row["label"], row["device_id"]),
                    note_id=row["note_id"],
                    participant_id=row["participant_id"] or "",
                    contact_type=str(summary["contact_type"]),
                    start_at=from_iso(row["contact_start"]),
                    end_at=from_iso(str(summary["end_at"]).replace("Z", "+00:00")),
                    signed_at=from_iso(row["signed_at"]) if row["signed_at"] else None,
                    state=row["state"],
                    location_type=str(location or "other"),
                )
            except (CorruptData, KeyError, TypeError, ValueError) as exc:
                log.warning("review note skipped in a report: %s", type(exc).__name__)

    def team_people(self) -> dict[tuple[str, str], TeamPerson]:
        """Every synced participant by (laptop, participant id), from their newest
        record, oldest first (the agency's seq: the newest record of a person on
        any laptop comes last); one that does not decrypt is logged (never its
        content) and left out. A laptop's payload is checked by the participant
        rules (Medicaid id, address, diagnosis code): what they refuse is not used
        and named in ``problems``, so a claim about the person is held."""
        people: dict[tuple[str, str], TeamPerson] = {}
        for row in rows(
            self.db,
            "SELECT device_id, participant_id, seq FROM review_participants ORDER BY seq",
            [],
            what=Msg("read the team's participants"),
        ):
            try:
                doc = self.payload(row["seq"])
            except CorruptData as exc:
                log.warning("review participant skipped: %s", type(exc).__name__)
                continue
            if doc is None:
                continue

            def text(key: str, doc: dict[str, Any] = doc) -> str | None:
                value = doc.get(key)
                return str(value).strip() or None if value is not None else None

            key = (row["device_id"], row["participant_id"])
            people[key] = _checked_person(
                row["device_id"],
                row["participant_id"],
                text("display_name") or "",
                text("medicaid_id"),
                text("date_of_birth"),
                text("diagnosis_code"),
                doc.get("address"),
            )
        return people

    def team_trips(self, first: date, last: date) -> Iterator[TeamTrip]:
        """Trips dated ``first`` to ``last`` (both included)."""
        for row in rows(
            self.db,
            "SELECT t.device_id, t.trip_id, t.seq, d.label FROM review_trips t"
            " LEFT JOIN review_devices d ON d.device_id = t.device_id"
            " WHERE t.trip_date >= ? AND t.trip_date <= ? ORDER BY t.trip_date, t.seq",
            [first.isoformat(), last.isoformat()],
            what=Msg("read the team's trips"),
        ):
            try:
                doc = self.payload(row["seq"])
            except CorruptData as exc:
                log.warning("review trip skipped in a report: %s", type(exc).__name__)
                continue
            if doc is not None:
                yield TeamTrip(
                    row["device_id"],
                    peer_label(row["label"], row["device_id"]),
                    row["trip_id"],
                    doc,
                )

    def overdue_candidates(
        self, sign_within_days: int, waiting_since_before: str
    ) -> Iterator[ItemTimes]:
        """Candidates for the overdue report (a superset: the report's pure rules
        decide): notes signed more than ``sign_within_days - 1`` days after their
        contact, and notes waiting for a decision since before
        ``waiting_since_before``. Plain columns only: nothing is decrypted."""
        for row in rows(
            self.db,
            "SELECT i.device_id, i.note_id, i.contact_start, i.signed_at, i.state, i.state_at,"
            " d.label FROM review_items i LEFT JOIN review_devices d ON d.device_id = i.device_id"
            " WHERE i.kind = 'note' AND i.contact_start IS NOT NULL AND ("
            " (i.signed_at IS NOT NULL"
            "  AND julianday(i.signed_at) - julianday(i.contact_start) > ? - 1)"
            " OR (i.state IN ('received', 'resubmitted') AND i.state_at < ?))"
            " ORDER BY i.sort_at",
            [sign_within_days, waiting_since_before],
            what=Msg("read the overdue notes"),
        ):
            yield ItemTimes(
                device_id=row["device_id"],
                peer=peer_label(row["label"], row["device_id"]),
                note_id=row["note_id"],
                contact_start=from_iso(row["contact_start"]),
                signed_at=from_iso(row["signed_at"]) if row["signed_at"] else None,
                state=row["state"],
                state_at=from_iso(row["state_at"]),
            )
