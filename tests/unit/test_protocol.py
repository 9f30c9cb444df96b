"""The sync wire format: records sealed to the agency, batches, answers, errors and
the key bundle. Tampered, moved, oversized and malformed input is refused."""

from __future__ import annotations

import dataclasses

import msgpack
import pytest
import zstandard

from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair, sign_document
from peerdesk.errors import BadSignature, ProtocolError, SealBroken
from peerdesk.ids import new_id
from peerdesk.wire import protocol as proto

DEVICE = "0190f0c0-0000-7000-8000-0000000000d1"


@pytest.fixture(scope="module")
def review() -> BoxKeyPair:
    return BoxKeyPair.generate()


def sealed(review: BoxKeyPair, payload: dict | None = None, **kw) -> proto.Record:
    args = {
        "device_id": DEVICE,
        "kind": "note",
        "entity_id": new_id(),
        "op_id": new_id(),
        "key_id": review.key_id,
        "recipient_public": review.public_raw,
    } | kw
    return proto.seal_record(payload or {"body": {"text": "hello"}}, **args)


# -- records -------------------------------------------------------------------------------


def test_a_record_opens_with_the_review_key(review):
    rec = sealed(review, {"body": {"text": "met at the library"}, "n": 3})
    assert proto.open_record(rec, DEVICE, review) == {
        "body": {"text": "met at the library"},
        "n": 3,
    }
    assert proto.Record.from_wire(rec.to_wire()) == rec


@pytest.mark.parametrize(
    "change",
    [
        {"op_id": new_id()},
        {"entity_id": new_id()},
        {"kind": "trip"},
        {"key_id": "0" * 16},
        {"dictionary": ""},
    ],
)
def test_a_record_moved_to_other_routing_does_not_open(review, change):
    rec = sealed(review)
    with pytest.raises(SealBroken):
        proto.open_record(dataclasses.replace(rec, **change), DEVICE, review)


def test_a_record_claimed_by_another_device_does_not_open(review):
    rec = sealed(review)
    with pytest.raises(SealBroken):
        proto.open_record(rec, "0190f0c0-0000-7000-8000-0000000000d2", review)


def test_a_tampered_record_does_not_open(review):
    rec = sealed(review)
    bad = rec.sealed[:-1] + bytes([rec.sealed[-1] ^ 1])
    with pytest.raises(SealBroken):
        proto.open_record(dataclasses.replace(rec, sealed=bad), DEVICE, review)


def test_an_unknown_record_kind_cannot_be_sealed(review):
    with pytest.raises(ValueError):
        sealed(review, kind="photo")


def test_an_oversized_payload_is_refused_before_sealing(review):
    with pytest.raises(ProtocolError, match="larger than"):
        sealed(review, {"blob": b"\0" * (proto.MAX_PAYLOAD_BYTES + 1)})


@pytest.mark.parametrize("declares_size", [True, False])
def test_a_zip_bomb_stops_at_the_payload_limit(declares_size):
    """A few KB that inflate to 64 MiB are refused without inflating them (a frame
    that declares its size used to be decompressed in full whatever the limit)."""
    compressor = zstandard.ZstdCompressor(write_content_size=declares_size)
    bomb = compressor.compress(msgpack.packb({"x": b"\0" * (64 * 1024 * 1024)}))
    assert len(bomb) < 10_000
    with pytest.raises(ProtocolError):
        proto.decode_payload(bomb, "")


@pytest.mark.parametrize(
    ("data", "dictionary"),
    [
        (b"not zstd", "notes-v1"),
        (zstandard.ZstdCompressor().compress(msgpack.packb([1, 2])), ""),
        (b"x", "no-such-dictionary"),
    ],
)
def test_bad_payloads_are_protocol_errors(data, dictionary):
    with pytest.raises(ProtocolError):
        proto.decode_payload(data, dictionary)


def test_the_shipped_dictionary_shrinks_a_note():
    text = {"body": {"goal": "keep the clinic appointment", "plan": "drive to the county office"}}
    assert len(proto.encode_payload(text)) < len(proto.encode_payload(text, ""))


