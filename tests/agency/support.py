"""Helpers for the agency tests and the ingest benchmark (fixtures live in conftest.py).

:class:`FieldDevice` plays the laptop with the real device-side crypto (protocol
records sealed with HPKE, batches signed with Ed25519): nothing is mocked.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
import msgpack
import pytest
from sqlalchemy import text

from peerdesk.agency import keys
from peerdesk.agency.files import create_code_key, load_code_key
from peerdesk.agency.models import ReviewGrant, Supervisor
from peerdesk.agency.server import issue_enrollment_code
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage, make_engine
from peerdesk.agency.supervisors import issue_supervisor_invite, make_grants, open_grant
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair, seal
from peerdesk.domain.models import ContactType, LocationType, Note, NoteState, NoteTemplate
from peerdesk.ids import new_id
from peerdesk.wire import payloads
from peerdesk.wire.protocol import (
    CONTENT_TYPE,
    AgencyKey,
    Batch,
    KeyBundle,
    Record,
    feedback_info,
    open_bundle,
    open_record,
    seal_record,
)

SUPERVISOR_PASSPHRASE = "supervisor reads notes at the river office"
RECOVERY_PASSPHRASE = "offline recovery key kept in the county safe"
PG_URL = os.environ.get("PEERDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)

NOTE_TEXT = (
    "Met at the library. Talked through the housing application and the barriers with "
    "transport; practiced the phone call to the landlord together and wrote down the "
    "questions to ask. Participant reported sleeping better since the new schedule. "
)


class FakeClock:
    """A clock the tests move by hand (no sleeps)."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


# --- keys -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyTemplate:
    """Agency key files made once per test session (Argon2id is slow on purpose)."""

    directory: Path
    result: keys.InitResult


def make_key_template(directory: Path) -> KeyTemplate:
    settings = AgencySettings.create(
        directory, name="Template Agency", public_url="https://agency.example.org"
    )
    result = keys.create_keys(
        settings,
        supervisor_passphrase=SUPERVISOR_PASSPHRASE,
        recovery_passphrase=RECOVERY_PASSPHRASE,
        now=START,
        kdf_params=KdfParams.new(),
    )
    return KeyTemplate(directory, result)


def agency_from_template(template: KeyTemplate, directory: Path, **settings: Any) -> AgencySettings:
    """A new agency directory that reuses the template's key files."""
    created = AgencySettings.create(
        directory,
        name=settings.pop("name", "River Valley Peer Services"),
        public_url=settings.pop("public_url", "https://agency.example.org"),
        **settings,
    )
    shutil.copytree(template.directory / "keys", created.keys_dir)
    shutil.copy2(template.result.recovery_path, created.default_recovery_path)
    create_code_key(created)  # as init does
    return created


# --- databases ------------------------------------------------------------------------


@contextmanager
def postgres_schema(url: str = PG_URL) -> Iterator[Callable[[], Storage]]:
    """A uniquely named schema on the test server, dropped afterwards; yields a
    factory of Storage objects bound to it (each with its own pool)."""
    schema = f"pdtest_{secrets.token_hex(6)}"
    admin = make_engine(url, connect_args={"connect_timeout": 5})
    opened: list[Storage] = []
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def factory() -> Storage:
            storage = Storage(make_engine(url, connect_args={"options": f"-csearch_path={schema}"}))
            opened.append(storage)
            return storage

        yield factory
    finally:
        for storage in opened:
            storage.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def sqlite_file(path: Path) -> Iterator[Callable[[], Storage]]:
    opened: list[Storage] = []

    def factory() -> Storage:
        storage = Storage.from_url(f"sqlite:///{path}")
        opened.append(storage)
        return storage

    try:
        yield factory
    finally:
        for storage in opened:
            storage.close()


def postgres_problem(url: str = PG_URL) -> str | None:
    """Why PostgreSQL cannot be used for tests, or None if it can."""
    try:
        engine = make_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable", with its reason
        return f"PostgreSQL at {url} is not reachable ({type(exc).__name__})"
    return None


# --- the device -----------------------------------------------------------------------


def note_payload(text: str = NOTE_TEXT, *, participant_id: str | None = None) -> dict[str, Any]:
    """A realistic signed-note payload, made by the protocol's own payload function."""
    start = START - timedelta(days=1)
    note = Note(
        id=new_id(),
        participant_id=participant_id or new_id(),
        template=NoteTemplate.GIRP,
        contact_type=ContactType.IN_PERSON,
        location_type=LocationType.COMMUNITY,
        start_at=start,
        end_at=start + timedelta(minutes=50),
        body={
            "goal": "Keep stable housing through the winter.",
            "intervention": text,
            "response": "Made the call and got a payment plan; proud of it.",
            "plan": "Drive to the county office Thursday to hand in the form.",
        },
        goals=("housing", "transport"),
        state=NoteState.SIGNED,
        created_at=start,
        updated_at=start,
        signed_at=start + timedelta(hours=2),
    )
    return payloads.note_payload(note)


