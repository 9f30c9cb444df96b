"""The key vault: create/unlock/lock, failed-attempt counting that survives a
restart or a kill, cool-down, crypto-erase, passphrase change (re-wrap only) and
a header that holds no secret and never crashes the app when corrupt."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerdesk.crypto import keyring
from peerdesk.crypto import vault as vault_mod
from peerdesk.crypto.envelope import FieldCipher, Place
from peerdesk.crypto.kdf import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams, derive_key
from peerdesk.crypto.passphrase import normalize
from peerdesk.crypto.vault import KeyRing, Vault, VaultPolicy
from peerdesk.errors import (
    CorruptData,
    PassphrasePolicyError,
    PeerDeskError,
    ProfileExists,
    ProfileNotFound,
    ProfileWiped,
    TooManyAttempts,
    VaultLocked,
    WrongPassphrase,
)

PASS = "lighthouse keepers whisper at dawn"
NEW_PASS = "seven amber lanterns over the harbour"
WRONG = "lighthouse keepers whisper at dusk"
PROFILE = "prof-0001"
PLACE = Place("notes", "r1", "body", 1)
T0 = 1_700_000_000.0

# Attempt policy that never cools down, so counting and wiping can be tested alone.
NO_COOLDOWN = VaultPolicy(wipe_after_failures=5, cooldown_after_failures=1000)


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Killed(BaseException):
    """Stands in for the process being killed in the middle of a KDF run."""


def killed_kdf(passphrase: str, params: KdfParams) -> bytes:
    raise Killed


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    """One real vault (floor Argon2id params), made once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "vault.json"
    v = Vault.create(path, PASS, profile_id=PROFILE, kdf_params=KdfParams.new())
    keys = v.keys
    return {
        "path": path,
        "dek": keys._dek,
        "dek_id": keys.dek_id,
        "audit_key": keys.audit_key,
        "sealed": keys.fields.seal(b"sealed before anything happened", PLACE),
    }


@pytest.fixture
def vpath(template, tmp_path) -> Path:
    path = tmp_path / "vault.json"
    shutil.copyfile(template["path"], path)
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def header(path: Path) -> dict:
    return json.loads(path.read_bytes())


@pytest.fixture
def kdf_calls(monkeypatch) -> list[str]:
    """Record every KDF run the vault makes (the real KDF still runs)."""
    calls: list[str] = []

    def counting(passphrase: str, params: KdfParams) -> bytes:
        calls.append(passphrase)
        return derive_key(passphrase, params)

    monkeypatch.setattr(vault_mod, "derive_key", counting)
    return calls


@pytest.fixture
def fast_kdf(monkeypatch) -> None:
    """A cheap stand-in KDF for tests that need hundreds of vaults (fuzzing)."""

    def fast(passphrase: str, params: KdfParams) -> bytes:
        return hashlib.sha256(params.salt + passphrase.encode()).digest()

    monkeypatch.setattr(vault_mod, "derive_key", fast)


# --- create / open / unlock / lock ---------------------------------------------------------------


def test_create_returns_an_unlocked_vault_and_writes_the_header(tmp_path):
    path = tmp_path / "vault.json"
    v = Vault.create(path, PASS, profile_id=PROFILE, kdf_params=KdfParams.new())
    assert v.is_unlocked
    assert isinstance(v.keys, KeyRing)
    assert path.exists()
    h = header(path)
    assert h["format"] == 1
    assert h["profile_id"] == PROFILE
    assert h["failed_attempts"] == 0
    assert h["wiped"] is False
    assert h["cooldown_until"] is None
    assert KdfParams.from_dict(h["kdf"]) == v.kdf_params
    assert v.kdf_params.memory_kib >= MIN_MEMORY_KIB
    assert v.kdf_params.iterations >= MIN_ITERATIONS
    assert bytes.fromhex(h["dek_id"]) == v.keys.dek_id
    # nonce + 32-byte DEK + 16-byte tag
    assert len(bytes.fromhex(h["wrapped_dek"])) == 12 + 32 + 16
    assert not list(tmp_path.glob("*.tmp")), "atomic write left a temp file"


def test_open_returns_a_locked_vault(vpath):
    v = Vault.open(vpath)
    assert not v.is_unlocked
    assert v.profile_id == PROFILE
    assert not v.is_wiped
    with pytest.raises(VaultLocked):
        _ = v.keys


