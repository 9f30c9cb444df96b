"""A laptop's directory download in chunks (issue 17), against the agency's
real publication and download logic (its storage on SQLite, the manifest and
chunk routes emulated over ``MockTransport`` beside the fake sync agency).

Cut mid-download resumes from the next missing chunk; a tampered chunk,
manifest or delta is refused and nothing is applied; a delta gives the same
directory as a full download; the old directory stays searchable until the
new one is complete; absurd manifests are refused by their limits."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from peerdesk.agency import directory as publishing
from peerdesk.agency.directory import publish_directory, stored_dataset
from peerdesk.agency.directory_download import manifest_for
from peerdesk.agency.storage import Storage
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import SigningKeyPair, sign_document
from peerdesk.domain.directory import Dataset
from peerdesk.errors import AgencyUnreachable, BadSignature, DirectoryDataError
from peerdesk.interop import hsds
from peerdesk.link.directory_download import DirectoryProgress
from peerdesk.link.sync import SyncFinished, SyncOptions
from peerdesk.services import ProfileManager, Session
from peerdesk.services.directory import SEED_DIRECTORY
from peerdesk.wire import directory_chunks
from peerdesk.wire.directory_chunks import (
    CHUNKS_PATH,
    KIND,
    MANIFEST_PATH,
    MAX_CHUNK_BYTES,
    MAX_CHUNKS,
    ChunkRef,
    Manifest,
    check_chunk,
    open_manifest,
    sign_manifest,
)
from tests.conftest import PASSPHRASE
from tests.sync.fake_agency import FakeAgency


class DirectoryAgency:
    """The agency's directory half: real publication into SQLite, its manifest
    choice and chunks served; everything else goes to the fake sync agency."""

    def __init__(self, agency: FakeAgency, root: Path) -> None:
        self.agency = agency
        self.root = root
        self.storage = Storage.from_url(f"sqlite:///{root / 'agency.db'}")
        self.storage.migrate()
        self.announced = 0
        self.chunk_requests: list[str] = []
        self.chunk_bytes = 0
        #: chunk requests served before the link is cut (None: never)
        self.cut_after: int | None = None
        #: chunk hashes answered with one byte changed
        self.tamper: set[str] = set()
        self.alter_manifest: Callable[[bytes], bytes] | None = None

    def publish(self, dataset: Dataset) -> int:
        path = self.root / f"v{self.announced + 1}.json"
        hsds.save_json(dataset, path)
        done = publish_directory(self.storage, path, self.agency.signing, _now())
        # the broadcast items, as the agency hands them to every device
        items, _ = self.storage.outbound.inbound("0190f0c0-0000-7000-8000-000000000099", 0)
        for item in items[self.announced :]:
            self.agency.add_outbound(None, item.kind, item.ref, item.payload)
        self.announced = len(items)
        return done.version

    def dataset(self, version: int) -> Dataset:
        stored = self.storage.directory.get(version)
        assert stored is not None
        return stored_dataset(stored.dataset, version)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == MANIFEST_PATH:
            blob = manifest_for(self.storage, int(request.url.params["have"]))
            if blob is None:
                return httpx.Response(204)
            if self.alter_manifest is not None:
                blob = self.alter_manifest(blob)
            return httpx.Response(200, content=blob)
        if path.startswith(CHUNKS_PATH + "/"):
            if self.cut_after is not None and len(self.chunk_requests) >= self.cut_after:
                raise httpx.ConnectError("the link dropped", request=request)
            chunk_hash = path.rsplit("/", 1)[1]
            self.chunk_requests.append(chunk_hash)
            data = self.storage.directory.chunk(chunk_hash)
            assert data is not None
            if chunk_hash in self.tamper:
                data = data[:-1] + bytes([data[-1] ^ 1])
            self.chunk_bytes += len(data)
            return httpx.Response(200, content=data)
        return self.agency.handle(request)

    def sync(self, session: Session, events: list | None = None, **options: object) -> list:
        collected = [] if events is None else events
        for event in session.link.sync(
            SyncOptions(**options),  # type: ignore[arg-type]
            transport=httpx.MockTransport(self.handle),
            sleep=lambda _s: None,
            clock=lambda: 0.0,
            rng=random.Random(7),
        ):
            collected.append(event)
        return collected


def _now():
    from peerdesk.ids import now_utc

    return now_utc()


@pytest.fixture
def chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every update goes out in chunks (none in the sync answer), of 8 KiB unpacked."""
    monkeypatch.setattr(publishing, "INBAND_MAX", 0)
    monkeypatch.setattr(directory_chunks, "CHUNK_RAW", 8 * 1024)