class FieldDevice:
    """A laptop: its own keys, enrollment and signed batches of sealed records."""

    def __init__(self, root_public: bytes, root_key_id: str, label: str = "Field laptop 7") -> None:
        self.device_id = new_id()
        self.label = label
        self.sign = SigningKeyPair.generate()
        self.box = BoxKeyPair.generate()
        self.root_public = root_public
        self.root_key_id = root_key_id
        self.credential = ""
        self._bundle: KeyBundle | None = None

    def enroll_json(self, code: str) -> dict[str, str]:
        return {
            "code": code,
            "device_id": self.device_id,
            "label": self.label,
            "sign_pub": self.sign.public_raw.hex(),
            "box_pub": self.box.public_raw.hex(),
        }

    def accept_enrollment(self, answer: dict[str, Any]) -> None:
        assert answer["device_id"] == self.device_id
        self.credential = answer["credential"]
        self.set_bundle(bytes.fromhex(answer["bundle"]))

    def set_bundle(self, blob: bytes) -> KeyBundle:
        self._bundle = open_bundle(blob, self.root_public, self.root_key_id)
        return self._bundle

    @property
    def bundle(self) -> KeyBundle:
        assert self._bundle is not None, "enroll first"
        return self._bundle

    def record(
        self,
        payload: dict[str, Any],
        *,
        kind: str = "note",
        key: AgencyKey | None = None,
        op_id: str | None = None,
        entity_id: str | None = None,
    ) -> Record:
        key = key or (self.bundle.recovery if kind == "escrow" else self.bundle.current_review)
        return seal_record(
            payload,
            device_id=self.device_id,
            kind=kind,
            entity_id=entity_id or new_id(),
            op_id=op_id or new_id(),
            key_id=key.key_id,
            recipient_public=key.public,
        )

    def note(self, text: str = NOTE_TEXT, **kw: Any) -> Record:
        return self.record(note_payload(text), **kw)

    def escrow(self, secret: bytes, escrow_id: str | None = None) -> Record:
        return self.record({"secret": secret, "escrow_id": escrow_id or new_id()}, kind="escrow")

    def batch(
        self,
        records: Sequence[Record],
        *,
        cursor: int = 0,
        batch_id: str | None = None,
        signer: SigningKeyPair | None = None,
    ) -> bytes:
        batch = Batch(
            self.device_id, batch_id or new_id(), cursor, tuple(records), "2026-05-04T09:30:00Z"
        )
        return batch.encode(signer or self.sign)

    def headers(self, credential: str | None = None) -> dict[str, str]:
        return {
            "Content-Type": CONTENT_TYPE,
            "Authorization": f"Bearer {credential if credential is not None else self.credential}",
        }


class FieldSupervisor:
    """A supervisor's PeerDesk: its own keys, enrollment, review credential; opens
    its grants and the records with them; seals feedback to a device."""

    def __init__(self, name: str = "Sam Okafor") -> None:
        self.supervisor_id = new_id()
        self.name = name
        self.sign = SigningKeyPair.generate()
        self.box = BoxKeyPair.generate()
        self.credential = ""
        self.team = ""

    def enroll_json(self, code: str) -> dict[str, str]:
        return {
            "code": code,
            "supervisor_id": self.supervisor_id,
            "name": self.name,
            "sign_pub": self.sign.public_raw.hex(),
            "box_pub": self.box.public_raw.hex(),
        }

    def accept_enrollment(self, answer: dict[str, Any]) -> None:
        assert answer["supervisor_id"] == self.supervisor_id
        self.credential = answer["credential"]
        self.team = answer["team"]

    def headers(self, credential: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential if credential is None else credential}"}

    def open_grants(self, grants: Sequence[dict[str, Any]]) -> dict[str, BoxKeyPair]:
        """The ``grants`` of ``GET /v1/review/keys``, opened with this box key."""
        out = {}
        for g in grants:
            grant = ReviewGrant(self.supervisor_id, g["key_id"], bytes.fromhex(g["sealed"]))
            out[g["key_id"]] = open_grant(grant, self.box)
        return out

    def open_record(self, rec: dict[str, Any], keys_by_id: dict[str, BoxKeyPair]) -> dict[str, Any]:
        """A record of ``GET /v1/review/records``, opened (SealBroken / KeyError if not)."""
        record = Record(
            rec["op_id"], rec["kind"], rec["entity_id"], rec["key_id"], rec["dictionary"],
            bytes.fromhex(rec["sealed"]),
        )  # fmt: skip
        return open_record(record, rec["device_id"], keys_by_id[rec["key_id"]])

    def feedback(
        self, device_box_pub: bytes, device_id: str, note_id: str, decision: str, comment: str
    ) -> str:
        """Sealed feedback as the supervisor's app makes it, hex."""
        doc = {"decision": decision, "comment": comment, "reviewer": self.name, "at": "2026-05-04"}
        sealed = seal(
            msgpack.packb(doc, use_bin_type=True), device_box_pub, feedback_info(device_id, note_id)
        )
        return sealed.hex()


