"""The agency client with httpx.MockTransport: what goes on the wire, and how each
HTTP status and network failure maps onto the error tree."""

from __future__ import annotations

import json

import httpx
import pytest

from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    ConfigError,
    DeviceRevoked,
    ProtocolError,
)
from peerdesk.link import client as client_module
from peerdesk.link.client import AgencyClient, RevokedByAgency
from peerdesk.wire.protocol import CONTENT_TYPE, ErrorBody, SyncResponse

URL = "https://agency.test"
CREDENTIAL = "c" * 43
BID = "0190f0c0-0000-7000-8000-000000000001"


def client_for(handler, **kwargs) -> AgencyClient:
    return AgencyClient(
        URL, credential=CREDENTIAL, transport=httpx.MockTransport(handler), **kwargs
    )


def msgpack_response(status: int, body: bytes) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"Content-Type": CONTENT_TYPE})


def ok_body() -> bytes:
    return SyncResponse(BID, (), (), (), 0, False).encode()


def test_sync_posts_the_body_with_the_protocol_headers():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return msgpack_response(200, ok_body())

    with client_for(handler) as client:
        answer = client.sync(b"signed batch bytes")
        assert client.bytes_sent == len(b"signed batch bytes")
        assert client.bytes_received == len(ok_body())
    [req] = seen
    assert (req.method, req.url.path) == ("POST", "/v1/sync")
    assert req.content == b"signed batch bytes"
    assert req.headers["content-type"] == CONTENT_TYPE
    assert req.headers["authorization"] == f"Bearer {CREDENTIAL}"
    assert answer.batch_id == BID
    assert CREDENTIAL not in repr(client)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, "unauthorized"),
        (403, "bad_signature"),
        (409, "device_exists"),
        (413, "too_large"),
        (415, "unsupported_media_type"),
        (422, "idempotency_mismatch"),
        (400, "malformed"),
    ],
)
def test_4xx_is_a_rejection_with_the_agency_code(status, code):
    body = ErrorBody(code, f"words about {code}").encode()
    with client_for(lambda r: msgpack_response(status, body)) as client:
        with pytest.raises(AgencyRejected) as err:
            client.sync(b"x")
    assert (err.value.status, err.value.code) == (status, code)
    assert f"words about {code}" in str(err.value)


def test_4xx_without_a_protocol_body_still_maps():
    with client_for(lambda r: httpx.Response(404, text="<html>nope</html>")) as client:
        with pytest.raises(AgencyRejected) as err:
            client.sync(b"x")
    assert (err.value.status, err.value.code) == (404, "http_404")


def test_403_revoked_carries_the_wipe_order_bytes():
    body = ErrorBody("revoked", "this device was revoked", b"signed wipe order").encode()
    with client_for(lambda r: msgpack_response(403, body)) as client:
        with pytest.raises(RevokedByAgency) as err:
            client.sync(b"x")
    assert isinstance(err.value, DeviceRevoked)
    assert err.value.wipe_order == b"signed wipe order"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408, 302])
def test_server_errors_busy_and_redirects_are_unreachable(status):
    with client_for(lambda r: httpx.Response(status, text="oops")) as client:
        with pytest.raises(AgencyUnreachable) as err:
            client.sync(b"x")
    assert str(status) in err.value.cause


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "could not connect"),
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            "TLS certificate",
        ),
        (httpx.ConnectTimeout("slow"), "connect timeout"),
        (httpx.ReadTimeout("slow"), "read timeout"),
        (httpx.WriteTimeout("slow"), "write timeout"),
        (httpx.PoolTimeout("slow"), "pool timeout"),
        (httpx.RemoteProtocolError("Server disconnected"), "connection was cut"),
        (httpx.ReadError("reset"), "dropped while receiving"),
        (httpx.WriteError("reset"), "dropped while sending"),
    ],
)
def test_network_failures_are_unreachable_with_the_cause_in_words(exc, words):
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with client_for(handler) as client:
        with pytest.raises(AgencyUnreachable) as err:
            client.sync(b"x")
    assert words in err.value.cause


def test_a_sign_in_page_is_not_taken_for_the_agency():
    page = httpx.Response(200, text="<html>Sign in to Cafe WiFi</html>")
    page.headers["content-type"] = "text/html; charset=utf-8"
    with client_for(lambda r: page) as client:
        with pytest.raises(AgencyUnreachable, match="sign-in page"):
            client.sync(b"x")


