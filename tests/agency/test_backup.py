"""``peerdesk-agency backup`` / ``restore`` on SQLite and PostgreSQL: private
files, the manifest, the refusals (newer schema, damaged copy, a running
server), a restore into a fresh PostgreSQL database, and what a laptop sees
after the agency went back to an older point."""

from __future__ import annotations

import dataclasses
import json
import secrets
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from peerdesk.agency import backup
from peerdesk.agency.app import create_app
from peerdesk.agency.keys import load_signing
from peerdesk.agency.migrations import heads
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage, make_engine
from peerdesk.agency.tables import outbound, records
from peerdesk.crypto.seal import SigningKeyPair, sign_document
from peerdesk.errors import BadSignature
from peerdesk.wire.protocol import decode_error, decode_response
from peerdesk.wire.restore import RESTORED, open_restore_notice
from tests.agency.support import BOTH_BACKENDS, Agency, ASGIClient, FieldDevice, Run


def _sync(agency: Agency, device: FieldDevice, count: int, client: ASGIClient | None = None,
          raw: bytes | None = None) -> tuple[bytes, dict[str, int]]:  # fmt: skip
    """One batch of ``count`` notes (or ``raw``); the body and its acks (op id -> seq)."""
    raw = raw or device.batch([device.note(f"note {i}") for i in range(count)])
    answer = (client or agency.client).post("/v1/sync", content=raw, headers=device.headers())
    assert answer.status_code == 200, answer.text
    return raw, {a.op_id: a.seq for a in decode_response(answer.content).acks}


def _op_ids(storage: Storage) -> list[str]:
    return [r[0] for r in storage.db.rows(select(records.c.op_id).order_by(records.c.seq))]


def _with_url(settings: AgencySettings, url: str) -> AgencySettings:
    """The same agency directory, its agency.toml naming ``url``."""
    path = settings.settings_path
    lines = [ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("database_url")]
    path.write_text("\n".join([*lines, f"database_url = {json.dumps(url)}"]) + "\n", "utf-8")
    return dataclasses.replace(settings, database_url=url)


@pytest.fixture
def agency_db_url(agency: Agency, backend: str) -> str:
    """The agency's database URL as a command sees it (its agency.toml)."""
    url = agency.storage.engine.url.render_as_string(hide_password=False)
    if backend == "postgresql":
        with agency.storage.db.read() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
        url = f"{url}?options=-csearch_path%3D{schema}"
    _with_url(agency.settings, url)
    return url


@BOTH_BACKENDS
def test_backup_is_private_and_its_manifest_counts_what_it_holds(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path, backend: str
) -> None:
    device = agency.enrolled_device()
    _sync(agency, device, 3)
    out = tmp_path / "backups" / "monday"
    result = run("backup", "--dir", str(agency.settings.directory), "--out", str(out))
    assert result.code == 0, result.err
    assert "records:         3" in result.out
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    db_file = "agency.db" if backend == "sqlite" else "agency.pgdump"
    assert modes == {db_file: 0o600, "manifest.json": 0o600, "enrollment-code.key": 0o600}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["backend"] == backend
    assert manifest["schema"] == list(heads())
    assert manifest["counts"]["records"] == 3 and manifest["counts"]["devices"] == 1
    assert run("restore", "--dir", str(agency.settings.directory), "--check", str(out)).code == 0
    # a second backup to the same folder is refused, the first is left alone
    again = run("backup", "--dir", str(agency.settings.directory), "--out", str(out))
    assert again.code == 1 and "exists already" in again.err


