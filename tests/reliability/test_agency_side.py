"""The agency side, against the real app (and its storage on SQLite and PostgreSQL):

* a device cannot act as another device, cannot overwrite another device's records
  and never receives another device's feedback, whatever it claims in a batch;
* a revoked device is refused with a signed wipe order, and a real laptop that
  contacts the agency erases itself (its profile no longer opens);
* enrollment attempts are rate-limited per client address (device codes and
  supervisor invites): refused codes count, successes and malformed requests do
  not, another address is not affected, and the limit lifts after its window;
* SQL injection and path traversal attempts in every parameter (URL path, query,
  JSON fields, headers, batch fields) are harmless: no 5xx, nothing changed that
  should not be, no file or secret in any answer, and a value stored as data is
  stored exactly as sent;
* profile names cannot leave the profiles folder on the laptop.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import text

from peerdesk.agency import cli as agency_cli
from peerdesk.agency import keys
from peerdesk.agency.storage import Storage
from peerdesk.config import Provisioning
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import DeviceRevoked, ProfileWiped, ValidationError, VaultLocked
from peerdesk.ids import new_id
from peerdesk.link.sync import SyncOptions
from peerdesk.services import ProfileManager, Session
from peerdesk.wire.protocol import (
    Batch,
    Record,
    decode_error,
    decode_response,
    open_wipe_order,
)
from tests.agency.conftest import (  # noqa: F401 - fixtures used by name
    agency,
    agency_dir,
    backend,
    clock,
    key_template,
    pg_factory,
    pg_url,
    settings,
    sqlite_factory,
    storage,
    storage_factory,
)
from tests.agency.support import (
    BOTH_BACKENDS,
    Agency,
    ASGIClient,
    FieldSupervisor,
)
from tests.reliability.bridge import asgi_transport

# --- a device is only itself ------------------------------------------------------------------


def _records_of(store: Storage, device_id: str) -> dict[str, bytes]:
    return {
        r.op_id: r.sealed
        for r in store.records.find(device_id=device_id, limit=10**6, with_sealed=True)
    }


@BOTH_BACKENDS
def test_a_device_cannot_sync_as_another_device(agency: Agency) -> None:  # noqa: F811
    alice, bob = agency.enrolled_device("alice"), agency.enrolled_device("bob")
    stranger = SigningKeyPair.generate()
    attempts = {
        "bob's id, alice's credential and key": (
            alice.credential,
            Batch(bob.device_id, new_id(), 0, (bob.note(),), "x").encode(alice.sign),
        ),
        "bob's id and key, alice's credential": (
            alice.credential,
            Batch(bob.device_id, new_id(), 0, (bob.note(),), "x").encode(bob.sign),
        ),
        "alice's id and credential, bob's key": (
            alice.credential,
            Batch(alice.device_id, new_id(), 0, (alice.note(),), "x").encode(bob.sign),
        ),
        "alice's id and credential, an unknown key": (
            alice.credential,
            Batch(alice.device_id, new_id(), 0, (alice.note(),), "x").encode(stranger),
        ),
        "no credential": ("", alice.batch([alice.note()])),
    }
    for what, (credential, raw) in attempts.items():
        answer = agency.sync(alice, raw, Authorization=f"Bearer {credential}")
        assert answer.status_code in (401, 403), f"{what}: {answer.status_code}"
        assert decode_error(answer.content).code in ("unauthorized", "bad_signature"), what
    assert agency.storage.records.count() == 0


@BOTH_BACKENDS
def test_a_device_cannot_overwrite_or_take_over_another_devices_records(agency: Agency) -> None:  # noqa: F811
    alice, bob = agency.enrolled_device("alice"), agency.enrolled_device("bob")
    bobs = [bob.note(f"bob's note {i}") for i in range(3)]
    first = decode_response(agency.sync(bob, bob.batch(bobs)).content)
    before = _records_of(agency.storage, bob.device_id)
    # alice sends records with bob's op ids and entity ids, sealed by her
    copies = [alice.note("alice pretends", op_id=r.op_id, entity_id=r.entity_id) for r in bobs]
    answer = decode_response(agency.sync(alice, alice.batch(copies)).content)
    assert len(answer.acks) == 3
    assert _records_of(agency.storage, bob.device_id) == before  # untouched
    assert set(_records_of(agency.storage, alice.device_id)) == {r.op_id for r in bobs}
    # bob resending gets his own stored seqs back, not alice's
    again = decode_response(agency.sync(bob, bob.batch(bobs)).content)
    assert {a.op_id: a.seq for a in again.acks} == {a.op_id: a.seq for a in first.acks}


@BOTH_BACKENDS
def test_a_device_never_receives_another_devices_feedback(agency: Agency) -> None:  # noqa: F811
    alice, bob = (
        agency.enrolled_device("alice", team="north"),
        agency.enrolled_device("bob", team="north"),
    )
    note = bob.note("bob's note for review")
    assert agency.sync(bob, bob.batch([note])).status_code == 200
    supervisor = agency.enrolled_supervisor("north")
    decision = agency.client.post(
        "/v1/review/decisions",
        json={
            "device_id": bob.device_id,
            "note_id": note.entity_id,
            "decision": "returned",
            "seen_seq": 10**6,
            "reviewer": supervisor.name,
            "sealed_feedback": supervisor.feedback(
                bob.box.public_raw, bob.device_id, note.entity_id, "returned", "please fix"
            ),
        },
        headers=supervisor.headers(),
    )
    assert decision.status_code == 200, decision.text
    # alice asks for everything from the beginning, with bob's note id in her batch too
    spoof = alice.note("alice", entity_id=note.entity_id)
    for cursor in (0, 1):
        answer = decode_response(agency.sync(alice, alice.batch([spoof], cursor=cursor)).content)
        assert [i for i in answer.inbound if i.kind == "feedback"] == []
    got = decode_response(agency.sync(bob, bob.batch([], cursor=0)).content)
    assert [(i.kind, i.ref) for i in got.inbound if i.kind == "feedback"] == [
        ("feedback", note.entity_id)
    ]


def test_a_device_credential_opens_no_review_route(agency: Agency) -> None:  # noqa: F811
    device = agency.enrolled_device(team="north")
    assert agency.sync(device, device.batch([device.note()])).status_code == 200
    for path in (
        "/v1/review/keys",
        "/v1/review/devices",
        "/v1/review/records",
        "/v1/review/events",
    ):
        answer = agency.client.get(path, headers={"Authorization": f"Bearer {device.credential}"})
        assert answer.status_code == 401, path
        assert "sealed" not in answer.text


# --- a revoked device is refused and wiped -------------------------------------------------------

PASSPHRASE = "river stones and quiet mornings"


@pytest.fixture
def laptop(agency: Agency, tmp_path: Path) -> Iterator[Session]:  # noqa: F811
    """A real profile enrolled with the agency through its HTTP app."""
    session = ProfileManager(root=tmp_path / "laptop").create(
        "peer", PASSPHRASE, kdf_params=KdfParams.new()
    )
    provisioning = Provisioning(
        agency_name=agency.settings.name,
        agency_url="https://agency.example.org",
        root_public_key=agency.root_public,
        root_key_id=agency.root_key_id,
    )
    session.link.enroll(
        provisioning, agency.code(), "laptop to revoke", transport=asgi_transport(agency.client)
    )
    try:
        yield session
    finally:
        session.close()


def _sync(session: Session, agency: Agency) -> None:  # noqa: F811
    for _ in session.link.sync(
        SyncOptions(max_attempts=1), transport=asgi_transport(agency.client), sleep=lambda _s: None
    ):
        pass


def test_a_revoked_laptop_is_refused_and_erases_itself(
    agency: Agency,  # noqa: F811
    laptop: Session,
    make_draft,
) -> None:
    person = laptop.participants.add("Revoked Laptop Person").value
    laptop.notes.sign(laptop.notes.create_draft(make_draft(person.id)).value.id)
    _sync(laptop, agency)
    device_id = laptop._device.require().device_id
    stored_before = agency.storage.records.count(device_id)
    out = io.StringIO()
    assert (
        agency_cli.main(["revoke", "--dir", str(agency.settings.directory), device_id], out=out)
        == 0
    )
    laptop.participants.add("written after the revocation")
    with pytest.raises(DeviceRevoked):
        _sync(laptop, agency)
    assert laptop._vault.is_wiped
    assert agency.storage.records.count(device_id) == stored_before  # nothing more taken
    again = ProfileManager(root=laptop.path.parent.parent).open("peer")
    with pytest.raises(ProfileWiped):
        again.unlock(PASSPHRASE)
    again.close()
    with pytest.raises(VaultLocked):  # the device keys and the credential went with it
        laptop._device.secrets()


@BOTH_BACKENDS
def test_a_revoked_device_gets_403_and_a_wipe_order_on_every_request(agency: Agency) -> None:  # noqa: F811
    device = agency.enrolled_device()
    order = keys.make_wipe_order(agency.settings, device.device_id, agency.clock())
    agency.storage.devices.revoke(device.device_id, order, agency.clock())
    for _ in range(2):
        answer = agency.sync(device, device.batch([device.note()]))
        assert answer.status_code == 403
        error = decode_error(answer.content)
        assert error.code == "revoked" and error.wipe is not None
        assert open_wipe_order(error.wipe, agency.bundle(), device.device_id)["device"] == (
            device.device_id
        )
    assert agency.storage.records.count(device.device_id) == 0
    # and it cannot come back with a new code under the same id
    answer = agency.enroll(device, agency.code())
    assert answer.status_code == 409


# --- enrollment is rate-limited per address ---------------------------------------------------


class From(ASGIClient):
    """An HTTP client to the app that appears to come from ``address``."""

    def __init__(self, app, address: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 40000)),
            base_url="http://agency.test",
        )


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _bad_code() -> str:
    return "ZZZZZ-ZZZZZ"


def test_refused_enrollment_codes_are_rate_limited_per_address(agency: Agency) -> None:  # noqa: F811
    limits = agency.app.state.enroll_limits
    ticking = Ticking()
    limits.clock = ticking
    guesser, office = From(agency.app, "203.0.113.7"), From(agency.app, "198.51.100.20")
    try:
        for i in range(limits.per_address):
            answer = guesser.post("/v1/enroll", json=agency.new_device().enroll_json(_bad_code()))
            assert answer.status_code == 403, (i, answer.text)
        # malformed requests were not counted on the way: none reached a code
        refused = guesser.post("/v1/enroll", json=agency.new_device().enroll_json(_bad_code()))
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert int(refused.headers["retry-after"]) > 0
        # even a valid code from that address is not looked at (and stays unused)
        good = agency.code()
        device = agency.new_device()
        assert guesser.post("/v1/enroll", json=device.enroll_json(good)).status_code == 429
        # another address enrolls thirty laptops: successes never count
        for _ in range(30):
            assert (
                office.post(
                    "/v1/enroll", json=agency.new_device().enroll_json(agency.code())
                ).status_code
                == 200
            )
        for _ in range(5):
            bad = agency.new_device().enroll_json(agency.code())
            bad["label"] = "bell\x07in the label"  # malformed: 422, no code tried
            assert office.post("/v1/enroll", json=bad).status_code == 422
        assert limits.counted("198.51.100.20") == 0
        # after the window the guesser's address may try again; the code was kept
        ticking.now += limits.window_s + 1
        answer = guesser.post("/v1/enroll", json=device.enroll_json(good))
        assert answer.status_code == 200, answer.text
    finally:
        guesser.close()
        office.close()


def test_supervisor_invites_share_the_enrollment_limit(agency: Agency) -> None:  # noqa: F811
    limits = agency.app.state.enroll_limits
    client = From(agency.app, "203.0.113.9")
    try:
        for _ in range(limits.per_address):
            answer = client.post(
                "/v1/supervisor/enroll", json=FieldSupervisor().enroll_json(_bad_code())
            )
            assert answer.status_code == 403
        answer = client.post("/v1/enroll", json=agency.new_device().enroll_json(_bad_code()))
        assert answer.status_code == 429
        answer = client.post(
            "/v1/supervisor/enroll", json=FieldSupervisor().enroll_json(agency.invite())
        )
        assert answer.status_code == 429
    finally:
        client.close()


def test_the_429_answer_is_in_the_api_document(agency: Agency) -> None:  # noqa: F811
    doc = agency.client.get("/openapi.json").json()
    for path in ("/v1/enroll", "/v1/supervisor/enroll"):
        assert "429" in doc["paths"][path]["post"]["responses"], path


# --- SQL injection and path traversal --------------------------------------------------------

INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE records; --",
    "'); DELETE FROM devices; --",
    '" OR ""="',
    "1 UNION SELECT credential_hash FROM devices --",
    "x' AND pg_sleep(5) --",
    "%' OR 1=1 --",
    "../../../../etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fagency.toml",
    "/etc/shadow",
    "keys/root.key",
    "\x00' OR 1=1",
    "${jndi:ldap://127.0.0.1/a}",
    "{{7*7}}",
    "\u202e' --",
]
TRAVERSAL_PATHS = [
    "/../agency.toml",
    "/v1/../agency.toml",
    "/v1/bundle/../../keys/root.key",
    "/v1/%2e%2e/%2e%2e/keys/signing.key",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/v1/review/records/..%2f..%2fagency.db",
    "/keys/root.key",
    "/agency.db",
    "/v1/sync/../../../etc/passwd",
    "//etc/passwd",
    "/v1/bundle%00.json",
]


def _secrets_of(api: Agency) -> list[bytes]:
    """Things that must never appear in an answer."""
    out = [b"root:x:0:0", api.settings.settings_path.read_bytes()]
    for path in api.settings.keys_dir.iterdir():
        data = path.read_bytes()
        out.append(data)
        for line in data.splitlines():
            if b'"private' in line or b'"wrapped' in line:
                out.append(line.strip())
    return [s for s in out if s]


def _table_counts(store: Storage) -> dict[str, int]:
    with store.engine.connect() as conn:
        names = [
            "devices", "records", "batches", "outbound", "enrollment_codes", "agency_keys",
            "key_bundles",
        ]  # fmt: skip
        return {n: int(conn.execute(text(f"SELECT count(*) FROM {n}")).scalar_one()) for n in names}


@BOTH_BACKENDS
def test_injection_and_traversal_in_every_parameter_are_harmless(agency: Agency) -> None:  # noqa: F811
    device = agency.enrolled_device("injection target", team="north")
    assert agency.sync(device, device.batch([device.note()])).status_code == 200
    supervisor = agency.enrolled_supervisor("north")
    secrets = _secrets_of(agency)
    before = _table_counts(agency.storage)
    answers: list[httpx.Response] = []

    def call(method: str, path: str, **kw: object) -> httpx.Response:
        started = time.monotonic()
        answer = agency.client.request(method, path, **kw)  # type: ignore[arg-type]
        answers.append(answer)
        assert answer.status_code < 500, (method, path, kw, answer.text[:300])
        # an injected pg_sleep(5) that ran would show here
        assert time.monotonic() - started < 4.5, (method, path, kw)
        return answer

    for path in TRAVERSAL_PATHS:
        for method in ("GET", "POST"):
            assert call(method, path).status_code in (404, 405, 422), path
    for payload in INJECTIONS:
        # URL path segment and query parameters
        call("GET", f"/v1/{quote(payload, safe='')}")
        for route in ("/v1/review/records", "/v1/review/events"):
            for param in ("after", "limit"):
                assert (
                    call(
                        "GET", route, params={param: payload}, headers=supervisor.headers()
                    ).status_code
                    == 422
                )
        # headers (as bytes: a header may carry any byte but a line break)
        bearer = f"Bearer {payload}".encode()
        assert (
            call(
                "POST",
                "/v1/sync",
                content=device.batch([]),
                headers={**device.headers(), "Authorization": bearer},
            ).status_code
            == 401
        )
        assert call("GET", "/v1/review/keys", headers={"Authorization": bearer}).status_code == 401
        call(
            "POST",
            "/v1/sync",
            content=device.batch([]),
            headers={**device.headers(), "Content-Type": payload.encode()},
        )
        # every JSON field of enrollment, supervisor enrollment and decisions
        for field in ("code", "device_id", "label", "sign_pub", "box_pub"):
            body = agency.new_device().enroll_json(agency.code())
            body[field] = payload
            answer = call("POST", "/v1/enroll", json=body)
            if field == "label" and answer.status_code == 200:
                stored = agency.storage.devices.get(body["device_id"])
                assert stored.label == payload.strip()  # stored as data, exactly
        for field in ("code", "supervisor_id", "name", "sign_pub", "box_pub"):
            body = FieldSupervisor().enroll_json(agency.invite())
            body[field] = payload
            call("POST", "/v1/supervisor/enroll", json=body)
        for field in (
            "device_id",
            "note_id",
            "decision",
            "reviewer",
            "sealed_feedback",
            "seen_seq",
        ):
            body = {
                "device_id": device.device_id,
                "note_id": new_id(),
                "decision": "approved",
                "seen_seq": 1,
                "reviewer": "Sam",
                "sealed_feedback": "00" * 64,
                field: payload,
            }
            assert call(
                "POST", "/v1/review/decisions", json=body, headers=supervisor.headers()
            ).status_code in (404, 422)
        # every field of a signed batch (the signature is valid: the agency parses it)
        r = device.note()
        for hostile in (
            Record(r.op_id, payload[:32], r.entity_id, r.key_id, r.dictionary, r.sealed),
            Record(r.op_id, "note", r.entity_id, payload[:64], r.dictionary, r.sealed),
            Record(r.op_id, "note", r.entity_id, r.key_id, payload[:32], r.sealed),
        ):
            batch = Batch(device.device_id, new_id(), 0, (hostile,), payload[:40])
            answer = call(
                "POST", "/v1/sync", content=batch.encode(device.sign), headers=device.headers()
            )
            assert answer.status_code == 200
            assert decode_response(answer.content).rejects, (
                "a record with a hostile field was stored"
            )
    after = _table_counts(agency.storage)
    # what may have grown: devices and supervisors enrolled with hostile labels and
    # names (stored as data), their codes, and the batches answered
    assert after["records"] == before["records"]
    assert after["agency_keys"] == before["agency_keys"]
    assert after["key_bundles"] == before["key_bundles"]
    assert after["outbound"] == before["outbound"]
    assert after["devices"] >= before["devices"]
    assert agency.storage.devices.get(device.device_id).label == "injection target"
    for answer in answers:
        for secret in secrets:
            assert secret not in answer.content, f"{answer.request.url} answered with a secret"


@pytest.mark.parametrize(
    "name",
    [
        "../../outside",
        "..",
        ".",
        "a/b",
        "a\\b",
        "/etc",
        "C:\\x",
        "x\x00y",
        "profiles/../../x",
        " ",
        "~root",
    ],
)
def test_profile_names_cannot_leave_the_profiles_folder(tmp_path: Path, name: str) -> None:
    manager = ProfileManager(root=tmp_path / "data")
    with pytest.raises(ValidationError):
        manager.create(name, PASSPHRASE)
    with pytest.raises(ValidationError):
        manager.open(name)
    outside = [p for p in tmp_path.rglob("*") if not str(p).startswith(str(tmp_path / "data"))]
    assert outside == []
