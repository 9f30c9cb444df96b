"""Sealed batch segments (issue 17): many records of one kind, compressed together
and sealed once.

A record sealed on its own compresses only against the shipped dictionary; the
wording that repeats across a laptop's notes is compressed only when the notes
travel in one stream. A *segment* is the payloads of up to a few thousand records
of one kind, as one msgpack array, compressed with zstd (the shipped dictionary)
and HPKE-sealed once to the review key. On the wire (in a batch's ``"segs"``)::

    segment = [kind (str), key id (str), dictionary (str),
               ids (bytes: per record its op id then its entity id, 16 bytes each;
                    or [count, those bytes zstd-compressed], see pack_ids),
               sealed (bytes)]

so kind, key id and dictionary travel once per segment and the ids as one
byte string. The ids are the plaintext manifest the agency keeps per record
(routing metadata only: it deduplicates by op id and keeps review state per note
without reading content). The HPKE ``info`` binds device, kind, key id,
dictionary and a SHA-256 of the ids (:func:`segment_info`), so the agency cannot
reorder, drop, add or move a record of a segment without the reviewer noticing:
the seal would not open.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import msgpack
import zstandard

from peerdesk.crypto.seal import BoxKeyPair, open_sealed, seal
from peerdesk.errors import ProtocolError, SealBroken
from peerdesk.wire.codec import (
    DEFAULT_DICTIONARY,
    compressor,
    decompressor,
    unpack,
)

#: bytes of manifest per record: op id and entity id, 16 bytes each
ID_PAIR = 32
#: the ids of a segment, compressed on the wire (no dictionary, no checksum: the
#: seal binds their hash)
_IDS_COMPRESSOR = zstandard.ZstdCompressor(level=19, write_checksum=False)
#: records in one segment
MAX_SEGMENT_RECORDS = 5000
#: one segment's decompressed payloads (a zip bomb stops here)
MAX_SEGMENT_PLAIN_BYTES = 16 * 1024 * 1024
#: zstd level of a segment. Measured on 1,000 notes of prose (2.3 MB of msgpack,
#: three segments, this 2-core VM): level 12 takes 83 ms and 1.12x the bytes of
#: the one-stream bound, 15: 323 ms / 1.11x, 17: 579 ms / 1.06x, 19: 812 ms /
#: 1.05x. A second of a laptop's CPU is cheaper than 5 % of the bytes on EDGE
#: (40 KB: 1.3 s); it decompresses as fast as level 12.
SEGMENT_LEVEL = 17


def segment_info(device_id: str, kind: str, key_id: str, dictionary: str, ids: bytes) -> bytes:
    """The HPKE ``info`` of a segment: the routing of every record in it."""
    digest = hashlib.sha256(ids).hexdigest()
    return "|".join(("peerdesk/v1/segment", device_id, kind, key_id, dictionary, digest)).encode()


@dataclass(frozen=True, slots=True)
class Segment:
    kind: str
    key_id: str
    dictionary: str
    #: op id then entity id of each record, 16 bytes each
    ids: bytes = field(repr=False)
    sealed: bytes = field(repr=False)

    @property
    def count(self) -> int:
        return len(self.ids) // ID_PAIR

    def members(self) -> list[tuple[str, str]]:
        """(op id, entity id) of each record, in segment order."""
        ops, entities = self.id_columns()
        return list(zip(ops, entities, strict=True))

    def id_columns(self) -> tuple[list[str], list[str]]:
        """The op ids and the entity ids of the records, in segment order, as two
        lists (what ingest binds: no pair per record to build and take apart)."""
        # the canonical text of each id, cut from one hex string with a "-" every 2
        # bytes (per id 8 groups of 4 and a "-", 40 characters: 8-4-4-4-12 keeps 3
        # of its 7 dashes). Half the time of formatting each id, a sixth of
        # uuid.UUID's: the agency does this for every record it takes.
        h = self.ids.hex("-", 2)
        ids = [
            h[i : i + 4] + h[i + 5 : i + 29] + h[i + 30 : i + 34] + h[i + 35 : i + 39]
            for i in range(0, len(h), 40)
        ]
        return ids[0::2], ids[1::2]

    def op_ids_raw(self) -> list[bytes]:
        """The op ids of the records as their 16 bytes, in segment order (what an
        acknowledgement carries: no text to parse back)."""
        ids = self.ids
        return [ids[i : i + 16] for i in range(0, len(ids), ID_PAIR)]

    def to_wire(self) -> list[Any]:
        return [self.kind, self.key_id, self.dictionary, pack_ids(self.ids), self.sealed]

    @property
    def wire_size(self) -> int:
        """Exactly the bytes this segment takes in a batch's ``"segs"`` array."""
        return len(msgpack.packb(self.to_wire(), use_bin_type=True))

    @classmethod
    def from_wire(cls, item: Any) -> Segment:
        if not isinstance(item, list) or len(item) != 5:
            raise ProtocolError("a segment is a list of 5 items")
        kind, kid, dic, ids, sealed = item
        if isinstance(ids, list):
            ids = unpack_ids(ids)
        if not isinstance(kind, str) or not 1 <= len(kind) <= 32:
            raise ProtocolError("segment kind must be a short string")
        if not isinstance(kid, str) or len(kid) > 64:
            raise ProtocolError("segment key id must be a short string")
        if not isinstance(dic, str) or len(dic) > 32:
            raise ProtocolError("segment dictionary must be a short string")
        if not isinstance(ids, bytes) or not ids or len(ids) % ID_PAIR:
            raise ProtocolError("segment ids must be 32 bytes per record")
        if len(ids) // ID_PAIR > MAX_SEGMENT_RECORDS:
            raise ProtocolError(f"a segment holds at most {MAX_SEGMENT_RECORDS} records")
        if not isinstance(sealed, bytes):
            raise ProtocolError("sealed segment must be bytes")
        return cls(kind, kid, dic, ids, sealed)