def test_unlock_with_the_right_passphrase_gives_the_same_keys_as_at_creation(vpath, template):
    v = Vault.open(vpath)
    keys = v.unlock(PASS)
    assert v.is_unlocked
    assert v.keys is keys
    assert keys._dek == template["dek"]
    assert keys.dek_id == template["dek_id"]
    assert keys.audit_key == template["audit_key"]
    assert keys.fields.open(template["sealed"], PLACE) == b"sealed before anything happened"


def test_purpose_keys_are_distinct_from_the_dek_and_each_other(template):
    ring = KeyRing(template["dek"], template["dek_id"])
    assert len(ring.audit_key) == 32
    assert ring.audit_key != template["dek"]
    # the field key is not the DEK either: a cipher keyed with the raw DEK cannot open
    raw = FieldCipher(template["dek"], template["dek_id"])
    with pytest.raises(CorruptData):
        raw.open(template["sealed"], PLACE)
    audit_as_field_key = FieldCipher(ring.audit_key, template["dek_id"])
    with pytest.raises(CorruptData):
        audit_as_field_key.open(template["sealed"], PLACE)


def test_lock_drops_the_keys(vpath):
    v = Vault.open(vpath)
    v.unlock(PASS)
    v.lock()
    assert not v.is_unlocked
    with pytest.raises(VaultLocked):
        _ = v.keys
    # and it can be unlocked again
    v.unlock(PASS)
    assert v.is_unlocked


def test_lock_after_create_drops_the_keys(tmp_path):
    v = Vault.create(tmp_path / "v.json", PASS, profile_id=PROFILE, kdf_params=KdfParams.new())
    v.lock()
    with pytest.raises(VaultLocked):
        _ = v.keys
    v.lock()  # locking twice is harmless
    assert not v.is_unlocked


def test_two_vaults_with_the_same_passphrase_have_different_salt_and_dek(tmp_path, template):
    v = Vault.create(tmp_path / "v.json", PASS, profile_id=PROFILE, kdf_params=KdfParams.new())
    assert v.keys._dek != template["dek"]
    assert v.kdf_params.salt != KdfParams.from_dict(header(template["path"])["kdf"]).salt


def test_create_refuses_a_weak_passphrase_and_writes_nothing(tmp_path, kdf_calls):
    path = tmp_path / "vault.json"
    with pytest.raises(PassphrasePolicyError):
        Vault.create(path, "correct horse battery staple", profile_id=PROFILE)
    with pytest.raises(PassphrasePolicyError):
        Vault.create(path, "too short", profile_id=PROFILE)
    assert not path.exists()
    assert kdf_calls == []


def test_create_refuses_a_passphrase_built_from_the_profile_name(tmp_path):
    path = tmp_path / "vault.json"
    with pytest.raises(PassphrasePolicyError):
        Vault.create(
            path, "mariagonzalez2024", profile_id=PROFILE, context_words=("maria gonzalez",)
        )
    assert not path.exists()


def test_create_over_an_existing_vault_raises_profile_exists_and_keeps_it(vpath, kdf_calls):
    before = vpath.read_bytes()
    with pytest.raises(ProfileExists):
        Vault.create(vpath, NEW_PASS, profile_id="other", kdf_params=KdfParams.new())
    assert vpath.read_bytes() == before
    assert kdf_calls == []


def test_open_missing_vault_raises_profile_not_found(tmp_path):
    with pytest.raises(ProfileNotFound):
        Vault.open(tmp_path / "vault.json")
    with pytest.raises(ProfileNotFound):
        Vault.open(tmp_path / "no-such-profile" / "vault.json")


def test_kdf_params_and_policy_default_when_opening(vpath):
    v = Vault.open(vpath)
    assert v.policy == VaultPolicy()
    assert v.attempts_left() == VaultPolicy().wipe_after_failures
    assert v.kdf_params.memory_kib == MIN_MEMORY_KIB


def test_header_bound_to_its_profile_id(vpath):
    # the wrap's AAD names the profile: a header relabelled to another profile fails
    h = header(vpath)
    h["profile_id"] = "prof-0002"
    vpath.write_text(json.dumps(h))
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(WrongPassphrase):
        v.unlock(PASS)


# --- wrong passphrase and counting -----------------------------------------------------------------


