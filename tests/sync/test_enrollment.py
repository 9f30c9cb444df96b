"""Enrolling a profile with an agency: keys made on the device, the bundle verified
with the pinned root key before anything is stored, the first recovery escrow."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import AgencyRejected, BadSignature, ValidationError, VaultLocked
from peerdesk.store.health import SYNC_SENSITIVE_COLUMNS
from tests.sync.fake_agency import CODE


def _nothing_stored(session) -> None:
    assert session._device.get() is None
    assert session._vault.recovery_slot_ids == []
    assert session._device.pending_escrow_ids() == []
    assert session._stores.queue.counts().pending == 0


def test_enroll_stores_the_device_and_queues_the_recovery_escrow(session, agency):
    record = session.link.enroll(
        agency.provisioning(), CODE, "  field   laptop 7 ", transport=agency.transport()
    ).value

    assert session._device.get() == record
    assert record.agency_name == agency.name and record.cursor == 0
    fake = agency.devices[record.device_id]
    secrets = session._device.secrets()
    assert fake.label == "field laptop 7"
    assert fake.sign_pub == secrets.signing.public_raw
    assert fake.box_pub == secrets.box.public_raw
    assert secrets.credential == agency.credentials[record.device_id]
    assert agency.credentials[record.device_id] not in repr(secrets)
    # the device's secrets are envelopes only
    row = session._db.conn.execute(
        "SELECT label, sign_key, box_key, credential FROM device"
    ).fetchone()
    assert all(looks_like_envelope(v) for v in row)
    # a recovery slot, its secret waiting as an envelope, an escrow record queued
    [slot] = session._vault.recovery_slot_ids
    assert session._device.pending_escrow_ids() == [slot]
    [entry] = session._outbox.pending()
    assert (entry.entity, entry.entity_id) == ("escrow", slot)
    assert session._audit.entries(limit=1)[0].detail == {
        "kind": "enroll",
        "device_id": record.device_id,
    }
    assert session.maintenance.doctor().ok
    # the agency used the code up
    assert CODE not in agency.codes


def test_a_bundle_signed_by_another_root_is_refused_and_nothing_is_stored(session, agency):
    agency.bundle_blob = agency.make_bundle(signer=SigningKeyPair.generate())
    with pytest.raises(BadSignature):
        session.link.enroll(agency.provisioning(), CODE, "laptop", transport=agency.transport())
    _nothing_stored(session)


def test_a_bad_code_is_refused_with_the_agency_reason(session, agency):
    with pytest.raises(AgencyRejected) as err:
        session.link.enroll(
            agency.provisioning(), "WRONG-CODE", "laptop", transport=agency.transport()
        )
    assert (err.value.status, err.value.code) == (403, "bad_code")
    _nothing_stored(session)


def test_the_code_can_come_from_the_provisioning_file(session, agency):
    prov = replace(agency.provisioning(), enrollment_code=CODE)
    session.link.enroll(prov, label="laptop", transport=agency.transport())
    assert session._device.get() is not None


def test_enrolling_twice_is_refused(enrolled, agency):
    agency.codes.add("SECOND-CODE")
    with pytest.raises(ValidationError, match="enrolled with"):
        enrolled.link.enroll(
            agency.provisioning(), "SECOND-CODE", "x", transport=agency.transport()
        )
    assert len(agency.devices) == 1


@pytest.mark.parametrize("label", ["", "   ", "x" * 101])
def test_a_label_must_be_1_to_100_characters(session, agency, label):
    with pytest.raises(ValidationError):
        session.link.enroll(agency.provisioning(), CODE, label, transport=agency.transport())
    assert agency.devices == {}


def test_enrolling_needs_the_vault_unlocked_before_anything_goes_out(session, agency):
    session.lock()
    with pytest.raises(VaultLocked):
        session.link.enroll(agency.provisioning(), CODE, "laptop", transport=agency.transport())
    assert agency.devices == {} and CODE in agency.codes


def test_doctor_finds_plaintext_in_the_sync_tables(enrolled):
    assert "device" in SYNC_SENSITIVE_COLUMNS
    enrolled._db.conn.execute("UPDATE device SET credential = ?", (b"plain-credential",))
    enrolled._db.conn.commit()
    assert enrolled.maintenance.doctor().plaintext_columns == ["device.credential: 1 row(s)"]
