"""The sync wire format, version 1: shared by the device and the agency server.

One ``POST /v1/sync`` per batch; body and response are msgpack (content type
:data:`CONTENT_TYPE`), never JSON or base64, because the field link is slow.

Request (outer frame)::

    {"v": 1, "b": <body bytes>, "s": <Ed25519 signature of the body by the device key>}

    body = {"dev": device id (str), "bid": batch id (16 bytes, the idempotency key),
            "cur": inbound cursor (int, last server seq the device has),
            "at": device clock, ISO 8601 (informational only, never used to order),
            "recs": [record, ...],
            "segs": [segment, ...] (optional; see peerdesk.wire.segments)}

A record of a kind sent in segments (every kind but the escrow) travels in a
*segment*: the payloads of many records of one kind compressed together and
sealed once, with the op and entity ids of its records as one byte string.

    record = [op id (16 bytes), kind (str), entity id (16 bytes),
              key id of the recipient key (str, 16 hex), dictionary name (str, "" = none),
              sealed payload (bytes)]

The entity id is the record's own id, except for two kinds that belong to a note:
an ``addendum`` and a ``resubmit`` carry their *note's* id as entity id (so the
agency can route and version per note); the addendum's own id is in its payload
as ``"id"``.

The request also carries ``Authorization: Bearer <device credential>``. One
signature per batch (not per record): an Ed25519 verification costs ~0.1 ms,
which per record would cap ingest far below the 20,000 records/s goal.

A record's payload is ``msgpack(dict)`` compressed with zstd (with the named,
shipped dictionary) and then sealed with HPKE to the agency key named by the key
id. The HPKE ``info`` binds protocol version, device, kind, entity id, op id,
key id and dictionary (:func:`record_info`), so the server cannot move a
ciphertext to another record or device without the reviewer noticing.

Response::

    {"v": 1, "bid": batch id, "acks": [[op id, server seq], ...],
     "rej": [[op id, code, reason in words], ...],
     "in": [[seq, kind, ref (bytes, may be empty), payload (bytes)], ...],
     "cur": new cursor, "more": bool (more inbound waiting)}

Error (any 4xx/5xx from ``/v1/sync``): ``{"v": 1, "error": code, "detail": words,
"wipe": signed wipe order or nil}``.

Inbound kinds: ``feedback`` (HPKE-sealed to the device's box key; ``ref`` is the
note id), ``wipe``, ``policy``, ``directory`` and ``restored`` (documents signed
by the agency signing key, see :func:`peerdesk.crypto.seal.sign_document`;
``restored``: :mod:`peerdesk.wire.restore`).

Everything read from the network goes through a ``decode_*`` function here that
checks types, sizes and the version and raises :class:`ProtocolError` with the
reason; nothing else parses wire bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgpack

from peerdesk.crypto.seal import (
    BoxKeyPair,
    SigningKeyPair,
    open_document,
    open_sealed,
    seal,
)
from peerdesk.errors import BadSignature, ProtocolError
from peerdesk.wire.codec import (  # re-exported: the wire format's one import
    DEFAULT_DICTIONARY as DEFAULT_DICTIONARY,
)
from peerdesk.wire.codec import (
    DICTIONARIES as DICTIONARIES,
)
from peerdesk.wire.codec import (
    MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES,
)
from peerdesk.wire.codec import (
    ZSTD_LEVEL as ZSTD_LEVEL,
)
from peerdesk.wire.codec import (
    decode_payload as decode_payload,
)
from peerdesk.wire.codec import (
    encode_payload as encode_payload,
)
from peerdesk.wire.codec import (
    id_from_wire,
    id_to_wire,
    unpack,
)
from peerdesk.wire.segments import Segment

PROTOCOL_VERSION = 1
CONTENT_TYPE = "application/vnd.peerdesk.sync.v1+msgpack"

#: the client closes a batch before its records exceed this many bytes
DEFAULT_BATCH_BYTES = 256 * 1024
#: the server refuses a request body larger than this (413)
MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_RECORDS_PER_BATCH = 5000
#: one sealed record
MAX_RECORD_BYTES = 256 * 1024
MAX_INBOUND_PER_RESPONSE = 500

RECORD_KINDS = frozenset(
    {
        "participant", "note", "addendum", "trip", "escrow", "referral", "correction", "resubmit",
        # the participant's record (issue 20)
        "plan", "enrollment", "consent", "outcome",
        # the participant's care team (issue 23)
        "care_member",
        # crisis support (issue 21)
        "crisis", "safety_plan",
        # appointments and the rides to them (issue 21)
        "appointment",
        # the peer's workforce record (issue 23); "wellbeing" only as the peer shares it
        "supervision", "certification", "ceu", "wellbeing",
    }
)  # fmt: skip
INBOUND_KINDS = frozenset({"feedback", "wipe", "policy", "directory", "restored"})

#: reasons a record is rejected (the record goes to quarantine on the device)
REJECT_CODES = frozenset(
    {"unknown_key", "expired_key", "bad_kind", "too_large", "duplicate_in_batch", "malformed"}
)


# --- records --------------------------------------------------------------------------


def record_info(
    device_id: str, kind: str, entity_id: str, op_id: str, key_id: str, dictionary: str
) -> bytes:
    """The HPKE ``info`` of a record: everything routing says about it."""
    return "|".join(
        ("peerdesk/v1/record", device_id, kind, entity_id, op_id, key_id, dictionary)
    ).encode()


def feedback_info(device_id: str, note_id: str) -> bytes:
    return "|".join(("peerdesk/v1/feedback", device_id, note_id)).encode()


@dataclass(frozen=True, slots=True)
class Record:
    op_id: str
    kind: str
    entity_id: str
    key_id: str
    dictionary: str
    sealed: bytes

    def to_wire(self) -> list[Any]:
        return [
            id_to_wire(self.op_id),
            self.kind,
            id_to_wire(self.entity_id),
            self.key_id,
            self.dictionary,
            self.sealed,
        ]

    @classmethod
    def from_wire(cls, item: Any) -> Record:
        if not isinstance(item, list) or len(item) != 6:
            raise ProtocolError("a record is a list of 6 items")
        op, kind, ent, kid, dic, sealed = item
        if not isinstance(kind, str) or len(kind) > 32:
            raise ProtocolError("record kind must be a short string")
        if not isinstance(kid, str) or len(kid) > 64:
            raise ProtocolError("record key id must be a short string")
        if not isinstance(dic, str) or len(dic) > 32:
            raise ProtocolError("record dictionary must be a short string")
        if not isinstance(sealed, bytes):
            raise ProtocolError("sealed payload must be bytes")
        return cls(
            id_from_wire(op, "op id"), kind, id_from_wire(ent, "entity id"), kid, dic, sealed
        )

    @property
    def wire_size(self) -> int:
        """Exactly the bytes this record takes in a batch's ``"recs"`` array."""
        return len(msgpack.packb(self.to_wire(), use_bin_type=True))


