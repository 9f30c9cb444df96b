"""Recovery: codes, vault recovery slots, and the whole flow at the core level
(enroll, escrow synced, IT reads the code, the peer sets a new passphrase)."""

from __future__ import annotations

import json
import random

import pytest

from peerdesk.crypto import recovery
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.vault import Vault, VaultPolicy
from peerdesk.errors import (
    PassphrasePolicyError,
    ProfileWiped,
    TooManyAttempts,
    ValidationError,
    VaultLocked,
    WrongPassphrase,
)
from peerdesk.link.sync import SyncOptions
from tests.sync.conftest import FakeTime
from tests.sync.fake_agency import CODE, FakeAgency

NEW = "a new lantern on the porch tonight"
NEWER = "second new lantern by the barn door"


# -- codes ----------------------------------------------------------------------------------


def test_codes_round_trip_and_tolerate_how_people_type_them():
    for _ in range(50):
        secret = recovery.new_secret()
        code = recovery.encode_code(secret)
        assert recovery.decode_code(code) == secret
        assert recovery.decode_code(code.lower().replace("-", " ")) == secret


def test_a_mistyped_code_is_caught_by_its_check_character():
    secret = bytes(range(16))
    code = recovery.encode_code(secret)
    i = 5 if code[5] != "-" else 6
    typo = code[:i] + ("A" if code[i] != "A" else "B") + code[i + 1 :]
    with pytest.raises(ValidationError) as err:
        recovery.decode_code(typo)
    assert err.value.field == "recovery_code"
    with pytest.raises(ValidationError, match="27"):
        recovery.decode_code("ABCD-EFGH")


# -- vault slots ------------------------------------------------------------------------------


@pytest.fixture
def vault(tmp_path) -> Vault:
    return Vault.create(
        tmp_path / "vault.json",
        "river stones and quiet mornings",
        profile_id="p-1",
        kdf_params=KdfParams.new(),
        policy=VaultPolicy(wipe_after_failures=5, cooldown_after_failures=2),
    )


def test_a_slot_opens_once_and_sets_the_new_passphrase(vault, tmp_path):
    secret = recovery.new_secret()
    vault.add_recovery_slot("slot-1", secret)
    fields_before = vault.keys.fields
    vault.lock()

    assert vault.recover(secret, NEW) == "slot-1"

    assert vault.is_unlocked and vault.recovery_slot_ids == []
    again = Vault.open(tmp_path / "vault.json")
    with pytest.raises(WrongPassphrase):
        again.unlock("river stones and quiet mornings")
    again.unlock(NEW)
    assert again.keys.dek_id == fields_before.key_id
    with pytest.raises(ValidationError, match="used already"):
        again.recover(secret, NEWER)


def test_a_wrong_secret_changes_nothing_but_the_failure_count(vault, tmp_path):
    vault.add_recovery_slot("slot-1", recovery.new_secret())
    before = json.loads((tmp_path / "vault.json").read_bytes())
    with pytest.raises(ValidationError) as err:
        vault.recover(recovery.new_secret(), NEW)
    assert err.value.field == "recovery_code"
    after = json.loads((tmp_path / "vault.json").read_bytes())
    # counted (recovery attempts are rate-limited, tests/reliability); keys untouched
    assert after.pop("recovery_failures") == 1
    after.pop("recovery_cooldown_until")
    assert after == before


def test_a_weak_new_passphrase_is_refused_before_the_slot_is_used(vault):
    secret = recovery.new_secret()
    vault.add_recovery_slot("slot-1", secret)
    with pytest.raises(PassphrasePolicyError):
        vault.recover(secret, "short")
    assert vault.recovery_slot_ids == ["slot-1"]


def test_recovery_resets_failed_attempts_and_cool_down(vault, tmp_path):
    secret = recovery.new_secret()
    vault.add_recovery_slot("slot-1", secret)
    vault.lock()
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            vault.unlock("not the passphrase at all, no")
    with pytest.raises(TooManyAttempts):
        vault.unlock("river stones and quiet mornings")

    vault.recover(secret, NEW)

    assert vault.failed_attempts == 0 and vault.retry_after() == 0
    vault.lock()
    vault.unlock(NEW)


def test_using_a_slot_drops_it_and_older_ones_but_keeps_newer(vault):
    secrets_ = [recovery.new_secret() for _ in range(3)]
    for i, s in enumerate(secrets_):
        vault.add_recovery_slot(f"slot-{i}", s)
    vault.lock()
    assert vault.recover(secrets_[1], NEW) == "slot-1"
    assert vault.recovery_slot_ids == ["slot-2"]
    with pytest.raises(ValidationError):
        vault.recover(secrets_[0], NEWER)


def test_an_acknowledged_escrow_drops_the_older_slots(vault):
    for i in range(3):
        vault.add_recovery_slot(f"slot-{i}", recovery.new_secret())
    vault.drop_recovery_slots_before("slot-2")
    assert vault.recovery_slot_ids == ["slot-2"]
    vault.drop_recovery_slots_before("unknown")
    assert vault.recovery_slot_ids == ["slot-2"]


