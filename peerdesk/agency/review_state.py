r"""The review state machine of a note, as ingest applies it (pure: no database).

A note's review state (``note_reviews``) moves like this::

    (note record) -> received --decision--> approved
                              \-decision--> returned --resubmit record--> resubmitted
    resubmitted --decision--> approved | returned

Ingest applies :func:`review_changes` to the records of each batch (see
:meth:`peerdesk.agency.storage.ingest.SyncIngest.ingest`); decisions are conditional
updates in :meth:`peerdesk.agency.storage.reviews.Reviews.decide`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peerdesk.agency.models import RECEIVED, RESUBMITTED, RETURNED


@dataclass(frozen=True, slots=True)
class ReviewChanges:
    """What a batch does to the review state of its notes: rows to create, rows to
    update (``(note_id, state, last_seq)``) and events (``(note_id, state,
    record_seq)``, in record order)."""

    created: list[tuple[str, str, int]]
    updated: list[tuple[str, str, int]]
    events: list[tuple[str, str, int]]


def review_changes(
    stored: Sequence[tuple[int, str, str]], current: Mapping[str, tuple[str, int]]
) -> ReviewChanges:
    """The review transitions of a batch.

    ``stored`` are ``(seq, kind, note_id)`` of the note-kind records the batch
    stored, in seq order; ``current`` maps the notes that already have a review row
    to ``(state, last_seq)``. Rules: a ``note`` makes a ``received`` row (and
    event) if the note has none; an ``addendum`` only moves ``last_seq``; a
    ``resubmit`` makes a ``returned`` note ``resubmitted`` (and an event), and
    otherwise only moves ``last_seq``. An addendum or resubmit of a note the agency
    never received changes nothing (the note's own record makes the row later,
    with a higher seq). ``last_seq`` never goes down."""
    # A note this batch creates stays received (a resubmit needs a returned note),
    # so only its last_seq moves: a seq per created note, not a row to update (ingest
    # creates a row per note of every batch; this is the loop over them).
    created: dict[str, int] = {}  # note id -> last_seq (state received)
    rows: dict[str, list[Any]] = {}  # known note id -> [state, last_seq, changed?]
    events: list[tuple[str, str, int]] = []
    for seq, kind, note_id in stored:
        last = created.get(note_id)
        if last is not None:
            if seq > last:
                created[note_id] = seq
            continue
        row = rows.get(note_id)
        if row is None:
            known = current.get(note_id)
            if known is not None:
                row = rows[note_id] = [known[0], known[1], False]
            elif kind == "note":
                created[note_id] = seq
                events.append((note_id, RECEIVED, seq))
                continue
            else:
                continue
        if seq > row[1]:
            row[1] = seq
            row[2] = True
        if kind == "resubmit" and row[0] == RETURNED:
            row[0] = RESUBMITTED
            row[2] = True
            events.append((note_id, RESUBMITTED, seq))
    return ReviewChanges(
        [(n, RECEIVED, q) for n, q in created.items()],
        [(n, r[0], r[1]) for n, r in rows.items() if r[2]],
        events,
    )
