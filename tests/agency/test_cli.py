"""``peerdesk-agency`` through ``main(argv)``, in process, on a real agency directory."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from peerdesk.agency import cli, keys
from peerdesk.agency.app import create_app
from peerdesk.agency.files import code_key_path
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.config import ProvisionedPolicy, load_provisioning, parse_provisioning
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.recovery import decode_code
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.errors import ConfigError
from peerdesk.ids import now_utc
from peerdesk.wire.protocol import decode_error, decode_response, open_wipe_order
from tests.agency.support import (
    RECOVERY_PASSPHRASE,
    SUPERVISOR_PASSPHRASE,
    Agency,
    FieldSupervisor,
    Run,
    random_uuid,
)


@pytest.fixture
def phrases(tmp_path: Path) -> dict[str, str]:
    files = {}
    for name, text in (
        ("supervisor", SUPERVISOR_PASSPHRASE),
        ("recovery", RECOVERY_PASSPHRASE),
        ("weak", "password123"),
        ("wrong", "this is not the passphrase at all"),
    ):
        path = tmp_path / f"{name}.txt"
        path.write_text(text + "\n")
        files[name] = str(path)
    return files


@pytest.fixture
def live(agency: Agency) -> Agency:
    """The agency fixture on the real clock (the CLI uses the real time)."""
    agency.clock.now = now_utc()
    return agency


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- init -----------------------------------------------------------------------------


def test_init_creates_settings_database_and_private_key_files(
    run: Run, tmp_path: Path, phrases: dict[str, str]
) -> None:
    root = tmp_path / "new-agency"
    result = run(
        "init", "--dir", str(root), "--name", "Hill County Peers", "--url",
        "https://peers.example.org", "--passphrase-file", phrases["supervisor"],
        "--recovery-passphrase-file", phrases["recovery"],
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Move it to offline storage" in result.out
    settings = AgencySettings.load(root)
    assert settings.name == "Hill County Peers"
    assert settings.database_url == f"sqlite:///{root / 'agency.db'}"
    assert _mode(settings.keys_dir) == 0o700
    key_files = list(settings.keys_dir.iterdir())
    assert {p.name.split("-")[0] for p in key_files} == {
        "root.key", "signing.key", "review", "recovery.pub",
    }  # fmt: skip
    assert all(_mode(p) == 0o600 for p in key_files)
    assert _mode(settings.default_recovery_path) == 0o600
    recovery = json.loads(settings.default_recovery_path.read_text())
    assert "private" not in recovery and recovery["purpose"] == "agency-recovery"
    storage = Storage.from_url(settings.database_url)
    try:
        storage.check_schema()
        purposes = sorted(k.purpose for k in storage.keys.all())
        assert purposes == ["recovery", "review", "root", "signing"]
        assert storage.keys.latest_bundle() is not None
        root_kid = [k.key_id for k in storage.keys.all("root")][0]
    finally:
        storage.close()
    assert root_kid in result.out

    again = run(
        "init", "--dir", str(root), "--passphrase-file", phrases["supervisor"],
        "--recovery-passphrase-file", phrases["recovery"],
    )  # fmt: skip
    assert again.code == 1 and "already initialised" in again.err


def test_init_makes_the_agency_directory_and_everything_in_it_private(
    run: Run, tmp_path: Path, phrases: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finding: agency.db and the log were 0644 in a 0755 directory."""
    monkeypatch.delenv("PEERDESK_AGENCY_PASSPHRASE", raising=False)
    old = os.umask(0o022)
    try:
        root = tmp_path / "open-agency"
        result = run(
            "init", "--dir", str(root), "--name", "Hill County Peers", "--url",
            "https://peers.example.org", "--passphrase-file", phrases["supervisor"],
            "--recovery-passphrase-file", phrases["recovery"],
        )  # fmt: skip
        assert result.code == 0, result.err
        assert os.umask(0o022) == 0o022  # the command's umask 077 did not leak
    finally:
        os.umask(old)
    files = {p.relative_to(root).as_posix(): _mode(p) for p in root.rglob("*") if p.is_file()}
    assert {"agency.toml", "agency.db", "enrollment-code.key", "logs/peerdesk.log",
            "recovery-key.json"} <= set(files)  # fmt: skip
    assert {name: oct(mode) for name, mode in files.items() if mode != 0o600} == {}
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    assert {str(p): oct(_mode(p)) for p in folders if _mode(p) != 0o700} == {}