@functools.lru_cache(maxsize=32)
def pack_ids(ids: bytes) -> bytes | list[Any]:
    """A segment's ids as they travel: ``[count, zstd of them]`` when that is
    smaller (UUIDv7s made close in time share their leading bytes: about 30 %
    less), else the bytes themselves. Cached: a segment is measured, packed and
    framed a few times while its batch is planned."""
    small = _IDS_COMPRESSOR.compress(ids)
    count = len(ids) // ID_PAIR
    if len(small) + 8 < len(ids) and count <= MAX_SEGMENT_RECORDS:
        return [count, small]
    return ids


def unpack_ids(item: list[Any]) -> bytes:
    """The ids of :func:`pack_ids`' compressed form, decoded within their declared
    size (at most 5000 records: a decompression bomb stops at 160 KB)."""
    if len(item) != 2 or not isinstance(item[0], int) or not isinstance(item[1], bytes):
        raise ProtocolError("compressed segment ids are [count, bytes]")
    count, small = item
    if not 1 <= count <= MAX_SEGMENT_RECORDS or len(small) > count * ID_PAIR:
        raise ProtocolError(f"a segment holds 1-{MAX_SEGMENT_RECORDS} records")
    want = count * ID_PAIR
    try:
        if zstandard.frame_content_size(small) != want:
            raise ProtocolError("compressed segment ids do not declare their size")
        ids = zstandard.ZstdDecompressor(max_window_size=1 << 20).decompress(
            small, max_output_size=want
        )
    except zstandard.ZstdError as exc:
        raise ProtocolError(f"segment ids do not decompress: {exc}") from None
    if len(ids) != want:
        raise ProtocolError("compressed segment ids do not match their count")
    return ids


def pack_payload(payload: Any) -> bytes:
    """One record's payload as msgpack: an item of a segment (the caller checks
    it against :data:`~peerdesk.wire.codec.MAX_PAYLOAD_BYTES`)."""
    return msgpack.packb(dict(payload), use_bin_type=True)


def ids_of(pairs: Sequence[tuple[str, str]]) -> bytes:
    try:
        return b"".join(uuid.UUID(op).bytes + uuid.UUID(ent).bytes for op, ent in pairs)
    except (ValueError, AttributeError, TypeError):
        raise ProtocolError("segment ids must be UUIDs") from None


