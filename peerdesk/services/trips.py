"""``session.trips``: log and list trips."""

from __future__ import annotations

from peerdesk.services.changes import Changes, changing
from peerdesk.services.stores import Stores

#: a trip saved (and journaled for sync)
SAVED = Changes(trips=True, outbox=True)


class TripsService:
    """The trip repository's own methods: ``add`` (returns an :class:`OpResult`
    with :data:`SAVED`), and the reads ``get`` and ``list``."""

    def __init__(self, stores: Stores) -> None:
        repo = stores.trips
        self.add = changing(repo.add, SAVED)
        self.get = repo.get
        self.list = repo.list