def seal_record(
    payload: Mapping[str, Any],
    *,
    device_id: str,
    kind: str,
    entity_id: str,
    op_id: str,
    key_id: str,
    recipient_public: bytes,
    dictionary: str = DEFAULT_DICTIONARY,
) -> Record:
    """Compress, then seal one record to the agency key ``key_id``."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    info = record_info(device_id, kind, entity_id, op_id, key_id, dictionary)
    sealed = seal(encode_payload(payload, dictionary), recipient_public, info)
    return Record(op_id, kind, entity_id, key_id, dictionary, sealed)


def open_record(record: Record, device_id: str, recipient: BoxKeyPair) -> dict[str, Any]:
    """Open a record (reviewer side). :class:`SealBroken` if it was altered or moved."""
    info = record_info(
        device_id, record.kind, record.entity_id, record.op_id, record.key_id, record.dictionary
    )
    return decode_payload(open_sealed(record.sealed, recipient, info), record.dictionary)


# --- batch (request) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Batch:
    device_id: str
    batch_id: str
    cursor: int
    records: tuple[Record, ...]
    sent_at: str = ""
    #: sealed segments (:mod:`peerdesk.wire.segments`); ``records`` then holds only
    #: what travels alone (the recovery escrow)
    segments: tuple[Segment, ...] = ()

    def body(self) -> bytes:
        doc: dict[str, Any] = {
            "dev": self.device_id,
            "bid": id_to_wire(self.batch_id),
            "cur": self.cursor,
            "at": self.sent_at,
            "recs": [r.to_wire() for r in self.records],
        }
        if self.segments:
            doc["segs"] = [s.to_wire() for s in self.segments]
        return msgpack.packb(doc, use_bin_type=True)

    def encode(self, signer: SigningKeyPair) -> bytes:
        body = self.body()
        return frame(body, signer.sign(body))

    @property
    def op_ids(self) -> list[str]:
        """Every record's op id: the segments' in order, then the lone records'."""
        ops = [op for s in self.segments for op, _ in s.members()]
        return ops + [r.op_id for r in self.records]


