"""Connections cut at random byte offsets during sync, many times over.

A real agency (FastAPI under uvicorn, SQLite) sits behind tests/netproxy.py,
which resets each connection at a random byte: during the request, between the
request and the answer, or halfway through the answer. The laptop keeps syncing
(as the app would, after its backoff) until its queue is empty. Afterwards the
agency holds every record exactly once, every one opens to what the laptop
wrote, and nothing is pending or set aside on the laptop.

A second test restarts the agency server in the middle of a sync.
"""

from __future__ import annotations

import io
import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from peerdesk.agency import cli as agency_cli  # noqa: E402
from peerdesk.agency.app import create_app  # noqa: E402
from peerdesk.agency.review import Reviewer  # noqa: E402
from peerdesk.agency.settings import AgencySettings  # noqa: E402
from peerdesk.agency.storage import Storage  # noqa: E402
from peerdesk.config import load_provisioning  # noqa: E402
from peerdesk.errors import AgencyUnreachable  # noqa: E402
from peerdesk.link.sync import BatchDone, SyncOptions  # noqa: E402
from peerdesk.services import Session  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.netproxy import NetProxy  # noqa: E402

SUPERVISOR = "supervisor reads notes at the river office"
RECOVERY = "offline recovery key kept in the county safe"
NOTES = 120
TRIPS = 30


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    """The agency CLI logs to a file in its folder; leave no handler behind."""
    yield
    drop_log_handlers()


@contextmanager
def serving(settings: AgencySettings, sock: socket.socket) -> Iterator[uvicorn.Server]:
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="error", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[tuple[AgencySettings, socket.socket]]:
    (tmp_path / "sup.txt").write_text(SUPERVISOR + "\n")
    (tmp_path / "rec.txt").write_text(RECOVERY + "\n")
    directory = tmp_path / "agency"
    code = agency_cli.main(
        [
            "init", "--dir", str(directory), "--name", "Cut Line Peer Services",
            "--url", "http://127.0.0.1:1", "--passphrase-file", str(tmp_path / "sup.txt"),
            "--recovery-passphrase-file", str(tmp_path / "rec.txt"),
        ],
        out=io.StringIO(),
    )  # fmt: skip
    assert code == 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield AgencySettings.load(directory), sock
    finally:
        sock.close()


def _enroll(session: Session, settings: AgencySettings, url: str, tmp_path: Path) -> None:
    out = io.StringIO()
    assert agency_cli.main(["enroll", "--dir", str(settings.directory)], out=out) == 0
    code = out.getvalue().split("Enrollment code:")[1].split()[0]
    target = tmp_path / "provisioning.toml"
    assert (
        agency_cli.main(
            [
                "provisioning",
                "--dir",
                str(settings.directory),
                "--url",
                url,
                "--code",
                code,
                "--out",
                str(target),
            ],
            out=io.StringIO(),
        )  # fmt: skip
        == 0
    )
    session.link.enroll(load_provisioning(target), label="laptop on a bad line")


def _write_offline(session: Session, make_draft) -> dict[str, str]:
    """Notes and trips with a unique marker each; returns entity id -> marker."""
    person = session.participants.add("Cut Line Participant").value
    written = {}
    for i in range(NOTES):
        marker = f"note-marker-{i:04d}"
        # varied words: notes compressed together in a segment still take room
        filler = " ".join(f"{random.Random(i * 7919 + w).getrandbits(24):x}" for w in range(120))
        draft = make_draft(person.id, body={"goal": marker, "intervention": filler,
                                            "response": "steady", "plan": "call"})  # fmt: skip
        written[session.notes.sign(session.notes.create_draft(draft).value.id).value.id] = marker
    for i in range(TRIPS):
        marker = f"trip-marker-{i:04d}"
        trip = session.trips.add(
            date(2026, 11, 1 + i % 28), "medical", "clinic", miles=Decimal("3.5"),
            destination=marker,
        ).value  # fmt: skip
        written[trip.id] = marker
    return written