@pytest.fixture
def seed() -> Dataset:
    return hsds.load(SEED_DIRECTORY)


@pytest.fixture
def dir_agency(agency: FakeAgency, tmp_path: Path, chunked: None) -> Iterator[DirectoryAgency]:
    server = DirectoryAgency(agency, tmp_path)
    yield server
    server.storage.close()


def _renamed(seed: Dataset, suffix: str, n: int = 5) -> Dataset:
    services = list(seed.services)
    for i in range(n):
        services[i] = replace(services[i], name=f"{services[i].name} {suffix}")
    return replace(seed, services=tuple(services[:-1]))  # and one removed


def _services(session: Session) -> dict[str, object]:
    return {s.id: s for s in session.directory.export_dataset().services}


def _download(session: Session):
    return session._stores.directory.download


def test_a_large_update_is_downloaded_in_checked_chunks_with_honest_progress(
    enrolled: Session, dir_agency: DirectoryAgency, seed: Dataset
) -> None:
    assert dir_agency.publish(seed) == 1

    events = dir_agency.sync(enrolled)

    assert enrolled.directory.version() == 1 and enrolled.directory.count() == len(seed.services)
    progress = [e for e in events if isinstance(e, DirectoryProgress)]
    total = progress[0].chunks_total
    assert total > 3 and progress[0].chunks_done == 0
    assert [p.chunks_done for p in progress] == list(range(total + 1))
    assert progress[-1].bytes_done == progress[-1].bytes_total == dir_agency.chunk_bytes
    summary = events[-1].summary
    assert isinstance(events[-1], SyncFinished) and summary.directory_updates == 1
    assert summary.bytes_down >= dir_agency.chunk_bytes
    assert _download(enrolled).manifest() is None  # the download is forgotten once applied
    # up to date: the next sync downloads nothing
    before = len(dir_agency.chunk_requests)
    dir_agency.sync(enrolled)
    assert len(dir_agency.chunk_requests) == before


def test_a_cut_mid_download_resumes_from_the_next_missing_chunk(
    enrolled: Session, dir_agency: DirectoryAgency, seed: Dataset
) -> None:
    dir_agency.publish(seed)
    dir_agency.cut_after = 3
    events: list = []
    with pytest.raises(AgencyUnreachable, match="resumes at the next sync"):
        dir_agency.sync(enrolled, events, max_attempts=2)
    assert sorted(_download(enrolled).received()) == [0, 1, 2]
    assert enrolled.directory.is_empty()
    total = [e for e in events if isinstance(e, DirectoryProgress)][0].chunks_total

    dir_agency.cut_after = None
    events = dir_agency.sync(enrolled)

    # only the missing chunks came again: nothing received before the cut twice
    assert len(dir_agency.chunk_requests) == total
    assert len(set(dir_agency.chunk_requests)) == total
    first = [e for e in events if isinstance(e, DirectoryProgress)][0]
    assert first.chunks_done == 3 and first.bytes_done > 0  # progress starts where it was
    assert enrolled.directory.count() == len(seed.services)


