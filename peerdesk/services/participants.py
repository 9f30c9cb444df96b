"""``session.participants``: add, edit, list and find participants."""

from __future__ import annotations

from peerdesk.services.changes import Changes, changing
from peerdesk.services.stores import Stores

#: a participant saved (and journaled for sync)
SAVED = Changes(participants=True, outbox=True)


class ParticipantsService:
    """The participant repository's own methods: ``add`` and ``update`` (each
    returns an :class:`OpResult` with :data:`SAVED`), and the reads ``get`` and
    ``list``."""

    def __init__(self, stores: Stores) -> None:
        repo = stores.participants
        self.add = changing(repo.add, SAVED)
        self.update = changing(repo.update, SAVED)
        self.get = repo.get
        self.list = repo.list
