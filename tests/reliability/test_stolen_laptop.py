"""Stolen laptop: the thief has every file of the profile, not the passphrase.

* Nothing sensitive is readable: a canary written through every sensitive path
  (participants, drafts and their autosaves, signed notes, addenda, trips,
  referrals, corrections, the participant's record (plan, enrollment, consent,
  outcome check-ins), supervisor feedback, the device label, sync and the
  recovery escrow) is in no file of a copy taken while the app runs (WAL live) or
  after it closed, in any encoding; every sensitive column of the stolen database
  holds only envelopes, and no column mixes envelopes with plain values.
* Offline guessing costs one Argon2id evaluation per guess at the parameters
  stored in the header: the header's only passphrase-dependent value is the
  AES-GCM wrap of the data key under the Argon2id output, there is no fast hash
  of the passphrase anywhere, and the measured guess rate is compared with plain
  SHA-256 guessing (figures in the report).
* The failed-attempt policy holds across restarts and across instances: the
  cool-down set by one process refuses the next process, even with the right
  passphrase; two open instances add up their failures; an instance opened
  before the profile was erased can never write the key back; an attempt cut
  short by SIGKILL during the key derivation still counts. Recovery codes that
  open nothing are rate-limited the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from peerdesk.config import Policy
from peerdesk.crypto import recovery
from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.crypto.kdf import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams
from peerdesk.crypto.passphrase import normalize
from peerdesk.crypto.vault import Vault, VaultPolicy
from peerdesk.domain.models import TEMPLATE_SECTIONS, Address, NoteTemplate
from peerdesk.domain.outcomes import Occasion, OutcomeCheckIn
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    Step,
    new_goal_id,
)
from peerdesk.domain.workforce import (
    Certification,
    CeuEntry,
    FollowUp,
    SelfCarePlan,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
)
from peerdesk.errors import (
    ProfileWiped,
    TooManyAttempts,
    ValidationError,
    VaultLocked,
    WrongPassphrase,
)
from peerdesk.services import ProfileManager
from peerdesk.store.health import (
    DIRECTORY_SENSITIVE_COLUMNS,
    RECORD_SENSITIVE_COLUMNS,
    SENSITIVE_COLUMNS,
    SYNC_SENSITIVE_COLUMNS,
)
from tests.reliability.budget import record
from tests.sync.conftest import agency, enrolled, fake_time, run_sync  # noqa: F401 - fixtures
from tests.sync.test_sync_security import _leaks, _needles

EPOCH = datetime(2026, 1, 5, tzinfo=UTC)
REPO = Path(__file__).absolute().parents[2]
WRONG = "certainly not the passphrase of this profile"
NEW_PASSPHRASE = "a brand new passphrase after the phone call"

ALL_SENSITIVE = {
    **SENSITIVE_COLUMNS,
    **SYNC_SENSITIVE_COLUMNS,
    **DIRECTORY_SENSITIVE_COLUMNS,
    **RECORD_SENSITIVE_COLUMNS,
}


# --- nothing sensitive is readable --------------------------------------------------------


def _steal(source: Path, target: Path) -> Path:
    """Copy every file as it is on disk right now (the app may be running)."""
    shutil.copytree(source, target)
    return target


def _columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r[0].startswith("sqlite_")
    ]
    return {t: [c[1] for c in db.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def _thief_reads_the_database(db_path: Path, canaries: list[str]) -> list[str]:
    """What the thief finds with plain sqlite3: problems, as sentences."""
    problems = []
    db = sqlite3.connect(db_path)  # applies the stolen WAL, as SQLite would
    try:
        columns = _columns(db)
        for table, cols in ALL_SENSITIVE.items():
            for col in cols:
                if table not in columns or col not in columns[table]:
                    problems.append(f"{table}.{col} is listed as sensitive but does not exist")
                    continue
                rows = db.execute(f'SELECT "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL')
                bad = sum(1 for (value,) in rows if not looks_like_envelope(value))
                if bad:
                    problems.append(f"{table}.{col}: {bad} value(s) are not envelopes")
        for table, cols in columns.items():
            for col in cols:
                values = [
                    v for (v,) in db.execute(f'SELECT "{col}" FROM "{table}"') if v is not None
                ]
                sealed = [v for v in values if looks_like_envelope(v)]
                if sealed and len(sealed) != len(values):
                    problems.append(f"{table}.{col} mixes envelopes and plain values")
                for v in values:
                    text = v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                    hits = [c for c in canaries if c in text]
                    if hits:
                        problems.append(f"{table}.{col} holds a canary in plain text")
                        break
    finally:
        db.close()
    return problems


def test_a_thief_with_every_file_of_the_profile_reads_nothing_sensitive(
    enrolled,  # noqa: F811
    agency,  # noqa: F811
    run_sync,  # noqa: F811
    data_dir,
    make_draft,
    debug_log_file,
    monkeypatch,
    tmp_path_factory,
):
    tmp = data_dir / "tmp"
    tmp.mkdir()
    for var in ("TMPDIR", "SQLITE_TMPDIR"):
        monkeypatch.setenv(var, str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    s = enrolled
    canary = "cnry" + os.urandom(10).hex()
    phone = "".join(str(b % 10) for b in os.urandom(14))
    medicaid = "MC" + os.urandom(8).hex().upper()
    needles_text = [canary, phone, medicaid, "1929-02-14"]

    person = s.participants.add(
        f"Thief Canary {canary}",
        date_of_birth=date(1929, 2, 14),
        phone=phone,
        medicaid_id=medicaid,
        details=f"lives near the {canary} bridge",
        address=Address(f"{canary} Hollow Road", "Marlinton", "WV", "24954"),
        diagnosis_code="F33.1",
    ).value
    s.participants.update(replace(person, details=f"moved, {canary} again"))
    body = {k: f"{k} {canary}" for k in TEMPLATE_SECTIONS[NoteTemplate.DAP]}
    draft = s.notes.create_draft(make_draft(person.id, NoteTemplate.DAP, body=body)).value
    for i in range(4):  # autosaves leave old page images in the WAL
        s.notes.save_draft(
            draft.id,
            make_draft(person.id, NoteTemplate.DAP, body={k: f"v{i} {canary}" for k in body}),
        )
    signed = s.notes.sign(
        s.notes.create_draft(make_draft(person.id, goals=(f"goal {canary}",), body=None)).value.id
    ).value
    s.notes.add_addendum(signed.id, f"addendum {canary}")
    s.trips.add(
        date(2026, 1, 5),
        "medical",
        "clinic",
        with_participant=True,
        participant_id=person.id,
        miles=Decimal("7.5"),
        destination=f"clinic on {canary} road",
        notes=f"waited {canary}",
    )
    s.directory.seed_if_empty()
    service = s.directory.search("food pantry").hits[0].id
    s.directory.refer(person.id, service, note_id=signed.id, follow_up=f"call {canary}")
    s.directory.suggest_correction(service, f"closed on {canary} days")
    # the participant's record (issue 20): plan, enrollment, consent, outcome check-in
    goal = Goal(new_goal_id(), f"goal {canary}", LifeDomain.HOUSING, GoalStatus.IN_PROGRESS,
                date(2026, 1, 5), steps=(Step(f"step {canary}"),))  # fmt: skip
    s.record.save_plan(
        person.id, (goal,), agreement=Agreement(AgreementKind.SIGNED, date(2026, 1, 5))
    )
    episode = s.record.enroll(person.id, date(2026, 1, 5), f"sent by {canary}").value
    s.record.discharge(episode.id, date(2026, 1, 6), "moved", f"moved to {canary}")
    consent = s.record.add_consent(
        Consent(
            "",
            person.id,
            "River Peer Center",
            f"Dr {canary}",
            frozenset({InfoCategory.SUBSTANCE_USE}),
            f"use {canary}",
            f"purpose {canary}",
            f"signed {canary}",
            date(2026, 1, 5),
            EPOCH,
            EPOCH,
            expires_on=date(2027, 1, 5),
            revocation_explained=True,
        )  # fmt: skip
    ).value
    s.record.revoke_consent(consent.id, date(2026, 1, 6), f"revoked {canary}")
    s.record.add_check_in(
        OutcomeCheckIn("", person.id, date(2026, 1, 5), Occasion.INTAKE, EPOCH, (1, 2, 3, 4, 5))
    )
    # the peer's workforce record (issue 23), the private parts included
    s.workforce.add_session(
        SupervisionSession(
            "", date(2026, 1, 5), 60, SessionFormat.GROUP, f"Sup {canary}", EPOCH, EPOCH,
            (f"topic {canary}",), (FollowUp(f"todo {canary}"),),
        ),
        today=date(2026, 1, 6),
    )  # fmt: skip
    s.workforce.set_certification(
        Certification("", "WV", f"N{canary}", date(2025, 1, 1), date(2027, 1, 1), EPOCH, EPOCH)
    )
    s.workforce.add_ceu(
        CeuEntry("", date(2026, 1, 5), f"course {canary}", f"by {canary}", Decimal(2), EPOCH,
                 f"proof {canary}"),
        today=date(2026, 1, 6),
    )  # fmt: skip
    kept = s.workforce.add_check_in(
        WellbeingCheckIn("", date(2026, 1, 5), 1, 5, 1, EPOCH, f"private {canary}"),
        today=date(2026, 1, 6),
    ).value
    s.workforce.share_check_in(
        s.workforce.add_check_in(
            WellbeingCheckIn("", date(2026, 1, 5), 3, 3, 3, EPOCH, f"shared {canary}"),
            today=date(2026, 1, 6),
        ).value.id
    )
    s.workforce.save_self_care(SelfCarePlan(f"signs {canary}", f"helps {canary}", f"call {canary}"))
    assert kept.note == f"private {canary}"
    run_sync(s)
    agency.send_feedback(
        s._device.require().device_id, signed.id, "returned", f"fix {canary}", f"Rev {canary}"
    )
    run_sync(s)
    assert s.notes.feedback_for(signed.id).items[0].comment == f"fix {canary}"
    keys = s._device.secrets()
    needles = _needles(
        {
            **{f"canary {i}": text for i, text in enumerate(needles_text)},
            "device signing key": keys.signing.private_raw(),
            "device box key": keys.box.private_raw(),
            "sync credential": keys.credential,
            "data key": s._vault.keys._dek,
        }
    )

    while_running = _steal(data_dir, tmp_path_factory.mktemp("stolen") / "running")
    assert (while_running / "profiles" / s.name / "peerdesk.db-wal").stat().st_size > 0
    s.close()
    after_close = _steal(data_dir, tmp_path_factory.mktemp("stolen") / "closed")

    for copy in (while_running, after_close):
        files = [p for p in copy.rglob("*") if p.is_file()]
        assert any(p.name == "vault.json" for p in files)
        assert _leaks(copy, needles) == []
        db = copy / "profiles" / s.name / "peerdesk.db"
        assert _thief_reads_the_database(db, needles_text) == []
    # The thief's PeerDesk, on the stolen copy, without the passphrase: nothing opens.
    thief = ProfileManager(root=after_close).open(s.name)
    with pytest.raises(WrongPassphrase):
        thief.unlock(WRONG)
    with pytest.raises(VaultLocked):
        thief.notes.list()
    thief.close()


def test_the_database_check_sees_plaintext_and_mixed_columns(tmp_path):
    """The check above can fail: plain text in a sensitive column, a column that
    mixes envelopes and plain values, and a canary anywhere are all reported."""
    db = sqlite3.connect(tmp_path / "x.db")
    db.execute("CREATE TABLE participants (id TEXT, display_name BLOB, profile BLOB)")
    db.execute("CREATE TABLE notes (id TEXT, body BLOB, goals BLOB)")
    envelope = b"PE\x01" + bytes(40)
    db.execute("INSERT INTO participants VALUES ('1', ?, ?)", (envelope, envelope))
    db.execute("INSERT INTO participants VALUES ('2', 'cnry-plain', ?)", (envelope,))
    db.execute("INSERT INTO notes VALUES ('3', ?, ?)", (envelope, envelope))
    db.commit()
    db.close()
    problems = _thief_reads_the_database(tmp_path / "x.db", ["cnry-plain"])
    assert "participants.display_name: 1 value(s) are not envelopes" in problems
    assert "participants.display_name mixes envelopes and plain values" in problems
    assert "participants.display_name holds a canary in plain text" in problems
    assert "trips.destination is listed as sensitive but does not exist" in problems


# --- offline guessing costs one Argon2id evaluation per guess ----------------------------


def _guess(header: dict, guess: str) -> bool:
    """What a thief's cracking loop does with the stolen header, using the
    cryptography library only: derive, try to unwrap the data key."""
    kdf = header["kdf"]
    kek = Argon2id(
        salt=bytes.fromhex(kdf["salt"]),
        length=32,
        iterations=int(kdf["iterations"]),
        lanes=int(kdf["lanes"]),
        memory_cost=int(kdf["memory_kib"]),
    ).derive(normalize(guess).encode())
    blob = bytes.fromhex(header["wrapped_dek"])
    aad = b"peerdesk/dek-wrap/v1|" + header["profile_id"].encode() + b"|"
    aad += bytes.fromhex(header["dek_id"])
    try:
        AESGCM(kek).decrypt(blob[:12], blob[12:], aad)
    except InvalidTag:
        return False
    return True


def test_offline_guessing_costs_one_argon2id_evaluation_per_guess(data_dir, passphrase):
    # The real path: calibrated parameters, as `ProfileManager.create` picks them.
    session = ProfileManager(root=data_dir).create("guessme", passphrase)
    path = session.path
    session.close()
    header = json.loads((path / "vault.json").read_text())
    kdf = header["kdf"]
    assert kdf["alg"] == "argon2id"
    assert kdf["memory_kib"] >= MIN_MEMORY_KIB and kdf["iterations"] >= MIN_ITERATIONS
    assert kdf["lanes"] == 4 and len(bytes.fromhex(kdf["salt"])) == 16
    assert _guess(header, passphrase) and not _guess(header, WRONG)

    # No cheaper verifier anywhere: no fast hash of the passphrase in any file.
    forms = {passphrase, normalize(passphrase)}
    digests = {}
    for text in forms:
        raw = text.encode()
        for name in ("md5", "sha1", "sha256", "sha512", "blake2b"):
            digests[f"{name}({text!r})"] = hashlib.new(name, raw).digest()
        digests[f"pbkdf2-1000({text!r})"] = hashlib.pbkdf2_hmac("sha256", raw, b"", 1000)
    assert _leaks(data_dir, _needles({**digests, "passphrase": passphrase})) == []
    # The header holds exactly one value that depends on the passphrase.
    assert {k for k in header if "wrap" in k or "hash" in k or "verif" in k} == {"wrapped_dek"}

    guesses = 3
    started = time.perf_counter()
    for i in range(guesses):
        assert not _guess(header, f"{WRONG} {i}")
    argon_rate = guesses / (time.perf_counter() - started)
    n = 200_000
    started = time.perf_counter()
    target = hashlib.sha256(passphrase.encode()).digest()
    for i in range(n):
        if hashlib.sha256(f"{WRONG} {i}".encode()).digest() == target:
            raise AssertionError("unreachable")
    sha_rate = n / (time.perf_counter() - started)
    ratio = sha_rate / argon_rate
    record(
        "guessing",
        argon2id_memory_mib=kdf["memory_kib"] // 1024,
        argon2id_passes=kdf["iterations"],
        argon2id_lanes=kdf["lanes"],
        argon2id_guesses_per_s=round(argon_rate, 2),
        sha256_guesses_per_s=round(sha_rate),
        slowdown_vs_sha256=round(ratio),
    )
    # one core, this machine: a guess costs what an unlock costs (~0.3-1 s)
    assert argon_rate < 10
    assert ratio > 10_000


# --- the failed-attempt policy holds across restarts and instances ----------------------

NO_WAIT = Policy(vault=VaultPolicy(wipe_after_failures=10, cooldown_base_s=0))


def _cli(data_dir: Path, *args: str, passphrase: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEERDESK_DATA_DIR": str(data_dir), "PEERDESK_LOG_DIR": str(data_dir)}
    extra: list[str] = []
    if passphrase is not None:
        secret = data_dir / "pass.txt"
        secret.write_text(passphrase + "\n")
        extra = ["--passphrase-file", str(secret)]
    return subprocess.run(
        [sys.executable, "-m", "peerdesk.cli", *args, *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_cooldown_started_by_one_process_refuses_the_next_one(session, data_dir, passphrase):
    name = session.name
    session.close()
    for _ in range(3):  # the default policy cools down after 3 failures
        done = _cli(data_dir, "list-notes", "--profile", name, passphrase=WRONG)
        assert done.returncode == 1 and "wrong passphrase" in done.stderr, done.stderr
    # a new process, the right passphrase: refused without trying it
    done = _cli(data_dir, "list-notes", "--profile", name, passphrase=passphrase)
    assert done.returncode == 1 and "too many wrong passphrases" in done.stderr, done.stderr
    header = json.loads((data_dir / "profiles" / name / "vault.json").read_text())
    assert header["failed_attempts"] == 3 and header["cooldown_until"]


def test_two_open_instances_add_up_their_failures_and_share_the_cooldown(
    session, manager, passphrase
):
    name = session.name
    session.close()
    policy = Policy(vault=VaultPolicy(wipe_after_failures=10, cooldown_after_failures=4))
    first = ProfileManager(root=manager.root.parent, policy=policy).open(name)
    second = ProfileManager(root=manager.root.parent, policy=policy).open(name)
    try:
        for instance in (first, second, first):
            with pytest.raises(WrongPassphrase):
                instance.unlock(WRONG)
        with pytest.raises(WrongPassphrase) as err:
            second.unlock(WRONG)
        assert err.value.attempts_left == 6  # 4 failures counted, whichever window made them
        for instance in (first, second):  # the cool-down set by `second` holds for both
            with pytest.raises(TooManyAttempts):
                instance.unlock(passphrase)
        assert Vault.open(first.path / "vault.json").failed_attempts == 4
    finally:
        first.close()
        second.close()


def test_an_instance_opened_before_the_wipe_never_brings_the_key_back(session, manager, passphrase):
    name, root = session.name, manager.root.parent
    session.lock()
    waiting = ProfileManager(root=root).open(name)  # a second window at the unlock screen
    thief = ProfileManager(root=root, policy=NO_WAIT).open(name)
    for _ in range(9):
        with pytest.raises(WrongPassphrase):
            thief.unlock(WRONG)
    with pytest.raises(ProfileWiped):
        thief.unlock(WRONG)
    thief.close()
    with pytest.raises(ProfileWiped):
        waiting.unlock(passphrase)  # its copy of the header still had the wrapped key
    with pytest.raises(ProfileWiped):
        session.unlock(passphrase)
    session.close()  # closing writes the audit head: never into an erased header
    waiting.close()
    header = json.loads((manager.root / name / "vault.json").read_text())
    assert header["wiped"] is True and "wrapped_dek" not in header and "kdf" not in header


def test_an_unlocked_instance_does_not_undo_a_wipe_made_by_another(session, manager):
    """Another process erased the profile (a remote wipe, or the attempt limit)
    while this one was unlocked: its next header write must not restore the key."""
    other = ProfileManager(root=manager.root.parent).open(session.name)
    other._vault.crypto_erase()
    other.close()
    session.lock()  # checkpoints the audit head into the header
    with pytest.raises(ProfileWiped):
        session.unlock("river stones and quiet mornings")
    header = json.loads((session.path / "vault.json").read_text())
    assert header["wiped"] is True and "wrapped_dek" not in header


@pytest.mark.slow
def test_an_attempt_killed_during_the_key_derivation_still_counts(tmp_path):
    path = tmp_path / "vault.json"
    slow = KdfParams.new(iterations=80)  # seconds: the kill lands inside it
    Vault.create(path, "river stones and quiet mornings", profile_id="p1", kdf_params=slow)
    code = (
        "import sys; from pathlib import Path; from peerdesk.crypto.vault import Vault\n"
        "v = Vault.open(Path(sys.argv[1])); print('TRYING', flush=True)\n"
        f"v.unlock({WRONG!r})\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "TRYING"
    pidfd = os.pidfd_open(child.pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], 0.3)  # inside the derivation by now
    finally:
        os.close(pidfd)
    assert not ready, "the derivation ended before the kill"
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    assert Vault.open(path).failed_attempts == 1


# --- recovery codes are rate-limited -------------------------------------------------------


def _wrong_code() -> str:
    return recovery.encode_code(recovery.new_secret())  # passes the check letter


def test_recovery_codes_that_open_nothing_are_rate_limited_across_restarts(
    session, manager, data_dir
):
    secret = recovery.new_secret()
    session._vault.add_recovery_slot("escrow-1", secret)
    name = session.name
    session.close()
    for _ in range(3):  # each a new ProfileManager: a restart of the app
        with pytest.raises(ValidationError) as err:
            ProfileManager(root=data_dir).recover(name, _wrong_code(), NEW_PASSPHRASE)
        assert err.value.field == "recovery_code"
    # the 4th try, even with the right code, waits: nothing is tried during the cool-down
    with pytest.raises(TooManyAttempts, match="recovery codes") as err:
        ProfileManager(root=data_dir).recover(name, recovery.encode_code(secret), NEW_PASSPHRASE)
    assert err.value.retry_after_s > 0
    # mistyped codes (wrong check letter) are caught before the vault and not counted
    typo = recovery.encode_code(secret)[:-1] + (
        "0" if recovery.encode_code(secret)[-1] != "0" else "1"
    )
    with pytest.raises(ValidationError, match="typo|cannot appear"):
        ProfileManager(root=data_dir).recover(name, typo, NEW_PASSPHRASE)
    header = json.loads((manager.root / name / "vault.json").read_text())
    assert header["recovery_failures"] == 3 and header["recovery_slots"]
    # a recovery code never erases the profile, whatever the count
    assert header["wiped"] is False


def test_the_recovery_cooldown_grows_and_a_right_code_works_after_it(tmp_path):
    now = [1_000_000.0]
    path = tmp_path / "vault.json"
    vault = Vault.create(
        path,
        "river stones and quiet mornings",
        profile_id="p1",
        kdf_params=KdfParams.new(),
        clock=lambda: now[0],
    )
    secret = recovery.new_secret()
    vault.add_recovery_slot("escrow-1", secret)
    waits = []
    for _ in range(5):
        with pytest.raises(ValidationError):
            vault.recover(recovery.new_secret(), NEW_PASSPHRASE)
        waits.append(vault.recovery_retry_after())
        now[0] += waits[-1]
    assert waits == [0.0, 0.0, 30.0, 60.0, 120.0]
    now[0] -= 1
    with pytest.raises(TooManyAttempts):
        vault.recover(secret, NEW_PASSPHRASE)
    now[0] += 1
    assert vault.recover(secret, NEW_PASSPHRASE) == "escrow-1"
    assert vault.recovery_retry_after() == 0
    assert json.loads(path.read_text())["recovery_failures"] == 0