def test_wrong_passphrase_raises_wrong_passphrase_with_attempts_left_decreasing(vpath):
    v = Vault.open(vpath, NO_COOLDOWN)
    assert v.attempts_left() == 5
    lefts = []
    for _ in range(3):
        with pytest.raises(WrongPassphrase) as info:
            v.unlock(WRONG)
        lefts.append(info.value.attempts_left)
    assert lefts == [4, 3, 2]
    assert v.failed_attempts == 3
    assert v.attempts_left() == 2
    assert not v.is_unlocked
    assert "2 attempt" in str(info.value)
    assert WRONG not in str(info.value)


def test_wrong_passphrase_is_a_vault_error_not_a_crash(vpath):
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(PeerDeskError):
        v.unlock("")


def test_failed_attempt_count_survives_reopening_from_disk(vpath):
    v = Vault.open(vpath, NO_COOLDOWN)
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            v.unlock(WRONG)
    del v
    assert header(vpath)["failed_attempts"] == 2

    restarted = Vault.open(vpath, NO_COOLDOWN)
    assert restarted.failed_attempts == 2
    assert restarted.attempts_left() == 3
    with pytest.raises(WrongPassphrase) as info:
        restarted.unlock(WRONG)
    assert info.value.attempts_left == 2
    assert header(vpath)["failed_attempts"] == 3


def test_successful_unlock_resets_the_count_on_disk(vpath):
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    v.unlock(PASS)
    assert v.failed_attempts == 0
    assert header(vpath)["failed_attempts"] == 0
    assert Vault.open(vpath, NO_COOLDOWN).attempts_left() == 5


def test_no_wipe_threshold_means_attempts_left_is_none(vpath):
    policy = VaultPolicy(wipe_after_failures=None, cooldown_after_failures=1000)
    v = Vault.open(vpath, policy)
    assert v.attempts_left() is None
    with pytest.raises(WrongPassphrase) as info:
        v.unlock(WRONG)
    assert info.value.attempts_left is None
    assert str(info.value) == "wrong passphrase"


def test_failures_are_kept_for_the_audit_log_until_cleared(vpath, clock):
    v = Vault.open(vpath, NO_COOLDOWN, clock)
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    clock.advance(60)
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    v.unlock(PASS)
    times = v.take_unaudited_failures()
    assert times == ["2023-11-14T22:13:20+00:00", "2023-11-14T22:14:20+00:00"]
    # still there after a restart, until the caller has audited them
    assert Vault.open(vpath).take_unaudited_failures() == times
    v.clear_unaudited_failures()
    assert v.take_unaudited_failures() == []
    assert Vault.open(vpath).take_unaudited_failures() == []


# --- kill between counting and result ------------------------------------------------------------------


def test_kill_during_the_kdf_still_counts_the_attempt(vpath, monkeypatch):
    monkeypatch.setattr(vault_mod, "derive_key", killed_kdf)
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(Killed):
        v.unlock(WRONG)
    assert header(vpath)["failed_attempts"] == 1
    assert Vault.open(vpath, NO_COOLDOWN).attempts_left() == 4


def test_kills_count_towards_the_wipe_threshold(vpath, monkeypatch):
    policy = VaultPolicy(wipe_after_failures=3, cooldown_after_failures=1000)
    with monkeypatch.context() as m:
        m.setattr(vault_mod, "derive_key", killed_kdf)
        for _ in range(2):
            with pytest.raises(Killed):
                Vault.open(vpath, policy).unlock(WRONG)
    assert header(vpath)["failed_attempts"] == 2
    with pytest.raises(ProfileWiped):
        Vault.open(vpath, policy).unlock(WRONG)
    assert header(vpath)["wiped"] is True


def test_kill_during_passphrase_change_counts_and_keeps_the_old_passphrase(vpath, monkeypatch):
    v = Vault.open(vpath, NO_COOLDOWN)
    with monkeypatch.context() as m:
        m.setattr(vault_mod, "derive_key", killed_kdf)
        with pytest.raises(Killed):
            v.change_passphrase(PASS, NEW_PASS)
    assert header(vpath)["failed_attempts"] == 1
    restarted = Vault.open(vpath, NO_COOLDOWN)
    restarted.unlock(PASS)
    assert restarted.failed_attempts == 0


# --- cool-down -------------------------------------------------------------------------------------------


