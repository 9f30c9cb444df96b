"""Publishing the resource directory from the agency (``peerdesk-agency directory
import``): checked first, a signed snapshot the first time and signed deltas
after, stored with a broadcast outbound item in one go, nothing half-done."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from peerdesk.agency import directory as publishing
from peerdesk.agency.directory import publish_directory
from peerdesk.agency.models import SIGNING
from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.directory import Dataset, DirectoryDelta, DirectorySnapshot, apply_delta
from peerdesk.errors import BadSignature, DirectoryDataError, ValidationError
from peerdesk.interop import hsds
from peerdesk.wire.directory_chunks import open_manifest, read_update
from peerdesk.wire.directory_updates import open_directory_update
from peerdesk.wire.protocol import decode_response
from tests.agency.support import Agency, Run

SEED = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"


def _trusted(storage: Storage) -> dict[str, bytes]:
    return {k.key_id: k.public for k in storage.keys.all(SIGNING)}


def _broadcasts(storage: Storage) -> list[bytes]:
    """The directory items a device that never synced would receive."""
    items, _ = storage.outbound.inbound("0190f0c0-0000-7000-8000-000000000099", 0)
    return [i.payload for i in items if i.kind == "directory" and i.device_id is None]


def _changed(seed: Dataset) -> Dataset:
    """The seed with one service renamed and one removed."""
    first, *rest = seed.services
    renamed = replace(first, name=first.name + " (24/7)")
    kept = [s for s in rest if s.name != "Dial-a-Ride"]
    return replace(seed, services=(renamed, *kept))


def test_first_import_publishes_a_signed_snapshot_for_every_device(
    agency: Agency, run: Run, seed: Dataset
) -> None:
    result = run("directory", "import", "--dir", str(agency.settings.directory), str(SEED))

    assert result.code == 0, result.err
    assert "Published directory version 1" in result.out and "42 services" in result.out
    [blob] = _broadcasts(agency.storage)
    update = open_directory_update(blob, _trusted(agency.storage))
    assert isinstance(update, DirectorySnapshot)
    assert update.version == 1 and update.dataset == seed
    latest = agency.storage.directory.latest()
    assert latest is not None and (latest.version, latest.kind, latest.services) == (
        1,
        "snapshot",
        42,
    )
    assert hsds.parse_json(latest.dataset) == seed


def test_a_later_import_publishes_a_delta_from_the_previous_version(
    agency: Agency, seed: Dataset, tmp_path: Path
) -> None:
    signer = SigningKeyPair.generate()  # any key: this checks the chain of versions
    publish_directory(agency.storage, SEED, signer, agency.clock())
    changed = _changed(seed)
    hsds.save_json(changed, tmp_path / "v2.json")

    done = publish_directory(agency.storage, tmp_path / "v2.json", signer, agency.clock())

    assert (done.version, done.kind, done.added, done.updated, done.removed) == (
        2,
        "delta",
        0,
        1,
        1,
    )
    first, second = _broadcasts(agency.storage)
    delta = open_directory_update(second, {signer.key_id: signer.public_raw})
    assert isinstance(delta, DirectoryDelta)
    assert (delta.base_version, delta.version) == (1, 2)
    applied = apply_delta(seed, delta)
    assert {s.id: s for s in applied.services} == {s.id: s for s in changed.services}
    assert [v.version for v in agency.storage.directory.history()] == [1, 2]


def test_importing_the_same_dataset_again_publishes_nothing(agency: Agency, run: Run) -> None:
    where = ("--dir", str(agency.settings.directory))
    assert run("directory", "import", *where, str(SEED)).code == 0

    again = run("directory", "import", *where, str(SEED))

    assert again.code == 0 and "nothing was published" in again.out
    assert len(_broadcasts(agency.storage)) == 1
    listing = run("directory", "list", *where)
    assert listing.code == 0 and " snapshot " in listing.out and listing.out.count("\n") == 2


def test_a_csv_package_folder_is_published_like_json(
    agency: Agency, seed: Dataset, tmp_path: Path, run: Run
) -> None:
    hsds.save_csv_package(seed, tmp_path / "csv")

    result = run(
        "directory", "import", "--dir", str(agency.settings.directory), str(tmp_path / "csv")
    )

    assert result.code == 0, result.err
    [blob] = _broadcasts(agency.storage)
    update = open_directory_update(blob, _trusted(agency.storage))
    assert isinstance(update, DirectorySnapshot) and len(update.dataset.services) == 42


def test_a_bad_record_is_named_and_left_out_and_the_rest_is_published(
    agency: Agency, tmp_path: Path, run: Run
) -> None:
    """Issue 18: one bad record no longer rejects the file; it is reported by file,
    record and field, and left out."""
    doc = json.loads(SEED.read_text(encoding="utf-8"))
    doc["services"][3]["name"] = 12345
    bad_id = doc["services"][3]["id"]
    bad = tmp_path / "directory.json"
    bad.write_text(json.dumps(doc, indent=2), encoding="utf-8")

    result = run("directory", "import", "--dir", str(agency.settings.directory), str(bad))

    assert result.code == 0, result.err
    assert "1 record(s) with a problem were left out" in result.out
    text = bad.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index(f'"id": "{bad_id}"')) + 1
    assert f"directory.json, services[3] (id '{bad_id}'), line {line}, field 'name'" in result.out
    assert "must be text" in result.out
    latest = agency.storage.directory.latest()
    assert latest is not None and latest.services == 41


def test_a_file_that_is_not_hsds_names_the_place_and_nothing_is_stored_or_sent(
    agency: Agency, tmp_path: Path, run: Run
) -> None:
    bad = tmp_path / "directory.json"
    bad.write_text('{"services": [', encoding="utf-8")

    result = run("directory", "import", "--dir", str(agency.settings.directory), str(bad))

    assert result.code == 1
    assert "directory.json" in result.err and "not valid JSON" in result.err
    assert _broadcasts(agency.storage) == []
    assert agency.storage.directory.latest() is None


def test_a_missing_file_is_refused(agency: Agency, tmp_path: Path, run: Run) -> None:
    result = run(
        "directory", "import", "--dir", str(agency.settings.directory), str(tmp_path / "nope.json")
    )
    assert result.code == 1 and "no such file" in result.err
    assert agency.storage.directory.latest() is None


def test_a_snapshot_larger_than_a_sync_answer_carries_is_announced_by_its_manifest(
    agency: Agency, monkeypatch: pytest.MonkeyPatch, seed: Dataset
) -> None:
    monkeypatch.setattr(publishing, "INBAND_MAX", 10_000)
    signer = SigningKeyPair.generate()
    done = publish_directory(agency.storage, SEED, signer, agency.clock())
    assert done.version == 1 and done.signed_bytes > 10_000
    [blob] = _broadcasts(agency.storage)
    trusted = {signer.key_id: signer.public_raw}
    with pytest.raises(BadSignature):  # not an update: a manifest, downloaded in chunks
        open_directory_update(blob, trusted)
    manifest = open_manifest(blob, trusted)
    assert manifest.version == 1 and manifest.full and manifest.count == len(seed.services)
    chunks = [agency.storage.directory.chunk(c.hash) for c in manifest.chunks]
    update = read_update(manifest, [c for c in chunks if c is not None])
    assert isinstance(update, DirectorySnapshot) and update.dataset == seed


def test_a_version_out_of_turn_is_refused_and_queues_nothing(agency: Agency) -> None:
    with pytest.raises(ValidationError, match="the next version is 1"):
        agency.storage.directory.publish(
            version=2, kind="delta", dataset=b"{}", services=0, signed=b"x", now=agency.clock()
        )
    assert _broadcasts(agency.storage) == []


def test_the_update_is_signed_with_the_agency_signing_key_only(agency: Agency, run: Run) -> None:
    assert run("directory", "import", "--dir", str(agency.settings.directory), str(SEED)).code == 0
    [blob] = _broadcasts(agency.storage)
    other = SigningKeyPair.generate()
    with pytest.raises(BadSignature):
        open_directory_update(blob, {other.key_id: other.public_raw})


def test_an_enrolled_device_receives_the_published_update_at_its_sync(
    agency: Agency, run: Run
) -> None:
    device = agency.enrolled_device()
    assert run("directory", "import", "--dir", str(agency.settings.directory), str(SEED)).code == 0

    answer = agency.sync(device, device.batch([]))

    assert answer.status_code == 200
    [item] = decode_response(answer.content).inbound
    assert item.kind == "directory"
    signing = device.bundle.signing
    update = open_directory_update(item.payload, {signing.key_id: signing.public})
    assert isinstance(update, DirectorySnapshot) and update.version == 1


def test_a_stored_dataset_that_no_longer_reads_is_reported_not_diffed(
    agency: Agency, seed: Dataset, tmp_path: Path
) -> None:
    signer = SigningKeyPair.generate()
    agency.storage.directory.publish(
        version=1,
        kind="snapshot",
        dataset=b"{not json",
        services=0,
        signed=b"x",
        now=agency.clock(),
    )
    hsds.save_json(_changed(seed), tmp_path / "v2.json")
    with pytest.raises(Exception, match="stored directory is unreadable") as caught:
        publish_directory(agency.storage, tmp_path / "v2.json", signer, agency.clock())
    assert not isinstance(caught.value, DirectoryDataError)
    assert len(_broadcasts(agency.storage)) == 1