def test_a_sqlite_backup_taken_while_a_writer_holds_the_database_is_consistent(
    agency: Agency, agency_db_url: str, tmp_path: Path
) -> None:
    device = agency.enrolled_device()
    _sync(agency, device, 2)
    path = agency.storage.engine.url.database
    writer = sqlite3.connect(str(path), timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE devices SET label = 'half-way' WHERE device_id = ?", (device.device_id,))
    try:  # the copy sees the committed state only, never the open transaction
        manifest = backup.backup(agency.settings, tmp_path / "b")
    finally:
        writer.rollback()
        writer.close()
    con = sqlite3.connect(tmp_path / "b" / "agency.db")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT label FROM devices").fetchone() == ("Field laptop 7",)
    assert manifest.counts["records"] == 2


def test_restore_refuses_a_newer_schema_a_damaged_copy_and_a_running_server(
    agency: Agency, agency_db_url: str, tmp_path: Path, run: Run
) -> None:
    _sync(agency, agency.enrolled_device(), 1)
    root = str(agency.settings.directory)
    out = tmp_path / "b"
    backup.backup(agency.settings, out)
    manifest_path = out / "manifest.json"
    good = manifest_path.read_text()
    # a newer schema
    manifest_path.write_text(good.replace(f'"{heads()[0]}"', '"0099"'))
    result = run("restore", "--dir", root, str(out))
    assert result.code == 1 and "newer schema (revision 0099)" in result.err
    manifest_path.write_text(good)
    # a changed file
    raw = (out / "agency.db").read_bytes()
    (out / "agency.db").write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    result = run("restore", "--dir", root, str(out))
    assert result.code == 1 and "does not match its manifest" in result.err
    # damaged, with a manifest that matches the damage: SQLite's integrity check says so
    damaged = bytearray(raw)
    damaged[4096:] = b"\xa5" * (len(raw) - 4096)  # every page after the first
    (out / "agency.db").write_bytes(bytes(damaged))
    data = json.loads(good)
    data["sha256"] = backup._sha256(out / "agency.db")
    manifest_path.write_text(json.dumps(data))
    result = run("restore", "--dir", root, str(out))
    assert result.code == 1 and ("integrity" in result.err or "not a readable" in result.err)
    (out / "agency.db").write_bytes(raw)
    manifest_path.write_text(good)
    # a serve on this agency directory (it holds the serve lock)
    with backup.serving(agency.settings):
        result = run("restore", "--dir", root, str(out))
        assert result.code == 1 and "serve is running" in result.err
        assert run("restore", "--dir", root, "--force", str(out)).code == 0
    assert run("restore", "--dir", root, str(out)).code == 0


@BOTH_BACKENDS
def test_after_a_restore_laptops_sync_on_with_no_duplicates_and_no_reused_numbers(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path
) -> None:
    """Going back to an older point, on the wire. Before the backup the laptop
    sent A; after it B; then the agency was restored. A is there once, B is
    gone; the next answer brings the signed restore notice with the highest
    record number kept (A's), above which the laptop sends again (B); replays
    and re-sends are deduplicated by op id, and nothing new gets a sequence
    number the laptop has seen (its acks and its inbound cursor name those).
    The real laptop's side is tests/sync/test_restore.py."""
    root = str(agency.settings.directory)
    device = agency.enrolled_device()
    raw_a, acks_a = _sync(agency, device, 3)
    assert run("backup", "--dir", root, "--out", str(tmp_path / "b")).code == 0
    raw_b, acks_b = _sync(agency, device, 2)
    seen = max([*acks_a.values(), *acks_b.values()])
    restored = run("restore", "--dir", root, str(tmp_path / "b"))
    assert restored.code == 0, restored.err
    assert f"records above number {max(acks_a.values())}" in restored.out
    assert _op_ids(agency.storage) == list(acks_a)  # B is gone, A is whole
    # the laptop goes on: a replay of A's batch is answered as before, a new batch is stored
    _, replayed = _sync(agency, device, 0, raw=raw_a)
    assert replayed == acks_a
    raw_c = device.batch([device.note("after the restore")], cursor=0)
    answer = agency.client.post("/v1/sync", content=raw_c, headers=device.headers())
    response = decode_response(answer.content)
    acks_c = {a.op_id: a.seq for a in response.acks}
    assert min(acks_c.values()) > seen
    [notice] = [i for i in response.inbound if i.kind == RESTORED]
    assert open_restore_notice(notice.payload, device.bundle).high_water == max(acks_a.values())
    forged = sign_document(SigningKeyPair.generate(), RESTORED, {"high_water": 0})
    with pytest.raises(BadSignature):
        open_restore_notice(forged, device.bundle)
    # B sent again (as the laptop does on the notice): stored once, at new numbers
    resend = device.batch([r for r in _records_of(device, raw_b)])
    _, acks_b2 = _sync(agency, device, 0, raw=resend)
    _, acks_b3 = _sync(agency, device, 0, raw=device.batch(_records_of(device, raw_b)))
    assert set(acks_b2) == set(acks_b) and acks_b3 == acks_b2
    assert min(acks_b2.values()) > seen
    stored = _op_ids(agency.storage)
    assert sorted(stored) == sorted([*acks_a, *acks_b, *acks_c])
    assert len(stored) == len(set(stored))
    assert agency.storage.db.scalar(select(func.count()).select_from(records)) == 6


def _records_of(device: FieldDevice, raw: bytes) -> list:  # type: ignore[type-arg]
    from peerdesk.wire.protocol import decode_batch

    return list(decode_batch(raw).batch.records)


# --- PostgreSQL: a restore into a fresh database ---------------------------------------------


@pytest.fixture
def fresh_database(pg_url: str) -> Iterator[str]:
    name = f"pdtest_restore_{secrets.token_hex(5)}"
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_postgresql_backup_restores_into_a_fresh_database_that_serves(
    agency: Agency, agency_db_url: str, fresh_database: str, run: Run, tmp_path: Path
) -> None:
    device = agency.enrolled_device()
    _, acks = _sync(agency, device, 4)
    root = str(agency.settings.directory)
    assert run("backup", "--dir", root, "--out", str(tmp_path / "b")).code == 0
    schema = agency_db_url.rsplit("%3D", 1)[1]
    target = _with_url(agency.settings, f"{fresh_database}?options=-csearch_path%3D{schema}")
    result = run("restore", "--dir", root, str(tmp_path / "b"))
    assert result.code == 0, result.err
    fresh = Storage.from_url(target.database_url)
    try:
        assert fresh.schema_status().up_to_date
        assert _op_ids(fresh) == list(acks)
        app = create_app(target, storage=fresh, clock=agency.clock)
        with ASGIClient(app) as client:  # the laptop syncs on against the restored copy
            _, more = _sync(agency, device, 1, client=client)
        assert min(more.values()) > max(acks.values())
    finally:
        fresh.close()


def test_restore_refuses_while_a_real_serve_runs_on_the_agency(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path
) -> None:
    """``serve`` holds the agency directory's serve lock for as long as it runs."""
    from tests.agency.serve_process import serve

    root = str(agency.settings.directory)
    assert run("backup", "--dir", root, "--out", str(tmp_path / "b")).code == 0
    with serve(agency.settings.directory, "--workers", "2"):
        refused = run("restore", "--dir", root, str(tmp_path / "b"))
        assert refused.code == 1 and "serve is running" in refused.err
    assert run("restore", "--dir", root, str(tmp_path / "b")).code == 0


# --- what a restore keeps from the database it replaces -----------------------------------


@BOTH_BACKENDS
def test_a_laptop_revoked_after_the_backup_stays_revoked(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path
) -> None:
    root = str(agency.settings.directory)
    kept, stolen = agency.enrolled_device("kept"), agency.enrolled_device("stolen")
    _sync(agency, stolen, 1)
    assert run("backup", "--dir", root, "--out", str(tmp_path / "b")).code == 0
    assert run("revoke", "--dir", root, stolen.device_id).code == 0
    restored = run("restore", "--dir", root, str(tmp_path / "b"))
    assert restored.code == 0, restored.err
    assert f"device {stolen.device_id} stays revoked" in restored.out
    # IT sees what was done after the backup, to redo what is still needed
    assert "revoke" in restored.out.split("after the backup", 1)[1]
    answer = agency.sync(stolen, stolen.batch([stolen.note()]))
    assert answer.status_code == 403
    assert decode_error(answer.content).code == "revoked"
    items, _ = agency.storage.outbound.inbound(stolen.device_id, 0)
    assert "wipe" in [i.kind for i in items]
    assert agency.sync(kept, kept.batch([kept.note()])).status_code == 200


def test_after_a_restore_numbers_jump_past_everything_handed_out_and_the_notice_is_bounded(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path
) -> None:
    """Counters continue RESTORE_GAP above anything handed out before; the notice's
    seq and new records are above anything a laptop saw; the notice names the lost
    range (high_water, upper]."""
    from peerdesk.agency.storage.copies import RESTORE_GAP

    root = str(agency.settings.directory)
    device = agency.enrolled_device()
    _, acks_a = _sync(agency, device, 2)
    assert run("backup", "--dir", root, "--out", str(tmp_path / "b")).code == 0
    _, acks_b = _sync(agency, device, 2)
    outbound_before = int(agency.storage.db.scalar(select(func.max(outbound.c.seq))) or 0)
    assert run("restore", "--dir", root, str(tmp_path / "b")).code == 0
    raw_c = device.batch([device.note("after")], cursor=0)
    response = decode_response(agency.sync(device, raw_c).content)
    [notice_item] = [i for i in response.inbound if i.kind == RESTORED]
    assert notice_item.seq > outbound_before + RESTORE_GAP - 1
    notice = open_restore_notice(notice_item.payload, device.bundle)
    assert notice.high_water == max(acks_a.values())
    assert notice.upper is not None and notice.upper >= max(acks_b.values())
    new = [a.seq for a in response.acks]
    assert min(new) > notice.upper >= max(acks_b.values()) and min(new) > RESTORE_GAP


def test_an_older_agencys_notice_without_an_upper_bound_still_opens(agency: Agency) -> None:
    device = agency.enrolled_device()
    signer = load_signing(agency.settings)
    old = sign_document(signer, RESTORED, {"high_water": 7, "restored_at": "x", "backup_at": "y"})
    notice = open_restore_notice(old, device.bundle)
    assert (notice.high_water, notice.upper) == (7, None)
    bad = sign_document(signer, RESTORED, {"high_water": 7, "upper": 3})
    with pytest.raises(BadSignature):
        open_restore_notice(bad, device.bundle)


def test_restore_keeps_the_directory_versions_published_after_the_backup(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path
) -> None:
    """Laptops may hold version 2, published after the backup: the restored agency
    keeps it, and the next publication is version 3, not a second "version 2"."""
    from dataclasses import replace as dc_replace

    from peerdesk.interop import hsds

    root = str(agency.settings.directory)
    seed = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"
    assert run("directory", "import", "--dir", root, str(seed)).code == 0
    assert run("backup", "--dir", root, "--out", str(tmp_path / "b")).code == 0
    data = hsds.load(seed)
    first, *rest = data.services
    for n, name in ((2, " (24/7)"), (3, " (weekends too)")):
        first = dc_replace(first, name=first.name + name)
        hsds.save_json(dc_replace(data, services=(first, *rest)), tmp_path / f"v{n}.json")
    assert run("directory", "import", "--dir", root, str(tmp_path / "v2.json")).code == 0
    assert [v.version for v in agency.storage.directory.history()] == [1, 2]
    restored = run("restore", "--dir", root, str(tmp_path / "b"))
    assert restored.code == 0, restored.err
    assert [v.version for v in agency.storage.directory.history()] == [1, 2]
    assert run("directory", "import", "--dir", root, str(tmp_path / "v3.json")).code == 0
    assert [v.version for v in agency.storage.directory.history()] == [1, 2, 3]


@BOTH_BACKENDS
def test_the_high_water_mark_stops_below_records_that_may_still_have_been_in_flight(
    agency: Agency,
) -> None:
    """A constructed case: records 1-2 received an hour before the snapshot, 3-4
    within IN_FLIGHT of it (on PostgreSQL 4 may be in the dump and 3 not yet
    committed). The mark is 2, not 4; with no in-flight window it is the highest."""
    from datetime import timedelta

    from peerdesk.agency.storage import copies
    from peerdesk.ids import to_iso

    device = agency.enrolled_device()
    _, early = _sync(agency, device, 2)
    agency.clock.advance(seconds=3600)
    _, late = _sync(agency, device, 2)
    snapshot = agency.clock() + timedelta(seconds=5)
    since = to_iso(snapshot - copies.IN_FLIGHT)
    assert copies.high_water(agency.storage, since) == max(early.values())
    assert copies.high_water(agency.storage) == max(late.values())
    # nothing received near the snapshot: the highest number
    assert copies.high_water(agency.storage, to_iso(snapshot)) == max(late.values())


@BOTH_BACKENDS
def test_restore_refuses_a_manifest_that_claims_an_older_schema_than_the_copy_holds(
    agency: Agency, agency_db_url: str, tmp_path: Path, run: Run
) -> None:
    root = str(agency.settings.directory)
    out = tmp_path / "b"
    assert run("backup", "--dir", root, "--out", str(out)).code == 0
    made = backup.Manifest.read(out)
    manifest_path = out / "manifest.json"
    data = json.loads(manifest_path.read_text())
    data["schema"] = ["0005"]  # a known, older revision: it would skip migrations
    manifest_path.write_text(json.dumps(data))
    result = run("restore", "--dir", root, str(out))
    assert result.code == 1, result.out
    assert f"holds schema revision {made.schema[0]} but its manifest says 0005" in result.err
    data["schema"] = list(made.schema)
    manifest_path.write_text(json.dumps(data))
    assert run("restore", "--dir", root, "--check", str(out)).code == 0


def test_backup_keep_prunes_only_older_backups(
    agency: Agency, agency_db_url: str, run: Run, tmp_path: Path
) -> None:
    root = str(agency.settings.directory)
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes").mkdir()  # not a backup: never touched
    (folder / "notes" / "x.txt").write_text("mine")
    for name in ("1", "2", "3"):
        assert run("backup", "--dir", root, "--out", str(folder / name)).code == 0
    result = run("backup", "--dir", root, "--out", str(folder / "4"), "--keep", "2")
    assert result.code == 0, result.err
    assert sorted(p.name for p in folder.iterdir()) == ["3", "4", "notes"]
    assert "Deleted the old backup" in result.out
    assert run("backup", "--dir", root, "--out", str(folder / "5"), "--keep", "0").code != 0
    assert not (folder / "5").exists()
