"""``peerdesk --version``, ``--self-test`` and ``--provisioning``: the options IT
uses, and the refusal to start on a broken provisioning file or altered files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerdesk.bundle import app_version
from peerdesk.config import ProvisionedPolicy, Provisioning, provisioning_toml
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import IntegrityError
from peerdesk.services.selftest import check_provisioning, report, run_checks
from ui import app as app_module
from ui import application as application_module

ROOT = Path(__file__).resolve().parents[2]
KEY = SigningKeyPair.generate()


def provisioning_file(tmp_path: Path, url: str = "https://agency.example.org") -> Path:
    prov = Provisioning(
        agency_name="Test Agency",
        agency_url=url,
        root_public_key=KEY.public_raw,
        root_key_id=KEY.key_id,
        policy=ProvisionedPolicy(auto_lock_minutes=4, locked=frozenset({"metered_sync"})),
    )
    path = tmp_path / "provisioning.toml"
    path.write_text(provisioning_toml(prov), encoding="utf-8")
    return path


def peerdesk(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("PEERDESK_PROVISIONING", None)
    env["PEERDESK_CONFIG_DIR"] = str(tmp_path / "config")
    return subprocess.run(
        [sys.executable, "-m", "ui.app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


# --- the options, as IT runs them -------------------------------------------------------


def test_version_comes_from_the_package_metadata(tmp_path):
    result = peerdesk("--version", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"PeerDesk {app_version()}" != "PeerDesk 0+unknown"


@pytest.mark.slow
def test_self_test_passes_and_reports_the_pinned_key(tmp_path):
    result = peerdesk("--self-test", "--provisioning", str(provisioning_file(tmp_path)),
                      tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "[ok] qt" in out and "Spanish catalogues loaded" in out
    assert f"root key {KEY.key_id} pinned" in out and "auto-lock 4 min" in out
    assert "[ok] profile" in out and "no plaintext" in out
    assert "all checks passed" in out and "FAIL" not in out


def test_self_test_fails_on_a_broken_provisioning_file_naming_the_key(tmp_path):
    bad = provisioning_file(tmp_path, url="http://agency.example.org")
    result = peerdesk("--self-test", "--provisioning", str(bad), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "[FAIL] provisioning" in result.stdout and "agency.url must use https://" in (
        result.stdout
    )
    assert "[ok] profile" not in result.stdout  # nothing runs on an unpinned agency


def test_self_test_fails_on_a_missing_provisioning_file(tmp_path):
    result = peerdesk(
        "--self-test", "--provisioning", str(tmp_path / "nope.toml"), tmp_path=tmp_path
    )
    assert result.returncode == 1 and "cannot read the provisioning file" in result.stdout


# --- the core checks, in process --------------------------------------------------------


def test_core_checks_pass_without_provisioning(monkeypatch, tmp_path):
    monkeypatch.delenv("PEERDESK_PROVISIONING", raising=False)
    monkeypatch.setattr(
        "peerdesk.config.system_provisioning_path",
        lambda platform=None, env=None: str(tmp_path / "none.toml"),
    )
    results = run_checks()
    assert [r.name for r in results] == [
        "resources", "provisioning", "profile", "directory", "sync crypto",
    ]  # fmt: skip
    assert all(r.ok for r in results), report(results, 0)
    assert "not provisioned" in results[1].detail


def test_a_pinned_key_that_accepts_a_forged_signature_fails(monkeypatch, tmp_path):
    from peerdesk.config import load_setup

    setup = load_setup(provisioning_file(tmp_path))
    monkeypatch.setattr("peerdesk.services.selftest.verify", lambda *_args: None)
    with pytest.raises(Exception, match="forged signature"):
        check_provisioning(setup)


# --- refusing to start ------------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the startup error dialog would have said."""
    messages: list[str] = []
    monkeypatch.setattr(
        application_module.QMessageBox,
        "critical",
        lambda _parent, title, text: messages.append(f"{title}\n{text}"),
    )
    return messages


def test_a_broken_provisioning_file_stops_the_app_and_names_the_key(qapp, shown, tmp_path, capsys):
    bad = provisioning_file(tmp_path, url="http://agency.example.org")
    assert app_module.load_startup_setup(bad) is None
    assert len(shown) == 1 and "provisioning file has a problem" in shown[0]
    assert "agency.url must use https://" in shown[0]
    assert "agency.url" in capsys.readouterr().err


def test_a_missing_named_provisioning_file_stops_the_app(qapp, shown, tmp_path):
    assert app_module.load_startup_setup(tmp_path / "nope.toml") is None
    assert "cannot read the provisioning file" in shown[0]


def test_altered_resources_stop_the_app(qapp, shown, monkeypatch):
    def altered() -> int:
        raise IntegrityError("directory/seed.json was changed")

    monkeypatch.setattr(app_module, "verify_resources", altered)
    assert app_module.load_startup_setup(None) is None
    assert "installed files have been changed" in shown[0] and "seed.json" in shown[0]


def test_a_good_provisioning_file_sets_the_policy(qapp, shown, tmp_path, monkeypatch):
    monkeypatch.setenv("PEERDESK_CONFIG_DIR", str(tmp_path / "config"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").write_text("auto_lock_minutes = 30\n")
    setup = app_module.load_startup_setup(provisioning_file(tmp_path))
    assert setup is not None and not shown
    assert setup.provisioning is not None and setup.provisioning.root_key_id == KEY.key_id
    # the user's 30 minutes apply (not locked); the metered switch is locked
    assert setup.policy.auto_lock_minutes == 30 and setup.policy.is_locked("metered_sync")
