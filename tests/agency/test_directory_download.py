"""The directory download in chunks at the agency (issue 17): every publication
stores a signed full download and (after the first) a delta download; the API
answers the manifest a laptop's version takes next and the chunks, behind a
device's credential."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from peerdesk.agency import keys
from peerdesk.agency.directory import publish_directory
from peerdesk.agency.directory_download import MAX_DELTA_STEPS, next_step
from peerdesk.agency.storage.directory import ManifestRow
from peerdesk.domain.directory import Dataset, DirectoryDelta, DirectorySnapshot
from peerdesk.interop import hsds
from peerdesk.wire import directory_chunks
from peerdesk.wire.directory_chunks import CHUNKS_PATH, MANIFEST_PATH, open_manifest, read_update
from tests.agency.support import Agency

SEED = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"


def _publish_two(agency: Agency, seed: Dataset, tmp_path: Path) -> None:
    signer = keys.load_signing(agency.settings)
    publish_directory(agency.storage, SEED, signer, agency.clock())
    first, *rest = seed.services
    hsds.save_json(
        replace(seed, services=(replace(first, name="Renamed"), *rest)), tmp_path / "v2.json"
    )
    publish_directory(agency.storage, tmp_path / "v2.json", signer, agency.clock())


def _trusted(agency: Agency) -> dict[str, bytes]:
    signing = agency.bundle().signing
    return {signing.key_id: signing.public}


def test_the_manifest_a_laptop_takes_next_and_its_chunks(
    agency: Agency, seed: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory_chunks, "CHUNK_RAW", 8 * 1024)
    _publish_two(agency, seed, tmp_path)
    device = agency.enrolled_device()

    def manifest(have: int):
        answer = agency.client.get(MANIFEST_PATH, params={"have": have}, headers=device.headers())
        return answer

    # no directory (the seed is 0): the full newest directory, in several chunks
    full = open_manifest(manifest(0).content, _trusted(agency))
    assert (full.version, full.base_version, full.count) == (2, None, len(seed.services))
    assert len(full.chunks) > 3
    chunks = []
    for ref in full.chunks:
        answer = agency.client.get(f"{CHUNKS_PATH}/{ref.hash}", headers=device.headers())
        assert answer.status_code == 200
        chunks.append(answer.content)
    update = read_update(full, chunks)
    assert isinstance(update, DirectorySnapshot) and update.dataset.services[0].name == "Renamed"
    # one version behind: the small delta
    delta = open_manifest(manifest(1).content, _trusted(agency))
    assert (delta.version, delta.base_version, delta.count) == (2, 1, 1)
    assert delta.wire_bytes < full.wire_bytes
    chunks = [agency.storage.directory.chunk(c.hash) or b"" for c in delta.chunks]
    assert isinstance(read_update(delta, chunks), DirectoryDelta)
    # up to date: nothing
    assert manifest(2).status_code == 204


def test_the_download_routes_need_a_device_credential_and_a_real_hash(
    agency: Agency, seed: Dataset, tmp_path: Path
) -> None:
    _publish_two(agency, seed, tmp_path)
    assert agency.client.get(MANIFEST_PATH, params={"have": 0}).status_code == 401
    device = agency.enrolled_device()
    bad = agency.client.get(MANIFEST_PATH, params={"have": "-1"}, headers=device.headers())
    assert bad.status_code == 422
    assert agency.client.get(f"{CHUNKS_PATH}/{'0' * 64}").status_code == 401
    missing = agency.client.get(f"{CHUNKS_PATH}/{'0' * 64}", headers=device.headers())
    assert missing.status_code == 404
    odd = agency.client.get(f"{CHUNKS_PATH}/..%2Fetc", headers=device.headers())
    assert odd.status_code in (404, 422)


def _rows(newest: int, delta_bytes: int = 10, full_bytes: int = 1000) -> list[ManifestRow]:
    rows = [ManifestRow(v, "full", full_bytes) for v in range(1, newest + 1)]
    return rows + [ManifestRow(v, "delta", delta_bytes) for v in range(2, newest + 1)]


@pytest.mark.parametrize(
    ("have", "newest", "delta_bytes", "expected"),
    [
        (5, 5, 10, None),  # up to date
        (4, 5, 10, (5, "delta")),  # one behind: the delta
        (1, 5, 10, (2, "delta")),  # a few behind: the next delta, then ask again
        (0, 5, 10, (5, "full")),  # the seed, no published base: the full download
        (1, MAX_DELTA_STEPS + 2, 10, (MAX_DELTA_STEPS + 2, "full")),  # too far behind
        (1, 5, 400, (5, "full")),  # the deltas weigh more than the full directory
    ],
)
def test_which_download_a_laptop_takes(
    have: int, newest: int, delta_bytes: int, expected: tuple[int, str] | None
) -> None:
    rows = [r for r in _rows(newest, delta_bytes) if r.version > have]
    assert next_step(rows, have) == expected
