"""The resource directory in the profile database (:class:`DirectoryStore`):
records (:mod:`.rows`, :mod:`.records`), the derived search columns
(:mod:`.derive`, :mod:`.index`), search (:mod:`.search`, :mod:`.spelling`) and
writes (:mod:`.updates`, :mod:`.delta`)."""

from __future__ import annotations

from peerdesk.store.directory.spelling import deletions, osa_distance
from peerdesk.store.directory.store import DirectoryStore

__all__ = ["DirectoryStore", "deletions", "osa_distance"]