def test_cooldown_refuses_attempts_without_trying_the_passphrase(vpath, clock, kdf_calls):
    policy = VaultPolicy(
        wipe_after_failures=None, cooldown_after_failures=2, cooldown_base_s=30, cooldown_max_s=600
    )
    v = Vault.open(vpath, policy, clock)
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    assert v.retry_after() == 0.0
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    assert v.retry_after() == 30.0
    runs = len(kdf_calls)

    with pytest.raises(TooManyAttempts) as info:
        v.unlock(PASS)  # even the right passphrase waits
    assert info.value.retry_after_s == 30.0
    assert "31 s" in str(info.value)
    clock.advance(29)
    with pytest.raises(TooManyAttempts) as info:
        v.unlock(PASS)
    assert info.value.retry_after_s == pytest.approx(1.0)
    assert len(kdf_calls) == runs, "a passphrase was tried during the cool-down"
    assert v.failed_attempts == 2, "refused attempts must not count"

    clock.advance(1)
    assert v.retry_after() == 0.0
    v.unlock(PASS)
    assert v.is_unlocked
    assert header(vpath)["cooldown_until"] is None
    assert v.failed_attempts == 0


def test_cooldown_survives_a_restart(vpath, clock):
    policy = VaultPolicy(wipe_after_failures=None, cooldown_after_failures=1, cooldown_base_s=45)
    with pytest.raises(WrongPassphrase):
        Vault.open(vpath, policy, clock).unlock(WRONG)
    assert header(vpath)["cooldown_until"] == T0 + 45
    clock.advance(10)
    restarted = Vault.open(vpath, policy, clock)
    with pytest.raises(TooManyAttempts) as info:
        restarted.unlock(PASS)
    assert info.value.retry_after_s == 35.0


def test_cooldown_grows_with_each_failure_up_to_the_maximum(vpath, clock):
    policy = VaultPolicy(
        wipe_after_failures=None, cooldown_after_failures=1, cooldown_base_s=10, cooldown_max_s=25
    )
    v = Vault.open(vpath, policy, clock)
    waits = []
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            v.unlock(WRONG)
        waits.append(v.retry_after())
        clock.advance(waits[-1])
    assert waits == [10.0, 20.0, 25.0]


def test_cooldown_for_policy_schedule():
    p = VaultPolicy(cooldown_after_failures=3, cooldown_base_s=30, cooldown_max_s=15 * 60)
    assert [p.cooldown_for(n) for n in range(0, 3)] == [0.0, 0.0, 0.0]
    assert p.cooldown_for(3) == 30.0
    assert p.cooldown_for(4) == 60.0
    assert p.cooldown_for(5) == 120.0
    assert p.cooldown_for(50) == 900.0
    assert p.cooldown_for(10**6) == 900.0
    assert VaultPolicy(cooldown_base_s=0).cooldown_for(100) == 0.0


def test_default_policy_wipes_after_ten_and_cools_down_after_three():
    p = VaultPolicy()
    assert p.wipe_after_failures == 10
    assert p.cooldown_after_failures == 3


# --- crypto-erase --------------------------------------------------------------------------------------------


def test_reaching_the_wipe_threshold_crypto_erases_the_profile(vpath, template, kdf_calls):
    policy = VaultPolicy(wipe_after_failures=3, cooldown_after_failures=1000)
    salt_hex = header(vpath)["kdf"]["salt"]
    wrapped_hex = header(vpath)["wrapped_dek"]
    v = Vault.open(vpath, policy)
    with pytest.raises(WrongPassphrase) as first:
        v.unlock(WRONG)
    with pytest.raises(WrongPassphrase) as second:
        v.unlock(WRONG)
    assert (first.value.attempts_left, second.value.attempts_left) == (2, 1)
    with pytest.raises(ProfileWiped):
        v.unlock(WRONG)
    assert v.is_wiped

    raw = vpath.read_bytes()
    h = json.loads(raw)
    assert h["wiped"] is True
    assert "wrapped_dek" not in h
    assert "kdf" not in h
    assert "salt" not in json.dumps(h)
    assert salt_hex.encode() not in raw
    assert wrapped_hex.encode() not in raw
    assert template["dek"].hex().encode() not in raw

    runs = len(kdf_calls)
    with pytest.raises(ProfileWiped):
        v.unlock(PASS)
    restarted = Vault.open(vpath, policy)
    assert restarted.is_wiped
    with pytest.raises(ProfileWiped):
        restarted.unlock(PASS)
    with pytest.raises(ProfileWiped):
        restarted.change_passphrase(PASS, NEW_PASS)
    with pytest.raises(VaultLocked):
        _ = restarted.keys
    assert len(kdf_calls) == runs, "a wiped vault must not run the KDF"


