"""A real agency for end-to-end tests: ``peerdesk-agency init`` in a fresh folder,
then the FastAPI app under uvicorn, HTTPS on 127.0.0.1 with a throwaway CA.

The server socket is bound and listening before the server thread starts, so a
client can connect at once (the kernel queues the connection): no waiting.
Used by tests/sync/test_end_to_end.py and tests/review/live.py.
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from peerdesk.agency import cli as agency_cli
from peerdesk.agency.app import create_app
from peerdesk.agency.settings import AgencySettings
from tests.conftest import drop_log_handlers
from tests.sync.tls import LoopbackPKI, make_pki

AGENCY_NAME = "River Valley Peer Services"


@dataclass(frozen=True)
class HttpsAgency:
    directory: Path
    url: str
    pki: LoopbackPKI
    ca_file: Path
    settings: AgencySettings
    #: the review passphrase, first line of this file (for `supervisor grant` etc.)
    passphrase_file: Path


@contextmanager
def https_agency(
    base: Path, review_passphrase: str, recovery_passphrase: str
) -> Iterator[HttpsAgency]:
    """Initialise an agency under ``base`` and serve it until the block ends."""
    pki = make_pki(base / "tls")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    url = f"https://127.0.0.1:{sock.getsockname()[1]}"
    directory = base / "agency"
    (base / "sup.txt").write_text(review_passphrase + "\n")
    (base / "rec.txt").write_text(recovery_passphrase + "\n")
    init = [
        "init", "--dir", str(directory), "--name", AGENCY_NAME, "--url", url,
        "--passphrase-file", str(base / "sup.txt"),
        "--recovery-passphrase-file", str(base / "rec.txt"),
    ]  # fmt: skip
    try:
        assert agency_cli.main(init, out=io.StringIO()) == 0, "peerdesk-agency init failed"
    finally:
        drop_log_handlers()
    settings = AgencySettings.load(directory)
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        ssl_certfile=str(pki.cert_file),
        ssl_keyfile=str(pki.key_file),
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield HttpsAgency(directory, url, pki, base / "tls" / "ca.pem", settings, base / "sup.txt")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
