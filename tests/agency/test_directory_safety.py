"""Publishing the directory safely (issue 18): a file of records adds to the
published directory and never empties it, a publication that would empty the
directory or remove most of it is refused with a clear sentence, a dry run shows
the diff and stores nothing, any publication can be rolled back, and the
published directory exports as HSDS 3. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from peerdesk.agency.directory import publish_directory, rollback_directory
from peerdesk.agency.models import SIGNING
from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.directory import Dataset, DirectoryDelta, apply_delta
from peerdesk.errors import ValidationError
from peerdesk.interop import hsds
from peerdesk.wire.directory_updates import open_directory_update
from tests.agency.support import BOTH_BACKENDS, Agency, Run

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "resources" / "directory" / "seed.json"
SERVICE_FULL = ROOT / "tests" / "fixtures" / "hsds3" / "examples" / "service_full.json"


def _updates(storage: Storage) -> list[bytes]:
    items, _ = storage.outbound.inbound("0190f0c0-0000-7000-8000-000000000099", 0)
    return [i.payload for i in items if i.kind == "directory" and i.device_id is None]


def _trusted(storage: Storage) -> dict[str, bytes]:
    return {k.key_id: k.public for k in storage.keys.all(SIGNING)}


def _published(agency: Agency, run: Run) -> str:
    where = str(agency.settings.directory)
    assert run("directory", "import", "--dir", where, str(SEED)).code == 0
    return where


@BOTH_BACKENDS
def test_a_single_service_file_over_a_published_directory_removes_nothing(
    agency: Agency, seed: Dataset
) -> None:
    signer = SigningKeyPair.generate()
    publish_directory(agency.storage, SEED, signer, agency.clock())

    done = publish_directory(agency.storage, SERVICE_FULL, signer, agency.clock())

    assert (done.version, done.kind, done.removed, done.services) == (2, "delta", 0, 43)
    latest = agency.storage.directory.latest()
    assert latest is not None and (latest.version, latest.services) == (2, 43)
    # what every laptop receives: a delta that adds and removes nothing
    delta = open_directory_update(_updates(agency.storage)[-1], {signer.key_id: signer.public_raw})
    assert isinstance(delta, DirectoryDelta)
    assert {op.action for op in delta.ops} == {"add"}
    after = apply_delta(seed, delta)
    assert {s.id for s in seed.services} < {s.id for s in after.services}
    assert "Community Counselling" in {s.name for s in after.services}


def test_the_command_line_says_a_single_service_file_adds_and_removes_nothing(
    agency: Agency, run: Run
) -> None:
    where = _published(agency, run)

    result = run("directory", "import", "--dir", where, str(SERVICE_FULL))

    assert result.code == 0, result.err
    assert "adds its records to the published directory" in result.out
    assert "services: 1 added, 0 changed, 0 removed; 43 in all" in result.out
    assert "0 removed; 43 services in all" in result.out


@BOTH_BACKENDS
def test_a_single_service_file_as_the_whole_directory_is_refused(agency: Agency) -> None:
    signer = SigningKeyPair.generate()
    publish_directory(agency.storage, SEED, signer, agency.clock())

    with pytest.raises(ValidationError) as refused:
        publish_directory(agency.storage, SERVICE_FULL, signer, agency.clock(), replace=True)

    assert "would remove 42 of the 42 published services" in str(refused.value)
    assert "Nothing was published" in str(refused.value)
    assert len(_updates(agency.storage)) == 1
    assert [v.version for v in agency.storage.directory.history()] == [1]


def test_the_command_line_refuses_a_single_service_file_as_the_whole_directory(
    agency: Agency, run: Run
) -> None:
    where = _published(agency, run)

    result = run("directory", "import", "--dir", where, "--replace", str(SERVICE_FULL))

    assert result.code == 1
    assert "would remove 42 of the 42 published services" in result.err
    assert "--allow-removals" in result.err
    assert len(_updates(agency.storage)) == 1


def test_an_empty_directory_is_refused_first_or_later_unless_asked_for(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text('{"organizations": [], "services": []}', encoding="utf-8")
    where = str(agency.settings.directory)

    first = run("directory", "import", "--dir", where, str(empty))
    assert first.code == 1 and "has no services" in first.err
    assert "empty the directory on every laptop" in first.err
    assert agency.storage.directory.latest() is None

    _published(agency, run)
    later = run("directory", "import", "--dir", where, str(empty))
    assert later.code == 1 and "has no services" in later.err and "--allow-empty" in later.err
    assert len(_updates(agency.storage)) == 1

    asked = run("directory", "import", "--dir", where, "--allow-empty", str(empty))
    assert asked.code == 0, asked.err
    latest = agency.storage.directory.latest()
    assert latest is not None and latest.services == 0


def test_a_file_that_is_no_directory_at_all_reads_as_empty_and_is_refused(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    """The bug of issue 18: a file the reader did not understand published as an
    empty directory with exit code 0."""
    where = _published(agency, run)
    odd = tmp_path / "odd.json"
    odd.write_text('{"hsds_version": "3.0", "services": "none"}', encoding="utf-8")

    result = run("directory", "import", "--dir", where, str(odd))

    assert result.code == 1
    assert "has no services" in result.err
    assert len(_updates(agency.storage)) == 1


def test_a_publication_removing_most_services_is_refused_with_the_count(
    agency: Agency, run: Run, seed: Dataset, tmp_path: Path
) -> None:
    where = _published(agency, run)
    small = tmp_path / "small.json"
    hsds.save_json(replace(seed, services=seed.services[:37]), small)

    refused = run("directory", "import", "--dir", where, "--max-removed-share", "0.1", str(small))
    assert refused.code == 1
    assert "would remove 5 of the 42 published services (more than 10%)" in refused.err
    assert len(_updates(agency.storage)) == 1

    allowed = run("directory", "import", "--dir", where, str(small))  # 5 of 42 < 20%
    assert allowed.code == 0, allowed.err
    assert "5 removed; 37 services in all" in allowed.out


def test_the_default_share_refuses_a_large_removal_and_the_flag_allows_it(
    agency: Agency, run: Run, seed: Dataset, tmp_path: Path
) -> None:
    where = _published(agency, run)
    half = tmp_path / "half.json"
    hsds.save_json(replace(seed, services=seed.services[:21]), half)

    refused = run("directory", "import", "--dir", where, str(half))
    assert refused.code == 1
    assert "would remove 21 of the 42 published services (more than 20%)" in refused.err

    allowed = run("directory", "import", "--dir", where, "--allow-removals", str(half))
    assert allowed.code == 0, allowed.err


def test_a_dry_run_shows_the_diff_and_publishes_nothing(
    agency: Agency, run: Run, seed: Dataset, tmp_path: Path
) -> None:
    where = _published(agency, run)
    first, *rest = seed.services
    changed = replace(seed, services=(replace(first, name="Renamed Line"), *rest[:-1]))
    path = tmp_path / "v2.json"
    hsds.save_json(changed, path)

    result = run("directory", "import", "--dir", where, "--dry-run", str(path))

    assert result.code == 0, result.err
    assert "services: 0 added, 1 changed, 1 removed; 41 in all" in result.out
    assert "Renamed Line" in result.out and rest[-1].name in result.out
    assert "Dry run: nothing was published (it would be published)" in result.out
    assert len(_updates(agency.storage)) == 1

    same = run("directory", "import", "--dir", where, "--dry-run", str(SEED))
    assert "nothing was published (it is the same as version 1)" in same.out

    refused = run("directory", "import", "--dir", where, "--dry-run", "--replace",
                  str(SERVICE_FULL))  # fmt: skip
    assert refused.code == 1 and "REFUSED: publishing service_full.json" in refused.out


@BOTH_BACKENDS
def test_every_publication_can_be_rolled_back_to_the_previous_version(
    agency: Agency, seed: Dataset, tmp_path: Path
) -> None:
    signer = SigningKeyPair.generate()
    publish_directory(agency.storage, SEED, signer, agency.clock())
    publish_directory(agency.storage, SERVICE_FULL, signer, agency.clock())

    # guarded as an import is (issue 18, LOW 7): the taxonomy of service_full.json
    # is 1 of the 2 published
    with pytest.raises(ValidationError, match="would remove 1 of the 2 published taxonomies"):
        rollback_directory(agency.storage, signer, agency.clock(), actor="admin")
    target, done = rollback_directory(
        agency.storage, signer, agency.clock(), actor="admin", allow_removals=True
    )

    # the service, its organization, location, category and taxonomy go again
    assert (target, done.version, done.kind, done.removed) == (1, 3, "delta", 5)
    latest = agency.storage.directory.latest()
    assert latest is not None and hsds.parse_json(latest.dataset) == seed
    *_, blob = _updates(agency.storage)
    delta = open_directory_update(blob, {signer.key_id: signer.public_raw})
    assert isinstance(delta, DirectoryDelta) and (delta.base_version, delta.version) == (2, 3)
    with pytest.raises(ValidationError, match="there is no directory version 9"):
        rollback_directory(agency.storage, signer, agency.clock(), to_version=9)


def test_rollback_and_export_from_the_command_line(
    agency: Agency, run: Run, seed: Dataset, tmp_path: Path
) -> None:
    where = _published(agency, run)
    assert run("directory", "import", "--dir", where, str(SERVICE_FULL)).code == 0

    refused = run("directory", "rollback", "--dir", where)
    assert refused.code == 1 and "1 of the 2 published taxonomies" in refused.err
    assert "roll back again with --allow-removals" in refused.err
    rolled = run("directory", "rollback", "--dir", where, "--allow-removals")
    assert rolled.code == 0, rolled.err
    assert "Going back to the directory of version 1" in rolled.out
    assert "Published directory version 3" in rolled.out

    exported = run("directory", "export", "--dir", where, str(tmp_path / "out.json"))
    assert exported.code == 0, exported.err
    assert hsds.import_path(tmp_path / "out.json").dataset == seed
    csv_out = run("directory", "export", "--dir", where, "--format", "csv", "--version", "2",
                  str(tmp_path / "csv"))  # fmt: skip
    assert csv_out.code == 0, csv_out.err
    assert (tmp_path / "csv" / "services.csv").is_file()
    two = hsds.import_path(tmp_path / "csv").dataset
    assert len(two.services) == 43
    counselling = next(s for s in two.services if s.name == "Community Counselling")
    assert json.loads(counselling.extra)["cost_options"][0]["amount"] == 35


def _package(folder: Path, *, locations: bytes | None) -> Path:
    """Ten services, each at its own location (``locations``: the locations.csv
    bytes, None to leave the file out)."""
    folder.mkdir(exist_ok=True)
    services = "id,name,status\r\n" + "".join(f"s{i},Service {i},active\r\n" for i in range(10))
    links = "id,service_id,location_id\r\n" + "".join(f"a{i},s{i},l{i}\r\n" for i in range(10))
    (folder / "services.csv").write_text(services, encoding="utf-8", newline="")
    (folder / "service_at_location.csv").write_text(links, encoding="utf-8", newline="")
    if locations is not None:
        (folder / "locations.csv").write_bytes(locations)
    return folder


LOCATIONS = "id,name,location_type\r\n" + "".join(
    f"l{i},Caf\xe9 {i},physical\r\n" for i in range(10)
)


@BOTH_BACKENDS
@pytest.mark.parametrize(
    ("encoding", "why"),
    [("latin-1", "is not UTF-8 text (byte 29)"), ("utf-16", "is not UTF-8 text (byte 0)")],
)
def test_a_package_with_a_file_that_could_not_be_read_is_refused_naming_it(
    agency: Agency, tmp_path: Path, encoding: str, why: str
) -> None:
    """Issue 18, MEDIUM 5: locations.csv saved as Latin-1 or UTF-16 was left out as
    a whole, its links dropped, and the package published with every location gone."""
    signer = SigningKeyPair.generate()
    good = _package(tmp_path / "good", locations=LOCATIONS.encode("utf-8"))
    publish_directory(agency.storage, good, signer, agency.clock())
    bad = _package(tmp_path / "bad", locations=LOCATIONS.encode(encoding))

    for allow in (False, True):  # no flag publishes a package missing a whole file
        with pytest.raises(ValidationError) as refused:
            publish_directory(agency.storage, bad, signer, agency.clock(),
                              allow_removals=allow, allow_empty=allow)  # fmt: skip
        assert f"locations.csv: {why} (file not read)" in str(refused.value)
        assert "Nothing was published" in str(refused.value)
    assert [v.version for v in agency.storage.directory.history()] == [1]
    # --add: the records are added to the published directory (even a whole package
    # used to replace it), nothing is removed, so nothing is refused
    added = publish_directory(agency.storage, bad, signer, agency.clock(), replace=False)
    assert added.removed == 0


@BOTH_BACKENDS
def test_removing_most_records_of_any_kind_is_refused_unless_allowed(
    agency: Agency, tmp_path: Path
) -> None:
    """Issue 18, MEDIUM 5: the removal guard counted services only."""
    signer = SigningKeyPair.generate()
    good = _package(tmp_path / "good", locations=LOCATIONS.encode("utf-8"))
    publish_directory(agency.storage, good, signer, agency.clock())
    without = _package(tmp_path / "without", locations=None)

    with pytest.raises(ValidationError) as refused:
        publish_directory(agency.storage, without, signer, agency.clock())
    assert "would remove 10 of the 10 published locations (more than 20%)" in str(refused.value)
    assert [v.version for v in agency.storage.directory.history()] == [1]

    done = publish_directory(agency.storage, without, signer, agency.clock(), allow_removals=True)
    assert (done.version, done.updated, done.removed) == (2, 10, 10)  # the locations go


def test_the_command_line_shows_the_file_that_could_not_be_read(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    where = str(agency.settings.directory)
    good = _package(tmp_path / "good", locations=LOCATIONS.encode("utf-8"))
    assert run("directory", "import", "--dir", where, str(good)).code == 0
    bad = _package(tmp_path / "bad", locations=LOCATIONS.encode("latin-1"))

    dry = run("directory", "import", "--dir", where, "--dry-run", str(bad))
    assert dry.code == 1
    assert "locations.csv: is not UTF-8 text (byte 29) (file not read)" in dry.out
    assert "REFUSED: a whole file of bad could not be read" in dry.out
    refused = run("directory", "import", "--dir", where, "--allow-removals", str(bad))
    assert refused.code == 1 and "locations.csv" in refused.err
    assert len(_updates(agency.storage)) == 1


def test_a_rollback_that_removes_most_services_is_refused_and_can_be_dry_run(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    """Issue 18, LOW 7: v1 a 5-service trial, v2 adds 495 in add mode; a bare
    rollback removed the 495 with no plan, refusal or confirmation."""
    where = str(agency.settings.directory)
    trial = tmp_path / "trial.json"
    services = [{"id": f"s{i}", "name": f"Service {i}", "status": "active"} for i in range(500)]
    trial.write_text(json.dumps({"services": services[:5]}), encoding="utf-8")
    more = tmp_path / "more.json"
    more.write_text(json.dumps({"services": services[5:]}), encoding="utf-8")
    assert run("directory", "import", "--dir", where, str(trial)).code == 0
    added = run("directory", "import", "--dir", where, "--add", str(more))
    assert added.code == 0, added.err
    assert agency.storage.directory.latest().services == 500  # type: ignore[union-attr]

    refused = run("directory", "rollback", "--dir", where)
    assert refused.code == 1
    assert "would remove 495 of the 500 published services (more than 20%)" in refused.err
    dry = run("directory", "rollback", "--dir", where, "--dry-run", "--allow-removals")
    assert dry.code == 0, dry.err
    assert "The directory of version 1 again; compared with version 2:" in dry.out
    assert "services: 0 added, 0 changed, 495 removed; 5 in all" in dry.out
    assert "Dry run: nothing was published (it would be published)" in dry.out
    shared = run("directory", "rollback", "--dir", where, "--dry-run", "--max-removed-share", "1")
    assert shared.code == 0 and "it would be published" in shared.out
    assert len(_updates(agency.storage)) == 2

    rolled = run("directory", "rollback", "--dir", where, "--allow-removals")
    assert rolled.code == 0, rolled.err
    assert "Published directory version 3" in rolled.out
    assert agency.storage.directory.latest().services == 5  # type: ignore[union-attr]
    assert "495 removed" in agency.storage.audit.entries()[-1].detail
