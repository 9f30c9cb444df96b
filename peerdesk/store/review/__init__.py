"""The supervisor's local review cache (migration 0008), storage only:
:class:`ReviewInbox` (what a pull stores), :class:`ReviewQueue` (the queue and a
note opened for review) and :class:`TeamFacts` (what the reports read)."""

from peerdesk.store.review.common import NO_KEY, PAYLOAD, SEALED, Opened
from peerdesk.store.review.inbox import ReviewInbox
from peerdesk.store.review.queue import ReviewQueue
from peerdesk.store.review.records import TeamRecords
from peerdesk.store.review.team import ItemTimes, TeamFacts, TeamNote, TeamPerson, TeamTrip

__all__ = [
    "NO_KEY",
    "PAYLOAD",
    "SEALED",
    "ItemTimes",
    "Opened",
    "ReviewInbox",
    "ReviewQueue",
    "TeamFacts",
    "TeamRecords",
    "TeamPerson",
    "TeamNote",
    "TeamTrip",
]