def test_a_crash_between_chunks_leaves_the_old_directory_searchable(
    enrolled: Session,
    dir_agency: DirectoryAgency,
    seed: Dataset,
    reopen: Callable[..., Session],
    agency: FakeAgency,
) -> None:
    dir_agency.publish(seed)
    dir_agency.sync(enrolled)
    old_name = seed.services[0].name
    dir_agency.publish(replace(_renamed(seed, "Relocated", n=len(seed.services) - 1)))
    # the delta is as large as the directory here: the laptop takes the full one
    gen = enrolled.link.sync(
        SyncOptions(), transport=httpx.MockTransport(dir_agency.handle), sleep=lambda _s: None
    )
    for event in gen:
        if isinstance(event, DirectoryProgress) and event.chunks_done == 2:
            break
    gen.close()  # the app stopped between two chunks

    session = reopen(enrolled)
    assert session.directory.version() == 1
    assert sorted(_download(session).received()) == [0, 1]
    hits = session.directory.search(old_name).hits
    assert hits and hits[0].name == old_name
    assert not session.directory.search("Relocated").hits

    dir_agency.sync(session)
    assert session.directory.version() == 2
    assert session.directory.search("Relocated").hits


def test_a_tampered_chunk_is_refused_and_nothing_is_applied(
    enrolled: Session, dir_agency: DirectoryAgency, seed: Dataset
) -> None:
    dir_agency.publish(seed)
    manifest = open_manifest(
        dir_agency.storage.directory.manifest(1, "full") or b"",
        {dir_agency.agency.signing.key_id: dir_agency.agency.signing.public_raw},
    )
    dir_agency.tamper = {manifest.chunks[2].hash}

    with pytest.raises(DirectoryDataError, match="does not match the signed manifest"):
        dir_agency.sync(enrolled)

    assert sorted(_download(enrolled).received()) == [0, 1]  # the altered one was not kept
    assert enrolled.directory.is_empty()
    status = enrolled.link.status()
    assert "does not match the signed manifest" in (status.last_error or "")


def test_a_manifest_not_signed_by_the_agency_is_refused(
    enrolled: Session, dir_agency: DirectoryAgency, seed: Dataset
) -> None:
    dir_agency.publish(seed)
    forger = SigningKeyPair.generate()

    def forged(blob: bytes) -> bytes:
        manifest = open_manifest(
            blob, {dir_agency.agency.signing.key_id: dir_agency.agency.signing.public_raw}
        )
        return sign_manifest(forger, manifest)

    dir_agency.alter_manifest = forged
    with pytest.raises(BadSignature):
        dir_agency.sync(enrolled)
    assert _download(enrolled).manifest() is None and dir_agency.chunk_requests == []
    assert enrolled.directory.is_empty()

    dir_agency.alter_manifest = lambda blob: blob[:-3] + b"\x00\x00\x00"
    with pytest.raises(BadSignature):
        dir_agency.sync(enrolled)
    assert enrolled.directory.is_empty()


def test_a_delta_gives_the_directory_a_full_download_gives(
    enrolled: Session,
    dir_agency: DirectoryAgency,
    seed: Dataset,
    manager: ProfileManager,
    agency: FakeAgency,
) -> None:
    dir_agency.publish(seed)
    dir_agency.sync(enrolled)
    dir_agency.publish(_renamed(seed, "(moved)"))
    before = len(dir_agency.chunk_requests)
    dir_agency.sync(enrolled)
    delta_chunks = len(dir_agency.chunk_requests) - before
    assert enrolled.directory.version() == 2

    # a second laptop that never had a directory takes the full download of version 2
    other = manager.create("Second laptop", PASSPHRASE, kdf_params=KdfParams.new())
    try:
        agency.codes.add("9Q2W-ER7T-Y4")
        other.link.enroll(agency.provisioning(), "9Q2W-ER7T-Y4", "laptop 8",
                          transport=agency.transport())  # fmt: skip
        before = len(dir_agency.chunk_requests)
        dir_agency.sync(other)
        full_chunks = len(dir_agency.chunk_requests) - before
        assert other.directory.version() == 2
        assert _services(other) == _services(enrolled)
    finally:
        other.close()
    assert delta_chunks < full_chunks
    expected = {s.id: s for s in dir_agency.dataset(2).services}
    assert _services(enrolled) == expected