# -- batches ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def device_key() -> SigningKeyPair:
    return SigningKeyPair.generate()


def test_a_batch_round_trips_and_its_signature_covers_the_body(review, device_key):
    batch = proto.Batch(DEVICE, new_id(), 7, (sealed(review), sealed(review)), "2024-05-06T10:00Z")
    decoded = proto.decode_batch(batch.encode(device_key))
    assert decoded.batch == batch
    device_key.private.public_key().verify(decoded.signature, decoded.body)


def _frame(**outer) -> bytes:
    return msgpack.packb(outer, use_bin_type=True)


def _body(**changes) -> bytes:
    body = {"dev": DEVICE, "bid": b"\1" * 16, "cur": 0, "at": "", "recs": []} | changes
    return msgpack.packb(body, use_bin_type=True)


@pytest.mark.parametrize(
    "raw",
    [
        b"\xc1",
        msgpack.packb([1, 2, 3]),
        _frame(v=2, b=_body(), s=b"s"),
        _frame(v=1, b=_body(), s=b"s", extra=1),
        _frame(v=1, b="text", s=b"s"),
        _frame(v=1, b=_body(dev="not-a-uuid"), s=b"s"),
        _frame(v=1, b=_body(cur=-1), s=b"s"),
        _frame(v=1, b=_body(cur=True), s=b"s"),
        _frame(v=1, b=_body(bid=b"short"), s=b"s"),
        _frame(v=1, b=_body(recs=[[b"\1" * 16, "note"]]), s=b"s"),
        _frame(v=1, b=_body(recs=[[b"\1" * 15, "note", b"\2" * 16, "k", "", b"x"]]), s=b"s"),
        _frame(v=1, b=_body(recs=[[b"\1" * 16, "n" * 33, b"\2" * 16, "k", "", b"x"]]), s=b"s"),
        _frame(v=1, b=_body(recs=[[b"\1" * 16, "note", b"\2" * 16, "k", "", "text"]]), s=b"s"),
        _frame(v=1, b=_body(recs=[[]] * (proto.MAX_RECORDS_PER_BATCH + 1)), s=b"s"),
    ],
)
def test_malformed_batches_are_protocol_errors(raw):
    with pytest.raises(ProtocolError):
        proto.decode_batch(raw)


def test_an_oversized_batch_is_refused_before_parsing():
    with pytest.raises(ProtocolError, match="larger than"):
        proto.decode_batch(b"\0" * (proto.MAX_REQUEST_BYTES + 1))


def test_records_are_grouped_by_bytes(review):
    records = [sealed(review, {"t": "x" * 200}) for _ in range(10)]
    size = records[0].wire_size
    batches = list(proto.chunk_by_bytes(records, size * 3))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert [r for b in batches for r in b] == records
    # a record larger than the limit travels alone
    assert [len(b) for b in proto.chunk_by_bytes(records[:2], 10)] == [1, 1]


# -- answers and errors ------------------------------------------------------------------------


def test_an_answer_round_trips():
    answer = proto.SyncResponse(
        new_id(),
        (proto.Ack(new_id(), 5),),
        (proto.Reject(new_id(), "unknown_key", "no such key"),),
        (proto.Inbound(9, "feedback", new_id(), b"sealed"), proto.Inbound(10, "policy", "", b"d")),
        10,
        True,
    )
    assert proto.decode_response(answer.encode()) == answer


def _answer(**changes) -> bytes:
    obj = {"v": 1, "bid": b"\1" * 16, "acks": [], "rej": [], "in": [], "cur": 0, "more": False}
    return msgpack.packb(obj | changes, use_bin_type=True)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        _answer(v=2),
        _answer(more=1),
        _answer(acks=[[b"\1" * 16]]),
        _answer(acks=[[b"\1" * 16, -1]]),
        _answer(rej=[[b"\1" * 16, "code", "r" * 501]]),
        _answer(**{"in": [[1, "feedback", b"bad", b"p"]]}),
        _answer(**{"in": [[1, "feedback", b"", "not bytes"]]}),
        _answer(cur="3"),
        msgpack.packb({"v": 1}),
    ],
)
def test_malformed_answers_are_protocol_errors(raw):
    with pytest.raises(ProtocolError):
        proto.decode_response(raw)