def seal_segment(
    packed: Sequence[bytes],
    pairs: Sequence[tuple[str, str]],
    *,
    device_id: str,
    kind: str,
    key_id: str,
    recipient_public: bytes,
    dictionary: str = DEFAULT_DICTIONARY,
) -> Segment:
    """Compress the packed payloads (:func:`pack_payload`) of ``pairs`` (op id,
    entity id) as one stream and seal it once to the key ``key_id``."""
    if not packed or len(packed) != len(pairs) or len(packed) > MAX_SEGMENT_RECORDS:
        raise ValueError("a segment holds 1-5000 records, one payload per id pair")
    header = msgpack.Packer().pack_array_header(len(packed))
    plain = header + b"".join(packed)
    ids = ids_of(pairs)
    sealed = seal(
        compressor(dictionary, SEGMENT_LEVEL).compress(plain),
        recipient_public,
        segment_info(device_id, kind, key_id, dictionary, ids),
    )
    return Segment(kind, key_id, dictionary, ids, sealed)


def open_segment(segment: Segment, device_id: str, recipient: BoxKeyPair) -> list[dict[str, Any]]:
    """The payloads of a segment, in order (reviewer side). :class:`SealBroken` if
    it was altered or its manifest changed; :class:`ProtocolError` if it opens but
    does not read."""
    info = segment_info(device_id, segment.kind, segment.key_id, segment.dictionary, segment.ids)
    data = open_sealed(segment.sealed, recipient, info)
    try:
        if zstandard.frame_content_size(data) > MAX_SEGMENT_PLAIN_BYTES:
            raise ProtocolError("segment payloads are too large")
        plain = decompressor(segment.dictionary).decompress(
            data, max_output_size=MAX_SEGMENT_PLAIN_BYTES
        )
    except zstandard.ZstdError as exc:
        raise ProtocolError(f"segment does not decompress: {exc}") from None
    items = unpack(plain, "segment payloads")
    if not isinstance(items, list) or len(items) != segment.count:
        raise ProtocolError("segment payloads do not match its records")
    if not all(isinstance(i, dict) for i in items):
        raise ProtocolError("a segment payload is not a map")
    return items


def pack_envelope(segment: Segment, seq: int, part: int) -> bytes:
    """A segment (the agency's seq of it) with the index of one of its records, as
    one blob: what a supervisor's cache keeps for a record whose review key it lacks."""
    return msgpack.packb([seq, part, *segment.to_wire()], use_bin_type=True)


def unpack_envelope(blob: bytes) -> tuple[Segment, int, int]:
    """(segment, seq, part) of :func:`pack_envelope`."""
    item = unpack(blob, "segment envelope")
    if not isinstance(item, list) or len(item) != 7:
        raise ProtocolError("a segment envelope is [seq, part, segment...]")
    seq, part = item[0], item[1]
    if not isinstance(seq, int) or not isinstance(part, int) or seq < 0:
        raise ProtocolError("a segment envelope's seq and part are numbers")
    segment = Segment.from_wire(item[2:])
    if not 0 <= part < segment.count:
        raise ProtocolError("segment envelope part is out of range")
    return segment, seq, part


def check_member(segment: Segment, part: int, op_id: str, entity_id: str, kind: str) -> None:
    """:class:`SealBroken` unless record ``part`` of the segment is the one the
    agency's routing names (its op id, entity id and kind): the agency cannot point
    a record at another record's payload."""
    if not 0 <= part < segment.count or segment.kind != kind:
        raise SealBroken("the record does not belong to the segment it names")
    at = part * ID_PAIR
    try:
        want = uuid.UUID(op_id).bytes + uuid.UUID(entity_id).bytes
    except ValueError:
        raise SealBroken("the record's ids are not UUIDs") from None
    if segment.ids[at : at + ID_PAIR] != want:
        raise SealBroken("the record does not belong to the segment it names")


def open_member(
    segment: Segment,
    part: int,
    *,
    device_id: str,
    op_id: str,
    entity_id: str,
    kind: str,
    recipient: BoxKeyPair,
) -> dict[str, Any]:
    """The payload of one record of a segment, its routing checked."""
    check_member(segment, part, op_id, entity_id, kind)
    return open_segment(segment, device_id, recipient)[part]