def test_a_slot_moved_to_another_profile_does_not_open(vault, tmp_path):
    secret = recovery.new_secret()
    vault.add_recovery_slot("slot-1", secret)
    other = Vault.create(
        tmp_path / "other.json",
        "another long passphrase for bob",
        profile_id="p-2",
        kdf_params=KdfParams.new(),
    )
    header = json.loads((tmp_path / "other.json").read_text())
    header["recovery_slots"] = json.loads((tmp_path / "vault.json").read_text())["recovery_slots"]
    (tmp_path / "other.json").write_text(json.dumps(header))
    with pytest.raises(ValidationError):
        Vault.open(tmp_path / "other.json").recover(secret, NEW)
    assert other.profile_id == "p-2"


def test_adding_a_slot_needs_the_vault_unlocked(vault):
    vault.lock()
    with pytest.raises(VaultLocked):
        vault.add_recovery_slot("slot-1", recovery.new_secret())


def test_an_erased_vault_cannot_be_recovered(vault):
    secret = recovery.new_secret()
    vault.add_recovery_slot("slot-1", secret)
    vault.crypto_erase()
    assert vault.recovery_slot_ids == []
    with pytest.raises(ProfileWiped):
        vault.recover(secret, NEW)


# -- the flow at the core level -------------------------------------------------------------


def _sync(session, agency: FakeAgency) -> None:
    t = FakeTime()
    for _ in session.link.sync(
        SyncOptions(),
        transport=agency.transport(),
        sleep=t.sleep,
        clock=t.clock,
        rng=random.Random(1),
    ):
        pass


@pytest.fixture
def agency() -> FakeAgency:
    return FakeAgency()


def test_recovery_end_to_end(session, manager, profile_name, passphrase, agency, make_draft):
    session.link.enroll(agency.provisioning(), CODE, "laptop", transport=agency.transport())
    p = session.participants.add("Recovered Person").value
    session.notes.sign(session.notes.create_draft(make_draft(p.id)).value.id)
    _sync(session, agency)
    device_id = session._device.get().device_id
    # the escrow reached the agency: the secret is gone from the laptop
    assert session._device.pending_escrow_ids() == []
    [first_slot] = session._vault.recovery_slot_ids
    session.close()

    code = agency.recovery_code(device_id)  # IT, with the offline recovery key
    s2 = manager.recover(profile_name, code, NEW)
    try:
        assert s2.is_unlocked
        assert s2.participants.get(p.id).display_name == "Recovered Person"
        events = [e.event for e in s2._audit.entries(limit=3)]
        assert "recovery" in events
        recovery_row = next(e for e in s2._audit.entries() if e.event == "recovery")
        assert recovery_row.detail == {"escrow_id": first_slot}
        s2._audit.verify()
        # a new secret, slot and escrow are made at once
        [new_slot] = s2._vault.recovery_slot_ids
        assert new_slot != first_slot
        assert s2._device.pending_escrow_ids() == [new_slot]
        assert [e.entity for e in s2._outbox.pending()] == ["escrow"]
        _sync(s2, agency)
        assert s2._device.pending_escrow_ids() == []
    finally:
        s2.close()

    # the old passphrase is gone, the new one works, the same code is spent
    s3 = manager.open(profile_name)
    try:
        with pytest.raises(WrongPassphrase):
            s3.unlock(passphrase)
        s3.unlock(NEW)
    finally:
        s3.close()
    with pytest.raises(ValidationError, match="used already"):
        manager.recover(profile_name, code, NEWER).close()
    # and the next code (for the new escrow) works
    manager.recover(profile_name, agency.recovery_code(device_id), NEWER).close()


def test_a_wrong_code_says_so_clearly(session, manager, profile_name, passphrase, agency):
    session.link.enroll(agency.provisioning(), CODE, "laptop", transport=agency.transport())
    session.close()
    with pytest.raises(ValidationError, match="does not open this profile") as err:
        manager.recover(profile_name, recovery.encode_code(recovery.new_secret()), NEW)
    assert err.value.field == "recovery_code"
    s = manager.open(profile_name)
    try:
        s.unlock(passphrase)  # unchanged
    finally:
        s.close()


def test_a_profile_never_enrolled_has_no_recovery(session, manager, profile_name):
    session.close()
    with pytest.raises(ValidationError):
        manager.recover(profile_name, recovery.encode_code(recovery.new_secret()), NEW)


def test_the_service_checks_a_typed_code_without_a_profile():
    from peerdesk.services import RECOVERY_CODE_CHARS, check_recovery_code

    code = recovery.encode_code(recovery.new_secret())
    assert RECOVERY_CODE_CHARS == len(code.replace("-", "")) == 27
    check_recovery_code(code.lower())
    with pytest.raises(ValidationError) as err:
        check_recovery_code(code[:-3])
    assert err.value.field == "recovery_code"
