"""``session.participants``: add, edit, list and find participants."""

from __future__ import annotations

from datetime import date

from peerdesk.domain.models import Participant
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores
from peerdesk.store.base import ReadResult

#: a participant saved (and journaled for sync)
SAVED = Changes(participants=True, outbox=True)


class ParticipantsService:
    def __init__(self, stores: Stores) -> None:
        self._repo = stores.participants

    def add(
        self,
        display_name: str,
        *,
        date_of_birth: date | None = None,
        phone: str | None = None,
        medicaid_id: str | None = None,
        details: str = "",
    ) -> OpResult[Participant]:
        person = self._repo.add(
            display_name,
            date_of_birth=date_of_birth,
            phone=phone,
            medicaid_id=medicaid_id,
            details=details,
        )
        return OpResult(person, SAVED)

    def update(self, person: Participant) -> OpResult[Participant]:
        return OpResult(self._repo.update(person), SAVED)

    def get(self, participant_id: str) -> Participant:
        return self._repo.get(participant_id)

    def list(self, *, include_inactive: bool = False) -> ReadResult[Participant]:
        return self._repo.list(include_inactive=include_inactive)
