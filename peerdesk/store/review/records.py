"""The participant's record as the supervisor's cache holds it (migration
0009): the newest pulled version of each plan, enrollment, consent and outcome
check-in, read back into domain objects, and the count of each person's
synced notes. Payloads are envelopes in ``review_payloads``."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from peerdesk.errors import Msg
from peerdesk.ids import from_iso
from peerdesk.store.base import rows
from peerdesk.store.review.common import ReviewRepository
from peerdesk.wire.payloads import BadPayload
from peerdesk.wire.record_payloads import Record, record_from

log = logging.getLogger(__name__)

#: (laptop id, participant id): one person as one laptop knows them
PersonKey = tuple[str, str]


class TeamRecords(ReviewRepository):
    def _read(self, sql: str, params: tuple[str, ...]) -> dict[PersonKey, list[Record]]:
        out: dict[PersonKey, list[Record]] = defaultdict(list)
        for row in list(rows(self.db, sql, params, what=Msg("read the participants' records"))):
            doc = self.payload(int(row["seq"]))
            try:
                record = record_from(row["kind"], row["record_id"], doc)
            except BadPayload:
                log.warning("pulled %s record %s does not read", row["kind"], row["seq"])
                continue
            out[(row["device_id"], row["participant_id"])].append(record)
        return out

    def of_person(self, device_id: str, participant_id: str) -> list[Record]:
        """The records of one person (newest version of each), oldest first."""
        found = self._read(
            "SELECT * FROM review_person_records WHERE device_id = ? AND participant_id = ?"
            " ORDER BY seq",
            (device_id, participant_id),
        )
        return found.get((device_id, participant_id), [])

    def everyone(self) -> dict[PersonKey, list[Record]]:
        """The records of every person of the team."""
        return self._read("SELECT * FROM review_person_records ORDER BY seq", ())

    def note_counts(self) -> dict[PersonKey, int]:
        """How many synced notes each person has."""
        return {
            (r["device_id"], r["participant_id"]): int(r["n"])
            for r in rows(
                self.db,
                "SELECT device_id, participant_id, count(*) AS n FROM review_items"
                " WHERE kind = 'note' AND participant_id IS NOT NULL"
                " GROUP BY device_id, participant_id",
                what=Msg("count the notes"),
            )
        }

    def note_goals(self, device_id: str, participant_id: str) -> list[tuple[date, list[str]]]:
        """The contact day and goal entries of each pulled note of one person."""
        out = []
        for row in list(
            rows(
                self.db,
                "SELECT note_seq, contact_start FROM review_items WHERE kind = 'note'"
                " AND device_id = ? AND participant_id = ? AND note_seq IS NOT NULL",
                (device_id, participant_id),
                what=Msg("read the notes"),
            )
        ):
            doc = self.payload(int(row["note_seq"]))
            goals = doc.get("goals") if doc else None
            if isinstance(goals, list) and row["contact_start"]:
                day = from_iso(str(row["contact_start"])).date()
                out.append((day, [str(g) for g in goals]))
        return out
