"""The review API's answer models (peerdesk.wire.review) refuse what the
supervisor's client refuses: wrong types (strict, no coercion), texts over their
limits, ids that are not UUIDs, binary that is not hex or is too large,
sequence numbers out of range. Unknown keys are ignored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from peerdesk.wire import review as wire

UUID = "01900000-0000-7000-8000-000000000001"
RECORD: dict[str, Any] = {
    "seq": 7,
    "device_id": UUID,
    "op_id": UUID,
    "kind": "note",
    "entity_id": UUID,
    "key_id": "a1b2c3d4e5f60718",
    "dictionary": "notes-v1",
    "sealed": "ab" * 40,
    "received_at": "2025-01-02T03:04:05.123456Z",
    "segment": 0,
    "part": 0,
}
EVENT: dict[str, Any] = {
    "seq": 3,
    "device_id": UUID,
    "note_id": UUID,
    "state": "received",
    "at": "2025-01-02T03:04:05Z",
    "actor": "peer",
}
DEVICE: dict[str, Any] = {
    "device_id": UUID,
    "label": "Field laptop 7",
    "box_pub": "cd" * 32,
    "revoked": False,
    "enrolled_at": "2025-01-02T03:04:05Z",
}
ENROLLED: dict[str, Any] = {
    "supervisor_id": UUID,
    "credential": "c" * 43,
    "team": "north",
    "name": "Sam Okafor",
    "bundle": "00" * 100,
}
GRANT: dict[str, Any] = {"key_id": "a1b2c3d4e5f60718", "sealed": "ef" * 100, "not_after": ""}

GOOD: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (wire.ReviewRecordJSON, RECORD),
    (wire.ReviewEventJSON, EVENT),
    (wire.ReviewDeviceJSON, DEVICE),
    (wire.SupervisorEnrollResponse, ENROLLED),
    (wire.GrantJSON, GRANT),
    (wire.DecisionResponse, {"state": "approved", "event_seq": 12}),
]


@pytest.mark.parametrize(("model", "data"), GOOD)
def test_a_good_answer_parses_and_unknown_keys_are_ignored(
    model: type[BaseModel], data: dict[str, Any]
) -> None:
    assert model.model_validate({**data, "added_later": 1}).model_dump() == data


@pytest.mark.parametrize(
    ("model", "data", "change"),
    [
        # strict types: no coercion
        (wire.ReviewRecordJSON, RECORD, {"seq": "7"}),
        (wire.ReviewRecordJSON, RECORD, {"seq": 7.0}),
        (wire.ReviewRecordJSON, RECORD, {"seq": True}),
        (wire.ReviewDeviceJSON, DEVICE, {"revoked": 0}),
        (wire.ReviewEventJSON, EVENT, {"actor": 5}),
        # sequence numbers: 0 to 2**63 - 1
        (wire.ReviewRecordJSON, RECORD, {"seq": -1}),
        (wire.ReviewEventJSON, EVENT, {"seq": 2**63}),
        (wire.DecisionResponse, {"state": "approved", "event_seq": 1}, {"event_seq": -1}),
        # UUIDs
        (wire.ReviewRecordJSON, RECORD, {"op_id": "not-a-uuid"}),
        (wire.ReviewEventJSON, EVENT, {"note_id": UUID[:-1]}),
        (wire.SupervisorEnrollResponse, ENROLLED, {"supervisor_id": ""}),
        # text limits
        (wire.ReviewRecordJSON, RECORD, {"kind": "k" * 33}),
        (wire.ReviewRecordJSON, RECORD, {"key_id": "k" * 65}),
        (wire.ReviewRecordJSON, RECORD, {"received_at": "t" * 41}),
        (wire.ReviewEventJSON, EVENT, {"state": "s" * 17}),
        (wire.ReviewEventJSON, EVENT, {"actor": "a" * 201}),
        (wire.ReviewDeviceJSON, DEVICE, {"label": "l" * 201}),
        (wire.SupervisorEnrollResponse, ENROLLED, {"team": "t" * 65}),
        (wire.SupervisorEnrollResponse, ENROLLED, {"name": "n" * 201}),
        (wire.GrantJSON, GRANT, {"key_id": "k" * 65}),
        # the credential: 32-512 ASCII characters
        (wire.SupervisorEnrollResponse, ENROLLED, {"credential": "c" * 31}),
        (wire.SupervisorEnrollResponse, ENROLLED, {"credential": "c" * 513}),
        (wire.SupervisorEnrollResponse, ENROLLED, {"credential": "é" * 40}),
        # binary as hex, bounded
        (wire.ReviewRecordJSON, RECORD, {"sealed": "xyz"}),
        (wire.ReviewRecordJSON, RECORD, {"sealed": "abc"}),
        (wire.ReviewRecordJSON, RECORD, {"sealed": "00" * (wire.MAX_SEALED_RECORD_BYTES + 1)}),
        (wire.GrantJSON, GRANT, {"sealed": "00" * (wire.MAX_GRANT_BYTES + 1)}),
        (wire.ReviewDeviceJSON, DEVICE, {"box_pub": "cd" * 31}),
        (wire.SupervisorEnrollResponse, ENROLLED, {"bundle": "not hex"}),
        # a missing field
        (wire.ReviewRecordJSON, RECORD, {"sealed": None}),
    ],
)
def test_an_answer_the_client_would_refuse_does_not_parse(
    model: type[BaseModel], data: dict[str, Any], change: dict[str, Any]
) -> None:
    bad = {k: v for k, v in {**data, **change}.items() if v is not None}
    with pytest.raises(ValidationError):
        model.model_validate(bad)
    with pytest.raises(ValidationError):  # the same from JSON text
        model.model_validate_json(_json(bad))


def test_pages_need_their_list_and_a_real_more_flag() -> None:
    page = wire.ReviewRecordsResponse.model_validate_json(
        _json({"records": [RECORD], "more": False})
    )
    assert page.records[0].sealed == RECORD["sealed"] and page.more is False
    for bad in (
        {"records": [RECORD]},
        {"records": RECORD, "more": False},
        {"records": [], "more": 1},
    ):
        with pytest.raises(ValidationError):
            wire.ReviewRecordsResponse.model_validate_json(_json(bad))
    with pytest.raises(ValidationError):
        wire.ReviewEventsResponse.model_validate({"events": [{**EVENT, "seq": "3"}], "more": True})


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data)