def frame(body: bytes, signature: bytes) -> bytes:
    return msgpack.packb({"v": PROTOCOL_VERSION, "b": body, "s": signature}, use_bin_type=True)


#: what a batch adds around its items at most: the outer frame with the signature,
#: the body's fields (a device id, a batch id, the largest cursor, a sent-at of 40
#: characters) and the largest array and bin headers
FRAME_BYTES = (
    len(
        frame(
            Batch(str(uuid.UUID(int=0)), str(uuid.UUID(int=0)), 2**63 - 1, (), "x" * 40).body(),
            bytes(64),
        )
    )
    + 2 * 4  # "recs" and "segs" array headers of up to 2**32 items instead of 1 byte
    + 6  # "segs" key
    + 3  # the body's bin header for a body of 64 KiB or more
)


@dataclass(frozen=True, slots=True)
class SignedBatch:
    """A decoded request: the parsed batch plus what the signature covers."""

    batch: Batch
    body: bytes
    signature: bytes


def decode_batch(raw: bytes) -> SignedBatch:
    """Parse a request body. Checks shape, types and limits; the caller verifies
    the signature against the device key (it needs the device id to find it)."""
    if len(raw) > MAX_REQUEST_BYTES:
        raise ProtocolError(f"batch is larger than {MAX_REQUEST_BYTES} bytes")
    outer = unpack(raw, "batch")
    if not isinstance(outer, dict) or set(outer) != {"v", "b", "s"}:
        raise ProtocolError("batch frame must be a map with v, b and s")
    if outer["v"] != PROTOCOL_VERSION:
        raise ProtocolError(f"unsupported protocol version {str(outer['v'])[:16]!r}")
    body, sig = outer["b"], outer["s"]
    if not isinstance(body, bytes) or not isinstance(sig, bytes):
        raise ProtocolError("batch body and signature must be bytes")
    inner = unpack(body, "batch body")
    fields = {"dev", "bid", "cur", "at", "recs"}
    if not isinstance(inner, dict) or not fields <= set(inner) <= fields | {"segs"}:
        raise ProtocolError("batch body must be a map with dev, bid, cur, at, recs (and segs)")
    dev, cur, at, recs = inner["dev"], inner["cur"], inner["at"], inner["recs"]
    if not isinstance(dev, str):
        raise ProtocolError("device id must be a string")
    try:
        dev = str(uuid.UUID(dev))
    except ValueError:
        raise ProtocolError("device id must be a UUID") from None
    if not isinstance(cur, int) or isinstance(cur, bool) or not 0 <= cur < 2**63:
        raise ProtocolError("cursor must be a non-negative integer")
    if not isinstance(at, str) or len(at) > 40:
        raise ProtocolError("sent-at must be a short string")
    if not isinstance(recs, list):
        raise ProtocolError("records must be a list")
    segs = inner.get("segs", [])
    if not isinstance(segs, list):
        raise ProtocolError("segments must be a list")
    # counted as they are read: a segment's compressed ids decode to at most its
    # declared count, so a body of many small segments stops at the batch's limit
    read: list[Segment] = []
    count = len(recs)
    for s in segs:
        read.append(Segment.from_wire(s))
        count += read[-1].count
        if count > MAX_RECORDS_PER_BATCH:
            raise ProtocolError(f"a batch holds at most {MAX_RECORDS_PER_BATCH} records")
    if count > MAX_RECORDS_PER_BATCH:
        raise ProtocolError(f"a batch holds at most {MAX_RECORDS_PER_BATCH} records")
    segments = tuple(read)
    batch = Batch(
        dev,
        id_from_wire(inner["bid"], "batch id"),
        cur,
        tuple(Record.from_wire(r) for r in recs),
        at,
        segments,
    )
    return SignedBatch(batch, body, sig)