def _sync_until_empty(session: Session, *, max_runs: int) -> int:
    """Sync as the app does after each failure; returns the number of runs."""
    options = SyncOptions(batch_bytes=4 * 1024, max_attempts=3, backoff_base_s=0)
    for run in range(1, max_runs + 1):
        try:
            for _ in session.link.sync(options, sleep=lambda _s: None):
                pass
        except AgencyUnreachable:
            continue
        if session.link.status().pending == 0:
            return run
    raise AssertionError(f"queue still has {session.link.status().pending} after {max_runs} runs")


def _check_agency_holds_each_record_once(
    settings: AgencySettings, device_id: str, written: dict[str, str]
) -> None:
    storage = Storage.from_url(settings.database_url)
    try:
        stored = storage.records.find(device_id=device_id, limit=100_000)
        by_entity: dict[str, int] = {}
        for rec in stored:
            by_entity[rec.entity_id] = by_entity.get(rec.entity_id, 0) + 1
        assert all(n == 1 for n in by_entity.values()), "a record is stored twice"
        assert set(written) <= set(by_entity), "a record never reached the agency"
        reviewer = Reviewer.from_key_files(settings, storage, SUPERVISOR)
        for rec in stored:
            if rec.entity_id in written:
                payload = reviewer.open(rec).payload
                text = payload["body"]["goal"] if rec.kind == "note" else payload["destination"]
                assert text == written[rec.entity_id]
    finally:
        storage.close()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [20261123, 7, 1999, 424242, 31337])
def test_random_cuts_lose_nothing_and_duplicate_nothing(
    agency, session: Session, make_draft, tmp_path: Path, seed: int
) -> None:
    settings, sock = agency
    rng = random.Random(seed)
    cutting = threading.Event()

    def cut_after(_connection: int) -> int | None:
        # a batch here is ~4 KB up and a few hundred bytes down, and a kept-alive
        # connection carries batch after batch: every connection is cut somewhere
        # in its first two batches, so no request is safe
        if not cutting.is_set():
            return None
        return rng.randint(0, 9_000)

    with serving(settings, sock), NetProxy(sock.getsockname()[:2], cut_after=cut_after) as proxy:
        _enroll(session, settings, proxy.url, tmp_path)
        written = _write_offline(session, make_draft)
        cutting.set()
        runs = _sync_until_empty(session, max_runs=400)
    status = session.link.status()
    assert status.pending == 0 and status.quarantined == 0
    assert proxy.counters.cuts >= 10, "the proxy did not cut often enough to mean anything"
    assert runs > 1
    print(
        f"seed {seed}: {proxy.counters.cuts} cuts over {proxy.counters.connections} connections, {runs} sync runs"
    )
    _check_agency_holds_each_record_once(settings, session._device.require().device_id, written)


@pytest.mark.slow
def test_the_agency_restarting_mid_sync_is_resumed(
    agency, session: Session, make_draft, tmp_path: Path
) -> None:
    settings, sock = agency
    port = sock.getsockname()[1]
    options = SyncOptions(batch_bytes=8 * 1024, max_attempts=1)
    with serving(settings, sock):
        _enroll(session, settings, f"http://127.0.0.1:{port}", tmp_path)
        written = _write_offline(session, make_draft)
        run = session.link.sync(options, sleep=lambda _s: None)
        done = 0
        for event in run:
            if isinstance(event, BatchDone):
                done += 1
                if done == 3:
                    break
        run.close()  # the agency goes down after three batches
    sock.close()  # nothing listens any more: connections are refused
    with pytest.raises(AgencyUnreachable):
        for _ in session.link.sync(options, sleep=lambda _s: None):
            pass
    pending_mid = session.link.status().pending
    assert 0 < pending_mid < len(written)
    again = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    again.bind(("127.0.0.1", port))
    again.listen(64)
    try:
        with serving(settings, again):
            _sync_until_empty(session, max_runs=3)
    finally:
        again.close()
    _check_agency_holds_each_record_once(settings, session._device.require().device_id, written)