def test_wipe_threshold_is_reached_even_across_cooldowns_and_restarts(vpath, clock):
    policy = VaultPolicy(wipe_after_failures=3, cooldown_after_failures=1, cooldown_base_s=5)
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Vault.open(vpath, policy, clock).unlock(WRONG)
        clock.advance(3600)
    with pytest.raises(ProfileWiped):
        Vault.open(vpath, policy, clock).unlock(WRONG)
    with pytest.raises(ProfileWiped):
        Vault.open(vpath, policy, clock).unlock(PASS)


def test_crypto_erase_of_an_unlocked_vault_drops_keys_and_header(vpath):
    v = Vault.open(vpath)
    v.unlock(PASS)
    v.crypto_erase()
    assert not v.is_unlocked
    with pytest.raises(VaultLocked):
        _ = v.keys
    h = header(vpath)
    assert h["wiped"] is True
    assert h["profile_id"] == PROFILE
    assert not {"wrapped_dek", "kdf", "dek_id"} & set(h)
    with pytest.raises(ProfileWiped):
        Vault.open(vpath).unlock(PASS)


# --- passphrase change -----------------------------------------------------------------------------------------


def test_change_passphrase_rewraps_the_same_dek_under_a_fresh_salt(vpath, template):
    before = header(vpath)
    v = Vault.open(vpath, NO_COOLDOWN)
    v.change_passphrase(PASS, NEW_PASS)
    assert v.is_unlocked
    assert v.keys._dek == template["dek"]
    after = header(vpath)
    assert after["kdf"]["salt"] != before["kdf"]["salt"]
    assert after["kdf"]["memory_kib"] == before["kdf"]["memory_kib"]
    assert after["kdf"]["iterations"] == before["kdf"]["iterations"]
    assert after["wrapped_dek"] != before["wrapped_dek"]
    assert after["dek_id"] == before["dek_id"]

    restarted = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(WrongPassphrase):
        restarted.unlock(PASS)
    keys = restarted.unlock(NEW_PASS)
    assert keys._dek == template["dek"]
    assert keys.audit_key == template["audit_key"]
    assert keys.fields.open(template["sealed"], PLACE) == b"sealed before anything happened"


def test_change_passphrase_with_wrong_old_passphrase_counts_as_a_failed_attempt(vpath):
    before = header(vpath)
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(WrongPassphrase) as info:
        v.change_passphrase(WRONG, NEW_PASS)
    assert info.value.attempts_left == 4
    after = header(vpath)
    assert after["failed_attempts"] == 1
    assert after["wrapped_dek"] == before["wrapped_dek"]
    assert after["kdf"] == before["kdf"]
    assert not v.is_unlocked
    Vault.open(vpath, NO_COOLDOWN).unlock(PASS)  # the old passphrase still works


def test_change_passphrase_checks_the_new_policy_before_trying_the_old(vpath, kdf_calls):
    before = vpath.read_bytes()
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(PassphrasePolicyError):
        v.change_passphrase(PASS, "correcthorsebatterystaple")
    with pytest.raises(PassphrasePolicyError):
        v.change_passphrase(PASS, "mariagonzalez2024", context_words=("maria gonzalez",))
    assert vpath.read_bytes() == before
    assert kdf_calls == []


def test_change_passphrase_during_cooldown_raises_too_many_attempts(vpath, clock):
    policy = VaultPolicy(wipe_after_failures=None, cooldown_after_failures=1, cooldown_base_s=30)
    v = Vault.open(vpath, policy, clock)
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    with pytest.raises(TooManyAttempts):
        v.change_passphrase(PASS, NEW_PASS)


def test_change_passphrase_accepts_normalised_forms(vpath):
    v = Vault.open(vpath, NO_COOLDOWN)
    fullwidth_new = "ｓｅｖｅｎ ａｍｂｅｒ ｌａｎｔｅｒｎｓ ｏｖｅｒ ｔｈｅ ｈａｒｂｏｕｒ"
    assert normalize(fullwidth_new) == NEW_PASS
    v.change_passphrase(PASS, fullwidth_new)
    Vault.open(vpath, NO_COOLDOWN).unlock(NEW_PASS)