# --- response -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ack:
    op_id: str
    seq: int


@dataclass(frozen=True, slots=True)
class Reject:
    op_id: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Inbound:
    seq: int
    kind: str
    ref: str  # note id for feedback, "" otherwise
    payload: bytes


@dataclass(frozen=True, slots=True)
class SyncResponse:
    batch_id: str
    acks: tuple[Ack, ...]
    rejects: tuple[Reject, ...]
    inbound: tuple[Inbound, ...]
    cursor: int
    more: bool

    def encode(self) -> bytes:
        return encode_response(
            self.batch_id,
            [(id_to_wire(a.op_id), a.seq) for a in self.acks],
            self.rejects,
            self.inbound,
            self.cursor,
            self.more,
        )


def encode_response(
    batch_id: str,
    acks: Iterable[tuple[bytes, int]],
    rejects: Iterable[Reject],
    inbound: Iterable[Inbound],
    cursor: int,
    more: bool,
) -> bytes:
    """A sync response as it travels (:meth:`SyncResponse.encode`); ``acks`` are
    (op id as its 16 bytes, seq). The agency builds its answer with this directly:
    the op ids of a segment are at hand as bytes, so an acknowledgement costs no
    object and no text to parse back."""
    return msgpack.packb(
        {
            "v": PROTOCOL_VERSION,
            "bid": id_to_wire(batch_id),
            "acks": acks if isinstance(acks, list) else list(acks),
            "rej": [[id_to_wire(r.op_id), r.code, r.reason] for r in rejects],
            "in": [
                [i.seq, i.kind, id_to_wire(i.ref) if i.ref else b"", i.payload] for i in inbound
            ],
            "cur": cursor,
            "more": more,
        },
        use_bin_type=True,
    )


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise ProtocolError(f"{what} must be a non-negative integer")
    return value


def _short_str(value: Any, what: str, limit: int = 500) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ProtocolError(f"{what} must be a string of at most {limit} characters")
    return value


def decode_response(raw: bytes) -> SyncResponse:
    """Parse the agency's answer (device side)."""
    obj = unpack(raw, "sync response")
    keys = {"v", "bid", "acks", "rej", "in", "cur", "more"}
    if not isinstance(obj, dict) or set(obj) != keys:
        raise ProtocolError("sync response has the wrong shape")
    if obj["v"] != PROTOCOL_VERSION:
        raise ProtocolError("sync response has an unsupported version")
    acks, rej, inb = obj["acks"], obj["rej"], obj["in"]
    if not all(isinstance(x, list) for x in (acks, rej, inb)):
        raise ProtocolError("acks, rejections and inbound must be lists")
    if not isinstance(obj["more"], bool):
        raise ProtocolError("more must be true or false")
    out_acks = []
    for a in acks:
        if not isinstance(a, list) or len(a) != 2:
            raise ProtocolError("an ack is [op id, seq]")
        out_acks.append(Ack(id_from_wire(a[0], "ack op id"), _int(a[1], "ack seq")))
    out_rej = []
    for r in rej:
        if not isinstance(r, list) or len(r) != 3:
            raise ProtocolError("a rejection is [op id, code, reason]")
        out_rej.append(
            Reject(
                id_from_wire(r[0], "rejected op id"),
                _short_str(r[1], "reject code", 64),
                _short_str(r[2], "reject reason"),
            )
        )
    out_in = []
    for i in inb:
        if not isinstance(i, list) or len(i) != 4:
            raise ProtocolError("an inbound item is [seq, kind, ref, payload]")
        kind = _short_str(i[1], "inbound kind", 32)
        ref = "" if i[2] == b"" else id_from_wire(i[2], "inbound ref")
        if not isinstance(i[3], bytes):
            raise ProtocolError("inbound payload must be bytes")
        out_in.append(Inbound(_int(i[0], "inbound seq"), kind, ref, i[3]))
    return SyncResponse(
        id_from_wire(obj["bid"], "batch id"),
        tuple(out_acks),
        tuple(out_rej),
        tuple(out_in),
        _int(obj["cur"], "cursor"),
        obj["more"],
    )