def test_a_malformed_answer_is_a_protocol_error():
    with client_for(lambda r: msgpack_response(200, b"\x81\xa1v\x01")) as client:
        with pytest.raises(ProtocolError):
            client.sync(b"x")


def test_an_answer_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(client_module, "MAX_RESPONSE_BYTES", 100)
    with client_for(lambda r: msgpack_response(200, b"\0" * 101)) as client:
        with pytest.raises(ProtocolError, match="larger than 100"):
            client.sync(b"x")

    def streamed(request: httpx.Request) -> httpx.Response:  # no content-length
        return httpx.Response(200, content=iter([b"\0" * 60, b"\0" * 60]))

    with client_for(streamed) as client:
        with pytest.raises(ProtocolError, match="larger than 100"):
            client.sync(b"x")


def test_sync_without_a_credential_is_refused():
    with AgencyClient(URL, transport=httpx.MockTransport(lambda r: httpx.Response(200))) as c:
        with pytest.raises(ConfigError):
            c.sync(b"x")


# -- enroll, ping, bundle ------------------------------------------------------------------


def test_enroll_sends_the_public_keys_as_hex_and_parses_the_answer():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"device_id": "d-1", "credential": "k" * 43, "bundle": "beef"}
        )

    with AgencyClient(URL, transport=httpx.MockTransport(handler)) as client:
        answer = client.enroll(
            code="C", device_id="d-1", label="lap", sign_pub=b"\1" * 32, box_pub=b"\2" * 32
        )
    assert answer.bundle == b"\xbe\xef" and answer.credential == "k" * 43
    assert "k" * 43 not in repr(answer)
    sent = json.loads(seen[0].content)
    assert sent == {
        "code": "C",
        "device_id": "d-1",
        "label": "lap",
        "sign_pub": "01" * 32,
        "box_pub": "02" * 32,
    }


@pytest.mark.parametrize(
    ("status", "body", "code", "detail"),
    [
        (403, {"detail": "unknown, expired or used", "code": "bad_code"}, "bad_code", "unknown"),
        (409, {"detail": "exists", "code": "device_exists"}, "device_exists", "exists"),
        (422, {"detail": [{"loc": ["body", "label"], "msg": "too long"}]}, "http_422", "malformed"),
    ],
)
def test_enroll_errors_map_to_rejections(status, body, code, detail):
    handler = httpx.MockTransport(lambda r: httpx.Response(status, json=body))
    with AgencyClient(URL, transport=handler) as client:
        with pytest.raises(AgencyRejected) as err:
            client.enroll(code="C", device_id="d", label="l", sign_pub=b"", box_pub=b"")
    assert (err.value.status, err.value.code) == (status, code)
    assert detail in err.value.detail


@pytest.mark.parametrize(
    "body",
    [
        {"device_id": "d", "credential": "short", "bundle": "beef"},
        {"device_id": "d", "credential": "k" * 43, "bundle": "not hex"},
        {"device_id": 5, "credential": "k" * 43, "bundle": "beef"},
        ["not", "a", "map"],
    ],
)
def test_a_malformed_enroll_answer_is_a_protocol_error(body):
    handler = httpx.MockTransport(lambda r: httpx.Response(200, json=body))
    with AgencyClient(URL, transport=handler) as client:
        with pytest.raises(ProtocolError):
            client.enroll(code="C", device_id="d", label="l", sign_pub=b"", box_pub=b"")


def test_ping_and_bundle():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/ping":
            return httpx.Response(200, json={"ok": True, "protocol": 1, "agency": "A"})
        return httpx.Response(200, content=b"bundle bytes")

    with AgencyClient(URL, transport=httpx.MockTransport(handler)) as client:
        info = client.ping()
        assert (info.ok, info.protocol, info.agency) == (True, 1, "A")
        assert client.bundle() == b"bundle bytes"


# -- the review API: answers checked by the shapes of peerdesk.wire.review --------------------

UPPER = "0190F0C0-0000-7000-8000-00000000000A"
RECORD = {
    "seq": 7, "device_id": UPPER, "op_id": BID, "kind": "note", "entity_id": BID,
    "key_id": "k1", "dictionary": "notes-v1", "sealed": "beef", "received_at": "2026-03-02",
}  # fmt: skip


