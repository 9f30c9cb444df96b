"""Planning a laptop's batches (issue 17): records of one kind and key grouped
into sealed segments (:mod:`peerdesk.wire.segments`), segments packed into
batches whose whole request body (frame and signature counted) stays within the
byte limit.

A segment is sized to fit one batch, so a lost answer costs at most one batch
again. Records of a kind in :data:`LONE_KINDS` (the recovery escrow, sealed to
another key and read once, alone, by IT) travel as single records as before.
Urgent records (a crisis flag, safety plan or crisis note: the outbox's
priority) go first, in segments and batches of their own; then kinds go in a fixed order
(participants, then notes, then what refers to a note) and any other kind after
them in the order it first appears, so a note reaches the agency before its
addenda; the order within a kind is the journal's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.wire.codec import DEFAULT_DICTIONARY
from peerdesk.wire.protocol import FRAME_BYTES, Batch, Record, frame
from peerdesk.wire.segments import ID_PAIR, MAX_SEGMENT_RECORDS, Segment, seal_segment

#: kinds that never share a segment
LONE_KINDS = frozenset({"escrow"})
#: kinds sent first, in this order
KIND_ORDER = ("participant", "note", "addendum", "resubmit")
#: what a segment adds around its sealed bytes and ids at most (kind, key id,
#: dictionary, array and bin headers)
SEGMENT_FRAME = 120
#: the first guess of raw/compressed (learnt from each segment sealed)
FIRST_RATIO = 3.0
#: segments of fewer payload bytes than this are compressed with the shipped dictionary
DICTIONARY_UP_TO = 64 * 1024


@dataclass(frozen=True, slots=True)
class Ready:
    """One record ready to go into a segment: its packed payload and where to seal it."""

    op_id: str
    kind: str
    entity_id: str
    key_id: str
    public: bytes = field(repr=False)
    packed: bytes = field(repr=False)
    #: sent before everything else (a crisis record, issue 21), in segments of its own
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Planned:
    """One batch to send: its segments and lone records, and its body's size at most."""

    segments: tuple[Segment, ...]
    records: tuple[Record, ...]
    wire_bytes: int

    @property
    def count(self) -> int:
        return sum(s.count for s in self.segments) + len(self.records)

    @property
    def op_ids(self) -> list[str]:
        return [op for s in self.segments for op, _ in s.members()] + [
            r.op_id for r in self.records
        ]


class Planner:
    """Seals and packs; keeps what it learnt of the compression ratio across windows."""

    def __init__(self, device_id: str, limit: int) -> None:
        self.device_id = device_id
        self.limit = limit
        self.ratio = FIRST_RATIO

    @property
    def segment_budget(self) -> int:
        """The most a segment may take on the wire: a batch of it alone fits."""
        return max(1, self.limit - FRAME_BYTES)

    def plan(self, items: Sequence[Ready | Record]) -> list[Planned]:
        groups: dict[tuple[bool, str, str], list[Ready]] = {}
        lone: list[Record] = []
        for item in items:
            if isinstance(item, Record):
                lone.append(item)
            else:
                groups.setdefault((not item.urgent, item.kind, item.key_id), []).append(item)
        rank = {k: i for i, k in enumerate(KIND_ORDER)}
        # by kind (sorted() keeps first-seen order on ties); urgent records in
        # batches of their own, first, so they arrive as soon as the link allows
        order = sorted(groups, key=lambda g: rank.get(g[1], len(KIND_ORDER)))
        urgent = [p for g in order if not g[0] for p in self.segments(groups[g])]
        rest: list[Segment | Record] = [p for g in order if g[0] for p in self.segments(groups[g])]
        return self.pack(urgent) + self.pack([*rest, *lone])

    def segments(self, group: Sequence[Ready]) -> list[Segment]:
        """Seal ``group`` (one kind, one key) into segments of at most the budget
        (a record too large for it alone makes a segment of its own)."""
        out: list[Segment] = []
        budget = (self.segment_budget - SEGMENT_FRAME) * 0.97
        i, n = 0, len(group)
        while i < n:
            j = self._take(group, i, budget, self.ratio)
            seg = self._seal(group[i:j])
            while seg.wire_size > self.segment_budget and j - i > 1:
                # the guess was too hopeful: take as many as the ratio just seen allows
                seen = sum(len(r.packed) for r in group[i:j]) / max(1, len(seg.sealed))
                j = min(j - 1, self._take(group, i, budget, seen * 0.98))
                seg = self._seal(group[i:j])
            raw = sum(len(r.packed) for r in group[i:j])
            if len(seg.sealed) > 64:
                self.ratio = max(1.0, raw / len(seg.sealed))
            out.append(seg)
            i = j
        return out

    @staticmethod
    def _take(group: Sequence[Ready], i: int, budget: float, ratio: float) -> int:
        """Where a segment that starts at ``i`` ends to take about ``budget`` bytes
        on the wire if its payloads compress ``ratio`` times (at least one record)."""
        j, est = i, 0.0
        while j < len(group) and j - i < MAX_SEGMENT_RECORDS:
            est += len(group[j].packed) / ratio + ID_PAIR
            if j > i and est > budget:
                break
            j += 1
        return j

    def _seal(self, part: Sequence[Ready]) -> Segment:
        first = part[0]
        raw = sum(len(r.packed) for r in part)
        return seal_segment(
            [r.packed for r in part],
            [(r.op_id, r.entity_id) for r in part],
            device_id=self.device_id,
            kind=first.kind,
            key_id=first.key_id,
            recipient_public=first.public,
            # the shipped dictionary helps a few records; on a long stream it costs
            # (zstd then tunes itself for small inputs): a fifth more bytes
            dictionary=DEFAULT_DICTIONARY if raw < DICTIONARY_UP_TO else "",
        )

    def pack(self, pieces: Sequence[Segment | Record]) -> list[Planned]:
        """Pieces in order into batches of at most ``limit`` bytes (a piece larger
        than that travels alone)."""
        out: list[Planned] = []
        segs: list[Segment] = []
        recs: list[Record] = []
        size = FRAME_BYTES

        def close() -> None:
            out.append(Planned(tuple(segs), tuple(recs), size))

        for piece in pieces:
            grows = piece.wire_size
            if (segs or recs) and size + grows > self.limit:
                close()
                segs, recs, size = [], [], FRAME_BYTES
            if isinstance(piece, Segment):
                segs.append(piece)
            else:
                recs.append(piece)
            size += grows
        if segs or recs:
            close()
        return out


#: an Ed25519 signature
SIGNATURE_BYTES = 64


def estimate_bytes(plan: Sequence[Planned], device_id: str, cursor: int, left: int) -> int:
    """The request bytes a sync will send: the planned batches as they will go
    (sealed, framed and signed), and as much again per record for the ``left``
    records the plan did not hold."""
    at = to_iso(now_utc())
    planned = 0
    for p in plan:
        batch = Batch(device_id, new_id(), cursor, p.records, at, p.segments)
        planned += len(frame(batch.body(), bytes(SIGNATURE_BYTES)))
    count = sum(p.count for p in plan)
    if count and left > 0:
        planned += planned * left // count
    return planned