_OPENED_REVIEW_KEYS: dict[Path, BoxKeyPair] = {}


def review_key_pairs(settings: AgencySettings) -> list[BoxKeyPair]:
    """Every review key of the agency, opened with the test passphrase (each key file
    once per session: Argon2id is slow on purpose)."""
    out = []
    for path in keys.review_key_files(settings):
        name = path.name
        cached = next((p for f, p in _OPENED_REVIEW_KEYS.items() if f.name == name), None)
        if cached is None:
            cached = keys.load_review_key_file(path, SUPERVISOR_PASSPHRASE)
            _OPENED_REVIEW_KEYS[path] = cached
        out.append(cached)
    return out


def random_uuid() -> str:
    return str(uuid.uuid4())


# --- a synchronous client for an ASGI app ---------------------------------------------


class ASGIClient(AbstractContextManager["ASGIClient"]):
    """httpx over ``ASGITransport``, called from synchronous tests through an anyio
    blocking portal (what Starlette's TestClient does, without its deprecation)."""

    def __init__(self, app: Any, base_url: str = "http://agency.test") -> None:
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        call = functools.partial(self._client.request, method, url, **kwargs)
        return self._portal.call(call)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal_cm.__exit__(None, None, None)

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- a whole agency under test --------------------------------------------------------

#: run a test on both backends: ``@BOTH_BACKENDS`` (the ``backend`` fixture is indirect)
BOTH_BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@dataclass
class Agency:
    """An initialised agency (keys registered), its app and an HTTP client to it."""

    settings: AgencySettings
    storage: Storage
    clock: FakeClock
    app: Any
    client: ASGIClient
    root_public: bytes
    root_key_id: str

    def code(self, valid_for: timedelta = timedelta(hours=72), team: str = "") -> str:
        return issue_enrollment_code(
            self.storage, self.clock(), valid_for, key=load_code_key(self.settings), team=team
        )[0]

    def new_device(self, label: str = "Field laptop 7") -> FieldDevice:
        return FieldDevice(self.root_public, self.root_key_id, label)

    def enroll(self, device: FieldDevice, code: str | None = None) -> httpx.Response:
        return self.client.post("/v1/enroll", json=device.enroll_json(code or self.code()))

    def enrolled_device(self, label: str = "Field laptop 7", team: str = "") -> FieldDevice:
        device = self.new_device(label)
        answer = self.enroll(device, self.code(team=team))
        assert answer.status_code == 200, answer.text
        device.accept_enrollment(answer.json())
        return device

    def invite(
        self,
        team: str = "north",
        name: str = "Sam Okafor",
        valid_for: timedelta = timedelta(hours=72),
    ) -> str:
        return issue_supervisor_invite(
            self.storage,
            name=name,
            team=team,
            now=self.clock(),
            key=load_code_key(self.settings),
            valid_for=valid_for,
        )[0]

    def enroll_supervisor(self, supervisor: FieldSupervisor, code: str) -> httpx.Response:
        return self.client.post("/v1/supervisor/enroll", json=supervisor.enroll_json(code))

    def enrolled_supervisor(
        self, team: str = "north", name: str = "Sam Okafor", *, grant: bool = True
    ) -> FieldSupervisor:
        """A supervisor of ``team``, enrolled over HTTP and (by default) granted every
        review key, as ``peerdesk-agency supervisor grant`` does."""
        supervisor = FieldSupervisor(name)
        answer = self.enroll_supervisor(supervisor, self.invite(team, name))
        assert answer.status_code == 200, answer.text
        supervisor.accept_enrollment(answer.json())
        if grant:
            self.grant(supervisor.supervisor_id)
        return supervisor

    def grant(self, supervisor_id: str) -> None:
        registered = {k.key_id for k in self.storage.keys.all("review")}
        pairs = [p for p in review_key_pairs(self.settings) if p.key_id in registered]
        record: Supervisor = self.storage.supervisors.get(supervisor_id)
        self.storage.supervisors.put_grants(make_grants(record, pairs), self.clock())

    def review_get(self, supervisor: FieldSupervisor, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params, headers=supervisor.headers())

    def sync(self, device: FieldDevice, raw: bytes, **headers: str) -> httpx.Response:
        return self.client.post("/v1/sync", content=raw, headers={**device.headers(), **headers})

    def bundle(self) -> KeyBundle:
        blob = self.client.get("/v1/bundle").content
        return open_bundle(blob, self.root_public, self.root_key_id)


@dataclass
class Result:
    """What one ``peerdesk-agency`` command (run in-process) answered."""

    code: int
    out: str
    err: str


#: the ``run`` fixture: ``run("directory", "publish", ...)`` -> :class:`Result`
Run = Callable[..., Result]

#: the demo directory shipped with the app (HSDS JSON)
SEED_DIRECTORY = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"
