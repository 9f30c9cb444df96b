"""After enrolling and syncing (records up, feedback down, recovery escrow), no
plaintext canary, no private key, no credential, no recovery secret and no data
key reaches any file of the profile: not the database, its WAL, the vault
header, the logs or temp files."""

from __future__ import annotations

import random
import secrets
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from peerdesk.crypto import recovery
from peerdesk.domain.models import TEMPLATE_SECTIONS, NoteState, NoteTemplate
from peerdesk.link.sync import SyncOptions
from tests.sync.conftest import FakeTime
from tests.sync.fake_agency import CODE


def _needles(values: dict[str, str | bytes]) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    for name, value in values.items():
        if isinstance(value, str):
            out[name] = [value.encode(), value.encode("utf-16-le"), value.encode("utf-16-be")]
        else:
            out[name] = [value, value.hex().encode(), value.hex().upper().encode()]
    return out


def _leaks(root: Path, needles: dict[str, list[bytes]]) -> list[str]:
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for name, forms in needles.items():
            if any(form in data for form in forms):
                hits.append(f"{path.relative_to(root)} contains the {name}")
    return hits


def _sync(session, agency) -> None:
    t = FakeTime()
    for _ in session.link.sync(
        SyncOptions(),
        transport=agency.transport(),
        sleep=t.sleep,
        clock=t.clock,
        rng=random.Random(3),
    ):
        pass


def test_no_plaintext_key_or_credential_on_disk_after_enroll_and_sync(
    session, agency, data_dir, make_draft, debug_log_file, monkeypatch
):
    tmp = data_dir / "tmp"
    tmp.mkdir()
    for var in ("TMPDIR", "SQLITE_TMPDIR"):
        monkeypatch.setenv(var, str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    canary = "cnry" + secrets.token_hex(12)

    session.link.enroll(
        agency.provisioning(), CODE, f"laptop {canary}", transport=agency.transport()
    )
    device = session._device.get()
    keys = session._device.secrets()
    [escrow_id] = session._device.pending_escrow_ids()
    recovery_secret = session._device.escrow_secret(escrow_id)
    assert recovery_secret is not None

    p = session.participants.add(f"Canary {canary}", details=f"details {canary}").value
    body = {s: f"{s} {canary}" for s in TEMPLATE_SECTIONS[NoteTemplate.SOAP]}
    note = session.notes.sign(
        session.notes.create_draft(make_draft(p.id, NoteTemplate.SOAP, body=body)).value.id
    ).value
    session.notes.add_addendum(note.id, f"addendum {canary}")
    session.trips.add(
        date(2024, 5, 2), "medical", "clinic", miles=Decimal(3), destination=f"dest {canary}"
    )
    _sync(session, agency)
    agency.send_feedback(
        device.device_id, note.id, "returned", f"comment {canary}", f"Reviewer {canary}"
    )
    _sync(session, agency)

    # the sync did happen, and everything came back readable
    assert session.notes.get(note.id).state is NoteState.RETURNED
    assert session.notes.feedback_for(note.id).items[0].comment == f"comment {canary}"
    assert session._device.pending_escrow_ids() == []
    assert any(canary in str(payload) for _, _, payload in agency.opened(device.device_id))

    needles = _needles(
        {
            "canary": canary,
            "signing key": keys.signing.private_raw(),
            "box key": keys.box.private_raw(),
            "credential": keys.credential,
            "recovery secret": recovery_secret,
            "recovery code": recovery.encode_code(recovery_secret),
            "data key": session._vault.keys._dek,
        }
    )
    wal = session.path / "peerdesk.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    assert _leaks(data_dir, needles) == []

    session.close()
    scanned = [p for p in data_dir.rglob("*") if p.is_file()]
    assert session.path / "peerdesk.db" in scanned and session.path / "vault.json" in scanned
    assert debug_log_file in scanned and debug_log_file.stat().st_size > 0
    assert _leaks(data_dir, needles) == []


def test_the_scan_finds_a_key_written_as_hex(data_dir):
    key = secrets.token_bytes(32)
    (data_dir / "leak.txt").write_text(f"debug: key={key.hex()}")
    assert _leaks(data_dir, _needles({"key": key})) == ["leak.txt contains the key"]
