"""The sealed segment format (issue 17): what the seal binds, what a reader checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair
from peerdesk.errors import ProtocolError, SealBroken
from peerdesk.ids import new_id
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
