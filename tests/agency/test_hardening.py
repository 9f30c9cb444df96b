"""Issue 22, tried as an attacker would, in process (the real ``serve`` is in
test_serve_attacks.py): enrollment limits that nobody can turn against valid
codes and that every worker shares, sync bodies that are not read without a
credential and not more than a few at once, keyed code hashes, the health
routes and the refusal lines of the log."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import select, text

from peerdesk.agency.app import create_app
from peerdesk.agency.events import JsonLines
from peerdesk.agency.files import code_key_path, load_code_key
from peerdesk.agency.ratelimit import RateLimit, address_bucket
from peerdesk.agency.server import hash_code, keyed_code_hash
from peerdesk.agency.tables import enrollment_codes
from peerdesk.wire.protocol import CONTENT_TYPE, decode_error, decode_response
from tests.agency.serve_process import wait_for
from tests.agency.support import BOTH_BACKENDS, Agency, ASGIClient, FieldSupervisor

WRONG = "ZZZZZ-ZZZZZ"


class From(ASGIClient):
    """An HTTP client to the app that appears to come from ``address``."""

    def __init__(self, app: Any, address: str) -> None:
        super().__init__(app)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 40000)),
            base_url="http://agency.test",
        )


def _enroll(client: ASGIClient, agency: Agency, code: str) -> httpx.Response:
    return client.post("/v1/enroll", json=agency.new_device().enroll_json(code))


# --- enrollment limits ------------------------------------------------------------------


def test_a_valid_code_from_a_fresh_address_enrolls_after_220_wrong_codes_from_22_addresses(
    agency: Agency,
) -> None:
    """The finding: 220 wrong codes from 22 addresses made every code 429 for 15
    minutes (an overall limit). Now each of the 22 is limited, nobody else is."""
    limits = agency.app.state.enroll_limits
    attackers = [From(agency.app, f"203.0.113.{i}") for i in range(1, 23)]
    fresh = From(agency.app, "198.51.100.77")
    try:
        for n, attacker in enumerate(attackers):
            for i in range(10):
                answer = _enroll(attacker, agency, f"{n:02d}{i:03d}-WRONG")  # 220 codes
                assert answer.status_code == 403, answer.text
        assert all(_enroll(a, agency, WRONG).status_code == 429 for a in attackers[:3])
        assert limits.counted("203.0.113.5") == limits.per_address
        assert _enroll(fresh, agency, agency.code()).status_code == 200
        supervisor = FieldSupervisor()
        answer = fresh.post("/v1/supervisor/enroll", json=supervisor.enroll_json(agency.invite()))
        assert answer.status_code == 200, answer.text
    finally:
        for client in (*attackers, fresh):
            client.close()


def test_one_code_refused_from_many_addresses_is_limited_for_that_code_only(
    agency: Agency,
) -> None:
    limits = agency.app.state.enroll_limits
    clients = [From(agency.app, f"192.0.2.{i}") for i in range(1, limits.per_code + 2)]
    try:
        for client in clients[: limits.per_code]:
            assert _enroll(client, agency, WRONG).status_code == 403
        # the same code (however it is typed) from an address that never tried: 429
        late = clients[-1]
        answer = _enroll(late, agency, "zzzzz zzzzz")
        assert answer.status_code == 429 and answer.json()["code"] == "rate_limited"
        assert int(answer.headers["retry-after"]) >= 1
        # that address is not limited for another code
        assert _enroll(late, agency, agency.code()).status_code == 200
    finally:
        for client in clients:
            client.close()


def test_an_ipv6_address_counts_by_its_64_network() -> None:
    assert address_bucket("2001:db8:1:2::1") == address_bucket("2001:db8:1:2:ffff::9")
    assert address_bucket("2001:db8:1:2::1") != address_bucket("2001:db8:1:3::1")
    assert address_bucket("::ffff:203.0.113.7") == address_bucket("203.0.113.7")


@BOTH_BACKENDS
def test_two_app_instances_on_one_database_share_the_counts(
    agency: Agency, storage_factory: Any
) -> None:
    """Two workers (two apps, each with its own connection pool) on one database:
    refusals counted by one hold at the other."""
    second = create_app(agency.settings, storage=storage_factory(), clock=agency.clock)
    first_from = From(agency.app, "203.0.113.50")
    second_from = From(second, "203.0.113.50")
    other = From(second, "198.51.100.50")
    try:
        per_address = agency.app.state.enroll_limits.per_address
        for i in range(per_address):
            client = first_from if i % 2 else second_from
            assert _enroll(client, agency, WRONG if i % 2 else f"{i:05d}-WRONG").status_code == 403
        assert _enroll(first_from, agency, agency.code()).status_code == 429
        assert _enroll(second_from, agency, agency.code()).status_code == 429
        assert second.state.enroll_limits.counted("203.0.113.50") == per_address
        assert _enroll(other, agency, agency.code()).status_code == 200
    finally:
        for client in (first_from, second_from, other):
            client.close()


# --- sync bodies --------------------------------------------------------------------------


def _raw_sync(app: Any, authorization: bytes, chunks: int = 32) -> tuple[int, int, list[Any]]:
    """POST /v1/sync straight to the ASGI app with a 2 MB body offered in 64 KiB
    chunks; (status, chunks the app read, messages sent)."""
    reads = 0
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        more = reads < chunks
        return {"type": "http.request", "body": b"\x00" * 65536, "more_body": more}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/v1/sync", "raw_path": b"/v1/sync", "query_string": b"",
        "root_path": "", "client": ("203.0.113.7", 5000), "server": ("agency.test", 80),
        "headers": [
            (b"content-type", CONTENT_TYPE.encode()),
            (b"content-length", str(chunks * 65536).encode()),
            (b"authorization", authorization),
        ],
    }  # fmt: skip

    async def main() -> None:
        await app(scope, receive, send)

    anyio.run(main)
    return int(sent[0]["status"]), reads, sent


def test_a_sync_without_a_devices_credential_is_answered_before_any_body_is_read(
    agency: Agency,
) -> None:
    for authorization in (b"Bearer " + b"A" * 43, b"Basic dXNlcjpwYXNz", b""):
        status, reads, _ = _raw_sync(agency.app, authorization)
        assert (status, reads) == (401, 0)
    # a device's credential: the body is read (all of it) and judged
    device = agency.enrolled_device()
    status, reads, _ = _raw_sync(agency.app, f"Bearer {device.credential}".encode())
    assert (status, reads) == (400, 32)


def _take_all(slots: Any) -> int:
    taken = 0
    while slots.try_acquire():
        taken += 1
    return taken


def test_when_every_body_slot_and_the_waiting_room_are_taken_a_sync_is_503_busy(
    agency: Agency,
) -> None:
    device = agency.enrolled_device()
    slots = agency.app.state.body_slots
    taken = _take_all(slots)
    assert taken == agency.settings.sync_body_slots == 8
    try:
        for waiting, wait_s in ((0, 10.0), (64, 0.05)):  # the room is full; the wait ends
            slots.waiting, slots.wait_s = waiting, wait_s
            status, reads, sent = _raw_sync(agency.app, f"Bearer {device.credential}".encode())
            assert (status, reads) == (503, 0)
            headers = dict(sent[0]["headers"])
            assert int(headers[b"retry-after"]) >= 1
            assert decode_error(sent[1]["body"]).code == "busy"
            assert slots.waiters == 0
    finally:
        for _ in range(taken):
            slots.release()
    answer = agency.sync(device, device.batch([device.note()]))
    assert answer.status_code == 200 and len(decode_response(answer.content).acks) == 1


def test_a_sync_waits_for_a_body_slot_and_gets_the_next_one_freed(agency: Agency) -> None:
    device = agency.enrolled_device()
    slots = agency.app.state.body_slots
    taken = _take_all(slots)
    slots.wait_s = 300.0  # a deadline only: the slot is freed as soon as the sync waits
    answers: list[httpx.Response] = []
    sender = threading.Thread(
        target=lambda: answers.append(agency.sync(device, device.batch([device.note()])))
    )
    sender.start()
    try:
        wait_for(lambda: slots.waiters == 1, "the sync to wait for a slot")
        assert not answers
        slots.release()
        taken -= 1
        sender.join(60)
        assert not sender.is_alive()
        assert answers[0].status_code == 200
        # it gave its slot back: exactly one is free again
        assert slots.try_acquire() and not slots.try_acquire()
        taken += 1
    finally:
        for _ in range(taken):
            slots.release()


def _scope(path: str, authorization: bytes, content_type: str = CONTENT_TYPE) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("203.0.113.7", 5000), "server": ("agency.test", 80),
        "headers": [
            (b"content-type", content_type.encode()),
            (b"content-length", b"1000"),
            (b"authorization", authorization),
        ],
    }  # fmt: skip


async def _trickle(app: Any, scope: dict[str, Any], answers: list[Any], reads: list[int]) -> None:
    """Headers and one byte of the body, then nothing (slowloris); the answer's
    status goes to ``answers``."""
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        reads.append(1)
        if len(reads) == 1:
            return {"type": "http.request", "body": b"\x00", "more_body": True}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    answers.append(int(sent[0]["status"]) if sent else None)


async def _send_whole(app: Any, scope: dict[str, Any], body: bytes) -> tuple[int, bytes]:
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(sent[0]["status"]), b"".join(m.get("body", b"") for m in sent[1:])


async def _until(condition: Any, timeout: float = 60.0) -> None:
    with anyio.fail_after(timeout):
        while not condition():
            await anyio.sleep(0.01)


def test_bodies_trickled_by_enrolled_laptops_time_out_and_free_their_slots(agency: Agency) -> None:
    """Slowloris from enrolled laptops: every slot held by a body that never
    arrives. Each is answered 408 at its deadline and frees its slot; another
    laptop's sync waits for one and succeeds."""
    slots = agency.app.state.body_slots
    slots.read_timeout_s = 0.2
    slots.wait_s = 120.0  # generous: the victim only waits for the deadlines
    slow = [agency.enrolled_device(f"slow {i}") for i in range(slots.slots // 2)]
    victim = agency.enrolled_device("victim")
    raw = victim.batch([victim.note()])
    answers: list[Any] = []
    outcome: dict[str, Any] = {}

    async def main() -> None:
        with anyio.fail_after(150):  # generous: without the deadline the victim is 503
            await run()

    async def run() -> None:
        async with anyio.create_task_group() as tg:
            for device in slow:
                for _ in range(2):
                    scope = _scope("/v1/sync", f"Bearer {device.credential}".encode())
                    tg.start_soon(_trickle, agency.app, scope, answers, [])
            await _until(lambda: slots.free == 0)  # every slot taken, bodies unread
            assert not answers
            scope = _scope("/v1/sync", f"Bearer {victim.credential}".encode())
            scope["headers"][1] = (b"content-length", str(len(raw)).encode())
            outcome["victim"] = await _send_whole(agency.app, scope, raw)

    anyio.run(main)
    status, body = outcome["victim"]
    assert status == 200 and len(decode_response(body).acks) == 1
    assert answers == [408] * slots.slots
    assert slots.free == slots.slots and slots.waiters == 0


def test_one_device_holds_at_most_two_body_slots(agency: Agency) -> None:
    slots = agency.app.state.body_slots
    slots.read_timeout_s = 300.0  # only the cap frees the others here
    greedy = agency.enrolled_device("greedy")
    other = agency.enrolled_device("other")
    raw = other.batch([other.note()])
    answers: list[Any] = []
    outcome: dict[str, Any] = {}
    third_reads: list[int] = []

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(2):
                scope = _scope("/v1/sync", f"Bearer {greedy.credential}".encode())
                tg.start_soon(_trickle, agency.app, scope, answers, [])
            await _until(lambda: slots.held_by(greedy.device_id) == 2)
            # the third of the same device: busy at once, its body unread
            scope = _scope("/v1/sync", f"Bearer {greedy.credential}".encode())
            await _trickle(agency.app, scope, answers, third_reads)
            outcome["third"] = answers.pop()
            scope = _scope("/v1/sync", f"Bearer {other.credential}".encode())
            scope["headers"][1] = (b"content-length", str(len(raw)).encode())
            outcome["other"] = await _send_whole(agency.app, scope, raw)
            tg.cancel_scope.cancel()

    anyio.run(main)
    assert outcome["third"] == 503 and third_reads == []
    status, body = outcome["other"]
    assert status == 200 and len(decode_response(body).acks) == 1
    assert slots.free == slots.slots and slots.held_by(greedy.device_id) == 0


def test_a_json_body_that_never_arrives_whole_is_408(agency: Agency) -> None:
    supervisor = agency.enrolled_supervisor()
    agency.app.state.body_slots.read_timeout_s = 0.2
    answers: list[Any] = []
    bearer = f"Bearer {supervisor.credential}".encode()

    async def main() -> None:
        with anyio.fail_after(60):  # a generous bound: without the deadline it never ends
            for path, auth in (
                ("/v1/enroll", b""),
                ("/v1/supervisor/enroll", b""),
                ("/v1/review/decisions", bearer),
            ):
                await _trickle(agency.app, _scope(path, auth, "application/json"), answers, [])

    anyio.run(main)
    assert answers == [408, 408, 408]


def test_the_enrollment_limits_read_their_body_within_the_deadline(agency: Agency) -> None:
    async def never(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the app behind must not run")

    limiter = RateLimit(never, agency.app.state.enroll_limits, timeout_of=lambda: 0.2)
    answers: list[Any] = []

    async def main() -> None:
        with anyio.fail_after(60):  # a generous bound: without the deadline it never ends
            await _trickle(limiter, _scope("/v1/enroll", b"", "application/json"), answers, [])

    anyio.run(main)
    assert answers == [408]


def test_a_decision_without_a_supervisors_credential_is_401_before_any_body_is_read(
    agency: Agency,
) -> None:
    device = agency.enrolled_device()
    supervisor = agency.enrolled_supervisor()
    for authorization in (
        b"",
        b"Bearer " + b"A" * 43,
        f"Bearer {device.credential}".encode(),  # a device's is unknown here
    ):
        reads: list[int] = []
        sent: list[Any] = []

        async def receive(reads: list[int] = reads) -> dict[str, Any]:
            reads.append(1)
            return {"type": "http.request", "body": b'{"x": "y"}', "more_body": False}

        async def send(message: Any, sent: list[Any] = sent) -> None:
            sent.append(message)

        scope = _scope("/v1/review/decisions", authorization, "application/json")
        anyio.run(agency.app, scope, receive, send)
        assert (int(sent[0]["status"]), reads) == (401, [])
        assert json.loads(sent[1]["body"])["code"] == "unauthorized"
    # with the credential the body is read and judged: 422 naming the fields
    answer = agency.client.post(
        "/v1/review/decisions", json={"x": "y"}, headers=supervisor.headers()
    )
    assert answer.status_code == 422 and answer.json()["code"] == "malformed"
    assert "device_id" in answer.json()["detail"]


# --- keyed code hashes ------------------------------------------------------------------


def test_codes_are_stored_as_hmac_with_a_private_key_file(agency: Agency) -> None:
    code = agency.code()
    key = load_code_key(agency.settings)
    path = code_key_path(agency.settings)
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = agency.storage.db.rows(
        select(enrollment_codes.c.code_hash, enrollment_codes.c.hash_kind)
    )
    assert [(bytes(r.code_hash), r.hash_kind) for r in stored] == [
        (keyed_code_hash(code, key), "hmac")
    ]
    assert bytes(stored[0].code_hash) != hash_code(code)


def test_a_code_issued_before_keyed_hashes_still_enrolls_once(agency: Agency) -> None:
    with agency.storage.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO enrollment_codes (code_hash, created_at, expires_at, hash_kind) "
                "VALUES (:h, '2026-01-01', '9999-12-31', 'sha256')"
            ),
            {"h": hash_code("OLDC0-DE123")},
        )
    assert _enroll(agency.client, agency, "oldco-de123").status_code == 200
    assert _enroll(agency.client, agency, "OLDC0-DE123").status_code == 403


# --- health -----------------------------------------------------------------------------


def test_healthz_says_the_process_answers_and_readyz_that_the_database_does(
    agency: Agency,
) -> None:
    assert agency.client.get("/healthz").json() == {"ok": True}
    assert agency.client.get("/readyz").json() == {"ok": True}
    database = agency.settings.directory / "agency.db"
    agency.storage.engine.dispose()
    moved = database.with_name("moved")
    moved.mkdir()
    for path in database.parent.glob("agency.db*"):
        path.rename(moved / path.name)
    database.mkdir()  # a directory where the database was: it cannot be opened
    try:
        answer = agency.client.get("/readyz")
        assert answer.status_code == 503 and answer.json()["code"] == "unavailable"
        assert agency.client.get("/healthz").status_code == 200
    finally:
        database.rmdir()
        for path in moved.iterdir():
            path.rename(database.parent / path.name)
    assert agency.client.get("/readyz").status_code == 200


# --- refusals in the log ----------------------------------------------------------------


def test_refusals_leave_json_lines_without_secrets(
    agency: Agency, caplog: pytest.LogCaptureFixture
) -> None:
    device = agency.enrolled_device()
    guesser = From(agency.app, "203.0.113.99")
    caplog.set_level(logging.WARNING, logger="peerdesk.agency.events")
    try:
        for _ in range(agency.app.state.enroll_limits.per_address):
            assert _enroll(guesser, agency, WRONG).status_code == 403
        assert _enroll(guesser, agency, WRONG).status_code == 429
    finally:
        guesser.close()
    wrong_credential = "W" * 43
    assert (
        agency.sync(device, b"junk", Authorization=f"Bearer {wrong_credential}").status_code == 401
    )
    assert agency.sync(device, b"junk").status_code == 400
    formatter = JsonLines(logging.Formatter())
    lines = [formatter.format(r) for r in caplog.records if r.name == "peerdesk.agency.events"]
    events = [json.loads(line) for line in lines]
    assert [e["event"] for e in events] == ["enroll_refused"] * 10 + [
        "rate_limited", "sync_rejected", "sync_rejected",
    ]  # fmt: skip
    assert events[0] == {
        "at": events[0]["at"], "level": "WARNING", "pid": os.getpid(), "event": "enroll_refused",
        "route": "/v1/enroll", "address": "203.0.113.99", "status": 403, "code": "bad_code",
    }  # fmt: skip
    assert events[10]["retry_after"] >= 1 and events[10]["status"] == 429
    assert events[11]["code"] == "unauthorized" and "device_id" not in events[11]
    assert events[12]["code"] == "malformed" and events[12]["device_id"] == device.device_id
    text_of_all = "\n".join(lines)
    for secret in (WRONG, "ZZZZZZZZZZ", wrong_credential, device.credential):
        assert secret not in text_of_all


def test_the_default_body_deadline_lets_a_batch_through_the_slowest_link() -> None:
    """The deadline against trickled bodies must not cut off an honest laptop on
    2G (32 kbit/s up): its default batch, with room for stalls, fits in it."""
    from peerdesk.agency.settings import DEFAULT_BODY_READ_TIMEOUT_S
    from peerdesk.wire.protocol import DEFAULT_BATCH_BYTES

    seconds_on_2g = DEFAULT_BATCH_BYTES / (32_000 / 8)
    assert DEFAULT_BODY_READ_TIMEOUT_S >= 3 * seconds_on_2g
