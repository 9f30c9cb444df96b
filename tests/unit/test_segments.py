"""The sealed segment format (issue 17): what the seal binds, what a reader checks."""

from __future__ import annotations

from dataclasses import replace

import msgpack
import pytest
import zstandard

from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair
from peerdesk.errors import ProtocolError, SealBroken
from peerdesk.ids import new_id
from peerdesk.wire import segments as segments_module
from peerdesk.wire.batching import Planner, Ready
from peerdesk.wire.protocol import FRAME_BYTES, Batch, decode_batch
from peerdesk.wire.segments import (
    Segment,
    check_member,
    open_member,
    open_segment,
    pack_envelope,
    pack_payload,
    seal_segment,
    unpack_envelope,
    unpack_ids,
)

KEY = BoxKeyPair.generate()
DEVICE = new_id()


def _segment(n: int = 5, kind: str = "note") -> tuple[Segment, list[tuple[str, str]]]:
    pairs = [(new_id(), new_id()) for _ in range(n)]
    packed = [pack_payload({"id": ent, "text": f"note {i}"}) for i, (_, ent) in enumerate(pairs)]
    seg = seal_segment(
        packed, pairs, device_id=DEVICE, kind=kind, key_id=KEY.key_id,
        recipient_public=KEY.public_raw,
    )  # fmt: skip
    return seg, pairs


def test_a_segment_opens_to_its_payloads_in_order() -> None:
    seg, pairs = _segment()
    assert seg.members() == pairs and seg.count == 5
    assert [p["text"] for p in open_segment(seg, DEVICE, KEY)] == [f"note {i}" for i in range(5)]
    op, ent = pairs[3]
    got = open_member(seg, 3, device_id=DEVICE, op_id=op, entity_id=ent, kind="note", recipient=KEY)
    assert got["id"] == ent


@pytest.mark.parametrize(
    "change",
    [
        lambda s: replace(s, ids=s.ids[32:] + s.ids[:32]),  # records reordered
        lambda s: replace(s, ids=s.ids[:-32]),  # a record dropped from the manifest
        lambda s: replace(s, kind="trip"),
        lambda s: replace(s, dictionary="notes-v1" if s.dictionary == "" else ""),
    ],
)
def test_the_seal_binds_the_manifest_kind_and_dictionary(change) -> None:
    seg, _ = _segment()
    with pytest.raises(SealBroken):
        open_segment(change(seg), DEVICE, KEY)
    with pytest.raises(SealBroken):
        open_segment(seg, new_id(), KEY)  # moved to another laptop


def test_a_record_must_be_at_the_place_it_names() -> None:
    seg, pairs = _segment()
    op, ent = pairs[1]
    check_member(seg, 1, op, ent, "note")
    for part, o, e, kind in ((2, op, ent, "note"), (1, op, ent, "trip"), (9, op, ent, "note")):
        with pytest.raises(SealBroken):
            check_member(seg, part, o, e, kind)


def test_an_envelope_keeps_the_segment_and_the_place() -> None:
    seg, _ = _segment()
    back, seq, part = unpack_envelope(pack_envelope(seg, 77, 4))
    assert (back, seq, part) == (seg, 77, 4)
    with pytest.raises(ProtocolError):
        unpack_envelope(pack_envelope(seg, 77, 4)[:-3])


def test_planned_batches_fit_the_limit_whole_and_travel_intact() -> None:
    signer = SigningKeyPair.generate()
    items = [
        Ready(new_id(), "note", new_id(), KEY.key_id, KEY.public_raw,
              pack_payload({"text": f"{i} " + new_id() * (i % 40)}))
        for i in range(400)
    ]  # fmt: skip
    for limit in (2048, 16 * 1024, 64 * 1024):
        plan = Planner(DEVICE, limit).plan(items)
        sent = []
        for p in plan:
            raw = Batch(DEVICE, new_id(), 2**40, p.records, "2026-12-07T20:00:00.000Z",
                        p.segments).encode(signer)  # fmt: skip
            assert len(raw) <= p.wire_bytes <= limit
            assert p.wire_bytes - len(raw) <= FRAME_BYTES
            sent += decode_batch(raw).batch.op_ids
        assert sent == [i.op_id for i in items]


def test_ids_travel_compressed_and_come_back_exactly() -> None:
    seg, pairs = _segment(200)
    wire = seg.to_wire()
    assert isinstance(wire[3], list) and wire[3][0] == 200  # [count, zstd of the ids]
    assert len(msgpack.packb(wire[3])) < 0.8 * len(seg.ids)
    back = Segment.from_wire(msgpack.unpackb(msgpack.packb(wire), raw=False))
    assert back == seg and back.members() == pairs
    assert open_segment(back, DEVICE, KEY)[3]["id"] == pairs[3][1]
    # the raw form (what laptops sent before, what old envelopes hold) still reads
    assert Segment.from_wire([*wire[:3], seg.ids, wire[4]]) == seg


def test_compressed_ids_are_decoded_within_their_declared_count() -> None:
    seg, _ = _segment(10)
    kind, kid, dic, _ids, sealed = seg.to_wire()
    z = zstandard.ZstdCompressor(level=3)
    bomb = z.compress(bytes(32 * 5000))  # small on the wire, 160 KB inside
    cases = [
        [10, bomb],  # says 10 records, holds 5000
        [5001, z.compress(bytes(32 * 5001))],  # more records than a segment holds
        [0, b""],
        [10, b"not zstd at all"],
        [10, zstandard.ZstdCompressor(write_content_size=False).compress(seg.ids)],
        [10, z.compress(seg.ids[:-1])],  # not 32 bytes per record
        ["10", z.compress(seg.ids)],
        [10, z.compress(seg.ids), b""],
    ]
    for ids in cases:
        with pytest.raises(ProtocolError):
            Segment.from_wire([kind, kid, dic, ids, sealed])


def test_changed_compressed_ids_break_the_seal() -> None:
    seg, pairs = _segment(4)
    kind, kid, dic, _ids, sealed = seg.to_wire()
    swapped = seg.ids[32:64] + seg.ids[:32] + seg.ids[64:]  # two records swap places
    moved = Segment.from_wire(
        [kind, kid, dic, [4, zstandard.ZstdCompressor().compress(swapped)], sealed]
    )
    with pytest.raises(SealBroken):
        open_segment(moved, DEVICE, KEY)


def test_a_batch_of_many_compressed_manifests_stops_at_its_record_limit(monkeypatch) -> None:
    # each segment's ids say 5000 records and take a few hundred bytes on the wire:
    # the batch is refused at the second, before the others are decompressed
    full = Segment("note", KEY.key_id, "", bytes(32 * 5000), b"sealed")
    assert len(msgpack.packb(full.to_wire())) < 1000
    raw = Batch(DEVICE, new_id(), 0, (), "2026-12-07T20:00:00.000Z", (full,) * 50).encode(
        SigningKeyPair.generate()
    )
    decoded: list[int] = []

    def counting(item: list) -> bytes:
        decoded.append(item[0])
        return unpack_ids(item)

    monkeypatch.setattr(segments_module, "unpack_ids", counting)
    with pytest.raises(ProtocolError, match="at most 5000 records"):
        decode_batch(raw)
    assert decoded == [5000, 5000]
    assert decode_batch(
        Batch(DEVICE, new_id(), 0, (), "x", (full,)).encode(SigningKeyPair.generate())
    ).batch.segments == (full,)