def test_init_without_a_terminal_names_the_option_of_each_passphrase(
    run: Run, tmp_path: Path, phrases: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PEERDESK_AGENCY_PASSPHRASE", "PEERDESK_AGENCY_RECOVERY_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    new = ("init", "--dir", str(tmp_path / "a"), "--name", "A", "--url", "https://a.example.org")
    result = run(*new)
    assert result.code == 1
    assert "no supervisor passphrase: use --passphrase-file FILE or set " in result.err
    result = run(*new, "--passphrase-file", phrases["supervisor"])
    assert result.code == 1
    assert (
        "no recovery passphrase: use --recovery-passphrase-file FILE or set $PEERDESK_AGENCY_RECOVERY_PASSPHRASE"
        in result.err
    )
    monkeypatch.setenv("PEERDESK_AGENCY_RECOVERY_PASSPHRASE", RECOVERY_PASSPHRASE)
    assert run(*new, "--passphrase-file", phrases["supervisor"]).code == 0


def test_migrate_makes_an_older_agencys_files_private(run: Run, settings: AgencySettings) -> None:
    database = settings.directory / "agency.db"
    database.touch()
    os.chmod(database, 0o644)
    os.chmod(settings.directory, 0o755)
    assert run("migrate", "--dir", str(settings.directory)).code == 0
    assert (_mode(database), _mode(settings.directory)) == (0o600, 0o700)


@pytest.mark.parametrize("which", ["weak", "same"])
def test_init_refuses_a_weak_or_reused_passphrase_and_writes_no_keys(
    run: Run, tmp_path: Path, phrases: dict[str, str], which: str
) -> None:
    root = tmp_path / "new-agency"
    supervisor = phrases["weak"] if which == "weak" else phrases["recovery"]
    result = run(
        "init", "--dir", str(root), "--name", "Hill County Peers", "--url",
        "https://peers.example.org", "--passphrase-file", supervisor,
        "--recovery-passphrase-file", phrases["recovery"],
    )  # fmt: skip
    assert result.code == 1
    assert ("passphrase not accepted" if which == "weak" else "different passphrases") in result.err
    assert not (root / "keys" / "root.key").exists()


def test_init_of_a_new_agency_needs_a_name_and_url(run: Run, tmp_path: Path) -> None:
    result = run("init", "--dir", str(tmp_path / "x"))
    assert result.code == 1 and "--name and --url" in result.err


def test_init_refuses_a_plain_http_url_to_another_host(
    run: Run, tmp_path: Path, phrases: dict[str, str]
) -> None:
    result = run(
        "init", "--dir", str(tmp_path / "x"), "--name", "A", "--url", "http://peers.example.org",
        "--passphrase-file", phrases["supervisor"],
        "--recovery-passphrase-file", phrases["recovery"],
    )  # fmt: skip
    assert result.code == 1 and "https://" in result.err


def test_init_registers_existing_keys_in_an_empty_database(
    run: Run, settings: AgencySettings
) -> None:
    result = run("init", "--dir", str(settings.directory))
    assert result.code == 0, result.err
    assert "Registered the existing keys" in result.out


# --- migrate, serve -------------------------------------------------------------------


def test_migrate_brings_a_new_database_up_to_date(run: Run, settings: AgencySettings) -> None:
    check = run("migrate", "--dir", str(settings.directory), "--check")
    assert check.code == 1 and "behind" in check.out
    assert run("migrate", "--dir", str(settings.directory)).code == 0
    check = run("migrate", "--dir", str(settings.directory), "--check")
    assert check.code == 0 and "up to date" in check.out


def test_serve_hands_the_app_to_uvicorn(
    run: Run, live: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    result = run("serve", "--dir", str(live.settings.directory), "--port", "9443")
    assert result.code == 0, result.err
    ((app, options),) = calls
    assert app.openapi()["info"]["title"] == "PeerDesk agency"
    assert options["host"] == "127.0.0.1" and options["port"] == 9443
    # X-Forwarded-For is believed from no one unless a proxy is configured
    assert options["proxy_headers"] is False and options["limit_concurrency"] == 512


def test_serve_trusts_x_forwarded_for_only_from_the_proxies_given(
    run: Run, live: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    where = str(live.settings.directory)
    result = run("serve", "--dir", where, "--forwarded-allow-ips", "10.0.0.5, 10.1.0.0/16")
    assert result.code == 0, result.err
    assert calls[-1]["proxy_headers"] is True
    assert calls[-1]["forwarded_allow_ips"] == "10.0.0.5/32,10.1.0.0/16"
    bad = run("serve", "--dir", where, "--forwarded-allow-ips", "proxy.example.org")
    assert bad.code == 1 and "not an IP address" in bad.err
    assert len(calls) == 1
    # the container's way: the environment, when the option is not given
    monkeypatch.setenv("PEERDESK_FORWARDED_ALLOW_IPS", "172.18.0.1")
    assert run("serve", "--dir", where).code == 0
    assert calls[-1]["forwarded_allow_ips"] == "172.18.0.1/32"
    monkeypatch.setenv("PEERDESK_FORWARDED_ALLOW_IPS", "")
    assert run("serve", "--dir", where).code == 0
    assert calls[-1]["proxy_headers"] is False


@pytest.mark.parametrize(
    ("host", "proxies", "warned"),
    [
        ("0.0.0.0", (), True),
        ("203.0.113.9", (), True),
        ("0.0.0.0", ("--forwarded-allow-ips", "10.0.0.5"), False),
        ("127.0.0.1", (), False),
        ("::1", (), False),
    ],
)
def test_serve_warns_on_a_network_address_without_a_reverse_proxy(
    run: Run,
    live: Agency,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
    proxies: tuple[str, ...],
    warned: bool,
) -> None:
    """uvicorn counts idle connections towards limit_concurrency and has no header
    timeout: without a proxy in front, serve says so, and idle connections close
    after a few seconds."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    result = run("serve", "--dir", str(live.settings.directory), "--host", host, *proxies)
    assert result.code == 0, result.err
    assert ("no reverse proxy configured" in result.err) is warned, result.err
    if warned:
        assert "SECURITY.md" in result.err
    assert calls[-1]["timeout_keep_alive"] == 5


def test_serve_refuses_a_database_that_is_behind(
    run: Run, settings: AgencySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not serve"))
    result = run("serve", "--dir", str(settings.directory))
    assert result.code == 1 and "peerdesk-agency migrate" in result.err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_and_issuing_refuse_a_missing_code_key_and_make_none(
    run: Run, live: Agency, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """A second API host or a restore without the code key must not make its own
    (every code issued elsewhere would be refused): it says which file is missing."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not serve"))
    key_file = code_key_path(live.settings)
    key_file.unlink()
    where = str(live.settings.directory)
    for args in (
        ("serve", "--dir", where, "--workers", workers),
        ("enroll", "--dir", where),
        ("supervisor", "invite", "--dir", where, "--team", "north", "--name", "Sam Okafor"),
    ):
        result = run(*args)
        assert result.code == 1, (args, result.out)
        assert "enrollment-code.key" in result.err and "missing" in result.err, args
        assert not key_file.exists()
    with pytest.raises(ConfigError, match="enrollment-code.key"):
        create_app(live.settings, storage=live.storage)
    assert not key_file.exists()


def test_migrate_makes_a_code_key_only_for_an_agency_that_never_had_one(
    run: Run, live: Agency
) -> None:
    key_file = code_key_path(live.settings)
    where = str(live.settings.directory)
    key_file.unlink()  # an agency from before code keys: no keyed code stored yet
    assert run("migrate", "--dir", where).code == 0
    assert _mode(key_file) == 0o600
    live.code()  # a code stored with that key
    key_file.unlink()  # then the file is lost: a new key would refuse that code
    result = run("migrate", "--dir", where)
    assert result.code == 1 and "restore" in result.out
    assert not key_file.exists()


# --- enroll, devices ------------------------------------------------------------------


def test_enroll_prints_a_one_time_code_with_its_expiry(run: Run, live: Agency) -> None:
    result = run("enroll", "--dir", str(live.settings.directory), "--expires-hours", "2")
    assert result.code == 0, result.err
    code = result.out.split("Enrollment code: ")[1].split()[0]
    expires = datetime.fromisoformat(result.out.split("Expires: ")[1].split()[0])
    assert timedelta(hours=1.9) < expires - now_utc() <= timedelta(hours=2)
    assert live.enroll(live.new_device(), code).status_code == 200
    assert live.enroll(live.new_device(), code).status_code == 403


@pytest.mark.parametrize("hours", ["0", "-1", "721", "many"])
def test_enroll_with_an_impossible_expiry_is_refused(run: Run, live: Agency, hours: str) -> None:
    result = run("enroll", "--dir", str(live.settings.directory), "--expires-hours", hours)
    assert result.code in (1, 2)
    assert "expires-hours" in result.err


def test_devices_lists_enrolled_laptops(run: Run, live: Agency) -> None:
    empty = run("devices", "--dir", str(live.settings.directory))
    assert empty.code == 0 and "No devices" in empty.out
    device = live.enrolled_device("Laptop of Rosa")
    live.sync(device, device.batch([device.note(), device.note()]))
    listing = run("devices", "--dir", str(live.settings.directory))
    line = [ln for ln in listing.out.splitlines() if device.device_id in ln][0]
    assert "Laptop of Rosa" in line and " 2 " in line and line.endswith("active")


# --- revoke ---------------------------------------------------------------------------


def test_revoke_makes_the_device_get_a_signed_wipe_order(run: Run, live: Agency) -> None:
    device = live.enrolled_device()
    result = run("revoke", "--dir", str(live.settings.directory), device.device_id)
    assert result.code == 0, result.err
    assert "is revoked" in result.out
    answer = live.sync(device, device.batch([device.note()]))
    assert answer.status_code == 403
    error = decode_error(answer.content)
    assert error.code == "revoked" and error.wipe is not None
    assert (
        open_wipe_order(error.wipe, live.bundle(), device.device_id)["device"] == device.device_id
    )
    items, _ = live.storage.outbound.inbound(device.device_id, 0)
    assert [(i.kind, i.payload) for i in items] == [("wipe", error.wipe)]
    listing = run("devices", "--dir", str(live.settings.directory))
    assert "revoked" in listing.out

    again = run("revoke", "--dir", str(live.settings.directory), device.device_id)
    assert again.code == 1 and "already revoked" in again.err


@pytest.mark.parametrize(
    ("device", "words"),
    [("0190f5d2-7b5c-7d9c-8a3e-5f6a7b8c9d0e", "no device"), ("laptop-7", "UUID")],
)
def test_revoke_of_an_unknown_or_malformed_device_is_refused(
    run: Run, live: Agency, device: str, words: str
) -> None:
    result = run("revoke", "--dir", str(live.settings.directory), device)
    assert result.code == 1 and words in result.err


# --- recover --------------------------------------------------------------------------


def test_recover_prints_the_escrowed_code_once(
    run: Run, live: Agency, phrases: dict[str, str]
) -> None:
    device = live.enrolled_device()
    secret = os.urandom(16)
    response = decode_response(live.sync(device, device.batch([device.escrow(secret)])).content)
    assert len(response.acks) == 1
    args = (
        "recover", "--dir", str(live.settings.directory), device.device_id,
        "--recovery-key", str(live.settings.default_recovery_path),
        "--passphrase-file", phrases["recovery"],
    )  # fmt: skip
    result = run(*args)
    assert result.code == 0, result.err
    printed = result.out.split(":\n\n")[1].split("\n")[0].strip()
    assert decode_code(printed) == secret
    again = run(*args)
    assert again.code == 1 and "no unused recovery escrow" in again.err and "used at" in again.err


def test_recover_with_a_wrong_passphrase_leaves_the_escrow_unused(
    run: Run, live: Agency, phrases: dict[str, str]
) -> None:
    device = live.enrolled_device()
    live.sync(device, device.batch([device.escrow(os.urandom(16))]))
    result = run(
        "recover", "--dir", str(live.settings.directory), device.device_id,
        "--recovery-key", str(live.settings.default_recovery_path),
        "--passphrase-file", phrases["wrong"],
    )  # fmt: skip
    assert result.code == 1 and "wrong recovery passphrase" in result.err
    assert live.storage.records.newest_unused_escrow(device.device_id) is not None


def test_recover_with_another_agencys_recovery_key_is_refused(
    run: Run, live: Agency, phrases: dict[str, str], tmp_path: Path
) -> None:
    other = keys.wrapped_key_file(
        BoxKeyPair.generate(), RECOVERY_PASSPHRASE, keys.RECOVERY_PURPOSE, "x", KdfParams.new()
    )
    path = tmp_path / "other-recovery.json"
    path.write_text(json.dumps(other))
    device = live.enrolled_device()
    live.sync(device, device.batch([device.escrow(os.urandom(16))]))
    result = run(
        "recover", "--dir", str(live.settings.directory), device.device_id,
        "--recovery-key", str(path), "--passphrase-file", phrases["recovery"],
    )  # fmt: skip
    assert result.code == 1 and "this agency's recovery key file" in result.err
    assert live.storage.records.newest_unused_escrow(device.device_id) is not None


def test_recover_without_a_passphrase_source_says_how_to_give_one(
    run: Run, live: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cli.ENV_RECOVERY_PASSPHRASE, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    device = live.enrolled_device()
    live.sync(device, device.batch([device.escrow(os.urandom(16))]))
    result = run(
        "recover", "--dir", str(live.settings.directory), device.device_id,
        "--recovery-key", str(live.settings.default_recovery_path),
    )  # fmt: skip
    assert result.code == 1 and cli.ENV_RECOVERY_PASSPHRASE in result.err


# --- rotate ---------------------------------------------------------------------------


def test_rotate_review_key_needs_the_supervisor_passphrase(
    run: Run, live: Agency, phrases: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = str(live.settings.directory)
    wrong = run("rotate-review-key", "--dir", directory, "--passphrase-file", phrases["wrong"])
    assert wrong.code == 1 and "wrong supervisor passphrase" in wrong.err
    assert len(live.bundle().review) == 1
    monkeypatch.setenv(cli.ENV_PASSPHRASE, SUPERVISOR_PASSPHRASE)
    result = run("rotate-review-key", "--dir", directory, "--old-valid-days", "7")
    assert result.code == 0, result.err
    bundle = live.bundle()
    assert len(bundle.review) == 2
    old_expiry = datetime.fromisoformat(bundle.review[0].not_after)
    assert timedelta(days=6.9) < old_expiry - now_utc() <= timedelta(days=7)
    new_file = live.settings.keys_dir / f"review-{bundle.current_review.key_id}.key"
    assert _mode(new_file) == 0o600


# --- provisioning ---------------------------------------------------------------------


def _ca_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PeerDesk test CA")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_provisioning_file_is_what_the_laptop_accepts(
    run: Run, live: Agency, tmp_path: Path
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text(_ca_pem())
    code = live.code()
    result = run(
        "provisioning", "--dir", str(live.settings.directory), "--url",
        "https://peers.example.org/", "--ca", str(ca), "--code", code.lower(),
    )  # fmt: skip
    assert result.code == 0, result.err
    parsed = parse_provisioning(tomllib.loads(result.out))
    assert parsed.agency_url == "https://peers.example.org"
    assert parsed.root_public_key == live.root_public and parsed.root_key_id == live.root_key_id
    assert parsed.ca_cert_pem == ca.read_text() and parsed.enrollment_code == code
    assert parsed.policy == ProvisionedPolicy()  # the defaults, written out for IT to see
    assert "auto_lock_minutes = 10" in result.out and "locked = []" in result.out
    out = tmp_path / "prov.toml"
    written = run(
        "provisioning", "--dir", str(live.settings.directory), "--url",
        "https://peers.example.org", "--out", str(out),
    )  # fmt: skip
    assert written.code == 0 and _mode(out) == 0o600
    assert load_provisioning(out).enrollment_code is None
    assert "enrollment_code" not in out.read_text()


def test_provisioning_carries_the_policy_and_the_locked_settings(
    run: Run, live: Agency, tmp_path: Path
) -> None:
    out = tmp_path / "prov.toml"
    result = run(
        "provisioning", "--dir", str(live.settings.directory), "--url",
        "https://peers.example.org", "--out", str(out), "--auto-lock-minutes", "5",
        "--failed-attempt-limit", "6", "--retention-days", "90", "--metered-sync",
        "--lock", "metered_sync", "--lock", "auto_lock_minutes",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert load_provisioning(out).policy == ProvisionedPolicy(
        auto_lock_minutes=5,
        failed_attempt_limit=6,
        retention_days=90,
        metered_sync=True,
        locked=frozenset({"metered_sync", "auto_lock_minutes"}),
    )


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--url", "http://peers.example.org"), "https://"),
        (("--url", "https://peers.example.org", "--code", "hello"), "not an enrollment code"),
        (("--url", "https://peers.example.org", "--ca", "/nonexistent.pem"), "CA"),
        (
            ("--url", "https://peers.example.org", "--auto-lock-minutes", "0"),
            "policy.auto_lock_minutes must be a whole number from 1 to 480",
        ),
        (
            ("--url", "https://peers.example.org", "--failed-attempt-limit", "1000"),
            "policy.failed_attempt_limit",
        ),
        (("--url", "https://peers.example.org", "--retention-days", "-1"), "retention_days"),
    ],
)
def test_provisioning_with_bad_input_is_refused(
    run: Run, live: Agency, extra: tuple[str, ...], words: str
) -> None:
    result = run("provisioning", "--dir", str(live.settings.directory), *extra)
    assert result.code == 1 and words in result.err


def test_provisioning_locks_only_lockable_settings(run: Run, live: Agency) -> None:
    result = run(
        "provisioning", "--dir", str(live.settings.directory), "--url",
        "https://peers.example.org", "--lock", "failed_attempt_limit",
    )  # fmt: skip
    assert result.code == 2 and "invalid choice: 'failed_attempt_limit'" in result.err


# --- usage ----------------------------------------------------------------------------


def test_agency_directory_comes_from_the_environment(
    run: Run, live: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PEERDESK_AGENCY_DIR", raising=False)
    missing = run("devices")
    assert missing.code == 1 and "PEERDESK_AGENCY_DIR" in missing.err
    monkeypatch.setenv("PEERDESK_AGENCY_DIR", str(live.settings.directory))
    assert run("devices").code == 0


def test_an_uninitialised_directory_is_explained(run: Run, tmp_path: Path) -> None:
    result = run("devices", "--dir", str(tmp_path))
    assert result.code == 1 and "peerdesk-agency init" in result.err


@pytest.mark.parametrize("argv", [(), ("frobnicate",), ("revoke",)])
def test_bad_usage_exits_2(run: Run, argv: tuple[str, ...]) -> None:
    assert run(*argv).code == 2


# --- teams and supervisors (supervisor review) -------------------------------------------


def _invite(run: Run, live: Agency, name: str = "Sam Okafor", team: str = "north") -> str:
    result = run(
        "supervisor", "invite", "--dir", str(live.settings.directory), "--name", name,
        "--team", team,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert f"team {team!r}" in result.out and "supervisor grant" in result.out
    return result.out.split("Supervisor invite: ")[1].split()[0]


def _list_line(run: Run, live: Agency, supervisor_id: str) -> str:
    listing = run("supervisor", "list", "--dir", str(live.settings.directory))
    assert listing.code == 0, listing.err
    return next(ln for ln in listing.out.splitlines() if supervisor_id in ln)


def test_enroll_with_a_team_puts_the_laptop_in_that_team(run: Run, live: Agency) -> None:
    directory = str(live.settings.directory)
    result = run("enroll", "--dir", directory, "--team", "north")
    assert result.code == 0 and "joins team 'north'" in result.out
    code = result.out.split("Enrollment code: ")[1].split()[0]
    device = live.new_device("Laptop of Rosa")
    assert live.enroll(device, code).status_code == 200
    assert live.storage.devices.get(device.device_id).team == "north"
    north = run("devices", "--dir", directory, "--team", "north")
    line = next(ln for ln in north.out.splitlines() if device.device_id in ln)
    assert " north " in line and line.endswith("active")
    south = run("devices", "--dir", directory, "--team", "south")
    assert south.code == 0 and "No devices in team 'south'" in south.out


def test_device_team_moves_a_laptop(run: Run, live: Agency) -> None:
    directory = str(live.settings.directory)
    device = live.enrolled_device(team="north")
    result = run("device", "team", "--dir", directory, device.device_id, "south")
    assert result.code == 0 and "now in team 'south'" in result.out
    assert live.storage.devices.get(device.device_id).team == "south"
    unknown = run("device", "team", "--dir", directory, "0190f5d2-7b5c-7d9c-8a3e-5f6a7b8c9d0e", "x")
    assert unknown.code == 1 and "no device" in unknown.err
    bad = run("device", "team", "--dir", directory, device.device_id, "tab\tteam")
    assert bad.code == 1 and "control characters" in bad.err


def test_supervisor_invite_enroll_grant_and_remove(
    run: Run, live: Agency, phrases: dict[str, str]
) -> None:
    directory = str(live.settings.directory)
    device = live.enrolled_device(team="north")
    live.sync(device, device.batch([device.note()]))
    supervisor = FieldSupervisor("sam")
    answer = live.enroll_supervisor(supervisor, _invite(run, live))
    assert answer.status_code == 200, answer.text
    supervisor.accept_enrollment(answer.json())
    sid = supervisor.supervisor_id
    line = _list_line(run, live, sid)
    assert "Sam Okafor" in line and " north " in line and "0/1" in line
    assert line.endswith("needs grant")

    wrong = run(
        "supervisor", "grant", "--dir", directory, sid, "--passphrase-file", phrases["wrong"]
    )
    assert wrong.code == 1 and "wrong supervisor passphrase" in wrong.err
    granted = run(
        "supervisor", "grant", "--dir", directory, sid, "--passphrase-file", phrases["supervisor"]
    )
    assert granted.code == 0, granted.err
    assert "Granted 1 review key(s) to Sam Okafor" in granted.out
    line = _list_line(run, live, sid)
    assert "1/1" in line and line.endswith("active")
    opened = supervisor.open_grants(live.review_get(supervisor, "/v1/review/keys").json()["grants"])
    [record] = live.review_get(supervisor, "/v1/review/records").json()["records"]
    assert supervisor.open_record(record, opened)["body"]

    removed = run("supervisor", "remove", "--dir", directory, sid)
    assert removed.code == 0 and "rotate-review-key" in removed.out
    assert "removed" in _list_line(run, live, sid)
    assert live.review_get(supervisor, "/v1/review/keys").status_code == 403
    again = run("supervisor", "remove", "--dir", directory, sid)
    assert again.code == 1 and "already removed" in again.err
    regrant = run(
        "supervisor", "grant", "--dir", directory, sid, "--passphrase-file", phrases["supervisor"]
    )
    assert regrant.code == 1 and "was removed" in regrant.err


def test_rotate_review_key_grants_the_new_key_to_active_supervisors_only(
    run: Run, live: Agency, phrases: dict[str, str]
) -> None:
    directory = str(live.settings.directory)
    staying = live.enrolled_supervisor("north", "Staying")
    leaving = live.enrolled_supervisor("north", "Leaving")
    assert run("supervisor", "remove", "--dir", directory, leaving.supervisor_id).code == 0
    result = run(
        "rotate-review-key", "--dir", directory, "--passphrase-file", phrases["supervisor"]
    )
    assert result.code == 0, result.err
    assert "granted to 1 active supervisor(s)" in result.out
    current = live.bundle().current_review.key_id
    assert [g.key_id for g in live.storage.supervisors.grants(staying.supervisor_id)][-1] == current
    assert len(live.storage.supervisors.grants(staying.supervisor_id)) == 2
    assert live.storage.supervisors.grants(leaving.supervisor_id) == []
    assert "2/2" in _list_line(run, live, staying.supervisor_id)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--name", "Sam", "--team", "  "), 1, "needs a team"),
        (("--name", "", "--team", "north"), 1, "name must be 1-100"),
        (("--name", "Sam\x1b[31m", "--team", "north"), 1, "control characters"),
        (("--name", "Sam", "--team", "north", "--expires-hours", "0"), 1, "expires-hours"),
        (("--name", "Sam"), 2, "--team"),
    ],
)
def test_supervisor_invite_with_bad_input_is_refused(
    run: Run, live: Agency, args: tuple[str, ...], code: int, words: str
) -> None:
    result = run("supervisor", "invite", "--dir", str(live.settings.directory), *args)
    assert result.code == code and words in result.err
    assert live.storage.audit.entries() == []


def test_supervisor_commands_with_an_unknown_or_malformed_id_are_refused(
    run: Run, live: Agency, phrases: dict[str, str]
) -> None:
    directory = str(live.settings.directory)
    for action in ("grant", "remove"):
        extra = ("--passphrase-file", phrases["supervisor"]) if action == "grant" else ()
        unknown = run("supervisor", action, "--dir", directory, random_uuid(), *extra)
        assert unknown.code == 1 and "no supervisor" in unknown.err
        malformed = run("supervisor", action, "--dir", directory, "sam", *extra)
        assert malformed.code == 1 and "UUID" in malformed.err
    empty = run("supervisor", "list", "--dir", directory)
    assert empty.code == 0 and "No supervisors" in empty.out


def test_every_admin_action_leaves_an_audit_row(
    run: Run, live: Agency, phrases: dict[str, str]
) -> None:
    directory = str(live.settings.directory)
    seed = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"
    device = live.enrolled_device(team="north")
    live.sync(device, device.batch([device.escrow(os.urandom(16))]))
    supervisor = live.enrolled_supervisor("north", grant=False)
    steps = [
        ("enroll", "--dir", directory, "--team", "north"),
        ("supervisor", "invite", "--dir", directory, "--name", "Kim", "--team", "north"),
        ("device", "team", "--dir", directory, device.device_id, "south"),
        ("supervisor", "grant", "--dir", directory, supervisor.supervisor_id,
         "--passphrase-file", phrases["supervisor"]),
        ("supervisor", "remove", "--dir", directory, supervisor.supervisor_id),
        ("rotate-review-key", "--dir", directory, "--passphrase-file", phrases["supervisor"]),
        ("recover", "--dir", directory, device.device_id, "--recovery-key",
         str(live.settings.default_recovery_path), "--passphrase-file", phrases["recovery"]),
        ("revoke", "--dir", directory, device.device_id),
        ("directory", "import", "--dir", directory, str(seed)),
    ]  # fmt: skip
    for argv in steps:
        result = run(*argv)
        assert result.code == 0, (argv, result.err)
    rows = live.storage.audit.entries()
    assert [r.action for r in rows] == [
        "enroll", "supervisor-invite", "device-team", "supervisor-grant", "supervisor-remove",
        "rotate-review-key", "recover", "revoke", "directory-import",
    ]  # fmt: skip
    assert all(r.actor == cli.actor() and r.at for r in rows)
    targets = {r.action: r.target for r in rows}
    assert targets["revoke"] == device.device_id and targets["device-team"] == device.device_id
    assert targets["supervisor-remove"] == supervisor.supervisor_id
    assert targets["directory-import"] == "version 1"
    listing = run("audit", "--dir", directory)
    assert listing.code == 0 and "supervisor-remove" in listing.out and cli.actor() in listing.out
    # a failed action leaves no row
    assert run("revoke", "--dir", directory, device.device_id).code == 1
    assert len(live.storage.audit.entries()) == len(rows)