# --- no secret in the header ----------------------------------------------------------------------------------------


def _forms(secret: bytes) -> list[bytes]:
    return [secret, secret.hex().encode(), secret.hex().upper().encode()]


def test_header_never_holds_the_passphrase_or_any_key(tmp_path):
    passphrase = "ｃａｆé résumé naïveté lanterns"  # fullwidth + accents: two spellings
    path = tmp_path / "vault.json"
    v = Vault.create(path, passphrase, profile_id=PROFILE, kdf_params=KdfParams.new())
    keys = v.keys
    kek = derive_key(normalize(passphrase), v.kdf_params)
    secrets = {
        "DEK": keys._dek,
        "KEK": kek,
        "audit key": keys.audit_key,
        "field key": keyring.subkey(keys._dek, b"peerdesk/fields/v1"),
    }
    raw = path.read_bytes()
    for text in (passphrase, normalize(passphrase), "lanterns", "résumé"):
        assert text.encode() not in raw
        assert json.dumps(text)[1:-1].encode() not in raw
        assert text.encode().hex().encode() not in raw
    for name, secret in secrets.items():
        for form in _forms(secret):
            assert form not in raw, f"{name} found in the header"


def test_header_holds_no_secret_after_failures_and_a_passphrase_change(vpath, template):
    v = Vault.open(vpath, NO_COOLDOWN)
    with pytest.raises(WrongPassphrase):
        v.unlock(WRONG)
    v.change_passphrase(PASS, NEW_PASS)
    raw = vpath.read_bytes()
    for text in (PASS, NEW_PASS, WRONG):
        assert text.encode() not in raw
    for form in _forms(template["dek"]) + _forms(template["audit_key"]):
        assert form not in raw


# --- corrupt headers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"\xff" * 100,
        b"not json",
        b"{",
        b"null",
        b"[]",
        b"42",
        b'"vault"',
        b"{}",
        b'{"format": 2}',
        b'{"format": "1"}',
    ],
)
def test_unreadable_header_raises_corrupt_data(tmp_path, content):
    path = tmp_path / "vault.json"
    path.write_bytes(content)
    with pytest.raises(CorruptData):
        Vault.open(path)


def test_every_truncation_of_the_header_raises_corrupt_data(vpath):
    raw = vpath.read_bytes()
    cut = raw.rstrip()
    for n in range(len(cut)):
        vpath.write_bytes(cut[:n])
        with pytest.raises(CorruptData):
            Vault.open(vpath)


@given(blob=st.binary(max_size=300))
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arbitrary_bytes_as_header_raise_corrupt_data(tmp_path, blob):
    path = tmp_path / "vault.json"
    path.write_bytes(blob)
    with pytest.raises(CorruptData):
        Vault.open(path)


@pytest.mark.parametrize(
    "key", ["format", "profile_id", "kdf", "dek_id", "wrapped_dek", "failed_attempts"]
)
def test_header_missing_a_required_key_raises_corrupt_data(vpath, key):
    h = header(vpath)
    del h[key]
    vpath.write_text(json.dumps(h))
    with pytest.raises(CorruptData):
        Vault.open(vpath)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("kdf", None),
        ("kdf", "argon2id"),
        ("kdf", {"alg": "argon2id"}),
        ("dek_id", "zz"),
        ("dek_id", "0102"),
        ("dek_id", 1234),
        ("wrapped_dek", "not hex"),
        ("wrapped_dek", None),
        ("failed_attempts", "many"),
        ("failed_attempts", None),
        ("failed_attempts", math.inf),
        ("failed_attempts", math.nan),
    ],
)
def test_header_with_a_bad_value_raises_corrupt_data(vpath, key, value):
    h = header(vpath)
    h[key] = value
    vpath.write_text(json.dumps(h))
    with pytest.raises(CorruptData):
        Vault.open(vpath)


@pytest.mark.parametrize(
    ("key", "value"),
    [("memory_kib", 1024), ("memory_kib", 10**12), ("iterations", 1), ("iterations", 10**6)],
)
def test_header_asking_for_weak_or_huge_kdf_params_raises_corrupt_data(vpath, key, value):
    h = header(vpath)
    h["kdf"][key] = value
    vpath.write_text(json.dumps(h))
    with pytest.raises(CorruptData):
        Vault.open(vpath)