def _review_client(answer: object) -> AgencyClient:
    return client_for(lambda request: httpx.Response(200, json=answer))


def test_review_answers_become_the_device_values():
    with _review_client({"records": [RECORD], "more": True, "added_later": 1}) as client:
        page = client.review_records(0, 10)
    [record] = page.records
    assert page.more and record.sealed == b"\xbe\xef" and record.seq == 7
    assert record.device_id == UPPER.lower()  # UUIDs in lower case, as before
    grant = {"key_id": "k1", "sealed": "00ff", "not_after": ""}
    with _review_client({"grants": [grant]}) as client:
        [got] = client.review_keys()
    assert (got.key_id, got.sealed, got.not_after) == ("k1", b"\x00\xff", "")
    device = {
        "device_id": BID, "label": "lap", "box_pub": "02" * 32, "revoked": False,
        "enrolled_at": "2026-03-01",
    }  # fmt: skip
    with _review_client({"devices": [device]}) as client:
        [laptop] = client.review_devices()
    assert laptop.box_pub == b"\2" * 32 and not laptop.revoked
    with _review_client({"state": "approved", "event_seq": 3}) as client:
        answer = client.decide(
            device_id=BID, note_id=BID, decision="approved", seen_seq=1, reviewer="Sam",
            sealed_feedback=b"x",
        )  # fmt: skip
    assert (answer.state, answer.event_seq) == ("approved", 3)


@pytest.mark.parametrize(
    ("call", "answer", "where"),
    [
        ("records", {"records": [{**RECORD, "op_id": "not-a-uuid"}], "more": False}, "op_id"),
        ("records", {"records": [{**RECORD, "seq": "7"}], "more": False}, "seq"),
        ("records", {"records": [RECORD]}, "more"),
        ("records", {"records": [{**RECORD, "sealed": "xyz"}], "more": False}, "sealed"),
        ("events", {"events": "none", "more": False}, "events"),
        # the agency always sends the key's expiry ("" for the current key)
        ("keys", {"grants": [{"key_id": "k1", "sealed": "00"}]}, "not_after"),
        ("devices", {"devices": [{"device_id": BID}]}, "label"),
        ("keys", ["not", "a", "map"], "the answer"),
    ],
)
def test_a_malformed_review_answer_is_a_protocol_error_naming_the_field(call, answer, where):
    with _review_client(answer) as client:
        with pytest.raises(ProtocolError) as err:
            if call == "records":
                client.review_records(0)
            elif call == "events":
                client.review_events(0)
            elif call == "keys":
                client.review_keys()
            else:
                client.review_devices()
    assert where in err.value.reason


def test_a_supervisor_enrollment_answer_needs_its_name_and_a_uuid():
    answer = {
        "supervisor_id": UPPER, "credential": "k" * 43, "team": "north", "name": "Sam",
        "bundle": "beef",
    }  # fmt: skip
    enroll = {"code": "C", "supervisor_id": BID, "name": "Sam", "sign_pub": b"", "box_pub": b""}
    with _review_client(answer) as client:
        done = client.enroll_supervisor(**enroll)
    assert (done.supervisor_id, done.name, done.bundle) == (UPPER.lower(), "Sam", b"\xbe\xef")
    without_name = {k: v for k, v in answer.items() if k != "name"}
    for bad in (
        without_name,
        {**answer, "supervisor_id": "s-1"},
        {**answer, "credential": "k\n" * 20},
    ):
        with _review_client(bad) as client, pytest.raises(ProtocolError):
            client.enroll_supervisor(**enroll)


# -- URLs, TLS and timeouts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://agency.example.org", "http://10.0.0.5:8000", "ftp://agency.example.org"]
)
def test_plain_http_to_another_computer_is_refused(url):
    with pytest.raises(ConfigError):
        AgencyClient(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:8765"])
def test_plain_http_to_this_computer_is_allowed_for_the_demo(url):
    AgencyClient(url).close()


def test_an_unusable_ca_certificate_is_a_config_error():
    with pytest.raises(ConfigError, match="CA certificate"):
        AgencyClient(URL, ca_pem="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")


def test_timeouts_are_split_for_slow_links():
    with AgencyClient(URL) as client:
        t = client._http.timeout
    assert (t.connect, t.read, t.write, t.pool) == (20.0, 90.0, 90.0, 10.0)