def test_error_bodies_round_trip_and_malformed_ones_are_refused():
    err = proto.ErrorBody("revoked", "this laptop was revoked", b"wipe")
    assert proto.decode_error(err.encode()) == err
    with pytest.raises(ProtocolError):
        proto.decode_error(msgpack.packb({"error": "x"}))
    with pytest.raises(ProtocolError):
        proto.decode_error(msgpack.packb({"error": "x", "detail": "d", "wipe": "text"}))


# -- key bundle and wipe orders -------------------------------------------------------------------


@pytest.fixture(scope="module")
def root() -> SigningKeyPair:
    return SigningKeyPair.generate()


@pytest.fixture(scope="module")
def bundle(review) -> proto.KeyBundle:
    signing = SigningKeyPair.generate()
    return proto.KeyBundle(
        "Agency",
        "2024-01-01T00:00:00Z",
        proto.AgencyKey(signing.key_id, signing.public_raw, ""),
        (proto.AgencyKey(review.key_id, review.public_raw, ""),),
        proto.AgencyKey("r" * 16, BoxKeyPair.generate().public_raw, ""),
    )


def test_a_bundle_signed_by_the_pinned_root_opens(root, bundle):
    blob = sign_document(root, "key-bundle", bundle.to_doc())
    assert proto.open_bundle(blob, root.public_raw, root.key_id) == bundle


def test_a_bundle_signed_by_another_root_is_refused(root, bundle):
    other = SigningKeyPair.generate()
    blob = sign_document(other, "key-bundle", bundle.to_doc())
    with pytest.raises(BadSignature):
        proto.open_bundle(blob, root.public_raw, root.key_id)
    # even if it names the pinned root's key id
    outer = msgpack.unpackb(blob)
    outer["kid"] = root.key_id
    with pytest.raises(BadSignature):
        proto.open_bundle(msgpack.packb(outer), root.public_raw, root.key_id)


def test_another_kind_of_document_is_not_a_bundle(root, bundle):
    blob = sign_document(root, "policy", bundle.to_doc())
    with pytest.raises(BadSignature, match="key-bundle"):
        proto.open_bundle(blob, root.public_raw, root.key_id)


@pytest.mark.parametrize(
    "change",
    [
        {"review": []},
        {"signing": {"kid": "k", "pub": b"short", "not_after": ""}},
        {"recovery": "text"},
    ],
)
def test_a_malformed_bundle_is_refused(root, bundle, change):
    blob = sign_document(root, "key-bundle", bundle.to_doc() | change)
    with pytest.raises(BadSignature):
        proto.open_bundle(blob, root.public_raw, root.key_id)


def test_wipe_orders_must_be_signed_by_the_agency_and_name_this_device(bundle):
    signing_pub = bundle.signing.public
    assert signing_pub  # the bundle's signing key is what a wipe order is checked against
    fake_signer = SigningKeyPair.generate()
    doc = proto.wipe_order_doc(DEVICE, new_id(), "2024-05-07T09:00:00Z")
    with pytest.raises(BadSignature):
        proto.open_wipe_order(sign_document(fake_signer, "wipe", doc), bundle, DEVICE)


def test_a_wipe_order_for_another_device_is_refused():
    signing = SigningKeyPair.generate()
    box = BoxKeyPair.generate()
    key = proto.AgencyKey(box.key_id, box.public_raw, "")
    bundle = proto.KeyBundle(
        "A", "t", proto.AgencyKey(signing.key_id, signing.public_raw, ""), (key,), key
    )
    doc = proto.wipe_order_doc(DEVICE, new_id(), "t")
    blob = sign_document(signing, "wipe", doc)
    assert proto.open_wipe_order(blob, bundle, DEVICE) == doc
    with pytest.raises(BadSignature, match="another device"):
        proto.open_wipe_order(blob, bundle, "0190f0c0-0000-7000-8000-0000000000d2")
    with pytest.raises(BadSignature):
        proto.open_wipe_order(sign_document(signing, "policy", doc), bundle, DEVICE)