# --- errors ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorBody:
    code: str
    detail: str
    wipe: bytes | None = None

    def encode(self) -> bytes:
        return msgpack.packb(
            {"v": PROTOCOL_VERSION, "error": self.code, "detail": self.detail, "wipe": self.wipe},
            use_bin_type=True,
        )


def decode_error(raw: bytes) -> ErrorBody:
    obj = unpack(raw, "error response")
    if not isinstance(obj, dict) or not {"error", "detail"} <= set(obj):
        raise ProtocolError("error response has the wrong shape")
    wipe = obj.get("wipe")
    if wipe is not None and not isinstance(wipe, bytes):
        raise ProtocolError("wipe order must be bytes")
    return ErrorBody(
        _short_str(obj["error"], "error code", 64), _short_str(obj["detail"], "detail"), wipe
    )


# --- key bundle and signed orders -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyKey:
    key_id: str
    public: bytes
    not_after: str  # ISO 8601 UTC; "" = no expiry


@dataclass(frozen=True, slots=True)
class KeyBundle:
    """The agency's public keys, signed by its root key (pinned at provisioning)."""

    agency: str
    issued_at: str
    signing: AgencyKey  # Ed25519: wipe orders, policy, directory
    review: tuple[AgencyKey, ...]  # X25519: records are sealed to the newest valid one
    recovery: AgencyKey  # X25519: the device's recovery secret is sealed to it

    def to_doc(self) -> dict[str, Any]:
        def key(k: AgencyKey) -> dict[str, Any]:
            return {"kid": k.key_id, "pub": k.public, "not_after": k.not_after}

        return {
            "agency": self.agency,
            "issued_at": self.issued_at,
            "signing": key(self.signing),
            "review": [key(k) for k in self.review],
            "recovery": key(self.recovery),
        }

    @property
    def current_review(self) -> AgencyKey:
        """The review key records are sealed to: the last one listed."""
        return self.review[-1]


def _agency_key(obj: Any) -> AgencyKey:
    if not isinstance(obj, dict) or set(obj) != {"kid", "pub", "not_after"}:
        raise BadSignature("key bundle entry has the wrong shape")
    pub = obj["pub"]
    if not isinstance(pub, bytes) or len(pub) != 32:
        raise BadSignature("key bundle public key must be 32 bytes")
    return AgencyKey(
        _short_str(obj["kid"], "key id", 64), pub, _short_str(obj["not_after"], "expiry", 40)
    )


def open_bundle(blob: bytes, root_public: bytes, root_key_id: str) -> KeyBundle:
    """Verify the key bundle with the pinned root key and parse it."""
    doc = open_document(blob, "key-bundle", {root_key_id: root_public})
    if not {"agency", "issued_at", "signing", "review", "recovery"} <= set(doc):
        raise BadSignature("key bundle is missing fields")
    review = doc["review"]
    if not isinstance(review, list) or not 1 <= len(review) <= 32:
        raise BadSignature("key bundle must list 1-32 review keys")
    return KeyBundle(
        _short_str(doc["agency"], "agency name", 200),
        _short_str(doc["issued_at"], "issued at", 40),
        _agency_key(doc["signing"]),
        tuple(_agency_key(k) for k in review),
        _agency_key(doc["recovery"]),
    )


def trusted_signers(bundle: KeyBundle) -> dict[str, bytes]:
    return {bundle.signing.key_id: bundle.signing.public}


def wipe_order_doc(device_id: str, order_id: str, issued_at: str) -> dict[str, Any]:
    return {"device": device_id, "order": order_id, "issued_at": issued_at}


def open_wipe_order(blob: bytes, bundle: KeyBundle, device_id: str) -> dict[str, Any]:
    """Verify a wipe order is signed by the agency and addressed to this device."""
    doc = open_document(blob, "wipe", trusted_signers(bundle))
    if doc.get("device") != device_id:
        raise BadSignature("wipe order is addressed to another device")
    return doc


def chunk_by_bytes(records: Iterable[Record], limit: int) -> Iterable[list[Record]]:
    """Group records into batches of at most ``limit`` wire bytes (a record larger
    than the limit travels alone)."""
    batch: list[Record] = []
    size = 0
    for rec in records:
        if batch and size + rec.wire_size > limit:
            yield batch
            batch, size = [], 0
        batch.append(rec)
        size += rec.wire_size
    if batch:
        yield batch
