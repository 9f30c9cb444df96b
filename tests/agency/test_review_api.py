"""Supervisor review over HTTP (the FastAPI app), with the real crypto on both
sides: devices seal records to the review key, supervisors open their grants
with their own box key and seal feedback to the device. Nothing is mocked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgpack
import pytest
from pydantic import BaseModel

from peerdesk.agency import keys
from peerdesk.agency.errors import AlreadyDecided
from peerdesk.agency.models import ReviewGrant
from peerdesk.agency.review import Reviewer
from peerdesk.agency.server import hash_credential
from peerdesk.agency.supervisors import MAX_FEEDBACK_BYTES, make_grants, open_grant
from peerdesk.crypto.seal import BoxKeyPair, open_sealed
from peerdesk.errors import SealBroken
from peerdesk.ids import new_id
from peerdesk.wire import review as wire
from peerdesk.wire.protocol import Record, decode_response, feedback_info, open_bundle
from tests.agency.support import (
    BOTH_BACKENDS,
    SUPERVISOR_PASSPHRASE,
    Agency,
    FieldDevice,
    FieldSupervisor,
    note_payload,
    review_key_pairs,
)

REVIEW_ROUTES = ("/v1/review/keys", "/v1/review/devices", "/v1/review/records", "/v1/review/events")


def _sync(agency: Agency, device: FieldDevice, records: list[Record]) -> list[int]:
    answer = agency.sync(device, device.batch(records))
    assert answer.status_code == 200, answer.text
    response = decode_response(answer.content)
    assert response.rejects == ()
    return [a.seq for a in response.acks]


def _decide(
    agency: Agency,
    supervisor: FieldSupervisor,
    device: FieldDevice,
    note_id: str,
    decision: str,
    seen_seq: int,
    comment: str = "",
    credential: str | None = None,
) -> Any:
    body = {
        "device_id": device.device_id,
        "note_id": note_id,
        "decision": decision,
        "seen_seq": seen_seq,
        "reviewer": supervisor.name,
        "sealed_feedback": supervisor.feedback(
            device.box.public_raw, device.device_id, note_id, decision, comment
        ),
    }
    return agency.client.post(
        "/v1/review/decisions", json=body, headers=supervisor.headers(credential)
    )


def _records(agency: Agency, supervisor: FieldSupervisor, **params: Any) -> list[dict[str, Any]]:
    answer = agency.review_get(supervisor, "/v1/review/records", **params)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["records"])


def _events(agency: Agency, supervisor: FieldSupervisor, after: int = 0) -> list[dict[str, Any]]:
    answer = agency.review_get(supervisor, "/v1/review/events", after=after)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["events"])


def _keys(agency: Agency, supervisor: FieldSupervisor) -> dict[str, BoxKeyPair]:
    answer = agency.review_get(supervisor, "/v1/review/keys")
    assert answer.status_code == 200, answer.text
    return supervisor.open_grants(answer.json()["grants"])


# --- enrollment -----------------------------------------------------------------------


def test_supervisor_enrolls_with_an_invite_into_its_team(agency: Agency) -> None:
    supervisor = FieldSupervisor("sam")
    code = agency.invite("north", "Sam Okafor")
    answer = agency.enroll_supervisor(supervisor, code)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["supervisor_id"], body["team"], body["name"]) == (
        supervisor.supervisor_id,
        "north",
        "Sam Okafor",  # the name IT gave in the invite
    )
    assert answer.headers["cache-control"] == "no-store"
    bundle = open_bundle(bytes.fromhex(body["bundle"]), agency.root_public, agency.root_key_id)
    assert bundle.agency == "River Valley Peer Services"
    stored = agency.storage.supervisors.by_credential(hash_credential(body["credential"]))
    assert stored is not None and stored.box_pub == supervisor.box.public_raw
    assert stored.sign_pub == supervisor.sign.public_raw and stored.team == "north"
    again = agency.enroll_supervisor(FieldSupervisor(), code)
    assert again.status_code == 403 and again.json()["code"] == "bad_code"


def test_device_codes_and_supervisor_invites_do_not_mix(agency: Agency) -> None:
    device_code, invite = agency.code(team="north"), agency.invite("north")
    as_supervisor = agency.enroll_supervisor(FieldSupervisor(), device_code)
    assert as_supervisor.status_code == 403 and as_supervisor.json()["code"] == "bad_code"
    as_device = agency.enroll(agency.new_device(), invite)
    assert as_device.status_code == 403 and as_device.json()["code"] == "bad_code"
    # both still work for their own kind
    assert agency.enroll(agency.new_device(), device_code).status_code == 200
    assert agency.enroll_supervisor(FieldSupervisor(), invite).status_code == 200


def test_a_supervisor_id_enrolls_once(agency: Agency) -> None:
    supervisor = agency.enrolled_supervisor()
    answer = agency.enroll_supervisor(supervisor, agency.invite())
    assert answer.status_code == 409 and answer.json()["code"] == "supervisor_exists"


@pytest.mark.parametrize(
    "change",
    [
        {"supervisor_id": "not-a-uuid"},
        {"name": ""},
        {"name": "bell\x07"},
        {"box_pub": "00" * 32},
        {"sign_pub": "ab"},
        {"extra": 1},
    ],
)
def test_supervisor_enrollment_with_malformed_input_is_422(
    agency: Agency, change: dict[str, Any]
) -> None:
    body = {**FieldSupervisor().enroll_json(agency.invite()), **change}
    answer = agency.client.post("/v1/supervisor/enroll", json=body)
    assert answer.status_code == 422 and answer.json()["code"] == "malformed"
    assert agency.storage.supervisors.all() == []


# --- credentials ----------------------------------------------------------------------


@pytest.mark.parametrize("route", REVIEW_ROUTES)
def test_review_routes_refuse_device_unknown_and_missing_credentials(
    agency: Agency, route: str
) -> None:
    device = agency.enrolled_device(team="north")
    agency.enrolled_supervisor("north", grant=False)
    for headers in (device.headers(), {"Authorization": "Bearer " + "A" * 43}, {}):
        answer = agency.client.get(route, headers=headers)
        assert answer.status_code == 401, (headers, answer.text)
        assert answer.json()["code"] == "unauthorized"
        assert answer.headers["www-authenticate"] == "Bearer"


def test_a_supervisor_credential_does_not_sync(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    supervisor = agency.enrolled_supervisor("north", grant=False)
    answer = agency.sync(device, device.batch([]), Authorization=f"Bearer {supervisor.credential}")
    assert answer.status_code == 401


def test_a_removed_supervisor_gets_403_everywhere(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    [seq] = _sync(agency, device, [note := device.note()])
    supervisor = agency.enrolled_supervisor("north")
    agency.storage.supervisors.remove(supervisor.supervisor_id, agency.clock())
    for route in REVIEW_ROUTES:
        answer = agency.review_get(supervisor, route)
        assert answer.status_code == 403 and answer.json()["code"] == "removed", route
    answer = _decide(agency, supervisor, device, note.entity_id, "approved", seq)
    assert answer.status_code == 403 and answer.json()["code"] == "removed"
    assert agency.storage.reviews.get(device.device_id, note.entity_id).state == "received"


# --- keys, devices, records, events: team only ----------------------------------------


def test_grants_open_with_the_supervisors_box_key_and_open_the_records(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    payload = note_payload("Talked through the bus pass application.")
    _sync(agency, device, [device.record(payload)])
    supervisor = agency.enrolled_supervisor("north")
    answer = agency.review_get(supervisor, "/v1/review/keys")
    assert answer.headers["cache-control"] == "no-store"
    [grant] = answer.json()["grants"]
    assert grant["key_id"] == device.bundle.current_review.key_id and grant["not_after"] == ""
    pair = open_grant(
        ReviewGrant(supervisor.supervisor_id, grant["key_id"], bytes.fromhex(grant["sealed"])),
        supervisor.box,
    )
    assert pair.public_raw == device.bundle.current_review.public
    [record] = _records(agency, supervisor)
    assert supervisor.open_record(record, {pair.key_id: pair}) == payload
    # the grant is bound to this supervisor: another key, or another supervisor id, fails
    with pytest.raises(SealBroken):
        open_grant(
            ReviewGrant(supervisor.supervisor_id, grant["key_id"], bytes.fromhex(grant["sealed"])),
            BoxKeyPair.generate(),
        )
    with pytest.raises(SealBroken):
        open_grant(
            ReviewGrant(new_id(), grant["key_id"], bytes.fromhex(grant["sealed"])), supervisor.box
        )


@BOTH_BACKENDS
def test_a_supervisor_sees_and_decides_only_on_the_own_teams_devices(
    agency: Agency, backend: str
) -> None:
    north_dev = agency.enrolled_device("North laptop", team="north")
    south_dev = agency.enrolled_device("South laptop", team="south")
    agency.enrolled_device("No team laptop")
    north_note, south_note = north_dev.note(), south_dev.note()
    [north_seq, _] = _sync(agency, north_dev, [north_note, north_dev.record({}, kind="trip")])
    [south_seq] = _sync(agency, south_dev, [south_note])
    north, south = agency.enrolled_supervisor("north"), agency.enrolled_supervisor("south", "Kim")

    devices = agency.review_get(north, "/v1/review/devices").json()["devices"]
    assert devices == [
        {
            "device_id": north_dev.device_id,
            "label": "North laptop",
            "box_pub": north_dev.box.public_raw.hex(),
            "revoked": False,
            "enrolled_at": agency.storage.devices.get(north_dev.device_id).enrolled_at,
        }
    ]
    assert {r["device_id"] for r in _records(agency, north)} == {north_dev.device_id}
    assert [r["kind"] for r in _records(agency, north)] == ["note", "trip"]
    assert [r["entity_id"] for r in _records(agency, south)] == [south_note.entity_id]
    assert {e["device_id"] for e in _events(agency, north)} == {north_dev.device_id}

    refused = _decide(agency, north, south_dev, south_note.entity_id, "approved", south_seq)
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert agency.storage.reviews.get(south_dev.device_id, south_note.entity_id).state == "received"
    assert _events(agency, south)[-1]["state"] == "received"

    ok = _decide(agency, north, north_dev, north_note.entity_id, "approved", north_seq)
    assert ok.status_code == 200, ok.text
    assert [e["state"] for e in _events(agency, north)] == ["received", "approved"]
    assert [e["state"] for e in _events(agency, south)] == ["received"]

    # moving a device moves what the supervisors see
    agency.storage.devices.set_team(south_dev.device_id, "north", agency.clock())
    assert {r["device_id"] for r in _records(agency, north)} == {
        north_dev.device_id,
        south_dev.device_id,
    }
    assert _records(agency, south) == []


def test_records_and_events_page_with_after_and_more(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    seqs = _sync(agency, device, [device.note(f"note {i}") for i in range(5)])
    supervisor = agency.enrolled_supervisor("north")
    first = agency.review_get(supervisor, "/v1/review/records", limit=2).json()
    assert [r["seq"] for r in first["records"]] == seqs[:2] and first["more"]
    rest = agency.review_get(supervisor, "/v1/review/records", after=seqs[1], limit=2000).json()
    assert [r["seq"] for r in rest["records"]] == seqs[2:] and not rest["more"]
    events = agency.review_get(supervisor, "/v1/review/events", limit=4).json()
    assert len(events["events"]) == 4 and events["more"]
    after = events["events"][-1]["seq"]
    assert len(_events(agency, supervisor, after)) == 1


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 2001}, {"after": -1}, {"after": 2**63}, {"after": "x"}, {"page": 2}],
)
def test_a_bad_page_is_422(agency: Agency, params: dict[str, Any]) -> None:
    supervisor = agency.enrolled_supervisor("north", grant=False)
    for route in ("/v1/review/records", "/v1/review/events"):
        answer = agency.review_get(supervisor, route, **params)
        assert answer.status_code == 422 and answer.json()["code"] == "malformed", route


def test_escrow_and_directory_corrections_are_not_sent_to_supervisors(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    _sync(
        agency,
        device,
        [device.escrow(b"s" * 16), device.record({"suggestion": "x"}, kind="correction")],
    )
    supervisor = agency.enrolled_supervisor("north")
    assert _records(agency, supervisor) == []


# --- decisions ------------------------------------------------------------------------


@BOTH_BACKENDS
def test_return_resubmit_approve_with_history_and_feedback_to_the_device(
    agency: Agency, backend: str
) -> None:
    device = agency.enrolled_device(team="north")
    note = device.note()
    note_id = note.entity_id
    [note_seq] = _sync(agency, device, [note])
    supervisor = agency.enrolled_supervisor("north", "Sam Okafor")

    returned = _decide(agency, supervisor, device, note_id, "returned", note_seq, "Add the plan.")
    assert returned.status_code == 200, returned.text
    assert returned.json()["state"] == "returned"

    # the device gets the feedback sealed to it, then amends and resubmits
    inbound = decode_response(agency.sync(device, device.batch([])).content).inbound
    [item] = inbound
    assert (item.kind, item.ref) == ("feedback", note_id)
    feedback = msgpack.unpackb(
        open_sealed(item.payload, device.box, feedback_info(device.device_id, note_id)), raw=False
    )
    assert (feedback["decision"], feedback["comment"]) == ("returned", "Add the plan.")
    addendum = device.record({"id": new_id(), "text": "Plan: call Monday."}, kind="addendum",
                             entity_id=note_id)  # fmt: skip
    resubmit = device.record(
        {"note_id": note_id, "addendum_ids": [], "at": "2026-05-05T10:00:00Z"},
        kind="resubmit",
        entity_id=note_id,
    )
    add_seq, resub_seq = _sync(agency, device, [addendum, resubmit])

    # what the supervisor had opened is stale now
    stale = _decide(agency, supervisor, device, note_id, "approved", note_seq)
    assert stale.status_code == 409 and stale.json()["code"] == "note_changed"
    assert "open it again" in stale.json()["detail"]
    records = _records(agency, supervisor)
    assert [(r["kind"], r["entity_id"]) for r in records] == [
        ("note", note_id), ("addendum", note_id), ("resubmit", note_id),
    ]  # fmt: skip
    approved = _decide(
        agency, supervisor, device, note_id, "approved", max(r["seq"] for r in records)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"

    events = _events(agency, supervisor)
    assert [(e["state"], e["actor"]) for e in events] == [
        ("received", "peer"),
        ("returned", "Sam Okafor"),
        ("resubmitted", "peer"),
        ("approved", "Sam Okafor"),
    ]
    assert events[-1]["seq"] == approved.json()["event_seq"]
    assert events[1]["seq"] == returned.json()["event_seq"]
    assert add_seq < resub_seq

    again = _decide(agency, supervisor, device, note_id, "returned", resub_seq)
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_a_returned_note_cannot_be_decided_again_until_resubmitted(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    note = device.note()
    [seq] = _sync(agency, device, [note])
    sam, kim = agency.enrolled_supervisor("north"), agency.enrolled_supervisor("north", "Kim")
    assert _decide(agency, sam, device, note.entity_id, "returned", seq).status_code == 200
    answer = _decide(agency, kim, device, note.entity_id, "approved", seq)
    assert answer.status_code == 409 and answer.json()["code"] == "already_decided"
    assert "not resubmitted" in answer.json()["detail"]
    assert len(agency.storage.outbound.inbound(device.device_id, 0)[0]) == 1


def test_decision_on_an_unknown_note_is_404(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    supervisor = agency.enrolled_supervisor("north")
    answer = _decide(agency, supervisor, device, new_id(), "approved", 0)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "change",
    [
        {"decision": "maybe"},
        {"seen_seq": -1},
        {"note_id": "x"},
        {"reviewer": ""},
        {"sealed_feedback": "abc"},
        {"sealed_feedback": "00" * 10},  # too short to be a seal
        {"extra": True},
    ],
)
def test_malformed_decisions_are_422_and_change_nothing(
    agency: Agency, change: dict[str, Any]
) -> None:
    device = agency.enrolled_device(team="north")
    note = device.note()
    [seq] = _sync(agency, device, [note])
    supervisor = agency.enrolled_supervisor("north")
    body = {
        "device_id": device.device_id,
        "note_id": note.entity_id,
        "decision": "approved",
        "seen_seq": seq,
        "reviewer": "Sam",
        "sealed_feedback": supervisor.feedback(
            device.box.public_raw, device.device_id, note.entity_id, "approved", ""
        ),
        **change,
    }
    answer = agency.client.post("/v1/review/decisions", json=body, headers=supervisor.headers())
    assert answer.status_code == 422 and answer.json()["code"] == "malformed", answer.text
    assert agency.storage.reviews.get(device.device_id, note.entity_id).state == "received"


def test_a_long_comment_fits_and_an_oversized_decision_is_413(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    note = device.note()
    [seq] = _sync(agency, device, [note])
    supervisor = agency.enrolled_supervisor("north")
    long_comment = "é" * 4000  # the longest comment, 2 bytes a character
    ok = _decide(agency, supervisor, device, note.entity_id, "returned", seq, long_comment)
    assert ok.status_code == 200, ok.text
    body = {
        "device_id": device.device_id,
        "note_id": note.entity_id,
        "decision": "approved",
        "seen_seq": seq,
        "reviewer": "Sam",
        "sealed_feedback": "00" * (MAX_FEEDBACK_BYTES + 8 * 1024),
    }
    answer = agency.client.post("/v1/review/decisions", json=body, headers=supervisor.headers())
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"


def test_the_cli_reviewer_and_the_http_side_share_the_decision_rules(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    first, second = device.note(), device.note()
    seqs = _sync(agency, device, [first, second])
    supervisor = agency.enrolled_supervisor("north")
    reviewer = Reviewer(agency.storage, review_key_pairs(agency.settings), clock=agency.clock)

    reviewer.send_feedback(device.device_id, first.entity_id, "approved", "", "IT reviewer")
    answer = _decide(agency, supervisor, device, first.entity_id, "returned", seqs[0])
    assert answer.status_code == 409 and answer.json()["code"] == "already_decided"

    assert _decide(agency, supervisor, device, second.entity_id, "returned", seqs[1]).is_success
    with pytest.raises(AlreadyDecided):
        reviewer.send_feedback(device.device_id, second.entity_id, "approved", "", "IT reviewer")
    assert [e["actor"] for e in _events(agency, supervisor) if e["state"] != "received"] == [
        "IT reviewer",
        "Sam Okafor",
    ]


# --- key changes: removal, rotation, a new supervisor ------------------------------------


def _rotate_like_the_cli(agency: Agency) -> None:
    """What ``peerdesk-agency rotate-review-key`` does: a new key, granted to the
    active supervisors in the same transaction."""
    active = agency.storage.supervisors.all(active_only=True)
    keys.rotate_review_key(
        agency.settings,
        agency.storage,
        SUPERVISOR_PASSPHRASE,
        agency.clock(),
        old_valid_for=timedelta(days=1),
        grant=lambda pair: [g for s in active for g in make_grants(s, [pair])],
    )


def test_removed_supervisor_cannot_open_notes_sealed_after_the_rotation(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    old_note = device.note("before the rotation")
    _sync(agency, device, [old_note])
    leaving, staying = (
        agency.enrolled_supervisor("north", "Leaving"),
        agency.enrolled_supervisor("north", "Staying"),
    )
    # what the leaving supervisor's PeerDesk pulled while still a supervisor
    kept_keys = _keys(agency, leaving)
    [old_record] = _records(agency, leaving)
    assert leaving.open_record(old_record, kept_keys)["body"]

    agency.storage.supervisors.remove(leaving.supervisor_id, agency.clock())
    _rotate_like_the_cli(agency)
    device.set_bundle(agency.client.get("/v1/bundle").content)
    new_note = device.note("after the rotation")
    _sync(agency, device, [new_note])

    assert agency.review_get(leaving, "/v1/review/keys").status_code == 403
    assert agency.storage.supervisors.grants(leaving.supervisor_id) == []
    new_record = next(r for r in _records(agency, staying) if r["entity_id"] == new_note.entity_id)
    assert new_record["key_id"] == device.bundle.current_review.key_id
    assert new_record["key_id"] not in kept_keys
    for pair in kept_keys.values():  # no key the removed supervisor ever held opens it
        with pytest.raises(SealBroken):
            leaving.open_record({**new_record, "key_id": pair.key_id}, {pair.key_id: pair})
    # the one who stayed got the new key with the rotation and reads both
    staying_keys = _keys(agency, staying)
    assert set(staying_keys) == {old_record["key_id"], new_record["key_id"]}
    assert staying.open_record(new_record, staying_keys)["body"]
    assert staying.open_record(old_record, staying_keys)["body"]


def test_a_new_supervisor_reads_notes_sealed_before_they_joined(agency: Agency) -> None:
    device = agency.enrolled_device(team="north")
    before = device.note("sealed to the first review key")
    _sync(agency, device, [before])
    _rotate_like_the_cli(agency)
    device.set_bundle(agency.client.get("/v1/bundle").content)
    after = device.note("sealed to the second review key")
    _sync(agency, device, [after])

    newcomer = agency.enrolled_supervisor("north", "Newcomer")  # granted every review key
    held = _keys(agency, newcomer)
    grants = agency.review_get(newcomer, "/v1/review/keys").json()["grants"]
    assert [g["not_after"] != "" for g in grants] == [True, False]  # old key first, expiring
    records = _records(agency, newcomer)
    assert len({r["key_id"] for r in records}) == 2
    opened = {r["entity_id"]: newcomer.open_record(r, held) for r in records}
    assert set(note_payload()) <= set(opened[before.entity_id])  # a whole note payload
    assert "first review key" in opened[before.entity_id]["body"]["intervention"]
    assert "second review key" in opened[after.entity_id]["body"]["intervention"]


# --- the wire shapes ------------------------------------------------------------------


def test_every_review_answer_parses_with_its_strict_wire_model(agency: Agency) -> None:
    """peerdesk.wire.review describes what the agency really sends (the client can
    parse the answers with the same models)."""
    device = agency.enrolled_device(team="north")
    note = device.note()
    [seq] = _sync(agency, device, [note])
    supervisor = FieldSupervisor("sam")
    enrolled = agency.enroll_supervisor(supervisor, agency.invite("north", "Sam Okafor"))
    assert enrolled.status_code == 200, enrolled.text
    answer = wire.SupervisorEnrollResponse.model_validate_json(enrolled.content)
    assert (answer.supervisor_id, answer.team) == (supervisor.supervisor_id, "north")
    supervisor.accept_enrollment(enrolled.json())
    agency.grant(supervisor.supervisor_id)
    pages: list[tuple[str, type[BaseModel]]] = [
        ("/v1/review/keys", wire.GrantsResponse),
        ("/v1/review/devices", wire.ReviewDevicesResponse),
        ("/v1/review/records", wire.ReviewRecordsResponse),
        ("/v1/review/events", wire.ReviewEventsResponse),
    ]
    for path, model in pages:
        got = agency.review_get(supervisor, path)
        assert got.status_code == 200, got.text
        model.model_validate_json(got.content)
    records = wire.ReviewRecordsResponse.model_validate_json(
        agency.review_get(supervisor, "/v1/review/records").content
    )
    assert [r.seq for r in records.records] == [seq] and records.more is False
    decided = _decide(agency, supervisor, device, note.entity_id, "approved", seq)
    assert decided.status_code == 200, decided.text
    assert wire.DecisionResponse.model_validate_json(decided.content).state == "approved"
