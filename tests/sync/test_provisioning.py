"""The provisioning file IT puts on a laptop (TOML): validated, each bad key named,
no fallback to an agency without a pinned key; the policy it sets, and the
settings it locks against the user's own settings file."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from peerdesk.config import (
    ENV_PROVISIONING,
    Policy,
    ProvisionedPolicy,
    Provisioning,
    check_agency_url,
    effective_policy,
    find_provisioning,
    load_provisioning,
    load_user_settings,
    parse_provisioning,
    parse_user_settings,
    provisioning_toml,
    system_provisioning_path,
)
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import ConfigError
from tests.sync.tls import make_pki

ROOT = SigningKeyPair.generate()


@pytest.fixture(scope="module")
def ca_pem(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_pki(tmp_path_factory.mktemp("pki")).ca_pem


def good() -> dict[str, Any]:
    return {
        "format": 1,
        "agency": {
            "name": "Hollow Creek Peer Services",
            "url": "https://agency.example.org/",
            "root_public_key": ROOT.public_raw.hex(),
            "root_key_id": ROOT.key_id,
        },
    }


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(value)


def to_toml(doc: dict[str, Any]) -> str:
    """Just enough TOML writing for these documents (scalars, lists, one level of tables)."""
    lines = [f"{k} = {_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    for name, table in doc.items():
        if isinstance(table, dict):
            lines.append(f"[{name}]")
            lines += [f"{k} = {_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "provisioning.toml"
    path.write_text(data if isinstance(data, str) else to_toml(data), encoding="utf-8")
    return path


def changed(table: str | None, key: str, value: object) -> dict[str, Any]:
    """good() with one key set (``value is DELETE`` removes it)."""
    doc = good()
    target = doc if table is None else doc.setdefault(table, {})
    if value is DELETE:
        target.pop(key, None)
    else:
        target[key] = value
    return doc


DELETE = object()


# --- a good file -----------------------------------------------------------------------


def test_a_good_file_loads_with_the_default_policy(tmp_path):
    doc = good()
    doc["agency"]["enrollment_code"] = " 7K3M-Q9XD-2B "
    prov = load_provisioning(write(tmp_path, doc))
    assert prov.agency_url == "https://agency.example.org"
    assert prov.root_public_key == ROOT.public_raw and prov.root_key_id == ROOT.key_id
    assert prov.enrollment_code == "7K3M-Q9XD-2B" and prov.ca_cert_pem is None
    assert prov.policy == ProvisionedPolicy()
    assert "7K3M" not in repr(prov)


def test_the_policy_table_is_read(tmp_path):
    doc = good() | {
        "policy": {
            "auto_lock_minutes": 3,
            "failed_attempt_limit": 5,
            "retention_days": 30,
            "metered_sync": True,
            "locked": ["metered_sync"],
        }
    }
    assert load_provisioning(write(tmp_path, doc)).policy == ProvisionedPolicy(
        auto_lock_minutes=3,
        failed_attempt_limit=5,
        retention_days=30,
        metered_sync=True,
        locked=frozenset({"metered_sync"}),
    )


@pytest.mark.parametrize(
    "name", ['River "Valley" Peers', "Servicios de Pares del Río", "back\\slash", "tab\there"]
)
def test_what_the_agency_writes_reads_back_the_same(tmp_path, name, ca_pem):
    prov = Provisioning(
        agency_name=name,
        agency_url="https://peers.example.org",
        root_public_key=ROOT.public_raw,
        root_key_id=ROOT.key_id,
        ca_cert_pem=ca_pem,
        enrollment_code="ABCDE-FGHJK",
        policy=ProvisionedPolicy(
            auto_lock_minutes=7,
            failed_attempt_limit=4,
            retention_days=120,
            metered_sync=True,
            locked=frozenset({"auto_lock_minutes", "metered_sync"}),
        ),
    )
    text = provisioning_toml(prov)
    assert "ca_cert = '''\n-----BEGIN CERTIFICATE-----" in text  # readable, not one long line
    assert load_provisioning(write(tmp_path, text)) == prov


# --- every bad key is named ------------------------------------------------------------

BAD_PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (changed(None, "format", DELETE), "format is missing"),
        (changed(None, "format", 2), "format must be 1"),
        (changed(None, "format", True), "format must be 1"),
        (changed(None, "agnecy", 1), "unknown key(s): agnecy (did you mean agency?)"),
        ({"format": 1}, "agency is missing"),
        ({"format": 1, "agency": "x"}, "[agency] must be a table"),
        (changed("agency", "ulr", "x"), "agency.ulr (did you mean url?)"),
        (changed("agency", "name", DELETE), "agency.name is missing"),
        (changed("agency", "name", ""), "agency.name must be a text"),
        (changed("agency", "name", 5), "agency.name must be a text"),
        (changed("agency", "name", "two\nlines"), "agency.name must be one line"),
        (changed("agency", "name", "bell\u0007"), "agency.name must not contain control"),
        (changed("agency", "url", DELETE), "agency.url is missing"),
        (changed("agency", "url", 5), "agency.url must be a URL"),
        (changed("agency", "url", "ftp://agency.example.org"), "agency.url must start with"),
        (changed("agency", "url", "http://agency.example.org"), "agency.url must use https://"),
        (changed("agency", "url", "https://u:pw@agency.example.org"), "agency.url must not carry"),
        (changed("agency", "url", "https://"), "agency.url must start with https:// and name"),
        (changed("agency", "url", "https://a.example.org:99999"), "agency.url is not a valid"),
        (changed("agency", "root_public_key", DELETE), "agency.root_public_key is missing"),
        (changed("agency", "root_public_key", "abcd"), "agency.root_public_key must be"),
        (changed("agency", "root_public_key", "zz" * 32), "agency.root_public_key must be"),
        (changed("agency", "root_public_key", "ab" * 600), "agency.root_public_key must be"),
        (changed("agency", "root_public_key", "00" * 32), "agency.root_public_key is the exa"),
        (changed("agency", "root_key_id", DELETE), "agency.root_key_id is missing"),
        (changed("agency", "root_key_id", "short"), "agency.root_key_id must be 16 hex"),
        (changed("agency", "root_key_id", "0" * 16), "agency.root_key_id does not match"),
        (changed("agency", "ca_cert", "not a pem"), "agency.ca_cert must be a PEM"),
        (changed("agency", "ca_cert", BAD_PEM), "agency.ca_cert is not a usable certificate"),
        (changed("agency", "enrollment_code", ""), "agency.enrollment_code must be a text"),
        (changed("agency", "enrollment_code", "x" * 65), "agency.enrollment_code"),
        (changed(None, "policy", 3), "[policy] must be a table"),
        (changed("policy", "auto_lock", 5), "policy.auto_lock (did you mean auto_lock_minutes?)"),
        (changed("policy", "auto_lock_minutes", 0), "policy.auto_lock_minutes must be a whole"),
        (changed("policy", "auto_lock_minutes", 481), "policy.auto_lock_minutes must be"),
        (changed("policy", "auto_lock_minutes", "10"), "policy.auto_lock_minutes must be"),
        (changed("policy", "auto_lock_minutes", True), "policy.auto_lock_minutes must be"),
        (changed("policy", "failed_attempt_limit", 2), "policy.failed_attempt_limit must be"),
        (changed("policy", "retention_days", 0), "policy.retention_days must be"),
        (changed("policy", "metered_sync", "yes"), "policy.metered_sync must be true or false"),
        (changed("policy", "locked", "metered_sync"), "policy.locked must be a list"),
        (changed("policy", "locked", [1]), "policy.locked must be a list of setting names"),
        (
            changed("policy", "locked", ["retention_days"]),
            "policy.locked names 'retention_days', which is always set by the agency",
        ),
        (changed("policy", "locked", ["colour"]), "policy.locked names 'colour', which is unknown"),
    ],
)
def test_each_problem_names_the_key(tmp_path, doc, words):
    path = write(tmp_path, doc)
    with pytest.raises(ConfigError) as err:
        load_provisioning(path)
    assert words in str(err.value)
    assert err.value.path == str(path)


# --- files that are not provisioning files ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "format is missing"),
        (b"format = ", "not valid TOML"),
        (b"[agency\nname = 1", "not valid TOML"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"format": 1, "agency_name": "x"}', "JSON provisioning file from a development"),
        (b"# " + b"x" * (300 * 1024), "too large"),
    ],
)
def test_a_file_that_is_not_a_provisioning_file_is_refused(tmp_path, raw, words):
    path = tmp_path / "p.toml"
    path.write_bytes(raw)
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_provisioning(path)


def test_a_missing_file_or_a_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_provisioning(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="cannot read"):
        load_provisioning(tmp_path)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765", "http://localhost:8000/", "http://[::1]:9000"]
)
def test_plain_http_is_allowed_to_this_computer_only(url):
    assert check_agency_url(url).startswith("http://")


# --- never an unpinned agency ----------------------------------------------------------


@pytest.mark.parametrize("key", ["root_public_key", "root_key_id"])
def test_a_file_without_the_pinned_key_is_refused(tmp_path, key):
    with pytest.raises(ConfigError, match=f"agency.{key} is missing"):
        load_provisioning(write(tmp_path, changed("agency", key, DELETE)))


def test_a_fingerprint_of_another_key_is_refused(tmp_path):
    other = SigningKeyPair.generate()
    doc = changed("agency", "root_key_id", other.key_id)
    with pytest.raises(ConfigError, match="agency.root_key_id does not match"):
        load_provisioning(write(tmp_path, doc))


# --- where the file is -----------------------------------------------------------------


def test_system_paths_per_os():
    assert system_provisioning_path("linux", {}) == "/etc/peerdesk/provisioning.toml"
    assert system_provisioning_path("darwin", {}) == (
        "/Library/Application Support/PeerDesk/provisioning.toml"
    )
    assert system_provisioning_path("win32", {"ProgramData": "D:\\PD"}) == (
        "D:\\PD\\PeerDesk\\provisioning.toml"
    )
    assert system_provisioning_path("win32", {}) == ("C:\\ProgramData\\PeerDesk\\provisioning.toml")


def test_the_file_named_on_the_command_line_wins_then_the_environment_then_the_system(
    tmp_path, monkeypatch
):
    system = tmp_path / "etc" / "provisioning.toml"
    monkeypatch.setattr(
        "peerdesk.config.system_provisioning_path", lambda platform, env: str(system)
    )
    assert find_provisioning(None, {}) is None  # nothing installed: not provisioned
    system.parent.mkdir()
    system.write_text("format = 1")
    assert find_provisioning(None, {}).origin == "system"
    env = {ENV_PROVISIONING: str(tmp_path / "env.toml")}
    found = find_provisioning(None, env)
    assert (found.path, found.origin) == (tmp_path / "env.toml", ENV_PROVISIONING)
    found = find_provisioning(tmp_path / "missing.toml", env)
    # named explicitly: returned although missing, so loading it says so
    assert (found.path, found.origin) == (tmp_path / "missing.toml", "--provisioning")


# --- policy in force and locked settings -----------------------------------------------

PROVISIONED = Provisioning(
    agency_name="A",
    agency_url="https://a.example.org",
    root_public_key=ROOT.public_raw,
    root_key_id=ROOT.key_id,
    policy=ProvisionedPolicy(
        auto_lock_minutes=5, failed_attempt_limit=4, retention_days=60, metered_sync=True
    ),
)


def test_without_provisioning_the_defaults_apply():
    assert effective_policy(None) == Policy()


def test_the_agency_policy_applies():
    policy = effective_policy(PROVISIONED)
    assert policy.auto_lock_minutes == 5 and policy.vault.wipe_after_failures == 4
    assert policy.retention_days == 60 and policy.sync_on_metered is True
    assert policy.vault.cooldown_after_failures == Policy().vault.cooldown_after_failures


def test_user_settings_change_what_the_agency_did_not_lock():
    user = parse_user_settings({"auto_lock_minutes": 30, "metered_sync": False})
    policy = effective_policy(PROVISIONED, user)
    assert policy.auto_lock_minutes == 30 and policy.sync_on_metered is False


@pytest.mark.parametrize(
    ("setting", "user_value", "attribute", "agency_value"),
    [
        ("auto_lock_minutes", 240, "auto_lock_minutes", 5),
        ("metered_sync", False, "sync_on_metered", True),
    ],
)
def test_user_settings_never_override_a_locked_setting(
    setting, user_value, attribute, agency_value
):
    locked = replace(PROVISIONED, policy=replace(PROVISIONED.policy, locked=frozenset({setting})))
    policy = effective_policy(locked, parse_user_settings({setting: user_value}))
    assert getattr(policy, attribute) == agency_value
    assert policy.is_locked(setting)


def test_user_settings_never_set_agency_only_keys(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("failed_attempt_limit = 100\nretention_days = 3650\nauto_lock_minutes = 9\n")
    user = load_user_settings(path)
    assert dict(user.values) == {"auto_lock_minutes": 9}
    assert any("failed_attempt_limit is set by the agency only" in p for p in user.problems)
    policy = effective_policy(PROVISIONED, user)
    assert policy.vault.wipe_after_failures == 4 and policy.retention_days == 60
    assert policy.auto_lock_minutes == 9


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("auto_lock_minutes = 0", "auto_lock_minutes must be a whole number"),
        ("metered_sync = 1", "metered_sync must be true or false"),
        ("colour = 'red'", "colour is not a setting"),
        ("auto_lock_minutes = ", "not valid TOML"),
    ],
)
def test_a_bad_user_setting_is_ignored_with_its_name(tmp_path, text, words):
    path = tmp_path / "settings.toml"
    path.write_text(text)
    user = load_user_settings(path)
    assert not user.values
    assert len(user.problems) == 1 and words in user.problems[0]
    assert effective_policy(None, user) == Policy()


def test_no_user_settings_file_is_fine(tmp_path):
    assert load_user_settings(tmp_path / "none.toml").values == {}


def test_the_example_file_in_packaging_is_valid():
    example = Path(__file__).resolve().parents[2] / "packaging" / "provisioning.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    # the example pins a placeholder key; swap in a real one to check everything else
    data["agency"]["root_public_key"] = ROOT.public_raw.hex()
    data["agency"]["root_key_id"] = ROOT.key_id
    prov = parse_provisioning(data)
    assert prov.policy.locked == {"auto_lock_minutes", "metered_sync"}


# --- the locked metered switch in a profile ---------------------------------------------


def _profile(data_dir: Path, policy: Policy):
    from peerdesk.crypto.kdf import KdfParams
    from peerdesk.services import ProfileManager

    manager = ProfileManager(root=data_dir, policy=policy)
    return manager.create("locked", "river stones and quiet mornings", kdf_params=KdfParams.new())


def test_a_locked_metered_setting_is_the_agency_s_whatever_the_profile_says(data_dir):
    from peerdesk.errors import ValidationError
    from peerdesk.services import SyncSettings
    from peerdesk.services.link import SYNC_SETTINGS_FILE

    locked = replace(
        PROVISIONED, policy=replace(PROVISIONED.policy, locked=frozenset({"metered_sync"}))
    )
    session = _profile(data_dir, effective_policy(locked))
    try:
        # a settings file from before the lock says "off"; the agency says "on"
        (session.path / SYNC_SETTINGS_FILE).write_text('{"sync_on_metered": false}')
        assert session.link.settings().sync_on_metered is True
        with pytest.raises(ValidationError) as err:
            session.link.save_settings(SyncSettings(sync_on_metered=False))
        assert err.value.field == "sync_on_metered"
        session.link.save_settings(SyncSettings(sync_on_metered=True))  # same value: fine
    finally:
        session.close()


def test_an_unlocked_metered_setting_starts_from_the_agency_and_follows_the_user(data_dir):
    from peerdesk.services import SyncSettings

    session = _profile(data_dir, effective_policy(PROVISIONED))
    try:
        assert session.link.settings().sync_on_metered is True  # the agency's default
        session.link.save_settings(SyncSettings(sync_on_metered=False))
        assert session.link.settings().sync_on_metered is False
    finally:
        session.close()


def test_the_example_file_as_shipped_is_refused_for_its_placeholder_key():
    example = Path(__file__).resolve().parents[2] / "packaging" / "provisioning.example.toml"
    with pytest.raises(ConfigError, match="agency.root_public_key is the example's placeholder"):
        load_provisioning(example)


# --- the system file must be administrator-only -----------------------------------------


def test_the_system_file_must_not_be_writable_by_other_users(tmp_path):
    import os

    from peerdesk.config import check_admin_only

    folder = tmp_path / "etc"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "provisioning.toml"
    path.write_text("format = 1")
    path.chmod(0o644)
    me = os.getuid()
    check_admin_only(path, owner=me)
    path.chmod(0o666)
    with pytest.raises(ConfigError, match="can be changed by users other than the administrator"):
        check_admin_only(path, owner=me)
    path.chmod(0o644)
    folder.chmod(0o777)
    with pytest.raises(ConfigError, match=str(folder)):
        check_admin_only(path, owner=me)
    folder.chmod(0o755)
    with pytest.raises(ConfigError, match="owner uid"):
        check_admin_only(path, owner=me + 1)


def test_a_system_file_writable_by_users_stops_the_setup(tmp_path, monkeypatch):
    from peerdesk.config import load_setup

    system = tmp_path / "etc" / "provisioning.toml"
    system.parent.mkdir()
    system.write_text(provisioning_toml(PROVISIONED))
    system.chmod(0o666)
    monkeypatch.setattr(
        "peerdesk.config.system_provisioning_path", lambda platform, env: str(system)
    )
    with pytest.raises(ConfigError, match="can be changed by users"):
        load_setup(env={}, user_settings=tmp_path / "none.toml")
