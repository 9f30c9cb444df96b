"""``session.review`` (a supervisor's profile): the enrolled supervisor, the
team's laptops, the review queue, a note opened for review with its history,
when the last pull finished, and decisions (approve or return a note)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, tzinfo
from typing import Any

import httpx

from peerdesk.domain.review import (
    SUPERVISOR,
    Peer,
    QueueFilter,
    QueuePage,
    ReviewedNote,
    ReviewEvent,
    SupervisorInfo,
)
from peerdesk.domain.times import from_iso, local_tz, now_utc
from peerdesk.link.decide import DecideParts, Decision, decide
from peerdesk.link.steps import inline
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores

DECIDED = Changes(review=True)


class ReviewService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores

    def info(self) -> SupervisorInfo | None:
        """The enrolled supervisor (None if not enrolled yet); needs the vault unlocked."""
        s = self._s
        s.require(SUPERVISOR, "the supervisor's enrollment")
        record = s.device.get()
        if record is None:
            return None
        return SupervisorInfo(
            record.device_id,
            s.device.secrets().label,
            s.review_inbox.team(),
            record.agency_name,
            record.enrolled_at,
        )

    def last_pull(self) -> tuple[datetime | None, str | None]:
        """When the last complete pull finished, and the last failure in words."""
        at, error = self._s.review_inbox.last_pull()
        return (from_iso(at) if at else None), error

    def peers(self) -> list[Peer]:
        self._s.require(SUPERVISOR, "the review queue")
        return self._s.review_queue.peers()

    def queue(
        self,
        filter: QueueFilter | None = None,  # the contract's name (shadows the builtin)
        offset: int = 0,
        limit: int = 50,
        *,
        now: datetime | None = None,
        tz: tzinfo | None = None,
    ) -> QueuePage:
        """One page of the queue, oldest contact first, with the total count.
        Reads one indexed range and decrypts only the lines of the page."""
        self._s.require(SUPERVISOR, "the review queue")
        self._s.vault.keys  # noqa: B018 - VaultLocked before anything is read
        return self._s.review_queue.queue(
            filter or QueueFilter(), offset, limit, now or now_utc(), tz or local_tz()
        )

    def note(self, device_id: str, note_id: str, *, tz: tzinfo | None = None) -> ReviewedNote:
        """A note with its addenda, the trips of that contact (same laptop,
        participant and day) and its review history."""
        self._s.require(SUPERVISOR, "reading a note for review")
        self._s.vault.keys  # noqa: B018
        return self._s.review_queue.reviewed_note(device_id, note_id, now_utc(), tz or local_tz())

    def decide_steps(
        self,
        device_id: str,
        note_id: str,
        decision: str,
        comment: str,
        seen_seq: int,
        reviewer: str,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> Generator[Any, Any, OpResult[ReviewEvent]]:
        """Approve (co-sign) or return a note, as a step generator (the POST is a
        ``Net`` step). :class:`NoteChanged` when the note changed after it was
        opened or was decided already."""
        s = self._s
        s.require(SUPERVISOR, "deciding on a note")
        parts = DecideParts(s.db, s.vault, s.audit, s.review_inbox, s.review_queue)
        choice = Decision(device_id, note_id, decision, comment, seen_seq, reviewer)
        with s.client(transport) as client:
            event = yield from decide(parts, client, choice)
        return OpResult(event, DECIDED)

    decide = inline(decide_steps)