def test_a_tampered_delta_is_refused_and_the_directory_stays_as_it_was(
    enrolled: Session, dir_agency: DirectoryAgency, seed: Dataset
) -> None:
    dir_agency.publish(seed)
    dir_agency.sync(enrolled)
    dir_agency.publish(_renamed(seed, "(moved)"))
    delta_blob = dir_agency.storage.directory.manifest(2, "delta") or b""
    trusted = {dir_agency.agency.signing.key_id: dir_agency.agency.signing.public_raw}
    dir_agency.tamper = {c.hash for c in open_manifest(delta_blob, trusted).chunks}

    with pytest.raises(DirectoryDataError):
        dir_agency.sync(enrolled)

    assert enrolled.directory.version() == 1
    assert _services(enrolled) == {s.id: s for s in dir_agency.dataset(1).services}


def test_a_small_update_in_the_sync_answer_still_applies_without_a_download(
    enrolled: Session, agency: FakeAgency, tmp_path: Path, seed: Dataset
) -> None:
    server = DirectoryAgency(agency, tmp_path)  # no "chunked": 42 services travel whole
    try:
        server.publish(seed)
        server.sync(enrolled)
    finally:
        server.storage.close()
    assert enrolled.directory.version() == 1 and server.chunk_requests == []


# -- limits (the wire module alone) --------------------------------------------------------


SIGNER = SigningKeyPair.generate()
TRUSTED = {SIGNER.key_id: SIGNER.public_raw}


def _ref(size: int = 100, raw: int = 1000) -> ChunkRef:
    return ChunkRef("ab" * 32, size, raw)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (Manifest(1, None, 10, (_ref(size=MAX_CHUNK_BYTES + 1),)), "at most"),
        (Manifest(1, None, 10, (_ref(raw=directory_chunks.MAX_CHUNK_RAW + 1),)), "unpacks to"),
        (Manifest(1, None, directory_chunks.MAX_SERVICES + 1, (_ref(),)), "count"),
        (Manifest(1, None, 10, ()), "chunks"),
        (Manifest(1, None, 10, tuple(_ref() for _ in range(MAX_CHUNKS + 1))), "chunks"),
        (Manifest(3, 5, 10, (_ref(),)), "base_version"),
    ],
)
def test_absurd_manifests_are_refused_by_their_limits(manifest: Manifest, message: str) -> None:
    with pytest.raises(DirectoryDataError, match=message):
        open_manifest(sign_manifest(SIGNER, manifest), TRUSTED)


def test_a_whole_update_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    refs = tuple(_ref(raw=4 * 1024 * 1024) for _ in range(200))
    with pytest.raises(DirectoryDataError, match="the update unpacks to"):
        open_manifest(sign_manifest(SIGNER, Manifest(1, None, 10, refs)), TRUSTED)


def test_a_manifest_of_another_kind_or_too_large_is_refused() -> None:
    blob = sign_document(SIGNER, "directory", {"format": 1})
    with pytest.raises(BadSignature):
        open_manifest(blob, TRUSTED)
    with pytest.raises(BadSignature, match="over"):
        open_manifest(b"x" * (directory_chunks.MAX_MANIFEST_BYTES + 1), TRUSTED)
    assert KIND == "directory-manifest"


def test_a_chunk_over_the_size_limit_or_of_the_wrong_hash_is_refused() -> None:
    manifest = Manifest(1, None, 1, (_ref(size=10),))
    with pytest.raises(DirectoryDataError, match="over the"):
        check_chunk(manifest, 0, b"x" * (MAX_CHUNK_BYTES + 1))
    with pytest.raises(DirectoryDataError, match="does not match"):
        check_chunk(manifest, 0, b"x" * 10)