def test_header_with_infinite_kdf_memory_raises_corrupt_data(vpath):
    raw = vpath.read_text()
    h = header(vpath)
    raw = raw.replace(f'"memory_kib": {h["kdf"]["memory_kib"]}', '"memory_kib": Infinity')
    assert "Infinity" in raw
    vpath.write_text(raw)
    with pytest.raises(CorruptData):
        Vault.open(vpath)


_ODD_VALUES = [
    None,
    True,
    -1,
    0,
    1.5,
    "",
    "x",
    "00",
    "0102030g",
    [],
    [1],
    {},
    {"a": 1},
    math.inf,
    -math.inf,
    math.nan,
]


@pytest.mark.parametrize(
    "key",
    [
        "format",
        "profile_id",
        "kdf",
        "dek_id",
        "wrapped_dek",
        "failed_attempts",
        "cooldown_until",
        "failures_unaudited",
        "wiped",
    ],
)
def test_odd_header_values_never_raise_anything_but_peerdesk_errors(tmp_path, fast_kdf, key):
    """Open, then try the right and a wrong passphrase: whatever a damaged header
    holds, the app sees a PeerDesk error (or it works), never a crash."""
    template_path = tmp_path / "template.json"
    Vault.create(template_path, PASS, profile_id=PROFILE, kdf_params=KdfParams.new())
    good = header(template_path)
    policy = VaultPolicy(wipe_after_failures=3, cooldown_after_failures=1, cooldown_base_s=5)
    for value in _ODD_VALUES:
        for attempt in (PASS, WRONG):
            path = tmp_path / "vault.json"
            path.write_text(json.dumps(good | {key: value}))
            try:
                v = Vault.open(path, policy, FakeClock())
                v.unlock(attempt)
                v.take_unaudited_failures()
                v.attempts_left()
                v.retry_after()
            except PeerDeskError:
                pass
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{key}={value!r}, passphrase {attempt!r}: {exc!r}")


def test_clock_set_back_does_not_extend_the_cooldown_past_the_policy_maximum(tmp_path):
    from peerdesk.crypto.kdf import KdfParams
    from peerdesk.crypto.vault import Vault, VaultPolicy
    from peerdesk.errors import TooManyAttempts, WrongPassphrase

    now = [1_000_000.0]
    policy = VaultPolicy(wipe_after_failures=None, cooldown_after_failures=1, cooldown_max_s=60)
    vault = Vault.create(
        tmp_path / "v.json",
        "a quiet passphrase by the river",
        profile_id="p",
        kdf_params=KdfParams.new(),
        policy=policy,
        clock=lambda: now[0],
    )
    vault.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock("not the passphrase at all, sorry")
    now[0] -= 10 * 24 * 3600  # the clock jumps ten days back
    with pytest.raises(TooManyAttempts) as info:
        vault.unlock("a quiet passphrase by the river")
    assert info.value.retry_after_s <= 60
    now[0] += 61
    vault.unlock("a quiet passphrase by the river")
    assert vault.is_unlocked


def test_attempts_cut_short_by_a_kill_still_count_towards_the_wipe(tmp_path, monkeypatch):
    import peerdesk.crypto.vault as vault_module
    from peerdesk.crypto.kdf import KdfParams
    from peerdesk.crypto.vault import Vault, VaultPolicy
    from peerdesk.errors import ProfileWiped

    policy = VaultPolicy(wipe_after_failures=3, cooldown_after_failures=99)
    path = tmp_path / "v.json"
    Vault.create(
        path,
        "a quiet passphrase by the river",
        profile_id="p",
        kdf_params=KdfParams.new(),
        policy=policy,
    ).lock()

    class Killed(BaseException):
        pass

    def killed(*_args):
        raise Killed

    for _ in range(3):  # three attempts, each killed during the KDF
        monkeypatch.setattr(vault_module, "derive_key", killed)
        with pytest.raises(Killed):
            Vault.open(path, policy).unlock("guess guess guess guess")
    monkeypatch.undo()
    with pytest.raises(ProfileWiped):
        Vault.open(path, policy).unlock("a quiet passphrase by the river")
    assert Vault.open(path, policy).is_wiped
