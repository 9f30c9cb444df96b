"""The ``PeerDesk-Client`` header: a laptop's app version and outbox counts.

A real laptop (a profile, its link client and sync run) syncs with the agency app
in-process; each sync request carries the version and the records still waiting
and held back on the laptop, the agency keeps the latest per device (only from
an authenticated, successful sync), the console's devices table and the
``devices`` command show them. A malformed header is ignored with a log line and
never stored; the sync itself goes on."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from peerdesk import __version__
from peerdesk.agency.models import Device
from peerdesk.config import Provisioning
from peerdesk.crypto.kdf import KdfParams
from peerdesk.link.sync import BatchSent, SyncOptions
from peerdesk.services import ProfileManager, Session
from peerdesk.wire.client_status import MAX_COUNT, ClientStatus, parse_header
from tests.agency.console_support import Browser, make_account
from tests.agency.support import BOTH_BACKENDS, Agency, Run
from tests.reliability.bridge import forward

PASSPHRASE = "river stones and quiet mornings"
HEADER = "PeerDesk-Client"


# --- the header's format ----------------------------------------------------------------


def test_a_status_makes_a_header_that_parses_back() -> None:
    status = ClientStatus("1.2.0rc1+deb12", 12, 1)
    assert status.header() == "v=1.2.0rc1+deb12; pending=12; held=1"
    assert parse_header(status.header()) == status
    assert parse_header([status.header()]) == status
    assert parse_header(None) is None and parse_header([]) is None
    assert parse_header(f"v=0.1.0; pending={MAX_COUNT}; held=0") == ClientStatus(
        "0.1.0", MAX_COUNT, 0
    )


MALFORMED = [
    "",
    "v=0.1.0",
    "v=0.1.0; pending=1",
    "v=0.1.0;pending=1;held=0",
    "v=0.1.0; held=0; pending=1",
    "v=0.1.0; pending=1; held=0; note=hello",
    "v=0.1.0; pending=-1; held=0",
    "v=0.1.0; pending=01; held=0",
    "v=0.1.0; pending=1.5; held=0",
    f"v=0.1.0; pending={MAX_COUNT + 1}; held=0",
    "v=0.1.0; pending=1; held=99999999999",
    "v=<script>; pending=1; held=0",
    "v=beta; pending=1; held=0",
    "v=0.1.0 ; pending=1; held=0",
    "v=" + "1" * 40 + "; pending=1; held=0",
    "v=0.1.0; pending=1; held=0" + " " * 100,
    "v=0.1.\u0660; pending=1; held=0",
]


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_header_is_refused(value: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_header(value)
    assert value not in str(refused.value) or not value  # the value is not echoed


def test_two_headers_are_refused() -> None:
    with pytest.raises(ValueError, match="more than one"):
        parse_header(["v=0.1.0; pending=1; held=0", "v=0.1.0; pending=1; held=0"])


@pytest.mark.parametrize("bad", [("0.1.0", -1, 0), ("0.1.0", 0, MAX_COUNT + 1), ("x", 0, 0)])
def test_a_status_cannot_hold_what_would_not_parse(bad: tuple[str, int, int]) -> None:
    with pytest.raises(ValueError):
        ClientStatus(*bad)


# --- a real laptop's sync -----------------------------------------------------------------


@pytest.fixture
def laptop(agency: Agency, tmp_path: Path) -> Iterator[Session]:
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
    transport = httpx.MockTransport(lambda request: forward(agency.client, request))
    session.link.enroll(
        provisioning, agency.code(team="north"), "Rosa's laptop", transport=transport
    )
    try:
        yield session
    finally:
        session.close()


def _sync(session: Session, agency: Agency) -> tuple[list[str | None], list[BatchSent]]:
    """One sync run; the PeerDesk-Client header of each sync request, and the batches."""
    sent: list[str | None] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/sync":
            sent.append(request.headers.get(HEADER))
        return forward(agency.client, request)

    events = list(
        session.link.sync(
            SyncOptions(max_attempts=1, batch_bytes=1024),
            transport=httpx.MockTransport(handle),
            sleep=lambda _s: None,
        )
    )
    return sent, [e for e in events if isinstance(e, BatchSent)]


def _device(agency: Agency, session: Session) -> Device:
    return agency.storage.devices.get(session._device.require().device_id)


@BOTH_BACKENDS
def test_a_laptops_sync_reports_its_version_and_counts(agency: Agency, laptop: Session) -> None:
    for n in range(8):
        laptop.participants.add(f"Participant number {n} with a fairly long name")
    queue = laptop._stores.queue
    pending = [r[0] for r in laptop._db.conn.execute("SELECT op_id FROM outbox")]
    assert queue.quarantine(pending[-1], "test", "set aside by the test")
    before = queue.counts()
    assert before.pending >= 8 and before.quarantined == 1
    assert _device(agency, laptop).client_version is None  # nothing reported yet

    headers, batches = _sync(laptop, agency)

    # one header per request, each saying what stays on the laptop besides the records
    # this run sends: the same in every request of the run, so the agency keeps the
    # right figure whichever of two pipelined requests it finishes last
    assert len(headers) == len(batches) >= 2
    left = before.pending - sum(batch.records for batch in batches)
    assert headers == [f"v={__version__}; pending={left}; held=1"] * len(batches)
    # the agency keeps the last one
    device = _device(agency, laptop)
    assert (device.client_version, device.client_pending, device.client_held) == (
        __version__,
        0,
        1,
    )
    assert laptop.link.waiting().pending == 0

    # written after the sync: the next sync reports the new counts
    laptop.participants.add("Written later")
    queue.retry([pending[-1]])  # the held-back record is sent again
    headers, batches = _sync(laptop, agency)
    assert headers[-1] == f"v={__version__}; pending=0; held=0"
    device = _device(agency, laptop)
    assert (device.client_pending, device.client_held) == (0, 0)

    # the console's devices table shows them (metadata only)
    admin = Browser(agency)
    try:
        assert admin.sign_in(make_account(agency)).status_code == 303
        page = admin.get("/console/devices").text
    finally:
        admin.close()
    assert "<th>App version</th><th>Waiting on laptop</th><th>Held back</th>" in page
    assert re.search(
        rf'<td class="version">{re.escape(__version__)}</td>\s*'
        r'<td class="num">0</td>\s*<td class="num">0</td>',
        page,
    )
    assert "not sent to the agency yet" not in page
    assert "Participant number" not in page


# --- the agency's side: only an authenticated, successful sync is kept ----------------------


@BOTH_BACKENDS
def test_a_malformed_header_is_ignored_and_logged(
    agency: Agency, caplog: pytest.LogCaptureFixture
) -> None:
    device = agency.enrolled_device()
    good = "v=0.1.0; pending=12; held=1"
    assert agency.sync(device, device.batch([]), **{HEADER: good}).status_code == 200
    # (HTTP trims a value's outer spaces, and an empty value is no header)
    sendable = [v for v in MALFORMED if v and v.strip() == v]
    for value in (*sendable, "v=9.9.9; pending=3; held=0\u00e9"):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="peerdesk.agency.app"):
            raw = value.encode("utf-8")
            answer = agency.client.post(
                "/v1/sync",
                content=device.batch([]),
                headers=[*device.headers().items(), (HEADER.encode(), raw)],
            )
        assert answer.status_code == 200, (value, answer.text)
        kept = agency.storage.devices.get(device.device_id)
        assert (kept.client_version, kept.client_pending, kept.client_held) == ("0.1.0", 12, 1)
        lines = [r.getMessage() for r in caplog.records]
        assert any(
            f"ignored the {HEADER} header of device {device.device_id}" in ln for ln in lines
        )
        assert all(value not in ln for ln in lines if value)
    # two headers: ignored too
    answer = agency.client.post(
        "/v1/sync",
        content=device.batch([]),
        headers=[*device.headers().items(), (HEADER, "v=2.0.0; pending=1; held=0"), (HEADER, good)],
    )
    assert answer.status_code == 200
    assert agency.storage.devices.get(device.device_id).client_version == "0.1.0"


@BOTH_BACKENDS
def test_only_an_authenticated_successful_sync_is_kept(agency: Agency) -> None:
    device = agency.enrolled_device()
    other = agency.enrolled_device("Another laptop")
    header = {HEADER: "v=6.6.6; pending=66; held=6"}
    # no credential, an unknown one, another device's batch, a malformed batch
    assert (
        agency.client.post(
            "/v1/sync",
            content=device.batch([]),
            headers={"Content-Type": device.headers()["Content-Type"], **header},
        ).status_code
        == 401
    )
    assert (
        agency.sync(
            device, device.batch([]), Authorization="Bearer " + "x" * 43, **header
        ).status_code
        == 401
    )
    assert agency.sync(device, other.batch([]), **header).status_code in (400, 401, 403)
    assert agency.sync(device, b"not a batch", **header).status_code == 400
    for d in (device, other):
        assert agency.storage.devices.get(d.device_id).client_version is None
    # the same header on its own successful sync is kept
    assert agency.sync(device, device.batch([]), **header).status_code == 200
    kept = agency.storage.devices.get(device.device_id)
    assert (kept.client_version, kept.client_pending, kept.client_held) == ("6.6.6", 66, 6)
    assert agency.storage.devices.get(other.device_id).client_version is None


def test_the_devices_command_shows_the_reported_values(run: Run, agency: Agency) -> None:
    device = agency.enrolled_device("Laptop of Rosa")
    quiet = agency.enrolled_device("Quiet laptop")
    answer = agency.sync(device, device.batch([]), **{HEADER: "v=0.1.0; pending=12; held=3"})
    assert answer.status_code == 200
    listing = run("devices", "--dir", str(agency.settings.directory))
    assert listing.code == 0, listing.err
    head = listing.out.splitlines()[0]
    assert re.search(r"RECORDS\s+APP\s+WAITING\s+HELD\s+STATUS", head)
    line = next(ln for ln in listing.out.splitlines() if device.device_id in ln)
    assert re.search(r" 0\s+0\.1\.0\s+12\s+3\s+active$", line)
    line = next(ln for ln in listing.out.splitlines() if quiet.device_id in ln)
    assert re.search(r" 0\s+-\s+-\s+-\s+active$", line)
