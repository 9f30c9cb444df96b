"""A malformed ``Authorization`` header is 401 on every authenticated route, even
when a valid credential can be read out of it; and a page query the OpenAPI
document does not allow (``after`` twice, ``after=0.0``) is 422.

From the OpenAPI fuzz test (``GET /v1/review/records`` negative,
``--hypothesis-seed=250209531533135775057681911091187452552``): schemathesis
reported ``?after=true&after=0.0`` with a malformed Authorization header answered
200. The request had in fact carried the supervisor's real credential (the fuzz
test put it in place of the generated header); what the server accepted was the
query: FastAPI takes the last of a repeated parameter, and pydantic reads
``0.0`` as the integer 0. The credential check had holes of its own, found
while looking: it matched ``^Bearer (token)$`` on the first Authorization header
only, so ``Bearer <token>\n`` passed (``$`` also matches before a final newline)
and a second Authorization header was never looked at.

Each shape is sent with the route's own valid credential inside it where the
shape has room for one, and the same request with the plain valid header is
answered 200 at the end: a 401 here is about the shape, not about the rest of
the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from peerdesk.agency import keys
from peerdesk.agency.directory import publish_directory
from peerdesk.wire.directory_chunks import CHUNKS_PATH, MANIFEST_PATH, open_manifest
from peerdesk.wire.protocol import CONTENT_TYPE, decode_response
from tests.agency.support import Agency

SEED = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"

Header = tuple[bytes, bytes]

#: (name, the Authorization header lines for a valid bearer value ``good``,
#: e.g. ``Bearer abc...``). Every one is malformed and must be 401.
SHAPES: list[tuple[str, Callable[[str], list[Header]]]] = [
    ("wrong scheme", lambda good: [(b"Authorization", b"Basic " + _token(good))]),
    ("scheme only", lambda good: [(b"Authorization", b"Bearer")]),
    ("no scheme", lambda good: [(b"Authorization", _token(good))]),
    ("extra part", lambda good: [(b"Authorization", good.encode() + b" extra")]),
    ("token twice", lambda good: [(b"Authorization", good.encode() + b" " + _token(good))]),
    ("two spaces", lambda good: [(b"Authorization", b"Bearer  " + _token(good))]),
    ("tab", lambda good: [(b"Authorization", b"Bearer\t" + _token(good))]),
    ("trailing newline", lambda good: [(b"Authorization", good.encode() + b"\n")]),
    ("trailing space", lambda good: [(b"Authorization", good.encode() + b" ")]),
    ("leading space", lambda good: [(b"Authorization", b" " + good.encode())]),
    ("empty token", lambda good: [(b"Authorization", b"Bearer ")]),
    ("empty header", lambda good: [(b"Authorization", b"")]),
    ("non-ASCII after", lambda good: [(b"Authorization", (good + "é").encode())]),
    (
        "non-ASCII in the token",  # (UTF-8; the KELVIN SIGN would fold to "k")
        lambda good: [(b"Authorization", ("Bearer \u212a" + good[8:]).encode())],
    ),
    (
        "comma-joined",
        lambda good: [(b"Authorization", good.encode() + b", " + good.encode())],
    ),
    (
        "duplicate header, same",
        lambda good: [(b"Authorization", good.encode()), (b"Authorization", good.encode())],
    ),
    (
        "duplicate header, valid first",
        lambda good: [(b"Authorization", good.encode()), (b"authorization", b"Basic x")],
    ),
    (
        "duplicate header, valid last",
        lambda good: [
            (b"Authorization", b"Bearer " + b"A" * 43),
            (b"Authorization", good.encode()),
        ],
    ),
]


def _token(good: str) -> bytes:
    return good.split(" ", 1)[1].encode()


@dataclass
class Route:
    """One authenticated route, ready to call: ``send(auth_lines)`` -> response."""

    name: str
    good: str  # the valid ``Authorization`` value
    send: Callable[[list[Header]], httpx.Response]


def _review_get(agency: Agency, path: str) -> Callable[[list[Header]], httpx.Response]:
    return lambda auth: agency.client.get(path, headers=auth)


def routes(agency: Agency) -> dict[str, Route]:
    """Every authenticated route: the device's sync and the supervisor's review
    routes, with a device of team north that synced a note and a supervisor of
    team north with the review keys granted."""
    device = agency.enrolled_device(team="north")
    note = device.note()
    first = agency.sync(device, device.batch([note]))
    assert first.status_code == 200, first.text
    [ack] = decode_response(first.content).acks
    supervisor = agency.enrolled_supervisor("north")
    batch = device.batch([device.note("another note")])
    decision = {
        "device_id": device.device_id,
        "note_id": note.entity_id,
        "decision": "approved",
        "seen_seq": ack.seq,
        "reviewer": supervisor.name,
        "sealed_feedback": supervisor.feedback(
            device.box.public_raw, device.device_id, note.entity_id, "approved", "well written"
        ),
    }
    sync_route = Route(
        "POST /v1/sync",
        device.headers()["Authorization"],
        lambda auth: agency.client.post(
            "/v1/sync", content=batch, headers=[(b"Content-Type", CONTENT_TYPE.encode()), *auth]
        ),
    )
    good = supervisor.headers()["Authorization"]
    review = [
        Route(f"GET {path}", good, _review_get(agency, path))
        for path in (
            "/v1/review/keys",
            "/v1/review/devices",
            "/v1/review/records",
            "/v1/review/events",
        )
    ]
    decide = Route(
        "POST /v1/review/decisions",
        good,
        lambda auth: agency.client.post("/v1/review/decisions", json=decision, headers=auth),
    )
    # the directory download (issue 17): a published directory, its manifest and a chunk
    publish_directory(agency.storage, SEED, keys.load_signing(agency.settings), agency.clock())
    [latest] = agency.storage.directory.manifests_after(0)[-1:]
    signing = agency.bundle().signing
    opened = open_manifest(
        agency.storage.directory.manifest(latest.version, latest.kind) or b"",
        {signing.key_id: signing.public},
    )
    chunk = opened.chunks[0].hash
    device_auth = device.headers()["Authorization"]
    directory = [
        Route(
            "GET /v1/directory/manifest",
            device_auth,
            lambda auth: agency.client.get(MANIFEST_PATH, params={"have": 0}, headers=auth),
        ),
        Route(
            "GET /v1/directory/chunks/{chunk_hash}",
            device_auth,
            lambda auth: agency.client.get(f"{CHUNKS_PATH}/{chunk}", headers=auth),
        ),
    ]
    return {r.name: r for r in [sync_route, *review, decide, *directory]}


ROUTES = [
    "POST /v1/sync",
    "GET /v1/review/keys",
    "GET /v1/review/devices",
    "GET /v1/review/records",
    "GET /v1/review/events",
    "POST /v1/review/decisions",
    "GET /v1/directory/manifest",
    "GET /v1/directory/chunks/{chunk_hash}",
]


def test_every_authenticated_route_is_listed(agency: Agency) -> None:
    """The routes of the OpenAPI document that name a security scheme are exactly
    the ones tested here (a new authenticated route must be added to ROUTES)."""
    document = agency.client.get("/openapi.json").json()
    secured = {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    }
    assert secured == set(ROUTES)


@pytest.mark.parametrize("route_name", ROUTES)
def test_a_malformed_authorization_header_is_401(agency: Agency, route_name: str) -> None:
    route = routes(agency)[route_name]
    let_through: list[str] = []
    for shape, make in SHAPES:
        answer = route.send(make(route.good))
        if answer.status_code != 401:
            let_through.append(f"{shape}: {answer.status_code}")
        elif "json" in answer.headers.get("content-type", ""):
            assert answer.json()["code"] == "unauthorized", (shape, answer.text)
    assert let_through == [], f"{route_name} accepted malformed credentials: {let_through}"
    # The same request with the one valid header goes through: the 401s above were
    # the header's doing (and nothing above changed anything: the decision is made
    # here, the batch is stored here).
    answer = route.send([(b"Authorization", route.good.encode())])
    assert answer.status_code == 200, answer.text
    # The scheme's name is case-insensitive (RFC 9110 §11.1).
    lower = "bearer " + route.good.split(" ", 1)[1]
    if route_name.startswith("GET"):
        assert route.send([(b"Authorization", lower.encode())]).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "after=true&after=0.0",  # the fuzzer's case
        "after=0&after=0",
        "limit=5&limit=6",
        "after=0.0",
        "after=1.0",
        "limit=1e3",
        "after=+1",
        "after=%EF%BC%91",  # a FULLWIDTH DIGIT ONE
        "after=",
    ],
)
def test_a_page_query_outside_the_document_is_422(agency: Agency, query: str) -> None:
    supervisor = agency.enrolled_supervisor("north", grant=False)
    for path in ("/v1/review/records", "/v1/review/events"):
        answer = agency.client.get(f"{path}?{query}", headers=supervisor.headers())
        assert answer.status_code == 422, (path, query, answer.text)
        assert answer.json()["code"] == "malformed"
        # ...and the same page asked for plainly is fine
        assert (
            agency.client.get(f"{path}?after=0&limit=5", headers=supervisor.headers()).status_code
            == 200
        )
