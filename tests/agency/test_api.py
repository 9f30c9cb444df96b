"""The HTTP API against the sync contract, with the real device-side crypto
(records sealed with HPKE, batches signed with Ed25519): nothing is mocked."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import msgpack
import pytest
from sqlalchemy import text

from peerdesk.agency import keys
from peerdesk.agency.app import create_app
from peerdesk.agency.errors import NotInitialised, SchemaMismatch
from peerdesk.agency.review import Reviewer
from peerdesk.agency.server import CODE_ALPHABET, hash_credential, new_enrollment_code
from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import SigningKeyPair, open_sealed
from peerdesk.errors import SealBroken
from peerdesk.ids import new_id
from peerdesk.wire.protocol import (
    CONTENT_TYPE,
    MAX_REQUEST_BYTES,
    Record,
    decode_error,
    decode_response,
    feedback_info,
    open_wipe_order,
)
from tests.agency.support import (
    BOTH_BACKENDS,
    SUPERVISOR_PASSPHRASE,
    Agency,
    ASGIClient,
    FieldDevice,
    note_payload,
)

# --- ping and bundle ------------------------------------------------------------------


def test_ping_names_the_agency_and_protocol(agency: Agency) -> None:
    answer = agency.client.get("/v1/ping")
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "protocol": 1, "agency": "River Valley Peer Services"}


def test_bundle_is_signed_by_the_root_key_and_lists_the_agency_keys(agency: Agency) -> None:
    answer = agency.client.get("/v1/bundle")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/octet-stream"
    bundle = agency.bundle()
    stored = {k.purpose: k.key_id for k in agency.storage.keys.all()}
    assert bundle.agency == "River Valley Peer Services"
    assert bundle.current_review.key_id == stored["review"]
    assert bundle.recovery.key_id == stored["recovery"]
    assert bundle.signing.key_id == stored["signing"]


# --- enrollment -----------------------------------------------------------------------


def test_enrollment_codes_carry_at_least_40_bits(agency: Agency) -> None:
    code = new_enrollment_code()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    assert all(ch in CODE_ALPHABET for ch in code.replace("-", ""))
    assert len(CODE_ALPHABET) ** 10 >= 2**40


def test_enroll_with_a_valid_code_returns_a_credential_and_the_bundle(agency: Agency) -> None:
    device = agency.new_device()
    code = agency.code()
    answer = agency.enroll(device, code)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["device_id"] == device.device_id
    assert len(body["credential"]) >= 43  # 32 random bytes, url-safe
    assert answer.headers["cache-control"] == "no-store"
    device.accept_enrollment(body)  # the bundle verifies with the pinned root key
    stored = agency.storage.devices.get(device.device_id)
    assert stored.sign_pub == device.sign.public_raw and stored.box_pub == device.box.public_raw
    found = agency.storage.devices.by_credential(hash_credential(body["credential"]))
    assert found is not None and found.device_id == device.device_id
    # neither the credential nor the code is stored as such
    dump = _database_bytes(agency.storage)
    assert body["credential"].encode() not in dump
    assert code.encode() not in dump and code.replace("-", "").encode() not in dump


def test_enroll_accepts_the_code_as_typed_in_lower_case_without_the_dash(agency: Agency) -> None:
    code = agency.code().lower().replace("-", "")
    assert agency.enroll(agency.new_device(), code).status_code == 200


@pytest.mark.parametrize("case", ["unknown", "expired", "used"])
def test_enroll_with_a_bad_code_is_refused_with_one_message(agency: Agency, case: str) -> None:
    code = agency.code(valid_for=timedelta(hours=1))
    if case == "unknown":
        code = new_enrollment_code()
    elif case == "expired":
        agency.clock.advance(hours=1, seconds=1)
    else:
        assert agency.enroll(agency.new_device(), code).status_code == 200
    answer = agency.enroll(agency.new_device(), code)
    assert answer.status_code == 403
    assert answer.json()["code"] == "bad_code"
    assert "not valid (unknown, expired or already used)" in answer.json()["detail"]


def test_enroll_of_an_enrolled_device_id_is_409_and_keeps_the_code(agency: Agency) -> None:
    device = agency.enrolled_device()
    code = agency.code()
    answer = agency.enroll(device, code)
    assert answer.status_code == 409 and answer.json()["code"] == "device_exists"
    assert agency.enroll(agency.new_device(), code).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"device_id": "not-a-uuid"},
        {"device_id": "0190f5d2-7b5c-7d9c-8a3e-ZZZZZZZZZZZZ"},
        {"label": ""},
        {"label": "x" * 101},
        {"label": "tab\there"},
        {"label": "   "},
        {"sign_pub": "ab" * 31},
        {"box_pub": "zz" * 32},
        {"box_pub": "00" * 32},  # a low-order X25519 point: nothing could be sealed to it
        {"code": ""},
        {"code": "x" * 65},
        {"extra": "field"},
        {"label": 7},
    ],
)
def test_enroll_with_malformed_input_is_422_and_stores_nothing(
    agency: Agency, change: dict[str, Any]
) -> None:
    device = agency.new_device()
    body = {**device.enroll_json(agency.code()), **change}
    answer = agency.client.post("/v1/enroll", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "malformed" and answer.json()["detail"]
    assert agency.storage.devices.summaries() == []


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", b'{"code": null}'])
def test_enroll_with_a_body_that_is_not_the_object_is_422(agency: Agency, body: bytes) -> None:
    answer = agency.client.post(
        "/v1/enroll", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422 and answer.json()["code"] == "malformed"


def test_enroll_body_over_the_limit_is_413(agency: Agency) -> None:
    device = agency.new_device()
    body = {**device.enroll_json(agency.code()), "label": "x" * 20_000}
    answer = agency.client.post("/v1/enroll", json=body)
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"


# --- sync -----------------------------------------------------------------------------


def test_sync_acknowledges_every_record_with_a_server_sequence(agency: Agency) -> None:
    device = agency.enrolled_device()
    records = [device.note(f"note {i}") for i in range(20)]
    answer = agency.sync(device, device.batch(records))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == CONTENT_TYPE
    response = decode_response(answer.content)
    assert [a.op_id for a in response.acks] == [r.op_id for r in records]
    assert response.rejects == () and response.inbound == () and not response.more
    stored = agency.storage.records.find(device_id=device.device_id, with_sealed=True)
    assert [(s.op_id, s.kind, s.entity_id, s.sealed) for s in stored] == [
        (r.op_id, r.kind, r.entity_id, r.sealed) for r in records
    ]
    assert agency.storage.devices.get(device.device_id).last_seen_at is not None


def test_replayed_batch_returns_identical_bytes_and_stores_nothing_new(agency: Agency) -> None:
    device = agency.enrolled_device()
    raw = device.batch([device.note(), device.note()])
    first = agency.sync(device, raw)
    agency.storage.outbound.queue(device.device_id, "policy", "", b"later", agency.clock())
    again = agency.sync(device, raw)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert agency.storage.records.count() == 2


def test_records_resent_in_a_new_batch_are_acked_with_their_stored_seq(agency: Agency) -> None:
    device = agency.enrolled_device()
    note = device.note()
    first = decode_response(agency.sync(device, device.batch([note])).content)
    second = decode_response(agency.sync(device, device.batch([note, device.note()])).content)
    assert second.acks[0] == first.acks[0]
    assert agency.storage.records.count() == 2


def test_same_batch_id_with_another_body_is_422_idempotency_mismatch(agency: Agency) -> None:
    device = agency.enrolled_device()
    batch_id = new_id()
    assert agency.sync(device, device.batch([device.note()], batch_id=batch_id)).status_code == 200
    answer = agency.sync(device, device.batch([device.note()], batch_id=batch_id))
    assert answer.status_code == 422
    assert decode_error(answer.content).code == "idempotency_mismatch"
    assert agency.storage.records.count() == 1


def test_batch_still_in_flight_is_409_until_it_is_abandoned(agency: Agency) -> None:
    device = agency.enrolled_device()
    batch_id = new_id()
    raw = device.batch([device.note()], batch_id=batch_id)
    agency.storage.sync.claim_batch(
        device.device_id, batch_id, hashlib.sha256(raw).digest(), agency.clock()
    )
    answer = agency.sync(device, raw)
    assert answer.status_code == 409 and decode_error(answer.content).code == "in_flight"
    assert agency.storage.records.count() == 0
    agency.clock.advance(seconds=61)
    answer = agency.sync(device, raw)
    assert answer.status_code == 200 and len(decode_response(answer.content).acks) == 1


def test_batch_with_a_bad_signature_is_403_and_stores_nothing(agency: Agency) -> None:
    device = agency.enrolled_device()
    raw = device.batch([device.note()], signer=SigningKeyPair.generate())
    answer = agency.sync(device, raw)
    assert answer.status_code == 403
    assert decode_error(answer.content).code == "bad_signature"
    assert agency.storage.records.count() == 0


def test_batch_whose_body_was_altered_is_403(agency: Agency) -> None:
    device = agency.enrolled_device()
    frame = msgpack.unpackb(device.batch([device.note()]), raw=False)
    frame["b"] = frame["b"].replace(b"notes-v1", b"notes-v2")
    answer = agency.sync(device, msgpack.packb(frame, use_bin_type=True))
    assert answer.status_code == 403 and agency.storage.records.count() == 0


@pytest.mark.parametrize("credential", ["other device", "unknown", "missing", "not bearer"])
def test_sync_with_a_wrong_credential_is_401(agency: Agency, credential: str) -> None:
    device = agency.enrolled_device()
    other = agency.enrolled_device("Other laptop")
    headers = device.headers()
    if credential == "other device":
        headers["Authorization"] = f"Bearer {other.credential}"
    elif credential == "unknown":
        headers["Authorization"] = "Bearer " + "A" * 43
    elif credential == "missing":
        del headers["Authorization"]
    else:
        headers["Authorization"] = f"Basic {device.credential}"
    answer = agency.client.post("/v1/sync", content=device.batch([device.note()]), headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert decode_error(answer.content).code == "unauthorized"
    assert agency.storage.records.count() == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xc1",
        msgpack.packb({"v": 2, "b": b"", "s": b""}),
        msgpack.packb({"v": 1, "b": msgpack.packb({"dev": "x"}), "s": b"s" * 64}),
        msgpack.packb([1, 2, 3]),
    ],
)
def test_malformed_batch_is_400_with_the_reason(agency: Agency, raw: bytes) -> None:
    device = agency.enrolled_device()
    answer = agency.sync(device, raw)
    assert answer.status_code == 400
    error = decode_error(answer.content)
    assert error.code == "malformed" and error.detail
    assert agency.storage.records.count() == 0


def test_batch_with_a_malformed_record_is_400_and_stores_nothing(agency: Agency) -> None:
    device = agency.enrolled_device()
    good = device.note()
    bad = Record(good.op_id, "note", good.entity_id, good.key_id, "", good.sealed).to_wire()
    bad[0] = b"short"
    body = msgpack.packb(
        {"dev": device.device_id, "bid": os.urandom(16), "cur": 0, "at": "", "recs": [bad]},
        use_bin_type=True,
    )
    raw = msgpack.packb({"v": 1, "b": body, "s": device.sign.sign(body)}, use_bin_type=True)
    answer = agency.sync(device, raw)
    assert answer.status_code == 400 and "op id" in decode_error(answer.content).detail
    assert agency.storage.records.count() == 0


def test_oversized_batch_is_413_by_its_content_length(agency: Agency) -> None:
    device = agency.enrolled_device()
    answer = agency.sync(device, b"\x00" * (MAX_REQUEST_BYTES + 1))
    assert answer.status_code == 413
    assert decode_error(answer.content).code == "too_large"
    assert agency.storage.records.count() == 0


def test_oversized_batch_without_content_length_is_413_while_streaming(agency: Agency) -> None:
    device = agency.enrolled_device()
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(40):
            sent += 64 * 1024
            yield b"\x00" * (64 * 1024)

    answer = agency.client.post("/v1/sync", content=chunks(), headers=device.headers())
    assert "content-length" not in answer.request.headers
    assert answer.status_code == 413 and decode_error(answer.content).code == "too_large"


@pytest.mark.parametrize("content_type", ["application/json", "application/msgpack", None])
def test_sync_with_another_content_type_is_415(agency: Agency, content_type: str | None) -> None:
    device = agency.enrolled_device()
    headers = device.headers()
    if content_type is None:
        del headers["Content-Type"]
    else:
        headers["Content-Type"] = content_type
    answer = agency.client.post("/v1/sync", content=device.batch([device.note()]), headers=headers)
    assert answer.status_code == 415
    assert decode_error(answer.content).code == "unsupported_media_type"


def test_revoked_device_gets_403_with_a_wipe_order_it_can_verify(agency: Agency) -> None:
    device = agency.enrolled_device()
    order = keys.make_wipe_order(agency.settings, device.device_id, agency.clock())
    agency.storage.devices.revoke(device.device_id, order, agency.clock())
    answer = agency.sync(device, device.batch([device.note()]))
    assert answer.status_code == 403
    error = decode_error(answer.content)
    assert error.code == "revoked" and error.wipe is not None
    doc = open_wipe_order(error.wipe, agency.bundle(), device.device_id)
    assert doc["device"] == device.device_id and doc["order"]
    assert agency.storage.records.count() == 0


def test_record_sealed_to_the_previous_review_key_counts_until_that_key_expires(
    agency: Agency,
) -> None:
    device = agency.enrolled_device()
    old = device.bundle.current_review
    keys.rotate_review_key(
        agency.settings,
        agency.storage,
        SUPERVISOR_PASSPHRASE,
        agency.clock(),
        old_valid_for=timedelta(days=1),
    )
    bundle = device.set_bundle(agency.client.get("/v1/bundle").content)
    assert [k.key_id for k in bundle.review] == [old.key_id, bundle.current_review.key_id]
    assert bundle.review[0].not_after and not bundle.current_review.not_after
    early = device.note(key=old)
    accepted = decode_response(agency.sync(device, device.batch([early])).content)
    assert len(accepted.acks) == 1 and accepted.rejects == ()
    agency.clock.advance(days=1, seconds=1)
    late = device.note(key=old)
    current = device.note()
    # a resend of the early record (its ack was lost) is still acknowledged as stored
    response = decode_response(agency.sync(device, device.batch([late, current, early])).content)
    assert [a.op_id for a in response.acks] == [current.op_id, early.op_id]
    assert response.acks[1] == accepted.acks[0]
    ((reject),) = response.rejects
    assert reject.op_id == late.op_id and reject.code == "expired_key"
    assert old.key_id in reject.reason and "expired" in reject.reason


def test_records_sealed_to_the_wrong_kind_of_key_are_rejected(agency: Agency) -> None:
    device = agency.enrolled_device()
    note_to_recovery = device.note(key=device.bundle.recovery)
    escrow_to_review = device.record(
        {"secret": os.urandom(16), "escrow_id": new_id()},
        kind="escrow",
        key=device.bundle.current_review,
    )
    good = device.note()
    unknown = Record(new_id(), "note", new_id(), "0123456789abcdef", "notes-v1", good.sealed)
    response = decode_response(
        agency.sync(
            device, device.batch([note_to_recovery, escrow_to_review, unknown, good])
        ).content
    )
    assert [a.op_id for a in response.acks] == [good.op_id]
    assert [(r.op_id, r.code) for r in response.rejects] == [
        (note_to_recovery.op_id, "unknown_key"),
        (escrow_to_review.op_id, "unknown_key"),
        (unknown.op_id, "unknown_key"),
    ]


def test_records_of_an_unknown_kind_too_large_or_odd_dictionary_are_rejected(
    agency: Agency,
) -> None:
    device = agency.enrolled_device()
    good = device.note()
    memo = Record(new_id(), "memo", new_id(), good.key_id, "notes-v1", good.sealed)
    odd = Record(new_id(), "note", new_id(), good.key_id, "notes-v9", good.sealed)
    huge = device.record({"blob": os.urandom(300 * 1024)}, kind="trip")
    response = decode_response(agency.sync(device, device.batch([memo, odd, huge, good])).content)
    assert [a.op_id for a in response.acks] == [good.op_id]
    assert [(r.op_id, r.code) for r in response.rejects] == [
        (memo.op_id, "bad_kind"),
        (odd.op_id, "malformed"),
        (huge.op_id, "too_large"),
    ]
    assert all(r.reason for r in response.rejects)
    assert agency.storage.records.count() == 1


def test_same_op_id_twice_in_a_batch_counts_once(agency: Agency) -> None:
    device = agency.enrolled_device()
    note = device.note()
    response = decode_response(agency.sync(device, device.batch([note, note])).content)
    assert [a.op_id for a in response.acks] == [note.op_id]
    assert [(r.op_id, r.code) for r in response.rejects] == [(note.op_id, "duplicate_in_batch")]


def test_inbound_items_page_with_the_cursor(agency: Agency) -> None:
    device = agency.enrolled_device()
    for i in range(3):
        agency.storage.outbound.queue(device.device_id, "policy", "", bytes([i]), agency.clock())
    first = decode_response(agency.sync(device, device.batch([])).content)
    assert [i.payload for i in first.inbound] == [b"\x00", b"\x01", b"\x02"]
    assert first.cursor == first.inbound[-1].seq and not first.more
    again = decode_response(agency.sync(device, device.batch([], cursor=first.cursor)).content)
    assert again.inbound == () and again.cursor == first.cursor


# --- review and feedback --------------------------------------------------------------


def test_reviewer_opens_records_and_feedback_reaches_the_device(agency: Agency) -> None:
    device = agency.enrolled_device()
    payload = note_payload("Talked about the bus schedule to the clinic.")
    note = device.record(payload)
    trip = device.record({"miles": "12.5", "destination": "Clinic"}, kind="trip")
    agency.sync(device, device.batch([note, trip]))

    reviewer = Reviewer.from_key_files(agency.settings, agency.storage, SUPERVISOR_PASSPHRASE)
    queue = reviewer.queue()
    assert [(r.kind, r.entity_id, r.device_id) for r in queue] == [
        ("note", note.entity_id, device.device_id),
        ("trip", trip.entity_id, device.device_id),
    ]
    assert reviewer.open(queue[0]).payload == payload
    assert reviewer.open(queue[1].seq).payload["destination"] == "Clinic"

    seq = reviewer.send_feedback(
        device.device_id, note.entity_id, "returned", "Please add the plan.", "Sam (supervisor)"
    )
    assert [r.kind for r in reviewer.queue()] == ["trip"]
    review = agency.storage.reviews.get(device.device_id, note.entity_id)
    assert review.state == "returned" and review.last_seq == queue[0].seq

    response = decode_response(agency.sync(device, device.batch([])).content)
    ((item),) = response.inbound
    assert (item.seq, item.kind, item.ref) == (seq, "feedback", note.entity_id)
    plain = open_sealed(item.payload, device.box, feedback_info(device.device_id, note.entity_id))
    feedback = msgpack.unpackb(plain, raw=False)
    assert feedback["decision"] == "returned" and feedback["comment"] == "Please add the plan."
    assert feedback["reviewer"] == "Sam (supervisor)" and feedback["at"]
    assert response.cursor == seq
    other = FieldDevice(agency.root_public, agency.root_key_id)
    with pytest.raises(SealBroken):
        open_sealed(item.payload, other.box, feedback_info(device.device_id, note.entity_id))


def test_reviewer_cannot_open_escrow_or_a_record_moved_to_another_device(
    agency: Agency,
) -> None:
    device, other = agency.enrolled_device(), agency.enrolled_device("Other")
    escrow = device.escrow(os.urandom(16))
    note = device.note()
    agency.sync(device, device.batch([escrow, note]))
    reviewer = Reviewer.from_key_files(agency.settings, agency.storage, SUPERVISOR_PASSPHRASE)
    stored = {r.kind: r for r in agency.storage.records.find()}
    with pytest.raises(SealBroken, match="recovery key"):
        reviewer.open(stored["escrow"])
    with agency.storage.engine.begin() as conn:  # a server that moves a ciphertext
        conn.execute(
            text("UPDATE records SET device_id = :d WHERE seq = :s"),
            {"d": other.device_id, "s": stored["note"].seq},
        )
    with pytest.raises(SealBroken):
        reviewer.open(stored["note"].seq)


def test_reviewer_with_a_wrong_passphrase_cannot_start(agency: Agency) -> None:
    with pytest.raises(SealBroken):
        Reviewer.from_key_files(agency.settings, agency.storage, "not the supervisor phrase")


# --- the server cannot read ----------------------------------------------------------

CANARY = "CANARY-7f3c1e-quiet-river-participant-detail"


def _database_bytes(storage: Storage) -> bytes:
    """Every value of every agency table, as bytes (bytea/blobs raw, the rest as text)."""
    out = bytearray()
    with storage.engine.connect() as conn:
        for table in ("agency_keys", "key_bundles", "enrollment_codes", "devices", "records",
                      "batches", "outbound", "supervisors", "review_grants", "note_reviews",
                      "review_events", "admin_audit"):  # fmt: skip
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                for value in row:
                    out += (
                        bytes(value)
                        if isinstance(value, bytes | memoryview)
                        else str(value).encode()
                    )
                    out += b"\x00"
    return bytes(out)


@BOTH_BACKENDS
def test_the_agency_database_holds_no_plaintext(agency: Agency, backend: str) -> None:
    # positive control: the device label is routing metadata, stored as plain text, so
    # the scans below must find it (they do see what the database holds)
    control = b"Laptop-CONTROL-label-4471"
    device = agency.enrolled_device(control.decode())
    records = [device.record(note_payload(f"{CANARY} note {i}")) for i in range(5)]
    records.append(device.record({"destination": CANARY, "notes": CANARY}, kind="trip"))
    response = decode_response(agency.sync(device, device.batch(records)).content)
    assert len(response.acks) == 6
    reviewer = Reviewer.from_key_files(agency.settings, agency.storage, SUPERVISOR_PASSPHRASE)
    assert CANARY in reviewer.open(agency.storage.records.find()[0]).payload["body"]["intervention"]
    reviewer.send_feedback(
        device.device_id, records[0].entity_id, "approved", f"{CANARY} looks good", "Sam"
    )
    agency.sync(device, device.batch([]))

    needles = (CANARY.encode(), CANARY.encode().hex().encode(), CANARY.encode("utf-16-le"))
    values = _database_bytes(agency.storage)
    assert control in values
    for needle in needles:
        assert needle not in values
    if backend == "sqlite":
        db = agency.settings.directory / "agency.db"
        files = [p for p in db.parent.iterdir() if p.name.startswith("agency.db")]
        raw = b"".join(p.read_bytes() for p in files)
        assert control in raw
        assert all(needle not in raw for needle in needles)
    else:  # the heap and TOAST files of every table, as PostgreSQL keeps them on disk
        raw = bytearray()
        with agency.storage.engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))
            rels = conn.execute(
                text(
                    "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                )
            ).scalars()
            for oid in list(rels):
                for rel in (
                    oid,
                    conn.execute(
                        text(f"SELECT reltoastrelid FROM pg_class WHERE oid = {oid}")
                    ).scalar(),
                ):
                    if rel:
                        path = conn.execute(text(f"SELECT pg_relation_filepath({rel})")).scalar()
                        raw += (
                            conn.execute(
                                text("SELECT pg_read_binary_file(:p)"), {"p": path}
                            ).scalar()
                            or b""
                        )
        assert control in raw
        assert all(needle not in raw for needle in needles)


# --- start-up -------------------------------------------------------------------------


def test_app_refuses_to_start_on_a_database_that_is_behind(
    settings: Any, storage_factory: Any
) -> None:
    with pytest.raises(SchemaMismatch, match="behind"):
        create_app(settings, storage=storage_factory())


def test_app_refuses_to_start_on_a_database_that_is_ahead(settings: Any, storage: Storage) -> None:
    with storage.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    with pytest.raises(SchemaMismatch, match="newer"):
        create_app(settings, storage=storage)


def test_app_refuses_to_start_without_agency_keys(settings: Any, storage: Storage) -> None:
    with pytest.raises(NotInitialised, match="peerdesk-agency init"):
        create_app(settings, storage=storage)


def test_app_built_from_settings_alone_serves_and_closes_its_database(
    settings: Any, storage: Storage, clock: Any
) -> None:
    keys.register_keys(settings, storage, clock())
    app = create_app(settings)
    with ASGIClient(app) as client:
        assert client.get("/v1/ping").status_code == 200
