"""``session.groups``: groups with a roster, and their sessions (issue 21).

A session saves each attendee's own group-contact note (see
:mod:`peerdesk.domain.groups`); the notes are billed like any other note.
Writes return an :class:`OpResult`: :data:`SAVED` for a group, :data:`HELD`
for a session (its notes changed too; signed ones are journaled)."""

from __future__ import annotations

from peerdesk.domain.groups import Group, GroupSession, SessionRecord
from peerdesk.domain.review import PEER
from peerdesk.services.changes import Changes, OpResult, changing
from peerdesk.services.stores import Stores
from peerdesk.store.base import ReadResult
from peerdesk.store.groups import GroupRepo

#: a group saved or ended (groups do not sync)
SAVED = Changes(groups=True)
#: a session saved: its notes were written (and journaled when signed)
HELD = Changes(groups=True, notes=True, outbox=True)


class GroupsService:
    """``create``, ``update`` and ``end`` a group (each an :class:`OpResult` with
    :data:`SAVED`); ``record_session``; the reads ``groups``, ``get``,
    ``sessions`` and ``names``."""

    def __init__(self, stores: Stores) -> None:
        self._s = stores
        repo = self._repo = GroupRepo(stores.db, stores.vault, stores.notes)
        self.create = changing(repo.create, SAVED)
        self.update = changing(repo.update, SAVED)
        self.end = changing(repo.end, SAVED)
        self.get = repo.group
        self.sessions = repo.sessions

    def groups(self) -> ReadResult[Group]:
        return self._repo.groups()

    def record_session(self, session: GroupSession) -> OpResult[SessionRecord]:
        """Save the session and one note per attendee (see
        :meth:`GroupRepo.record_session`). A peer's work."""
        self._s.require(PEER, "a group session")
        return OpResult(self._repo.record_session(session), HELD)

    def names(self) -> dict[str, str]:
        """Participant id -> name, the active participants first (for the roster)."""
        people = sorted(
            self._s.participants.list().items,
            key=lambda p: (not p.active, p.display_name.casefold()),
        )
        return {p.id: p.display_name for p in people}
