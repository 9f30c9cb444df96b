"""A small agency for the device's sync tests, behind ``httpx.MockTransport``.

It follows the sync contract with the real protocol and crypto (bundle signed
by a root key, batch signatures checked with the device key, idempotency by
batch id and body hash, dedup by op id, server sequence numbers, inbound items
after the cursor) and keeps everything in memory. Faults are injected per
``/v1/sync`` request from ``faults`` (first in, first used):

* ``"connect"``: the connection fails before the agency sees the request
* ``"timeout"``: a read timeout before the agency sees the request
* ``"cut"``: the agency processes the batch, then the connection is cut
* ``"503"``: the agency answers 503 without processing
* ``"in_flight"``: the agency answers 409 in_flight without processing
* ``"413"``: the agency answers 413 without processing

``reject`` maps an op id to a reject code; ``duplicate_acks`` acks every record twice.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgpack

from peerdesk.config import Provisioning
from peerdesk.crypto import recovery
from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair, seal, sign_document, verify
from peerdesk.errors import BadSignature, ProtocolError
from peerdesk.wire import protocol as proto
from peerdesk.wire.segments import Segment, open_segment

URL = "https://agency.test"
CODE = "7K3M-Q9XD-2B"


@dataclass
class FakeDevice:
    device_id: str
    label: str
    sign_pub: bytes
    box_pub: bytes
    credential_hash: bytes
    revoked: bool = False


@dataclass
class Stored:
    seq: int
    device_id: str
    record: proto.Record
    #: a record that came in a segment: the segment (opened at ingest by the fake)
    segment: Segment | None = None
    part: int = 0


@dataclass
class FakeAgency:
    name: str = "Hollow Creek Peer Services"
    root: SigningKeyPair = field(default_factory=SigningKeyPair.generate)
    signing: SigningKeyPair = field(default_factory=SigningKeyPair.generate)
    review: BoxKeyPair = field(default_factory=BoxKeyPair.generate)
    recovery_key: BoxKeyPair = field(default_factory=BoxKeyPair.generate)
    codes: set[str] = field(default_factory=lambda: {CODE})
    devices: dict[str, FakeDevice] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=dict)  # device -> credential (tests)
    records: dict[tuple[str, str], Stored] = field(default_factory=dict)
    seq: int = 0
    outbound: list[tuple[int, str | None, str, str, bytes]] = field(default_factory=list)
    out_seq: int = 0
    batches: dict[tuple[str, str], tuple[bytes, bytes]] = field(default_factory=dict)
    #: every decoded /v1/sync request that reached the agency, with its raw body
    requests: list[tuple[proto.SignedBatch, bytes]] = field(default_factory=list)
    faults: list[str | None] = field(default_factory=list)
    inbound_limit: int = proto.MAX_INBOUND_PER_RESPONSE
    reject: dict[str, str] = field(default_factory=dict)
    duplicate_acks: bool = False
    #: a batch holding one of these op ids never arrives (the link was cut during
    #: its upload), once per op id; whatever order pipelined requests come in
    lose_upload_of: set[str] = field(default_factory=set)
    #: a batch holding one of these op ids is stored, but its answer is lost
    lose_answer_of: set[str] = field(default_factory=set)

    used_escrows: set[str] = field(default_factory=set)
    bundle_issued_at: str = "2024-01-01T00:00:00.000+00:00"
    bundle_blob: bytes = b""
    bundle_requests: int = 0

    def __post_init__(self) -> None:
        self.bundle_blob = self.make_bundle()

    # -- keys -------------------------------------------------------------------------

    def key_bundle(self) -> proto.KeyBundle:
        return proto.KeyBundle(
            agency=self.name,
            issued_at=self.bundle_issued_at,
            signing=proto.AgencyKey(self.signing.key_id, self.signing.public_raw, ""),
            review=(proto.AgencyKey(self.review.key_id, self.review.public_raw, ""),),
            recovery=proto.AgencyKey(self.recovery_key.key_id, self.recovery_key.public_raw, ""),
        )

    def make_bundle(self, signer: SigningKeyPair | None = None) -> bytes:
        return sign_document(signer or self.root, "key-bundle", self.key_bundle().to_doc())

    def provisioning(self, url: str = URL) -> Provisioning:
        return Provisioning(
            agency_name=self.name,
            agency_url=url,
            root_public_key=self.root.public_raw,
            root_key_id=self.root.key_id,
        )

    def rotate_review_key(self) -> None:
        self.review = BoxKeyPair.generate()
        self.bundle_issued_at = "2025-01-01T00:00:00.000+00:00"
        self.bundle_blob = self.make_bundle()

    # -- what the supervisor and IT do --------------------------------------------------

    def send_feedback(
        self, device_id: str, note_id: str, decision: str, comment: str, reviewer: str
    ) -> int:
        device = self.devices[device_id]
        doc = {
            "decision": decision,
            "comment": comment,
            "reviewer": reviewer,
            "at": "2024-05-07T09:00:00Z",
        }
        sealed = seal(
            msgpack.packb(doc, use_bin_type=True),
            device.box_pub,
            proto.feedback_info(device_id, note_id),
        )
        return self.add_outbound(device_id, "feedback", note_id, sealed)

    def wipe_order(self, device_id: str, signer: SigningKeyPair | None = None) -> bytes:
        return sign_document(
            signer or self.signing,
            "wipe",
            proto.wipe_order_doc(
                device_id, "0190f0c0-0000-7000-8000-000000000001", "2024-05-07T09:00:00Z"
            ),
        )

    def add_outbound(self, device_id: str | None, kind: str, ref: str, payload: bytes) -> int:
        self.out_seq += 1
        self.outbound.append((self.out_seq, device_id, kind, ref, payload))
        return self.out_seq

    def opened(self, device_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(kind, entity id, payload) of every stored record, opened like a reviewer."""
        out = []
        for stored in sorted(self.records.values(), key=lambda s: s.seq):
            if stored.device_id != device_id:
                continue
            key = self.recovery_key if stored.record.kind == "escrow" else self.review
            if stored.segment is not None:
                payload = open_segment(stored.segment, device_id, key)[stored.part]
            else:
                payload = proto.open_record(stored.record, device_id, key)
            out.append((stored.record.kind, stored.record.entity_id, payload))
        return out

    def recovery_code(self, device_id: str) -> str:
        """What ``peerdesk-agency recover`` does: the newest unused escrow as a code."""
        escrows = [
            (kind, eid, payload)
            for kind, eid, payload in self.opened(device_id)
            if kind == "escrow" and payload["escrow_id"] not in self.used_escrows
        ]
        if not escrows:
            raise LookupError("no unused escrow")
        _, _, payload = escrows[-1]
        self.used_escrows.add(payload["escrow_id"])
        return recovery.encode_code(payload["secret"])

    # -- HTTP ---------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/ping":
            return httpx.Response(200, json={"ok": True, "protocol": 1, "agency": self.name})
        if request.url.path == "/v1/bundle":
            self.bundle_requests += 1
            return httpx.Response(200, content=self.bundle_blob)
        if request.url.path == "/v1/enroll":
            return self.enroll(json.loads(request.content))
        if request.url.path == "/v1/sync":
            return self.sync(request)
        return httpx.Response(404, json={"detail": "not found", "code": "not_found"})

    def enroll(self, body: dict[str, Any]) -> httpx.Response:
        if body.get("code") not in self.codes:
            return httpx.Response(
                403, json={"detail": "unknown, expired or used code", "code": "bad_code"}
            )
        if body["device_id"] in self.devices:
            return httpx.Response(409, json={"detail": "device exists", "code": "device_exists"})
        self.codes.discard(body["code"])
        credential = secrets.token_urlsafe(32)
        self.devices[body["device_id"]] = FakeDevice(
            body["device_id"],
            body["label"],
            bytes.fromhex(body["sign_pub"]),
            bytes.fromhex(body["box_pub"]),
            hashlib.sha256(credential.encode()).digest(),
        )
        self.credentials[body["device_id"]] = credential
        return httpx.Response(
            200,
            json={
                "device_id": body["device_id"],
                "credential": credential,
                "bundle": self.bundle_blob.hex(),
            },
        )

    def _error(
        self, status: int, code: str, detail: str, wipe: bytes | None = None
    ) -> httpx.Response:
        return httpx.Response(
            status,
            content=proto.ErrorBody(code, detail, wipe).encode(),
            headers={"Content-Type": proto.CONTENT_TYPE},
        )

    def sync(self, request: httpx.Request) -> httpx.Response:
        fault = self.faults.pop(0) if self.faults else None
        if fault == "connect":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "503":
            return httpx.Response(503, text="upstream down")
        if fault == "in_flight":
            return self._error(409, "in_flight", "batch in flight")
        if fault == "413":
            return self._error(413, "too_large", "request too large")
        if request.headers.get("content-type") != proto.CONTENT_TYPE:
            return self._error(415, "unsupported_media_type", "wrong content type")
        raw = request.content
        if len(raw) > proto.MAX_REQUEST_BYTES:
            return self._error(413, "too_large", "request too large")
        try:
            signed = proto.decode_batch(raw)
        except ProtocolError as exc:
            return self._error(400, "malformed", exc.reason)
        auth = request.headers.get("authorization", "")
        cred_hash = hashlib.sha256(auth.removeprefix("Bearer ").encode()).digest()
        device = next((d for d in self.devices.values() if d.credential_hash == cred_hash), None)
        if device is None or device.device_id != signed.batch.device_id:
            return self._error(401, "unauthorized", "unknown device or credential")
        try:
            verify(device.sign_pub, signed.signature, signed.body)
        except BadSignature:
            return self._error(403, "bad_signature", "batch signature does not verify")
        if device.revoked:
            return self._error(
                403, "revoked", "this device was revoked", self.wipe_order(device.device_id)
            )
        ops = set(signed.batch.op_ids)
        if ops & self.lose_upload_of:
            self.lose_upload_of -= ops
            raise httpx.WriteError("connection reset during the upload", request=request)
        self.requests.append((signed, raw))
        key = (device.device_id, signed.batch.batch_id)
        body_hash = hashlib.sha256(raw).digest()
        if key in self.batches:
            stored_hash, stored_response = self.batches[key]
            if stored_hash != body_hash:
                return self._error(422, "idempotency_mismatch", "same batch id, other body")
            response_bytes = stored_response
        else:
            response_bytes = self._process(device, signed.batch).encode()
            self.batches[key] = (body_hash, response_bytes)
        if fault == "cut" or ops & self.lose_answer_of:
            self.lose_answer_of -= ops
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        return httpx.Response(
            200, content=response_bytes, headers={"Content-Type": proto.CONTENT_TYPE}
        )

    def _process(self, device: FakeDevice, batch: proto.Batch) -> proto.SyncResponse:
        acks: list[proto.Ack] = []
        rejects: list[proto.Reject] = []
        seen: set[str] = set()
        key_ids = {"escrow": self.recovery_key.key_id}
        members: list[tuple[proto.Record, Segment | None, int]] = [
            (proto.Record(op, seg.kind, ent, seg.key_id, seg.dictionary, b""), seg, part)
            for seg in batch.segments
            for part, (op, ent) in enumerate(seg.members())
        ]
        members += [(rec, None, 0) for rec in batch.records]
        for rec, seg, part in members:
            if rec.op_id in seen:
                rejects.append(
                    proto.Reject(rec.op_id, "duplicate_in_batch", "op id twice in one batch")
                )
                continue
            seen.add(rec.op_id)
            if rec.op_id in self.reject:
                rejects.append(
                    proto.Reject(rec.op_id, self.reject[rec.op_id], "refused by the test")
                )
                continue
            if rec.kind not in proto.RECORD_KINDS:
                rejects.append(proto.Reject(rec.op_id, "bad_kind", "unknown kind"))
                continue
            if rec.key_id != key_ids.get(rec.kind, self.review.key_id):
                rejects.append(proto.Reject(rec.op_id, "unknown_key", "not a current agency key"))
                continue
            stored = self.records.get((device.device_id, rec.op_id))
            if stored is None:
                self.seq += 1
                stored = Stored(self.seq, device.device_id, rec, seg, part)
                self.records[(device.device_id, rec.op_id)] = stored
            acks.append(proto.Ack(rec.op_id, stored.seq))
            if self.duplicate_acks:
                acks.append(proto.Ack(rec.op_id, stored.seq))
        waiting = [
            o for o in self.outbound if o[0] > batch.cursor and o[1] in (device.device_id, None)
        ]
        items = waiting[: self.inbound_limit]
        inbound = tuple(
            proto.Inbound(seq, kind, ref, payload) for seq, _, kind, ref, payload in items
        )
        return proto.SyncResponse(
            batch.batch_id,
            tuple(acks),
            tuple(rejects),
            inbound,
            items[-1][0] if items else batch.cursor,
            len(waiting) > len(items),
        )
